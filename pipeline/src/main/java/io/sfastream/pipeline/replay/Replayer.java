package io.sfastream.pipeline.replay;

import io.sfastream.pipeline.local.SampleProducer;
import io.sfastream.time.EpochClock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends {@code passes} passes of a {@link ReplaySource} to a topic: pass e in its own seeded order,
 * sample at position p of pass e stamped {@link EpochClock#replayTimestamp}(e, p, N), so pass e is
 * virtual epoch e. Sends are checked as they complete (a bounded window of outstanding sends), so a
 * broker that rejects records stops the replay with the reason instead of failing silently.
 */
public final class Replayer {
    private static final int MAX_OUTSTANDING = 10_000;

    /** What a replay sent. */
    public record Summary(
            String name,
            long sent,
            int perPass,
            int passes,
            int[] classCounts,
            int flips,
            double seconds) {
        public double samplesPerSecond() {
            return seconds > 0 ? sent / seconds : Double.NaN;
        }
    }

    private Replayer() {}

    /**
     * @param progress told the running count after every sample
     */
    public static Summary run(
            ReplaySource source,
            int passes,
            EpochClock clock,
            SampleProducer producer,
            RateLimiter limiter,
            LongConsumer progress)
            throws InterruptedException {
        if (passes < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + passes);
        }
        int n = source.size();
        long t0 = System.nanoTime();
        long sent = 0;
        ArrayDeque<Future<RecordMetadata>> outstanding = new ArrayDeque<>();
        for (int e = 1; e <= passes; e++) {
            int[] order = source.passOrder(e);
            for (int pos = 0; pos < n; pos++) {
                limiter.acquire();
                Instant t = Instant.ofEpochMilli(clock.replayTimestamp(e, pos, n));
                outstanding.add(source.send(producer, order[pos], t));
                sent++;
                while (outstanding.size() > MAX_OUTSTANDING || done(outstanding.peek())) {
                    check(outstanding.poll());
                }
                progress.accept(sent);
            }
        }
        producer.flush();
        while (!outstanding.isEmpty()) {
            check(outstanding.poll());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Summary(
                source.name(), sent, n, passes, source.givenCounts(), source.flips(), seconds);
    }

    private static boolean done(Future<RecordMetadata> f) {
        return f != null && f.isDone();
    }

    private static void check(Future<RecordMetadata> f) throws InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            throw new ReplayException(
                    "the broker did not take a record: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
