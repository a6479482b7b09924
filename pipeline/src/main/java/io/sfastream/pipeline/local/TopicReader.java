package io.sfastream.pipeline.local;

import io.sfastream.schemas.WireCodec;
import io.sfastream.schemas.WireFormatException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic from the beginning with {@code isolation.level=read_committed}: only what the
 * job's transactions committed, exactly what a downstream consumer would see.
 */
public final class TopicReader<T extends SpecificRecord> implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final WireCodec<T> codec;
    private final List<T> records = new ArrayList<>();
    private boolean skipUnreadable;
    private Predicate<T> keep = r -> true;
    private long skipped;

    public TopicReader(String bootstrapServers, String topic, Class<T> type) {
        this(bootstrapServers, topic, type, true);
    }

    /**
     * @param committedOnly false reads {@code read_uncommitted}: what was written, committed or not
     *     (for diagnosing transactions)
     */
    public TopicReader(
            String bootstrapServers, String topic, Class<T> type, boolean committedOnly) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                committedOnly ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.codec = WireCodec.of(type);
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Polls until {@code done} holds for everything read so far, or the timeout passes; returns all
     * read.
     */
    public List<T> readUntil(Predicate<List<T>> done, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!done.test(records) && Instant.now().isBefore(deadline)) {
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(records);
    }

    /**
     * Reads up to the end offsets of every partition as of now (under read_committed, the last
     * stable offset: everything committed so far) and returns all read; throws when that takes
     * longer than {@code timeout}.
     */
    public List<T> readToEnd(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        Instant deadline = Instant.now().plus(timeout);
        while (!reached(end)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        "could not read to the end of "
                                + end.keySet()
                                + " within "
                                + timeout
                                + " (read "
                                + records.size()
                                + " records)");
            }
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(records);
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Polls for {@code quiet} more and returns everything read (to catch late duplicates). */
    public List<T> drain(Duration quiet) {
        Instant deadline = Instant.now().plus(quiet);
        while (Instant.now().isBefore(deadline)) {
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(records);
    }

    /**
     * Skips (and counts) records that do not decode instead of failing: for input topics, where a
     * producer may have written anything.
     */
    public TopicReader<T> skippingUnreadable() {
        this.skipUnreadable = true;
        return this;
    }

    /** Keeps only the records {@code keep} accepts (the rest are read past, not held). */
    public TopicReader<T> keeping(Predicate<T> keep) {
        this.keep = keep;
        return this;
    }

    /** Records skipped as unreadable so far. */
    public long skipped() {
        return skipped;
    }

    private void poll(Duration d) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(d)) {
            T record;
            try {
                record = codec.decode(r.value());
            } catch (WireFormatException | RuntimeException e) {
                if (skipUnreadable) {
                    skipped++;
                    continue;
                }
                throw new IllegalStateException(
                        "unreadable record at "
                                + r.topic()
                                + "-"
                                + r.partition()
                                + "@"
                                + r.offset()
                                + ": "
                                + e.getMessage(),
                        e);
            }
            if (keep.test(record)) {
                records.add(record);
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
