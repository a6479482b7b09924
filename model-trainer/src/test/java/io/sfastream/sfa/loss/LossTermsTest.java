package io.sfastream.sfa.loss;

import static io.sfastream.sfa.loss.HandExamples.LN2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** §6.5: soft-target CE, unlabelled MSE and the uniform-prior penalty on the hand examples. */
class LossTermsTest {

    private static final double EPS = 1e-12;

    @Test
    void softmaxOfHandRows() {
        assertThat(Softmax.softmax(HandExamples.ROW_A, null, null))
                .containsExactly(new double[] {0.25, 0.5, 0.25}, within(EPS));
        assertThat(Softmax.softmax(HandExamples.ROW_B, null, null))
                .containsExactly(new double[] {0.6, 0.2, 0.2}, within(EPS));
    }

    @Test
    void softTargetCrossEntropyByHand() {
        // row A: −(1·ln(1/2))                 = ln 2                       = 0.693147
        // row B: −(½·ln(3/5) + ½·ln(1/5))     = ½·(ln(5/3) + ln 5) = ½·ln(25/3) = ½·2.120264 =
        // 1.060132
        // mean over 2 rows: (0.693147 + 1.060132)/2 = 0.876640
        double expected = (LN2 + 0.5 * Math.log(25.0 / 3.0)) / 2.0;
        double ce = CrossEntropy.soft(HandExamples.logits(), HandExamples.targets());
        assertThat(ce).isCloseTo(expected, within(EPS)).isCloseTo(0.876640, within(1e-6));
    }

    @Test
    void softCrossEntropyOverARowRangeAveragesOverThatRangeOnly() {
        double ce = CrossEntropy.soft(HandExamples.logits(), null, HandExamples.targets(), 1, 2);
        assertThat(ce).isCloseTo(0.5 * Math.log(25.0 / 3.0), within(EPS));
    }

    @Test
    void hardCrossEntropyEqualsSoftWithOneHotTargets() {
        // labels (1, 0): row A −ln(1/2) = ln 2, row B −ln(3/5) = ln(5/3); mean = (ln 2 + ln(5/3))/2
        double hard = CrossEntropy.hard(HandExamples.logits(), new int[] {1, 0});
        double soft =
                CrossEntropy.soft(HandExamples.logits(), new double[][] {{0, 1, 0}, {1, 0, 0}});
        assertThat(hard)
                .isCloseTo((LN2 + Math.log(5.0 / 3.0)) / 2.0, within(EPS))
                .isCloseTo(soft, within(EPS));
    }

    @Test
    void unlabelledMseIsMeanOverRowsAndClasses() {
        // row A: softmax − t = (1/4, −1/2, 1/4)   → squares 1/16 + 1/4 + 1/16   = 3/8
        // row B: softmax − t = (1/10, −3/10, 1/5) → squares 1/100 + 9/100 + 4/100 = 7/50
        // sum = 3/8 + 7/50 = 75/200 + 28/200 = 103/200; mean over 2 rows × 3 classes = 103/1200 =
        // 0.0858333
        double mse = UnlabelledMse.mean(HandExamples.logits(), HandExamples.targets());
        assertThat(mse).isCloseTo(103.0 / 1200.0, within(EPS)).isCloseTo(0.0858333, within(1e-7));
    }

    @Test
    void penaltyIsKlFromUniformToMeanPrediction() {
        // p̂ = mean of (1/4, 1/2, 1/4) and (3/5, 1/5, 1/5) = (17/40, 14/40, 9/40)
        // penalty = Σ ⅓·ln(⅓ / p̂_k) = ⅓·[ln(40/51) + ln(40/42) + ln(40/27)] = ⅓·ln(40³/(51·42·27))
        //         = ⅓·ln(64000/57834) = ⅓·0.101306 = 0.033769
        double penalty = UniformPriorPenalty.compute(HandExamples.logits());
        assertThat(penalty)
                .isCloseTo(Math.log(64000.0 / 57834.0) / 3.0, within(EPS))
                .isCloseTo(0.033769, within(1e-6));
    }

    @Test
    void penaltyIsZeroWhenTheMeanPredictionIsUniform() {
        // Three cyclic rows: each class gets e^5/(e^5+2) once and 1/(e^5+2) twice, so p̂ = (⅓, ⅓,
        // ⅓).
        double[][] sym = {{5.0, 0.0, 0.0}, {0.0, 5.0, 0.0}, {0.0, 0.0, 5.0}};
        assertThat(UniformPriorPenalty.compute(sym)).isCloseTo(0.0, within(EPS));
        assertThat(UniformPriorPenalty.compute(new double[][] {{5.0, 0.0, 0.0}})).isPositive();
    }

    @Test
    void rejectsMismatchedShapesAndEmptyRanges() {
        assertThatThrownBy(
                        () -> CrossEntropy.soft(HandExamples.logits(), new double[][] {{1, 0, 0}}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                UnlabelledMse.mean(
                                        HandExamples.logits(), null, HandExamples.targets(), 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CrossEntropy.hard(HandExamples.logits(), new int[] {0, 3}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                CrossEntropy.soft(
                                        HandExamples.logits(),
                                        new double[] {0, 0},
                                        HandExamples.targets(),
                                        0,
                                        2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
