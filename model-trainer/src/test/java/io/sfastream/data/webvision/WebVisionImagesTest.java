package io.sfastream.data.webvision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfastream.data.DatasetException;
import io.sfastream.data.UnavailableImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebVisionImagesTest {
    private static final ResizedCropTransform SMALL = new ResizedCropTransform(32, 28);

    @TempDir Path root;

    /**
     * A fake mini-WebVision tree: train list with labels 0–2 kept under 50 classes, 50 and 999
     * dropped, a missing file, a file of random bytes and a truncated JPEG; a validation list;
     * ImageNet class folders 0–2.
     */
    @BeforeEach
    void writeTree() throws IOException {
        TestImages.write(
                root.resolve("google/q0001/red.jpg"),
                TestImages.toBuffered(TestImages.solid(40, 60, 200, 30, 30)),
                "jpeg");
        TestImages.write(
                root.resolve("google/q0001/formula.png"),
                TestImages.toBuffered(TestImages.formula(60, 40)),
                "png");
        TestImages.write(
                root.resolve("google/q0002/dropped.png"),
                TestImages.toBuffered(TestImages.formula(20, 20)),
                "png");
        TestImages.write(
                root.resolve("google/q0003/grey.png"), TestImages.grey(44, 52, 100), "png");
        byte[] random = new byte[700];
        new java.util.Random(9).nextBytes(random);
        TestImages.write(root.resolve("google/q0003/random.jpg"), random);
        byte[] jpeg = TestImages.encode(TestImages.toBuffered(TestImages.noise(48, 64, 3)), "jpeg");
        TestImages.write(
                root.resolve("google/q0003/truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        TestImages.write(
                root.resolve("google/q0004/blue.png"),
                TestImages.toBuffered(TestImages.solid(50, 38, 10, 20, 240)),
                "png");
        writeLines(
                "info/train_filelist_google.txt",
                "google/q0001/red.jpg 0",
                "google/q0001/formula.png 1",
                "google/q0002/dropped.png 50",
                "google/q0002/missing.jpg 2",
                "",
                "google/q0003/grey.png 2",
                "google/q0003/random.jpg 1",
                "google/q0002/dropped.png 999",
                "google/q0003/truncated.jpg 0",
                "google/q0004/blue.png\t2  ");

        TestImages.write(
                root.resolve("val_images_256/val000001.png"),
                TestImages.toBuffered(TestImages.solid(40, 40, 1, 2, 3)),
                "png");
        TestImages.write(
                root.resolve("val_images_256/val000002.jpg"),
                TestImages.toBuffered(TestImages.formula(45, 40)),
                "jpeg");
        writeLines(
                "info/val_filelist.txt", "val000001.png 2", "val000003.png 70", "val000002.jpg 0");

        for (int c = 0; c < 3; c++) {
            TestImages.write(
                    root.resolve("imagenet/val/" + c + "/b_" + c + ".png"),
                    TestImages.toBuffered(TestImages.solid(33, 35, 20 * c, 0, 0)),
                    "png");
            TestImages.write(
                    root.resolve("imagenet/val/" + c + "/a_" + c + ".png"),
                    TestImages.toBuffered(TestImages.solid(35, 33, 0, 20 * c, 0)),
                    "png");
        }
        Files.createDirectories(root.resolve("imagenet/val/1/not-an-image"));
    }

    private void writeLines(String relative, String... lines) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    private static List<String> names(WebVisionImages set) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            names.add(set.path(i).getFileName() + " " + set.label(i));
        }
        return names;
    }

    @Test
    void trainKeepsListOrderAndLabelsBelowFiftyAndReportsMissingFiles() throws Exception {
        WebVisionImages set = WebVisionImages.train(root);

        assertThat(set.name()).isEqualTo("webvision-train");
        assertThat(set.numClasses()).isEqualTo(50);
        assertThat(set.pixelsPerImage()).isEqualTo(3 * 299 * 299);
        assertThat(names(set))
                .containsExactly(
                        "red.jpg 0",
                        "formula.png 1",
                        "grey.png 2",
                        "random.jpg 1",
                        "truncated.jpg 0",
                        "blue.png 2");
        assertThat(set.path(0)).isEqualTo(root.resolve("google/q0001/red.jpg"));
        for (int i = 0; i < set.size(); i++) {
            assertThat(set.trueLabel(i)).isEqualTo(-1);
        }
        assertThat(set.skipped())
                .containsExactly(
                        new SkippedImage(root.resolve("google/q0002/missing.jpg"), "missing file"));
    }

    @Test
    void numClassesFiltersTheList() throws Exception {
        WebVisionImages set = WebVisionImages.train(root, 2, SMALL, false);
        assertThat(names(set))
                .containsExactly("red.jpg 0", "formula.png 1", "random.jpg 1", "truncated.jpg 0");
        assertThat(set.numClasses()).isEqualTo(2);
        assertThat(set.pixelsPerImage()).isEqualTo(3 * 28 * 28);
        assertThat(set.skipped()).isEmpty(); // the missing file has label 2
    }

    @Test
    void undecodableImagesThrowUnavailableImageExceptionNamingTheFile() throws Exception {
        WebVisionImages set = WebVisionImages.train(root, 50, SMALL, false);
        float[] dst = new float[SMALL.pixelsPerImage()];

        assertThatThrownBy(() -> set.evaluate(3, dst, 0))
                .isInstanceOfSatisfying(
                        UnavailableImageException.class,
                        e -> {
                            assertThat(e.index()).isEqualTo(3);
                            assertThat(e.source())
                                    .isEqualTo(root.resolve("google/q0003/random.jpg").toString());
                            assertThat(e.reason())
                                    .isEqualTo("not an image: no decoder recognises the content");
                        });
        assertThatThrownBy(
                        () -> set.augment(4, dst, 0, RandomSource.XO_RO_SHI_RO_128_PP.create(1L)))
                .isInstanceOfSatisfying(
                        UnavailableImageException.class,
                        e -> {
                            assertThat(e.index()).isEqualTo(4);
                            assertThat(e.reason()).startsWith("truncated image: ");
                        });

        // A file deleted after loading is reported the same way.
        Files.delete(set.path(0));
        assertThatThrownBy(() -> set.evaluate(0, dst, 0))
                .isInstanceOfSatisfying(
                        UnavailableImageException.class,
                        e -> assertThat(e.reason()).isEqualTo("missing file"));
    }

    @Test
    void verifyLeavesOutAndReportsUndecodableImages() throws Exception {
        WebVisionImages set = WebVisionImages.train(root, 50, SMALL, true);

        assertThat(names(set))
                .containsExactly("red.jpg 0", "formula.png 1", "grey.png 2", "blue.png 2");
        assertThat(set.skipped())
                .extracting(s -> s.path().getFileName().toString())
                .containsExactly("missing.jpg", "random.jpg", "truncated.jpg");
        assertThat(set.skipped().get(1).reason())
                .isEqualTo("not an image: no decoder recognises the content");
        assertThat(set.skipped().get(2).reason()).startsWith("truncated image: ");
        float[] dst = new float[SMALL.pixelsPerImage()];
        for (int i = 0; i < set.size(); i++) {
            set.evaluate(i, dst, 0);
            set.augment(i, dst, 0, RandomSource.XO_RO_SHI_RO_128_PP.create(i));
        }
    }

    @Test
    void evaluateOfASolidPngIsTheNormalisedColourAndGreyStaysGrey() throws Exception {
        WebVisionImages set = WebVisionImages.train(root, 50, SMALL, false);
        int plane = 28 * 28;
        float[] dst = new float[SMALL.pixelsPerImage() + 3];

        set.evaluate(5, dst, 3); // blue.png, (10, 20, 240)
        int[] blue = {10, 20, 240};
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                assertThat(dst[3 + c * plane + p]).isEqualTo(SMALL.normalise(c, blue[c]));
            }
        }

        set.evaluate(2, dst, 3); // grey.png, grey 100
        byte[] hwc = TestImages.denormalise(SMALL, dst, 3);
        for (byte b : hwc) {
            assertThat(b & 0xff).isEqualTo(100);
        }
    }

    @Test
    void validationReadsValImages256AndTakesLabelsAsTrue() throws Exception {
        WebVisionImages set = WebVisionImages.validation(root, 50, SMALL, false);

        assertThat(set.name()).isEqualTo("webvision-val");
        assertThat(names(set)).containsExactly("val000001.png 2", "val000002.jpg 0");
        assertThat(set.path(0)).isEqualTo(root.resolve("val_images_256/val000001.png"));
        assertThat(set.trueLabel(0)).isEqualTo(2);
        assertThat(set.trueLabel(1)).isEqualTo(0);
        float[] dst = new float[SMALL.pixelsPerImage()];
        set.evaluate(0, dst, 0);
        assertThat(dst[0]).isEqualTo(SMALL.normalise(0, 1));
    }

    @Test
    void imagenetValidationReadsClassFoldersInNameOrder() throws Exception {
        WebVisionImages set = WebVisionImages.imagenetValidation(root, 3, SMALL, false);

        assertThat(set.name()).isEqualTo("imagenet-val");
        assertThat(names(set))
                .containsExactly(
                        "a_0.png 0",
                        "b_0.png 0",
                        "a_1.png 1",
                        "b_1.png 1",
                        "a_2.png 2",
                        "b_2.png 2");
        assertThat(set.trueLabel(4)).isEqualTo(2);
        assertThat(set.skipped())
                .containsExactly(
                        new SkippedImage(
                                root.resolve("imagenet/val/1/not-an-image"), "not a regular file"));

        assertThat(WebVisionImages.imagenetValidation(root, 2, SMALL, false).size()).isEqualTo(4);
        assertThatThrownBy(() -> WebVisionImages.imagenetValidation(root, 4, SMALL, false))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("missing folder " + root.resolve("imagenet/val/3"));
    }

    @Test
    void malformedLinesNameTheFileAndLine() throws Exception {
        Path list = root.resolve("info/train_filelist_google.txt");
        writeLines(
                "info/train_filelist_google.txt",
                "google/q0001/red.jpg 0",
                "",
                "google/q0001/red.jpg 1 extra");
        assertThatThrownBy(() -> WebVisionImages.train(root))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(list + ":3: expected '<image path> <label>', found 3 fields");

        writeLines("info/train_filelist_google.txt", "google/q0001/red.jpg");
        assertThatThrownBy(() -> WebVisionImages.train(root))
                .hasMessageContaining(list + ":1: expected");

        writeLines(
                "info/train_filelist_google.txt",
                "google/q0001/red.jpg 0",
                "google/q0001/red.jpg cat");
        assertThatThrownBy(() -> WebVisionImages.train(root))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(list + ":2: label 'cat' is not an integer");

        writeLines("info/train_filelist_google.txt", "google/q0001/red.jpg -1");
        assertThatThrownBy(() -> WebVisionImages.train(root))
                .hasMessageContaining(list + ":1: negative label -1");
    }

    @Test
    void aMissingListOrAnEmptySelectionIsADatasetException() throws Exception {
        Files.delete(root.resolve("info/val_filelist.txt"));
        assertThatThrownBy(() -> WebVisionImages.validation(root))
                .isInstanceOf(DatasetException.class)
                .hasMessage("missing file " + root.resolve("info/val_filelist.txt"));

        writeLines("info/val_filelist.txt", "val000001.png 60");
        assertThatThrownBy(() -> WebVisionImages.validation(root))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("no images with a label below 50");

        writeLines("info/val_filelist.txt", "gone.png 1");
        assertThatThrownBy(() -> WebVisionImages.validation(root))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("none of the 1 images")
                .hasMessageContaining("gone.png: missing file");
    }

    @Test
    void aRepeatedPathTakesItsLastLabelAsInTheReferencesDictionary() throws Exception {
        writeLines(
                "info/train_filelist_google.txt",
                "\uFEFFgoogle/q0001/red.jpg 0",
                "/google/q0001/formula.png 1",
                "google/q0001/red.jpg 2",
                "google/q0001/red.jpg 70");
        WebVisionImages set = WebVisionImages.train(root);
        assertThat(names(set)).containsExactly("red.jpg 2", "formula.png 1", "red.jpg 2");
        assertThat(set.path(1)).isEqualTo(root.resolve("google/q0001/formula.png"));
    }

    @Test
    void concurrentCallsGiveTheSequentialResults() throws Exception {
        WebVisionImages set = WebVisionImages.train(root, 50, SMALL, true);
        int rounds = 6;
        int n = set.size();
        int floats = set.pixelsPerImage();
        float[][] expected = new float[2 * rounds * n][];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < n; i++) {
                float[] train = new float[floats];
                set.augment(i, train, 0, RandomSource.XO_RO_SHI_RO_128_PP.create(1000L * r + i));
                expected[2 * (r * n + i)] = train;
                float[] eval = new float[floats];
                set.evaluate(i, eval, 0);
                expected[2 * (r * n + i) + 1] = eval;
            }
        }

        float[] shared =
                new float[expected.length * floats]; // disjoint slices of one buffer, as a batch
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int task = expected.length - 1; task >= 0; task--) {
            int t = task;
            tasks.add(
                    () -> {
                        int r = t / 2 / n;
                        int i = t / 2 % n;
                        if (t % 2 == 0) {
                            set.augment(
                                    i,
                                    shared,
                                    t * floats,
                                    RandomSource.XO_RO_SHI_RO_128_PP.create(1000L * r + i));
                        } else {
                            set.evaluate(i, shared, t * floats);
                        }
                        return null;
                    });
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int t = 0; t < expected.length; t++) {
            assertThat(Arrays.copyOfRange(shared, t * floats, (t + 1) * floats))
                    .as("task %d", t)
                    .containsExactly(expected[t]);
        }
    }
}
