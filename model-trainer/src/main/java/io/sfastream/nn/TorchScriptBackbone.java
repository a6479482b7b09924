package io.sfastream.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pretrained image encoder from a TorchScript file ({@code torch.jit.script(...).save(path)} or a
 * traced module) as the backbone of an {@link SfaNet}. The module must take one {@code N × C × H ×
 * W} float tensor and return one {@code N × d} tensor (or anything {@code flatten(1)} turns into
 * that); {@code d} is found by one forward pass on zeros when the model is built.
 *
 * <p>The module's parameters appear as DJL parameters (DJL's {@link PtSymbolBlock}), so a {@code
 * Trainer} can fine-tune them; {@link SfaNet#freezeBackbone} freezes them and runs the module in
 * eval mode. BatchNorm running statistics stay inside the module (they are buffers, not
 * parameters). The module is loaded into the owning model's native memory manager, so closing the
 * {@link SfaModel} frees it.
 */
public final class TorchScriptBackbone extends AbstractBlock {
    private static final byte VERSION = 1;

    private final PtSymbolBlock module;
    private final int featureDim;

    private TorchScriptBackbone(PtSymbolBlock module, int featureDim) {
        super(VERSION);
        this.module = addChildBlock("module", module);
        this.featureDim = featureDim;
    }

    /**
     * Loads {@code file} into {@code manager} (the owning DJL model's manager) and probes the
     * feature width on a zero batch of {@code sampleInput} shape ({@code 1 × C × H × W}).
     *
     * @param trainable whether the module's parameters require gradients (fine-tuning)
     */
    static TorchScriptBackbone load(
            NDManager manager, Path file, Shape sampleInput, boolean trainable) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("TorchScript file not found: " + file);
        }
        if (!(manager instanceof PtNDManager pt)) {
            throw new IllegalArgumentException(
                    "a TorchScript encoder needs the PyTorch engine, got "
                            + manager.getEngine().getEngineName());
        }
        PtSymbolBlock module =
                JniUtils.loadModule(
                        pt, file.toAbsolutePath(), true, new String[0], new String[0], trainable);
        int dim;
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager probe = manager.newSubManager()) {
            NDArray out =
                    module.forward(
                                    new ParameterStore(probe, false),
                                    new NDList(probe.zeros(sampleInput)),
                                    false)
                            .get(0);
            Shape shape = out.getShape();
            if (shape.dimension() < 2 || shape.get(0) != sampleInput.get(0)) {
                throw new IllegalArgumentException(
                        file
                                + " returns "
                                + shape
                                + " for an input of "
                                + sampleInput
                                + "; expected (batch, features)");
            }
            dim = Math.toIntExact(shape.size() / shape.get(0));
        } finally {
            JniUtils.setGradMode(grad);
        }
        return new TorchScriptBackbone(module, dim);
    }

    public int featureDim() {
        return featureDim;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray out = module.forward(ps, inputs, training, params).get(0);
        if (!training) {
            // DJL runs an eval-mode TorchScript forward under c10::InferenceMode; its outputs are
            // inference tensors,
            // which autograd refuses to save ("Inference tensors cannot be saved for backward")
            // when the heads
            // train on top of a frozen encoder. A copy made out here is an ordinary tensor.
            out = out.duplicate();
        }
        return new NDList(
                out.getShape().dimension() == 2 ? out : out.reshape(out.getShape().get(0), -1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), featureDim)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        // the module arrives with its parameters
    }
}
