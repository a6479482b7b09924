package io.sfastream.sfa;

/**
 * The global feature mean m that SFA centres with (x̂ = (f − m)/‖f − m‖). The reference takes the
 * exact mean over the whole training set each epoch; a stream keeps an exponential moving average
 * with momentum {@code momentum}, starting as a cumulative mean so the first samples do not
 * dominate it.
 *
 * <p>Plain data (public fields, no-arg constructor) so Flink keeps it as a POJO in operator state.
 */
public class CentringMean {
    public float[] mean;
    public long count;

    public CentringMean() {}

    /** Folds one feature vector in. */
    public void update(float[] f, double momentum) {
        if (mean == null) {
            mean = new float[f.length];
        } else if (mean.length != f.length) {
            throw new IllegalArgumentException(
                    "feature dimension " + f.length + " differs from the mean's " + mean.length);
        }
        count++;
        double eta = Math.max(1.0 / count, 1.0 - momentum);
        for (int i = 0; i < f.length; i++) {
            mean[i] += (float) (eta * (f[i] - mean[i]));
        }
    }

    /** Count-weighted combination of several means (restoring after a change of parallelism). */
    public static CentringMean merge(Iterable<CentringMean> parts) {
        CentringMean out = new CentringMean();
        double[] acc = null;
        long total = 0;
        for (CentringMean p : parts) {
            if (p == null || p.mean == null || p.count == 0) {
                continue;
            }
            if (acc == null) {
                acc = new double[p.mean.length];
            }
            for (int i = 0; i < acc.length; i++) {
                acc[i] += (double) p.mean[i] * p.count;
            }
            total += p.count;
        }
        if (acc != null) {
            out.mean = new float[acc.length];
            for (int i = 0; i < acc.length; i++) {
                out.mean[i] = (float) (acc[i] / total);
            }
            out.count = total;
        }
        return out;
    }
}
