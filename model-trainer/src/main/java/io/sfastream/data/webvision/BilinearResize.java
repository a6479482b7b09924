package io.sfastream.data.webvision;

import java.util.Arrays;

/**
 * PIL's {@code Image.resize(size, Image.BILINEAR)} on RGB images, reproduced to the bit, because
 * torchvision's {@code Resize} and {@code RandomResizedCrop} on PIL images are exactly that call.
 * It is not textbook bilinear interpolation: when shrinking, PIL widens the triangle filter by the
 * scale factor (antialiasing), so every input pixel under the output pixel contributes. The two
 * passes (horizontal, then vertical) use 22-bit fixed-point weights and round the intermediate
 * image to 8 bits, as {@code libImaging/Resample.c} does.
 *
 * <p>{@link #resizeWindow} computes only a window of the resized image. Each output pixel depends
 * on its own coefficients alone, so the window is identical to cropping the full result, and a
 * {@code Resize(320)} of an extreme panorama followed by a 299-pixel crop never materialises the
 * whole resized image.
 */
final class BilinearResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    private BilinearResize() {}

    /** The whole of {@code src} resized to {@code outWidth × outHeight}. */
    static RgbImage resize(RgbImage src, int outWidth, int outHeight) {
        return resizeWindow(src, outWidth, outHeight, 0, 0, outWidth, outHeight);
    }

    /**
     * The window {@code [left, left + width) × [top, top + height)} of {@code src} resized to
     * {@code outWidth × outHeight}.
     */
    static RgbImage resizeWindow(
            RgbImage src, int outWidth, int outHeight, int left, int top, int width, int height) {
        if (outWidth < 1 || outHeight < 1) {
            throw new IllegalArgumentException("bad output size " + outWidth + "x" + outHeight);
        }
        if (left < 0
                || top < 0
                || width < 1
                || height < 1
                || left + width > outWidth
                || top + height > outHeight) {
            throw new IllegalArgumentException(
                    "window "
                            + width
                            + "x"
                            + height
                            + "+"
                            + left
                            + "+"
                            + top
                            + " outside "
                            + outWidth
                            + "x"
                            + outHeight);
        }
        int inWidth = src.width();
        int inHeight = src.height();
        byte[] in = src.pixels();

        // As PIL: a pass runs only when its axis changes size (the box is always the whole image
        // here).
        Axis vertical = outHeight != inHeight ? Axis.of(inHeight, outHeight, top, height) : null;
        int firstRow = vertical != null ? vertical.first[0] : top;
        int endRow =
                vertical != null
                        ? vertical.first[height - 1] + vertical.count[height - 1]
                        : top + height;
        int rows = endRow - firstRow;

        byte[] mid = new byte[3 * width * rows];
        if (outWidth != inWidth) {
            Axis horizontal = Axis.of(inWidth, outWidth, left, width);
            for (int r = 0; r < rows; r++) {
                int rowStart = 3 * (firstRow + r) * inWidth;
                int o = 3 * r * width;
                for (int xx = 0; xx < width; xx++, o += 3) {
                    int k = xx * horizontal.ksize;
                    int p = rowStart + 3 * horizontal.first[xx];
                    int s0 = HALF;
                    int s1 = HALF;
                    int s2 = HALF;
                    for (int x = 0, n = horizontal.count[xx]; x < n; x++, p += 3) {
                        int w = horizontal.weights[k + x];
                        s0 += (in[p] & 0xff) * w;
                        s1 += (in[p + 1] & 0xff) * w;
                        s2 += (in[p + 2] & 0xff) * w;
                    }
                    mid[o] = clip8(s0);
                    mid[o + 1] = clip8(s1);
                    mid[o + 2] = clip8(s2);
                }
            }
        } else {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(
                        in, 3 * ((firstRow + r) * inWidth + left), mid, 3 * r * width, 3 * width);
            }
        }

        if (vertical == null) {
            return new RgbImage(width, height, mid);
        }
        byte[] out = new byte[3 * width * height];
        int stride = 3 * width;
        int[] sums = new int[stride];
        for (int yy = 0; yy < height; yy++) {
            // Row by row rather than column by column: the same integer sums, read in memory order.
            Arrays.fill(sums, HALF);
            int k = yy * vertical.ksize;
            int rowStart = (vertical.first[yy] - firstRow) * stride;
            for (int y = 0, n = vertical.count[yy]; y < n; y++) {
                int w = vertical.weights[k + y];
                for (int c = 0, p = rowStart + y * stride; c < stride; c++, p++) {
                    sums[c] += (mid[p] & 0xff) * w;
                }
            }
            int o = yy * stride;
            for (int c = 0; c < stride; c++) {
                out[o + c] = clip8(sums[c]);
            }
        }
        return new RgbImage(width, height, out);
    }

    private static byte clip8(int sum) {
        if (sum >= (1 << PRECISION_BITS << 8)) {
            return (byte) 255;
        }
        if (sum <= 0) {
            return 0;
        }
        return (byte) (sum >> PRECISION_BITS);
    }

    private static double triangle(double x) {
        double a = Math.abs(x);
        return a < 1.0 ? 1.0 - a : 0.0;
    }

    /**
     * PIL's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for output positions {@code
     * [from, from + count)} of one axis: for each, the first input index, how many inputs it reads
     * and their fixed-point weights (at {@code ksize} spacing).
     */
    private static final class Axis {
        final int ksize;
        final int[] first;
        final int[] count;
        final int[] weights;

        private Axis(int ksize, int n) {
            this.ksize = ksize;
            this.first = new int[n];
            this.count = new int[n];
            this.weights = new int[n * ksize];
        }

        static Axis of(int inSize, int outSize, int from, int n) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // the bilinear filter's support is 1
            Axis axis = new Axis((int) Math.ceil(support) * 2 + 1, n);
            double[] k = new double[axis.ksize];
            for (int i = 0; i < n; i++) {
                double center = (from + i + 0.5) * scale;
                double ss = 1.0 / filterScale;
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double ww = 0.0;
                for (int x = 0; x < xmax; x++) {
                    k[x] = triangle((x + xmin - center + 0.5) * ss);
                    ww += k[x];
                }
                for (int x = 0; x < xmax; x++) {
                    double w = ww != 0.0 ? k[x] / ww : k[x];
                    axis.weights[i * axis.ksize + x] =
                            w < 0
                                    ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                                    : (int) (0.5 + w * (1 << PRECISION_BITS));
                }
                axis.first[i] = xmin;
                axis.count[i] = xmax;
            }
            return axis;
        }
    }
}
