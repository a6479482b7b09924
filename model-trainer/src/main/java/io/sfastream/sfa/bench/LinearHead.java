package io.sfastream.sfa.bench;

import io.sfastream.sfa.loss.Softmax;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * A linear classifier z = Wx + b trained by mini-batch SGD with momentum on (possibly noisy)
 * labels: the stand-in for a network's head when there is no network. With a log-prior shift it
 * trains with Balanced Softmax (the auxiliary balanced classifier); inference is always the plain
 * softmax of z.
 */
public final class LinearHead {
    private final int dim;
    private final int classes;
    private final double[][] w;
    private final double[] b;

    private LinearHead(int dim, int classes) {
        this.dim = dim;
        this.classes = classes;
        this.w = new double[classes][dim];
        this.b = new double[classes];
    }

    /**
     * @param logPrior per-class shift added to the logits during training (null for plain
     *     cross-entropy)
     */
    public static LinearHead train(
            float[][] x,
            int[] labels,
            int classes,
            double[] logPrior,
            int epochs,
            int batch,
            double lr,
            long seed) {
        LinearHead h = new LinearHead(x[0].length, classes);
        double[][] vw = new double[classes][h.dim];
        double[] vb = new double[classes];
        double[][] gw = new double[classes][h.dim];
        double[] gb = new double[classes];
        double[] z = new double[classes];
        double[] p = new double[classes];
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        int[] order = PermutationSampler.natural(x.length);
        for (int epoch = 0; epoch < epochs; epoch++) {
            PermutationSampler.shuffle(rng, order);
            for (int start = 0; start < order.length; start += batch) {
                int end = Math.min(order.length, start + batch);
                for (double[] row : gw) {
                    java.util.Arrays.fill(row, 0);
                }
                java.util.Arrays.fill(gb, 0);
                for (int t = start; t < end; t++) {
                    int i = order[t];
                    h.logits(x[i], z);
                    Softmax.softmax(z, logPrior, p);
                    p[labels[i]] -= 1; // d CE / d z
                    for (int k = 0; k < classes; k++) {
                        double g = p[k];
                        if (g == 0) {
                            continue;
                        }
                        double[] gwk = gw[k];
                        float[] xi = x[i];
                        for (int d = 0; d < h.dim; d++) {
                            gwk[d] += g * xi[d];
                        }
                        gb[k] += g;
                    }
                }
                double step = lr / (end - start);
                for (int k = 0; k < classes; k++) {
                    for (int d = 0; d < h.dim; d++) {
                        vw[k][d] = 0.9 * vw[k][d] - step * gw[k][d];
                        h.w[k][d] += vw[k][d];
                    }
                    vb[k] = 0.9 * vb[k] - step * gb[k];
                    h.b[k] += vb[k];
                }
            }
        }
        return h;
    }

    public double[] logits(float[] x, double[] out) {
        for (int k = 0; k < classes; k++) {
            double s = b[k];
            double[] wk = w[k];
            for (int d = 0; d < dim; d++) {
                s += wk[d] * x[d];
            }
            out[k] = s;
        }
        return out;
    }

    /** softmax(z)[label] per sample: the confidence in the given label. */
    public double[] confidence(float[][] x, int[] labels) {
        double[] out = new double[x.length];
        double[] z = new double[classes];
        double[] p = new double[classes];
        for (int i = 0; i < x.length; i++) {
            Softmax.softmax(logits(x[i], z), null, p);
            out[i] = p[labels[i]];
        }
        return out;
    }

    /** Per-sample cross-entropy of the given labels under the plain softmax. */
    public double[] losses(float[][] x, int[] labels) {
        double[] out = new double[x.length];
        double[] z = new double[classes];
        for (int i = 0; i < x.length; i++) {
            logits(x[i], z);
            out[i] = Softmax.logSumExp(z, null) - z[labels[i]];
        }
        return out;
    }
}
