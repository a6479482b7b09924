package io.sfastream.sfa.bench;

import io.sfastream.data.protocol.LabelNoise;
import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.data.protocol.NoisyLabels;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Features without a network (sfa-algorithm.md §6.7): class k's samples are μ_k + (spread/√d)·z +
 * o, with unit class means μ_k drawn at random, z standard normal, and a common offset o that
 * centring must remove (real post-ReLU features share a large mean). Labels are then made noisy by
 * the paper's protocol; a mislabelled sample keeps its true class's feature, as a mislabelled image
 * keeps its content.
 *
 * @param features one row per sample
 * @param trueLabels the class each feature was drawn from
 * @param noise the given labels after noise injection
 */
public record SyntheticFeatures(
        float[][] features, int[] trueLabels, NoisyLabels noise, int numClasses) {

    /**
     * @param counts samples per class (e.g. a long-tail profile)
     * @param spread expected norm of a sample's deviation from its class mean (class means have
     *     norm 1)
     * @param offsetNorm norm of the common offset
     */
    public static SyntheticFeatures generate(
            int[] counts,
            int dim,
            double spread,
            double offsetNorm,
            double noiseRatio,
            NoiseMode mode,
            long seed) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(rng);
        int c = counts.length;
        float[][] means = new float[c][];
        for (int k = 0; k < c; k++) {
            means[k] = unit(gauss, dim, 1.0);
        }
        float[] offset = unit(gauss, dim, offsetNorm);
        int n = 0;
        for (int count : counts) {
            n += count;
        }
        float[][] x = new float[n][dim];
        int[] labels = new int[n];
        double scale = spread / Math.sqrt(dim);
        for (int k = 0, i = 0; k < c; k++) {
            for (int j = 0; j < counts[k]; j++, i++) {
                labels[i] = k;
                for (int d = 0; d < dim; d++) {
                    x[i][d] = (float) (means[k][d] + offset[d] + scale * gauss.sample());
                }
            }
        }
        NoisyLabels noise = LabelNoise.inject(labels, c, noiseRatio, mode, seed + 1);
        return new SyntheticFeatures(x, labels, noise, c);
    }

    public int size() {
        return trueLabels.length;
    }

    public int[] givenLabels() {
        return noise.labels();
    }

    public boolean[] trulyClean() {
        boolean[] clean = new boolean[size()];
        for (int i = 0; i < clean.length; i++) {
            clean[i] = !noise.flipped()[i];
        }
        return clean;
    }

    /** Counts of the given (noisy) labels: the n of Balanced Softmax and the shot groups. */
    public int[] givenCounts() {
        int[] counts = new int[numClasses];
        for (int label : givenLabels()) {
            counts[label]++;
        }
        return counts;
    }

    private static float[] unit(ZigguratSampler.NormalizedGaussian gauss, int dim, double norm) {
        float[] v = new float[dim];
        double s = 0;
        for (int d = 0; d < dim; d++) {
            double g = gauss.sample();
            v[d] = (float) g;
            s += g * g;
        }
        double f = norm / Math.sqrt(s);
        for (int d = 0; d < dim; d++) {
            v[d] *= (float) f;
        }
        return v;
    }
}
