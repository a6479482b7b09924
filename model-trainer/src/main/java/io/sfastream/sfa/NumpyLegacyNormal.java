package io.sfastream.sfa;

/**
 * numpy's legacy standard normal, {@code RandomState.standard_normal} / {@code randn} / {@code
 * normal(0, 1)}: Marsaglia's polar method ({@code legacy_gauss} in numpy's {@code
 * legacy-distributions.c}) on the {@link NumpyMt19937} stream, with numpy's cached second value.
 * Each accepted pair {@code (x1, x2) = 2·random_sample() − 1} with {@code 0 < r² = x1² + x2² < 1}
 * yields {@code f·x2} now and {@code f·x1} on the next call, {@code f = sqrt(−2 ln r² / r²)}.
 *
 * <p>With it, {@code new NumpyLegacyNormal(s).normal(C * d)} is {@code np.random.seed(s);
 * np.random.normal(size=(C, d))} in row-major order, which is how SFA's reference draws its ε
 * ({@code eps = np.random.normal(size=mean.shape)} in {@code eval_train}). Verified value for value
 * against numpy 1.24.2 (see {@code NumpyLegacyNormalTest}): the uniform stream and the
 * accept/reject decisions are exact, so the sequence never shifts; a value can differ in its last
 * bits only through {@code log}, where Java's {@link Math#log} and glibc's {@code log} (neither is
 * correctly rounded) disagree by an ulp on about 3 in 10,000 arguments (measured: 6 of 20,000
 * values differ, by at most 2 ulp).
 *
 * <p>Not thread-safe. Its state (MT state + cached value) is not plain data: use it for the batch
 * face only.
 */
public final class NumpyLegacyNormal {
    private final NumpyMt19937 mt;
    private boolean hasGauss;
    private double gauss;

    /** {@code np.random.RandomState(seed)}, seed in [0, 2^32 − 1]. */
    public NumpyLegacyNormal(long seed) {
        this.mt = new NumpyMt19937(seed);
    }

    /** One standard normal value ({@code legacy_gauss}). */
    public double next() {
        if (hasGauss) {
            hasGauss = false;
            double v = gauss;
            gauss = 0.0;
            return v;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * mt.randomSample() - 1.0;
            x2 = 2.0 * mt.randomSample() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** {@code normal(size=n)}: {@code n} values in order. */
    public double[] normal(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = next();
        }
        return out;
    }
}
