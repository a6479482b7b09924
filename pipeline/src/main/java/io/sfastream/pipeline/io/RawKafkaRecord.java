package io.sfastream.pipeline.io;

/**
 * A Kafka record as it came off the wire, with its coordinates. Decoding happens in an operator
 * rather than in the source's deserializer so that a bad record can go to the dead-letter topic
 * with its topic, partition and offset instead of failing the source. A Flink POJO (public fields,
 * no-arg constructor).
 */
public class RawKafkaRecord {
    public String topic;
    public int partition;
    public long offset;
    public long timestamp;
    public byte[] key;
    public byte[] value;

    public RawKafkaRecord() {}

    public RawKafkaRecord(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
