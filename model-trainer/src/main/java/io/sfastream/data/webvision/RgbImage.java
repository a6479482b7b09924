package io.sfastream.data.webvision;

import java.util.Objects;

/**
 * A decoded 8-bit RGB image, rows top to bottom, pixels interleaved ({@code HWC}): the layout of a
 * PIL {@code "RGB"} image, which is what the reference's transforms work on. The pixel array is
 * shared, not copied; nothing in this package writes to an image once it is built.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] rgb;

    /**
     * @param rgb {@code width × height × 3} bytes, {@code rgb[3 * (y * width + x) + c]} for channel
     *     {@code c}
     */
    public RgbImage(int width, int height, byte[] rgb) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("bad image size " + width + "x" + height);
        }
        Objects.requireNonNull(rgb, "rgb");
        if (rgb.length != 3L * width * height) {
            throw new IllegalArgumentException(
                    rgb.length + " bytes for a " + width + "x" + height + " RGB image");
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /**
     * Channel {@code c} (0 = red, 1 = green, 2 = blue) of pixel ({@code x}, {@code y}), in {@code
     * [0, 255]}.
     */
    public int get(int x, int y, int c) {
        Objects.checkIndex(x, width);
        Objects.checkIndex(y, height);
        Objects.checkIndex(c, 3);
        return rgb[3 * (y * width + x) + c] & 0xff;
    }

    /**
     * The backing array, not a copy (package-internal: the transforms read it without per-pixel
     * calls).
     */
    byte[] pixels() {
        return rgb;
    }
}
