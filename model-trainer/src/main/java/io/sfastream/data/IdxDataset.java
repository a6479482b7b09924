package io.sfastream.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Any IDX image/label pair (MNIST, Fashion-MNIST, KMNIST, EMNIST, …) found by file name, with its
 * class names and a name that says what it is.
 *
 * <ul>
 *   <li>A folder: the images file of the split is the one whose name starts with {@code train}
 *       (split {@code train}) or {@code t10k} / {@code test} (split {@code test}) and contains
 *       {@code images-idx3-ubyte} (gzipped or not); its labels file is the same name with {@code
 *       labels-idx1-ubyte}. The name is {@code <folder name>-<split>}, e.g. {@code
 *       fashion-mnist-train}.
 *   <li>An images file: its labels file is the same name with {@code labels-idx1} for {@code
 *       images-idx3}. The name is the file name up to {@code -images}.
 * </ul>
 *
 * Class names come from a {@code classes.txt} beside the files (one per line), else Fashion-MNIST's
 * when the folder or file name says {@code fashion}, else the label numbers {@code "0"…}; the
 * number of classes is the larger of the names listed and 1 + the largest label.
 */
public final class IdxDataset {
    private static final String IMAGES = "images-idx3-ubyte";
    private static final String LABELS = "labels-idx1-ubyte";

    private IdxDataset() {}

    /**
     * @param path a folder holding the pair, or the images file
     * @param split {@code train} or {@code test} (ignored when {@code path} is a file)
     * @param name the set's name; null for the one derived from the path
     */
    public static ImageSet read(Path path, String split, String name) throws DatasetException {
        Path images;
        String derived;
        if (Files.isDirectory(path)) {
            images = findImages(path, split);
            derived = path.toAbsolutePath().normalize().getFileName() + "-" + split;
        } else if (Files.isRegularFile(path)) {
            images = path;
            String file = path.getFileName().toString();
            int cut = file.indexOf("-images");
            derived = cut > 0 ? file.substring(0, cut) : file;
        } else {
            throw new DatasetException("missing file or folder " + path);
        }
        String file = images.getFileName().toString();
        if (!file.contains("images-idx3")) {
            throw new DatasetException(
                    images + ": not named like an IDX images file (*images-idx3-ubyte*)");
        }
        Path labels = images.resolveSibling(file.replace("images-idx3", "labels-idx1"));
        List<String> placeholder = new ArrayList<>();
        for (int k = 0; k < 256; k++) {
            placeholder.add(Integer.toString(k));
        }
        String setName = name != null ? name : derived;
        ImageSet raw = IdxReader.read(images, labels, setName, placeholder);
        int maxLabel = -1;
        for (int y : raw.labels()) {
            maxLabel = Math.max(maxLabel, y);
        }
        List<String> names = classNames(images, maxLabel + 1);
        return new ImageSet(
                setName, raw.width(), raw.height(), 1, raw.pixels(), raw.labels(), names);
    }

    private static Path findImages(Path dir, String split) throws DatasetException {
        List<String> prefixes =
                switch (split) {
                    case "train" -> List.of("train");
                    case "test" -> List.of("t10k", "test");
                    default ->
                            throw new IllegalArgumentException(
                                    "split must be train or test, got " + split);
                };
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile)
                    .filter(
                            p -> {
                                String f = p.getFileName().toString();
                                return f.contains(IMAGES)
                                        && prefixes.stream().anyMatch(f::startsWith);
                            })
                    .sorted()
                    .forEach(found::add);
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list (" + e + ")", e);
        }
        if (found.isEmpty()) {
            throw new DatasetException(
                    dir
                            + ": no IDX images file of split "
                            + split
                            + " ("
                            + String.join(" or ", prefixes)
                            + "*-"
                            + IMAGES
                            + "[.gz]) with its "
                            + LABELS
                            + " file");
        }
        // with both foo-ubyte and foo-ubyte.gz there, the plain file sorts first
        return found.get(0);
    }

    private static List<String> classNames(Path images, int implied) throws DatasetException {
        Path listed = images.resolveSibling("classes.txt");
        List<String> names = new ArrayList<>();
        if (Files.isRegularFile(listed)) {
            names.addAll(DatasetFiles.readNames(listed));
        } else {
            String where =
                    (images.toAbsolutePath().getParent() + "/" + images.getFileName())
                            .toLowerCase(Locale.ROOT);
            if (where.contains("fashion") && implied <= FashionMnist.CLASS_NAMES.size()) {
                names.addAll(FashionMnist.CLASS_NAMES);
            }
        }
        for (int k = names.size(); k < Math.max(implied, 2); k++) {
            names.add(Integer.toString(k));
        }
        return names;
    }
}
