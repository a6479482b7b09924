package io.sfastream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sfastream.nn.ModelSpec;
import java.util.List;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

class AugmenterTest {

    /** 3x2 RGB image, pixel (y, x) channel c = 10*(y*3 + x) + c. */
    private static byte[] image() {
        byte[] b = new byte[3 * 2 * 3];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                for (int c = 0; c < 3; c++) {
                    b[(y * 3 + x) * 3 + c] = (byte) (10 * (y * 3 + x) + c);
                }
            }
        }
        return b;
    }

    private static Augmenter aug(int padding, boolean flip) {
        return new Augmenter(
                3,
                2,
                3,
                new float[] {0.5f, 0.25f, 0f},
                new float[] {0.5f, 0.25f, 1f},
                padding,
                flip,
                RandomSource.XO_RO_SHI_RO_128_PP.create(1L));
    }

    private static float norm(int pixel, float mean, float std) {
        return (pixel / 255f - mean) / std;
    }

    @Test
    void normaliseWritesChwWithPerChannelStatistics() {
        float[] out = new float[18];
        aug(4, true).normalise(image(), out, 0);
        // channel 1 plane starts at 6; pixel (1, 2) of channel 1 = 10*5 + 1
        assertThat(out[6 + 1 * 3 + 2]).isCloseTo(norm(51, 0.25f, 0.25f), within(1e-6f));
        assertThat(out[0]).isCloseTo(norm(0, 0.5f, 0.5f), within(1e-6f));
        assertThat(out[12 + 4]).isCloseTo(norm(42, 0f, 1f), within(1e-6f));
    }

    @Test
    void cropPadsWithBlackPixelsAndFlipMirrorsColumns() {
        Augmenter a = aug(1, true);
        float[] out = new float[18];
        // origin (0, 0) in the padded image shifts the content down/right by one; the top row and
        // left column are padding
        a.transform(image(), 0, 0, false, out, 0);
        assertThat(out[0])
                .isCloseTo(norm(0, 0.5f, 0.5f), within(1e-6f)); // padding: black, normalised
        assertThat(out[1 * 3 + 1])
                .isCloseTo(norm(0, 0.5f, 0.5f), within(1e-6f)); // (1,1) <- source (0,0) = 0
        assertThat(out[1 * 3 + 2])
                .isCloseTo(norm(10, 0.5f, 0.5f), within(1e-6f)); // (1,2) <- source (0,1)
        // mirrored, no shift (origin = padding): (y, x) <- (y, 2 - x)
        a.transform(image(), 1, 1, true, out, 0);
        assertThat(out[0]).isCloseTo(norm(20, 0.5f, 0.5f), within(1e-6f));
        assertThat(out[3 + 2]).isCloseTo(norm(30, 0.5f, 0.5f), within(1e-6f));
        assertThat(out[12 + 3]).isCloseTo(norm(52, 0f, 1f), within(1e-6f));
    }

    @Test
    void seededDrawsRepeatAndCoverAllOffsets() {
        ModelSpec spec = ModelSpec.fashionMnistSmallCnn(0);
        byte[] img = new byte[28 * 28];
        for (int i = 0; i < img.length; i++) {
            img[i] = (byte) (i * 7);
        }
        float[][] a = Augmenter.reference(spec, 9).augment(List.of(img, img, img));
        float[][] b = Augmenter.reference(spec, 9).augment(List.of(img, img, img));
        assertThat(a).isDeepEqualTo(b);
        // every crop origin 0..8 and both flip states occur
        Augmenter c = Augmenter.reference(spec, 10);
        float[] out = new float[28 * 28];
        java.util.Set<String> seen = new java.util.HashSet<>();
        float[] ref = new float[28 * 28];
        outer:
        for (int draw = 0; draw < 3000; draw++) {
            c.augment(img, out, 0);
            for (int dy = 0; dy <= 8; dy++) {
                for (int dx = 0; dx <= 8; dx++) {
                    for (boolean f : new boolean[] {false, true}) {
                        c.transform(img, dy, dx, f, ref, 0);
                        if (java.util.Arrays.equals(ref, out)) {
                            seen.add(dy + "," + dx + "," + f);
                            continue outer;
                        }
                    }
                }
            }
        }
        assertThat(seen).hasSize(9 * 9 * 2);
    }
}
