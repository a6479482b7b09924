package io.sfastream.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * SGD with momentum and weight decay exactly as PyTorch's {@code torch.optim.SGD} (no dampening, no
 * Nesterov), the reference's optimiser: {@code d = g + wd·w; b = d} on the first step, {@code b ←
 * μ·b + d} after; {@code w ← w − lr·b}.
 *
 * <p>Why not DJL's {@code Sgd}: it folds the rate into the buffer ({@code v ← μv + lr·d}), which
 * differs from PyTorch whenever the rate changes, and its momentum buffers are private, so a
 * snapshot could not carry them and a resumed run would restart momentum from zero. Here the
 * buffers live in a manager the optimiser owns and can be exported and restored ({@link
 * #exportState}, {@link #restoreState}), keyed by the caller's parameter ids.
 *
 * <p>The rate is read from {@code learningRate} at every update (the trainer sets it per epoch).
 */
public final class MomentumSgd extends Optimizer {
    private final float momentum;
    private final float weightDecay;
    private final DoubleSupplier learningRate;
    private final NDManager stateManager;
    private final Map<String, NDArray> buffers = new ConcurrentHashMap<>();

    /**
     * @param stateManager owns the momentum buffers: it must live as long as this optimiser and be
     *     on the parameters' device; closing it frees them
     */
    public MomentumSgd(SgdOptions options, DoubleSupplier learningRate, NDManager stateManager) {
        super(new NoBuilder());
        this.momentum = (float) options.momentum();
        this.weightDecay = (float) options.weightDecay();
        this.learningRate = learningRate;
        this.stateManager = stateManager;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        float lr = (float) learningRate.getAsDouble();
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scratch = stateManager.newSubManager()) {
            NDArray d = grad;
            if (weightDecay != 0f) {
                NDArray decay = weight.mul(weightDecay);
                decay.attach(scratch);
                d = grad.add(decay);
                d.attach(scratch);
            }
            NDArray step = d;
            if (momentum != 0f) {
                NDArray b = buffers.get(parameterId);
                if (b == null) {
                    b = d.duplicate(); // torch: buf = clone(d_p)
                    b.attach(stateManager);
                    buffers.put(parameterId, b);
                } else {
                    b.muli(momentum).addi(d);
                }
                step = b;
            }
            NDArray delta = step.mul(lr);
            delta.attach(scratch);
            weight.subi(delta);
            // PyTorch accumulates gradients; DJL's own optimisers zero them after the update, so
            // must this one.
            JniUtils.zeroGrad((PtNDArray) weight);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** A copy of every momentum buffer, by parameter id, as flat floats with their shapes. */
    public Map<String, State> exportState() {
        Map<String, State> out = new LinkedHashMap<>();
        buffers.forEach(
                (id, b) -> out.put(id, new State(b.getShape().getShape(), b.toFloatArray())));
        return out;
    }

    /**
     * Replaces the momentum buffers with {@code state} (ids as the trainer's parameters have them
     * now).
     */
    public void restoreState(Map<String, State> state) {
        buffers.values().forEach(NDArray::close);
        buffers.clear();
        state.forEach(
                (id, s) -> {
                    NDArray b = stateManager.create(s.values(), new Shape(s.shape()));
                    buffers.put(id, b);
                });
    }

    /** How many parameters have a momentum buffer (those that have been updated at least once). */
    public int bufferCount() {
        return buffers.size();
    }

    /** One momentum buffer. */
    public record State(long[] shape, float[] values) {
        public State {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException(
                        "shape holds " + n + " values, got " + values.length);
            }
        }
    }

    /** The base class wants a builder; this optimiser keeps its settings itself. */
    private static final class NoBuilder extends OptimizerBuilder<NoBuilder> {
        @Override
        protected NoBuilder self() {
            return this;
        }
    }
}
