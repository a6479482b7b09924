package io.sfastream.sfa.loss;

/**
 * Converts a stream's virtual epoch to the reference's epoch numbering, so every schedule here can
 * take the reference's numbers unchanged.
 *
 * <p>The reference counts epochs from 1 ({@code for epoch in range(1, num_epochs + 1)}) and
 * measures progress inside an epoch as {@code epoch + batch_idx/num_iter}. A stream's virtual epoch
 * {@code e = (eventTime − start)/epochLength} starts at 0, so reference epoch {@code k} covers
 * {@code e ∈ [k−1, k)}: {@code epoch = ⌊e⌋ + 1} and {@code progress = e + 1}.
 */
public final class ReferenceEpoch {

    private ReferenceEpoch() {}

    /** The 1-based reference epoch that virtual epoch {@code e ≥ 0} falls in: {@code ⌊e⌋ + 1}. */
    public static int of(double virtualEpoch) {
        check(virtualEpoch);
        double epoch = Math.floor(virtualEpoch) + 1.0;
        if (epoch > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("virtual epoch too large: " + virtualEpoch);
        }
        return (int) epoch;
    }

    /**
     * The reference's fractional progress {@code epoch + batch_idx/num_iter} at virtual epoch
     * {@code e}: {@code e + 1}.
     */
    public static double progress(double virtualEpoch) {
        check(virtualEpoch);
        return virtualEpoch + 1.0;
    }

    private static void check(double virtualEpoch) {
        if (!(virtualEpoch >= 0.0) || Double.isInfinite(virtualEpoch)) {
            throw new IllegalArgumentException(
                    "virtual epoch must be finite and >= 0, was " + virtualEpoch);
        }
    }
}
