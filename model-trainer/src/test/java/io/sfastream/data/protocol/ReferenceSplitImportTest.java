package io.sfastream.data.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfastream.data.DatasetException;
import io.sfastream.data.ImageSet;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceSplitImportTest {
    private static final List<String> TEN =
            List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");

    @TempDir Path tmp;
    private Path root;

    /** 30 one-pixel images; image i has pixel value i and label i % 10 (see the fixture README). */
    private static ImageSet fullTrain() {
        byte[][] pixels = new byte[30][];
        int[] labels = new int[30];
        for (int i = 0; i < 30; i++) {
            pixels[i] = new byte[] {(byte) i};
            labels[i] = i % 10;
        }
        return new ImageSet("toy-train", 1, 1, 1, pixels, labels, TEN);
    }

    @BeforeEach
    void locateFixtures() throws URISyntaxException {
        root = Path.of(getClass().getResource("reference/README.md").toURI()).getParent();
    }

    @Test
    void fileNamesFollowTheReference() {
        Path r = Path.of("data");
        assertThat(ReferenceSplitImport.imbalanceFile(r, 10, "exp", 0.01))
                .isEqualTo(Path.of("data", "imb_file", "cifar10_exp_0.01"));
        assertThat(ReferenceSplitImport.noiseFile(r, 100, "exp", 0.1, NoiseMode.SYM, 0.2))
                .isEqualTo(Path.of("data", "noise_file", "cifar100_exp_0.1_sym_0.2"));
        assertThat(ReferenceSplitImport.noiseFile(r, 10, "exp", 1, NoiseMode.IMB, 0.5))
                .isEqualTo(Path.of("data", "noise_file", "cifar10_exp_1.0_imb_0.5"));
        assertThat(ReferenceSplitImport.pythonFloat(0.0001)).isEqualTo("0.0001");
        assertThat(ReferenceSplitImport.pythonFloat(0.02)).isEqualTo("0.02");
        assertThat(ReferenceSplitImport.pythonFloat(0.0)).isEqualTo("0.0");
        assertThatThrownBy(() -> ReferenceSplitImport.pythonFloat(1e-5))
                .hasMessageContaining("exponent");
    }

    @Test
    void loadsTheCommittedReferenceFiles() throws DatasetException {
        ReferenceSplitImport.ImportedSplit split =
                ReferenceSplitImport.load(
                        fullTrain(),
                        ReferenceSplitImport.imbalanceFile(root, 10, "exp", 0.01),
                        ReferenceSplitImport.noiseFile(root, 10, "exp", 0.01, NoiseMode.IMB, 0.5));

        assertThat(split.indices())
                .containsExactly(20, 0, 10, 11, 1, 22, 2, 13, 4, 25, 16, 7, 28, 19);
        assertThat(split.longTailed().classCounts()).containsExactly(3, 2, 2, 1, 1, 1, 1, 1, 1, 1);
        assertThat(split.longTailed().pixels()[0]).containsExactly(20);
        assertThat(split.longTailed().labels())
                .containsExactly(0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(split.noise().flips()).isEqualTo(7);
        assertThat(split.noise().flipped())
                .containsExactly(
                        false, true, false, false, true, false, true, true, false, true, true,
                        false, true, false);
        assertThat(split.noisy().labels())
                .containsExactly(0, 1, 0, 1, 0, 2, 0, 0, 4, 0, 1, 7, 0, 9);
        assertThat(split.noisy().pixels()[13]).containsExactly(19);
    }

    @Test
    void wrongLengthsAndRangesAreReportedWithTheFile() throws IOException {
        Path imb = ReferenceSplitImport.imbalanceFile(root, 10, "exp", 0.01);
        Path shortNoise = write("short", "[0, 1, 2]");
        assertThatThrownBy(() -> ReferenceSplitImport.load(fullTrain(), imb, shortNoise))
                .isInstanceOf(DatasetException.class)
                .hasMessage(
                        shortNoise
                                + ": 3 noisy labels but the long-tailed subset has 14 samples; "
                                + "do the imb_file and noise_file belong together?");

        Path badLabel = write("bad-label", "[0, 10]");
        assertThatThrownBy(() -> ReferenceSplitImport.readNoisyLabels(badLabel, 2, 10))
                .hasMessage(badLabel + ": label 10 at position 1 is outside [0, 10)");

        Path badIndex = write("bad-index", "[3, 30]");
        assertThatThrownBy(() -> ReferenceSplitImport.readIndices(badIndex, 30))
                .hasMessage(
                        badIndex
                                + ": index 30 at position 1 is outside [0, 30) of the full training set");

        Path duplicate = write("duplicate", "[3, 4, 3]");
        assertThatThrownBy(() -> ReferenceSplitImport.readIndices(duplicate, 30))
                .hasMessageContaining("index 3 appears twice");
    }

    @Test
    void wrongJsonShapesAreRejected() throws IOException {
        Path object = write("object", "{\"noisy_labels\": [1, 2]}");
        assertThatThrownBy(() -> ReferenceSplitImport.readIndices(object, 30))
                .isInstanceOf(DatasetException.class)
                .hasMessage(object + ": expected a JSON list of index integers, found object");
        Path floats = write("floats", "[1, 2.5]");
        assertThatThrownBy(() -> ReferenceSplitImport.readIndices(floats, 30))
                .hasMessage(floats + ": element 1 is 2.5, expected an integer index");
        Path nested = write("nested", "[[1, 2]]");
        assertThatThrownBy(() -> ReferenceSplitImport.readIndices(nested, 30))
                .hasMessageContaining("element 0 is [1,2]");
        Path garbage = write("garbage", "[1, 2");
        assertThatThrownBy(() -> ReferenceSplitImport.readIndices(garbage, 30))
                .hasMessageStartingWith(garbage + ": not valid JSON");
        Path empty = write("empty", "");
        assertThatThrownBy(() -> ReferenceSplitImport.readIndices(empty, 30))
                .hasMessageContaining("found no content");
        Path missing = tmp.resolve("imb_file/cifar10_exp_0.02");
        assertThatThrownBy(() -> ReferenceSplitImport.readIndices(missing, 30))
                .hasMessage("missing file " + missing);
    }

    @Test
    void indexFileOfAnotherOrderIsCaught() throws IOException {
        Path unordered = write("unordered", "[1, 0, 2]");
        Path noise = write("noise", "[1, 0, 2]");
        assertThatThrownBy(() -> ReferenceSplitImport.load(fullTrain(), unordered, noise))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(
                        unordered
                                + ": not class-ordered against toy-train: position 1 (index 0) has class 0 "
                                + "after class 1");
    }

    private Path write(String name, String json) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, json);
        return file;
    }
}
