package io.sfastream.data.webvision;

import io.sfastream.data.DatasetException;
import io.sfastream.data.LabelledImages;
import io.sfastream.data.UnavailableImageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Mini-WebVision and its ImageNet validation set in the reference's directory layout ({@code
 * dataloader_webvision.py}), decoded from disk on every call and transformed by a {@link
 * ResizedCropTransform}:
 *
 * <ul>
 *   <li>{@link #train}: the lines {@code <relative path> <label>} of {@code
 *       <root>/info/train_filelist_google.txt} with label below {@code numClasses} (50 for
 *       mini-WebVision), images at {@code <root>/<relative path>}. The labels are the web labels,
 *       so {@link #trueLabel} is {@code -1}.
 *   <li>{@link #validation}: the lines {@code <name> <label>} of {@code
 *       <root>/info/val_filelist.txt} with label below {@code numClasses}, images at {@code
 *       <root>/val_images_256/<name>}; labels are taken as true.
 *   <li>{@link #imagenetValidation}: every file of {@code <root>/imagenet/val/<c>/} for the class
 *       folders {@code c = 0 … numClasses − 1} (folders named by class index), label {@code c},
 *       taken as true. Files are in name order (the reference takes {@code os.listdir} order, which
 *       is arbitrary).
 * </ul>
 *
 * As in the reference, the order of the list is the order of the set, and a path listed twice stays
 * twice with the label of its <em>last</em> kept line for both (the reference keeps labels in a
 * dictionary keyed by path).
 *
 * <p>Unlike the reference, which dies on the first unreadable file, listed files missing on disk
 * are left out when the set is loaded and reported by {@link #skipped()}. With {@code verify},
 * every image is also decoded once at load (in parallel) and undecodable ones are left out and
 * reported the same way; without it they surface later as an {@link UnavailableImageException} from
 * {@link #augment} or {@link #evaluate}, which the trainer reports and skips.
 *
 * <p>Immutable and thread-safe: concurrent {@link #augment} and {@link #evaluate} calls each decode
 * their own copy.
 */
public final class WebVisionImages implements LabelledImages {
    /** The classes of mini-WebVision: the first 50 of WebVision's 1000. */
    public static final int MINI_WEBVISION_CLASSES = 50;

    static final String TRAIN_LIST = "info/train_filelist_google.txt";
    static final String VAL_LIST = "info/val_filelist.txt";
    static final String VAL_IMAGES = "val_images_256";
    static final String IMAGENET_VAL = "imagenet/val";

    private final String name;
    private final Path[] files;
    private final int[] labels;
    private final boolean labelsTrue;
    private final int numClasses;
    private final ResizedCropTransform transform;
    private final List<SkippedImage> skipped;

    private WebVisionImages(
            String name,
            List<Entry> entries,
            boolean labelsTrue,
            int numClasses,
            ResizedCropTransform transform,
            List<SkippedImage> skipped) {
        this.name = name;
        this.files = new Path[entries.size()];
        this.labels = new int[entries.size()];
        for (int i = 0; i < files.length; i++) {
            files[i] = entries.get(i).file();
            labels[i] = entries.get(i).label();
        }
        this.labelsTrue = labelsTrue;
        this.numClasses = numClasses;
        this.transform = transform;
        this.skipped = List.copyOf(skipped);
    }

    /** The mini-WebVision training set (50 classes) at the reference's sizes, not verified. */
    public static WebVisionImages train(Path root) throws DatasetException {
        return train(root, MINI_WEBVISION_CLASSES, ResizedCropTransform.reference(), false);
    }

    /**
     * The Google training images with label below {@code numClasses}.
     *
     * @param verify decode every image once now and leave out (and report) those that fail
     * @throws DatasetException when the list is missing or malformed, or no listed image is usable
     */
    public static WebVisionImages train(
            Path root, int numClasses, ResizedCropTransform transform, boolean verify)
            throws DatasetException {
        checkArguments(numClasses, transform);
        List<Entry> entries = readList(root.resolve(TRAIN_LIST), root, numClasses);
        return load(
                "webvision-train",
                root.resolve(TRAIN_LIST),
                entries,
                false,
                numClasses,
                transform,
                verify);
    }

    /** The mini-WebVision validation set (50 classes) at the reference's sizes, not verified. */
    public static WebVisionImages validation(Path root) throws DatasetException {
        return validation(root, MINI_WEBVISION_CLASSES, ResizedCropTransform.reference(), false);
    }

    /**
     * The WebVision validation images with label below {@code numClasses}.
     *
     * @param verify decode every image once now and leave out (and report) those that fail
     * @throws DatasetException when the list is missing or malformed, or no listed image is usable
     */
    public static WebVisionImages validation(
            Path root, int numClasses, ResizedCropTransform transform, boolean verify)
            throws DatasetException {
        checkArguments(numClasses, transform);
        List<Entry> entries =
                readList(root.resolve(VAL_LIST), root.resolve(VAL_IMAGES), numClasses);
        return load(
                "webvision-val",
                root.resolve(VAL_LIST),
                entries,
                true,
                numClasses,
                transform,
                verify);
    }

    /**
     * The ImageNet validation images of the 50 mini-WebVision classes at the reference's sizes, not
     * verified.
     */
    public static WebVisionImages imagenetValidation(Path root) throws DatasetException {
        return imagenetValidation(
                root, MINI_WEBVISION_CLASSES, ResizedCropTransform.reference(), false);
    }

    /**
     * The files of {@code <root>/imagenet/val/<c>/} for {@code c < numClasses}, labelled {@code c}.
     * Entries of a class folder that are not regular files are reported in {@link #skipped()}.
     *
     * @param verify decode every image once now and leave out (and report) those that fail
     * @throws DatasetException when a class folder is missing or unreadable, or no image is usable
     */
    public static WebVisionImages imagenetValidation(
            Path root, int numClasses, ResizedCropTransform transform, boolean verify)
            throws DatasetException {
        checkArguments(numClasses, transform);
        Path base = root.resolve(IMAGENET_VAL);
        List<Entry> entries = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            Path folder = base.resolve(Integer.toString(c));
            if (!Files.isDirectory(folder)) {
                throw new DatasetException(
                        "missing folder "
                                + folder
                                + " (ImageNet validation images of class "
                                + c
                                + "; "
                                + numClasses
                                + " classes expected)");
            }
            List<Path> children;
            try (Stream<Path> list = Files.list(folder)) {
                children =
                        list.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
            } catch (IOException e) {
                throw new DatasetException(folder + ": cannot list (" + e + ")", e);
            }
            for (Path child : children) {
                entries.add(new Entry(child, c));
            }
        }
        if (entries.isEmpty()) {
            throw new DatasetException(
                    base + ": the class folders 0 … " + (numClasses - 1) + " hold no files");
        }
        return load("imagenet-val", base, entries, true, numClasses, transform, verify);
    }

    private static void checkArguments(int numClasses, ResizedCropTransform transform) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, was " + numClasses);
        }
        Objects.requireNonNull(transform, "transform");
    }

    /**
     * The lines {@code <path> <label>} of {@code list} with label below {@code numClasses}, paths
     * resolved against {@code imageDir}. Blank lines are ignored; any other line that is not two
     * whitespace-separated fields with an integer label {@code >= 0} is an error naming the file
     * and line.
     */
    static List<Entry> readList(Path list, Path imageDir, int numClasses) throws DatasetException {
        if (!Files.exists(list)) {
            throw new DatasetException("missing file " + list);
        }
        if (!Files.isRegularFile(list)) {
            throw new DatasetException(list + ": not a regular file");
        }
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                String[] fields = trimmed.split("\\s+");
                if (fields.length != 2) {
                    throw new DatasetException(
                            list
                                    + ":"
                                    + lineNumber
                                    + ": expected '<image path> <label>', found "
                                    + fields.length
                                    + " fields in '"
                                    + abbreviate(trimmed)
                                    + "'");
                }
                int label;
                try {
                    label = Integer.parseInt(fields[1]);
                } catch (NumberFormatException e) {
                    throw new DatasetException(
                            list
                                    + ":"
                                    + lineNumber
                                    + ": label '"
                                    + abbreviate(fields[1])
                                    + "' is not an integer",
                            e);
                }
                if (label < 0) {
                    throw new DatasetException(
                            list + ":" + lineNumber + ": negative label " + label);
                }
                if (label < numClasses) {
                    // The reference concatenates root + path, so a leading '/' does not make the
                    // path absolute.
                    String relative = fields[0].replaceFirst("^/+", "");
                    entries.add(new Entry(imageDir.resolve(relative), label));
                }
            }
        } catch (CharacterCodingException e) {
            throw new DatasetException(list + ": not UTF-8 text (" + e + ")", e);
        } catch (DatasetException e) {
            throw e;
        } catch (IOException e) {
            throw new DatasetException(list + ": cannot read (" + e + ")", e);
        }
        // The reference's labels are a dict keyed by path: a repeated path takes its last kept
        // label everywhere.
        Map<Path, Integer> lastLabel = new HashMap<>();
        for (Entry entry : entries) {
            lastLabel.put(entry.file(), entry.label());
        }
        if (lastLabel.size() < entries.size()) {
            entries.replaceAll(entry -> new Entry(entry.file(), lastLabel.get(entry.file())));
        }
        return entries;
    }

    private static WebVisionImages load(
            String name,
            Path source,
            List<Entry> listed,
            boolean labelsTrue,
            int numClasses,
            ResizedCropTransform transform,
            boolean verify)
            throws DatasetException {
        if (listed.isEmpty()) {
            throw new DatasetException(source + ": no images with a label below " + numClasses);
        }
        List<SkippedImage> skipped = new ArrayList<>();
        List<Entry> present = new ArrayList<>(listed.size());
        for (Entry entry : listed) {
            if (Files.isRegularFile(entry.file())) {
                present.add(entry);
            } else {
                skipped.add(
                        new SkippedImage(
                                entry.file(),
                                Files.exists(entry.file())
                                        ? "not a regular file"
                                        : "missing file"));
            }
        }
        List<Entry> kept = present;
        if (verify) {
            String[] failures = decodeAll(present, Runtime.getRuntime().availableProcessors());
            kept = new ArrayList<>(present.size());
            for (int i = 0; i < failures.length; i++) {
                if (failures[i] == null) {
                    kept.add(present.get(i));
                } else {
                    skipped.add(new SkippedImage(present.get(i).file(), failures[i]));
                }
            }
        }
        if (kept.isEmpty()) {
            throw new DatasetException(
                    source
                            + ": none of the "
                            + listed.size()
                            + " images with a label below "
                            + numClasses
                            + " is usable (first: "
                            + skipped.get(0)
                            + ")");
        }
        return new WebVisionImages(name, kept, labelsTrue, numClasses, transform, skipped);
    }

    /**
     * Decodes every entry once on {@code threads} threads: the failure reason per entry, {@code
     * null} if none.
     */
    static String[] decodeAll(List<Entry> entries, int threads) throws DatasetException {
        String[] failures = new String[entries.size()];
        int workers = Math.max(1, Math.min(threads, entries.size()));
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        workers,
                        task -> {
                            Thread t = new Thread(task, "webvision-verify");
                            t.setDaemon(true);
                            return t;
                        });
        try {
            List<Future<?>> done = new ArrayList<>(workers);
            for (int w = 0; w < workers; w++) {
                done.add(
                        pool.submit(
                                () -> {
                                    for (int i = next.getAndIncrement();
                                            i < failures.length;
                                            i = next.getAndIncrement()) {
                                        try {
                                            RgbDecoder.decode(entries.get(i).file());
                                        } catch (ImageDecodeException e) {
                                            failures[i] = e.getMessage();
                                        }
                                    }
                                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException(
                    "interrupted while verifying " + entries.size() + " images", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("verifying images failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
        return failures;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return files.length;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int pixelsPerImage() {
        return transform.pixelsPerImage();
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    /**
     * {@code -1} for the training set (web labels, truth unknown); the label for the validation
     * sets.
     */
    @Override
    public int trueLabel(int i) {
        return labelsTrue ? labels[i] : -1;
    }

    /** The file of image {@code i}. */
    public Path path(int i) {
        return files[i];
    }

    /**
     * Listed images left out at load: the missing ones in list order, then (when verified) the
     * undecodable ones.
     */
    public List<SkippedImage> skipped() {
        return skipped;
    }

    public ResizedCropTransform transform() {
        return transform;
    }

    @Override
    public void augment(int i, float[] dst, int offset, UniformRandomProvider rng) {
        Objects.requireNonNull(rng, "rng");
        Objects.checkFromIndexSize(offset, pixelsPerImage(), dst.length);
        transform.train(decode(i), dst, offset, rng);
    }

    @Override
    public void evaluate(int i, float[] dst, int offset) {
        Objects.checkFromIndexSize(offset, pixelsPerImage(), dst.length);
        transform.eval(decode(i), dst, offset);
    }

    /**
     * Image {@code i} decoded, or an {@link UnavailableImageException} with the decoder's reason.
     */
    public RgbImage decode(int i) {
        Path file = files[i];
        try {
            return RgbDecoder.decode(file);
        } catch (ImageDecodeException e) {
            throw new UnavailableImageException(i, file.toString(), e.getMessage(), e);
        }
    }

    /** A listed image: its file and its label. */
    record Entry(Path file, int label) {}
}
