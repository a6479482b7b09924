package io.sfastream.data.protocol;

import java.util.Locale;

/** How a flipped sample's new label is chosen; see {@link LabelNoise}. */
public enum NoiseMode {
    /**
     * SFA's default: into class j with probability proportional to its size n_j, so flips land
     * mostly in head classes.
     */
    IMB,
    /** Uniform over the other C - 1 classes. */
    SYM,
    /**
     * The CIFAR-10 class-pair mapping of DivideMix (truck to automobile, bird to airplane, deer to
     * horse, cat/dog).
     */
    ASYM;

    /**
     * The reference's spelling, as used in its {@code noise_file} names ({@code imb}, {@code sym},
     * {@code asym}).
     */
    public String referenceName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
