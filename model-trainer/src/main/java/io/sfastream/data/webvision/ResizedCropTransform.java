package io.sfastream.data.webvision;

import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The reference's WebVision transforms ({@code dataloader_webvision.py}) from a decoded {@link
 * RgbImage} to normalised CHW floats, as torchvision runs them on PIL images:
 *
 * <ul>
 *   <li>train: {@code Resize(320)} → {@code RandomResizedCrop(299)} → {@code
 *       RandomHorizontalFlip()} → {@code ToTensor()} → {@code Normalize(mean, std)};
 *   <li>eval: {@code Resize(320)} → {@code CenterCrop(299)} → {@code ToTensor()} → {@code
 *       Normalize(mean, std)}.
 * </ul>
 *
 * Both resizes are PIL's antialiased bilinear ({@link BilinearResize}, bit-exact). {@code
 * Resize(s)} scales the shorter side to {@code s} and the longer to {@code int(s · long / short)}.
 * {@code RandomResizedCrop} draws its box with torchvision's defaults (area fraction in [0.08, 1],
 * log-uniform aspect ratio in [3/4, 4/3], 10 attempts, then the centre-crop fallback: {@link
 * #randomResizedCropBox}), crops and resizes the box to the crop size. The normalisation is
 * computed in float as torchvision does ({@code (v / 255f − mean) / std}), so outputs match to the
 * bit.
 *
 * <p>Random draws per image, from the caller's provider, in torchvision's order: per attempt the
 * area fraction and the log-ratio ({@code nextDouble()} each), and for the accepted box its top
 * then its left ({@code nextInt}); then the flip ({@code nextDouble() < 0.5}). The sizes are
 * parameters so that tests can run on tiny images; the reference uses {@link #reference()}.
 * Immutable and thread-safe.
 */
public final class ResizedCropTransform {
    /** ImageNet channel means of pixel/255, the reference's {@code Normalize} for WebVision. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};

    /** ImageNet channel standard deviations of pixel/255. */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    static final double MIN_SCALE = 0.08;
    static final double MAX_SCALE = 1.0;
    static final double MIN_RATIO = 3.0 / 4.0;
    static final double MAX_RATIO = 4.0 / 3.0;
    static final int ATTEMPTS = 10;

    private final int resizeSize;
    private final int cropSize;
    private final float[][] normalised = new float[3][256];

    /**
     * @param resizeSize the shorter side after the first resize (320 in the reference)
     * @param cropSize the side of the square output (299 in the reference), at most {@code
     *     resizeSize} so that the centre crop never needs padding
     */
    public ResizedCropTransform(int resizeSize, int cropSize) {
        if (cropSize < 1 || resizeSize < cropSize) {
            throw new IllegalArgumentException(
                    "need 1 <= cropSize <= resizeSize, got crop "
                            + cropSize
                            + ", resize "
                            + resizeSize);
        }
        this.resizeSize = resizeSize;
        this.cropSize = cropSize;
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                normalised[c][v] = ((float) v / 255f - IMAGENET_MEAN[c]) / IMAGENET_STD[c];
            }
        }
    }

    /** The reference's sizes: resize 320, crop 299 (InceptionResNetV2's input). */
    public static ResizedCropTransform reference() {
        return new ResizedCropTransform(320, 299);
    }

    public int resizeSize() {
        return resizeSize;
    }

    public int cropSize() {
        return cropSize;
    }

    /** Floats per output: {@code 3 × cropSize × cropSize}. */
    public int pixelsPerImage() {
        return 3 * cropSize * cropSize;
    }

    /**
     * The normalised value of 8-bit value {@code v} in channel {@code c}, as {@code ToTensor +
     * Normalize} gives it.
     */
    public float normalise(int c, int v) {
        return normalised[c][v];
    }

    /**
     * The training transform of {@code image} into {@code dst[offset, offset + pixelsPerImage())}.
     */
    public void train(RgbImage image, float[] dst, int offset, UniformRandomProvider rng) {
        Objects.requireNonNull(rng, "rng");
        Objects.checkFromIndexSize(offset, pixelsPerImage(), dst.length);
        int[] size = resizedSize(image.width(), image.height(), resizeSize);
        Box box = randomResizedCropBox(size[0], size[1], rng);
        RgbImage region =
                BilinearResize.resizeWindow(
                        image, size[0], size[1], box.left(), box.top(), box.width(), box.height());
        RgbImage out = BilinearResize.resize(region, cropSize, cropSize);
        boolean flip = rng.nextDouble() < 0.5;
        write(out, flip, dst, offset);
    }

    /**
     * The evaluation transform of {@code image} into {@code dst[offset, offset +
     * pixelsPerImage())}.
     */
    public void eval(RgbImage image, float[] dst, int offset) {
        Objects.checkFromIndexSize(offset, pixelsPerImage(), dst.length);
        int[] size = resizedSize(image.width(), image.height(), resizeSize);
        Box box = centreCropBox(size[0], size[1], cropSize);
        RgbImage out =
                BilinearResize.resizeWindow(
                        image, size[0], size[1], box.left(), box.top(), box.width(), box.height());
        write(out, false, dst, offset);
    }

    /**
     * {@code Resize(size)}'s output {@code {width, height}}: the shorter side becomes {@code size},
     * the longer {@code int(size · long / short)} (truncated, as torchvision computes it).
     */
    static int[] resizedSize(int width, int height, int size) {
        if (width <= height) {
            return new int[] {size, (int) ((double) size * height / width)};
        }
        return new int[] {(int) ((double) size * width / height), size};
    }

    /**
     * {@code CenterCrop}'s box: the offsets are {@code round((size − crop) / 2)}, Python's
     * round-half-to-even.
     */
    static Box centreCropBox(int width, int height, int crop) {
        if (crop > width || crop > height) {
            throw new IllegalArgumentException(
                    "crop " + crop + " larger than " + width + "x" + height);
        }
        int top = (int) Math.rint((height - crop) / 2.0);
        int left = (int) Math.rint((width - crop) / 2.0);
        return new Box(left, top, crop, crop);
    }

    /**
     * {@code RandomResizedCrop.get_params} with the default scale and ratio: up to 10 attempts at a
     * box of a random area fraction and log-uniform aspect ratio that fits, placed uniformly;
     * failing that, the largest centred box whose aspect ratio is within [3/4, 4/3].
     */
    static Box randomResizedCropBox(int width, int height, UniformRandomProvider rng) {
        double area = (double) width * height;
        double logMin = Math.log(MIN_RATIO);
        double logMax = Math.log(MAX_RATIO);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double targetArea = area * (MIN_SCALE + (MAX_SCALE - MIN_SCALE) * rng.nextDouble());
            double aspectRatio = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int w = (int) Math.rint(Math.sqrt(targetArea * aspectRatio));
            int h = (int) Math.rint(Math.sqrt(targetArea / aspectRatio));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int top = rng.nextInt(height - h + 1);
                int left = rng.nextInt(width - w + 1);
                return new Box(left, top, w, h);
            }
        }
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < MIN_RATIO) {
            w = width;
            h = (int) Math.rint(w / MIN_RATIO);
        } else if (inRatio > MAX_RATIO) {
            h = height;
            w = (int) Math.rint(h * MAX_RATIO);
        } else {
            w = width;
            h = height;
        }
        return new Box((width - w) / 2, (height - h) / 2, w, h);
    }

    private void write(RgbImage image, boolean flip, float[] dst, int offset) {
        int side = cropSize;
        int plane = side * side;
        byte[] px = image.pixels();
        for (int y = 0; y < side; y++) {
            int row = offset + y * side;
            for (int x = 0; x < side; x++) {
                int p = 3 * (y * side + (flip ? side - 1 - x : x));
                int o = row + x;
                dst[o] = normalised[0][px[p] & 0xff];
                dst[o + plane] = normalised[1][px[p + 1] & 0xff];
                dst[o + 2 * plane] = normalised[2][px[p + 2] & 0xff];
            }
        }
    }

    /**
     * A box in the resized image: columns {@code [left, left + width)}, rows {@code [top, top +
     * height)}.
     */
    record Box(int left, int top, int width, int height) {}
}
