package io.sfastream.pipeline.deadletter;

import io.sfastream.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.OutputTag;

/**
 * The dead-letter side output shared by every stage, how a record becomes a {@link DeadLetter}, and
 * the per-reason counters every stage registers ({@code deadLetters.<code>}).
 */
public final class DeadLetters {
    /** Every stage writes its rejects here; the job sends them to the dead-letter topic. */
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

    private final MetricGroup group;
    private final java.util.Map<String, Counter> counters = new java.util.HashMap<>();

    /**
     * Counters under {@code metrics.addGroup("deadLetters")}, one per reason code, made on first
     * use.
     */
    public DeadLetters(MetricGroup metrics) {
        this.group = metrics.addGroup("deadLetters");
    }

    /** Counts one rejection and builds its record. */
    public DeadLetter count(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            int valueCap,
            Rejection rejection) {
        counters.computeIfAbsent(rejection.code(), group::counter).inc();
        return of(topic, partition, offset, key, value, valueCap, rejection);
    }

    public static DeadLetter of(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            int valueCap,
            Rejection rejection) {
        DeadLetter.Builder b =
                DeadLetter.newBuilder()
                        .setSourceTopic(topic == null ? "" : topic)
                        .setPartition(partition)
                        .setOffset(offset)
                        .setKey(key == null ? null : ByteBuffer.wrap(key))
                        .setStage(rejection.stage())
                        .setReason(rejection.reason())
                        .setReasonCode(rejection.code())
                        .setSampleId(rejection.sampleId())
                        .setErrorClass(rejection.errorClass())
                        .setTime(Instant.now());
        if (value != null) {
            boolean cut = value.length > valueCap;
            b.setValue(ByteBuffer.wrap(cut ? Arrays.copyOf(value, valueCap) : value))
                    .setValueTruncated(cut)
                    .setOriginalSizeBytes(value.length);
        }
        return b.build();
    }
}
