package io.sfastream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.pipeline.embed.EmbeddedSample;
import io.sfastream.pipeline.kafka.EmbeddedKafka;
import io.sfastream.pipeline.kafka.KafkaTopics;
import io.sfastream.pipeline.kafka.KafkaTopics.TopicSpec;
import io.sfastream.pipeline.kafka.RawKafkaRecord;
import io.sfastream.pipeline.kafka.SampleProducer;
import io.sfastream.pipeline.kafka.TopicReader;
import io.sfastream.pipeline.replay.BadRecords;
import io.sfastream.pipeline.replay.ReplayDataset;
import io.sfastream.schemas.DeadLetter;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.sfa.CentringMean;
import io.sfastream.sfa.baseline.BaselineClassState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real job on a real Kafka broker (KRaft, in this JVM) and a real Flink MiniCluster (1
 * TaskManager × 2 slots): every sample is scored exactly once, bad records reach the dead-letter
 * topic with their reason, Avro and POJO types never fall back to Kryo, and a TaskManager lost
 * mid-stream costs neither a record nor a state update.
 */
class SfaPipelineIT {
    private static final int MAX_RECORD_BYTES = 16 << 10;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static PipelineConfig config(String run, boolean bounded) throws InterruptedException {
        PipelineConfig c = PipelineConfig.defaults();
        c.kafka.bootstrapServers = kafka.bootstrapServers();
        c.kafka.samplesTopic = run + "-samples";
        c.kafka.scoresTopic = run + "-scores";
        c.kafka.deadLettersTopic = run + "-dead";
        c.kafka.groupId = run;
        c.kafka.transactionalIdPrefix = run;
        c.kafka.bounded = bounded;
        c.kafka.maxRecordBytes = MAX_RECORD_BYTES;
        c.job.parallelism = 2;
        c.job.checkpointIntervalMs = 400;
        c.embed.batchSize = 32;
        c.embed.maxBatchDelayMs = 50;
        c.scoring.warmupSamplesPerClass = 5;
        KafkaTopics.create(
                kafka.bootstrapServers(),
                List.of(
                        TopicSpec.of(c.kafka.samplesTopic, 2),
                        TopicSpec.of(c.kafka.scoresTopic, 2),
                        TopicSpec.of(c.kafka.deadLettersTopic, 1)),
                Duration.ofSeconds(30));
        return c.validate();
    }

