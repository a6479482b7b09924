package io.sfastream.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads an image/label pair of IDX files (the MNIST and Fashion-MNIST format), gzipped or plain.
 *
 * <p>Only the two variants those datasets use are accepted: unsigned-byte 3-D images (magic {@code
 * 0x00000803}: count, rows, cols) and unsigned-byte 1-D labels ({@code 0x00000801}). The file
 * length must match the header exactly, because a truncated download otherwise shows up much later
 * as an unexplained accuracy drop.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    /**
     * @param name the {@link ImageSet#name()} of the result
     * @param classNames label {@code k} must be below {@code classNames.size()}
     * @throws DatasetException if either file is missing, has a wrong header or length, the counts
     *     differ, or a label is out of range; the message names the file
     */
    public static ImageSet read(Path images, Path labels, String name, List<String> classNames)
            throws DatasetException {
        byte[] imageBytes = DatasetFiles.readMaybeGzipped(images);
        byte[] labelBytes = DatasetFiles.readMaybeGzipped(labels);

        checkHeader(images, imageBytes, IMAGES_MAGIC, 16, "IDX images");
        checkHeader(labels, labelBytes, LABELS_MAGIC, 8, "IDX labels");
        int imageCount = nonNegative(images, imageBytes, 4, "image count");
        int rows = nonNegative(images, imageBytes, 8, "row count");
        int cols = nonNegative(images, imageBytes, 12, "column count");
        int labelCount = nonNegative(labels, labelBytes, 4, "label count");
        if (rows == 0 || cols == 0 || (long) rows * cols > Integer.MAX_VALUE) {
            throw new DatasetException(
                    images + ": unusable image size " + rows + "x" + cols + " in the header");
        }
        checkLength(
                images,
                imageBytes.length,
                16 + (long) imageCount * rows * cols,
                imageCount + " images of " + rows + "x" + cols);
        checkLength(labels, labelBytes.length, 8 + (long) labelCount, labelCount + " labels");
        if (imageCount != labelCount) {
            throw new DatasetException(
                    images
                            + " holds "
                            + imageCount
                            + " images but "
                            + labels
                            + " holds "
                            + labelCount
                            + " labels");
        }

        int[] labelArray = new int[labelCount];
        for (int i = 0; i < labelCount; i++) {
            int label = labelBytes[8 + i] & 0xFF;
            if (label >= classNames.size()) {
                throw new DatasetException(
                        labels
                                + ": label "
                                + label
                                + " of item "
                                + i
                                + " is outside [0, "
                                + classNames.size()
                                + ") for classes "
                                + classNames);
            }
            labelArray[i] = label;
        }
        int imageSize = rows * cols;
        byte[][] pixels = new byte[imageCount][];
        for (int i = 0; i < imageCount; i++) {
            pixels[i] = new byte[imageSize];
            System.arraycopy(imageBytes, 16 + i * imageSize, pixels[i], 0, imageSize);
        }
        return new ImageSet(name, cols, rows, 1, pixels, labelArray, classNames);
    }

    private static void checkHeader(
            Path file, byte[] bytes, int magic, int headerBytes, String what)
            throws DatasetException {
        if (bytes.length < 4) {
            throw new DatasetException(
                    file + ": " + bytes.length + " bytes is too short for an IDX header");
        }
        int actual = readInt(bytes, 0);
        if (actual != magic) {
            throw new DatasetException(
                    String.format(
                            "%s: bad magic number 0x%08x, expected 0x%08x (%s)",
                            file, actual, magic, what));
        }
        if (bytes.length < headerBytes) {
            throw new DatasetException(
                    file
                            + ": "
                            + bytes.length
                            + " bytes is too short for the "
                            + headerBytes
                            + "-byte "
                            + what
                            + " header");
        }
    }

    private static int nonNegative(Path file, byte[] bytes, int offset, String what)
            throws DatasetException {
        int value = readInt(bytes, offset);
        if (value < 0) {
            throw new DatasetException(
                    file + ": negative " + what + " " + value + " in the header");
        }
        return value;
    }

    private static void checkLength(Path file, long actual, long expected, String header)
            throws DatasetException {
        if (actual < expected) {
            throw new DatasetException(
                    file
                            + ": truncated, "
                            + actual
                            + " bytes but the header announces "
                            + header
                            + " ("
                            + expected
                            + " bytes)");
        }
        if (actual > expected) {
            throw new DatasetException(
                    file
                            + ": "
                            + (actual - expected)
                            + " trailing bytes, "
                            + actual
                            + " bytes but the header announces "
                            + header
                            + " ("
                            + expected
                            + " bytes)");
        }
    }

    private static int readInt(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 24)
                | ((bytes[offset + 1] & 0xFF) << 16)
                | ((bytes[offset + 2] & 0xFF) << 8)
                | (bytes[offset + 3] & 0xFF);
    }
}
