package io.sfastream.sfa.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Sharpening, label refinement and co-guessing on the hand rows (softmax A = (¼,½,¼), B = (⅗,⅕,⅕)).
 */
class TargetsTest {

    private static final double EPS = 1e-12;

    @Test
    void sharpenSquaresAndRenormalisesAtHalfTemperature() {
        // (¼, ½, ¼)^2 = (1/16, 4/16, 1/16), sum 6/16 → (1/6, 2/3, 1/6)
        double[] out = Sharpen.apply(new double[] {0.25, 0.5, 0.25}, 0.5, null);
        assertThat(out).containsExactly(new double[] {1.0 / 6, 2.0 / 3, 1.0 / 6}, within(EPS));
    }

    @Test
    void sharpenAtTemperatureOneIsIdentityAndSurvivesTinyTemperatures() {
        assertThat(Sharpen.apply(new double[] {0.2, 0.3, 0.5}, 1.0, null))
                .containsExactly(new double[] {0.2, 0.3, 0.5}, within(EPS));
        // p^(1/0.001) underflows to 0 for every entry; the max-normalised form still gives the
        // argmax.
        double[] hard = Sharpen.apply(new double[] {0.2, 0.3, 0.5}, 0.001, null);
        assertThat(hard).containsExactly(new double[] {0.0, 0.0, 1.0}, within(EPS));
    }

    @Test
    void sharpenRejectsBadInput() {
        assertThatThrownBy(() -> Sharpen.apply(new double[] {0.5, 0.5}, 0.0, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sharpen.apply(new double[] {0.0, 0.0}, 0.5, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sharpen.apply(new double[] {-0.1, 1.1}, 0.5, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void labelRefinementByHand() {
        // label 0, w = ½: p̄ = mean of (¼,½,¼) and (⅗,⅕,⅕) = (17/40, 14/40, 9/40)
        // t = ½·(1,0,0) + ½·p̄ = (20/40 + 17/80, 7/40, 9/80) = (57/80, 14/80, 9/80)
        // sharpen T=½: ∝ (57², 14², 9²) = (3249, 196, 81), sum 3526
        double[][] t =
                LabelRefinement.targets(
                        new double[][] {HandExamples.ROW_A},
                        new double[][] {HandExamples.ROW_B},
                        new int[] {0},
                        new double[] {0.5},
                        0.5);
        assertThat(t[0])
                .containsExactly(
                        new double[] {3249.0 / 3526, 196.0 / 3526, 81.0 / 3526}, within(EPS));
    }

    @Test
    void labelRefinementWithWeightOneIsTheOneHotLabel() {
        double[] t =
                LabelRefinement.refineRow(
                        2,
                        1.0,
                        new double[] {0.25, 0.5, 0.25},
                        new double[] {0.6, 0.2, 0.2},
                        0.5,
                        null);
        assertThat(t).containsExactly(new double[] {0, 0, 1}, within(EPS));
        assertThatThrownBy(
                        () ->
                                LabelRefinement.refineRow(
                                        0,
                                        1.5,
                                        new double[] {1, 0},
                                        new double[] {1, 0},
                                        0.5,
                                        null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void coGuessByHand() {
        // views: A, B, A, B → mean = (17/40, 14/40, 9/40); sharpen T=½: ∝ (289, 196, 81), sum 566
        double[][] a = {HandExamples.ROW_A};
        double[][] b = {HandExamples.ROW_B};
        double[][] q = CoGuess.targets(a, b, a, b, 0.5);
        assertThat(q[0])
                .containsExactly(new double[] {289.0 / 566, 196.0 / 566, 81.0 / 566}, within(EPS));
    }
}
