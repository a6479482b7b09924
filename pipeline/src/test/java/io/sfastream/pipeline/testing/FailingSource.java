package io.sfastream.pipeline.testing;

import io.sfastream.pipeline.io.FilteringReaderOutput;
import io.sfastream.pipeline.io.ForwardingSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;

/**
 * A source that fails its task {@code failures} times, each time after a checkpoint holding real
 * progress has completed and {@code afterRecords} more records have been emitted (as Flink's own
 * {@code FailingSource} does), around any other source. Subtask 0 fails; the failures left are
 * counted per {@code name} in this JVM, so a restarted attempt knows how many it still owes. It
 * emits at most {@value #THROTTLE_RECORDS} records per {@value #THROTTLE_MS} ms, so checkpoints
 * complete while the stream is still flowing.
 */
public final class FailingSource<T, S extends SourceSplit, E> extends ForwardingSource<T, S, E> {
    private static final long serialVersionUID = 1L;
    private static final ConcurrentHashMap<String, AtomicInteger> LEFT = new ConcurrentHashMap<>();
    private static final int THROTTLE_RECORDS = 200;
    private static final long THROTTLE_MS = 20;

    private final String name;
    private final int afterRecords;

    public FailingSource(
            Source<T, S, E> delegate,
            String name,
            int failures,
            int afterRecords,
            TypeInformation<T> type) {
        super(delegate, type);
        this.name = name;
        this.afterRecords = afterRecords;
        LEFT.put(name, new AtomicInteger(failures));
    }

    /** Failures still to come. */
    public static int left(String name) {
        return LEFT.get(name).get();
    }

    @Override
    protected SourceReader<T, S> wrap(SourceReader<T, S> reader, SourceReaderContext ctx) {
        if (ctx.getIndexOfSubtask() != 0) {
            return reader;
        }
        AtomicInteger left = LEFT.get(name);
        return new SourceReader<>() {
            private long emitted;
            private long emittedAtCheckpoint = -1;
            private long checkpointCompletedAt = -1;
            private long throttledAt;
            private boolean ended;
            private CompletableFuture<Void> pause;

            @Override
            public void start() {
                reader.start();
            }

            @Override
            public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
                if (checkpointCompletedAt >= 0
                        && (emitted >= checkpointCompletedAt + afterRecords || ended)
                        && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new RuntimeException("injected failure (" + name + ")");
                }
                if (emitted - throttledAt >= THROTTLE_RECORDS) {
                    // slow enough that checkpoints complete while records are still coming
                    throttledAt = emitted;
                    pause =
                            CompletableFuture.runAsync(
                                    () -> {},
                                    CompletableFuture.delayedExecutor(
                                            THROTTLE_MS,
                                            java.util.concurrent.TimeUnit.MILLISECONDS));
                    return InputStatus.NOTHING_AVAILABLE;
                }
                InputStatus s =
                        reader.pollNext(
                                new FilteringReaderOutput<>(
                                        output,
                                        r -> {
                                            emitted++;
                                            return true;
                                        }));
                if (s == InputStatus.END_OF_INPUT && left.get() > 0) {
                    ended = true;
                    // not done before the failures are: wait for a checkpoint to fail after
                    pause =
                            CompletableFuture.runAsync(
                                    () -> {},
                                    CompletableFuture.delayedExecutor(
                                            THROTTLE_MS,
                                            java.util.concurrent.TimeUnit.MILLISECONDS));
                    return InputStatus.NOTHING_AVAILABLE;
                }
                return s;
            }

            @Override
            public List<S> snapshotState(long checkpointId) {
                emittedAtCheckpoint = emitted;
                return reader.snapshotState(checkpointId);
            }

            @Override
            public void notifyCheckpointComplete(long checkpointId) throws Exception {
                reader.notifyCheckpointComplete(checkpointId);
                // a checkpoint that this reader took part in, after real progress (or at the end)
                if ((emittedAtCheckpoint > 0 || ended) && checkpointCompletedAt < 0) {
                    checkpointCompletedAt = emitted;
                }
            }

            @Override
            public CompletableFuture<Void> isAvailable() {
                if (pause != null && !pause.isDone()) {
                    return pause;
                }
                return reader.isAvailable();
            }

            @Override
            public void addSplits(List<S> splits) {
                reader.addSplits(splits);
            }

            @Override
            public void notifyNoMoreSplits() {
                reader.notifyNoMoreSplits();
            }

            @Override
            public void close() throws Exception {
                reader.close();
            }
        };
    }
}
