package io.sfastream.data.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabelNoiseTest {
    /** Chi-square critical values at p = 0.001. */
    private static final double CHI2_DF8_P001 = 26.124;

    private static final double CHI2_DF9_P001 = 27.877;

    private static final int[] CIFAR10_LT = LongTailProfile.exponential(5000, 0.01, 10);

    /** Class-ordered true labels of the CIFAR-10 ρ = 0.01 long-tailed set (N = 12406). */
    private static int[] longTailedLabels(int[] counts) {
        int[] labels = new int[LongTailProfile.total(counts)];
        int at = 0;
        for (int k = 0; k < counts.length; k++) {
            for (int j = 0; j < counts[k]; j++) {
                labels[at++] = k;
            }
        }
        return labels;
    }

    private static void assertConsistent(int[] truth, NoisyLabels noisy, int expectedFlips) {
        assertThat(noisy.flips()).isEqualTo(expectedFlips);
        int changed = 0;
        for (int i = 0; i < truth.length; i++) {
            assertThat(noisy.flipped()[i]).isEqualTo(noisy.labels()[i] != truth[i]);
            changed += noisy.labels()[i] != truth[i] ? 1 : 0;
        }
        assertThat(changed).isEqualTo(expectedFlips);
    }

    @Test
    void imbFlipsExactlyIntRNNeverToTheTrueClassAndProportionallyToClassSize() {
        int[] truth = longTailedLabels(CIFAR10_LT);
        NoisyLabels noisy = LabelNoise.inject(truth, 10, 0.5, NoiseMode.IMB, 123);
        assertConsistent(truth, noisy, 6203);

        double[] expected = new double[10];
        long[] observed = new long[10];
        int[] flippedPerClass = new int[10];
        for (int i = 0; i < truth.length; i++) {
            if (noisy.flipped()[i]) {
                int y = truth[i];
                flippedPerClass[y]++;
                observed[noisy.labels()[i]]++;
                double others = 12406 - CIFAR10_LT[y];
                for (int j = 0; j < 10; j++) {
                    expected[j] += j == y ? 0 : CIFAR10_LT[j] / others;
                }
            }
        }
        assertThat(chiSquare(observed, expected)).isLessThan(CHI2_DF9_P001);
        // The head class receives the most flips, the tail the fewest; flipped samples are uniform
        // over the set.
        for (int j = 1; j < 10; j++) {
            assertThat(observed[0]).isGreaterThan(observed[j]);
            assertThat(observed[9]).isLessThanOrEqualTo(observed[j]);
        }
        assertThat(flippedPerClass[0] / 5000.0).isBetween(0.47, 0.53);
        assertThat(flippedPerClass[1] / 2997.0).isBetween(0.46, 0.54);
    }

    @Test
    void imbNeverPicksAnEmptyClass() {
        int[] truth = longTailedLabels(new int[] {300, 0, 200, 100});
        NoisyLabels noisy = LabelNoise.inject(truth, 4, 1.0, NoiseMode.IMB, 1);
        assertConsistent(truth, noisy, 600);
        for (int label : noisy.labels()) {
            assertThat(label).isNotEqualTo(1);
        }
        assertThatThrownBy(() -> LabelNoise.inject(new int[] {2, 2, 2}, 3, 0.5, NoiseMode.IMB, 1))
                .hasMessageContaining("only class present");
    }

    @Test
    void symIsUniformOverTheOtherClasses() {
        int[] truth = longTailedLabels(CIFAR10_LT);
        NoisyLabels noisy = LabelNoise.inject(truth, 10, 0.5, NoiseMode.SYM, 123);
        assertConsistent(truth, noisy, 6203);

        long[] offsets = new long[9];
        for (int i = 0; i < truth.length; i++) {
            if (noisy.flipped()[i]) {
                offsets[Math.floorMod(noisy.labels()[i] - truth[i], 10) - 1]++;
            }
        }
        double[] expected = new double[9];
        java.util.Arrays.fill(expected, 6203 / 9.0);
        assertThat(chiSquare(offsets, expected)).isLessThan(CHI2_DF8_P001);
    }

    @Test
    void asymFollowsTheCifar10MappingAndFlipsExactlyIntRN() {
        int[] truth = longTailedLabels(LongTailProfile.exponential(5000, 0.1, 10));
        int n = truth.length;
        int[] map = {0, 1, 0, 5, 7, 3, 6, 7, 8, 1};
        NoisyLabels noisy = LabelNoise.inject(truth, 10, 0.4, NoiseMode.ASYM, 9);
        assertConsistent(truth, noisy, (int) (0.4 * n));
        for (int i = 0; i < n; i++) {
            if (noisy.flipped()[i]) {
                assertThat(noisy.labels()[i]).isEqualTo(map[truth[i]]);
            }
        }
        // Flippable: bird, cat, deer, dog, truck = 2997 + 2320 + 1796 + 1391 + 500 = 9004 of 20431.
        assertThatThrownBy(() -> LabelNoise.inject(truth, 10, 0.45, NoiseMode.ASYM, 9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flip only the 9004 samples")
                .hasMessageContaining("asks for 9193 flips");
        assertThatThrownBy(() -> LabelNoise.inject(new int[] {0, 1}, 100, 0.5, NoiseMode.ASYM, 9))
                .hasMessageContaining("needs 10 classes");
    }

    @Test
    void sameSeedSameLabelsOtherSeedOtherLabels() {
        int[] truth = longTailedLabels(CIFAR10_LT);
        for (NoiseMode mode : NoiseMode.values()) {
            NoisyLabels a = LabelNoise.inject(truth, 10, 0.3, mode, 42);
            NoisyLabels b = LabelNoise.inject(truth, 10, 0.3, mode, 42);
            NoisyLabels c = LabelNoise.inject(truth, 10, 0.3, mode, 43);
            assertThat(a.labels()).isEqualTo(b.labels());
            assertThat(a.flipped()).isEqualTo(b.flipped());
            assertThat(a.labels()).isNotEqualTo(c.labels());
        }
    }

    @Test
    void pinnedOutputGuardsCrossJvmAndCrossVersionStability() {
        // If this changes, every seeded split made so far changes: treat it as a breaking change.
        int[] truth = longTailedLabels(new int[] {5, 4, 3});
        NoisyLabels noisy = LabelNoise.inject(truth, 3, 0.5, NoiseMode.SYM, 2024);
        assertThat(noisy.labels()).containsExactly(PINNED_SYM);
    }

    private static final int[] PINNED_SYM = {0, 0, 0, 1, 2, 1, 2, 0, 1, 0, 0, 2};

    @Test
    void zeroRatioAndInvalidArguments() {
        int[] truth = {0, 1, 2, 1};
        NoisyLabels none = LabelNoise.inject(truth, 3, 0.0, NoiseMode.SYM, 1);
        assertConsistent(truth, none, 0);
        assertThat(none.labels()).isEqualTo(truth).isNotSameAs(truth);
        assertThatThrownBy(() -> LabelNoise.inject(truth, 3, 1.5, NoiseMode.SYM, 1))
                .hasMessageContaining("noise ratio must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> LabelNoise.inject(truth, 2, 0.5, NoiseMode.SYM, 1))
                .hasMessageContaining("true label 2 of sample 2 is outside [0, 2)");
    }

    private static double chiSquare(long[] observed, double[] expected) {
        double chi2 = 0;
        for (int j = 0; j < observed.length; j++) {
            if (expected[j] > 0) {
                double d = observed[j] - expected[j];
                chi2 += d * d / expected[j];
            } else {
                assertThat(observed[j]).isZero();
            }
        }
        return chi2;
    }
}
