package io.sfastream.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.Arrays;

/** Backbones that end in a feature vector (batch × featureDim). */
public final class Backbones {
    private Backbones() {}

    /**
     * A small CNN for CPU runs: three 3×3 conv–BN–ReLU stages (32, 64, 128 channels; 2×2 max-pool
     * after the first two) and global average pooling, so it takes 28×28 grey or 32×32 RGB (any
     * size ≥ 4×4) and gives 128-d features. About 94 k parameters: fast enough to embed thousands
     * of images per second on one core.
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

    /** Feature width of {@link #preActResNet18()}. */
    public static final int PRE_ACT_RESNET18_FEATURES = 512;

    /** Feature width of {@link #inceptionResNetV2()}. */
    public static final int INCEPTION_RESNET_V2_FEATURES = 1536;

    /**
     * PreAct ResNet-18 for 32×32 inputs, exactly as SFA's (and DivideMix's) {@code PreResNet.py}
     * builds {@code ResNet18()} = {@code ResNet(PreActBlock, [2, 2, 2, 2])}:
     *
     * <ul>
     *   <li>stem: 3×3 convolution to 64 channels (stride 1, no bias), <b>then BatchNorm and
     *       ReLU</b> — the reference's {@code forward} applies {@code bn1} and {@code relu} after
     *       {@code conv1}; this is where it differs from the common kuangliu PreActResNet18, whose
     *       stem is the bare convolution;
     *   <li>four stages of two {@link PreActBlock}s, 64-128-256-512 channels, strides 1-2-2-2;
     *   <li><b>no</b> final BatchNorm/ReLU: layer4's output goes straight into a 4×4 average pool
     *       ({@code F.avg_pool2d(out, 4)}) and is flattened, so features can be negative.
     * </ul>
     *
     * With 32×32 (or 25..56 pixel) inputs the pooled map is 1×1 and the features are 512-d.
     * 11,166,144 parameters without heads (PyTorch's count for the reference's 10-class model is
     * 11,176,404 with both heads, 11,171,274 with {@code linear} only); the two heads of {@link
     * SfaNet} add 2·(512·C + C).
     */
    public static Block preActResNet18() {
        SequentialBlock net =
                new SequentialBlock()
                        .add(PreActBlock.conv(64, 3, 1, 1))
                        .add(BatchNorm.builder().build())
                        .add(Activation::relu);
        int inPlanes = 64;
        int[][] stages = {{64, 1}, {128, 2}, {256, 2}, {512, 2}};
        for (int[] stage : stages) {
            int planes = stage[0];
            SequentialBlock layer = new SequentialBlock();
            for (int b = 0; b < 2; b++) {
                int stride = b == 0 ? stage[1] : 1;
                layer.add(new PreActBlock(planes, stride, stride != 1 || inPlanes != planes));
                inPlanes = planes;
            }
            net.add(layer);
        }
        return net.add(Pool.avgPool2dBlock(new Shape(4, 4), new Shape(4, 4)))
                .add(Blocks.batchFlattenBlock());
    }

