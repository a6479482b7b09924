package io.sfastream.pipeline.testing;

import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.local.EmbeddedKafka;
import io.sfastream.pipeline.local.KafkaTopics;
import io.sfastream.pipeline.local.KafkaTopics.TopicSpec;
import io.sfastream.pipeline.local.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the pipeline ITs share: a profile with topics, group, transactions and model store of their
 * own per run (so runs on one broker never see each other), topic creation, and committed reads.
 */
public final class PipelineTestKit {
    private PipelineTestKit() {}

    /** A unique run name: prefix plus 8 hex digits. */
    public static String run(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A profile of run {@code run}: its own topics and model store, short checkpoints, bounded
     * input, epochs of {@code epochLength} from 2026-01-01, plus {@code overrides}.
     */
    public static PipelineConfig config(
            EmbeddedKafka kafka, String run, Path store, Map<String, ?> overrides) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("kafka.bootstrapServers", kafka.bootstrapServers());
        v.put("kafka.samplesTopic", run + "-samples");
        v.put("kafka.featuresTopic", run + "-features");
        v.put("kafka.scoresTopic", run + "-scores");
        v.put("kafka.classStatsTopic", run + "-class-stats");
        v.put("kafka.deadLettersTopic", run + "-dead");
        v.put("kafka.snapshotsTopic", run + "-snapshots");
        v.put("kafka.groupId", run);
        v.put("kafka.transactionalIdPrefix", run);
        v.put("kafka.bounded", true);
        v.put("job.parallelism", 2);
        v.put("job.checkpointInterval", "300 ms");
        v.put("job.outOfOrderness", "100 ms");
        v.put("epoch.start", "2026-01-01T00:00:00Z");
        v.put("epoch.length", "1 h");
        v.put("embed.versionWait", "60 s");
        v.put("store.uri", store.resolve(run).toUri().toString());
        v.put("job.checkpointDir", store.resolve(run + "-checkpoints").toUri().toString());
        v.putAll(overrides);
        return PipelineConfig.defaults().with(v);
    }

    /** The job's topics: input topics with {@code partitions}, the compacted snapshots topic. */
    public static void createTopics(PipelineConfig c, int partitions) throws InterruptedException {
        PipelineConfig.Kafka k = c.kafka();
        KafkaTopics.create(
                k.bootstrapServers(),
                List.of(
                        TopicSpec.of(k.samplesTopic(), partitions),
                        TopicSpec.of(k.featuresTopic(), partitions),
                        TopicSpec.of(k.scoresTopic(), 2),
                        TopicSpec.of(k.classStatsTopic(), 1),
                        TopicSpec.of(k.deadLettersTopic(), 1),
                        new TopicSpec(k.snapshotsTopic(), 1, true)),
                Duration.ofSeconds(60));
    }

    /**
     * Committed records of a topic: until {@code done} holds, then a short drain for duplicates.
     */
    public static <T extends SpecificRecord> List<T> read(
            PipelineConfig c, String topic, Class<T> type, Predicate<List<T>> done, Duration wait) {
        try (TopicReader<T> r = new TopicReader<>(c.kafka().bootstrapServers(), topic, type)) {
            r.readUntil(done, wait);
            return r.drain(Duration.ofMillis(1500));
        }
    }

    /** Every committed record of a topic (after a finished job). */
    public static <T extends SpecificRecord> List<T> readAll(
            PipelineConfig c, String topic, Class<T> type) {
        try (TopicReader<T> r = new TopicReader<>(c.kafka().bootstrapServers(), topic, type)) {
            return r.drain(Duration.ofMillis(2500));
        }
    }
}
