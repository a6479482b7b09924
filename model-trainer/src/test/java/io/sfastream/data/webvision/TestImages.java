package io.sfastream.data.webvision;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.commons.rng.UniformRandomProvider;

/** Images with known content for the WebVision tests, written with ImageIO. */
final class TestImages {
    private TestImages() {}

    /**
     * The formula image the PIL reference values were computed on: {@code channel c of (x, y) =
     * (3x² + 7y + 85c + xy) mod 256}.
     */
    static RgbImage formula(int width, int height) {
        byte[] rgb = new byte[3 * width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    rgb[3 * (y * width + x) + c] =
                            (byte) ((x * x * 3 + y * 7 + c * 85 + x * y) % 256);
                }
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** Red = x, green = y, blue = 255 − x (so every column and row is distinguishable). */
    static RgbImage gradient(int width, int height) {
        byte[] rgb = new byte[3 * width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int o = 3 * (y * width + x);
                rgb[o] = (byte) x;
                rgb[o + 1] = (byte) y;
                rgb[o + 2] = (byte) (255 - x);
            }
        }
        return new RgbImage(width, height, rgb);
    }

    static RgbImage solid(int width, int height, int r, int g, int b) {
        byte[] rgb = new byte[3 * width * height];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) r;
            rgb[i + 1] = (byte) g;
            rgb[i + 2] = (byte) b;
        }
        return new RgbImage(width, height, rgb);
    }

    static RgbImage noise(int width, int height, long seed) {
        byte[] rgb = new byte[3 * width * height];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(width, height, rgb);
    }

    /** An 8-bit RGB {@link BufferedImage} with the pixels of {@code image}. */
    static BufferedImage toBuffered(RgbImage image) {
        BufferedImage out =
                new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = out.getRaster();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    raster.setSample(x, y, c, image.get(x, y, c));
                }
            }
        }
        return out;
    }

    static BufferedImage grey(int width, int height, int value) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = out.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, value);
            }
        }
        return out;
    }

    /**
     * A 16-bit image, every sample of band {@code b} equal to {@code values[b]}: grey (1 value),
     * grey + alpha (2), RGB (3) or RGBA (4).
     */
    static BufferedImage sixteenBit(int width, int height, int... values) {
        boolean grey = values.length <= 2;
        boolean alpha = values.length % 2 == 0;
        ColorSpace space = ColorSpace.getInstance(grey ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        ComponentColorModel cm =
                new ComponentColorModel(
                        space,
                        alpha,
                        false,
                        alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
                        DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int b = 0; b < values.length; b++) {
                    raster.setSample(x, y, b, values[b]);
                }
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }

    /** A 4-colour paletted image: column {@code x} uses palette entry {@code x % 4}. */
    static BufferedImage paletted(int width, int height, int[][] palette) {
        byte[] r = new byte[palette.length];
        byte[] g = new byte[palette.length];
        byte[] b = new byte[palette.length];
        for (int i = 0; i < palette.length; i++) {
            r[i] = (byte) palette[i][0];
            g[i] = (byte) palette[i][1];
            b[i] = (byte) palette[i][2];
        }
        IndexColorModel cm = new IndexColorModel(8, palette.length, r, g, b);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, cm);
        WritableRaster raster = out.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, x % palette.length);
            }
        }
        return out;
    }

    static byte[] encode(BufferedImage image, String format) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, BufferedImage image, String format) throws IOException {
        return write(file, encode(image, format));
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Undoes {@code ToTensor + Normalize} on a transformed image (the normalisation is one-to-one
     * on 0…255), giving the 8-bit HWC crop that PIL would have produced.
     */
    static byte[] denormalise(ResizedCropTransform t, float[] chw, int offset) {
        int side = t.cropSize();
        int plane = side * side;
        byte[] hwc = new byte[3 * plane];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                float v = chw[offset + c * plane + p];
                int found = -1;
                for (int b = 0; b < 256 && found < 0; b++) {
                    if (Float.compare(t.normalise(c, b), v) == 0) {
                        found = b;
                    }
                }
                if (found < 0) {
                    throw new AssertionError(
                            "channel " + c + " value " + v + " is no normalised 8-bit value");
                }
                hwc[3 * p + c] = (byte) found;
            }
        }
        return hwc;
    }

    /**
     * A random provider that replays scripted draws ({@code nextDouble} and {@code nextInt(bound)})
     * and records the bounds asked for, so tests can force a crop box and a flip. Any other draw
     * fails.
     */
    static final class Scripted implements UniformRandomProvider {
        private final Deque<Double> doubles = new ArrayDeque<>();
        private final Deque<Integer> ints = new ArrayDeque<>();
        final List<Integer> bounds = new ArrayList<>();

        Scripted thenDoubles(double... values) {
            for (double v : values) {
                doubles.add(v);
            }
            return this;
        }

        Scripted thenInts(int... values) {
            for (int v : values) {
                ints.add(v);
            }
            return this;
        }

        boolean exhausted() {
            return doubles.isEmpty() && ints.isEmpty();
        }

        @Override
        public double nextDouble() {
            if (doubles.isEmpty()) {
                throw new AssertionError("unscripted nextDouble()");
            }
            return doubles.removeFirst();
        }

        @Override
        public int nextInt(int n) {
            bounds.add(n);
            if (ints.isEmpty()) {
                throw new AssertionError("unscripted nextInt(" + n + ")");
            }
            int v = ints.removeFirst();
            if (v < 0 || v >= n) {
                throw new AssertionError("scripted " + v + " outside [0, " + n + ")");
            }
            return v;
        }

        @Override
        public long nextLong() {
            throw new AssertionError("unscripted draw");
        }
    }
}
