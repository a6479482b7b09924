package io.sfastream.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.sfastream.nn.DirectInput;
import io.sfastream.nn.ModelSpec;
import io.sfastream.nn.SfaModel;
import io.sfastream.nn.SfaNet;
import io.sfastream.sfa.loss.BalancedSoftmax;
import io.sfastream.sfa.loss.MixPlan;
import io.sfastream.sfa.loss.MixUp;
import io.sfastream.sfa.loss.SslLossTerms;
import io.sfastream.sfa.loss.WarmUpLoss;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training steps of the reference ({@code warmup()} and {@code train()} in {@code
 * Train_cifar.py}) for one network, on DJL's training API: a {@link Trainer} with PyTorch's SGD
 * ({@link MomentumSgd}, {@link SgdOptions}; the learning rate is set per epoch), a {@link
 * GradientCollector} per step, and every input batch in one reused direct buffer ({@link
 * DirectInput}). Each step returns its loss terms as numbers for logging.
 *
 * <p>Co-training: the trainer of net a takes net b as a plain {@link SfaModel} for co-guessing
 * (eval mode, no gradient); with one network pass {@code null} (self-guessing). Not thread-safe:
 * one per thread. DJL's PyTorch engine allows only <em>one</em> gradient collector per JVM at a
 * time (a static flag in {@code PtGradientCollector}), so the gradient part of every step holds a
 * JVM-wide lock and trainers of different networks in different threads take turns there.
 */
public final class NetTrainer implements AutoCloseable {
    private static final Object GRADIENT_LOCK = new Object();

    private final SfaModel model;
    private final Trainer trainer;
    private final SettableRate rate;
    private final MomentumSgd optimizer;
    private final NDManager optimizerState;
    private final ModelSpec spec;
    private final int pixels;
    private final DirectInput input;
    private long steps;

    public NetTrainer(SfaModel model, SgdOptions options) {
        this.model = model;
        this.spec = model.spec();
        this.pixels = spec.pixelsPerImage();
        this.rate = new SettableRate((float) options.learningRate());
        this.optimizerState = model.djlModel().getNDManager().newSubManager();
        this.optimizer = new MomentumSgd(options, () -> rate.value, optimizerState);
        Device device = model.djlModel().getNDManager().getDevice();
        // The loss object is never used: the steps below build their own losses.
        this.trainer =
                model.djlModel()
                        .newTrainer(
                                new DefaultTrainingConfig(Loss.l2Loss())
                                        .optOptimizer(optimizer)
                                        .optDevices(new Device[] {device}));
        this.input = new DirectInput(64 * pixels);
    }

