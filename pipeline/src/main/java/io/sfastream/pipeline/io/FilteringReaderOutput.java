package io.sfastream.pipeline.io;

import java.util.function.Predicate;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;

/**
 * A reader's output that shows every record to {@code pass} first, on the reader output and on
 * every per-split output alike, and forwards those it passes; watermarks and idleness go through
 * untouched. For readers that watch their records ({@link EndOfStreamSource}, the tests' failing
 * source).
 */
public final class FilteringReaderOutput<T> implements ReaderOutput<T> {
    private final ReaderOutput<T> out;
    private final Predicate<T> pass;

    public FilteringReaderOutput(ReaderOutput<T> out, Predicate<T> pass) {
        this.out = out;
        this.pass = pass;
    }

    @Override
    public void collect(T record) {
        if (pass.test(record)) {
            out.collect(record);
        }
    }

    @Override
    public void collect(T record, long timestamp) {
        if (pass.test(record)) {
            out.collect(record, timestamp);
        }
    }

    @Override
    public void emitWatermark(Watermark watermark) {
        out.emitWatermark(watermark);
    }

    @Override
    public void markIdle() {
        out.markIdle();
    }

    @Override
    public void markActive() {
        out.markActive();
    }

    @Override
    public SourceOutput<T> createOutputForSplit(String splitId) {
        SourceOutput<T> split = out.createOutputForSplit(splitId);
        return new SourceOutput<>() {
            @Override
            public void collect(T record) {
                if (pass.test(record)) {
                    split.collect(record);
                }
            }

            @Override
            public void collect(T record, long timestamp) {
                if (pass.test(record)) {
                    split.collect(record, timestamp);
                }
            }

            @Override
            public void emitWatermark(Watermark watermark) {
                split.emitWatermark(watermark);
            }

            @Override
            public void markIdle() {
                split.markIdle();
            }

            @Override
            public void markActive() {
                split.markActive();
            }
        };
    }

    @Override
    public void releaseOutputForSplit(String splitId) {
        out.releaseOutputForSplit(splitId);
    }
}
