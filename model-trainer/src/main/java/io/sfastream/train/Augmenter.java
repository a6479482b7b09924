package io.sfastream.train;

import io.sfastream.nn.ModelSpec;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * The reference's training transform, {@code RandomCrop(size, padding=4)} + {@code
 * RandomHorizontalFlip()} + {@code ToTensor()} + {@code Normalize(mean, std)} ({@code
 * dataloader_cifar.py}), from 8-bit HWC pixels to normalised CHW floats, seeded.
 *
 * <ul>
 *   <li>The crop pads with <b>black pixels</b> (value 0 before {@code ToTensor}, as torchvision
 *       pads the PIL image), so padded positions become {@code −mean/std} after normalisation, not
 *       0. The crop origin in the padded image is uniform in {@code [0, 2·padding]} on each axis,
 *       as {@code RandomCrop.get_params} draws it.
 *   <li>The flip mirrors the columns with probability ½. It is a parameter: the reference flips
 *       CIFAR; for Fashion-MNIST a flip changes little (its shoes all face one way, so it is
 *       arguably a mild distortion).
 *   <li>{@link #normalise} is the test/eval transform (no crop, no flip).
 * </ul>
 *
 * Draws per image: the row offset, the column offset (each {@code nextInt(2p + 1)}), then the flip
 * ({@code nextBoolean()}) when enabled. Not thread-safe.
 */
public final class Augmenter {
    private final int width;
    private final int height;
    private final int channels;
    private final int padding;
    private final boolean flip;
    private final float[] scale;
    private final float[] shift;
    private final UniformRandomProvider rng;

    /**
     * @param mean per-channel mean of pixel/255
     * @param std per-channel standard deviation of pixel/255
     * @param padding crop padding in pixels (4 in the reference), {@code >= 0}; 0 disables the crop
     * @param flip whether to mirror half of the images
     */
    public Augmenter(
            int width,
            int height,
            int channels,
            float[] mean,
            float[] std,
            int padding,
            boolean flip,
            UniformRandomProvider rng) {
        if (width < 1 || height < 1 || channels < 1) {
            throw new IllegalArgumentException(
                    "bad image shape " + width + "x" + height + "x" + channels);
        }
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException(
                    "mean and std need one value per channel (" + channels + ")");
        }
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, was " + padding);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.padding = padding;
        this.flip = flip;
        this.rng = java.util.Objects.requireNonNull(rng, "rng");
        this.scale = new float[channels];
        this.shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = 1f / (255f * std[c]);
            shift[c] = -mean[c] / std[c];
        }
    }

    /** For a model's input geometry and normalisation, seeded with {@code XO_RO_SHI_RO_128_PP}. */
    public static Augmenter forSpec(ModelSpec spec, int padding, boolean flip, long seed) {
        return new Augmenter(
                spec.width(),
                spec.height(),
                spec.channels(),
                spec.mean(),
                spec.std(),
                padding,
                flip,
                RandomSource.XO_RO_SHI_RO_128_PP.create(seed));
    }

    /** The reference's CIFAR transform for {@code spec}: padding 4 and flips. */
    public static Augmenter reference(ModelSpec spec, long seed) {
        return forSpec(spec, 4, true, seed);
    }

    public int pixelsPerImage() {
        return width * height * channels;
    }

    /**
     * One random crop/flip of {@code hwc} into {@code dst[offset, offset + pixels)}, CHW,
     * normalised.
     */
    public void augment(byte[] hwc, float[] dst, int offset) {
        int dy = padding == 0 ? 0 : rng.nextInt(2 * padding + 1);
        int dx = padding == 0 ? 0 : rng.nextInt(2 * padding + 1);
        boolean mirror = flip && rng.nextBoolean();
        transform(hwc, dy, dx, mirror, dst, offset);
    }

    /** A new array with one random augmentation per image, each a row of CHW floats. */
    public float[][] augment(List<byte[]> images) {
        float[][] out = new float[images.size()][pixelsPerImage()];
        for (int i = 0; i < out.length; i++) {
            augment(images.get(i), out[i], 0);
        }
        return out;
    }

    /** The eval transform: normalise only. */
    public void normalise(byte[] hwc, float[] dst, int offset) {
        transform(hwc, padding, padding, false, dst, offset);
    }

    /** A new array with the eval transform of each image. */
    public float[][] normalise(List<byte[]> images) {
        float[][] out = new float[images.size()][pixelsPerImage()];
        for (int i = 0; i < out.length; i++) {
            normalise(images.get(i), out[i], 0);
        }
        return out;
    }

    /**
     * The deterministic part: crop origin {@code (dy, dx)} in the padded image (each in {@code [0,
     * 2·padding]}), then an optional mirror, then normalisation. Output pixel {@code (y, x)} is
     * padded pixel {@code (y + dy, x' + dx)} with {@code x' = mirror ? width − 1 − x : x}.
     */
    public void transform(byte[] hwc, int dy, int dx, boolean mirror, float[] dst, int offset) {
        if (hwc.length != pixelsPerImage()) {
            throw new IllegalArgumentException(
                    "image has "
                            + hwc.length
                            + " bytes, expected "
                            + width
                            + "x"
                            + height
                            + "x"
                            + channels
                            + " = "
                            + pixelsPerImage());
        }
        if (dy < 0 || dx < 0 || dy > 2 * padding || dx > 2 * padding) {
            throw new IllegalArgumentException(
                    "crop origin (" + dy + ", " + dx + ") outside [0, " + 2 * padding + "]");
        }
        int plane = width * height;
        for (int c = 0; c < channels; c++) {
            float s = scale[c];
            float t = shift[c];
            int base = offset + c * plane;
            for (int y = 0; y < height; y++) {
                int sy = y + dy - padding;
                boolean rowInside = sy >= 0 && sy < height;
                for (int x = 0; x < width; x++) {
                    int sx = (mirror ? width - 1 - x : x) + dx - padding;
                    int pixel =
                            rowInside && sx >= 0 && sx < width
                                    ? hwc[(sy * width + sx) * channels + c] & 0xff
                                    : 0;
                    dst[base + y * width + x] = pixel * s + t;
                }
            }
        }
    }
}
