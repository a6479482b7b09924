package io.sfastream.sfa;

/**
 * Derives independent 64-bit seeds from a run seed and a tuple of integers (network, class, epoch,
 * ...), with SplitMix64's finaliser. The same tuple always gives the same seed, whatever the
 * processing order, so a restored or re-run job redraws the same random numbers (§7.3).
 */
final class SeedMixer {
    /** Domain tags, so that two uses of the same tuple get unrelated streams. */
    static final long EPSILON = 0x45505349_4c4f4e31L;

    static final long RESERVOIR = 0x52455345_52564f31L;

    private SeedMixer() {}

    /** SplitMix64's output function (Steele, Lea, Flood 2014). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long derive(long runSeed, long domain, long... parts) {
        long h = mix64(runSeed + 0x9e3779b97f4a7c15L);
        h = mix64(h ^ domain);
        for (int i = 0; i < parts.length; i++) {
            h = mix64(h + 0x9e3779b97f4a7c15L * (i + 1) + mix64(parts[i]));
        }
        return h;
    }
}
