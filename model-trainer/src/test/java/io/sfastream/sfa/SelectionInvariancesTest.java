package io.sfastream.sfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** §6.4 of shared/notes/sfa-algorithm.md. */
class SelectionInvariancesTest {

    private static float[][] unitRows(int n, int d, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) r.nextGaussian();
            }
            float[] u = Vectors.centreAndNormalise(row, null);
            System.arraycopy(u, 0, row, 0, d);
        }
        return x;
    }

    private static float[] normalisedScores(float[][] xhat, double[] centroid) {
        float[] raw = new float[xhat.length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) CentroidScore.of(xhat[i], centroid);
        }
        return GaussianMixture1D.minMaxNormalize(raw);
    }

    @Test
    void normalisedScoreIgnoresPositiveScalingOfTheCentroid() {
        float[][] x = unitRows(200, 16, 1);
        double[] c = new double[16];
        Random r = new Random(2);
        for (int j = 0; j < 16; j++) {
            c[j] = 0.3 * r.nextGaussian();
        }
        float[] base = normalisedScores(x, c);
        for (double a : new double[] {0.01, 0.1, 3.7}) {
            double[] scaled = c.clone();
            for (int j = 0; j < 16; j++) {
                scaled[j] *= a;
            }
            float[] got = normalisedScores(x, scaled);
            for (int i = 0; i < got.length; i++) {
                // float32 rounding of the raw score, relative to the range it is normalised by
                assertThat((double) got[i])
                        .as("scale %s, sample %d", a, i)
                        .isCloseTo(base[i], within(2e-5));
            }
        }
    }

    @Test
    void scoreIsTheReferenceNcmLogitPlusOne() {
        float[][] x = unitRows(20, 8, 3);
        double[] c = {0.1, -0.2, 0.3, 0, 0.05, 0.2, -0.1, 0.4};
        for (float[] xi : x) {
            double logit = -Vectors.squaredNorm(xi) - squaredNorm(c) + 2 * dot(xi, c);
            assertThat(CentroidScore.of(xi, c)).isCloseTo(logit + 1, within(1e-6));
        }
    }

    @Test
    void severalDrawsEqualOneDrawAtTheirMean() {
        // the reference sums −‖x̂ − c̃_r‖² over R draws; after the per-class min–max that is the
        // score at mean(c̃_r)
        float[][] x = unitRows(300, 12, 4);
        Random r = new Random(5);
        double[][] draws = new double[5][12];
        double[] mean = new double[12];
        for (double[] d : draws) {
            for (int j = 0; j < 12; j++) {
                d[j] = 0.2 + 0.1 * r.nextGaussian();
                mean[j] += d[j] / draws.length;
            }
        }
        float[] summed = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (double[] d : draws) {
                s += -Vectors.squaredNorm(x[i]) - squaredNorm(d) + 2 * dot(x[i], d);
            }
            summed[i] = (float) s;
        }
        float[] viaSum = GaussianMixture1D.minMaxNormalize(summed);
        float[] viaMean = normalisedScores(x, mean);
        for (int i = 0; i < x.length; i++) {
            assertThat((double) viaMean[i]).isCloseTo(viaSum[i], within(2e-5));
        }
    }

    @Test
    void ownClassScoringIgnoresOtherClassesCentroids() {
        // same features; only class 1's confidences change, which moves class 1's centroid but not
        // the mean m
        int n = 240;
        Random r = new Random(6);
        float[][] f = new float[n][10];
        int[] y = new int[n];
        double[] conf = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 10; j++) {
                f[i][j] = (float) ((j == y[i] ? 2 : 0) + r.nextGaussian());
            }
            conf[i] = r.nextDouble();
        }
        double[] conf2 = conf.clone();
        for (int i = 0; i < n; i++) {
            if (y[i] == 1) {
                conf2[i] = 1 - conf[i];
            }
        }
        SfaParams p = SfaParams.builder(3).tau(0.4).build();
        SfaBatchSelection.Result a = new SfaBatchSelection(p).select(f, y, conf, 31);
        SfaBatchSelection.Result b = new SfaBatchSelection(p).select(f, y, conf2, 31);
        assertThat(a.classes()[1].instantCentroid()).isNotEqualTo(b.classes()[1].instantCentroid());
        boolean class1Changed = false;
        for (int i = 0; i < n; i++) {
            if (y[i] != 1) {
                assertThat(b.score()[i]).isEqualTo(a.score()[i]);
                assertThat(b.cleanProbability()[i]).isEqualTo(a.cleanProbability()[i]);
            } else {
                class1Changed |= a.score()[i] != b.score()[i];
            }
        }
        assertThat(class1Changed).isTrue();
    }

    @Test
    void batchFaceWithSeveralDrawsUsesTheirMean() {
        int n = 400;
        Random r = new Random(8);
        float[][] f = new float[n][6];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 6; j++) {
                f[i][j] = (float) ((j == 0 ? 1.5 : 0) + r.nextGaussian());
            }
        }
        SfaParams p =
                SfaParams.builder(1)
                        .momentMode(MomentMode.REFERENCE_FAITHFUL)
                        .sampleRate(4)
                        .build();
        SfaBatchSelection sel = new SfaBatchSelection(p);
        SfaBatchSelection.Result res = sel.select(f, y, null, 32);
        assertThat(res.classes()[0].sampled()).isTrue();
        CentroidMoments m = sel.bank().classes[0];
        double[] sigma = CentroidGaussian.sigma(m.mean, m.secondMoment);
        double[] mean = new double[6];
        for (int t = 0; t < 4; t++) {
            double[] eps = new double[6];
            CentroidNoise.seeded(p.seed()).fill(0, 0, 32, t, eps);
            double[] c = CentroidGaussian.draw(m.mean, sigma, eps);
            for (int j = 0; j < 6; j++) {
                mean[j] += c[j] / 4;
            }
        }
        for (int j = 0; j < 6; j++) {
            assertThat(sel.bank().scoringCentroids[0][j]).isCloseTo(mean[j], within(1e-15));
        }
    }

    private static double dot(float[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    private static double squaredNorm(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return s;
    }
}
