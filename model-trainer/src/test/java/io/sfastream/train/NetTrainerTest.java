package io.sfastream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.sfastream.nn.Architecture;
import io.sfastream.nn.ModelSpec;
import io.sfastream.nn.SfaModel;
import io.sfastream.nn.SfaNet;
import io.sfastream.sfa.loss.BalancedSoftmax;
import io.sfastream.sfa.loss.CoGuess;
import io.sfastream.sfa.loss.LabelRefinement;
import io.sfastream.sfa.loss.MixPlan;
import io.sfastream.sfa.loss.SemiSupervisedLoss;
import io.sfastream.sfa.loss.Softmax;
import io.sfastream.sfa.loss.SslLossTerms;
import io.sfastream.sfa.loss.WarmUpLoss;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * One training step of each kind on a tiny network, against the same step recomputed independently:
 * a copy of the network (same parameters) runs the same forward passes, the pure-Java loss code
 * computes targets, MixUp and terms.
 */
class NetTrainerTest {
    private static final int CLASSES = 3;
    private static final ModelSpec SPEC =
            new ModelSpec(
                    Architecture.SMALL_CNN,
                    8,
                    8,
                    1,
                    CLASSES,
                    1,
                    new float[] {0.5f},
                    new float[] {0.25f});
    private static final double TOL = 2e-5;

    private static float[][] rows(Random r, int n) {
        float[][] x = new float[n][SPEC.pixelsPerImage()];
        for (float[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return x;
    }

    /** Logits {z1, z2} of a forward pass without gradient. */
    private static double[][][] forward(SfaModel model, float[][] x, boolean training) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager sub = model.djlModel().getNDManager().newSubManager()) {
            float[] flat = new float[x.length * SPEC.pixelsPerImage()];
            for (int i = 0; i < x.length; i++) {
                System.arraycopy(x[i], 0, flat, i * SPEC.pixelsPerImage(), SPEC.pixelsPerImage());
            }
            NDList out =
                    model.net()
                            .forward(
                                    new ParameterStore(sub, false),
                                    new NDList(
                                            sub.create(flat, SfaModel.inputShape(SPEC, x.length))),
                                    training);
            return new double[][][] {
                rows(out.get(SfaNet.LOGITS).toFloatArray(), x.length),
                rows(out.get(SfaNet.BALANCED_LOGITS).toFloatArray(), x.length)
            };
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    private static double[][] rows(float[] flat, int n) {
        int w = flat.length / n;
        double[][] out = new double[n][w];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < w; k++) {
                out[i][k] = flat[i * w + k];
            }
        }
        return out;
    }

