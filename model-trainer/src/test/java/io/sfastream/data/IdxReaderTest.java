package io.sfastream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    private static final List<String> THREE = List.of("zero", "one", "two");

    @TempDir Path dir;

    /** Three 2x3 images whose pixel bytes encode (image, position), labels 2, 0, 1. */
    private static byte[] imagesIdx(int count, int rows, int cols) {
        ByteBuffer buf = ByteBuffer.allocate(16 + count * rows * cols);
        buf.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) {
            buf.put((byte) (i * 7));
        }
        return buf.array();
    }

    private static byte[] labelsIdx(int... labels) {
        ByteBuffer buf = ByteBuffer.allocate(8 + labels.length);
        buf.putInt(IdxReader.LABELS_MAGIC).putInt(labels.length);
        for (int label : labels) {
            buf.put((byte) label);
        }
        return buf.array();
    }

    private Path write(String name, byte[] bytes, boolean gzip) throws IOException {
        Path file = dir.resolve(name);
        if (gzip) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream gz = new GZIPOutputStream(out)) {
                gz.write(bytes);
            }
            bytes = out.toByteArray();
        }
        Files.write(file, bytes);
        return file;
    }

    @Test
    void readsPlainAndGzipAlikeDetectingByContentNotName() throws IOException {
        byte[] images = imagesIdx(3, 2, 3);
        byte[] labels = labelsIdx(2, 0, 1);
        // Deliberately misleading names: plain content in a .gz file and gzip content without the
        // suffix.
        ImageSet plain =
                IdxReader.read(
                        write("plain-images.gz", images, false),
                        write("plain-labels", labels, false),
                        "plain",
                        THREE);
        ImageSet gzip =
                IdxReader.read(
                        write("gz-images", images, true),
                        write("gz-labels", labels, true),
                        "gz",
                        THREE);

        for (ImageSet set : List.of(plain, gzip)) {
            assertThat(set.size()).isEqualTo(3);
            assertThat(set.width()).isEqualTo(3);
            assertThat(set.height()).isEqualTo(2);
            assertThat(set.channels()).isEqualTo(1);
            assertThat(set.labels()).containsExactly(2, 0, 1);
            assertThat(set.pixels()[1])
                    .containsExactly(Arrays.copyOfRange(images, 16 + 6, 16 + 12));
        }
    }

    @Test
    void wrongMagicNamesTheFileAndBothNumbers() throws IOException {
        Path labels = write("train-labels-idx1-ubyte", labelsIdx(0), false);
        Path swapped = write("train-images-idx3-ubyte.gz", labelsIdx(0), true);
        assertThatThrownBy(() -> IdxReader.read(swapped, labels, "t", THREE))
                .isInstanceOf(DatasetException.class)
                .hasMessage(
                        swapped
                                + ": bad magic number 0x00000801, expected 0x00000803 (IDX images)");
    }

    @Test
    void truncatedImagesAreRejected() throws IOException {
        byte[] images = imagesIdx(3, 2, 3);
        Path file = write("images", Arrays.copyOf(images, images.length - 1), true);
        Path labels = write("labels", labelsIdx(2, 0, 1), false);
        assertThatThrownBy(() -> IdxReader.read(file, labels, "t", THREE))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(file + ": truncated, 33 bytes")
                .hasMessageContaining("3 images of 2x3 (34 bytes)");
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        Path images = write("images", imagesIdx(3, 2, 3), false);
        Path labels = write("labels", Arrays.copyOf(labelsIdx(2, 0, 1), 13), false);
        assertThatThrownBy(() -> IdxReader.read(images, labels, "t", THREE))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(labels + ": 2 trailing bytes");
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path images = write("images", imagesIdx(3, 2, 3), false);
        Path labels = write("labels", labelsIdx(2, 0), false);
        assertThatThrownBy(() -> IdxReader.read(images, labels, "t", THREE))
                .isInstanceOf(DatasetException.class)
                .hasMessage(images + " holds 3 images but " + labels + " holds 2 labels");
    }

    @Test
    void labelOutOfRangeIsRejected() throws IOException {
        Path images = write("images", imagesIdx(3, 2, 3), false);
        Path labels = write("labels", labelsIdx(2, 3, 1), false);
        assertThatThrownBy(() -> IdxReader.read(images, labels, "t", THREE))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(labels + ": label 3 of item 1 is outside [0, 3)");
    }

    @Test
    void missingAndCorruptFilesAreNamed() throws IOException {
        Path labels = write("labels", labelsIdx(0), false);
        Path missing = dir.resolve("nope-images");
        assertThatThrownBy(() -> IdxReader.read(missing, labels, "t", THREE))
                .isInstanceOf(DatasetException.class)
                .hasMessage("missing file " + missing);

        byte[] gz = Files.readAllBytes(write("whole.gz", imagesIdx(3, 2, 3), true));
        Path broken = dir.resolve("broken.gz");
        Files.write(broken, Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxReader.read(broken, labels, "t", THREE))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(broken + ": cannot read");
    }

    @Test
    void fashionMnistFromAnyDirectoryWithUngzippedNames() throws IOException {
        write("train-images-idx3-ubyte", imagesIdx(3, 2, 3), false);
        write("train-labels-idx1-ubyte", labelsIdx(9, 0, 5), false);
        assertThat(FashionMnist.isInstalled(dir)).isFalse();
        write("t10k-images-idx3-ubyte.gz", imagesIdx(1, 2, 3), true);
        write("t10k-labels-idx1-ubyte.gz", labelsIdx(4), true);
        assertThat(FashionMnist.isInstalled(dir)).isTrue();

        ImageSet train = FashionMnist.train(dir);
        assertThat(train.labels()).containsExactly(9, 0, 5);
        assertThat(train.classNames()).isEqualTo(FashionMnist.CLASS_NAMES);
        assertThat(FashionMnist.test(dir).labels()).containsExactly(4);
    }

    @Test
    void fashionMnistMissingFileSaysWhichOne() {
        assertThatThrownBy(() -> FashionMnist.test(dir))
                .isInstanceOf(DatasetException.class)
                .hasMessage(
                        "missing file "
                                + dir.resolve("t10k-images-idx3-ubyte.gz")
                                + " (or t10k-images-idx3-ubyte)");
    }

    @Test
    void fashionMnistDefaultDirectoryMissingSaysHowToInstall() {
        assumeFalse(
                FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR),
                "Fashion-MNIST is installed here");
        assertThatThrownBy(() -> FashionMnist.train(FashionMnist.DEFAULT_DIR))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("missing file " + FashionMnist.DEFAULT_DIR)
                .hasMessageEndingWith("apt-get install dataset-fashion-mnist");
    }

    @Test
    void realFashionMnist() throws IOException {
        assumeTrue(
                FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR),
                "needs: " + FashionMnist.INSTALL_HINT);
        ImageSet train = FashionMnist.train(FashionMnist.DEFAULT_DIR);
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(train.width()).isEqualTo(28);
        assertThat(train.height()).isEqualTo(28);
        assertThat(train.channels()).isEqualTo(1);
        assertThat(train.classCounts()).containsOnly(6_000);
        assertThat(train.labels()[0]).isEqualTo(9);
        assertThat(train.classNames().get(train.labels()[0])).isEqualTo("Ankle boot");

        ImageSet test = FashionMnist.test(FashionMnist.DEFAULT_DIR);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(test.classCounts()).containsOnly(1_000);
        long sum = 0;
        for (byte[] image : test.pixels()) {
            for (byte b : image) {
                sum += b & 0xFF;
            }
        }
        // datasets.md §3 measured a test mean pixel of 73.15.
        assertThat(sum / (10_000.0 * 784)).isBetween(73.1, 73.2);
    }
}
