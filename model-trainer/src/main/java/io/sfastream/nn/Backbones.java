package io.sfastream.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/** Backbones that end in a feature vector (batch × featureDim). */
public final class Backbones {
    private Backbones() {}

    /**
     * A small CNN for CPU runs: three 3×3 conv–BN–ReLU stages (32, 64, 128 channels; 2×2 max-pool after the
     * first two) and global average pooling, so it takes 28×28 grey or 32×32 RGB (any size ≥ 4×4) and gives
     * 128-d features. About 94 k parameters: fast enough to embed thousands of images per second on one core.
     */
    public static Block smallCnn() {
        return new SequentialBlock()
                .add(convBnRelu(32))
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(convBnRelu(64))
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(convBnRelu(128))
                .add(Pool.globalAvgPool2dBlock());
    }

    /** Feature width of {@link #smallCnn()}. */
    public static final int SMALL_CNN_FEATURES = 128;

    private static Block convBnRelu(int channels) {
        return new SequentialBlock()
                .add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .optBias(false)
                        .setFilters(channels)
                        .build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu);
    }

}
