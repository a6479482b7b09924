package io.sfastream.data;

import java.util.List;
import java.util.Objects;

/**
 * A labelled set of 8-bit images, the common currency of all dataset readers.
 *
 * <p>Pixels are interleaved HWC (for RGB, the bytes of pixel (y, x) are R, G, B at {@code 3 * (y *
 * width + x)}), because that is what image libraries and DJL's {@code NDArray} image layout expect;
 * file formats that store planes (CIFAR) are converted on read.
 *
 * <p>The arrays are shared, not copied: a CIFAR or Fashion-MNIST training set is 50-60k images, and
 * {@link #subset} and {@link #withLabels} are used to make long-tailed and noisy views of it
 * without duplicating pixel data. Treat the arrays as read-only.
 *
 * @param name a human-readable name used in logs and error messages, e.g. {@code
 *     "fashion-mnist-train"}
 * @param pixels one array of {@code width * height * channels} bytes per image
 * @param labels one label per image, each in {@code [0, classNames.size())}
 * @param classNames label {@code k} is called {@code classNames.get(k)}
 */
public record ImageSet(
        String name,
        int width,
        int height,
        int channels,
        byte[][] pixels,
        int[] labels,
        List<String> classNames) {

    public ImageSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        classNames = List.copyOf(Objects.requireNonNull(classNames, "classNames"));
        if (width <= 0 || height <= 0 || channels <= 0) {
            throw new IllegalArgumentException(
                    name
                            + ": image shape must be positive, got "
                            + width
                            + "x"
                            + height
                            + "x"
                            + channels);
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException(name + ": classNames is empty");
        }
        if (pixels.length != labels.length) {
            throw new IllegalArgumentException(
                    name + ": " + pixels.length + " images but " + labels.length + " labels");
        }
        int imageBytes = width * height * channels;
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i] == null || pixels[i].length != imageBytes) {
                throw new IllegalArgumentException(
                        name
                                + ": image "
                                + i
                                + " has "
                                + (pixels[i] == null ? "no pixels" : pixels[i].length + " bytes")
                                + ", expected "
                                + imageBytes
                                + " ("
                                + width
                                + "x"
                                + height
                                + "x"
                                + channels
                                + ")");
            }
            checkLabel(name, i, labels[i], classNames.size());
        }
    }

    public int size() {
        return labels.length;
    }

    public int numClasses() {
        return classNames.size();
    }

    /**
     * Number of images per label; index {@code k} counts label {@code k}, zero for classes with no
     * images.
     */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * The images at {@code indices}, in the order given (the long-tail protocol relies on that
     * order: it is class-ordered, and the reference's noise file is aligned with it). Repeated
     * indices are allowed.
     */
    public ImageSet subset(int[] indices) {
        byte[][] newPixels = new byte[indices.length][];
        int[] newLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int index = indices[i];
            if (index < 0 || index >= size()) {
                throw new IndexOutOfBoundsException(
                        name
                                + ": subset index "
                                + index
                                + " at position "
                                + i
                                + " is outside [0, "
                                + size()
                                + ")");
            }
            newPixels[i] = pixels[index];
            newLabels[i] = labels[index];
        }
        return new ImageSet(name, width, height, channels, newPixels, newLabels, classNames);
    }

    /** The same images under other labels, e.g. the noisy labels of a label-noise experiment. */
    public ImageSet withLabels(int[] newLabels) {
        if (newLabels.length != size()) {
            throw new IllegalArgumentException(
                    name + ": " + newLabels.length + " new labels for " + size() + " images");
        }
        return new ImageSet(name, width, height, channels, pixels, newLabels.clone(), classNames);
    }

    private static void checkLabel(String name, int index, int label, int numClasses) {
        if (label < 0 || label >= numClasses) {
            throw new IllegalArgumentException(
                    name
                            + ": label "
                            + label
                            + " of image "
                            + index
                            + " is outside [0, "
                            + numClasses
                            + ")");
        }
    }
}
