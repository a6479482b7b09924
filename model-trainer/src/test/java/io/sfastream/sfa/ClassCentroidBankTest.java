package io.sfastream.sfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Moment algebra (§6.3 of shared/notes/sfa-algorithm.md), the sampled flag and the ε draws. */
class ClassCentroidBankTest {
    private static final double[] C1 = {0.5, -0.3, 0.0, 0.2};
    private static final double[] C2 = {0.4, -0.1, 0.1, -0.2};
    private static final double[] C3 = {-0.2, 0.3, 0.6, 0.1};

    private static SfaParams params(MomentMode mode, double beta) {
        return SfaParams.builder(3).momentMode(mode).beta(beta).build();
    }

    @Test
    void referenceFaithfulAtTheFirstSelectionEpochIsTheInstantCentroidWithTinySigma() {
        CentroidMoments m = new CentroidMoments();
        ClassCentroidBank.updateMoments(m, C1, 31, params(MomentMode.REFERENCE_FAITHFUL, 0.99));
        assertThat(m.mean).containsExactly(C1);
        assertThat(CentroidGaussian.sigma(m.mean, m.secondMoment)).containsOnly(1e-15);
    }

    @Test
    void referenceFaithfulLaterEpochsScaleTheInstantCentroidAndForgetThePast() {
        SfaParams p = params(MomentMode.REFERENCE_FAITHFUL, 0.99);
        CentroidMoments m = new CentroidMoments();
        ClassCentroidBank.updateMoments(m, C1, 31, p);
        for (int epoch = 32; epoch <= 34; epoch++) {
            double[] c = epoch == 33 ? C2 : C3;
            ClassCentroidBank.updateMoments(m, c, epoch, p);
            double[] sigma = CentroidGaussian.sigma(m.mean, m.secondMoment);
            for (int j = 0; j < c.length; j++) {
                assertThat(m.mean[j])
                        .as("mu at epoch %d", epoch)
                        .isCloseTo(0.01 * c[j], within(1e-15));
                // sqrt(beta (1 - beta)) |c| = 0.0995 |c|; 1e-15 where c = 0 (the clip)
                double expected = c[j] == 0 ? 1e-15 : Math.sqrt(0.99 * 0.01) * Math.abs(c[j]);
                assertThat(sigma[j])
                        .as("sigma at epoch %d", epoch)
                        .isCloseTo(expected, within(1e-12));
                assertThat(Math.sqrt(0.99 * 0.01)).isCloseTo(0.0995, within(1e-4));
            }
        }
    }

    @Test
    void referenceFaithfulWithWebVisionBeta() {
        SfaParams p = params(MomentMode.REFERENCE_FAITHFUL, 0.9);
        CentroidMoments m = new CentroidMoments();
        ClassCentroidBank.updateMoments(m, C2, 33, p);
        double[] sigma = CentroidGaussian.sigma(m.mean, m.secondMoment);
        for (int j = 0; j < C2.length; j++) {
            assertThat(m.mean[j]).isCloseTo(0.1 * C2[j], within(1e-15));
            assertThat(sigma[j]).isCloseTo(0.3 * Math.abs(C2[j]), within(1e-12));
        }
    }

