package io.sfastream.pipeline.decode;

import io.sfastream.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.apache.flink.util.OutputTag;

/**
 * The dead-letter side output shared by every stage, and how a record becomes a {@link DeadLetter}.
 */
public final class DeadLetters {
    /** Every stage writes its rejects here; the job sends them to the dead-letter topic. */
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

    private DeadLetters() {}

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
