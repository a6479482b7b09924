package io.sfastream.sfa;

/**
 * Bit-for-bit port of the parts of numpy's legacy {@code numpy.random.RandomState} (MT19937) that
 * scikit-learn's k-means++ seeding consumes, so that a Java fit can reproduce the centres that
 * {@code GaussianMixture(random_state=seed)} picks.
 *
 * <p>Why a port and not {@code commons-rng}'s MT: the stream itself is the standard MT19937, but
 * numpy's <em>legacy</em> seeding of an integer seed, its bounded-integer rejection scheme and its
 * 53-bit double construction are all specific, and every one of them changes which data point
 * becomes a k-means centre. What is mirrored (numpy 1.21–1.24, unchanged since the 1.17 rewrite):
 *
 * <ul>
 *   <li>{@code RandomState(seed)} with an int seed calls {@code _legacy_seeding}, i.e. {@code
 *       mt19937_seed(state, seed & 0xffffffff)}: the classic {@code init_genrand} (Knuth multiplier
 *       1812433253), <em>not</em> {@code init_by_array}.
 *   <li>{@code random_sample()} / {@code uniform(0, 1)}: {@code mt19937_next_double}, {@code (a >>
 *       5) * 67108864 + (b >> 6)} over 2^53, from two consecutive 32-bit outputs.
 *   <li>{@code randint(high)}: legacy {@code _rand_int64} with {@code use_masked=True}; for ranges
 *       below 2^32 it draws 32-bit words, masks them with the smallest all-ones mask covering
 *       {@code high - 1} and rejects values above it ({@code buffered_bounded_masked_uint32}).
 * </ul>
 *
 * Not thread-safe; one instance per fit.
 */
public final class NumpyMt19937 {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int pos;

    /**
     * Seeds exactly like {@code numpy.random.RandomState(seed)} for an integer seed.
     *
     * @param seed in [0, 2^32 - 1], the range numpy accepts for a legacy integer seed
     */
    public NumpyMt19937(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException(
                    "numpy legacy seed must be in [0, 2^32-1], got " + seed);
        }
        // mt19937_seed: key[0] = seed; key[i] = 1812433253 * (key[i-1] ^ (key[i-1] >>> 30)) + i
        // (mod 2^32)
        int s = (int) seed;
        for (int i = 0; i < N; i++) {
            mt[i] = s;
            s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
        }
        pos = N;
    }

    /** Regenerates the 624-word block ({@code mt19937_gen}). */
    private void generate() {
        int kk;
        int y;
        for (kk = 0; kk < N - M; kk++) {
            y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        for (; kk < N - 1; kk++) {
            y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        pos = 0;
    }

    /** Next tempered 32-bit output ({@code mt19937_next32}), as an unsigned value in a long. */
    public long nextUint32() {
        if (pos == N) {
            generate();
        }
        int y = mt[pos++];
        y ^= (y >>> 11);
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= (y >>> 18);
        return y & 0xffffffffL;
    }

    /** {@code RandomState.random_sample()}: a double in [0, 1) with 53 random bits. */
    public double randomSample() {
        long a = nextUint32() >>> 5;
        long b = nextUint32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /**
     * {@code RandomState.uniform(size=n)} with the default bounds: {@code 0 + 1 * random_sample()}
     * per element, in order.
     */
    public double[] uniform(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = randomSample();
        }
        return out;
    }

    /**
     * {@code RandomState.randint(high)}: uniform integer in [0, high) by masked rejection sampling.
     *
     * @param high exclusive upper bound, 1 ≤ high ≤ 2^32
     */
    public long randint(long high) {
        if (high < 1 || high > 0x100000000L) {
            throw new IllegalArgumentException("high must be in [1, 2^32], got " + high);
        }
        long rng = high - 1;
        if (rng == 0) {
            return 0; // numpy returns the offset without consuming a draw
        }
        if (rng == 0xffffffffL) {
            return nextUint32();
        }
        long mask = rng;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long val;
        do {
            val = nextUint32() & mask;
        } while (val > rng);
        return val;
    }
}
