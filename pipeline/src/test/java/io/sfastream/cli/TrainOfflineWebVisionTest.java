package io.sfastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sfa train-offline --dataset webvision} end to end on a generated mini-WebVision tree (file
 * lists, JPEGs of three colour classes) with a listed-but-missing file, a file of random bytes and
 * a truncated JPEG: the run finishes, the missing file is reported at load and the unreadable ones
 * when first used. Small CNN on 32-pixel crops so it runs in seconds.
 */
class TrainOfflineWebVisionTest {
    @TempDir Path root;

    private static final int[][] COLOURS = {{200, 40, 40}, {40, 200, 40}, {40, 40, 200}};

    private void jpeg(Path file, int label, Random r) throws Exception {
        Files.createDirectories(file.getParent());
        int w = 40 + r.nextInt(12);
        int h = 36 + r.nextInt(12);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] c = COLOURS[label];
                int n = r.nextInt(40) - 20;
                img.setRGB(x, y, clamp(c[0] + n) << 16 | clamp(c[1] + n) << 8 | clamp(c[2] + n));
            }
        }
        ImageIO.write(img, "jpg", file.toFile());
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    @Test
    void trainsOnFileListsAndSkipsMissingAndCorruptImages() throws Exception {
        Random r = new Random(9);
        List<String> train = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            int label = i % 3;
            String path = "google/q000" + label + "/img" + i + ".jpg";
            jpeg(root.resolve(path), label, r);
            train.add(
                    path + " " + (i % 9 == 0 ? (label + 1) % 3 : label)); // a few web-noisy labels
        }
        train.add("google/q0000/missing.jpg 0");
        Files.write(root.resolve("google/q0001/random.jpg"), randomBytes(r, 500));
        train.add("google/q0001/random.jpg 1");
        byte[] whole = Files.readAllBytes(root.resolve("google/q0002/img2.jpg"));
        Files.write(root.resolve("google/q0002/cut.jpg"), Arrays.copyOf(whole, whole.length / 2));
        train.add("google/q0002/cut.jpg 2");
        train.add("google/q0003/other-class.jpg 60"); // label >= num-classes: not part of
        // mini-WebVision
        Files.createDirectories(root.resolve("info"));
        Files.write(root.resolve("info/train_filelist_google.txt"), train);
        List<String> val = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            jpeg(root.resolve("val_images_256/val" + i + ".jpg"), i % 3, r);
            val.add("val" + i + ".jpg " + i % 3);
        }
        Files.write(root.resolve("info/val_filelist.txt"), val);

        Path out = root.resolve("run");
        CliRun run =
                CliRun.sfa(
                        "train-offline",
                        "--dataset",
                        "webvision",
                        "--data-path",
                        root.toString(),
                        "--num-classes",
                        "3",
                        "--arch",
                        "small-cnn",
                        "--resize",
                        "36",
                        "--crop",
                        "32",
                        "--num-epochs",
                        "2",
                        "--batch-size",
                        "8",
                        "--min-sampled",
                        "0",
                        "--seed",
                        "4",
                        "--no-progress",
                        "--output",
                        out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("38 training images", "12 validation images");
        assertThat(Files.readString(out.resolve("skipped-at-load.txt"))).contains("missing.jpg");
        String unreadable = Files.readString(out.resolve("skipped-images.txt"));
        assertThat(unreadable).contains("random.jpg").contains("cut.jpg");
        List<String> rows = Files.readAllLines(out.resolve("epochs.csv"));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1)).startsWith("1,warmup,0.0100,");
        assertThat(rows.get(2)).startsWith("2,sfa,0.0100,");
        // Web labels carry no truth: the selection AUC column stays empty; the test accuracy is
        // measured.
        List<String> header = Arrays.asList(rows.get(0).split(","));
        String[] last = rows.get(2).split(",", -1);
        assertThat(last[header.indexOf("net1_auc")]).isEmpty();
        assertThat(last[header.indexOf("net1_selected")]).isNotEmpty();
        assertThat(Double.parseDouble(last[header.indexOf("test_accuracy")])).isBetween(0.0, 1.0);
        assertThat(last[header.indexOf("skipped_images")]).isEqualTo("2");
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
