package io.sfastream.sfa;

import java.util.Arrays;

/**
 * A bounded uniform sample of one class's raw scores within one epoch (Vitter's algorithm R). The
 * choice of which slot a new score replaces is a hash of (seed, arrival number), so the reservoir
 * is a pure function of its seed and the order of arrivals: a copy taken mid-epoch continues
 * exactly like the original.
 *
 * <p>Plain data (public fields, no-arg constructor) for Flink's POJO serializer. The array grows by
 * doubling up to the capacity, so small classes stay small in state.
 */
public class ScoreReservoir {
    /** The kept scores; only the first {@link #size} entries are meaningful. */
    public float[] values;

    /** How many scores are kept. */
    public int size;

    /** How many scores were offered this epoch. */
    public long seen;

    /** Seed of the replacement choices (derived from run seed, network, class and epoch). */
    public long seed;

    public ScoreReservoir() {}

    /** Empties the reservoir for a new epoch with a new seed (keeps the allocated array). */
    public void reset(long newSeed) {
        size = 0;
        seen = 0;
        seed = newSeed;
    }

    /** Offers one score; keeps it with probability capacity/seen once full. */
    public void offer(float score, int capacity) {
        seen++;
        if (size < capacity) {
            if (values == null || values.length == size) {
                int grown =
                        values == null
                                ? Math.min(16, capacity)
                                : Math.min(capacity, Math.max(16, values.length * 2));
                values = values == null ? new float[grown] : Arrays.copyOf(values, grown);
            }
            values[size++] = score;
            return;
        }
        long j = Long.remainderUnsigned(SeedMixer.mix64(seed + 0x9e3779b97f4a7c15L * seen), seen);
        if (j < capacity) {
            values[(int) j] = score;
        }
    }

    /** A copy of the kept scores. */
    public float[] toArray() {
        return values == null ? new float[0] : Arrays.copyOf(values, size);
    }

    /** A deep copy. */
    public ScoreReservoir copy() {
        ScoreReservoir r = new ScoreReservoir();
        r.values = values == null ? null : values.clone();
        r.size = size;
        r.seen = seen;
        r.seed = seed;
        return r;
    }
}
