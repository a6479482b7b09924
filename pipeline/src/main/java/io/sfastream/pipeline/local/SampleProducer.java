package io.sfastream.pipeline.local;

import io.sfastream.schemas.LabelledEmbedding;
import io.sfastream.schemas.LabelledSample;
import io.sfastream.schemas.WireCodec;
import java.nio.ByteBuffer;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes {@link LabelledSample}s (or {@link LabelledEmbedding}s) to an input topic in the wire
 * format. The sample's time is its {@code eventTime} field (the job's one event-time rule, {@link
 * io.sfastream.pipeline.io.EventTimes}); the Kafka record timestamp is the time of writing, so a
 * replay of old event times is not deleted by the topic's time-based retention. The key is the
 * label by default, so all samples of a class share a partition and reach the class's scorer in the
 * order they were produced: a replay then gives the same per-class statistics run after run.
 */
public final class SampleProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final WireCodec<LabelledSample> codec = WireCodec.of(LabelledSample.class);
    private final WireCodec<LabelledEmbedding> embeddings = WireCodec.of(LabelledEmbedding.class);
    private final String topic;

    public SampleProducer(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 << 10));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 << 20));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    public static byte[] labelKey(int label) {
        return ByteBuffer.allocate(4).putInt(label).array();
    }

    public Future<RecordMetadata> send(LabelledSample sample) {
        return sendRaw(labelKey(sample.getLabel()), codec.encode(sample), null);
    }

    /** A feature vector for the features topic, keyed by label like a sample. */
    public Future<RecordMetadata> send(LabelledEmbedding e) {
        return sendRaw(labelKey(e.getLabel()), embeddings.encode(e), null);
    }

    /**
     * Any bytes, for replaying foreign data or testing how the job handles bad records.
     *
     * @param timestamp the Kafka record timestamp; null lets the producer stamp the current time
     */
    public Future<RecordMetadata> sendRaw(byte[] key, byte[] value, Long timestamp) {
        return producer.send(new ProducerRecord<>(topic, null, timestamp, key, value));
    }

    /** Any bytes into one given partition. */
    public Future<RecordMetadata> sendRaw(int partition, byte[] key, byte[] value, Long timestamp) {
        return producer.send(new ProducerRecord<>(topic, partition, timestamp, key, value));
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
