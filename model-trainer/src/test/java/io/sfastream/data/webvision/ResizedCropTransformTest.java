package io.sfastream.data.webvision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfastream.data.webvision.ResizedCropTransform.Box;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

class ResizedCropTransformTest {
    private static final ResizedCropTransform SMALL = new ResizedCropTransform(32, 28);

    private static UniformRandomProvider seeded(long seed) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    }

    @Test
    void normalisationIsTorchvisionsFloat32ArithmeticToTheBit() {
        // numpy: (np.float32(v) / np.float32(255) - np.float32(mean[c])) / np.float32(std[c]), as
        // raw float bits.
        assertThat(Float.floatToIntBits(SMALL.normalise(0, 0))).isEqualTo(0xc0078bbd);
        assertThat(Float.floatToIntBits(SMALL.normalise(0, 255))).isEqualTo(0x400fee1d);
        assertThat(Float.floatToIntBits(SMALL.normalise(1, 128))).isEqualTo(0x3e521b48);
        assertThat(Float.floatToIntBits(SMALL.normalise(2, 77))).isEqualTo(0xbeecbf39);
        assertThat(Float.floatToIntBits(SMALL.normalise(1, 1))).isEqualTo(0xc0012a4f);
    }

    @Test
    void resizeScalesTheShorterSideAndTruncatesTheLonger() {
        assertThat(ResizedCropTransform.resizedSize(40, 60, 32)).containsExactly(32, 48);
        assertThat(ResizedCropTransform.resizedSize(60, 40, 32)).containsExactly(48, 32);
        assertThat(ResizedCropTransform.resizedSize(23, 31, 32)).containsExactly(32, 43); // 43.13
        assertThat(ResizedCropTransform.resizedSize(3, 5, 4))
                .containsExactly(4, 6); // 6.67 truncated, not rounded
        assertThat(ResizedCropTransform.resizedSize(50, 50, 32)).containsExactly(32, 32);
        assertThat(ResizedCropTransform.resizedSize(256, 341, 320)).containsExactly(320, 426);
    }

    @Test
    void centreCropOffsetsRoundHalfToEvenAsPythonDoes() {
        assertThat(ResizedCropTransform.centreCropBox(48, 32, 28))
                .isEqualTo(new Box(10, 2, 28, 28));
        assertThat(ResizedCropTransform.centreCropBox(320, 426, 299))
                .isEqualTo(new Box(10, 64, 299, 299)); // 10.5
        assertThat(ResizedCropTransform.centreCropBox(322, 300, 299))
                .isEqualTo(new Box(12, 0, 299, 299)); // 11.5
        assertThatThrownBy(() -> ResizedCropTransform.centreCropBox(27, 40, 28))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void evalOfASolidColourIsExactlyTheNormalisedColourEverywhere() {
        float[] dst = new float[SMALL.pixelsPerImage() + 5];
        SMALL.eval(TestImages.solid(40, 60, 12, 200, 97), dst, 5);

        int plane = 28 * 28;
        int[] colour = {12, 200, 97};
        for (int c = 0; c < 3; c++) {
            float expected =
                    (colour[c] / 255f - ResizedCropTransform.IMAGENET_MEAN[c])
                            / ResizedCropTransform.IMAGENET_STD[c];
            for (int p = 0; p < plane; p++) {
                assertThat(dst[5 + c * plane + p]).isEqualTo(expected);
            }
        }
        assertThat(dst[0]).isZero();
    }

    @Test
    void evalCropsTheCentreOfTheResizedImage() {
        // Resize 41 leaves a 41x60 image as it is, so the output is a plain crop: left = round(6.5)
        // = 6, top = 16.
        ResizedCropTransform t = new ResizedCropTransform(41, 28);
        float[] dst = new float[t.pixelsPerImage()];
        t.eval(TestImages.gradient(41, 60), dst, 0);

        byte[] crop = TestImages.denormalise(t, dst, 0);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int p = 3 * (y * 28 + x);
                assertThat(crop[p] & 0xff).isEqualTo(6 + x);
                assertThat(crop[p + 1] & 0xff).isEqualTo(16 + y);
            }
        }
    }

    @Test
    void evalMatchesPillowAtTheReferenceSizes() {
        // Pillow: formula(256, 341).resize((320, 426), BILINEAR).crop((10, 64, 309, 363)).
        ResizedCropTransform t = ResizedCropTransform.reference();
        float[] dst = new float[t.pixelsPerImage()];
        t.eval(TestImages.formula(256, 341), dst, 0);
        assertThat(TestImages.sha256(TestImages.denormalise(t, dst, 0)))
                .isEqualTo("50a31f06934bb402c3b3924a6f36789489fb4d0b04f402e9ce8aa9c885d11081");
    }

    @Test
    void randomResizedCropDrawsAsTorchvision() {
        // 48x32: target area 1536 · (0.08 + 0.92 · 0.5) = 829.44, log-ratio midpoint = ratio 1, so
        // w = h = 29.
        TestImages.Scripted rng = new TestImages.Scripted().thenDoubles(0.5, 0.5).thenInts(3, 19);
        assertThat(ResizedCropTransform.randomResizedCropBox(48, 32, rng))
                .isEqualTo(new Box(19, 3, 29, 29));
        assertThat(rng.bounds).containsExactly(32 - 29 + 1, 48 - 29 + 1); // top first, then left
        assertThat(rng.exhausted()).isTrue();
    }

    @Test
    void randomResizedCropFallsBackToTheCentreAfterTenMisses() {
        // Nearly the whole area at ratio ~4/3 is wider than any of these images: 10 misses.
        double[] misses = new double[20];
        Arrays.fill(misses, 0.999);
        assertThat(
                        ResizedCropTransform.randomResizedCropBox(
                                100, 10, new TestImages.Scripted().thenDoubles(misses)))
                .isEqualTo(new Box(43, 0, 13, 10)); // widest box of ratio 4/3: round(13.33) wide
        assertThat(
                        ResizedCropTransform.randomResizedCropBox(
                                10, 100, new TestImages.Scripted().thenDoubles(misses)))
                .isEqualTo(new Box(0, 43, 10, 13)); // tallest box of ratio 3/4
        assertThat(
                        ResizedCropTransform.randomResizedCropBox(
                                31, 30, new TestImages.Scripted().thenDoubles(misses)))
                .isEqualTo(new Box(0, 0, 31, 30)); // ratio within [3/4, 4/3]: the whole image
    }

    @Test
    void randomResizedCropBoxesStayInsideTheImage() {
        UniformRandomProvider rng = seeded(11);
        int[][] sizes = {{32, 48}, {48, 32}, {32, 32}, {32, 320}, {320, 32}, {1, 1}, {2, 90}};
        for (int[] size : sizes) {
            Set<Box> seen = new HashSet<>();
            for (int draw = 0; draw < 2000; draw++) {
                Box box = ResizedCropTransform.randomResizedCropBox(size[0], size[1], rng);
                assertThat(box.width()).isBetween(1, size[0]);
                assertThat(box.height()).isBetween(1, size[1]);
                assertThat(box.left()).isBetween(0, size[0] - box.width());
                assertThat(box.top()).isBetween(0, size[1] - box.height());
                seen.add(box);
            }
            if (Math.min(size[0], size[1])
                    >= 32) { // thin images almost always take the centred fallback
                assertThat(seen).as("boxes of %dx%d", size[0], size[1]).hasSizeGreaterThan(50);
            }
        }
    }

    @Test
    void randomResizedCropAreaAndRatioFollowTheDefaults() {
        UniformRandomProvider rng = seeded(3);
        double smallest = 1;
        double largest = 0;
        for (int draw = 0; draw < 5000; draw++) {
            Box box = ResizedCropTransform.randomResizedCropBox(400, 300, rng);
            double fraction = (double) box.width() * box.height() / (400 * 300);
            double ratio = (double) box.width() / box.height();
            if (box.width() == 400 && box.height() == 300) {
                continue; // the fallback, rare at this size
            }
            assertThat(ratio).isBetween(0.74, 1.35);
            assertThat(fraction).isBetween(0.079, 1.0);
            smallest = Math.min(smallest, fraction);
            largest = Math.max(largest, fraction);
        }
        assertThat(smallest).isLessThan(0.1);
        assertThat(largest).isGreaterThan(0.7);
    }

    @Test
    void trainIsDeterministicForASeedAndVariesAcrossSeeds() {
        RgbImage image = TestImages.formula(40, 60);
        float[] a = new float[SMALL.pixelsPerImage()];
        float[] b = new float[SMALL.pixelsPerImage()];
        SMALL.train(image, a, 0, seeded(42));
        SMALL.train(image, b, 0, seeded(42));
        assertThat(b).containsExactly(a);

        Set<Integer> distinct = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            SMALL.train(image, b, 0, seeded(seed));
            distinct.add(Arrays.hashCode(b));
        }
        assertThat(distinct).hasSizeGreaterThan(8);
    }

    @Test
    void trainMatchesPillowForAKnownBox() {
        // formula(61, 40) → Resize(32) = 48x32; box 17x13 at (3, 2); Pillow: crop then resize to
        // 28x28.
        // Area 221 = 1536 · (0.08 + 0.92 u) and ratio 17/13 = exp(log(3/4) + u' · (log(4/3) −
        // log(3/4))).
        double u = (221.0 / 1536 - 0.08) / 0.92;
        double uRatio =
                (Math.log(17.0 / 13) - Math.log(0.75)) / (Math.log(4.0 / 3) - Math.log(0.75));
        TestImages.Scripted rng =
                new TestImages.Scripted().thenDoubles(u, uRatio).thenInts(2, 3).thenDoubles(0.9);
        float[] dst = new float[SMALL.pixelsPerImage()];
        SMALL.train(TestImages.formula(61, 40), dst, 0, rng);

        assertThat(rng.exhausted()).isTrue();
        assertThat(TestImages.sha256(TestImages.denormalise(SMALL, dst, 0)))
                .isEqualTo("0c9b51059bb91c36d9bd9c7fe902a6d4081371073243887f6349dedd1126aefb");
    }

    @Test
    void theFlipMirrorsTheColumns() {
        RgbImage image = TestImages.formula(40, 60);
        float[] kept = new float[SMALL.pixelsPerImage()];
        float[] flipped = new float[SMALL.pixelsPerImage()];
        // The same box both times; the flip draw is 0.5 (no flip: the test is < 0.5) or just below.
        SMALL.train(
                image,
                kept,
                0,
                new TestImages.Scripted().thenDoubles(0.3, 0.6).thenInts(1, 2).thenDoubles(0.5));
        SMALL.train(
                image,
                flipped,
                0,
                new TestImages.Scripted().thenDoubles(0.3, 0.6).thenInts(1, 2).thenDoubles(0.4999));

        assertThat(flipped).isNotEqualTo(kept);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int row = c * 28 * 28 + y * 28;
                    assertThat(flipped[row + x]).isEqualTo(kept[row + 27 - x]);
                }
            }
        }
    }

    @Test
    void rejectsACropLargerThanTheResizeAndAShortDestination() {
        assertThatThrownBy(() -> new ResizedCropTransform(28, 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SMALL.eval(TestImages.solid(30, 30, 0, 0, 0), new float[100], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
