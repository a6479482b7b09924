package io.sfastream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sfastream.nn.DjlRuntime;
import io.sfastream.sfa.loss.BalancedSoftmax;
import io.sfastream.sfa.loss.CoGuess;
import io.sfastream.sfa.loss.CrossEntropy;
import io.sfastream.sfa.loss.LabelRefinement;
import io.sfastream.sfa.loss.MixPlan;
import io.sfastream.sfa.loss.SemiSupervisedLoss;
import io.sfastream.sfa.loss.Sharpen;
import io.sfastream.sfa.loss.SslLossTerms;
import io.sfastream.sfa.loss.UniformPriorPenalty;
import io.sfastream.sfa.loss.UnlabelledMse;
import io.sfastream.sfa.loss.WarmUpLoss;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tensor losses against the pure-Java definitions in {@code io.sfastream.sfa.loss}, on the same
 * arrays.
 */
class NdLossesTest {
    private static final double TOL = 1e-5;
    private static NDManager manager;

    @BeforeAll
    static void start() {
        DjlRuntime.engine();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static double[][] randomLogits(Random r, int rows, int classes, double scale) {
        double[][] z = new double[rows][classes];
        for (double[] row : z) {
            for (int k = 0; k < classes; k++) {
                row[k] =
                        (float)
                                (r.nextGaussian()
                                        * scale); // float-representable, so both sides see the same
                // values
            }
        }
        return z;
    }

    static double[][] randomDistributions(Random r, int rows, int classes) {
        double[][] t = new double[rows][classes];
        for (double[] row : t) {
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                row[k] = r.nextDouble();
                sum += row[k];
            }
            for (int k = 0; k < classes; k++) {
                row[k] = (float) (row[k] / sum);
            }
        }
        return t;
    }

