package io.sfastream.sfa;

import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.sfa.bench.SyntheticFeatures;
import java.util.Random;

/**
 * Synthetic epochs for selection tests (§6.7 of shared/notes/sfa-algorithm.md), on top of {@link
 * SyntheticFeatures}: Gaussian clusters around random unit class means plus a common offset,
 * long-tailed counts, and the paper's label noise ({@code LabelNoise}, imb mode: exactly int(r·N)
 * flips, new label ∝ n_j); a mislabelled sample keeps its true class's feature. Added here: each
 * epoch's features are the base features plus a small epoch-specific drift (the network changes
 * between epochs), and an "ABC" confidence, the softmax at the given label of noisy logits κ·(f −
 * m)·μ̂_j, with μ̂_j the normalised mean direction of true class j.
 */
final class SyntheticLongTail {
    /** CIFAR-10 with imbalance ratio 100 (ρ = 0.01), §3. */
    static final int[] CIFAR10_RHO_001 = {5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50};

    final int numClasses;
    final int dim;
    final int[] trueLabels;
    final int[] labels;
    final boolean[] noisy;
    private final float[][] base;
    private final double[][] directions;
    private final float[] centre;
    private final long seed;

    private SyntheticLongTail(SyntheticFeatures f, long seed) {
        this.numClasses = f.numClasses();
        this.base = f.features();
        this.dim = base[0].length;
        this.trueLabels = f.trueLabels();
        this.labels = f.givenLabels();
        this.noisy = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            noisy[i] = labels[i] != trueLabels[i];
        }
        this.seed = seed;
        this.centre = mean(base);
        directions = new double[numClasses][dim];
        for (int i = 0; i < base.length; i++) {
            for (int j = 0; j < dim; j++) {
                directions[trueLabels[i]][j] += base[i][j] - centre[j];
            }
        }
        for (double[] u : directions) {
            double norm = 0;
            for (double v : u) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < dim; j++) {
                u[j] /= norm;
            }
        }
    }

    /**
     * Clusters with the given counts, dimension and spread (offset norm 2), imb noise at the given
     * rate.
     */
    static SyntheticLongTail generate(
            int[] counts, int dim, double spread, double noiseRate, long seed) {
        return new SyntheticLongTail(
                SyntheticFeatures.generate(
                        counts, dim, spread, 2.0, noiseRate, NoiseMode.IMB, seed),
                seed);
    }

    int size() {
        return labels.length;
    }

    /** The features of one epoch: base plus an epoch-specific drift of the given total scale. */
    float[][] features(int epoch, double drift) {
        Random r = new Random(seed * 1_000_003L + epoch);
        double perDim = drift / Math.sqrt(dim);
        float[][] f = new float[base.length][dim];
        for (int i = 0; i < base.length; i++) {
            for (int j = 0; j < dim; j++) {
                f[i][j] = (float) (base[i][j] + perDim * r.nextGaussian());
            }
        }
        return f;
    }

    /** An ABC-like confidence at each sample's given label. */
    double[] confidences(float[][] features, double kappa, double logitNoise, int epoch) {
        Random r = new Random(seed * 7_919L + epoch);
        double[] conf = new double[features.length];
        double[] logits = new double[numClasses];
        for (int i = 0; i < features.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < numClasses; k++) {
                double dot = 0;
                for (int j = 0; j < dim; j++) {
                    dot += (features[i][j] - centre[j]) * directions[k][j];
                }
                logits[k] = kappa * dot + logitNoise * r.nextGaussian();
                max = Math.max(max, logits[k]);
            }
            double z = 0;
            for (int k = 0; k < numClasses; k++) {
                z += Math.exp(logits[k] - max);
            }
            conf[i] = Math.exp(logits[labels[i]] - max) / z;
        }
        return conf;
    }

    /** Exact mean of a feature matrix (what the reference centres with). */
    static float[] mean(float[][] f) {
        return Vectors.mean(f);
    }

    /** Counts of given (noisy) labels per class. */
    int[] labelCounts() {
        int[] n = new int[numClasses];
        for (int y : labels) {
            n[y]++;
        }
        return n;
    }
}
