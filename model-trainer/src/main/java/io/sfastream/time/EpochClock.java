package io.sfastream.time;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Virtual epochs on event time ({@code shared/notes/sfa-algorithm.md} §7.1): the one rule that the
 * scorer, the trainer and the replay share. Epoch {@code e} (1-based, as the reference counts:
 * warm-up epochs 1..30, first selection epoch 31) covers the event times {@code [start +
 * (e−1)·length, start + e·length)}, so
 *
 * <pre>e = ⌊(eventTime − start) / length⌋ + 1</pre>
 *
 * and its boundary is {@code start + e·length}. Everything epoch-bound (the moment update, the ε
 * draw, the GMM refit, N̂, τφ^e) happens when the watermark passes {@link #lastMillisOf(int) the
 * last millisecond} of an epoch, so it happens at the same event-time instant for every class and
 * every subtask, and again at the same instant after a restore.
 *
 * <p>A replay of a dataset of N samples stamps sample i of pass e at {@link #replayTimestamp}, so
 * one pass is one virtual epoch. Immutable and serializable.
 */
public final class EpochClock implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long startMillis;
    private final long lengthMillis;

    public EpochClock(Instant start, Duration length) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(length, "length");
        if (length.toMillis() < 1) {
            throw new IllegalArgumentException("epoch length must be at least 1 ms, got " + length);
        }
        this.startMillis = start.toEpochMilli();
        this.lengthMillis = length.toMillis();
    }

    public Instant start() {
        return Instant.ofEpochMilli(startMillis);
    }

    public Duration length() {
        return Duration.ofMillis(lengthMillis);
    }

    public long startMillis() {
        return startMillis;
    }

    public long lengthMillis() {
        return lengthMillis;
    }

    /** Whether {@code eventTime} is at or after the start (earlier samples have no epoch). */
    public boolean covers(long eventTimeMillis) {
        return eventTimeMillis >= startMillis;
    }

    /**
     * The 1-based epoch of an event time.
     *
     * @throws IllegalArgumentException for an event time before the start, or an epoch beyond
     *     {@code Integer.MAX_VALUE}
     */
    public int epochOf(long eventTimeMillis) {
        if (!covers(eventTimeMillis)) {
            throw new IllegalArgumentException(
                    "event time "
                            + Instant.ofEpochMilli(eventTimeMillis)
                            + " is before the first epoch's start "
                            + start());
        }
        long e = Math.floorDiv(eventTimeMillis - startMillis, lengthMillis) + 1;
        if (e > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "event time " + Instant.ofEpochMilli(eventTimeMillis) + " is too far ahead");
        }
        return (int) e;
    }

    /** The first millisecond of epoch {@code e}. */
    public long startOf(int epoch) {
        checkEpoch(epoch);
        return startMillis + (epoch - 1) * lengthMillis;
    }

    /** The boundary at the end of epoch {@code e}: the first millisecond of epoch e + 1. */
    public long boundaryAfter(int epoch) {
        checkEpoch(epoch);
        return startMillis + epoch * lengthMillis;
    }

    /**
     * The last millisecond of epoch {@code e}: the event-time timer of its boundary. A watermark at
     * or past it says that no sample of epoch e is still to come.
     */
    public long lastMillisOf(int epoch) {
        return boundaryAfter(epoch) - 1;
    }

    /** The last epoch a watermark has closed: 0 when it has closed none. */
    public int closedBy(long watermark) {
        if (watermark < startMillis + lengthMillis - 1) {
            return 0;
        }
        long closed = Math.floorDiv(watermark + 1 - startMillis, lengthMillis);
        return (int) Math.min(Integer.MAX_VALUE, closed);
    }

    /**
     * The fractional epoch {@code 1 + (t − start)/length} (for schedules that ramp within an epoch,
     * such as the λu ramp).
     */
    public double progress(long eventTimeMillis) {
        return 1.0 + (double) (eventTimeMillis - startMillis) / lengthMillis;
    }

    /**
     * The event time of sample {@code position} (0-based) of pass {@code epoch} (1-based) of a
     * replay of {@code n} samples: {@code start + (e−1)·length + ⌊position·length/n⌋}, so the pass
     * fills its epoch in order and the next pass starts at the boundary.
     */
    public long replayTimestamp(int epoch, int position, int n) {
        checkEpoch(epoch);
        if (n < 1 || position < 0 || position >= n) {
            throw new IllegalArgumentException(
                    "position " + position + " outside a pass of " + n + " samples");
        }
        return startOf(epoch) + Math.multiplyExact((long) position, lengthMillis) / n;
    }

    private static void checkEpoch(int epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epochs are 1-based, got " + epoch);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpochClock c
                && c.startMillis == startMillis
                && c.lengthMillis == lengthMillis;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(startMillis) * 31 + Long.hashCode(lengthMillis);
    }

    @Override
    public String toString() {
        return "EpochClock{start=" + start() + ", length=" + length() + '}';
    }
}
