package io.sfastream.sfa.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NumericalStabilityTest {

    private static final double[][] BIG = {
        {1000.0, -1000.0, 0.0},
        {1000.0, 0.0, -1000.0},
        {-1000.0, 1000.0, 0.0},
        {1000.0, -1000.0, -1000.0}
    };
    private static final double[][] TARGETS = {
        {0.0, 1.0, 0.0}, {0.5, 0.0, 0.5}, {1.0, 0.0, 0.0}, {0.2, 0.3, 0.5}
    };

    @Test
    void logitsOfPlusMinusThousandGiveFiniteLosses() {
        assertThat(CrossEntropy.soft(BIG, TARGETS)).isFinite();
        assertThat(CrossEntropy.hard(BIG, new int[] {1, 2, 0, 2})).isFinite();
        assertThat(UnlabelledMse.mean(BIG, TARGETS)).isFinite();
        assertThat(Softmax.softmax(BIG[0], null, null))
                .containsExactly(new double[] {1, 0, 0}, within(0.0));
        // Row 0 puts log-probability −2000 on class 1 and target 1 there: CE ≈ 2000, exact to
        // rounding.
        assertThat(CrossEntropy.soft(new double[][] {BIG[0]}, new double[][] {{0, 1, 0}}))
                .isCloseTo(2000.0, within(1e-9));
        SslLossTerms terms =
                SemiSupervisedLoss.compute(
                        BIG,
                        BIG,
                        TARGETS,
                        1,
                        BalancedSoftmax.fromCounts(new int[] {10, 1, 100}),
                        25.0);
        assertThat(terms.isFinite()).isTrue();
    }

    @Test
    void penaltyStaysFiniteWhenAClassUnderflowsInEveryRow() {
        // softmax underflows to exactly 0 for class 1 in both rows; the reference's log(prior/0) is
        // +inf
        // (torch_reference.py prints PENALTY_BIG_REFERENCE = inf). Here log p̂_1 is taken in the
        // log
        // domain: log p̂_1 = log((e^−2000 + e^−1000)/2) ≈ −1000 − ln 2, so the penalty is large but
        // finite:
        //   log p̂_0 = log((1 + 1)/2) = 0 (to rounding), log p̂_2 = log((e^−1000 + e^−2000)/2) ≈
        // −1000 − ln 2
        //   penalty = −ln 3 − ⅓·(0 + 2·(−1000 − ln 2)) = (2000 + 2 ln 2)/3 − ln 3
        double[][] z = {{1000.0, -1000.0, 0.0}, {1000.0, 0.0, -1000.0}};
        double expected = (2000.0 + 2 * Math.log(2.0)) / 3.0 - Math.log(3.0);
        assertThat(UniformPriorPenalty.compute(z)).isFinite().isCloseTo(expected, within(1e-9));
    }

    @Test
    void nHatWithZerosGivesFiniteLossesEqualToFlooredCounts() {
        double[][] z = {{0.5, -0.2, 1.0}, {0.0, 2.0, -1.0}, {1.0, 1.0, 1.0}, {-0.5, 0.3, 0.0}};
        double[][] t = {{0.0, 1.0, 0.0}, {0.6, 0.0, 0.4}, {0.3, 0.3, 0.4}, {0.0, 0.0, 1.0}};
        SslLossTerms zeros =
                SemiSupervisedLoss.compute(
                        z, z, t, 1, BalancedSoftmax.fromCounts(new double[] {0, 0, 7}), 2.0);
        SslLossTerms ones =
                SemiSupervisedLoss.compute(
                        z, z, t, 1, BalancedSoftmax.fromCounts(new double[] {1, 1, 7}), 2.0);
        assertThat(zeros.isFinite()).isTrue();
        assertThat(zeros).isEqualTo(ones);
        SslLossTerms allZero =
                SemiSupervisedLoss.compute(
                        z, z, t, 1, BalancedSoftmax.fromCounts(new double[3]), 2.0);
        assertThat(allZero.isFinite()).isTrue();
    }
}
