package io.sfastream.pipeline.io;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;

/**
 * A source that ends at the first record {@code isEnd} accepts (the record itself is not emitted),
 * around any other source. The feedback edge needs it: a bounded replay job reads the unbounded
 * model-snapshots topic as its second input, and a Flink task ends only when all its inputs have
 * ended, so the job's last version publishes an end marker that ends this source (the Kafka
 * connector has no stop-on-record hook; FLINK-25509 is not in the 5.0 connector).
 *
 * <p>Run it with parallelism 1 over a single-partition topic: a reader that never sees the marker
 * (because it owns no partition) would never end.
 */
public final class EndOfStreamSource<T, S extends SourceSplit, E>
        extends ForwardingSource<T, S, E> {
    private static final long serialVersionUID = 1L;

    private final EndMarker<T> isEnd;

    public EndOfStreamSource(
            Source<T, S, E> delegate, EndMarker<T> isEnd, TypeInformation<T> type) {
        super(delegate, type);
        this.isEnd = isEnd;
    }

    @Override
    protected SourceReader<T, S> wrap(SourceReader<T, S> reader, SourceReaderContext ctx) {
        return new Reader<>(reader, isEnd);
    }

    private static final class Reader<T, S extends SourceSplit> implements SourceReader<T, S> {
        private final SourceReader<T, S> delegate;
        private final EndMarker<T> isEnd;
        private boolean ended;

        Reader(SourceReader<T, S> delegate, EndMarker<T> isEnd) {
            this.delegate = delegate;
            this.isEnd = isEnd;
        }

        @Override
        public void start() {
            delegate.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
            if (ended) {
                return InputStatus.END_OF_INPUT;
            }
            InputStatus status =
                    delegate.pollNext(new FilteringReaderOutput<>(output, this::accept));
            return ended ? InputStatus.END_OF_INPUT : status;
        }

        @Override
        public List<S> snapshotState(long checkpointId) {
            return delegate.snapshotState(checkpointId);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return ended ? CompletableFuture.completedFuture(null) : delegate.isAvailable();
        }

        @Override
        public void addSplits(List<S> splits) {
            delegate.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            delegate.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(SourceEvent event) {
            delegate.handleSourceEvents(event);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            delegate.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void close() throws Exception {
            delegate.close();
        }

        /** Passes records on until the end marker; drops it and everything after it. */
        private boolean accept(T record) {
            if (ended) {
                return false;
            }
            if (isEnd.test(record)) {
                ended = true;
                return false;
            }
            return true;
        }
    }

    /** Recognises the end marker. */
    @FunctionalInterface
    public interface EndMarker<T> extends java.io.Serializable {
        boolean test(T record);
    }
}
