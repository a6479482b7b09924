package io.sfastream.pipeline.io;

import io.sfastream.schemas.WireCodec;
import java.time.Duration;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The one event-time rule of the job: a sample's time is the {@code eventTime} inside the record,
 * everywhere. The Kafka record timestamp is not used: a producer that stamps records differently
 * (log-append time, a clock of its own) cannot move a sample into another virtual epoch or move the
 * watermark. The source reads {@code eventTime} per Kafka partition through an Avro projection (the
 * rest of the record is skipped, decoding happens later), so watermarks are per partition, bounded
 * by {@code job.outOfOrderness}, and an idle partition stops holding them back after {@code
 * job.idleSourceTimeout}. A record whose eventTime cannot be read gets {@link Long#MIN_VALUE} (it
 * cannot move the watermark; decoding dead-letters it).
 */
public final class EventTimes {
    private EventTimes() {}

    /** Watermarks for a topic of {@code type} records (LabelledSample or LabelledEmbedding). */
    public static <T extends SpecificRecord> WatermarkStrategy<RawKafkaRecord> forRecords(
            Class<T> type, Duration outOfOrderness, Duration idleTimeout) {
        return WatermarkStrategy.<RawKafkaRecord>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner(new RecordEventTime<>(type))
                .withIdleness(idleTimeout);
    }

    /**
     * For an input that has no event time of its own (the model-snapshots broadcast): always idle,
     * so it never holds back the watermark of the stream it is connected to.
     */
    public static <T> WatermarkStrategy<T> none() {
        return WatermarkStrategy.forGenerator(ctx -> new AlwaysIdle<>());
    }

    /** Reads {@code eventTime} from the record bytes. */
    static final class RecordEventTime<T extends SpecificRecord>
            implements SerializableTimestampAssigner<RawKafkaRecord> {
        private static final long serialVersionUID = 1L;
        private final Class<T> type;
        private transient WireCodec.Projection eventTime;

        RecordEventTime(Class<T> type) {
            this.type = type;
        }

        @Override
        public long extractTimestamp(RawKafkaRecord record, long kafkaTimestamp) {
            if (eventTime == null) {
                eventTime = WireCodec.of(type).projection("eventTime");
            }
            return eventTime.read(record.value).map(EventTimes::eventTimeOf).orElse(Long.MIN_VALUE);
        }
    }

    private static long eventTimeOf(GenericRecord r) {
        Object v = r.get("eventTime");
        return v instanceof Long l ? l : Long.MIN_VALUE;
    }

    private static final class AlwaysIdle<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
        }
    }
}
