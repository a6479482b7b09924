package io.sfastream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfastream.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sfa train-offline} end to end on a tiny long-tailed noisy Fashion-MNIST, then resumed for
 * one more epoch.
 */
class TrainOfflineCommandTest {
    @TempDir Path dir;

    private static CliRun sfa(String... args) {
        return CliRun.sfa(args);
    }

    private String[] args(int epochs, String... extra) {
        List<String> a =
                new java.util.ArrayList<>(
                        List.of(
                                "train-offline",
                                "--dataset",
                                "fashion-mnist",
                                "--max-per-class",
                                "30",
                                "--imb-factor",
                                "0.2",
                                "--noise-ratio",
                                "0.3",
                                "--num-epochs",
                                Integer.toString(epochs),
                                "--warm-up",
                                "1",
                                "--batch-size",
                                "16",
                                "--test-limit",
                                "200",
                                "--seed",
                                "3",
                                "--lambda-u-ramp",
                                "8",
                                "--penalty-weight",
                                "0.5",
                                "--no-progress",
                                "--output",
                                dir.resolve("run").toString()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void trainsWritesTheEpochTableAndResumes() throws Exception {
        assumeTrue(FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR), FashionMnist.INSTALL_HINT);
        CliRun first = sfa(args(2));
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out())
                .contains("labels flipped (imb r=0.3)")
                .contains(" warmup ")
                .contains(" sfa ");
        Path csv = dir.resolve("run/epochs.csv");
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("1,warmup,0.0200,");
        assertThat(lines.get(2)).startsWith("2,sfa,0.0200,");
        assertThat(Files.readString(dir.resolve("run/run.txt")))
                .contains("--max-per-class 30")
                .contains("seed=3")
                .contains("rampLength=8.0")
                .contains("penaltyWeight=0.5");

        CliRun resumed = sfa(args(3, "--resume"));
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming after epoch 2");
        lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(3)).startsWith("3,sfa,");
    }

    /**
     * The CIFAR-10 binary path (reader, long tail, flips, CIFAR-10 shot groups) on generated
     * colour-coded images.
     */
    @Test
    void readsCifar10BinaryFiles() throws Exception {
        Path cifar = dir.resolve("cifar-10-batches-bin");
        Files.createDirectories(cifar);
        java.util.Random r = new java.util.Random(2);
        for (int batch = 0; batch <= 5; batch++) {
            int n = 60;
            byte[][] pixels = new byte[n][32 * 32 * 3];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 10;
                for (int p = 0; p < pixels[i].length; p++) {
                    int base =
                            p % 3 == 0 ? labels[i] * 25 : p % 3 == 1 ? 250 - labels[i] * 25 : 128;
                    pixels[i][p] = (byte) Math.max(0, Math.min(255, base + r.nextInt(30) - 15));
                }
            }
            io.sfastream.data.ImageSet set =
                    new io.sfastream.data.ImageSet(
                            "gen",
                            32,
                            32,
                            3,
                            pixels,
                            labels,
                            io.sfastream.data.CifarBinaryReader.CIFAR10_CLASS_NAMES);
            io.sfastream.data.CifarBinaryReader.write(
                    cifar.resolve(batch == 0 ? "test_batch.bin" : "data_batch_" + batch + ".bin"),
                    set,
                    false);
        }
        CliRun run =
                sfa(
                        "train-offline",
                        "--dataset",
                        "cifar10",
                        "--data-path",
                        cifar.toString(),
                        "--arch",
                        "small-cnn",
                        "--max-per-class",
                        "30",
                        "--imb-factor",
                        "0.2",
                        "--noise-ratio",
                        "0.2",
                        "--num-epochs",
                        "2",
                        "--warm-up",
                        "1",
                        "--batch-size",
                        "8",
                        "--min-sampled",
                        "0",
                        "--no-progress",
                        "--output",
                        dir.resolve("cifar-run").toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("cifar10-train: 149 training images", "60 test images");
        List<String> rows = Files.readAllLines(dir.resolve("cifar-run/epochs.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        String[] last = rows.get(2).split(",", -1);
        assertThat(Double.parseDouble(last[header.indexOf("net1_auc")])).isBetween(0.0, 1.0);
        assertThat(last[header.indexOf("net2_few_recall")]).isNotEmpty();
    }

    @Test
    void badFlagsAreUsageErrors() {
        CliRun r = sfa("train-offline", "--dataset", "cifar10");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--data-path is required for cifar10");
        r = sfa("train-offline", "--dataset", "mnist-ish");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown dataset");
        r = sfa("train-offline", "--dataset", "fashion-mnist", "--device", "tpu");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("tpu");
        r = sfa("run", "--config", "../config/demo.yaml", "--threads", "-1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("-1");
        r = sfa("train-offline", "--dataset", "fashion-mnist", "--lambda-u-ramp", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("rampLength must be finite and > 0, was 0.0");
        r = sfa("train-offline", "--dataset", "fashion-mnist", "--penalty-weight", "-1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("penaltyWeight must be finite and >= 0, was -1.0");
        r = sfa("train-offline", "--dataset", "fashion-mnist", "--networks", "3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("networks must be 1 or 2");
    }
}