    private static StreamExecutionEnvironment env(Configuration extra) {
        Configuration conf = SfaPipelineJob.flinkConfiguration();
        conf.addAll(extra);
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    private static ReplayDataset replay(int nMax) throws Exception {
        return ReplayDataset.longTailedNoisy(
                TestData.fashionMnistOrGenerated(), nMax, 0.1, 0.2, NoiseMode.IMB, 3);
    }

    private static void produce(PipelineConfig c, ReplayDataset data, int from, int to) {
        try (SampleProducer producer =
                new SampleProducer(c.kafka.bootstrapServers, c.kafka.samplesTopic)) {
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            for (int i = from; i < to; i++) {
                producer.send(data.sample(i, t0.plusMillis(i * 10L)));
            }
            producer.flush();
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everySampleIsScoredExactlyOnceAndBadRecordsAreDeadLettered() throws Exception {
        String run = "it-" + UUID.randomUUID().toString().substring(0, 8);
        PipelineConfig c = config(run, true);
        ReplayDataset data = replay(60);
        int n = data.size();
        List<BadRecords> bad = BadRecords.from(data.sample(0, Instant.EPOCH), 10, MAX_RECORD_BYTES);
        produce(c, data, 0, n / 2);
        try (SampleProducer producer =
                new SampleProducer(c.kafka.bootstrapServers, c.kafka.samplesTopic)) {
            for (BadRecords b : bad) {
                producer.sendRaw(SampleProducer.labelKey(0), b.value(), 0L);
            }
        }
        produce(c, data, n / 2, n);

        StreamExecutionEnvironment env = env(new Configuration());
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        SfaPipelineJob.build(env, c);
        env.execute(run);

        List<NoiseScore> scores;
        try (TopicReader<NoiseScore> reader =
                new TopicReader<>(
                        c.kafka.bootstrapServers, c.kafka.scoresTopic, NoiseScore.class)) {
            scores = reader.readUntil(r -> r.size() >= n, Duration.ofSeconds(60));
            scores = reader.drain(Duration.ofSeconds(2));
        }
        assertThat(scores).hasSize(n);
        Set<String> expectedIds =
                IntStream.range(0, n)
                        .mapToObj(i -> data.sample(i, Instant.EPOCH).getId())
                        .collect(Collectors.toSet());
        assertThat(scores.stream().map(NoiseScore::getId).collect(Collectors.toSet()))
                .isEqualTo(expectedIds);
        for (NoiseScore s : scores) {
            assertThat(s.getNoiseProbability()).isBetween(0.0, 1.0);
            assertThat(s.getTrueLabel()).isNotNull();
            assertThat(s.getScorer()).isEqualTo("baseline-distance-zscore");
        }
        assertClassCountsAreExactlyOneToN(scores, data);

        List<DeadLetter> dead;
        try (TopicReader<DeadLetter> reader =
                new TopicReader<>(
                        c.kafka.bootstrapServers, c.kafka.deadLettersTopic, DeadLetter.class)) {
            dead = reader.readUntil(r -> r.size() >= bad.size(), Duration.ofSeconds(30));
            dead = reader.drain(Duration.ofSeconds(1));
        }
        assertThat(dead).hasSize(bad.size());
        for (BadRecords b : bad) {
            assertThat(dead)
                    .as(b.kind())
                    .anySatisfy(
                            d -> {
                                assertThat(d.getStage()).isEqualTo(b.expectedStage());
                                assertThat(d.getReason()).contains(b.expectedReason());
                                assertThat(d.getSourceTopic()).isEqualTo(c.kafka.samplesTopic);
                            });
        }
        assertThat(dead)
                .allSatisfy(
                        d ->
                                assertThat(
                                                d.getValueTruncated()
                                                        || d.getValue() == null
                                                        || d.getValue().remaining()
                                                                == d.getOriginalSizeBytes())
                                        .isTrue());
    }

    @Test
    void avroAndPojoTypesNeverUseKryo() {
        StreamExecutionEnvironment env = env(new Configuration());
        var serializerConfig = env.getConfig().getSerializerConfig();
        assertThat(TypeInformation.of(NoiseScore.class)).isInstanceOf(AvroTypeInfo.class);
        assertThat(TypeInformation.of(NoiseScore.class).createSerializer(serializerConfig))
                .isInstanceOf(AvroSerializer.class);
        assertThat(TypeInformation.of(DeadLetter.class).createSerializer(serializerConfig))
                .isInstanceOf(AvroSerializer.class);
        for (Class<?> pojo :
                List.of(
                        RawKafkaRecord.class,
                        EmbeddedSample.class,
                        io.sfastream.pipeline.decode.DecodedSample.class,
                        BaselineClassState.class,
                        CentringMean.class)) {
            assertThat(TypeInformation.of(pojo))
                    .as(pojo.getSimpleName())
                    .isInstanceOf(PojoTypeInfo.class);
            TypeInformation.of(pojo)
                    .createSerializer(serializerConfig); // throws if any field needs Kryo
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                new GenericTypeInfo<>(Object.class)
                                        .createSerializer(serializerConfig))
                .hasMessageContaining("Generic types have been disabled");
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aTaskManagerLostMidStreamLosesAndDuplicatesNothing(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        String run = "it-restart-" + UUID.randomUUID().toString().substring(0, 8);
        PipelineConfig c = config(run, false);
        ReplayDataset data = replay(60);
        int n = data.size();
        int firstHalf = n / 2;
        produce(c, data, 0, firstHalf);

        Configuration restart = new Configuration();
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        restart.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        StreamExecutionEnvironment env = env(restart);
        SfaPipelineJob.build(env, c);
        JobClient job = env.executeAsync(run);
        try (TopicReader<NoiseScore> reader =
                new TopicReader<>(
                        c.kafka.bootstrapServers, c.kafka.scoresTopic, NoiseScore.class)) {
            // Committed output proves a checkpoint completed; fail the TaskManager while the rest
            // is in flight.
            reader.readUntil(r -> r.size() >= firstHalf / 4, Duration.ofSeconds(120));
            miniCluster.terminateTaskManager(0).get(60, TimeUnit.SECONDS);
            miniCluster.startTaskManager();
            produce(c, data, firstHalf, n);

            List<NoiseScore> scores = reader.readUntil(r -> r.size() >= n, Duration.ofSeconds(150));
            scores = reader.drain(Duration.ofSeconds(3));
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(scores).hasSize(n);
            assertThat(scores.stream().map(NoiseScore::getId).distinct().count()).isEqualTo(n);
            assertClassCountsAreExactlyOneToN(scores, data);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Each score carries its class's sample count after the update. Across the whole output, class
     * k must show exactly the counts 1..n_k once each: a lost record leaves a gap, a duplicate
     * repeats a count, and state lost or rolled back without its source offsets would restart or
     * repeat the sequence.
     */
    private static void assertClassCountsAreExactlyOneToN(
            List<NoiseScore> scores, ReplayDataset data) {
        Map<Integer, List<Integer>> countsByClass = new HashMap<>();
        for (NoiseScore s : scores) {
            countsByClass
                    .computeIfAbsent(s.getLabel(), k -> new ArrayList<>())
                    .add(s.getSelectionStats().get("classCount").intValue());
        }
        int[] given = new int[10];
        for (int label : data.noise().labels()) {
            given[label]++;
        }
        for (int k = 0; k < 10; k++) {
            List<Integer> counts = countsByClass.getOrDefault(k, List.of());
            List<Integer> expected = IntStream.rangeClosed(1, given[k]).boxed().toList();
            assertThat(new TreeSet<>(counts)).as("class %d", k).containsExactlyElementsOf(expected);
            assertThat(counts).as("class %d", k).hasSize(given[k]);
        }
    }
}
