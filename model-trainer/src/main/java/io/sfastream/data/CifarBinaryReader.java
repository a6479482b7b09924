package io.sfastream.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the CIFAR-10 / CIFAR-100 "binary version" files
 * (https://www.cs.toronto.edu/~kriz/cifar.html).
 *
 * <p>A file is a bare sequence of fixed-size records: {@code labelBytes} label bytes (CIFAR-10:
 * one; CIFAR-100: coarse then fine), then 3072 pixel bytes as three 32x32 row-major planes R, G, B.
 * Having no header, the only integrity checks possible are that the size is a whole number of
 * records and that the labels are in range, so both are enforced.
 *
 * <p>The binary files hold the same images as the pickled "python version" that SFA, RoLT and
 * DivideMix read; the record order is assumed to be the same too (the reference's index files are
 * positions in the concatenation of {@code data_batch_1..5}), which was not verified against real
 * CIFAR bytes on this machine.
 */
public final class CifarBinaryReader {
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int PIXEL_BYTES = SIDE * SIDE * CHANNELS;
    public static final int CIFAR10_RECORD_BYTES = 1 + PIXEL_BYTES;
    public static final int CIFAR100_RECORD_BYTES = 2 + PIXEL_BYTES;

    /** Used when {@code batches.meta.txt} is absent. */
    public static final List<String> CIFAR10_CLASS_NAMES =
            List.of(
                    "airplane",
                    "automobile",
                    "bird",
                    "cat",
                    "deer",
                    "dog",
                    "frog",
                    "horse",
                    "ship",
                    "truck");

    /**
     * Used when {@code fine_label_names.txt} is absent; the official file lists the fine classes
     * alphabetically.
     */
    public static final List<String> CIFAR100_FINE_CLASS_NAMES =
            List.of(
                    "apple",
                    "aquarium_fish",
                    "baby",
                    "bear",
                    "beaver",
                    "bed",
                    "bee",
                    "beetle",
                    "bicycle",
                    "bottle",
                    "bowl",
                    "boy",
                    "bridge",
                    "bus",
                    "butterfly",
                    "camel",
                    "can",
                    "castle",
                    "caterpillar",
                    "cattle",
                    "chair",
                    "chimpanzee",
                    "clock",
                    "cloud",
                    "cockroach",
                    "couch",
                    "crab",
                    "crocodile",
                    "cup",
                    "dinosaur",
                    "dolphin",
                    "elephant",
                    "flatfish",
                    "forest",
                    "fox",
                    "girl",
                    "hamster",
                    "house",
                    "kangaroo",
                    "keyboard",
                    "lamp",
                    "lawn_mower",
                    "leopard",
                    "lion",
                    "lizard",
                    "lobster",
                    "man",
                    "maple_tree",
                    "motorcycle",
                    "mountain",
                    "mouse",
                    "mushroom",
                    "oak_tree",
                    "orange",
                    "orchid",
                    "otter",
                    "palm_tree",
                    "pear",
                    "pickup_truck",
                    "pine_tree",
                    "plain",
                    "plate",
                    "poppy",
                    "porcupine",
                    "possum",
                    "rabbit",
                    "raccoon",
                    "ray",
                    "road",
                    "rocket",
                    "rose",
                    "sea",
                    "seal",
                    "shark",
                    "shrew",
                    "skunk",
                    "skyscraper",
                    "snail",
                    "snake",
                    "spider",
                    "squirrel",
                    "streetcar",
                    "sunflower",
                    "sweet_pepper",
                    "table",
                    "tank",
                    "telephone",
                    "television",
                    "tiger",
                    "tractor",
                    "train",
                    "trout",
                    "tulip",
                    "turtle",
                    "wardrobe",
                    "whale",
                    "willow_tree",
                    "wolf",
                    "woman",
                    "worm");

    private static final int PLANE = SIDE * SIDE;

    private CifarBinaryReader() {}

    /**
     * CIFAR-10 from a {@code cifar-10-batches-bin} directory: {@code data_batch_1.bin} to {@code
     * data_batch_5.bin} concatenated in that order (50,000 images), or {@code test_batch.bin}
     * (10,000).
     */
    public static ImageSet cifar10(Path dir, boolean train) throws DatasetException {
        Path meta = dir.resolve("batches.meta.txt");
        List<String> names =
                Files.exists(meta) ? DatasetFiles.readNames(meta) : CIFAR10_CLASS_NAMES;
        List<Path> files = new ArrayList<>();
        if (train) {
            for (int batch = 1; batch <= 5; batch++) {
                files.add(dir.resolve("data_batch_" + batch + ".bin"));
            }
        } else {
            files.add(dir.resolve("test_batch.bin"));
        }
        List<ImageSet> parts = new ArrayList<>();
        for (Path file : files) {
            parts.add(readFile(file, 1, 0, names));
        }
        return concat(train ? "cifar10-train" : "cifar10-test", parts);
    }

    /**
     * CIFAR-100 from a {@code cifar-100-binary} directory, labelled with the fine label (as SFA,
     * RoLT, DivideMix).
     */
    public static ImageSet cifar100(Path dir, boolean train) throws DatasetException {
        Path meta = dir.resolve("fine_label_names.txt");
        List<String> names =
                Files.exists(meta) ? DatasetFiles.readNames(meta) : CIFAR100_FINE_CLASS_NAMES;
        ImageSet set = readFile(dir.resolve(train ? "train.bin" : "test.bin"), 2, 1, names);
        return new ImageSet(
                train ? "cifar100-train" : "cifar100-test",
                SIDE,
                SIDE,
                CHANNELS,
                set.pixels(),
                set.labels(),
                names);
    }

    /**
     * One CIFAR-binary file.
     *
     * @param labelBytes label bytes at the start of each record (1 for CIFAR-10, 2 for CIFAR-100)
     * @param labelIndex which of them is the label (0 for CIFAR-10; 1, the fine label, for
     *     CIFAR-100)
     * @param classNames every label must be below its size
     */
    public static ImageSet readFile(
            Path file, int labelBytes, int labelIndex, List<String> classNames)
            throws DatasetException {
        if (labelBytes < 1 || labelIndex < 0 || labelIndex >= labelBytes) {
            throw new IllegalArgumentException(
                    "labelIndex "
                            + labelIndex
                            + " must be in [0, labelBytes) with labelBytes >= 1, got "
                            + labelBytes);
        }
        DatasetFiles.requireRegularFile(file);
        int recordBytes = labelBytes + PIXEL_BYTES;
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read its size (" + e + ")", e);
        }
        if (size % recordBytes != 0) {
            throw new DatasetException(
                    file
                            + ": size "
                            + size
                            + " bytes is not a multiple of the "
                            + recordBytes
                            + "-byte "
                            + (labelBytes == 1
                                    ? "CIFAR-10"
                                    : labelBytes == 2 ? "CIFAR-100" : "CIFAR-style")
                            + " record");
        }
        if (size / recordBytes > Integer.MAX_VALUE) {
            throw new DatasetException(
                    file + ": " + size + " bytes is too many records for one ImageSet");
        }
        int count = (int) (size / recordBytes);
        byte[][] pixels = new byte[count][];
        int[] labels = new int[count];
        byte[] record = new byte[recordBytes];
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            for (int i = 0; i < count; i++) {
                in.readFully(record);
                int label = record[labelIndex] & 0xFF;
                if (label >= classNames.size()) {
                    throw new DatasetException(
                            file
                                    + ": label "
                                    + label
                                    + " of record "
                                    + i
                                    + " (byte offset "
                                    + ((long) i * recordBytes + labelIndex)
                                    + ") is outside [0, "
                                    + classNames.size()
                                    + ")");
                }
                labels[i] = label;
                pixels[i] = planarToInterleaved(record, labelBytes);
            }
        } catch (NoSuchFileException e) {
            throw new DatasetException("missing file " + file, e);
        } catch (EOFException e) {
            throw new DatasetException(file + ": file shrank while being read", e);
        } catch (DatasetException e) {
            throw e;
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read (" + e + ")", e);
        }
        return new ImageSet(
                file.getFileName().toString(), SIDE, SIDE, CHANNELS, pixels, labels, classNames);
    }

    /**
     * Writes {@code set} as a CIFAR-binary file, so other data (or test fixtures) can go through
     * the CIFAR path.
     *
     * <p>Images must be 32x32 with 3 channels, or 1 channel, which is copied to R, G and B. With
     * {@code cifar100Layout} each record gets a coarse byte of 0 (there is no coarse label to
     * write) before the label. Labels must fit a byte.
     */
    public static void write(Path file, ImageSet set, boolean cifar100Layout) throws IOException {
        if (set.width() != SIDE
                || set.height() != SIDE
                || (set.channels() != CHANNELS && set.channels() != 1)) {
            throw new IllegalArgumentException(
                    set.name()
                            + ": CIFAR records are 32x32 with 1 or 3 channels, got "
                            + set.width()
                            + "x"
                            + set.height()
                            + "x"
                            + set.channels());
        }
        int labelBytes = cifar100Layout ? 2 : 1;
        byte[] record = new byte[labelBytes + PIXEL_BYTES];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = 0; i < set.size(); i++) {
                int label = set.labels()[i];
                if (label > 0xFF) {
                    throw new IllegalArgumentException(
                            set.name()
                                    + ": label "
                                    + label
                                    + " of image "
                                    + i
                                    + " does not fit the one-byte CIFAR label");
                }
                record[labelBytes - 1] = (byte) label;
                interleavedToPlanar(set.pixels()[i], set.channels(), record, labelBytes);
                out.write(record);
            }
        }
    }

    private static byte[] planarToInterleaved(byte[] record, int offset) {
        byte[] hwc = new byte[PIXEL_BYTES];
        for (int p = 0; p < PLANE; p++) {
            hwc[3 * p] = record[offset + p];
            hwc[3 * p + 1] = record[offset + PLANE + p];
            hwc[3 * p + 2] = record[offset + 2 * PLANE + p];
        }
        return hwc;
    }

    private static void interleavedToPlanar(byte[] image, int channels, byte[] record, int offset) {
        for (int p = 0; p < PLANE; p++) {
            for (int c = 0; c < CHANNELS; c++) {
                record[offset + c * PLANE + p] = channels == 1 ? image[p] : image[3 * p + c];
            }
        }
    }

    private static ImageSet concat(String name, List<ImageSet> parts) {
        int total = parts.stream().mapToInt(ImageSet::size).sum();
        byte[][] pixels = new byte[total][];
        int[] labels = new int[total];
        int at = 0;
        for (ImageSet part : parts) {
            System.arraycopy(part.pixels(), 0, pixels, at, part.size());
            System.arraycopy(part.labels(), 0, labels, at, part.size());
            at += part.size();
        }
        return new ImageSet(name, SIDE, SIDE, CHANNELS, pixels, labels, parts.get(0).classNames());
    }
}
