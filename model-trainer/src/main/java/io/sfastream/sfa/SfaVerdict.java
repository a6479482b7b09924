package io.sfastream.sfa;

/**
 * The streaming face's decision on one arriving sample.
 *
 * @param basis what decided it; {@link SelectionBasis#isWarmup()} samples pass as clean with phase
 *     WARMUP
 * @param cleanProbability posterior of the clean GMM component (1 for warm-up and tiny-class
 *     fallbacks)
 * @param clean cleanProbability > p_threshold
 * @param score raw score 2x̂·c̃ − ‖c̃‖² against the class's current centroid; NaN without a
 *     centroid
 * @param normalisedScore the score min–max normalised by the previous epoch's range and clipped to
 *     [0, 1]; NaN when there is no such range
 * @param confident whether the sample's confidence passed τφ^e (and so joined this epoch's
 *     centroid)
 * @param epoch the 1-based epoch it was accumulated in
 */
public record SfaVerdict(
        SelectionBasis basis,
        double cleanProbability,
        boolean clean,
        double score,
        float normalisedScore,
        boolean confident,
        int epoch) {

    /** Whether no fitted selection judged it (NoiseScore phase WARMUP). */
    public boolean warmup() {
        return basis.isWarmup();
    }

    /** 1 − cleanProbability. */
    public double noiseProbability() {
        return 1.0 - cleanProbability;
    }
}
