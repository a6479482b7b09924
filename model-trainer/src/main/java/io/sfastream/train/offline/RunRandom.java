package io.sfastream.train.offline;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Every random stream of an offline run, derived from the run's seed and where it is used: (epoch,
 * network, purpose, item). Deriving instead of drawing from one shared generator makes a run
 * independent of thread scheduling and lets a run resumed at an epoch boundary draw exactly what
 * the uninterrupted run would have drawn.
 */
public final class RunRandom {
    public static final int SHUFFLE = 1;
    public static final int AUGMENT = 2;
    public static final int AUGMENT_SECOND = 3;
    public static final int UNLABELLED_SHUFFLE = 4;
    public static final int UNLABELLED_AUGMENT = 5;
    public static final int UNLABELLED_AUGMENT_SECOND = 6;
    public static final int MIXUP = 7;
    public static final int INIT = 8;

    private RunRandom() {}

    public static UniformRandomProvider of(
            long seed, int epoch, int network, int purpose, long item) {
        long a = mix(seed ^ mix(epoch * 0x9E3779B97F4A7C15L + network));
        long b = mix(a ^ mix(purpose * 0xC2B2AE3D27D4EB4FL + item));
        return RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {a, b});
    }

    /** A derived long, for seeds handed to other components (initial weights). */
    public static long seed(long seed, int network, int purpose) {
        return mix(mix(seed + purpose) ^ (network * 0xD6E8FEB86659FD93L));
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