    private static float[] parameter(SfaModel model, String suffix) {
        for (Pair<String, Parameter> p : model.net().getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError("no parameter " + suffix);
    }

    private static SfaModel copy(SfaModel m) {
        return SfaModel.fromParameters(SPEC, m.parameterBytes(), 0, Device.cpu());
    }

    @Test
    void warmUpStepGivesTheReferenceTermsAndOneSgdUpdate() {
        Random r = new Random(5);
        float[][] x = rows(r, 6);
        int[] y = {0, 2, 1, 0, 0, 2};
        BalancedSoftmax counts = BalancedSoftmax.fromCounts(new int[] {50, 5, 1});
        double lr = 0.1;
        double wd = 5e-4;
        try (SfaModel model = SfaModel.create(SPEC, Device.cpu());
                SfaModel twin = copy(model);
                NetTrainer trainer = new NetTrainer(model, new SgdOptions(lr, 0.9, wd))) {
            double[][][] z = forward(twin, x, true);
            WarmUpLoss.Terms expected = WarmUpLoss.compute(z[0], z[1], y, counts);
            float[] b1 = parameter(model, "head_bias");
            float[] b2 = parameter(model, "balancedHead_bias");

            WarmUpLoss.Terms terms = trainer.warmUpStep(x, y, counts);

            assertThat(terms.crossEntropy()).isCloseTo(expected.crossEntropy(), within(TOL));
            assertThat(terms.balancedCrossEntropy())
                    .isCloseTo(expected.balancedCrossEntropy(), within(TOL));
            // d loss / d bias = mean_i (softmax(z_i + shift) - onehot(y_i)); first SGD step: b - lr
            // (g + wd b)
            double[] logN = counts.logPrior();
            float[] b1After = parameter(model, "head_bias");
            float[] b2After = parameter(model, "balancedHead_bias");
            for (int k = 0; k < CLASSES; k++) {
                double g1 = 0;
                double g2 = 0;
                for (int i = 0; i < y.length; i++) {
                    g1 +=
                            (Softmax.softmax(z[0][i], null, null)[k] - (y[i] == k ? 1 : 0))
                                    / y.length;
                    g2 +=
                            (Softmax.softmax(z[1][i], logN, null)[k] - (y[i] == k ? 1 : 0))
                                    / y.length;
                }
                assertThat((double) b1After[k])
                        .isCloseTo(b1[k] - lr * (g1 + wd * b1[k]), within(1e-6));
                assertThat((double) b2After[k])
                        .isCloseTo(b2[k] - lr * (g2 + wd * b2[k]), within(1e-6));
            }
            assertThat(trainer.steps()).isEqualTo(1);
        }
    }

    /**
     * The penalty weight enters the gradient as w·penalty: from the same parameters and batch
     * (fresh momentum, so one update is −lr·(∇ + wd·θ)), the update at w = 0.5 is the mean of those
     * at 0 and 1, and w = 0 differs from the reference's w = 1. The logged penalty is the
     * unweighted term in every case.
     */
    @Test
    void penaltyWeightScalesThePenaltyGradient() {
        Random r = new Random(11);
        SslBatch batch =
                new SslBatch(
                        rows(r, 3),
                        rows(r, 3),
                        new int[] {2, 0, 1},
                        new double[] {0.9, 0.25, 0.6},
                        rows(r, 2),
                        rows(r, 2));
        MixPlan plan = MixPlan.of(0.8, new int[] {1, 8, 5, 2, 9, 6, 3, 0, 7, 4});
        BalancedSoftmax nHat = BalancedSoftmax.fromCounts(new int[] {7, 0, 2});
        double[] weights = {0.0, 0.5, 1.0};
        float[][][] after = new float[weights.length][][];
        SslLossTerms[] terms = new SslLossTerms[weights.length];
        try (SfaModel init = SfaModel.create(SPEC, Device.cpu())) {
            for (int k = 0; k < weights.length; k++) {
                try (SfaModel net = copy(init);
                        NetTrainer trainer = new NetTrainer(net, SgdOptions.cifar())) {
                    terms[k] = trainer.sslStep(batch, null, nHat, 1.5, weights[k], 0.5, plan);
                    after[k] = trainable(net);
                }
            }
        }
        assertThat(terms[0].penalty()).isPositive().isCloseTo(terms[2].penalty(), within(TOL));
        assertThat(terms[0].total())
                .isCloseTo(
                        terms[0].lx() + terms[0].lbx() + 1.5 * (terms[0].lu() + terms[0].lbu()),
                        within(TOL));
        assertThat(terms[2].total() - terms[0].total()).isCloseTo(terms[2].penalty(), within(TOL));
        double differs = 0;
        for (int p = 0; p < after[0].length; p++) {
            for (int j = 0; j < after[0][p].length; j++) {
                float at0 = after[0][p][j];
                float at1 = after[2][p][j];
                differs = Math.max(differs, Math.abs(at1 - at0));
                assertThat((double) after[1][p][j])
                        .as("parameter %d[%d]", p, j)
                        .isCloseTo((at0 + at1) / 2.0, within(1e-6));
            }
        }
        assertThat(differs)
                .as("largest change the penalty makes to one update")
                .isGreaterThan(1e-5);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> {
                            try (SfaModel net = SfaModel.create(SPEC, Device.cpu());
                                    NetTrainer trainer = new NetTrainer(net, SgdOptions.cifar())) {
                                trainer.sslStep(batch, null, nHat, 1.5, -0.1, 0.5, plan);
                            }
                        })
                .hasMessageContaining("penaltyWeight must be finite and >= 0, was -0.1");
    }

    /** The trainable parameters (not the BatchNorm running statistics), in order. */
    private static float[][] trainable(SfaModel model) {
        return model.net().getParameters().stream()
                .filter(p -> p.getValue().requiresGradient())
                .map(p -> p.getValue().getArray().toFloatArray())
                .toArray(float[][]::new);
    }

    @Test
    void sslStepGivesTheTermsOfTheReferenceStepForAFixedMixPlan() {
        for (String variant : new String[] {"co-guess", "self-guess", "no-unlabelled"}) {
            checkSslStep(variant);
        }
    }

