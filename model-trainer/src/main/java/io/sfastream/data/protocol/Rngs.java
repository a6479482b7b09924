package io.sfastream.data.protocol;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * The one generator and shuffle used by the protocols (and the offline trainer's shuffles). The
 * shuffle is written out here rather than taken from a sampler class so that a given seed keeps
 * giving the same split across library upgrades, not only across JVMs.
 */
public final class Rngs {
    private Rngs() {}

    static UniformRandomProvider create(long seed) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    }

    /** Fisher-Yates, from the last element down. */
    public static void shuffle(int[] values, UniformRandomProvider rng) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = values[i];
            values[i] = values[j];
            values[j] = tmp;
        }
    }
}
