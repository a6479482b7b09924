package io.sfastream.pipeline.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfastream.data.DatasetException;
import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.schemas.ImageEncoding;
import io.sfastream.schemas.LabelledSample;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers and protocols of {@code sfa replay} without Kafka. */
class ReplayInputsTest {
    @TempDir Path tmp;

    private static ReplayInputs.Spec spec(ReplayInputs.Format f, Path p, int size, int channels) {
        return new ReplayInputs.Spec(
                f, p, null, "train", size, channels, ImageReplay.Encoding.RAW, 0, 0, null, 1);
    }

    private static ReplayProtocol plain() {
        return new ReplayProtocol(0, 1.0, 0.0, NoiseMode.IMB, 42, null, null);
    }

    @Test
    void folderOfClassFoldersIsNamedByTheFolderAndResized() throws Exception {
        Path root = tmp.resolve("pets");
        for (String c : new String[] {"dog", "cat"}) {
            Files.createDirectories(root.resolve(c));
            for (int i = 0; i < 3; i++) {
                BufferedImage img = new BufferedImage(20, 10, BufferedImage.TYPE_BYTE_GRAY);
                ImageIO.write(img, "png", root.resolve(c).resolve(i + ".png").toFile());
            }
        }
        ReplaySource s =
                ReplayInputs.load(spec(ReplayInputs.Format.FOLDER, root, 12, 1), plain()).source();
        assertThat(s.name()).isEqualTo("pets-seed42");
        assertThat(s.classNames()).containsExactly("cat", "dog");
        assertThat(s.givenCounts()).containsExactly(3, 3);
        LabelledSample first = ((ImageReplay) s).sample(0, Instant.EPOCH);
        assertThat(first.getImage().getEncoding()).isEqualTo(ImageEncoding.RAW_GRAY);
        assertThat(first.getImage().getWidth()).isEqualTo(12);
        assertThat(first.getImage().getData().remaining()).isEqualTo(12 * 12);
        assertThat(first.getLabelName()).isEqualTo("cat");
    }

