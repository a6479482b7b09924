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
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The pre-activation basic block of He et al. (2016) as SFA's {@code PreResNet.py} writes it
 * ({@code PreActBlock}): {@code a = relu(bn1(x))}, {@code out = conv2(relu(bn2(conv1(a)))) +
 * shortcut}, where the shortcut is taken from the pre-activated {@code a}, <b>not from {@code
 * x}</b>: a bias-free 1×1 strided convolution of {@code a} when the stride or the width changes,
 * and {@code a} itself otherwise. The reference always defines {@code self.shortcut} (an empty
 * {@code nn.Sequential} is the identity) and applies it to {@code out = relu(bn1(x))}, so even its
 * identity shortcut carries {@code relu(bn1(x))}; the original kuangliu/He et al. block adds the
 * raw {@code x} there. Both 3×3 convolutions are bias-free; {@code conv1} carries the stride. No
 * activation after the addition.
 *
 * <p>Children are added in the reference module's order ({@code bn1, conv1, bn2, conv2, shortcut}),
 * so the parameters of a network built from these blocks line up one-to-one with a PyTorch {@code
 * state_dict} (without {@code num_batches_tracked}).
 */
public final class PreActBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Block bn1;
    private final Block conv1;
    private final Block bn2;
    private final Block conv2;
    private final Block shortcut;

    /**
     * @param planes output channels
     * @param stride stride of the first convolution (and of the projection shortcut)
     * @param project whether the shortcut is a 1×1 projection ({@code stride != 1 || inPlanes !=
     *     planes})
     */
    public PreActBlock(int planes, int stride, boolean project) {
        super(VERSION);
        bn1 = addChildBlock("bn1", BatchNorm.builder().build());
        conv1 = addChildBlock("conv1", conv(planes, 3, stride, 1));
        bn2 = addChildBlock("bn2", BatchNorm.builder().build());
        conv2 = addChildBlock("conv2", conv(planes, 3, 1, 1));
        shortcut = project ? addChildBlock("shortcut", conv(planes, 1, stride, 0)) : null;
    }

    static Conv2d conv(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(false)
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList a =
                new NDList(
                        Activation.relu(
                                bn1.forward(ps, inputs, training, params).singletonOrThrow()));
        NDArray sc =
                shortcut == null
                        ? a.singletonOrThrow()
                        : shortcut.forward(ps, a, training, params).singletonOrThrow();
        NDArray out = conv1.forward(ps, a, training, params).singletonOrThrow();
        out =
                Activation.relu(
                        bn2.forward(ps, new NDList(out), training, params).singletonOrThrow());
        out = conv2.forward(ps, new NDList(out), training, params).singletonOrThrow();
        return new NDList(out.add(sc));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape afterConv1 = conv1.getOutputShapes(inputShapes)[0];
        return conv2.getOutputShapes(new Shape[] {afterConv1});
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        bn1.initialize(manager, dataType, inputShapes);
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] mid = conv1.getOutputShapes(inputShapes);
        bn2.initialize(manager, dataType, mid);
        conv2.initialize(manager, dataType, mid);
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, inputShapes);
        }
    }
}
