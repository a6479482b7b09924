package io.sfastream.pipeline.kafka;

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
 * Writes {@link LabelledSample}s to the samples topic in the wire format, with the Kafka timestamp
 * set to the sample's eventTime (the job's watermarks come from it). The key is the label by
 * default, so all samples of a class share a partition and reach the class's scorer in the order
 * they were produced: a replay then gives the same per-class statistics run after run.
 */
public final class SampleProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final WireCodec<LabelledSample> codec = WireCodec.of(LabelledSample.class);
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
        return sendRaw(
                labelKey(sample.getLabel()),
                codec.encode(sample),
                sample.getEventTime().toEpochMilli());
    }

    /** Any bytes, for replaying foreign data or testing how the job handles bad records. */
    public Future<RecordMetadata> sendRaw(byte[] key, byte[] value, long timestamp) {
        return producer.send(new ProducerRecord<>(topic, null, timestamp, key, value));
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
