package io.sfastream.pipeline.replay;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * The one rule for the order of a multi-pass replay of n samples: pass 1 is a permutation seeded by
 * {@code seed + 2}, every later pass a fresh shuffle seeded by (seed + 2, pass), as a data loader
 * reshuffles each epoch. {@code sfa demo} and {@code sfa replay} both use it, so the same flags
 * give the same stream.
 */
public final class ReplayOrder {
    private ReplayOrder() {}

    /** The order of pass {@code pass} (1-based). */
    public static int[] of(long seed, int n, int pass) {
        if (pass < 1) {
            throw new IllegalArgumentException("passes are 1-based, got " + pass);
        }
        UniformRandomProvider rng =
                pass == 1
                        ? RandomSource.XO_RO_SHI_RO_128_PP.create(seed + 2)
                        : RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {seed + 2, pass});
        int[] o = PermutationSampler.natural(n);
        PermutationSampler.shuffle(rng, o);
        return o;
    }
}
