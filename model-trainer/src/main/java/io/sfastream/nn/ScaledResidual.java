package io.sfastream.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The residual unit of Inception-ResNet-v2 (Szegedy et al. 2017; {@code Block35}, {@code Block17}
 * and {@code Block8} in SFA's {@code InceptionResNetV2.py}): {@code out = x + scale ·
 * conv(branches(x))}, then a ReLU unless {@code relu} is false. {@code branches} concatenates its
 * branches along the channel axis and {@code conv} is a 1×1 convolution <em>with</em> bias back to
 * the input width.
 *
 * <p>Children: {@code branches} (whose own children are {@code branch0, branch1, …}), then {@code
 * conv2d}, in the reference module's parameter order.
 */
public final class ScaledResidual extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Block branches;
    private final Block conv2d;
    private final float scale;
    private final boolean relu;

    /**
     * @param branches a block whose output is the channel concatenation of the branches
     * @param channels the input (and output) width, the filters of the 1×1 projection
     * @param scale the residual scale (0.17, 0.10, 0.20 or 1.0 in the reference)
     * @param relu whether a ReLU follows the addition ({@code false} only for the last {@code
     *     Block8})
     */
    public ScaledResidual(Block branches, int channels, float scale, boolean relu) {
        super(VERSION);
        this.branches = addChildBlock("branches", branches);
        this.conv2d =
                addChildBlock(
                        "conv2d",
                        Conv2d.builder()
                                .setFilters(channels)
                                .setKernelShape(new Shape(1, 1))
                                .optBias(true)
                                .build());
        this.scale = scale;
        this.relu = relu;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList mixed = branches.forward(ps, inputs, training, params);
        NDArray up = conv2d.forward(ps, mixed, training, params).singletonOrThrow();
        NDArray out = up.mul(scale).add(x);
        return new NDList(relu ? Activation.relu(out) : out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        branches.initialize(manager, dataType, inputShapes);
        conv2d.initialize(manager, dataType, branches.getOutputShapes(inputShapes));
    }
}
