package io.sfastream.data.webvision;

/**
 * Public helpers on {@link RgbImage} for readers outside this package (the image-folder and
 * WebVision replays): PIL-exact resizing ({@link BilinearResize}) and the 8-bit HWC bytes of an
 * {@link io.sfastream.data.ImageSet}.
 */
public final class RgbImages {
    private RgbImages() {}

    /**
     * {@code image} resized to exactly {@code width × height} (aspect ratio not kept), as PIL's
     * {@code resize((w, h), BILINEAR)}; the same image when it already has that size.
     */
    public static RgbImage resize(RgbImage image, int width, int height) {
        if (image.width() == width && image.height() == height) {
            return image;
        }
        return BilinearResize.resize(image, width, height);
    }

    /**
     * The image's pixels as {@code width × height × channels} HWC bytes: a copy of R, G, B for 3
     * channels, the ITU-R BT.601 luma {@code round(0.299 R + 0.587 G + 0.114 B)} for 1 (a grey
     * source, R = G = B, keeps its values exactly), the rule the job's decoder uses for PNG/JPEG.
     */
    public static byte[] toBytes(RgbImage image, int channels) {
        byte[] rgb = image.pixels();
        if (channels == 3) {
            return rgb.clone();
        }
        if (channels != 1) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        byte[] grey = new byte[rgb.length / 3];
        for (int p = 0; p < grey.length; p++) {
            int r = rgb[3 * p] & 0xff;
            int g = rgb[3 * p + 1] & 0xff;
            int b = rgb[3 * p + 2] & 0xff;
            grey[p] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
        }
        return grey;
    }
}
