package io.sfastream.sfa.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MixUpTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 4.0})
    void betaSamplerMatchesMeanAndVarianceOfBetaAlphaAlpha(double alpha) {
        // Beta(α, α): mean α/(2α) = ½; variance α·α/((2α)²(2α+1)) = 1/(4(2α+1)) → 1/36 (α=4), 1/8
        // (α=½).
        MixUp mixUp = new MixUp(alpha, 20_230_434L);
        int n = 20_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double x = mixUp.rawLambda();
            assertThat(x).isBetween(0.0, 1.0);
            sum += x;
            sumSq += x * x;
        }
        double mean = sum / n;
        double variance = sumSq / n - mean * mean;
        double expectedVariance = 1.0 / (4.0 * (2.0 * alpha + 1.0));
        // Standard error of the mean ≤ sqrt(1/8 / 20000) = 0.0025; allow 4 SE. Variance: 7 %
        // relative.
        assertThat(mean).isCloseTo(alpha / (2 * alpha), within(0.01));
        assertThat(variance).isCloseTo(expectedVariance, within(0.07 * expectedVariance));
    }

    @Test
    void foldedLambdaIsAlwaysAtLeastHalf() {
        MixUp mixUp = new MixUp(MixUp.WEBVISION_ALPHA, 7L); // α = ½ puts most mass near 0 and 1
        for (int i = 0; i < 5_000; i++) {
            assertThat(mixUp.next(4).lambda()).isBetween(0.5, 1.0);
        }
    }

    @Test
    void permutationIsAPermutationOfAllRows() {
        MixPlan plan = new MixUp(4.0, 1L).next(256);
        int[] sorted = plan.permutation();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertThat(sorted[i]).isEqualTo(i);
        }
    }

    @Test
    void mixedRowsAreConvexCombinationsOfARowAndItsPartner() {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(99L);
        int rows = 8;
        float[][] x = new float[rows][12];
        double[][] t = new double[rows][5];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 12; j++) {
                x[i][j] = (float) (rng.nextDouble() * 4 - 2);
            }
            double s = 0;
            for (int k = 0; k < 5; k++) {
                t[i][k] = rng.nextDouble();
                s += t[i][k];
            }
            for (int k = 0; k < 5; k++) {
                t[i][k] /= s;
            }
        }
        MixPlan plan = new MixUp(4.0, 3L).next(rows);
        double l = plan.lambda();
        float[][] mx = plan.mixInputs(x);
        double[][] mt = plan.mixTargets(t);
        for (int i = 0; i < rows; i++) {
            int p = plan.partner(i);
            for (int j = 0; j < 12; j++) {
                assertThat((double) mx[i][j])
                        .isCloseTo(l * x[i][j] + (1 - l) * x[p][j], within(1e-6));
                assertThat(mx[i][j])
                        .isBetween(Math.min(x[i][j], x[p][j]), Math.max(x[i][j], x[p][j]));
            }
            double s = 0;
            for (int k = 0; k < 5; k++) {
                assertThat(mt[i][k]).isCloseTo(l * t[i][k] + (1 - l) * t[p][k], within(1e-15));
                s += mt[i][k];
            }
            assertThat(s).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void explicitPlanMixesByHand() {
        // λ = ¾, π = (1, 0): row 0 = ¾·(1, 0) + ¼·(0, 1) = (¾, ¼); row 1 = ¾·(0, 1) + ¼·(1, 0) =
        // (¼, ¾)
        MixPlan plan = MixPlan.of(0.75, new int[] {1, 0});
        double[][] mixed = plan.mixTargets(new double[][] {{1, 0}, {0, 1}});
        assertThat(mixed[0]).containsExactly(0.75, 0.25);
        assertThat(mixed[1]).containsExactly(0.25, 0.75);
        float[][] in = plan.mixInputs(new float[][] {{4f, 8f}, {0f, 0f}});
        assertThat(in[0]).containsExactly(3f, 6f);
        assertThat(in[1]).containsExactly(1f, 2f);
    }

    @Test
    void mixingOnlyTheFirstRowsStillDrawsPartnersFromAllRows() {
        // Train_webvision.py: permutation over 4B rows, only the first 2B mixed rows kept.
        MixPlan plan = MixPlan.of(0.6, new int[] {3, 2, 1, 0});
        double[][] mixed =
                plan.mixTargets(new double[][] {{1, 0}, {1, 0}, {0, 1}, {0, 1}}, 2, null);
        assertThat(mixed).hasNumberOfRows(2);
        assertThat(mixed[0]).containsExactly(new double[] {0.6, 0.4}, within(1e-15));
        assertThat(mixed[1]).containsExactly(new double[] {0.6, 0.4}, within(1e-15));
    }

    @Test
    void sameSeedGivesTheSamePlans() {
        MixUp a = new MixUp(4.0, 123L);
        MixUp b = new MixUp(4.0, 123L);
        MixUp c = new MixUp(4.0, 124L);
        boolean anyDifferent = false;
        for (int i = 0; i < 20; i++) {
            MixPlan pa = a.next(16);
            MixPlan pb = b.next(16);
            MixPlan pc = c.next(16);
            assertThat(pa.lambda()).isEqualTo(pb.lambda());
            assertThat(pa.permutation()).containsExactly(pb.permutation());
            anyDifferent |=
                    pa.lambda() != pc.lambda()
                            || !Arrays.equals(pa.permutation(), pc.permutation());
        }
        assertThat(anyDifferent).isTrue();
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new MixUp(0.0, 1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MixUp(Double.NaN, 1L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MixUp(4.0, 1L).next(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MixPlan.of(0.7, new int[] {0, 0}))
                .isInstanceOf(IllegalArgumentException.class);
        MixPlan plan = MixPlan.of(0.7, new int[] {1, 0});
        float[][] x = {{1f}, {2f}};
        assertThatThrownBy(() -> plan.mixInputs(x, 2, x))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plan.mixInputs(new float[][] {{1f}}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
