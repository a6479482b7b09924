package io.sfastream.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando, MIT): 60,000 training and 10,000 test 28x28 grey images, 10 balanced
 * classes.
 *
 * <p>It is the one real labelled image set installable offline (Debian package {@code
 * dataset-fashion-mnist}), which is why tests and demos use it in place of CIFAR.
 */
public final class FashionMnist {
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String INSTALL_HINT = "sudo apt-get install dataset-fashion-mnist";
    public static final List<String> CLASS_NAMES =
            List.of(
                    "T-shirt/top",
                    "Trouser",
                    "Pullover",
                    "Dress",
                    "Coat",
                    "Sandal",
                    "Shirt",
                    "Sneaker",
                    "Bag",
                    "Ankle boot");

    private static final String TRAIN = "train";
    private static final String TEST = "t10k";

    private FashionMnist() {}

    public static ImageSet train(Path dir) throws DatasetException {
        return read(dir, TRAIN, "fashion-mnist-train");
    }

    public static ImageSet test(Path dir) throws DatasetException {
        return read(dir, TEST, "fashion-mnist-test");
    }

    /**
     * Whether all four files exist, gzipped or not; lets tests skip instead of fail on machines
     * without the data.
     */
    public static boolean isInstalled(Path dir) {
        for (String prefix : List.of(TRAIN, TEST)) {
            for (String kind : List.of("images-idx3", "labels-idx1")) {
                if (find(dir, prefix + "-" + kind + "-ubyte") == null) {
                    return false;
                }
            }
        }
        return true;
    }

    private static ImageSet read(Path dir, String prefix, String name) throws DatasetException {
        Path images = require(dir, prefix + "-images-idx3-ubyte");
        Path labels = require(dir, prefix + "-labels-idx1-ubyte");
        return IdxReader.read(images, labels, name, CLASS_NAMES);
    }

    private static Path require(Path dir, String baseName) throws DatasetException {
        Path found = find(dir, baseName);
        if (found != null) {
            return found;
        }
        String message = "missing file " + dir.resolve(baseName + ".gz") + " (or " + baseName + ")";
        if (dir.toAbsolutePath().normalize().equals(DEFAULT_DIR)) {
            message += "; install Fashion-MNIST with: " + INSTALL_HINT;
        }
        throw new DatasetException(message);
    }

    private static Path find(Path dir, String baseName) {
        for (Path candidate : List.of(dir.resolve(baseName + ".gz"), dir.resolve(baseName))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
