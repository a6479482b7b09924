package io.sfastream.data.webvision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BilinearResizeTest {

    /**
     * SHA-256 of Pillow 9.4's {@code formula(w, h).resize((outW, outH), Image.BILINEAR).tobytes()},
     * of its {@code .crop(centre box)} and of {@code .crop((3, 2, 3 + boxW, 2 +
     * boxH)).resize((crop, crop), BILINEAR)}: upscaling, antialiased downscaling (97x70 → 44x32),
     * and the reference's own sizes.
     */
    @ParameterizedTest
    @CsvSource({
        "23, 31, 32, 43, 2, 8, 28, 17, 13, 1b5c4e7d6a875638469e957a28d0a2fde20c167a18e260a68b558a85a0c9817c,"
                + " e6951b3b59f7e7d3d0ca16241cadace112bae96008a8e1f47d9e302db84d6dc1,"
                + " d970ade3344a3184783f81e871cf982333e22d32137b6afa781a33e268ebafc1",
        "61, 40, 48, 32, 10, 2, 28, 17, 13, 35533009257001390b296196b8e46e883f41ef3db8248377cae5e2a793ec4306,"
                + " 7f302dca82f391ea30a00c59a85f1572f0182d9739acfe1ef1fdaa4d6d78df81,"
                + " 0c9b51059bb91c36d9bd9c7fe902a6d4081371073243887f6349dedd1126aefb",
        "97, 70, 44, 32, 8, 2, 28, 17, 13, d6a525fa29eee8dd006c700390f52acb6b6ded0cd5b7ec2221217d9340a0a380,"
                + " 4a477ccaef28b31dd768a4133696a90ea24dab381ae7e49cddfad842126429e1,"
                + " b33d309d9513fb0a017b1c73631e0aefea6686f42066abbcfba0a8d4a5f916e1",
        "256, 341, 32, 42, 2, 7, 28, 17, 13, 8b869a9291f8e310e29b704e54182e14eddcfc51abc95aefb24d82dbd9f18952,"
                + " 46eea3fa76be0c8a5c0113c5dc2b9599724a339336d9f8f8645f95967435234e,"
                + " ce4dd942e4b4919ad18706126f69a15924c1b33f28d97967ea32d8acffbfb389",
        "61, 40, 488, 320, 94, 10, 299, 211, 157, 4146656d53db6048ad77a372ea4b298e666a2400e32993bedd6aae1c018cef68,"
                + " e62e50ea5e9b669278665f83e52ba29fde49938e1d52fafc6fbf4ff7dc368d68,"
                + " 1d681427499ed98f6d942cc22fd00f30cb4b63778bcb55ce9c146405ba623899",
        "256, 341, 320, 426, 10, 64, 299, 211, 157, eb74e34aac481720e595b1128b8ec0a5fc1b5e98d104d3e932bf826ac641a2c5,"
                + " 50a31f06934bb402c3b3924a6f36789489fb4d0b04f402e9ce8aa9c885d11081,"
                + " 51e4abd774801a51795e0f8921c8e089c4c5d10e6f199ed2b4443b248dc2965f",
    })
    void matchesPillowBitForBit(
            int w,
            int h,
            int outW,
            int outH,
            int left,
            int top,
            int crop,
            int boxW,
            int boxH,
            String resized,
            String centre,
            String box) {
        RgbImage image = TestImages.formula(w, h);

        assertThat(TestImages.sha256(BilinearResize.resize(image, outW, outH).pixels()))
                .isEqualTo(resized);
        assertThat(
                        TestImages.sha256(
                                BilinearResize.resizeWindow(
                                                image, outW, outH, left, top, crop, crop)
                                        .pixels()))
                .isEqualTo(centre);
        RgbImage region = BilinearResize.resizeWindow(image, outW, outH, 3, 2, boxW, boxH);
        assertThat(TestImages.sha256(BilinearResize.resize(region, crop, crop).pixels()))
                .isEqualTo(box);
    }

    @Test
    void aWindowIsExactlyThatCropOfTheFullResize() {
        Random random = new Random(7);
        for (int trial = 0; trial < 40; trial++) {
            RgbImage image =
                    TestImages.noise(1 + random.nextInt(50), 1 + random.nextInt(50), trial);
            int outW = 1 + random.nextInt(70);
            int outH = 1 + random.nextInt(70);
            RgbImage full = BilinearResize.resize(image, outW, outH);
            int left = random.nextInt(outW);
            int top = random.nextInt(outH);
            int width = 1 + random.nextInt(outW - left);
            int height = 1 + random.nextInt(outH - top);

            RgbImage window =
                    BilinearResize.resizeWindow(image, outW, outH, left, top, width, height);

            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < 3; c++) {
                        assertThat(window.get(x, y, c))
                                .as("trial %d (%d, %d, %d)", trial, x, y, c)
                                .isEqualTo(full.get(left + x, top + y, c));
                    }
                }
            }
        }
    }

    @Test
    void sameSizeIsACopyAndOneAxisChangesOnlyThatAxis() {
        RgbImage image = TestImages.gradient(20, 30);
        assertThat(BilinearResize.resize(image, 20, 30).pixels()).isEqualTo(image.pixels());

        // Only the height changes: every column keeps its red value (red = x).
        RgbImage taller = BilinearResize.resize(image, 20, 45);
        for (int y = 0; y < 45; y++) {
            for (int x = 0; x < 20; x++) {
                assertThat(taller.get(x, y, 0)).isEqualTo(x);
            }
        }
    }

    @Test
    void aSolidColourStaysExactlyThatColour() {
        RgbImage image = TestImages.solid(37, 23, 200, 13, 255);
        for (int[] size : new int[][] {{5, 3}, {74, 46}, {100, 7}, {1, 1}}) {
            RgbImage out = BilinearResize.resize(image, size[0], size[1]);
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    assertThat(new int[] {out.get(x, y, 0), out.get(x, y, 1), out.get(x, y, 2)})
                            .containsExactly(200, 13, 255);
                }
            }
        }
    }

    @Test
    void rejectsAWindowOutsideTheOutput() {
        RgbImage image = TestImages.solid(4, 4, 0, 0, 0);
        assertThatThrownBy(() -> BilinearResize.resizeWindow(image, 8, 8, 4, 0, 5, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 8x8");
    }
}
