package io.sfastream.data.webvision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RgbDecoderTest {
    @TempDir Path dir;

    private static int[] pixel(RgbImage image, int x, int y) {
        return new int[] {image.get(x, y, 0), image.get(x, y, 1), image.get(x, y, 2)};
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = RgbDecoderTest.class.getResourceAsStream("/webvision/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void rgbPngRoundTripsExactly() throws Exception {
        RgbImage image = TestImages.formula(23, 17);
        Path file = TestImages.write(dir.resolve("a.png"), TestImages.toBuffered(image), "png");
        assertThat(RgbDecoder.decode(file).pixels()).isEqualTo(image.pixels());
    }

    @Test
    void greyBecomesEqualChannelsWithTheStoredValueNotAnSrgbCurve() throws Exception {
        // BufferedImage.getRGB would give about 168 for grey 100 (linear grey → sRGB); PIL copies
        // the value.
        RgbImage png = RgbDecoder.decode(TestImages.encode(TestImages.grey(9, 7, 100), "png"));
        assertThat(pixel(png, 4, 3)).containsExactly(100, 100, 100);
        assertThat(pixel(png, 0, 0)).containsExactly(100, 100, 100);

        // JPEG is lossy, but a flat grey block survives and must stay grey.
        RgbImage jpeg = RgbDecoder.decode(TestImages.encode(TestImages.grey(16, 16, 100), "jpeg"));
        assertThat(pixel(jpeg, 8, 8)).containsExactly(100, 100, 100);
    }

    @Test
    void palettedImagesTakeThePaletteColours() throws Exception {
        int[][] palette = {{255, 0, 0}, {0, 128, 0}, {7, 8, 9}, {250, 250, 250}};
        RgbImage image =
                RgbDecoder.decode(TestImages.encode(TestImages.paletted(8, 3, palette), "png"));
        for (int x = 0; x < 8; x++) {
            assertThat(pixel(image, x, 1)).containsExactly(palette[x % 4]);
        }
    }

    @Test
    void alphaIsDroppedNotComposited() throws Exception {
        java.awt.image.BufferedImage argb =
                new java.awt.image.BufferedImage(3, 2, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x000a141e); // fully transparent (10, 20, 30)
        argb.setRGB(1, 0, 0x80c86432); // half transparent (200, 100, 50)
        RgbImage image = RgbDecoder.decode(TestImages.encode(argb, "png"));
        assertThat(pixel(image, 0, 0)).containsExactly(10, 20, 30);
        assertThat(pixel(image, 1, 0)).containsExactly(200, 100, 50);
    }

    @Test
    void sixteenBitSamplesConvertAsPilDoes() throws Exception {
        // Grey is clipped to 255 (PIL's I;16 → RGB); RGB keeps the high byte (PIL's RGB;16B
        // unpacker).
        RgbImage grey =
                RgbDecoder.decode(TestImages.encode(TestImages.sixteenBit(4, 4, 200), "png"));
        assertThat(pixel(grey, 1, 1)).containsExactly(200, 200, 200);
        RgbImage bright =
                RgbDecoder.decode(TestImages.encode(TestImages.sixteenBit(4, 4, 40000), "png"));
        assertThat(pixel(bright, 1, 1)).containsExactly(255, 255, 255);
        RgbImage rgb =
                RgbDecoder.decode(
                        TestImages.encode(
                                TestImages.sixteenBit(4, 4, 0x1234, 0xff00, 0x00ff), "png"));
        assertThat(pixel(rgb, 2, 3)).containsExactly(0x12, 0xff, 0x00);
        // Grey with alpha is PIL's LA;16B: the high byte, like RGB.
        RgbImage greyAlpha =
                RgbDecoder.decode(
                        TestImages.encode(TestImages.sixteenBit(4, 4, 0x1234, 0x8000), "png"));
        assertThat(pixel(greyAlpha, 0, 2)).containsExactly(0x12, 0x12, 0x12);
    }

    @Test
    void pillowsJpegDecodesToPillowsPixels() throws Exception {
        // Written by Pillow 9.4 (quality 75, 4:2:0 chroma subsampling); hash of
        // Image.open(f).convert('RGB').tobytes().
        RgbImage image = RgbDecoder.decode(resource("pil-q75-420.jpg"));
        assertThat(pixel(image, 5, 3)).containsExactly(121, 184, 114);
        assertThat(TestImages.sha256(image.pixels()))
                .isEqualTo("948188080527542fe5561583da5f019aafea2dc8ce657f8bbfd5203d60723d75");
    }

    @Test
    void cmykJpegConvertsWithPilsFormula() throws Exception {
        // Pillow's formula(24, 20).convert('CMYK') saved as JPEG (Adobe marker, inverted); hash of
        // convert('RGB').
        RgbImage image = RgbDecoder.decode(resource("pil-cmyk.jpg"));
        assertThat(pixel(image, 5, 3)).containsExactly(111, 200, 24);
        assertThat(TestImages.sha256(image.pixels()))
                .isEqualTo("6c15e65a66edf0d103033f3abd66b2c9ca8962946df6051805fae6327f2a6726");
    }

    @Test
    void anEmbeddedIccProfileIsIgnoredAsInPil() throws Exception {
        // Pillow: formula(24, 20) saved as JPEG with the JDK's linear-RGB ICC profile embedded.
        // ImageIO alone would
        // convert linear → sRGB (brightening almost every pixel); PIL's convert('RGB') leaves the
        // values alone.
        byte[] jpeg = resource("pil-icc-linear-rgb.jpg");
        RgbImage image = RgbDecoder.decode(jpeg);
        assertThat(pixel(image, 5, 3)).containsExactly(129, 173, 120);
        assertThat(TestImages.sha256(image.pixels()))
                .isEqualTo("4821a2e54cca8afa56cdf19a4333be1e1a5866fd633d3eded47f2983925f32e9");
        assertThat(RgbDecoder.withoutIccProfiles(jpeg))
                .hasSize(jpeg.length - (2 + 2 + 12 + 2 + 488));
    }

    @Test
    void onlyIccSegmentsAreCut() {
        byte[] plain = TestImages.encode(TestImages.toBuffered(TestImages.noise(8, 8, 4)), "jpeg");
        assertThat(RgbDecoder.withoutIccProfiles(plain)).isSameAs(plain);
        byte[] png = TestImages.encode(TestImages.toBuffered(TestImages.noise(8, 8, 4)), "png");
        assertThat(RgbDecoder.withoutIccProfiles(png)).isSameAs(png);

        // SOI, APP2 "ICC_PROFILE\0" + 2 bytes, APP2 "OTHER" (kept), then the rest of the plain
        // JPEG.
        byte[] icc = {
            (byte) 0xFF,
            (byte) 0xE2,
            0,
            16,
            'I',
            'C',
            'C',
            '_',
            'P',
            'R',
            'O',
            'F',
            'I',
            'L',
            'E',
            0,
            1,
            1
        };
        byte[] other = {(byte) 0xFF, (byte) 0xE2, 0, 7, 'O', 'T', 'H', 'E', 'R'};
        byte[] withBoth = new byte[plain.length + icc.length + other.length];
        System.arraycopy(plain, 0, withBoth, 0, 2);
        System.arraycopy(icc, 0, withBoth, 2, icc.length);
        System.arraycopy(other, 0, withBoth, 2 + icc.length, other.length);
        System.arraycopy(plain, 2, withBoth, 2 + icc.length + other.length, plain.length - 2);
        byte[] expected = new byte[plain.length + other.length];
        System.arraycopy(plain, 0, expected, 0, 2);
        System.arraycopy(other, 0, expected, 2, other.length);
        System.arraycopy(plain, 2, expected, 2 + other.length, plain.length - 2);
        assertThat(RgbDecoder.withoutIccProfiles(withBoth)).isEqualTo(expected);
    }

    @Test
    void truncatedJpegsFailAsInPil() throws Exception {
        byte[] jpeg = TestImages.encode(TestImages.toBuffered(TestImages.noise(64, 48, 1)), "jpeg");
        for (byte[] cut :
                new byte[][] {
                    Arrays.copyOf(jpeg, jpeg.length * 3 / 5),
                    Arrays.copyOf(jpeg, jpeg.length - 2),
                    Arrays.copyOf(jpeg, 300)
                }) {
            assertThatThrownBy(() -> RgbDecoder.decode(cut))
                    .as("%d of %d bytes", cut.length, jpeg.length)
                    .isInstanceOf(ImageDecodeException.class)
                    .hasMessageMatching("(truncated image|corrupt image): .*");
        }
        assertThatThrownBy(() -> RgbDecoder.decode(Arrays.copyOf(jpeg, jpeg.length * 3 / 5)))
                .hasMessageStartingWith("truncated image: ");
    }

    @Test
    void extraneousBytesBeforeTheEndMarkerPassAsInPil() throws Exception {
        RgbImage source = TestImages.solid(16, 16, 30, 60, 90);
        byte[] jpeg = TestImages.encode(TestImages.toBuffered(source), "jpeg");
        byte[] padded = new byte[jpeg.length + 3];
        System.arraycopy(jpeg, 0, padded, 0, jpeg.length - 2);
        padded[jpeg.length - 2] = 1;
        padded[jpeg.length - 1] = 2;
        padded[jpeg.length] = 3;
        System.arraycopy(jpeg, jpeg.length - 2, padded, jpeg.length + 1, 2);
        assertThat(RgbDecoder.decode(padded).pixels()).isEqualTo(RgbDecoder.decode(jpeg).pixels());
    }

    @Test
    void unreadableContentFailsWithAOneLineReason() throws Exception {
        byte[] random = new byte[600];
        new java.util.Random(5).nextBytes(random);
        assertThatThrownBy(() -> RgbDecoder.decode(random))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessage("not an image: no decoder recognises the content");
        assertThatThrownBy(() -> RgbDecoder.decode(new byte[0])).hasMessage("empty file");
        // A well-formed 8x2 WBMP: ImageIO reads it, PIL cannot (and headerless garbage can look
        // like one).
        assertThatThrownBy(() -> RgbDecoder.decode(new byte[] {0, 0, 8, 2, 0x55, 0x2a}))
                .hasMessage("not an image: no decoder recognises the content");
        assertThatThrownBy(() -> RgbDecoder.decode(dir.resolve("nope.jpg")))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessage("missing file");

        byte[] png = TestImages.encode(TestImages.toBuffered(TestImages.noise(40, 40, 2)), "png");
        assertThatThrownBy(() -> RgbDecoder.decode(Arrays.copyOf(png, png.length / 2)))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageStartingWith("corrupt image: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
