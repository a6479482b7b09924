package io.sfastream.sfa.baseline;

import io.sfastream.sfa.Vectors;

/**
 * The walking skeleton's noise rule, to be replaced by SFA: per class, an exponential running
 * centroid (μ ← βμ + (1−β)x̂) of the centred, L2-normalised features, and an exponentially weighted
 * mean and variance of each arriving sample's distance to it. A sample's noise probability is Φ(z)
 * with z its distance's z-score inside its labelled class: far from the class's usual distance
 * means probably mislabelled.
 *
 * <p>Each sample is scored against the state before it, then folded in, so the score never sees the
 * sample itself. Every sample updates the centroid: the rule has no selection, which is exactly
 * what SFA adds.
 */
public final class CentroidDistanceBaseline {
    /** Name carried in NoiseScore.scorer. */
    public static final String NAME = "baseline-distance-zscore";

    private final double beta;
    private final int warmupSamples;
    private final double cleanBelow;

    /**
     * @param beta EMA momentum of centroid and distance statistics (0.99, as SFA's centroid EMA)
     * @param warmupSamples samples per class before its scores count (phase WARMUP until then)
     * @param cleanBelow a sample is called clean when its noise probability is below this
     */
    public CentroidDistanceBaseline(double beta, int warmupSamples, double cleanBelow) {
        if (!(beta > 0 && beta < 1)) {
            throw new IllegalArgumentException("beta must be in (0, 1), got " + beta);
        }
        if (warmupSamples < 2) {
            throw new IllegalArgumentException(
                    "warmupSamples must be >= 2 (a variance needs two distances), got "
                            + warmupSamples);
        }
        if (!(cleanBelow > 0 && cleanBelow <= 1)) {
            throw new IllegalArgumentException("cleanBelow must be in (0, 1], got " + cleanBelow);
        }
        this.beta = beta;
        this.warmupSamples = warmupSamples;
        this.cleanBelow = cleanBelow;
    }

    /** The verdict on one sample. */
    public record Verdict(
            double distance,
            double zScore,
            double noiseProbability,
            boolean clean,
            boolean warmup,
            double distanceMean,
            double distanceStd) {}

    /**
     * Scores {@code x} (already centred and L2-normalised) against {@code state}, then updates the
     * state.
     *
     * @throws IllegalArgumentException for NaN/Inf features or a dimension change
     */
    public Verdict scoreAndUpdate(BaselineClassState state, float[] x) {
        Vectors.requireFinite(x, "feature vector");
        if (state.centroid == null) {
            state.centroid = x.clone();
            state.count = 1;
            return new Verdict(0, 0, 0.5, true, true, 0, 0);
        }
        if (state.centroid.length != x.length) {
            throw new IllegalArgumentException(
                    "feature dimension "
                            + x.length
                            + " differs from the class centroid's "
                            + state.centroid.length);
        }
        double distance = Math.sqrt(Vectors.squaredDistance(x, state.centroid));
        boolean warmup = state.count < warmupSamples;
        double std = Math.sqrt(state.distanceVar);
        double z = std > 0 ? (distance - state.distanceMean) / std : 0;
        double p = warmup ? 0.5 : normalCdf(z);
        Verdict v =
                new Verdict(
                        distance, z, p, warmup || p < cleanBelow, warmup, state.distanceMean, std);

        // EMA of the distance statistics (West's weighted update); the first distance seeds the
        // mean.
        if (state.count == 1) {
            state.distanceMean = distance;
            state.distanceVar = 0;
        } else {
            double alpha = Math.max(1.0 - beta, 1.0 / state.count);
            double delta = distance - state.distanceMean;
            state.distanceMean += alpha * delta;
            state.distanceVar = (1 - alpha) * (state.distanceVar + alpha * delta * delta);
        }
        // Centroid EMA; early on, a plain running mean so the first sample does not dominate for
        // ~100 samples.
        double a = Math.max(1.0 - beta, 1.0 / (state.count + 1));
        float[] c = state.centroid;
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (c[i] + a * (x[i] - c[i]));
        }
        state.count++;
        return v;
    }

    /** Standard normal CDF Φ(z), Abramowitz–Stegun 7.1.26 via erf (|error| < 1.5e-7). */
    static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf =
                1
                        - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736)
                                                * t
                                        + 0.254829592)
                                * t
                                * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