    @Test
    void referenceSplitFilesChooseTheSubsetAndTheNoisyLabels() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("digits"));
        writeIdx(dir, 6, new int[] {0, 1, 2, 0, 1, 2});
        Files.writeString(dir.resolve("classes.txt"), "zero\none\ntwo\n");
        Path imb = Files.writeString(tmp.resolve("imb.json"), "[0, 3, 1, 2]");
        Path noise = Files.writeString(tmp.resolve("noise.json"), "[0, 2, 1, 2]");
        ReplaySource s =
                ReplayInputs.load(
                                spec(ReplayInputs.Format.IDX, dir, 0, 0),
                                new ReplayProtocol(0, 1.0, 0.0, NoiseMode.IMB, 5, imb, noise))
                        .source();
        assertThat(s.name()).isEqualTo("digits-train-ref-imb.json-noise.json");
        assertThat(s.classNames()).containsExactly("zero", "one", "two");
        assertThat(s.size()).isEqualTo(4);
        assertThat(s.givenLabels()).containsExactly(0, 2, 1, 2);
        assertThat(s.trueCounts()).containsExactly(2, 1, 1);
        assertThat(s.flips()).isEqualTo(1);
    }

    @Test
    void longTailKeepsWhatAClassHasAndSaysSo() throws Exception {
        int[] labels = {0, 0, 0, 0, 1, 1, 2};
        ReplayProtocol.Selection sel =
                new ReplayProtocol(3, 0.5, 0, NoiseMode.IMB, 1, null, null).select(labels, 3);
        // int(3·0.5^(k/2)) = 3, 2, 1: class 1 has 2 and class 2 has 1, so nothing is clipped
        assertThat(sel.kept()).hasSize(6);
        ReplayProtocol.Selection clipped =
                new ReplayProtocol(4, 1.0, 0, NoiseMode.IMB, 1, null, null).select(labels, 3);
        assertThat(clipped.kept()).hasSize(7);
        assertThat(clipped.notes()).hasSize(2).first().asString().contains("class 1 has 2");
    }

    @Test
    void missingDataNamesThePath() {
        assertThatThrownBy(
                        () ->
                                ReplayInputs.load(
                                        spec(
                                                ReplayInputs.Format.CIFAR10,
                                                tmp.resolve("nope"),
                                                0,
                                                0),
                                        plain()))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("nope: no such file or folder");
    }

    private static void writeIdx(Path dir, int n, int[] labels) throws Exception {
        try (DataOutputStream out =
                new DataOutputStream(
                        Files.newOutputStream(dir.resolve("train-images-idx3-ubyte")))) {
            out.writeInt(0x803);
            out.writeInt(n);
            out.writeInt(4);
            out.writeInt(4);
            out.write(new byte[n * 16]);
        }
        try (DataOutputStream out =
                new DataOutputStream(
                        Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte")))) {
            out.writeInt(0x801);
            out.writeInt(n);
            for (int y : labels) {
                out.write(y);
            }
        }
    }

    @Test
    void miniWebVisionKeepsItsFirstClassesSkipsWhatCannotBeDecodedAndCarriesNoTruth()
            throws Exception {
        Path root = tmp.resolve("webvision");
        java.util.Random r = new java.util.Random(4);
        java.util.List<String> train = new java.util.ArrayList<>();
        int[][] colours = {{200, 40, 40}, {40, 200, 40}, {40, 40, 200}};
        for (int i = 0; i < 12; i++) {
            int label = i % 3;
            String path = "google/q000" + label + "/img" + i + ".jpg";
            Files.createDirectories(root.resolve(path).getParent());
            BufferedImage img = new BufferedImage(40 + i, 30, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int[] c = colours[label];
                    img.setRGB(x, y, c[0] << 16 | c[1] << 8 | c[2]);
                }
            }
            ImageIO.write(img, "jpg", root.resolve(path).toFile());
            train.add(path + " " + label);
        }
        train.add("google/q0000/missing.jpg 0");
        Files.write(root.resolve("google/q0001/garbage.jpg"), new byte[] {1, 2, 3, 4, 5});
        train.add("google/q0001/garbage.jpg 1");
        train.add("google/q0002/img-beyond.jpg 7"); // class 7: not among the first 3
        Files.createDirectories(root.resolve("info"));
        Files.write(root.resolve("info/train_filelist_google.txt"), train);

        ReplayInputs.Loaded loaded =
                ReplayInputs.load(
                        new ReplayInputs.Spec(
                                ReplayInputs.Format.WEBVISION,
                                root,
                                null,
                                "train",
                                16,
                                3,
                                ImageReplay.Encoding.RAW,
                                3,
                                0,
                                null,
                                2),
                        plain());
        ReplaySource s = loaded.source();
        assertThat(s.size()).isEqualTo(12);
        assertThat(s.givenCounts()).containsExactly(4, 4, 4);
        assertThat(loaded.notes())
                .anySatisfy(n -> assertThat(n).contains("missing.jpg"))
                .anySatisfy(n -> assertThat(n).contains("garbage.jpg"));
        LabelledSample first = ((ImageReplay) s).sample(0, Instant.EPOCH);
        assertThat(first.getImage().getEncoding()).isEqualTo(ImageEncoding.RAW_RGB);
        assertThat(first.getImage().getWidth()).isEqualTo(16);
        assertThat(first.getImage().getHeight()).isEqualTo(16);
        assertThat(first.getImage().getData().remaining()).isEqualTo(16 * 16 * 3);
        // web labels: nobody knows the truth
        assertThat(first.getTrueLabel()).isNull();
        // the pixels are the class's colour, resized (JPEG keeps it within a few levels)
        int label = first.getLabel();
        byte[] px = new byte[first.getImage().getData().remaining()];
        first.getImage().getData().duplicate().get(px);
        assertThat(px[8 * 16 * 3 + 8 * 3 + label] & 0xff).isGreaterThan(150);
    }
}
