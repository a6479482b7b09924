package io.sfastream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.local.EmbeddedKafka;
import io.sfastream.pipeline.local.SampleProducer;
import io.sfastream.pipeline.testing.PipelineTestKit;
import io.sfastream.schemas.ClassEpochStats;
import io.sfastream.schemas.DeadLetter;
import io.sfastream.schemas.LabelledEmbedding;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.schemas.Phase;
import io.sfastream.sfa.SfaBatchSelection;
import io.sfastream.sfa.SfaParams;
import io.sfastream.sfa.bench.SyntheticFeatures;
import io.sfastream.time.EpochClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.InMemoryReporter;
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
 * The job with features in (no network runs), on a real Kafka broker and a Flink MiniCluster (1
 * TaskManager × 4 slots): the stream computes what the batch face computes, failures and a
 * savepoint restore with another parallelism leave the state exactly as an undisturbed run leaves
 * it, and bad feature records are dead letters.
 */
class FeaturesPipelineIT {
    private static final int DIM = 32;
    private static final int[] COUNTS = {600, 460, 350, 270, 210, 160, 120, 95, 75, 60};
    private static final int PASSES = 6;

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .build());

    private static EmbeddedKafka kafka;
    private static SyntheticFeatures data;
    private static double[] confidence;

    @TempDir static Path store;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        data = SyntheticFeatures.generate(COUNTS, DIM, 0.6, 3.0, 0.3, NoiseMode.IMB, 11);
        // confident or not, far from τφ^e ≈ 0.1: both faces put the same samples into centroids
        confidence = new double[data.size()];
        for (int i = 0; i < confidence.length; i++) {
            confidence[i] = (i * 7919) % 5 == 0 ? 0.01 : 0.9;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static PipelineConfig config(String run, Map<String, Object> extra) {
        Map<String, Object> v = new HashMap<>();
        v.put("job.input", "features");
        v.put("train.enabled", false);
        v.put("model.featureDim", DIM);
        v.put("sfa.warmUpEpochs", 2);
        v.put("classStats.includeCentroids", true);
        v.putAll(extra);
        return PipelineTestKit.config(kafka, run, store, v);
    }

    /** Sample i of the fixed feature set at pass e, in the same order every pass. */
    private static LabelledEmbedding record(int i, int pass, EpochClock clock) {
        List<Float> f = new ArrayList<>(DIM);
        for (float x : data.features()[i]) {
            f.add(x);
        }
        return LabelledEmbedding.newBuilder()
                .setId("s" + i)
                .setLabel(data.givenLabels()[i])
                .setEventTime(Instant.ofEpochMilli(clock.replayTimestamp(pass, i, data.size())))
                .setEncoderName("synthetic")
                .setTrueLabel(data.trueLabels()[i])
                .setConfidence(confidence[i])
                .setFeatures(f)
                .build();
    }

    private static void produce(PipelineConfig c, int fromPass, int toPass) {
        EpochClock clock = c.epochClock();
        try (SampleProducer p =
                new SampleProducer(c.kafka().bootstrapServers(), c.kafka().featuresTopic())) {
            for (int e = fromPass; e <= toPass; e++) {
                for (int i = 0; i < data.size(); i++) {
                    p.send(record(i, e, clock));
                }
            }
            p.flush();
        }
    }

    private static StreamExecutionEnvironment env(Configuration extra) {
        return PipelineTestKit.env(extra);
    }

    private static Configuration noRestart() {
        return PipelineTestKit.noRestart();
    }

    /**
     * (a) Streaming equals batch. The same feature set is replayed for {@value #PASSES} virtual
     * epochs; per epoch, {@link SfaBatchSelection} runs on it as the reference's {@code eval_train}
     * does. The stream closes epoch e with what the batch face's selection epoch e + 1 computes
     * (the boundary after epoch e draws the centroid for epoch e + 1), and judges epoch e's samples
     * with the GMM fitted at the boundary before (epoch e − 1's scores). Compared per class and
     * epoch: μ, the sampled flag, the GMM and N̂; per sample: the clean probability and the
     * decision. Tolerance 1e-5 on μ and 1e-6 on probabilities, for two reasons only: the stream's
     * centring mean is summed from two subtasks' partial sums (another summation order than the
     * batch face's one pass), and the scorer normalises the embedder's already normalised x̂ once
     * more (a float rounding of ‖x̂‖ = 1).
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theStreamComputesWhatTheBatchFaceComputesEpochByEpoch() throws Exception {
        String run = PipelineTestKit.run("eq");
        PipelineConfig c = config(run, Map.of());
        PipelineTestKit.createTopics(c, 2);
        produce(c, 1, PASSES);
        StreamExecutionEnvironment env = env(noRestart());
        SfaPipeline.onKafka(c).build(env);
        org.apache.flink.api.common.JobExecutionResult result = env.execute(run);

        List<ClassEpochStats> stats =
                PipelineTestKit.readAll(c, c.kafka().classStatsTopic(), ClassEpochStats.class);
        List<NoiseScore> scores =
                PipelineTestKit.readAll(c, c.kafka().scoresTopic(), NoiseScore.class);
        assertThat(scores).hasSize(data.size() * PASSES);
        Map<String, NoiseScore> byIdEpoch = new HashMap<>();
        for (NoiseScore s : scores) {
            assertThat(byIdEpoch.put(s.getId() + "@" + s.getEpoch(), s)).isNull();
        }
        Map<String, ClassEpochStats> statsOf = new HashMap<>();
        for (ClassEpochStats s : stats) {
            statsOf.put(s.getLabel() + "@" + s.getEpoch(), s);
        }
        assertThat(stats).hasSize(COUNTS.length * PASSES);

        SfaParams params = c.sfaParams();
        SfaBatchSelection batch = new SfaBatchSelection(params);
        Map<Integer, SfaBatchSelection.Result> results = new HashMap<>();
        for (int e = params.firstSelectionEpoch(); e <= PASSES + 1; e++) {
            SfaBatchSelection.Result r =
                    batch.select(data.features(), data.givenLabels(), confidence, e);
            results.put(e, r);
            int ended = e - 1; // the stream's boundary that computes the same
            for (int k = 0; k < COUNTS.length; k++) {
                ClassEpochStats s = statsOf.get(k + "@" + ended);
                assertThat(s).as("class %d epoch %d", k, ended).isNotNull();
                assertThat(s.getHasCentroid()).isEqualTo(r.classes()[k].hasCentroid());
                assertThat(s.getSampled())
                        .as("sampled %d@%d", k, ended)
                        .isEqualTo(r.classes()[k].sampled());
                double[] mu = batch.bank().classes[k].mean;
                assertThat(s.getCentroid()).hasSize(DIM);
                for (int j = 0; j < DIM; j++) {
                    assertThat((double) s.getCentroid().get(j))
                            .as("mu[%d] of class %d after epoch %d", j, k, ended)
                            .isCloseTo(mu[j], within(1e-5));
                }
                assertThat(s.getConfident()).isEqualTo(r.classes()[k].confidentCount());
            }
        }
        // the selection fitted at the end of epoch e is the batch face's of selection epoch e
        for (int e = params.firstSelectionEpoch(); e <= PASSES; e++) {
            for (int k = 0; k < COUNTS.length; k++) {
                ClassEpochStats s = statsOf.get(k + "@" + e);
                var sel = results.get(e).classes()[k].selection();
                assertThat(s.getFittedOn()).isEqualTo(sel.fittedOn);
                assertThat(s.getGmmMeans()).hasSize(2);
                for (int j = 0; j < 2; j++) {
                    assertThat(s.getGmmMeans().get(j)).isCloseTo(sel.gmmMeans[j], within(1e-6));
                    assertThat(s.getGmmWeights().get(j)).isCloseTo(sel.gmmWeights[j], within(1e-6));
                    assertThat(s.getGmmVariances().get(j))
                            .isCloseTo(sel.gmmVariances[j], within(1e-6));
                }
            }
        }
        // epoch e's arrivals: scored against the centroid of selection epoch e, judged by the GMM
        // of
        // selection epoch e − 1; from then on the batch face's own decision of epoch e agrees too
        int decided = 0;
        int agreeWithBatch = 0;
        int compared = 0;
        for (int e = params.firstSelectionEpoch() + 1; e <= PASSES; e++) {
            SfaBatchSelection.Result now = results.get(e);
            SfaBatchSelection.Result before = results.get(e - 1);
            long clean = 0;
            for (int i = 0; i < data.size(); i++) {
                int k = data.givenLabels()[i];
                NoiseScore s = byIdEpoch.get("s" + i + "@" + e);
                assertThat(s.getPhase()).isEqualTo(Phase.SCORING);
                var sel = before.classes()[k].selection();
                double expected = sel.cleanProbability(sel.normalise(now.score()[i]));
                double got = s.getNetworks().get(0).getCleanProbability();
                assertThat(got).as("sample %d epoch %d", i, e).isCloseTo(expected, within(1e-6));
                if (Math.abs(expected - params.pThreshold()) > 1e-6) {
                    assertThat(s.getClean()).isEqualTo(expected > params.pThreshold());
                    decided++;
                }
                clean += s.getClean() ? 1 : 0;
                compared++;
                agreeWithBatch += s.getClean() == now.clean()[i] ? 1 : 0;
            }
            assertThat(clean).isPositive();
        }
        assertThat(decided).isGreaterThan(compared * 99 / 100);
        // the feature set is the same every pass, so the lag of one epoch vanishes once converged
        assertThat(agreeWithBatch).isGreaterThan(compared * 98 / 100);
        System.out.printf(
                "streaming vs batch: %d class-epochs, %d sample decisions, %d agree with the batch"
                        + " face's own decision of the same epoch%n",
                stats.size(), compared, agreeWithBatch);

        // the job's metrics: the last version reached every embedder subtask; every class has
        // gauges
        long lastVersion =
                PipelineTestKit.readAll(
                                c,
                                c.kafka().snapshotsTopic(),
                                io.sfastream.schemas.ModelSnapshotRef.class)
                        .stream()
                        .filter(r -> !r.getEndOfStream())
                        .mapToLong(io.sfastream.schemas.ModelSnapshotRef::getVersion)
                        .max()
                        .orElseThrow();
        assertThat(lastVersion).isEqualTo(PASSES);
        Map<String, org.apache.flink.metrics.Metric> metrics =
                REPORTER.findMetrics(result.getJobID(), "modelVersion");
        List<Object> embedderVersions =
                metrics.entrySet().stream()
                        .filter(m -> m.getKey().contains("embed"))
                        .map(
                                m ->
                                        (Object)
                                                ((org.apache.flink.metrics.Gauge<?>) m.getValue())
                                                        .getValue())
                        .toList();
        assertThat(embedderVersions).hasSize(2).containsOnly(lastVersion);
        assertThat(REPORTER.findMetrics(result.getJobID(), "estimatedNoiseRate"))
                .hasSize(COUNTS.length);
    }

    /**
     * (c) A failure injected twice into the input source, each after a completed checkpoint: every
     * (sample, epoch) is scored exactly once in the committed output, and the class statistics of
     * every epoch (counts, GMMs, centroids) equal those of a run without failures, bit for bit.
     */
    @Test
    @Timeout(value = 400, unit = TimeUnit.SECONDS)
    void twoInjectedFailuresLoseNothingDuplicateNothingAndChangeNoState() throws Exception {
        String run = PipelineTestKit.run("fail");
        PipelineConfig c = config(run, Map.of());
        PipelineTestKit.createTopics(c, 2);
        produce(c, 1, 4);
        String refRun = PipelineTestKit.run("nofail");
        PipelineConfig ref =
                config(refRun, Map.of()).with("kafka.featuresTopic", c.kafka().featuresTopic());
        PipelineTestKit.createTopics(ref, 2);

        StreamExecutionEnvironment refEnv = env(noRestart());
        SfaPipeline.onKafka(ref).build(refEnv);
        refEnv.execute(refRun);

        PipelineTestKit.runWithFailures(c, run, 2, 400);

        List<NoiseScore> scores = PipelineTestKit.scoresOnce(c);
        assertThat(scores).hasSize(data.size() * 4);
        List<ClassEpochStats> got =
                PipelineTestKit.readAll(c, c.kafka().classStatsTopic(), ClassEpochStats.class);
        List<ClassEpochStats> expected =
                PipelineTestKit.readAll(ref, ref.kafka().classStatsTopic(), ClassEpochStats.class);
        assertThat(expected).hasSize(COUNTS.length * 4);
        assertThat(byKey(got)).isEqualTo(byKey(expected));
        Map<String, Double> gotScores = new HashMap<>();
        scores.forEach(s -> gotScores.put(s.getId() + "@" + s.getEpoch(), s.getNoiseProbability()));
        List<NoiseScore> refScores =
                PipelineTestKit.readAll(ref, ref.kafka().scoresTopic(), NoiseScore.class);
        for (NoiseScore s : refScores) {
            assertThat(gotScores.get(s.getId() + "@" + s.getEpoch()))
                    .as(s.getId())
                    .isEqualTo(s.getNoiseProbability());
        }
    }

    private static Map<String, ClassEpochStats> byKey(List<ClassEpochStats> stats) {
        Map<String, ClassEpochStats> m = new HashMap<>();
        for (ClassEpochStats s : stats) {
            assertThat(m.put(s.getLabel() + "/" + s.getNetwork() + "@" + s.getEpoch(), s))
                    .as("one record per class and epoch")
                    .isNull();
        }
        return m;
    }

    /**
     * (d) Stop with a savepoint in the middle of the stream, restore it with another parallelism (2
     * → 1), go on: the class statistics of every epoch match an uninterrupted run. Counts exactly;
     * centroids and GMMs within 1e-6, since the centring mean of the later epochs is summed from
     * one partial sum instead of two. Prints how long the restore took.
     */
    @Test
    @Timeout(value = 400, unit = TimeUnit.SECONDS)
    void aSavepointRestoredWithAnotherParallelismKeepsEveryClassState(@TempDir Path savepoints)
            throws Exception {
        String run = PipelineTestKit.run("sp");
        PipelineConfig c = config(run, Map.of("kafka.bounded", false));
        PipelineTestKit.createTopics(c, 2);
        produce(c, 1, 3);

        StreamExecutionEnvironment first = env(noRestart());
        SfaPipeline.onKafka(c).build(first);
        JobClient a = first.executeAsync(run + "-a");
        PipelineTestKit.read(
                c,
                c.kafka().classStatsTopic(),
                ClassEpochStats.class,
                l -> l.stream().filter(s -> s.getEpoch() == 2).count() == COUNTS.length,
                Duration.ofSeconds(120));
        String savepoint =
                a.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(120, TimeUnit.SECONDS);
        produce(c, 4, 5);

        Configuration restore = noRestart();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        StreamExecutionEnvironment second = env(restore);
        SfaPipeline.onKafka(c.with("job.parallelism", 1)).build(second);
        long t0 = System.nanoTime();
        JobClient b = second.executeAsync(run + "-b");
        List<NoiseScore> scores =
                PipelineTestKit.read(
                        c,
                        c.kafka().scoresTopic(),
                        NoiseScore.class,
                        l -> l.stream().anyMatch(s -> s.getEpoch() == 4),
                        Duration.ofSeconds(120));
        double restoreSeconds = (System.nanoTime() - t0) / 1e9;
        scores =
                PipelineTestKit.read(
                        c,
                        c.kafka().scoresTopic(),
                        NoiseScore.class,
                        l -> l.size() >= data.size() * 5,
                        Duration.ofSeconds(180));
        assertThat(b.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        // drain: the end of event time closes the last epoch, the savepoint commits its outputs
        b.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
        System.out.printf(
                "savepoint restore (parallelism 2 -> 1): first score of a new epoch %.1f s after"
                        + " submission%n",
                restoreSeconds);

        Set<String> seen = new HashSet<>();
        scores = PipelineTestKit.readAll(c, c.kafka().scoresTopic(), NoiseScore.class);
        for (NoiseScore s : scores) {
            assertThat(seen.add(s.getId() + "@" + s.getEpoch())).isTrue();
        }
        assertThat(scores).hasSize(data.size() * 5);

        String refRun = PipelineTestKit.run("sp-ref");
        PipelineConfig ref =
                config(refRun, Map.of()).with("kafka.featuresTopic", c.kafka().featuresTopic());
        PipelineTestKit.createTopics(ref, 2);
        StreamExecutionEnvironment refEnv = env(noRestart());
        SfaPipeline.onKafka(ref).build(refEnv);
        refEnv.execute(refRun);

        Map<String, ClassEpochStats> got =
                byKey(
                        PipelineTestKit.readAll(
                                c, c.kafka().classStatsTopic(), ClassEpochStats.class));
        Map<String, ClassEpochStats> expected =
                byKey(
                        PipelineTestKit.readAll(
                                ref, ref.kafka().classStatsTopic(), ClassEpochStats.class));
        assertThat(got.keySet()).isEqualTo(expected.keySet());
        for (var e : expected.entrySet()) {
            ClassEpochStats x = e.getValue();
            ClassEpochStats y = got.get(e.getKey());
            assertThat(y.getSamples()).as(e.getKey()).isEqualTo(x.getSamples());
            assertThat(y.getConfident()).isEqualTo(x.getConfident());
            assertThat(y.getJudgedClean()).as(e.getKey()).isEqualTo(x.getJudgedClean());
            assertThat(y.getSampled()).isEqualTo(x.getSampled());
            for (int j = 0; j < x.getCentroid().size(); j++) {
                assertThat(y.getCentroid().get(j)).isCloseTo(x.getCentroid().get(j), within(1e-6f));
            }
            for (int j = 0; j < x.getGmmMeans().size(); j++) {
                assertThat(y.getGmmMeans().get(j)).isCloseTo(x.getGmmMeans().get(j), within(1e-6));
            }
        }
    }

    /**
     * (e) Every kind of bad feature record is a dead letter with its reason, and the job scores
     * everything else. The event time inside the record decides its epoch: a record whose Kafka
     * timestamp says epoch 9 is scored in its own epoch 1 and does not close any epoch early.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void badFeatureRecordsAreDeadLettersAndEventTimeWinsOverTheKafkaTimestamp() throws Exception {
        String run = PipelineTestKit.run("bad");
        PipelineConfig c = config(run, Map.of("kafka.maxRecordBytes", 4096));
        PipelineTestKit.createTopics(c, 2);
        EpochClock clock = c.epochClock();
        LabelledEmbedding good = record(0, 1, clock);
        io.sfastream.schemas.WireCodec<LabelledEmbedding> codec =
                io.sfastream.schemas.WireCodec.of(LabelledEmbedding.class);
        Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
        LabelledEmbedding shortOne = LabelledEmbedding.newBuilder(good).setId("bad-dim").build();
        shortOne.setFeatures(good.getFeatures().subList(0, DIM - 1));
        bad.put("wrong-dimension", codec.encode(shortOne));
        LabelledEmbedding nan = LabelledEmbedding.newBuilder(good).setId("bad-nan").build();
        List<Float> withNan = new ArrayList<>(good.getFeatures());
        withNan.set(3, Float.NaN);
        nan.setFeatures(withNan);
        bad.put("non-finite", codec.encode(nan));
        bad.put(
                "unknown-label",
                codec.encode(
                        LabelledEmbedding.newBuilder(good)
                                .setId("bad-label")
                                .setLabel(42)
                                .build()));
        bad.put(
                "before-epoch-start",
                codec.encode(
                        LabelledEmbedding.newBuilder(good)
                                .setId("bad-time")
                                .setEventTime(clock.start().minusSeconds(1))
                                .build()));
        bad.put(
                "bad-confidence",
                codec.encode(
                        LabelledEmbedding.newBuilder(good)
                                .setId("bad-conf")
                                .setConfidence(2.0)
                                .build()));
        byte[] encoded = codec.encode(good);
        bad.put("truncated", java.util.Arrays.copyOf(encoded, encoded.length / 2));
        bad.put(
                "not-single-object",
                "{\"id\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bad.put(
                "unknown-schema",
                io.sfastream.schemas.WireCodec.of(io.sfastream.schemas.NoiseScore.class)
                        .encode(
                                NoiseScore.newBuilder()
                                        .setId("x")
                                        .setLabel(0)
                                        .setNoiseProbability(0)
                                        .setClean(true)
                                        .setDistance(0)
                                        .setModelVersion(0)
                                        .setPhase(Phase.SCORING)
                                        .setEventTime(Instant.EPOCH)
                                        .setScoredAt(Instant.EPOCH)
                                        .build()));
        bad.put("oversize", new byte[5000]);
        bad.put("tombstone", null);

        long farFuture = clock.replayTimestamp(9, 0, data.size());
        try (SampleProducer p =
                new SampleProducer(c.kafka().bootstrapServers(), c.kafka().featuresTopic())) {
            for (int e = 1; e <= 2; e++) {
                for (int i = 0; i < data.size(); i++) {
                    LabelledEmbedding r = record(i, e, clock);
                    if (e == 1 && i == 10) {
                        // the Kafka timestamp says epoch 9; the record says epoch 1
                        p.sendRaw(
                                SampleProducer.labelKey(r.getLabel()), codec.encode(r), farFuture);
                        continue;
                    }
                    p.send(r);
                    if (e == 1 && i == data.size() / 2) {
                        for (byte[] b : bad.values()) {
                            p.sendRaw(SampleProducer.labelKey(0), b, null);
                        }
                    }
                }
            }
            p.flush();
        }
        StreamExecutionEnvironment env = env(noRestart());
        SfaPipeline.onKafka(c).build(env);
        env.execute(run);

        List<DeadLetter> dead =
                PipelineTestKit.readAll(c, c.kafka().deadLettersTopic(), DeadLetter.class);
        assertThat(dead).hasSize(bad.size());
        Map<String, DeadLetter> byCode =
                dead.stream()
                        .collect(Collectors.toMap(DeadLetter::getReasonCode, d -> d, (x, y) -> x));
        assertThat(byCode.keySet())
                .containsExactlyInAnyOrder(
                        "wrong-dimension",
                        "non-finite",
                        "unknown-label",
                        "before-epoch-start",
                        "bad-confidence",
                        "truncated",
                        "not-single-object",
                        "unknown-schema",
                        "oversize",
                        "tombstone");
        assertThat(byCode.get("wrong-dimension").getReason())
                .contains("has 31 values, the job takes 32");
        assertThat(byCode.get("non-finite").getReason()).contains("features[3] is NaN");
        assertThat(byCode.get("unknown-label").getReason()).contains("unknown label 42");
        assertThat(byCode.get("before-epoch-start").getReason())
                .contains("before the first virtual epoch");
        assertThat(dead)
                .allSatisfy(
                        d -> assertThat(d.getSourceTopic()).isEqualTo(c.kafka().featuresTopic()));

        List<NoiseScore> scores =
                PipelineTestKit.readAll(c, c.kafka().scoresTopic(), NoiseScore.class);
        assertThat(scores).hasSize(data.size() * 2);
        assertThat(scores.stream().filter(s -> s.getId().equals("s10")).map(NoiseScore::getEpoch))
                .containsExactlyInAnyOrder(1, 2);
        List<ClassEpochStats> stats =
                PipelineTestKit.readAll(c, c.kafka().classStatsTopic(), ClassEpochStats.class);
        long epochOne =
                stats.stream()
                        .filter(s -> s.getEpoch() == 1)
                        .mapToLong(ClassEpochStats::getSamples)
                        .sum();
        long epochTwo =
                stats.stream()
                        .filter(s -> s.getEpoch() == 2)
                        .mapToLong(ClassEpochStats::getSamples)
                        .sum();
        assertThat(epochOne).isEqualTo(data.size());
        assertThat(epochTwo).isEqualTo(data.size());
    }
}
