package io.sfastream.train;

import java.util.List;

/**
 * The inputs of one SSL step: two augmentations of {@code B} labelled (selected-clean) samples with
 * their noisy labels ỹ and clean weights w (the other net's clean probability), and two
 * augmentations of {@code U} unlabelled samples. Rows are normalised CHW floats ({@link
 * Augmenter}). {@code U} may be 0: the unlabelled terms are then 0 (see {@link
 * io.sfastream.sfa.loss.SemiSupervisedLoss}). The arrays are used as given, not copied.
 */
public record SslBatch(
        float[][] x1, float[][] x2, int[] labels, double[] weights, float[][] u1, float[][] u2) {

    public SslBatch {
        int b = x1.length;
        if (b == 0) {
            throw new IllegalArgumentException("an SSL step needs at least one labelled sample");
        }
        if (x2.length != b || labels.length != b || weights.length != b) {
            throw new IllegalArgumentException(
                    "x1, x2, labels and weights need "
                            + b
                            + " rows each, got "
                            + x2.length
                            + ", "
                            + labels.length
                            + ", "
                            + weights.length);
        }
        if (u1.length != u2.length) {
            throw new IllegalArgumentException("u1 has " + u1.length + " rows, u2 " + u2.length);
        }
        for (double w : weights) {
            if (!(w >= 0.0 && w <= 1.0)) {
                throw new IllegalArgumentException("clean weights must be in [0, 1], got " + w);
            }
        }
    }

    /** Two independent augmentations of each image, as the reference's loaders return them. */
    public static SslBatch augment(
            Augmenter augmenter,
            List<byte[]> labelled,
            int[] labels,
            double[] weights,
            List<byte[]> unlabelled) {
        return new SslBatch(
                augmenter.augment(labelled),
                augmenter.augment(labelled),
                labels.clone(),
                weights.clone(),
                augmenter.augment(unlabelled),
                augmenter.augment(unlabelled));
    }

    /** B. */
    public int labelledRows() {
        return x1.length;
    }

    /** U. */
    public int unlabelledRows() {
        return u1.length;
    }

    /** {@code 2B + 2U}: the rows of the mixed batch, {@code [x1, x2, u1, u2]}. */
    public int rows() {
        return 2 * (x1.length + u1.length);
    }

    /** Row {@code i} of {@code [x1, x2, u1, u2]}. */
    public float[] row(int i) {
        int b = x1.length;
        int u = u1.length;
        if (i < b) {
            return x1[i];
        } else if (i < 2 * b) {
            return x2[i - b];
        } else if (i < 2 * b + u) {
            return u1[i - 2 * b];
        }
        return u2[i - 2 * b - u];
    }
}
