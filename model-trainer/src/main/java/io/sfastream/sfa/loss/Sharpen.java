package io.sfastream.sfa.loss;

/**
 * MixMatch temperature sharpening {@code p_k^(1/T) / Σ_j p_j^(1/T)}, the reference's {@code ptu =
 * pu**(1/args.T); targets_u = ptu / ptu.sum(dim=1, keepdim=True)} (same for {@code ptx}).
 *
 * <p>Evaluated as {@code (p_k / max p)^(1/T)} normalised, which is the same value but cannot
 * underflow to {@code 0/0} for small {@code T} (the largest term is exactly 1).
 */
public final class Sharpen {

    /** Reference default {@code --T 0.5} (CIFAR and WebVision). */
    public static final double DEFAULT_TEMPERATURE = 0.5;

    private Sharpen() {}

    /**
     * Sharpens {@code p} into {@code out} ({@code out} may be {@code p}; allocated when {@code
     * null}).
     */
    public static double[] apply(double[] p, double temperature, double[] out) {
        checkTemperature(temperature);
        if (p == null || p.length == 0) {
            throw new IllegalArgumentException("distribution has no classes");
        }
        double[] dst = out == null ? new double[p.length] : out;
        if (dst.length != p.length) {
            throw new IllegalArgumentException(
                    "out has " + dst.length + " classes, p has " + p.length);
        }
        double max = 0.0;
        for (double v : p) {
            if (!(v >= 0.0)) {
                throw new IllegalArgumentException(
                        "distribution has a negative or NaN entry: " + v);
            }
            max = Math.max(max, v);
        }
        if (!(max > 0.0) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("distribution has no finite positive mass");
        }
        double inv = 1.0 / temperature;
        double sum = 0.0;
        for (int k = 0; k < p.length; k++) {
            double v = Math.pow(p[k] / max, inv);
            dst[k] = v;
            sum += v;
        }
        for (int k = 0; k < p.length; k++) {
            dst[k] /= sum;
        }
        return dst;
    }

    /** Sharpens every row in place. */
    public static void applyInPlace(double[][] rows, double temperature) {
        for (double[] row : rows) {
            apply(row, temperature, row);
        }
    }

    static void checkTemperature(double temperature) {
        if (!(temperature > 0.0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(
                    "temperature must be finite and > 0, was " + temperature);
        }
    }
}
