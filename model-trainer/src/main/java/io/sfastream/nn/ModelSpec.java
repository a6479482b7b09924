package io.sfastream.nn;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What a model takes and how it is built: input geometry, class count, the per-channel
 * normalisation applied to 8-bit pixels, and the seed of its initial weights. Everything that must
 * agree between the embedder and the trainer lives here.
 *
 * @param mean per-channel mean of pixel/255 (length = channels)
 * @param std per-channel standard deviation of pixel/255 (length = channels)
 */
public record ModelSpec(
        Architecture architecture,
        int width,
        int height,
        int channels,
        int numClasses,
        long seed,
        float[] mean,
        float[] std)
        implements Serializable {

    /** Fashion-MNIST pixel statistics (train set, pixel/255). */
    public static final float[] FASHION_MNIST_MEAN = {0.2860f};

    public static final float[] FASHION_MNIST_STD = {0.3530f};

    /** CIFAR-10 statistics used by the reference's transforms ({@code dataloader_cifar.py}). */
    public static final float[] CIFAR10_MEAN = {0.4914f, 0.4822f, 0.4465f};

    public static final float[] CIFAR10_STD = {0.2023f, 0.1994f, 0.2010f};

    /** CIFAR-100 statistics used by the reference's transforms. */
    public static final float[] CIFAR100_MEAN = {0.507f, 0.487f, 0.441f};

    public static final float[] CIFAR100_STD = {0.267f, 0.256f, 0.276f};

    /** ImageNet statistics, the reference's mini-WebVision transforms. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};

    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public ModelSpec {
        if (architecture == null) {
            throw new IllegalArgumentException("architecture is required");
        }
        if (width < 4 || height < 4) {
            throw new IllegalArgumentException(
                    "input must be at least 4x4, got " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(
                    "channels must be 1 (grey) or 3 (RGB), got " + channels);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
        }
        if (mean == null || std == null || mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException(
                    "mean and std need one value per channel (" + channels + ")");
        }
        for (float s : std) {
            if (!(s > 0f)) {
                throw new IllegalArgumentException(
                        "std values must be > 0, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The small CNN on Fashion-MNIST (28×28 grey, 10 classes). */
    public static ModelSpec fashionMnistSmallCnn(long seed) {
        return new ModelSpec(
                Architecture.SMALL_CNN, 28, 28, 1, 10, seed, FASHION_MNIST_MEAN, FASHION_MNIST_STD);
    }

    /**
     * SFA's CIFAR setup: PreAct ResNet-18, 32×32 RGB, CIFAR-10 (10 classes) or CIFAR-100 (100)
     * statistics.
     */
    public static ModelSpec cifarPreActResNet18(int numClasses, long seed) {
        boolean cifar100 = numClasses > 10;
        return new ModelSpec(
                Architecture.PRE_ACT_RESNET18,
                32,
                32,
                3,
                numClasses,
                seed,
                cifar100 ? CIFAR100_MEAN : CIFAR10_MEAN,
                cifar100 ? CIFAR100_STD : CIFAR10_STD);
    }

    /**
     * SFA's mini-WebVision setup: Inception-ResNet-v2, 299×299 RGB, ImageNet statistics, 50 classes
     * by default.
     */
    public static ModelSpec webVisionInceptionResNetV2(int numClasses, long seed) {
        return new ModelSpec(
                Architecture.INCEPTION_RESNET_V2,
                299,
                299,
                3,
                numClasses,
                seed,
                IMAGENET_MEAN,
                IMAGENET_STD);
    }

    public int pixelsPerImage() {
        return width * height * channels;
    }

    public int featureDim() {
        return architecture.featureDim();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec s
                && architecture == s.architecture
                && width == s.width
                && height == s.height
                && channels == s.channels
                && numClasses == s.numClasses
                && seed == s.seed
                && Arrays.equals(mean, s.mean)
                && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(
                        new Object[] {architecture, width, height, channels, numClasses, seed})
                + 31 * Arrays.hashCode(mean)
                + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return architecture.configName()
                + " "
                + width
                + "x"
                + height
                + "x"
                + channels
                + " classes="
                + numClasses
                + " seed="
                + seed;
    }
}