    @Test
    void intendedEmaPersistsAcrossThreeEpochs() {
        SfaParams p = params(MomentMode.INTENDED_EMA, 0.99);
        CentroidMoments m = new CentroidMoments();
        ClassCentroidBank.updateMoments(m, C1, 31, p);
        ClassCentroidBank.updateMoments(m, C2, 32, p);
        ClassCentroidBank.updateMoments(m, C3, 33, p);
        // by hand, dimension 0: c = 0.5, 0.4, -0.2
        // mu: 0.5 -> 0.99*0.5 + 0.01*0.4 = 0.499 -> 0.99*0.499 + 0.01*(-0.2) = 0.49201
        // s:  0.25 -> 0.99*0.25 + 0.01*0.16 = 0.2491 -> 0.99*0.2491 + 0.01*0.04 = 0.247009
        // sigma = sqrt(0.247009 - 0.49201^2) = sqrt(0.247009 - 0.2420738401) = sqrt(0.0049351599)
        assertThat(m.mean[0]).isCloseTo(0.49201, within(1e-12));
        assertThat(m.secondMoment[0]).isCloseTo(0.247009, within(1e-12));
        assertThat(CentroidGaussian.sigma(m.mean, m.secondMoment)[0])
                .isCloseTo(0.07025069323, within(1e-9));
        // dimension 2: c = 0, 0.1, 0.6 -> mu 0 -> 0.001 -> 0.00699; s 0 -> 0.0001 -> 0.003699
        assertThat(m.mean[2]).isCloseTo(0.00699, within(1e-12));
        assertThat(m.secondMoment[2]).isCloseTo(0.003699, within(1e-12));
        assertThat(CentroidGaussian.sigma(m.mean, m.secondMoment)[2])
                .isCloseTo(Math.sqrt(0.003699 - 0.00699 * 0.00699), within(1e-12));
        assertThat(m.updates).isEqualTo(3);
        assertThat(m.updatedAtEpoch).isEqualTo(33);
    }

    @Test
    void intendedEmaStartsAtAClassesFirstCentroidWhateverTheEpoch() {
        CentroidMoments m = new CentroidMoments();
        ClassCentroidBank.updateMoments(m, C2, 40, params(MomentMode.INTENDED_EMA, 0.99));
        assertThat(m.mean).containsExactly(C2);
    }

    @Test
    void aClassWithoutConfidentSamplesKeepsItsMeanAndIsNotSampled() {
        SfaParams p = SfaParams.builder(3).minSampledCount(0).build();
        CentroidMoments m = new CentroidMoments();
        ClassCentroidBank.rollClass(m, C1, 5, 31, p, CentroidNoise.seeded(1), 0, 0);
        ClassCentroidBank.CentroidDraw d =
                ClassCentroidBank.rollClass(m, null, 0, 32, p, CentroidNoise.seeded(1), 0, 0);
        assertThat(m.mean).containsExactly(C1);
        assertThat(d.sampled()).isFalse();
        assertThat(d.scoringCentroid()).containsExactly(C1);
        // never a centroid: nothing to score against
        assertThat(
                        ClassCentroidBank.rollClass(
                                        new CentroidMoments(),
                                        null,
                                        0,
                                        31,
                                        p,
                                        CentroidNoise.seeded(1),
                                        0,
                                        1)
                                .hasCentroid())
                .isFalse();
    }

    @Test
    void onlyClassesAboveMinSampledCountAreDrawn() {
        SfaParams p = SfaParams.builder(3).momentMode(MomentMode.REFERENCE_FAITHFUL).build();
        CentroidNoise noise = CentroidNoise.seeded(7);
        CentroidMoments m = new CentroidMoments();
        ClassCentroidBank.CentroidDraw at300 =
                ClassCentroidBank.rollClass(m, C1, 300, 32, p, noise, 0, 0);
        assertThat(at300.sampled()).isFalse();
        assertThat(at300.scoringCentroid()).containsExactly(m.mean);
        ClassCentroidBank.CentroidDraw at301 =
                ClassCentroidBank.rollClass(m, C1, 301, 32, p, noise, 0, 0);
        assertThat(at301.sampled()).isTrue();
        double[] eps = new double[4];
        noise.fill(0, 0, 32, 0, eps);
        double[] sigma = CentroidGaussian.sigma(m.mean, m.secondMoment);
        for (int j = 0; j < 4; j++) {
            assertThat(at301.scoringCentroid()[j]).isEqualTo(m.mean[j] + sigma[j] * eps[j]);
        }
    }

