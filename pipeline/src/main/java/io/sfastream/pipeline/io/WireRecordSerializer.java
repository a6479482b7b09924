package io.sfastream.pipeline.io;

import io.sfastream.schemas.WireCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An output record of the job for Kafka: the value in the wire format ({@link WireCodec}), the key
 * from {@code key}, and no timestamp of its own, so the producer stamps the time of writing. The
 * connector's default would stamp the element's event time, and a replay of last year's events
 * would then land in segments that the topic's time-based retention deletes at once (seen here: a
 * replay dated 2026-01-01 lost its first epoch on a broker with the default 7-day retention). The
 * event time of a score travels in its own field.
 */
public final class WireRecordSerializer<T extends SpecificRecord>
        implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Class<T> type;
    private final SerializationSchema<T> key;
    private final Partitioner<T> partition;
    private transient WireCodec<T> codec;

    /** The partition a record names for itself (null: Kafka's partitioner by key). */
    @FunctionalInterface
    public interface Partitioner<T> extends java.io.Serializable {
        Integer partitionOf(T element);
    }

    public WireRecordSerializer(String topic, Class<T> type, SerializationSchema<T> key) {
        this(topic, type, key, null);
    }

    public WireRecordSerializer(
            String topic, Class<T> type, SerializationSchema<T> key, Partitioner<T> partition) {
        this.topic = topic;
        this.type = type;
        this.key = key;
        this.partition = partition;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
            throws Exception {
        codec = WireCodec.of(type);
        key.open(context);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        if (codec == null) {
            codec = WireCodec.of(type);
        }
        return new ProducerRecord<>(
                topic,
                partition == null ? null : partition.partitionOf(element),
                null,
                key.serialize(element),
                codec.encode(element));
    }
}
