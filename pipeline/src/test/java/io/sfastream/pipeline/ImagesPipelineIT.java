package io.sfastream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.embed.EmbeddedSample;
import io.sfastream.pipeline.io.RawKafkaRecord;
import io.sfastream.pipeline.local.EmbeddedKafka;
import io.sfastream.pipeline.local.SampleProducer;
import io.sfastream.pipeline.replay.BadRecords;
import io.sfastream.pipeline.replay.ReplayDataset;
import io.sfastream.pipeline.testing.PipelineTestKit;
import io.sfastream.schemas.ClassEpochStats;
import io.sfastream.schemas.DeadLetter;
import io.sfastream.schemas.LabelledSample;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.schemas.Phase;
import io.sfastream.schemas.WireCodec;
import io.sfastream.sfa.FeatureSum;
import io.sfastream.sfa.SfaClassState;
import io.sfastream.time.EpochClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job with images in (the embedder runs the small CNN), on a real Kafka broker (KRaft, in this
 * JVM) and a Flink MiniCluster: several virtual epochs of a long-tailed noisy Fashion-MNIST slice,
 * every (sample, epoch) scored once, every kind of bad record dead-lettered with its reason, no
 * Kryo anywhere, and an image's features independent of the subtask that embeds it.
 */
class ImagesPipelineIT {
    private static final int MAX_RECORD_BYTES = 16 << 10;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static EmbeddedKafka kafka;

    @TempDir static Path store;

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