    static NDArray nd(double[][] a) {
        float[] flat = new float[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < a[0].length; k++) {
                flat[i * a[0].length + k] = (float) a[i][k];
            }
        }
        return manager.create(flat, new Shape(a.length, a[0].length));
    }

    static double scalar(NDArray a) {
        return a.getFloat();
    }

    static void assertClose(NDArray actual, double[][] expected) {
        float[] a = actual.toFloatArray();
        assertThat(a).hasSize(expected.length * expected[0].length);
        for (int i = 0; i < expected.length; i++) {
            for (int k = 0; k < expected[0].length; k++) {
                assertThat((double) a[i * expected[0].length + k])
                        .as("[%d][%d]", i, k)
                        .isCloseTo(expected[i][k], within(TOL));
            }
        }
    }

    @Test
    void crossEntropiesAndBalancedSoftmaxAgree() {
        Random r = new Random(1);
        BalancedSoftmax counts = BalancedSoftmax.fromCounts(new int[] {5000, 300, 7, 0});
        NDArray logN = NdLosses.logPrior(manager, counts, DataType.FLOAT32);
        for (int trial = 0; trial < 5; trial++) {
            double[][] z1 = randomLogits(r, 9, 4, 3);
            double[][] z2 = randomLogits(r, 9, 4, 3);
            double[][] t = randomDistributions(r, 9, 4);
            int[] y = new int[9];
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextInt(4);
            }
            NDArray labels = manager.create(y);
            assertThat(scalar(NdLosses.softCrossEntropy(nd(z1), null, nd(t))))
                    .isCloseTo(CrossEntropy.soft(z1, t), within(TOL));
            assertThat(scalar(NdLosses.softCrossEntropy(nd(z2), logN, nd(t))))
                    .isCloseTo(counts.softCrossEntropy(z2, t), within(TOL));
            WarmUpLoss.Terms warm = WarmUpLoss.compute(z1, z2, y, counts);
            assertThat(scalar(NdLosses.crossEntropy(nd(z1), null, labels)))
                    .isCloseTo(warm.crossEntropy(), within(TOL));
            assertThat(scalar(NdLosses.crossEntropy(nd(z2), logN, labels)))
                    .isCloseTo(warm.balancedCrossEntropy(), within(TOL));
            assertThat(scalar(NdLosses.unlabelledMse(nd(z1), null, nd(t))))
                    .isCloseTo(UnlabelledMse.mean(z1, t), within(TOL));
            assertThat(scalar(NdLosses.unlabelledMse(nd(z2), logN, nd(t))))
                    .isCloseTo(counts.unlabelledMse(z2, t, 0, 9), within(TOL));
            assertThat(scalar(NdLosses.uniformPriorPenalty(nd(z1))))
                    .isCloseTo(UniformPriorPenalty.compute(z1), within(TOL));
        }
    }

    @Test
    void penaltyStaysFiniteAndAgreesForExtremeLogits() {
        double[][] z = {{400, -400, 0}, {380, -390, 10}, {350, -420, 5}};
        double expected = UniformPriorPenalty.compute(z);
        assertThat(expected).isFinite();
        assertThat(scalar(NdLosses.uniformPriorPenalty(nd(z))))
                .isCloseTo(expected, within(1e-5 * expected));
    }

    @Test
    void sharpeningLabelRefinementAndCoGuessingAgree() {
        Random r = new Random(2);
        double[][] p = randomDistributions(r, 6, 5);
        double[][] sharpened = new double[6][];
        for (int i = 0; i < 6; i++) {
            sharpened[i] = Sharpen.apply(p[i], 0.5, null);
        }
        assertClose(NdLosses.sharpen(nd(p), 0.5), sharpened);

        double[][] a1 = randomLogits(r, 6, 5, 2);
        double[][] a2 = randomLogits(r, 6, 5, 2);
        double[][] b1 = randomLogits(r, 6, 5, 2);
        double[][] b2 = randomLogits(r, 6, 5, 2);
        int[] y = {0, 4, 2, 2, 1, 3};
        double[] w = {1.0, 0.0, 0.5, 0.25, 0.875, 0.125};
        float[] wf = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            wf[i] = (float) w[i];
        }
        assertClose(
                NdLosses.refineLabels(
                        nd(a1),
                        nd(a2),
                        manager.create(y),
                        manager.create(wf, new Shape(6, 1)),
                        0.5),
                LabelRefinement.targets(a1, a2, y, w, 0.5));
        assertClose(
                NdLosses.coGuess(nd(a1), nd(a2), nd(b1), nd(b2), 0.5),
                CoGuess.targets(a1, a2, b1, b2, 0.5));
    }

    @Test
    void mixedTargetsAndTheWholeSslLossAgree() {
        Random r = new Random(3);
        int b = 3;
        int u = 2;
        int rows = 2 * (b + u);
        double[][] z1 = randomLogits(r, rows, 4, 2);
        double[][] z2 = randomLogits(r, rows, 4, 2);
        double[][] targets = randomDistributions(r, rows, 4);
        MixPlan plan = MixPlan.of(0.7, new int[] {9, 3, 0, 1, 8, 2, 7, 5, 6, 4});
        double[][] mixed = plan.mixTargets(targets);

        // the gather NetTrainer uses: rows picked by an int64 index array
        NDArray t = nd(targets);
        long[] perm = new long[rows];
        for (int i = 0; i < rows; i++) {
            perm[i] = plan.partner(i);
        }
        NDArray mixedNd = t.mul(0.7f).add(t.get(manager.create(perm)).mul(0.3f));
        assertClose(mixedNd, mixed);

        BalancedSoftmax nHat = BalancedSoftmax.fromCounts(new int[] {40, 9, 0, 3});
        NDArray logN = NdLosses.logPrior(manager, nHat, DataType.FLOAT32);
        SslLossTerms expected = SemiSupervisedLoss.compute(z1, z2, mixed, b, nHat, 25.0 / 16);
        NDArray tz1 = nd(z1);
        NDArray tz2 = nd(z2);
        NDArray tx = NdLosses.rows(mixedNd, 0, 2 * b);
        NDArray tu = NdLosses.rows(mixedNd, 2 * b, rows);
        assertThat(scalar(NdLosses.softCrossEntropy(NdLosses.rows(tz1, 0, 2 * b), null, tx)))
                .isCloseTo(expected.lx(), within(TOL));
        assertThat(scalar(NdLosses.unlabelledMse(NdLosses.rows(tz1, 2 * b, rows), null, tu)))
                .isCloseTo(expected.lu(), within(TOL));
        assertThat(scalar(NdLosses.softCrossEntropy(NdLosses.rows(tz2, 0, 2 * b), logN, tx)))
                .isCloseTo(expected.lbx(), within(TOL));
        assertThat(scalar(NdLosses.unlabelledMse(NdLosses.rows(tz2, 2 * b, rows), logN, tu)))
                .isCloseTo(expected.lbu(), within(TOL));
        assertThat(scalar(NdLosses.uniformPriorPenalty(tz1)))
                .isCloseTo(expected.penalty(), within(TOL));
    }
}