    private static void checkSslStep(String variant) {
        Random r = new Random(variant.hashCode());
        int b = 3;
        int u = variant.equals("no-unlabelled") ? 0 : 2;
        float[][] x1 = rows(r, b);
        float[][] x2 = rows(r, b);
        float[][] u1 = rows(r, u);
        float[][] u2 = rows(r, u);
        int[] labels = {2, 0, 1};
        double[] weights = {0.9, 0.25, 0.6};
        SslBatch batch = new SslBatch(x1, x2, labels, weights, u1, u2);
        int rows = batch.rows();
        int[] perm = new int[rows];
        for (int i = 0; i < rows; i++) {
            perm[i] = (i * 7 + 1) % rows; // a fixed permutation (rows is 10 or 6, coprime with 7)
        }
        MixPlan plan = MixPlan.of(0.8, perm);
        BalancedSoftmax nHat = BalancedSoftmax.fromCounts(new int[] {7, 0, 2});
        double lambdaU = 25.0 / 16;
        double t = 0.5;
        ModelSpec otherSpec =
                new ModelSpec(Architecture.SMALL_CNN, 8, 8, 1, CLASSES, 2, SPEC.mean(), SPEC.std());
        try (SfaModel netA = SfaModel.create(SPEC, Device.cpu());
                SfaModel twin = copy(netA);
                SfaModel other = SfaModel.create(otherSpec, Device.cpu());
                SfaModel netB =
                        SfaModel.fromParameters(SPEC, other.parameterBytes(), 0, Device.cpu());
                NetTrainer trainer = new NetTrainer(netA, SgdOptions.cifar())) {
            boolean coGuess = variant.equals("co-guess");
            double[][] targetsU = null;
            if (u > 0) {
                double[][] zu11 = forward(twin, u1, true)[0];
                double[][] zu12 = forward(twin, u2, true)[0];
                double[][] zu21 = coGuess ? forward(netB, u1, false)[0] : zu11;
                double[][] zu22 = coGuess ? forward(netB, u2, false)[0] : zu12;
                targetsU = CoGuess.targets(zu11, zu12, zu21, zu22, t);
            }
            double[][] targetsX =
                    LabelRefinement.targets(
                            forward(twin, x1, true)[0],
                            forward(twin, x2, true)[0],
                            labels,
                            weights,
                            t);
            double[][] all = new double[rows][];
            for (int i = 0; i < rows; i++) {
                all[i] = i < 2 * b ? targetsX[i % b] : targetsU[(i - 2 * b) % u];
            }
            float[][] inputs = new float[rows][];
            for (int i = 0; i < rows; i++) {
                inputs[i] = batch.row(i);
            }
            double[][][] z = forward(twin, plan.mixInputs(inputs), true);
            SslLossTerms expected =
                    SemiSupervisedLoss.compute(z[0], z[1], plan.mixTargets(all), b, nHat, lambdaU);
            byte[] netBBefore = netB.parameterBytes();
            float[] meanBefore = parameter(netA, "runningMean");

            SslLossTerms terms =
                    trainer.sslStep(batch, coGuess ? netB : null, nHat, lambdaU, t, plan);

            System.out.println(variant + ": expected " + expected + "\n          got " + terms);
            assertThat(terms.lx()).as(variant + " Lx").isCloseTo(expected.lx(), within(TOL));
            assertThat(terms.lu()).as(variant + " Lu").isCloseTo(expected.lu(), within(TOL));
            assertThat(terms.lbx()).as(variant + " Lbx").isCloseTo(expected.lbx(), within(TOL));
            assertThat(terms.lbu()).as(variant + " Lbu").isCloseTo(expected.lbu(), within(TOL));
            assertThat(terms.penalty())
                    .as(variant + " penalty")
                    .isCloseTo(expected.penalty(), within(TOL));
            assertThat(terms.total()).isCloseTo(expected.total(), within(10 * TOL));
            if (u == 0) {
                assertThat(terms.lu()).isZero();
                assertThat(terms.lbu()).isZero();
            } else {
                assertThat(terms.lu()).isPositive();
            }
            // net b is only read; net a's weights and BatchNorm running statistics (train-mode
            // passes) moved
            assertThat(netB.parameterBytes()).isEqualTo(netBBefore);
            assertThat(netA.parameterBytes()).isNotEqualTo(twin.parameterBytes());
            assertThat(parameter(netA, "runningMean")).isNotEqualTo(meanBefore);
        }
    }

    @Test
    void rejectsMismatchedPlansAndCounts() {
        Random r = new Random(1);
        try (SfaModel model = SfaModel.create(SPEC, Device.cpu());
                NetTrainer trainer = new NetTrainer(model, SgdOptions.cifar())) {
            SslBatch batch =
                    new SslBatch(
                            rows(r, 2),
                            rows(r, 2),
                            new int[] {0, 1},
                            new double[] {1, 1},
                            rows(r, 1),
                            rows(r, 1));
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () ->
                                    trainer.sslStep(
                                            batch,
                                            null,
                                            BalancedSoftmax.fromCounts(new int[] {1, 1, 1}),
                                            1,
                                            0.5,
                                            MixPlan.of(0.6, new int[] {0, 1})))
                    .hasMessageContaining("mix plan is for 2 rows, the batch has 6");
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () ->
                                    trainer.warmUpStep(
                                            rows(r, 2),
                                            new int[] {0, 1},
                                            BalancedSoftmax.fromCounts(new int[] {1, 1})))
                    .hasMessageContaining("counts have 2 classes, the model 3");
        }
    }
}
