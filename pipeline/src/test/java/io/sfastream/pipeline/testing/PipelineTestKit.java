package io.sfastream.pipeline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.pipeline.SfaPipeline;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.io.KafkaIo;
import io.sfastream.pipeline.io.RawKafkaRecord;
import io.sfastream.pipeline.local.EmbeddedKafka;
import io.sfastream.pipeline.local.KafkaTopics;
import io.sfastream.pipeline.local.KafkaTopics.TopicSpec;
import io.sfastream.pipeline.local.TopicReader;
import io.sfastream.schemas.ModelSnapshotRef;
import io.sfastream.schemas.NoiseScore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

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
        v.put("kafka.trainingTopic", run + "-training");
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
                        new TopicSpec(k.snapshotsTopic(), 1, true),
                        TopicSpec.of(k.trainingTopic(), partitions)),
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

    /** The test's environment (on the MiniCluster extension) with the job's Flink options. */
    public static StreamExecutionEnvironment env(Configuration extra) {
        Configuration conf = SfaPipeline.flinkConfiguration();
        conf.addAll(extra);
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    public static Configuration noRestart() {
        Configuration c = new Configuration();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return c;
    }

    /**
     * Runs the job of {@code c} with its input failing {@code failures} times, each after a
     * completed checkpoint and {@code afterRecords} more records ({@link FailingSource}),
     * restarting up to 5 times; checks every failure was injected.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void runWithFailures(PipelineConfig c, String run, int failures, int afterRecords)
            throws Exception {
        String runId = "failing-" + run;
        SfaPipeline.Sources kafka = KafkaIo.sources(c, runId);
        FailingSource<RawKafkaRecord, ?, ?> failing =
                new FailingSource(
                        kafka.input(),
                        run,
                        failures,
                        afterRecords,
                        TypeInformation.of(RawKafkaRecord.class));
        Configuration restart = new Configuration();
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        restart.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = env(restart);
        new SfaPipeline(
                        c,
                        new SfaPipeline.Sources(failing, kafka.snapshots()),
                        KafkaIo.sinks(c),
                        runId)
                .build(env);
        env.execute(run);
        assertThat(FailingSource.left(run)).as("failures still to inject").isZero();
    }

    /** The committed scores of a finished job, each (sample, epoch) exactly once. */
    public static List<NoiseScore> scoresOnce(PipelineConfig c) {
        List<NoiseScore> scores = readAll(c, c.kafka().scoresTopic(), NoiseScore.class);
        Set<String> seen = new HashSet<>();
        for (NoiseScore s : scores) {
            assertThat(seen.add(s.getId() + "@" + s.getEpoch()))
                    .as("duplicate %s", s.getId())
                    .isTrue();
        }
        return scores;
    }

    /** The model versions a finished job published (without its end-of-stream marker). */
    public static List<ModelSnapshotRef> versions(PipelineConfig c) {
        return readAll(c, c.kafka().snapshotsTopic(), ModelSnapshotRef.class).stream()
                .filter(r -> !r.getEndOfStream())
                .toList();
    }
}
