package io.sfastream.pipeline;

import io.sfastream.data.DatasetException;
import io.sfastream.data.FashionMnist;
import io.sfastream.data.ImageSet;
import java.util.Random;

/**
 * Real Fashion-MNIST when Debian's dataset-fashion-mnist is installed, otherwise generated class
 * patterns.
 */
final class TestData {
    private TestData() {}

    static ImageSet fashionMnistOrGenerated() throws DatasetException {
        if (FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR)) {
            return FashionMnist.test(FashionMnist.DEFAULT_DIR);
        }
        // 10 classes, each a bright 8x8 block at its own place on a noisy 28x28 background
        Random r = new Random(7);
        int n = 5000;
        byte[][] px = new byte[n][28 * 28];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            for (int p = 0; p < px[i].length; p++) {
                px[i][p] = (byte) r.nextInt(60);
            }
            int y0 = (labels[i] / 5) * 14 + 3;
            int x0 = (labels[i] % 5) * 5;
            for (int y = y0; y < y0 + 8; y++) {
                for (int x = x0; x < Math.min(28, x0 + 8); x++) {
                    px[i][y * 28 + x] = (byte) (180 + r.nextInt(70));
                }
            }
        }
        return new ImageSet("generated-blocks", 28, 28, 1, px, labels, FashionMnist.CLASS_NAMES);
    }
}
