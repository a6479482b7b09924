package io.sfastream.pipeline.io;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A source that is another source but for what its readers do: enumeration, splits and checkpoints
 * are the delegate's. Subclasses wrap the delegate's reader in {@link #wrap}.
 */
public abstract class ForwardingSource<T, S extends SourceSplit, E>
        implements Source<T, S, E>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final Source<T, S, E> delegate;
    private final TypeInformation<T> type;

    protected ForwardingSource(Source<T, S, E> delegate, TypeInformation<T> type) {
        this.delegate = delegate;
        this.type = type;
    }

    /** The reader this source's subtask runs, around the delegate's. */
    protected abstract SourceReader<T, S> wrap(SourceReader<T, S> reader, SourceReaderContext ctx);

    @Override
    public final SourceReader<T, S> createReader(SourceReaderContext ctx) throws Exception {
        return wrap(delegate.createReader(ctx), ctx);
    }

    @Override
    public Boundedness getBoundedness() {
        return delegate.getBoundedness();
    }

    @Override
    public SplitEnumerator<S, E> createEnumerator(SplitEnumeratorContext<S> ctx) throws Exception {
        return delegate.createEnumerator(ctx);
    }

    @Override
    public SplitEnumerator<S, E> restoreEnumerator(SplitEnumeratorContext<S> ctx, E checkpoint)
            throws Exception {
        return delegate.restoreEnumerator(ctx, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<S> getSplitSerializer() {
        return delegate.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<E> getEnumeratorCheckpointSerializer() {
        return delegate.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }
}
