package io.sfastream.data.webvision;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an image file (JPEG, PNG, or anything else {@code javax.imageio} reads) into 8-bit RGB
 * the way the reference's {@code Image.open(path).convert('RGB')} does, so that the same file gives
 * the network the same pixels.
 *
 * <p>Pixels are read from the raster, never through {@link BufferedImage#getRGB}: that converts
 * through the colour model to sRGB, which for a grey image applies a gamma curve (grey 100 comes
 * back as about 168) where PIL copies the grey value into R, G and B. The conversions follow PIL:
 *
 * <ul>
 *   <li>grey → R = G = B = grey; an alpha channel is dropped, never composited (PIL drops it too);
 *   <li>paletted (and 1-, 2-, 4-bit grey PNGs, which ImageIO gives as a palette of scaled greys) →
 *       the palette colour;
 *   <li>16-bit RGB, RGBA and grey with alpha → the high byte of each sample (PIL's {@code RGB;16B},
 *       {@code RGBA;16B}, {@code LA;16B} unpackers);
 *   <li>16-bit grey → the value clipped to 255, as PIL's {@code I;16} → {@code RGB} conversion does
 *       (so most 16-bit grey images come out nearly white in the reference too);
 *   <li>CMYK (JPEGs from print workflows) → PIL's {@code cmyk2rgb} formula;
 *   <li>embedded ICC profiles and gamma chunks are ignored, as PIL ignores them in {@code convert}.
 *       ImageIO's JPEG reader would convert a JPEG with an ICC profile to sRGB (a Display P3 or
 *       Adobe RGB photo changes visibly), so the profile segments are cut from JPEG data before
 *       decoding ({@link #withoutIccProfiles}).
 * </ul>
 *
 * <p>Failures all become an {@link ImageDecodeException} with a one-line reason: a missing or
 * unreadable file, content no decoder recognises, a decoder error, a truncated JPEG, an unsupported
 * colour model, or an image over PIL's decompression-bomb limit. A truncated JPEG needs care:
 * ImageIO's JPEG reader only <em>warns</em> about the missing data and returns an image whose lower
 * part is grey, whereas PIL raises "image file is truncated"; the warnings that mean missing data
 * are therefore turned into failures. Other JPEG warnings (extraneous bytes before a marker, a
 * corrupt entropy segment in the middle) pass, as they pass in PIL.
 *
 * <p>Thread-safe: every call uses its own reader.
 */
public final class RgbDecoder {
    /**
     * PIL's {@code Image.MAX_IMAGE_PIXELS} × 2: above it PIL raises {@code DecompressionBombError}.
     */
    static final long MAX_PIXELS = 2L * 89_478_485L;

    private static final byte[] ICC_PROFILE_ID =
            "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);

    private RgbDecoder() {}

    /** Reads and decodes {@code file}; see the class comment for the colour conversions. */
    public static RgbImage decode(Path file) throws ImageDecodeException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException("missing file", e);
        } catch (AccessDeniedException e) {
            throw new ImageDecodeException("cannot read: permission denied", e);
        } catch (IOException e) {
            throw new ImageDecodeException("cannot read: " + e, e);
        }
        return decode(bytes);
    }

    /** Decodes an encoded image held in memory. */
    public static RgbImage decode(byte[] encoded) throws ImageDecodeException {
        if (encoded.length == 0) {
            throw new ImageDecodeException("empty file");
        }
        byte[] data = withoutIccProfiles(encoded);
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            ImageReader reader = null;
            for (Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
                    reader == null && readers.hasNext(); ) {
                reader = readers.next();
                if ("wbmp".equalsIgnoreCase(reader.getFormatName())) {
                    // WBMP has no magic number, so its reader claims some headerless garbage; PIL
                    // has no WBMP decoder.
                    reader.dispose();
                    reader = null;
                }
            }
            if (reader == null) {
                throw new ImageDecodeException("not an image: no decoder recognises the content");
            }
            try {
                return read(reader, in);
            } finally {
                reader.dispose();
            }
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Decoders fed garbage throw anything from IIOException to
            // ArrayIndexOutOfBoundsException.
            throw new ImageDecodeException("corrupt image: " + describe(e), e);
        }
    }

    private static RgbImage read(ImageReader reader, ImageInputStream in) throws IOException {
        reader.setInput(in, true, true);
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width * height > MAX_PIXELS) {
            throw new ImageDecodeException(
                    "image too large: "
                            + width
                            + "x"
                            + height
                            + " pixels, over PIL's limit of "
                            + MAX_PIXELS);
        }
        BufferedImage image;
        try {
            image = reader.read(0);
        } catch (IIOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("Unsupported Image Type")) {
                // The JPEG reader's words for colour types it cannot convert.
                throw new ImageDecodeException("unsupported colour model: " + message, e);
            }
            throw e;
        }
        if (image == null) {
            throw new ImageDecodeException(
                    "corrupt image: the " + reader.getFormatName() + " decoder returned nothing");
        }
        for (String warning : warnings) {
            if (meansMissingData(warning)) {
                throw new ImageDecodeException("truncated image: " + warning);
            }
        }
        return toRgb(image);
    }

    /**
     * JPEG data without its {@code APP2 ICC_PROFILE} segments (the same array when it has none, or
     * is no JPEG): with a profile, ImageIO's JPEG reader converts the pixels from the profile to
     * sRGB, which PIL never does. Only the marker segments before the first scan are looked at;
     * anything unexpected leaves the data as it is.
     */
    static byte[] withoutIccProfiles(byte[] data) {
        if (data.length < 4 || (data[0] & 0xff) != 0xFF || (data[1] & 0xff) != 0xD8) {
            return data;
        }
        List<int[]> cuts = new ArrayList<>();
        int p = 2;
        while (p + 4 <= data.length && (data[p] & 0xff) == 0xFF) {
            int marker = data[p + 1] & 0xff;
            if (marker == 0xFF) { // fill byte
                p++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) { // start of scan, end of image
                break;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length field
                p += 2;
                continue;
            }
            int length = ((data[p + 2] & 0xff) << 8) | (data[p + 3] & 0xff);
            if (length < 2 || p + 2 + length > data.length) {
                break;
            }
            if (marker == 0xE2
                    && length >= 2 + ICC_PROFILE_ID.length
                    && Arrays.equals(
                            data,
                            p + 4,
                            p + 4 + ICC_PROFILE_ID.length,
                            ICC_PROFILE_ID,
                            0,
                            ICC_PROFILE_ID.length)) {
                cuts.add(new int[] {p, p + 2 + length});
            }
            p += 2 + length;
        }
        if (cuts.isEmpty()) {
            return data;
        }
        int removed = 0;
        for (int[] cut : cuts) {
            removed += cut[1] - cut[0];
        }
        byte[] out = new byte[data.length - removed];
        int from = 0;
        int to = 0;
        for (int[] cut : cuts) {
            System.arraycopy(data, from, out, to, cut[0] - from);
            to += cut[0] - from;
            from = cut[1];
        }
        System.arraycopy(data, from, out, to, data.length - from);
        return out;
    }

    /**
     * The warnings that ImageIO's JPEG reader gives where PIL would raise "image file is
     * truncated".
     */
    static boolean meansMissingData(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end of jpeg file")
                || w.contains("truncated")
                || w.contains("missing eoi");
    }

    /** The raster's samples as PIL's {@code convert('RGB')} gives them (see the class comment). */
    static RgbImage toRgb(BufferedImage image) throws ImageDecodeException {
        int width = image.getWidth();
        int height = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        byte[] rgb = new byte[3 * width * height];
        int[] row = new int[width * bands];
        if (cm instanceof IndexColorModel palette) {
            int[] red = new int[palette.getMapSize()];
            int[] green = new int[red.length];
            int[] blue = new int[red.length];
            for (int p = 0; p < red.length; p++) {
                red[p] = palette.getRed(p);
                green[p] = palette.getGreen(p);
                blue[p] = palette.getBlue(p);
            }
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, 0, row);
                for (int x = 0, o = 3 * y * width; x < width; x++, o += 3) {
                    int p = row[x];
                    if (p < 0 || p >= red.length) {
                        throw new ImageDecodeException(
                                "corrupt image: palette index "
                                        + p
                                        + " with "
                                        + red.length
                                        + " palette entries");
                    }
                    rgb[o] = (byte) red[p];
                    rgb[o + 1] = (byte) green[p];
                    rgb[o + 2] = (byte) blue[p];
                }
            }
            return new RgbImage(width, height, rgb);
        }
        int colours = cm.getNumColorComponents();
        int space = cm.getColorSpace().getType();
        int bits = cm.getComponentSize(0);
        if (colours == 4 && space == ColorSpace.TYPE_CMYK && bits == 8) {
            return cmykToRgb(raster, width, height);
        }
        boolean grey = colours == 1 && space == ColorSpace.TYPE_GRAY;
        if (!grey && !(colours == 3 && space == ColorSpace.TYPE_RGB)) {
            throw new ImageDecodeException(
                    "unsupported colour model: "
                            + colours
                            + " colour components"
                            + (space == ColorSpace.TYPE_CMYK ? " (" + bits + "-bit CMYK)" : ""));
        }
        int[][] lut = new int[colours][];
        for (int b = 0; b < colours; b++) {
            int componentBits = cm.getComponentSize(b);
            if (componentBits < 1 || componentBits > 16) {
                throw new ImageDecodeException(
                        "unsupported colour model: " + componentBits + "-bit samples");
            }
            lut[b] = sampleTo8Bit(componentBits, grey && !cm.hasAlpha());
        }
        for (int y = 0; y < height; y++) {
            raster.getPixels(0, y, width, 1, row);
            for (int x = 0, i = 0, o = 3 * y * width; x < width; x++, i += bands, o += 3) {
                if (grey) {
                    byte v = (byte) lut[0][row[i]];
                    rgb[o] = v;
                    rgb[o + 1] = v;
                    rgb[o + 2] = v;
                } else {
                    rgb[o] = (byte) lut[0][row[i]];
                    rgb[o + 1] = (byte) lut[1][row[i + 1]];
                    rgb[o + 2] = (byte) lut[2][row[i + 2]];
                }
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /**
     * PIL's {@code cmyk2rgb}: {@code channel = nk − nk · c / 255} with {@code nk = 255 − k}, in its
     * integer arithmetic. ImageIO already undoes the inversion of Adobe CMYK JPEGs, as PIL's {@code
     * CMYK;I} raw mode does.
     */
    private static RgbImage cmykToRgb(Raster raster, int width, int height) {
        byte[] rgb = new byte[3 * width * height];
        int[] row = new int[4 * width];
        for (int y = 0; y < height; y++) {
            raster.getPixels(0, y, width, 1, row);
            for (int x = 0, i = 0, o = 3 * y * width; x < width; x++, i += 4, o += 3) {
                int nk = 255 - row[i + 3];
                for (int c = 0; c < 3; c++) {
                    int t = row[i + c] * nk + 128;
                    rgb[o + c] = (byte) Math.max(0, Math.min(255, nk - (((t >> 8) + t) >> 8)));
                }
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /**
     * Sample value → 8-bit value, by PIL's rules for the sample depth: 16-bit samples keep their
     * high byte except plain grey ({@code I;16}), which is clipped; other depths are scaled.
     */
    private static int[] sampleTo8Bit(int bits, boolean clip16) {
        int max = (1 << bits) - 1;
        int[] lut = new int[max + 1];
        for (int v = 0; v <= max; v++) {
            if (bits == 8) {
                lut[v] = v;
            } else if (bits == 16) {
                lut[v] = clip16 ? Math.min(v, 255) : v >>> 8;
            } else {
                lut[v] = (v * 255 + max / 2) / max;
            }
        }
        return lut;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank()
                ? e.getClass().getSimpleName()
                : message.strip().replaceAll("\\s+", " ");
    }
}
