package io.sfastream.data;

import org.apache.commons.rng.UniformRandomProvider;

/**
 * A labelled image set as the offline trainer reads it: images by index, decoded and transformed on
 * demand into the model's input (normalised CHW floats, {@link #pixelsPerImage()} of them).
 * In-memory sets (CIFAR, Fashion-MNIST) transform stored pixels; file-backed sets (mini-WebVision)
 * decode a file per call, so a missing or corrupt file shows up as an {@link
 * UnavailableImageException} that the trainer reports and skips.
 *
 * <p>Implementations must be safe for concurrent calls of {@link #augment} and {@link #evaluate}
 * from several threads (each with its own {@code rng}); the trainer decodes batches in parallel.
 */
public interface LabelledImages {

    /** A human-readable name for logs and reports, e.g. {@code "fashion-mnist-train"}. */
    String name();

    int size();

    int numClasses();

    /** Floats per transformed image: {@code channels × height × width} of the model input. */
    int pixelsPerImage();

    /**
     * The given label of image {@code i} (noisy in a noisy training set), in {@code [0,
     * numClasses())}.
     */
    int label(int i);

    /** The true label when known (replays with injected noise, test sets), else {@code -1}. */
    int trueLabel(int i);

    /**
     * The training transform (random crop, flip, normalisation) of image {@code i} into {@code
     * dst[offset, offset + pixelsPerImage())}, with its random draws from {@code rng}.
     *
     * @throws UnavailableImageException when the image cannot be read or decoded
     */
    void augment(int i, float[] dst, int offset, UniformRandomProvider rng);

    /**
     * The evaluation transform (deterministic: resize/centre crop where the dataset needs it, then
     * normalisation) of image {@code i} into {@code dst[offset, offset + pixelsPerImage())}.
     *
     * @throws UnavailableImageException when the image cannot be read or decoded
     */
    void evaluate(int i, float[] dst, int offset);
}
