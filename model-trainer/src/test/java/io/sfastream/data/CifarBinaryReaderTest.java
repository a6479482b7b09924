package io.sfastream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBinaryReaderTest {
    private static final int PLANE = 32 * 32;

    @TempDir Path dir;

    /**
     * 500 real Fashion-MNIST test images padded 28→32 and copied to R, G, B when the package is
     * installed, random RGB images otherwise, so the round trip always runs.
     */
    private static ImageSet sourceImages() throws IOException {
        int n = 500;
        byte[][] pixels = new byte[n][];
        int[] labels = new int[n];
        if (FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR)) {
            ImageSet fashion = FashionMnist.test(FashionMnist.DEFAULT_DIR);
            for (int i = 0; i < n; i++) {
                pixels[i] = padGreyToRgb32(fashion.pixels()[i]);
                labels[i] = fashion.labels()[i];
            }
        } else {
            Random random = new Random(7);
            for (int i = 0; i < n; i++) {
                pixels[i] = new byte[3 * PLANE];
                random.nextBytes(pixels[i]);
                labels[i] = random.nextInt(10);
            }
        }
        return new ImageSet(
                "source", 32, 32, 3, pixels, labels, CifarBinaryReader.CIFAR10_CLASS_NAMES);
    }

    private static byte[] padGreyToRgb32(byte[] grey28) {
        byte[] rgb = new byte[3 * PLANE];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int at = 3 * ((y + 2) * 32 + (x + 2));
                rgb[at] = rgb[at + 1] = rgb[at + 2] = grey28[y * 28 + x];
            }
        }
        return rgb;
    }

    /** One record as the CIFAR page describes it: label bytes, then the R, G and B planes. */
    private static byte[] record(byte[] labelBytes, int r, int g, int b) {
        byte[] rec = new byte[labelBytes.length + 3 * PLANE];
        System.arraycopy(labelBytes, 0, rec, 0, labelBytes.length);
        Arrays.fill(rec, labelBytes.length, labelBytes.length + PLANE, (byte) r);
        Arrays.fill(rec, labelBytes.length + PLANE, labelBytes.length + 2 * PLANE, (byte) g);
        Arrays.fill(rec, labelBytes.length + 2 * PLANE, rec.length, (byte) b);
        return rec;
    }

    @Test
    void writeThenReadCifar10DirectoryRoundTrips() throws IOException {
        ImageSet source = sourceImages();
        for (int batch = 0; batch < 5; batch++) {
            int first = batch * 80;
            int[] part = new int[80];
            Arrays.setAll(part, i -> first + i);
            CifarBinaryReader.write(
                    dir.resolve("data_batch_" + (batch + 1) + ".bin"), source.subset(part), false);
        }
        int[] testPart = new int[100];
        Arrays.setAll(testPart, i -> 400 + i);
        CifarBinaryReader.write(dir.resolve("test_batch.bin"), source.subset(testPart), false);
        Files.writeString(
                dir.resolve("batches.meta.txt"), "c0\nc1\nc2\n c3 \nc4\nc5\nc6\nc7\nc8\nc9\n\n");

        assertThat(Files.size(dir.resolve("test_batch.bin"))).isEqualTo(100L * 3073);
        ImageSet train = CifarBinaryReader.cifar10(dir, true);
        ImageSet test = CifarBinaryReader.cifar10(dir, false);
        assertThat(train.name()).isEqualTo("cifar10-train");
        assertThat(train.classNames()).hasSize(10).startsWith("c0").contains("c3");
        assertThat(train.size()).isEqualTo(400);
        assertThat(test.size()).isEqualTo(100);
        for (int i = 0; i < 400; i++) {
            assertThat(train.pixels()[i]).isEqualTo(source.pixels()[i]);
            assertThat(train.labels()[i]).isEqualTo(source.labels()[i]);
        }
        assertThat(test.pixels()[99]).isEqualTo(source.pixels()[499]);
        assertThat(test.labels()[99]).isEqualTo(source.labels()[499]);
    }

    @Test
    void channelOrderAndRowMajorLayoutArePinnedByHandMadeRecords() throws IOException {
        byte[] flat = record(new byte[] {7}, 10, 20, 30);
        byte[] ramp = new byte[3073];
        ramp[0] = 3;
        for (int p = 0; p < PLANE; p++) {
            ramp[1 + p] = (byte) p; // R = position
            ramp[1 + PLANE + p] = (byte) (p >> 8); // G = row block
            ramp[1 + 2 * PLANE + p] = (byte) 200;
        }
        Path file = dir.resolve("hand.bin");
        Files.write(file, concat(flat, ramp));

        ImageSet set =
                CifarBinaryReader.readFile(file, 1, 0, CifarBinaryReader.CIFAR10_CLASS_NAMES);
        assertThat(set.labels()).containsExactly(7, 3);
        byte[] hwc = set.pixels()[0];
        assertThat(Arrays.copyOfRange(hwc, 0, 9))
                .containsExactly(10, 20, 30, 10, 20, 30, 10, 20, 30);
        assertThat(Arrays.copyOfRange(hwc, hwc.length - 3, hwc.length)).containsExactly(10, 20, 30);
        // Pixel (y=1, x=2) is position 34 of each plane; interleaved at 3 * 34.
        byte[] rampHwc = set.pixels()[1];
        assertThat(Arrays.copyOfRange(rampHwc, 3 * 34, 3 * 34 + 3))
                .containsExactly(34, 0, (byte) 200);
        // Pixel (y=31, x=31) = position 1023: R = 1023 & 0xFF, G = 3.
        assertThat(Arrays.copyOfRange(rampHwc, 3 * 1023, 3 * 1024))
                .containsExactly((byte) 0xFF, 3, (byte) 200);

        // And the writer produces exactly those planar bytes again.
        Path copy = dir.resolve("copy.bin");
        CifarBinaryReader.write(copy, set, false);
        assertThat(Files.readAllBytes(copy)).isEqualTo(concat(flat, ramp));
    }

    @Test
    void cifar100UsesTheFineLabel() throws IOException {
        Files.write(
                dir.resolve("train.bin"),
                concat(record(new byte[] {3, 42}, 1, 2, 3), record(new byte[] {19, 99}, 4, 5, 6)));
        ImageSet set = CifarBinaryReader.cifar100(dir, true);
        assertThat(set.name()).isEqualTo("cifar100-train");
        assertThat(set.labels()).containsExactly(42, 99);
        assertThat(set.classNames()).isEqualTo(CifarBinaryReader.CIFAR100_FINE_CLASS_NAMES);
        assertThat(set.classNames().get(99)).isEqualTo("worm");
        assertThat(Arrays.copyOfRange(set.pixels()[1], 0, 3)).containsExactly(4, 5, 6);

        List<String> names = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            names.add("fine" + i);
        }
        Files.write(dir.resolve("fine_label_names.txt"), names);
        assertThat(CifarBinaryReader.cifar100(dir, true).classNames().get(42)).isEqualTo("fine42");

        Path written = dir.resolve("test.bin");
        CifarBinaryReader.write(written, set, true);
        assertThat(Files.size(written)).isEqualTo(2L * 3074);
        assertThat(CifarBinaryReader.cifar100(dir, false).labels()).containsExactly(42, 99);
    }

    @Test
    void defaultCifar100NamesAreTheHundredSortedFineNames() {
        List<String> names = CifarBinaryReader.CIFAR100_FINE_CLASS_NAMES;
        assertThat(names).hasSize(100).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void sizeThatIsNotAWholeNumberOfRecordsIsRejected() throws IOException {
        Path file = dir.resolve("data_batch_1.bin");
        Files.write(file, Arrays.copyOf(record(new byte[] {1}, 0, 0, 0), 3073 * 2 - 1));
        assertThatThrownBy(
                        () ->
                                CifarBinaryReader.readFile(
                                        file, 1, 0, CifarBinaryReader.CIFAR10_CLASS_NAMES))
                .isInstanceOf(DatasetException.class)
                .hasMessage(
                        file
                                + ": size 6145 bytes is not a multiple of the 3073-byte CIFAR-10 record");
        Path c100 = dir.resolve("train.bin");
        Files.write(c100, new byte[3073]);
        assertThatThrownBy(() -> CifarBinaryReader.cifar100(dir, true))
                .hasMessage(
                        c100
                                + ": size 3073 bytes is not a multiple of the 3074-byte CIFAR-100 record");
    }

    @Test
    void labelOutOfRangeIsRejectedWithItsPosition() throws IOException {
        Path file = dir.resolve("test_batch.bin");
        Files.write(
                file, concat(record(new byte[] {9}, 0, 0, 0), record(new byte[] {10}, 0, 0, 0)));
        assertThatThrownBy(() -> CifarBinaryReader.cifar10(dir, false))
                .isInstanceOf(DatasetException.class)
                .hasMessage(file + ": label 10 of record 1 (byte offset 3073) is outside [0, 10)");
    }

    @Test
    void missingBatchIsNamed() throws IOException {
        Files.write(dir.resolve("data_batch_1.bin"), record(new byte[] {1}, 0, 0, 0));
        assertThatThrownBy(() -> CifarBinaryReader.cifar10(dir, true))
                .isInstanceOf(DatasetException.class)
                .hasMessage("missing file " + dir.resolve("data_batch_2.bin"));
    }

    @Test
    void writerCopiesGreyToAllThreeChannels() throws IOException {
        byte[] grey = new byte[PLANE];
        grey[33] = 77;
        ImageSet set =
                new ImageSet(
                        "grey",
                        32,
                        32,
                        1,
                        new byte[][] {grey},
                        new int[] {5},
                        List.of("a", "b", "c", "d", "e", "f"));
        Path file = dir.resolve("grey.bin");
        CifarBinaryReader.write(file, set, false);
        byte[] rgb = CifarBinaryReader.readFile(file, 1, 0, set.classNames()).pixels()[0];
        assertThat(Arrays.copyOfRange(rgb, 3 * 33, 3 * 34)).containsExactly(77, 77, 77);
        assertThat(Arrays.copyOfRange(rgb, 0, 3)).containsExactly(0, 0, 0);
    }

    @Test
    void writerRejectsNonCifarShapes() {
        ImageSet tiny =
                new ImageSet(
                        "tiny",
                        28,
                        28,
                        1,
                        new byte[][] {new byte[784]},
                        new int[] {0},
                        List.of("only"));
        assertThatThrownBy(() -> CifarBinaryReader.write(dir.resolve("x.bin"), tiny, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32x32 with 1 or 3 channels, got 28x28x1");
    }

    private static byte[] concat(byte[]... parts) {
        int total = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
