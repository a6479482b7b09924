package io.sfastream.sfa;

/**
 * The diagonal Gaussian SFA puts over a class centroid (§2.2 steps 5–6 of {@code
 * shared/notes/sfa-algorithm.md}): per dimension σ = sqrt(clip(s − μ², 1e-30, 1e30)) and a draw c̃
 * = μ + σ ⊙ ε with ε ~ N(0, I). This is {@code std = np.sqrt(np.clip(cfeats_sq_EMA - mean ** 2,
 * 1e-30, 1e30))} and {@code cfeats = mean + std * eps} in the reference's {@code eval_train}, in
 * double precision as numpy computes it there.
 */
public final class CentroidGaussian {
    /** Lower clip of the variance; σ never goes below sqrt(1e-30) = 1e-15. */
    public static final double MIN_VARIANCE = 1e-30;

    /** Upper clip of the variance. */
    public static final double MAX_VARIANCE = 1e30;

    private CentroidGaussian() {}

    /** σ = sqrt(clip(s − μ², 1e-30, 1e30)), element-wise. */
    public static double[] sigma(double[] mean, double[] secondMoment) {
        if (mean.length != secondMoment.length) {
            throw new IllegalArgumentException(
                    "dimension mismatch: mean "
                            + mean.length
                            + " vs second moment "
                            + secondMoment.length);
        }
        double[] sigma = new double[mean.length];
        for (int j = 0; j < mean.length; j++) {
            double v = secondMoment[j] - mean[j] * mean[j];
            // numpy's clip passes NaN through; a NaN here would come from a NaN moment, which the
            // callers reject
            v = Math.min(Math.max(v, MIN_VARIANCE), MAX_VARIANCE);
            sigma[j] = Math.sqrt(v);
        }
        return sigma;
    }

    /** c̃ = μ + σ ⊙ ε. */
    public static double[] draw(double[] mean, double[] sigma, double[] eps) {
        if (mean.length != sigma.length || mean.length != eps.length) {
            throw new IllegalArgumentException(
                    "dimension mismatch: mean "
                            + mean.length
                            + ", sigma "
                            + sigma.length
                            + ", eps "
                            + eps.length);
        }
        double[] c = new double[mean.length];
        for (int j = 0; j < c.length; j++) {
            c[j] = mean[j] + sigma[j] * eps[j];
        }
        return c;
    }
}