    /**
     * Inception-ResNet-v2 (Szegedy et al. 2017) for 299×299 RGB, as SFA's {@code
     * InceptionResNetV2.py} (Cadene's {@code pretrainedmodels} port) builds it for mini-WebVision,
     * trained from scratch: stem (conv 1a/2a/2b, max-pool, conv 3b/4a, max-pool), Mixed_5b, 10 ×
     * Block35 (scale 0.17), Mixed_6a, 20 × Block17 (0.10), Mixed_7a, 9 × Block8 (0.20), Block8
     * (scale 1, no ReLU), a 1×1 conv to 1536 and an 8×8 average pool ({@code
     * count_include_pad=False}): 1536-d features. Every {@code BasicConv2d} is conv (no bias) +
     * BatchNorm (eps 0.001, PyTorch momentum 0.1) + ReLU; the residual projections have a bias.
     * 54,306,464 parameters without heads (the reference with its two 50-class heads has
     * 54,460,164). Children follow the reference's parameter order.
     */
    public static Block inceptionResNetV2() {
        SequentialBlock net =
                new SequentialBlock()
                        .add(basicConv(32, 3, 3, 2, 0, 0))
                        .add(basicConv(32, 3, 3, 1, 0, 0))
                        .add(basicConv(64, 3, 3, 1, 1, 1))
                        .add(maxPool3s2())
                        .add(basicConv(80, 1, 1, 1, 0, 0))
                        .add(basicConv(192, 3, 3, 1, 0, 0))
                        .add(maxPool3s2())
                        .add(
                                concat(
                                        basicConv(96, 1),
                                        seq(basicConv(48, 1), basicConv(64, 5, 5, 1, 2, 2)),
                                        seq(
                                                basicConv(64, 1),
                                                basicConv(96, 3, 3, 1, 1, 1),
                                                basicConv(96, 3, 3, 1, 1, 1)),
                                        seq(avgPool3x3ExcludingPad(), basicConv(64, 1))));
        SequentialBlock repeat = new SequentialBlock();
        for (int i = 0; i < 10; i++) {
            repeat.add(
                    new ScaledResidual(
                            concat(
                                    basicConv(32, 1),
                                    seq(basicConv(32, 1), basicConv(32, 3, 3, 1, 1, 1)),
                                    seq(
                                            basicConv(32, 1),
                                            basicConv(48, 3, 3, 1, 1, 1),
                                            basicConv(64, 3, 3, 1, 1, 1))),
                            320,
                            0.17f,
                            true));
        }
        net.add(repeat);
        net.add(
                concat(
                        basicConv(384, 3, 3, 2, 0, 0),
                        seq(
                                basicConv(256, 1),
                                basicConv(256, 3, 3, 1, 1, 1),
                                basicConv(384, 3, 3, 2, 0, 0)),
                        maxPool3s2()));
        SequentialBlock repeat1 = new SequentialBlock();
        for (int i = 0; i < 20; i++) {
            repeat1.add(
                    new ScaledResidual(
                            concat(
                                    basicConv(192, 1),
                                    seq(
                                            basicConv(128, 1),
                                            basicConv(160, 1, 7, 1, 0, 3),
                                            basicConv(192, 7, 1, 1, 3, 0))),
                            1088,
                            0.10f,
                            true));
        }
        net.add(repeat1);
        net.add(
                concat(
                        seq(basicConv(256, 1), basicConv(384, 3, 3, 2, 0, 0)),
                        seq(basicConv(256, 1), basicConv(288, 3, 3, 2, 0, 0)),
                        seq(
                                basicConv(256, 1),
                                basicConv(288, 3, 3, 1, 1, 1),
                                basicConv(320, 3, 3, 2, 0, 0)),
                        maxPool3s2()));
        SequentialBlock repeat2 = new SequentialBlock();
        for (int i = 0; i < 9; i++) {
            repeat2.add(block8(0.20f, true));
        }
        net.add(repeat2);
        return net.add(block8(1.0f, false))
                .add(basicConv(1536, 1))
                .add(
                        Pool.avgPool2dBlock(
                                new Shape(8, 8),
                                new Shape(8, 8))) // no padding: count_include_pad moot
                .add(Blocks.batchFlattenBlock());
    }

    /**
     * {@code nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)}: border outputs average
     * only the real pixels. DJL 0.36's PyTorch engine ignores {@code countIncludePad=false} in
     * {@code Pool.avgPool2d} (it always divides by 9; measured), so this divides the padded average
     * by the padded average of ones, i.e. by the fraction of the window that is inside the image.
     */
    static Block avgPool3x3ExcludingPad() {
        Shape k = new Shape(3, 3);
        Shape s = new Shape(1, 1);
        Shape p = new Shape(1, 1);
        return new LambdaBlock(
                list -> {
                    NDArray x = list.singletonOrThrow();
                    NDArray sum = Pool.avgPool2d(x, k, s, p, false, true);
                    Shape shape = x.getShape();
                    try (NDArray ones =
                            x.getManager()
                                    .ones(
                                            new Shape(1, 1, shape.get(2), shape.get(3)),
                                            x.getDataType())) {
                        NDArray inside = Pool.avgPool2d(ones, k, s, p, false, true);
                        return new NDList(sum.div(inside));
                    }
                },
                "avgPool3x3ExcludingPad");
    }

    private static Block block8(float scale, boolean relu) {
        return new ScaledResidual(
                concat(
                        basicConv(192, 1),
                        seq(
                                basicConv(192, 1),
                                basicConv(224, 1, 3, 1, 0, 1),
                                basicConv(256, 3, 1, 1, 1, 0))),
                2080,
                scale,
                relu);
    }

    private static Block basicConv(int filters, int kernel) {
        return basicConv(filters, kernel, kernel, 1, 0, 0);
    }

    /** Inception's {@code BasicConv2d}: conv (no bias) + BatchNorm(eps 0.001) + ReLU. */
    private static Block basicConv(int filters, int kh, int kw, int stride, int ph, int pw) {
        return new SequentialBlock()
                .add(
                        Conv2d.builder()
                                .setFilters(filters)
                                .setKernelShape(new Shape(kh, kw))
                                .optStride(new Shape(stride, stride))
                                .optPadding(new Shape(ph, pw))
                                .optBias(false)
                                .build())
                .add(BatchNorm.builder().optEpsilon(1e-3f).build())
                .add(Activation::relu);
    }

    private static Block maxPool3s2() {
        return Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2));
    }

    private static Block seq(Block... blocks) {
        return new SequentialBlock().addAll(blocks);
    }

    /**
     * Runs the branches on the same input and concatenates their outputs along the channel axis.
     */
    private static Block concat(Block... branches) {
        return new ParallelBlock(
                outputs ->
                        new NDList(
                                NDArrays.concat(
                                        new NDList(
                                                outputs.stream()
                                                        .map(NDList::singletonOrThrow)
                                                        .toList()),
                                        1)),
                Arrays.asList(branches));
    }

    private static Block convBnRelu(int channels) {
        return new SequentialBlock()
                .add(
                        Conv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .optPadding(new Shape(1, 1))
                                .optBias(false)
                                .setFilters(channels)
                                .build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu);
    }
}