    /**
     * A trainer that continues from {@code snapshot}: {@code model} must have been built from it
     * ({@link TrainingSnapshot#restoreModel}); the momentum buffers, step count and learning rate
     * are restored, so the next steps are the ones the snapshotted trainer would have taken.
     */
    public static NetTrainer resume(SfaModel model, SgdOptions options, TrainingSnapshot snapshot) {
        if (!model.spec().equals(snapshot.spec())) {
            throw new IllegalArgumentException(
                    "model "
                            + model.spec()
                            + " was not built from this snapshot ("
                            + snapshot.spec()
                            + ")");
        }
        NetTrainer t = new NetTrainer(model, options);
        try {
            Map<String, String> ids = new HashMap<>();
            for (Pair<String, Parameter> p : model.net().getParameters()) {
                ids.put(p.getKey(), p.getValue().getId());
            }
            Map<String, MomentumSgd.State> byId = new LinkedHashMap<>();
            snapshot.optimizerState()
                    .forEach(
                            (name, state) -> {
                                String id = ids.get(name);
                                if (id == null) {
                                    throw new IllegalArgumentException(
                                            "snapshot has optimizer state for unknown parameter "
                                                    + name);
                                }
                                byId.put(id, state);
                            });
            t.optimizer.restoreState(byId);
            t.steps = snapshot.steps();
            t.setLearningRate(snapshot.learningRate());
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /**
     * Everything needed to continue this training exactly: the network's parameters (with BatchNorm
     * statistics), the momentum buffers by parameter name, the step count and learning rate; plus
     * the caller's version, counters, centring mean and extra sections.
     */
    public TrainingSnapshot snapshot(
            long version, long samplesSeen, float[] centringMean, Map<String, byte[]> extras) {
        Map<String, String> names = new HashMap<>();
        for (Pair<String, Parameter> p : model.net().getParameters()) {
            names.put(p.getValue().getId(), p.getKey());
        }
        Map<String, MomentumSgd.State> byName = new java.util.TreeMap<>();
        optimizer.exportState().forEach((id, state) -> byName.put(names.get(id), state));
        return new TrainingSnapshot(
                spec,
                version,
                steps,
                samplesSeen,
                rate.value,
                centringMean,
                model.parameterBytes(),
                byName,
                extras);
    }

    public SfaModel model() {
        return model;
    }

    /**
     * The learning rate of the next steps (the reference sets it once per epoch from its schedule).
     */
    public void setLearningRate(double learningRate) {
        if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(
                    "learningRate must be finite and > 0, was " + learningRate);
        }
        rate.value = (float) learningRate;
    }

    public double learningRate() {
        return rate.value;
    }

    /** SGD steps taken so far. */
    public long steps() {
        return steps;
    }

    /**
     * Warm-up step ({@code warmup()}): {@code CE(z1, ỹ) + BalancedSoftmaxCE(z2, ỹ; n)} with {@code
     * n} the noisy-label counts, one SGD step. {@code inputs} are augmented, normalised CHW rows.
     */
    public WarmUpLoss.Terms warmUpStep(
            float[][] inputs, int[] labels, BalancedSoftmax noisyCounts) {
        int n = inputs.length;
        if (n == 0 || labels.length != n) {
            throw new IllegalArgumentException(
                    "need one label per input row (" + n + "), got " + labels.length);
        }
        checkClasses(noisyCounts);
        int classes = spec.numClasses();
        int imageFloats = n * pixels;
        input.ensureCapacity(imageFloats + n + classes);
        FloatBuffer buf = input.floats();
        writeRows(buf, 0, inputs);
        int labelOffset = imageFloats;
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException(
                        "label " + y + " at row " + i + " outside [0, " + classes + ")");
            }
            buf.put(labelOffset + i, y);
        }
        int priorOffset = labelOffset + n;
        writeLogPrior(buf, priorOffset, noisyCounts);
        try (NDManager sub = trainer.getManager().newSubManager()) {
            NDArray x = input.create(sub, 0, SfaModel.inputShape(spec, n));
            NDArray y = input.create(sub, labelOffset, new Shape(n)).toType(DataType.INT64, false);
            NDArray logN = input.create(sub, priorOffset, new Shape(1, classes));
            float ce;
            float bce;
            synchronized (GRADIENT_LOCK) {
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDList out = trainer.forward(new NDList(x));
                    NDArray l1 = NdLosses.crossEntropy(out.get(SfaNet.LOGITS), null, y);
                    NDArray l2 = NdLosses.crossEntropy(out.get(SfaNet.BALANCED_LOGITS), logN, y);
                    gc.backward(l1.add(l2));
                    ce = l1.getFloat();
                    bce = l2.getFloat();
                }
            }
            trainer.step();
            steps++;
            return new WarmUpLoss.Terms(ce, bce);
        }
    }

    /**
     * {@link #sslStep(SslBatch, SfaModel, BalancedSoftmax, double, double, double, MixPlan)} with a
     * plan drawn from {@code mixUp}.
     */
    public SslLossTerms sslStep(
            SslBatch batch,
            SfaModel guessNet,
            BalancedSoftmax nHat,
            double lambdaU,
            double penaltyWeight,
            double temperature,
            MixUp mixUp) {
        return sslStep(
                batch,
                guessNet,
                nHat,
                lambdaU,
                penaltyWeight,
                temperature,
                mixUp.next(batch.rows()));
    }

    /**
     * The reference's step: {@link #sslStep(SslBatch, SfaModel, BalancedSoftmax, double, double,
     * double, MixPlan)} with the penalty at weight 1.
     */
    public SslLossTerms sslStep(
            SslBatch batch,
            SfaModel guessNet,
            BalancedSoftmax nHat,
            double lambdaU,
            double temperature,
            MixPlan plan) {
        return sslStep(
                batch,
                guessNet,
                nHat,
                lambdaU,
                SslLossTerms.REFERENCE_PENALTY_WEIGHT,
                temperature,
                plan);
    }

    /**
     * SSL step ({@code train()}, §2.4 of the spec), for this network ("net a"):
     *
     * <ol>
     *   <li>no gradient: this net in <b>train</b> mode (as the reference: {@code net.train()} is
     *       set, so these four passes use batch statistics and move the BatchNorm running
     *       statistics) on u1, u2; {@code guessNet} in eval mode on u1, u2 (or this net's two
     *       outputs again when {@code guessNet} is {@code null}); co-guessed targets {@code
     *       sharpen(mean of the four softmaxes, T)}; then this net on x1, x2 and the refined
     *       targets {@code sharpen(w·onehot(ỹ) + (1−w)·mean softmax, T)};
     *   <li>MixUp with {@code plan} over the rows {@code [x1, x2, u1, u2]} and targets {@code [t,
     *       t, q, q]};
     *   <li>one forward pass of the mixed batch and {@code Lx + λu·Lu + Lbx + λu·Lbu + w·penalty}
     *       ({@link io.sfastream.sfa.loss.SemiSupervisedLoss}; Balanced Softmax with {@code nHat},
     *       floored at 1);
     *   <li>one SGD step.
     * </ol>
     *
     * Inputs are mixed in Java with {@link MixPlan}'s arithmetic, targets in the tensor graph.
     *
     * @param guessNet the other network (net b) for co-guessing, or {@code null} for self-guessing
     * @param nHat the other network's per-class clean counts N̂
     * @param lambdaU this step's weight of the unlabelled terms ({@link
     *     io.sfastream.sfa.loss.UnsupervisedWeightRamp})
     * @param penaltyWeight w of the uniform-prior penalty: 1 in the reference, 0 to leave it out
     * @param temperature the sharpening temperature T (0.5)
     * @return the terms, computed on the mixed batch before the update
     */
    public SslLossTerms sslStep(
            SslBatch batch,
            SfaModel guessNet,
            BalancedSoftmax nHat,
            double lambdaU,
            double penaltyWeight,
            double temperature,
            MixPlan plan) {
        checkClasses(nHat);
        if (!(lambdaU >= 0.0) || Double.isInfinite(lambdaU)) {
            throw new IllegalArgumentException("lambdaU must be finite and >= 0, was " + lambdaU);
        }
        SslLossTerms.checkPenaltyWeight(penaltyWeight);
        if (guessNet != null && !sameInputsAndClasses(guessNet.spec(), spec)) {
            throw new IllegalArgumentException(
                    "guess net " + guessNet.spec() + " does not match " + spec);
        }
        int b = batch.labelledRows();
        int u = batch.unlabelledRows();
        int rows = batch.rows();
        if (plan.rows() != rows) {
            throw new IllegalArgumentException(
                    "mix plan is for " + plan.rows() + " rows, the batch has " + rows);
        }
        int classes = spec.numClasses();
        int mixedOffset = rows * pixels;
        int labelOffset = 2 * rows * pixels;
        int weightOffset = labelOffset + b;
        int priorOffset = weightOffset + b;
        int permOffset = priorOffset + classes;
        input.ensureCapacity(permOffset + rows);
        FloatBuffer buf = input.floats();
        float lambda = (float) plan.lambda();
        double l = plan.lambda();
        double m = 1.0 - l;
        for (int i = 0; i < rows; i++) {
            float[] a = checkRow(batch.row(i), i);
            float[] partner = checkRow(batch.row(plan.partner(i)), plan.partner(i));
            buf.put(i * pixels, a);
            int mixed = mixedOffset + i * pixels;
            for (int j = 0; j < pixels; j++) {
                buf.put(mixed + j, (float) (l * a[j] + m * partner[j]));
            }
            buf.put(permOffset + i, plan.partner(i));
        }
        for (int i = 0; i < b; i++) {
            int y = batch.labels()[i];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException(
                        "label " + y + " at row " + i + " outside [0, " + classes + ")");
            }
            buf.put(labelOffset + i, y);
            buf.put(weightOffset + i, (float) batch.weights()[i]);
        }
        writeLogPrior(buf, priorOffset, nHat);

        try (NDManager sub = trainer.getManager().newSubManager()) {
            NDArray all = input.create(sub, 0, SfaModel.inputShape(spec, rows));
            NDArray labels =
                    input.create(sub, labelOffset, new Shape(b)).toType(DataType.INT64, false);
            NDArray weights = input.create(sub, weightOffset, new Shape(b, 1));
            NDArray logN = input.create(sub, priorOffset, new Shape(1, classes));
            NDArray perm =
                    input.create(sub, permOffset, new Shape(rows)).toType(DataType.INT64, false);

            NDArray targets;
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                NDArray targetsU = null;
                if (u > 0) {
                    NDArray u1 = NdLosses.rows(all, 2L * b, 2L * b + u);
                    NDArray u2 = NdLosses.rows(all, 2L * b + u, rows);
                    NDArray zu11 = logits(trainer.forward(new NDList(u1)));
                    NDArray zu12 = logits(trainer.forward(new NDList(u2)));
                    NDArray zu21 = zu11;
                    NDArray zu22 = zu12;
                    if (guessNet != null) {
                        ParameterStore ps =
                                new ParameterStore(guessNet.djlModel().getNDManager(), false);
                        zu21 = logits(guessNet.net().forward(ps, new NDList(u1), false));
                        zu22 = logits(guessNet.net().forward(ps, new NDList(u2), false));
                    }
                    targetsU = NdLosses.coGuess(zu11, zu12, zu21, zu22, temperature);
                }
                NDArray zx1 = logits(trainer.forward(new NDList(NdLosses.rows(all, 0, b))));
                NDArray zx2 = logits(trainer.forward(new NDList(NdLosses.rows(all, b, 2L * b))));
                NDArray targetsX = NdLosses.refineLabels(zx1, zx2, labels, weights, temperature);
                NDList parts =
                        u > 0
                                ? new NDList(targetsX, targetsX, targetsU, targetsU)
                                : new NDList(targetsX, targetsX);
                NDArray stacked = NDArrays.concat(parts, 0);
                targets = stacked.mul(lambda).add(stacked.get(perm).mul(1f - lambda));
            } finally {
                JniUtils.setGradMode(gradMode);
            }

            NDArray mixedInput = input.create(sub, mixedOffset, SfaModel.inputShape(spec, rows));
            float lx;
            float lu = 0f;
            float lbx;
            float lbu = 0f;
            float penalty;
            int labelled = 2 * b;
            synchronized (GRADIENT_LOCK) {
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDList out = trainer.forward(new NDList(mixedInput));
                    NDArray z1 = out.get(SfaNet.LOGITS);
                    NDArray z2 = out.get(SfaNet.BALANCED_LOGITS);
                    NDArray tx = NdLosses.rows(targets, 0, labelled);
                    NDArray lxA =
                            NdLosses.softCrossEntropy(NdLosses.rows(z1, 0, labelled), null, tx);
                    NDArray lbxA =
                            NdLosses.softCrossEntropy(NdLosses.rows(z2, 0, labelled), logN, tx);
                    NDArray penaltyA = NdLosses.uniformPriorPenalty(z1);
                    NDArray loss = lxA.add(lbxA);
                    if (penaltyWeight != 0.0) {
                        loss = loss.add(penaltyA.mul((float) penaltyWeight));
                    }
                    if (u > 0) {
                        NDArray tu = NdLosses.rows(targets, labelled, rows);
                        NDArray luA =
                                NdLosses.unlabelledMse(NdLosses.rows(z1, labelled, rows), null, tu);
                        NDArray lbuA =
                                NdLosses.unlabelledMse(NdLosses.rows(z2, labelled, rows), logN, tu);
                        loss = loss.add(luA.add(lbuA).mul((float) lambdaU));
                        lu = luA.getFloat();
                        lbu = lbuA.getFloat();
                    }
                    gc.backward(loss);
                    lx = lxA.getFloat();
                    lbx = lbxA.getFloat();
                    penalty = penaltyA.getFloat();
                }
            }
            trainer.step();
            steps++;
            return new SslLossTerms(lx, lu, lbx, lbu, penalty, lambdaU, penaltyWeight);
        }
    }

    /**
     * Co-guessing needs the same input and classes; the other net's weights (its seed) differ by
     * design.
     */
    private static boolean sameInputsAndClasses(ModelSpec a, ModelSpec b) {
        return a.width() == b.width()
                && a.height() == b.height()
                && a.channels() == b.channels()
                && a.numClasses() == b.numClasses()
                && java.util.Arrays.equals(a.mean(), b.mean())
                && java.util.Arrays.equals(a.std(), b.std());
    }

    private static NDArray logits(NDList out) {
        return out.get(SfaNet.LOGITS);
    }

    private float[] checkRow(float[] row, int i) {
        if (row.length != pixels) {
            throw new IllegalArgumentException(
                    "row "
                            + i
                            + " has "
                            + row.length
                            + " floats, the model takes "
                            + pixels
                            + " ("
                            + spec
                            + ")");
        }
        return row;
    }

    private void writeRows(FloatBuffer buf, int offset, float[][] rows) {
        for (int i = 0; i < rows.length; i++) {
            buf.put(offset + i * pixels, checkRow(rows[i], i));
        }
    }

    private static void writeLogPrior(FloatBuffer buf, int offset, BalancedSoftmax counts) {
        double[] log = counts.logPrior();
        for (int k = 0; k < log.length; k++) {
            buf.put(offset + k, (float) log[k]);
        }
    }

    private void checkClasses(BalancedSoftmax counts) {
        if (counts.numClasses() != spec.numClasses()) {
            throw new IllegalArgumentException(
                    "counts have "
                            + counts.numClasses()
                            + " classes, the model "
                            + spec.numClasses());
        }
    }

    /** Closes the DJL trainer and the momentum buffers; the model belongs to the caller. */
    @Override
    public void close() {
        trainer.close();
        optimizerState.close();
    }

    /** A learning rate the caller sets between steps. */
    private static final class SettableRate {
        private volatile float value;

        SettableRate(float value) {
            this.value = value;
        }
    }
}
