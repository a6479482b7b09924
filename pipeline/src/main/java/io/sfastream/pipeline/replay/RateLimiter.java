package io.sfastream.pipeline.replay;

/**
 * Holds a replay to at most {@code perSecond} samples per second on average: sample {@code k}
 * (0-based) is not let through before {@code start + k / perSecond}, so a slow moment is caught up
 * without exceeding the rate over any stretch from the start. A rate of 0 (or less) lets everything
 * through at once. Not thread-safe.
 */
public final class RateLimiter {
    /** Time and sleep, replaceable in tests. */
    public interface Ticker {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;

        Ticker SYSTEM =
                new Ticker() {
                    @Override
                    public long nanoTime() {
                        return System.nanoTime();
                    }

                    @Override
                    public void sleepNanos(long nanos) throws InterruptedException {
                        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
                    }
                };
    }

    private final double perSecond;
    private final Ticker ticker;
    private long start = Long.MIN_VALUE;
    private long permits;
    private long sleeps;
    private long sleptNanos;

    public RateLimiter(double perSecond) {
        this(perSecond, Ticker.SYSTEM);
    }

    public RateLimiter(double perSecond, Ticker ticker) {
        if (Double.isNaN(perSecond) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be a finite number, got " + perSecond);
        }
        this.perSecond = perSecond;
        this.ticker = ticker;
    }

    public boolean unlimited() {
        return perSecond <= 0;
    }

    /** Waits until the next sample may go. */
    public void acquire() throws InterruptedException {
        if (unlimited()) {
            return;
        }
        long now = ticker.nanoTime();
        if (start == Long.MIN_VALUE) {
            start = now;
        }
        long due = start + (long) (permits * 1e9 / perSecond);
        permits++;
        if (due > now) {
            ticker.sleepNanos(due - now);
            sleeps++;
            sleptNanos += due - now;
        }
    }

    /** How many times {@link #acquire} waited. */
    public long sleeps() {
        return sleeps;
    }

    /** How long {@link #acquire} waited in all. */
    public long sleptNanos() {
        return sleptNanos;
    }
}