    private static PipelineConfig config(String run, Map<String, Object> extra) {
        Map<String, Object> v = new java.util.HashMap<>();
        v.put("kafka.maxRecordBytes", MAX_RECORD_BYTES);
        v.put("embed.batchSize", 32);
        v.put("embed.maxBatchDelay", "50 ms");
        v.put("sfa.warmUpEpochs", 1);
        v.putAll(extra);
        return PipelineTestKit.config(kafka, run, store, v);
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = SfaPipeline.flinkConfiguration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everySampleOfEveryEpochIsScoredOnceAndBadRecordsAreDeadLettered() throws Exception {
        String run = PipelineTestKit.run("img");
        PipelineConfig c = config(run, Map.of());
        PipelineTestKit.createTopics(c, 2);
        ReplayDataset data =
                ReplayDataset.longTailedNoisy(
                        TestData.fashionMnistOrGenerated(), 60, 0.1, 0.2, NoiseMode.IMB, 3);
        int passes = 4;
        List<BadRecords> bad =
                BadRecords.from(data.sample(0, c.epochClock().start()), 10, MAX_RECORD_BYTES);
        EpochClock clock = c.epochClock();
        try (SampleProducer p =
                new SampleProducer(c.kafka().bootstrapServers(), c.kafka().samplesTopic())) {
            int[] sent = {0};
            data.forEachOfPasses(
                    passes,
                    clock,
                    s -> {
                        if (sent[0]++ == data.size() / 2) {
                            for (BadRecords b : bad) {
                                p.sendRaw(SampleProducer.labelKey(0), b.value(), null);
                            }
                        }
                        p.send(s);
                    });
            p.flush();
        }
        StreamExecutionEnvironment env = env();
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        SfaPipeline.onKafka(c).build(env);
        env.execute(run);

        List<NoiseScore> scores =
                PipelineTestKit.readAll(c, c.kafka().scoresTopic(), NoiseScore.class);
        assertThat(scores).hasSize(data.size() * passes);
        Set<String> seen = new HashSet<>();
        for (NoiseScore s : scores) {
            assertThat(seen.add(s.getId() + "@" + s.getEpoch())).isTrue();
            assertThat(s.getScorer()).isEqualTo("sfa");
            assertThat(s.getNoiseProbability()).isBetween(0.0, 1.0);
            assertThat(s.getTrueLabel()).isNotNull();
            assertThat(s.getPredictedLabel()).isBetween(0, 9);
            assertThat(s.getNetworks()).hasSize(1);
            assertThat(s.getNetworks().get(0).getModelVersion()).isEqualTo(s.getEpoch() - 1L);
        }
        // epoch 1 forms no centroid (no centring mean yet), epoch 2 the first ones, epoch 3 fits
        // the
        // first GMMs: from epoch 4 on samples are judged; WARMUP means exactly that nothing judged
        for (NoiseScore s : scores) {
            boolean warm =
                    s.getBasis().equals("NO_CENTROID") || s.getBasis().equals("NO_SELECTION_YET");
            assertThat(s.getPhase()).as(s.getId()).isEqualTo(warm ? Phase.WARMUP : Phase.SCORING);
            if (s.getEpoch() <= 3) {
                assertThat(s.getPhase()).isEqualTo(Phase.WARMUP);
            }
        }
        assertThat(scores.stream().filter(s -> s.getEpoch() == 4 && s.getBasis().equals("GMM")))
                .hasSizeGreaterThan(data.size() / 3);
        List<ClassEpochStats> stats =
                PipelineTestKit.readAll(c, c.kafka().classStatsTopic(), ClassEpochStats.class);
        assertThat(stats).hasSize(10 * passes);
        assertThat(stats.stream().mapToLong(ClassEpochStats::getSamples).sum())
                .isEqualTo((long) data.size() * passes);

        List<DeadLetter> dead =
                PipelineTestKit.readAll(c, c.kafka().deadLettersTopic(), DeadLetter.class);
        assertThat(dead).hasSize(bad.size());
        for (BadRecords b : bad) {
            assertThat(dead)
                    .as(b.kind())
                    .anySatisfy(
                            d -> {
                                assertThat(d.getStage()).isEqualTo(b.expectedStage());
                                assertThat(d.getReason()).contains(b.expectedReason());
                                assertThat(d.getSourceTopic()).isEqualTo(c.kafka().samplesTopic());
                                assertThat(d.getReasonCode()).isNotEmpty();
                            });
        }
    }

    /**
     * (f) With parallelism 2, the same image sent through two partitions (so two source and two
     * embedder subtasks) in the same epoch gets the same features: it is centred with the mean of
     * the model version, not of the subtask. Batch size 1 makes the forward pass itself
     * batch-independent, so the raw scores are compared bit for bit.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void anImagesFeaturesDoNotDependOnTheSubtaskThatEmbedsIt() throws Exception {
        String run = PipelineTestKit.run("twins");
        // every sample confident (τ tiny), so every class has a centroid in epoch 3
        PipelineConfig c = config(run, Map.of("embed.batchSize", 1, "sfa.tau", 1e-6));
        PipelineTestKit.createTopics(c, 2);
        ReplayDataset data =
                ReplayDataset.longTailedNoisy(
                        TestData.fashionMnistOrGenerated(), 40, 0.5, 0.0, NoiseMode.SYM, 5);
        EpochClock clock = c.epochClock();
        WireCodec<LabelledSample> codec = WireCodec.of(LabelledSample.class);
        int n = data.size();
        try (SampleProducer p =
                new SampleProducer(c.kafka().bootstrapServers(), c.kafka().samplesTopic())) {
            for (int e = 1; e <= 3; e++) {
                for (int i = 0; i < n; i++) {
                    LabelledSample s =
                            data.sample(i, Instant.ofEpochMilli(clock.replayTimestamp(e, i, n)));
                    p.sendRaw(i % 2, SampleProducer.labelKey(s.getLabel()), codec.encode(s), null);
                    if (e == 3 && i < 20) {
                        // its twin, through the other partition
                        LabelledSample twin =
                                LabelledSample.newBuilder(s).setId(s.getId() + "-twin").build();
                        p.sendRaw(
                                1 - i % 2,
                                SampleProducer.labelKey(s.getLabel()),
                                codec.encode(twin),
                                null);
                    }
                }
            }
            p.flush();
        }
        StreamExecutionEnvironment env = env();
        SfaPipeline.onKafka(c).build(env);
        env.execute(run);

        Map<String, NoiseScore> epoch3 = new java.util.HashMap<>();
        for (NoiseScore s : PipelineTestKit.readAll(c, c.kafka().scoresTopic(), NoiseScore.class)) {
            if (s.getEpoch() == 3) {
                epoch3.put(s.getId(), s);
            }
        }
        int compared = 0;
        for (var e : epoch3.entrySet()) {
            if (!e.getKey().endsWith("-twin")) {
                continue;
            }
            NoiseScore twin = e.getValue();
            NoiseScore original = epoch3.get(e.getKey().substring(0, e.getKey().length() - 5));
            assertThat(twin.getModelVersion()).isEqualTo(original.getModelVersion()).isEqualTo(2);
            assertThat(twin.getNetworks().get(0).getScore())
                    .as(e.getKey())
                    .isFinite()
                    .isEqualTo(original.getNetworks().get(0).getScore());
            compared++;
        }
        assertThat(compared).isEqualTo(20);
    }

    /**
     * Two networks (the co-training layout of the reference): every score carries both networks'
     * views, each with its own model version stream, and every class gets statistics per network.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void withTwoNetworksEveryScoreAndEveryClassCarriesBoth() throws Exception {
        String run = PipelineTestKit.run("two");
        PipelineConfig c = config(run, Map.of("model.networks", 2, "sfa.tau", 1e-6));
        PipelineTestKit.createTopics(c, 2);
        ReplayDataset data =
                ReplayDataset.longTailedNoisy(
                        TestData.fashionMnistOrGenerated(), 30, 0.5, 0.2, NoiseMode.SYM, 9);
        try (SampleProducer p =
                new SampleProducer(c.kafka().bootstrapServers(), c.kafka().samplesTopic())) {
            data.forEachOfPasses(3, c.epochClock(), p::send);
            p.flush();
        }
        StreamExecutionEnvironment env = env();
        SfaPipeline.onKafka(c).build(env);
        env.execute(run);

        List<NoiseScore> scores =
                PipelineTestKit.readAll(c, c.kafka().scoresTopic(), NoiseScore.class);
        assertThat(scores).hasSize(data.size() * 3);
        for (NoiseScore s : scores) {
            assertThat(s.getNetworks()).extracting(n -> n.getNetwork()).containsExactly(0, 1);
            assertThat(s.getNetworks())
                    .allSatisfy(n -> assertThat(n.getModelVersion()).isEqualTo(s.getEpoch() - 1L));
            double mean =
                    (s.getNetworks().get(0).getCleanProbability()
                                    + s.getNetworks().get(1).getCleanProbability())
                            / 2;
            assertThat(s.getNoiseProbability())
                    .isCloseTo(1 - mean, org.assertj.core.data.Offset.offset(1e-12));
        }
        // the two networks start from different seeds: in epoch 3 their raw scores differ
        assertThat(scores)
                .filteredOn(s -> s.getEpoch() == 3)
                .anySatisfy(
                        s ->
                                assertThat(s.getNetworks().get(0).getScore())
                                        .isNotEqualTo(s.getNetworks().get(1).getScore()));
        List<ClassEpochStats> stats =
                PipelineTestKit.readAll(c, c.kafka().classStatsTopic(), ClassEpochStats.class);
        assertThat(stats).hasSize(10 * 3 * 2);
        assertThat(stats).extracting(ClassEpochStats::getNetwork).containsOnly(0, 1);
    }

    @Test
    void avroAndPojoTypesNeverUseKryo() {
        StreamExecutionEnvironment env = env();
        var serializerConfig = env.getConfig().getSerializerConfig();
        assertThat(TypeInformation.of(NoiseScore.class)).isInstanceOf(AvroTypeInfo.class);
        for (Class<?> avro : List.of(NoiseScore.class, DeadLetter.class, ClassEpochStats.class)) {
            assertThat(TypeInformation.of(avro).createSerializer(serializerConfig))
                    .isInstanceOf(AvroSerializer.class);
        }
        for (Class<?> pojo :
                List.of(
                        RawKafkaRecord.class,
                        EmbeddedSample.class,
                        io.sfastream.pipeline.embed.NetworkView.class,
                        io.sfastream.pipeline.decode.DecodedSample.class,
                        SfaClassState.class,
                        FeatureSum.class,
                        io.sfastream.pipeline.train.PooledScores.class,
                        io.sfastream.pipeline.train.PublishedVersion.class,
                        io.sfastream.pipeline.score.ClassEpochTally.class)) {
            assertThat(TypeInformation.of(pojo))
                    .as(pojo.getSimpleName())
                    .isInstanceOf(PojoTypeInfo.class);
            TypeInformation.of(pojo)
                    .createSerializer(serializerConfig); // throws if a field needs Kryo
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                new GenericTypeInfo<>(Object.class)
                                        .createSerializer(serializerConfig))
                .hasMessageContaining("Generic types have been disabled");
    }
}
