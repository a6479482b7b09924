package io.sfastream.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The transport ceiling of {@code sfa bench pipeline}: the same records, broker, MiniCluster,
 * parallelism, checkpoints and delivery guarantee as the features-in job, but nothing in between —
 * each record's value bytes go from the Kafka source straight to a Kafka sink. What it reaches is
 * what Kafka and Flink alone cost per record of this size on this machine, so the SFA job's rate
 * can be read against it.
 */
final class PassThroughCeiling {

    private PassThroughCeiling() {}

    /** Wires source → sink into {@code env}; every output record carries its write time. */
    static void build(
            StreamExecutionEnvironment env,
            String bootstrap,
            String inTopic,
            String outTopic,
            String group,
            String transactionalIdPrefix,
            boolean exactlyOnce,
            int parallelism,
            Duration checkpointInterval,
            Duration transactionTimeout) {
        env.setParallelism(parallelism);
        env.enableCheckpointing(checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        KafkaSource<byte[]> source =
                KafkaSource.<byte[]>builder()
                        .setBootstrapServers(bootstrap)
                        .setTopics(inTopic)
                        .setGroupId(group)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .setValueOnlyDeserializer(new Bytes())
                        .setProperty("isolation.level", "read_committed")
                        .build();
        KafkaSink<byte[]> sink =
                KafkaSink.<byte[]>builder()
                        .setBootstrapServers(bootstrap)
                        .setDeliveryGuarantee(
                                exactlyOnce
                                        ? DeliveryGuarantee.EXACTLY_ONCE
                                        : DeliveryGuarantee.AT_LEAST_ONCE)
                        .setTransactionalIdPrefix(transactionalIdPrefix)
                        .setProperty(
                                "transaction.timeout.ms",
                                Long.toString(transactionTimeout.toMillis()))
                        .setRecordSerializer(
                                (KafkaRecordSerializationSchema<byte[]>)
                                        (value, context, timestamp) ->
                                                new ProducerRecord<>(
                                                        outTopic,
                                                        null,
                                                        System.currentTimeMillis(),
                                                        null,
                                                        value))
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "input")
                .uid("pass-through-input")
                .sinkTo(sink)
                .uid("pass-through-sink")
                .name("pass-through-sink");
    }

    /**
     * The write times of every committed record of {@code topic} ({@code read_committed}), read
     * until {@code expected} have arrived or {@code timeout} passed, and their values' total bytes.
     */
    static Committed read(String bootstrap, String topic, int expected, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        long[] times = new long[Math.max(16, expected)];
        int n = 0;
        long bytes = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            int idle = 0;
            while (System.nanoTime() < deadline && (n < expected || idle < 2)) {
                var records = consumer.poll(Duration.ofMillis(500));
                idle = records.isEmpty() ? idle + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (n == times.length) {
                        times = java.util.Arrays.copyOf(times, 2 * n);
                    }
                    times[n++] = r.timestamp();
                    bytes += r.value() == null ? 0 : r.value().length;
                }
            }
        }
        return new Committed(java.util.Arrays.copyOf(times, n), bytes);
    }

    /** What {@link #read} found: one write time per committed record, and their value bytes. */
    record Committed(long[] writtenAt, long valueBytes) {}

    /** The value as it came off the wire. */
    static final class Bytes implements DeserializationSchema<byte[]> {
        @Override
        public byte[] deserialize(byte[] message) {
            return message;
        }

        @Override
        public boolean isEndOfStream(byte[] next) {
            return false;
        }

        @Override
        public TypeInformation<byte[]> getProducedType() {
            return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        }
    }
}
