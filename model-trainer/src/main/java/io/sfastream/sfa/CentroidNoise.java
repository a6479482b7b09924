package io.sfastream.sfa;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Where the ε of a centroid draw c̃ = μ + σ ⊙ ε comes from.
 *
 * <p>{@link #seeded(long)} is the default for both faces: the ε of draw {@code r} of class {@code
 * k} at selection epoch {@code e} for network {@code n} is a pure function of (run seed, n, k, e,
 * r) (§7.3), so a restore, a rerun, or a different order of classes redraws exactly the same ε, and
 * the batch and streaming faces draw the same ε for the same class and epoch. The batch face can
 * instead reproduce numpy's {@code np.random.normal(size=(C, d))} with {@link NumpyLegacyNormal}
 * ({@link SfaBatchSelection#withNumpyNoise}).
 */
@FunctionalInterface
public interface CentroidNoise {

    /**
     * Fills {@code eps} (length d) with standard normal values for draw {@code draw} of class
     * {@code classIndex} at selection epoch {@code epoch} of network {@code network}.
     */
    void fill(int network, int classIndex, int epoch, int draw, double[] eps);

    /**
     * ε from a generator seeded by (runSeed, network, class, epoch, draw): SplitMix64 (commons-rng,
     * pinned) seeded with {@link SeedMixer#derive}, through commons-rng's ziggurat normal sampler.
     */
    static CentroidNoise seeded(long runSeed) {
        return (network, classIndex, epoch, draw, eps) -> {
            long s = SeedMixer.derive(runSeed, SeedMixer.EPSILON, network, classIndex, epoch, draw);
            UniformRandomProvider rng = RandomSource.SPLIT_MIX_64.create(s);
            ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
            for (int j = 0; j < eps.length; j++) {
                eps[j] = g.sample();
            }
        };
    }
}
