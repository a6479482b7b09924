package io.sfastream.data.protocol;

import java.util.Objects;

/**
 * Labels after noise injection, with the ground truth of which ones were changed (needed to score a
 * noise detector's precision and recall).
 *
 * @param labels the observed (noisy) label of every sample
 * @param flipped {@code flipped[i]} iff {@code labels[i]} differs from the true label
 * @param flips the number of {@code true} entries of {@code flipped}
 */
public record NoisyLabels(int[] labels, boolean[] flipped, int flips) {

    public NoisyLabels {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(flipped, "flipped");
        if (labels.length != flipped.length) {
            throw new IllegalArgumentException(
                    labels.length + " labels but " + flipped.length + " flipped flags");
        }
        int count = 0;
        for (boolean f : flipped) {
            count += f ? 1 : 0;
        }
        if (count != flips) {
            throw new IllegalArgumentException(
                    "flips is " + flips + " but " + count + " flags are set");
        }
    }

    /**
     * Derives the flags by comparing noisy labels with the true ones (used for imported reference
     * noise files).
     */
    public static NoisyLabels compare(int[] trueLabels, int[] noisyLabels) {
        if (trueLabels.length != noisyLabels.length) {
            throw new IllegalArgumentException(
                    trueLabels.length + " true labels but " + noisyLabels.length + " noisy labels");
        }
        boolean[] flipped = new boolean[trueLabels.length];
        int flips = 0;
        for (int i = 0; i < trueLabels.length; i++) {
            flipped[i] = trueLabels[i] != noisyLabels[i];
            flips += flipped[i] ? 1 : 0;
        }
        return new NoisyLabels(noisyLabels.clone(), flipped, flips);
    }
}