    @Test
    void severalDrawsScoreAgainstTheirMean() {
        SfaParams p =
                SfaParams.builder(3)
                        .momentMode(MomentMode.REFERENCE_FAITHFUL)
                        .sampleRate(3)
                        .build();
        CentroidNoise noise = CentroidNoise.seeded(7);
        CentroidMoments m = new CentroidMoments();
        ClassCentroidBank.CentroidDraw d =
                ClassCentroidBank.rollClass(m, C3, 1000, 35, p, noise, 1, 2);
        double[] sigma = CentroidGaussian.sigma(m.mean, m.secondMoment);
        double[] expected = new double[4];
        for (int r = 0; r < 3; r++) {
            double[] eps = new double[4];
            noise.fill(1, 2, 35, r, eps);
            double[] c = CentroidGaussian.draw(m.mean, sigma, eps);
            for (int j = 0; j < 4; j++) {
                expected[j] += c[j] / 3;
            }
        }
        for (int j = 0; j < 4; j++) {
            assertThat(d.scoringCentroid()[j]).isCloseTo(expected[j], within(1e-15));
        }
    }

    @Test
    void seededEpsilonDependsOnlyOnItsTuple() {
        CentroidNoise a = CentroidNoise.seeded(123);
        CentroidNoise b = CentroidNoise.seeded(123);
        double[] x = new double[64];
        double[] y = new double[64];
        a.fill(0, 3, 40, 0, x);
        b.fill(1, 0, 31, 0, new double[64]); // other draws in between change nothing
        b.fill(0, 3, 40, 0, y);
        assertThat(y).containsExactly(x);
        double[][] others = new double[5][64];
        a.fill(1, 3, 40, 0, others[0]);
        a.fill(0, 4, 40, 0, others[1]);
        a.fill(0, 3, 41, 0, others[2]);
        a.fill(0, 3, 40, 1, others[3]);
        CentroidNoise.seeded(124).fill(0, 3, 40, 0, others[4]);
        for (double[] o : others) {
            assertThat(o).isNotEqualTo(x);
        }
        double mean = 0;
        double sq = 0;
        double[] big = new double[20000];
        a.fill(0, 0, 31, 0, big);
        for (double v : big) {
            mean += v / big.length;
            sq += v * v / big.length;
        }
        assertThat(mean).isCloseTo(0, within(0.03));
        assertThat(sq).isCloseTo(1, within(0.05));
    }

    @Test
    void guardsDimensionAndFiniteness() {
        SfaParams p = params(MomentMode.INTENDED_EMA, 0.99);
        CentroidMoments m = new CentroidMoments();
        ClassCentroidBank.updateMoments(m, C1, 31, p);
        assertThatThrownBy(() -> ClassCentroidBank.updateMoments(m, new double[] {1, 2}, 32, p))
                .hasMessageContaining("dimension 2")
                .hasMessageContaining("4");
        assertThatThrownBy(
                        () ->
                                ClassCentroidBank.updateMoments(
                                        m, new double[] {0, Double.NaN, 0, 0}, 32, p))
                .hasMessageContaining("dimension 1");
    }

    @Test
    void bankRollsEveryClassAndCopiesDeeply() {
        SfaParams p = params(MomentMode.INTENDED_EMA, 0.99);
        ClassCentroidBank bank = new ClassCentroidBank(3, 0);
        bank.roll(
                new double[][] {C1, null, C3},
                new long[] {5, 0, 7},
                31,
                p,
                CentroidNoise.seeded(1));
        assertThat(bank.scoringCentroids[0]).containsExactly(C1);
        assertThat(bank.scoringCentroids[1]).isNull();
        ClassCentroidBank copy = bank.copy();
        bank.roll(
                new double[][] {C2, C2, C2}, new long[] {5, 5, 5}, 32, p, CentroidNoise.seeded(1));
        assertThat(copy.classes[0].mean).containsExactly(C1);
        assertThat(copy.epoch).isEqualTo(31);
        assertThat(bank.classes[1].mean).containsExactly(C2);
    }
}
