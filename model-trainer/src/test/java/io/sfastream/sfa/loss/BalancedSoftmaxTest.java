package io.sfastream.sfa.loss;

import static io.sfastream.sfa.loss.HandExamples.LN2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BalancedSoftmaxTest {

    private static final double EPS = 1e-12;

    @Test
    void uniformCountsGivePlainCrossEntropy() {
        // log n is the same for every class, and softmax is invariant to adding a constant to a
        // row.
        double[][] z = {{1.5, -0.3, 2.2, 0.0}, {-1.0, 0.4, 0.4, 3.0}, {0.0, 0.0, 0.0, 0.0}};
        int[] y = {2, 3, 0};
        double[][] t = {{0.1, 0.2, 0.3, 0.4}, {0, 0, 1, 0}, {0.25, 0.25, 0.25, 0.25}};
        BalancedSoftmax uniform = BalancedSoftmax.fromCounts(new long[] {500, 500, 500, 500});
        assertThat(uniform.crossEntropy(z, y)).isCloseTo(CrossEntropy.hard(z, y), within(EPS));
        assertThat(uniform.softCrossEntropy(z, t)).isCloseTo(CrossEntropy.soft(z, t), within(EPS));
        assertThat(uniform.unlabelledMse(z, t, 0, 3))
                .isCloseTo(UnlabelledMse.mean(z, t), within(EPS));
    }

    @Test
    void logPriorShiftsTheLogitsByHand() {
        // n = (1, 2, 1), z = (0, 0, 0) → z + log n = (0, ln 2, 0) → softmax = (1/4, 1/2, 1/4)
        // hard CE, labels (1, 0): (−ln ½ − ln ¼)/2 = (ln 2 + 2 ln 2)/2 = 1.5 ln 2
        BalancedSoftmax bs = BalancedSoftmax.fromCounts(new int[] {1, 2, 1});
        double[][] z = {{0, 0, 0}, {0, 0, 0}};
        assertThat(bs.shift(z)[0]).containsExactly(new double[] {0, LN2, 0}, within(EPS));
        assertThat(bs.probabilities(z[0], null))
                .containsExactly(new double[] {0.25, 0.5, 0.25}, within(EPS));
        assertThat(bs.crossEntropy(z, new int[] {1, 0})).isCloseTo(1.5 * LN2, within(EPS));
    }

    @Test
    void countsAreFlooredAtOne() {
        BalancedSoftmax withZero = BalancedSoftmax.fromCounts(new double[] {0.0, 3.0, 2.0});
        BalancedSoftmax withOne = BalancedSoftmax.fromCounts(new double[] {1.0, 3.0, 2.0});
        assertThat(withZero.logPrior()).containsExactly(withOne.logPrior());
        assertThat(withZero.logPrior()[0]).isEqualTo(0.0);
    }

    @Test
    void rejectsNegativeOrNonFiniteCounts() {
        assertThatThrownBy(() -> BalancedSoftmax.fromCounts(new double[] {1, -1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BalancedSoftmax.fromCounts(new double[] {1, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                BalancedSoftmax.fromCounts(
                                        new double[] {1, Double.POSITIVE_INFINITY}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BalancedSoftmax.fromCounts(new double[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                BalancedSoftmax.fromCounts(new int[] {1, 2})
                                        .crossEntropy(new double[][] {{0, 0, 0}}, new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void warmUpLossIsCePlusBalancedCe() {
        BalancedSoftmax bs = BalancedSoftmax.fromCounts(new int[] {1, 2, 1});
        double[][] z1 = HandExamples.logits();
        double[][] z2 = {{0, 0, 0}, {0, 0, 0}};
        int[] y = {1, 0};
        WarmUpLoss.Terms terms = WarmUpLoss.compute(z1, z2, y, bs);
        // CE: (ln 2 + ln(5/3))/2 (see LossTermsTest); BS-CE: 1.5 ln 2 (above)
        assertThat(terms.crossEntropy()).isCloseTo((LN2 + Math.log(5.0 / 3.0)) / 2.0, within(EPS));
        assertThat(terms.balancedCrossEntropy()).isCloseTo(1.5 * LN2, within(EPS));
        assertThat(terms.total())
                .isCloseTo(terms.crossEntropy() + terms.balancedCrossEntropy(), within(0.0));
    }
}
