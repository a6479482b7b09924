package io.sfastream.pipeline.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.nn.SfaModel;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.deadletter.DeadLetters;
import io.sfastream.pipeline.decode.DecodedSample;
import io.sfastream.pipeline.io.RawKafkaRecord;
import io.sfastream.pipeline.store.FileSystemModelStore;
import io.sfastream.pipeline.train.ModelNames;
import io.sfastream.schemas.DeadLetter;
import io.sfastream.schemas.ModelSnapshotRef;
import io.sfastream.schemas.WireCodec;
import io.sfastream.sfa.FeatureSum;
import io.sfastream.sfa.Vectors;
import io.sfastream.store.StoredSnapshot;
import io.sfastream.time.EpochClock;
import io.sfastream.train.TrainingSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedder as an operator: it waits for the version of the previous epoch and holds the
 * watermark meanwhile, sends its partial feature sums when an epoch closes, swaps models only at a
 * batch boundary, keeps the version in use through a restore, and keeps the old model when a
 * snapshot is poisoned.
 */
class MicroBatchEmbedderHarnessTest {
    private static final String RUN = "run-1";
    private static final String PREFIX = "t";
    private static final int DIM = 4;

    @TempDir Path dir;

    private PipelineConfig features() {
        return PipelineConfig.defaults()
                .with(
                        Map.of(
                                "job.input", "features",
                                "train.enabled", false,
                                "model.featureDim", DIM,
                                "embed.versionWait", "10 s",
                                "epoch.start", "2026-01-01T00:00:00Z",
                                "epoch.length", "1 s",
                                "store.uri", dir.toUri().toString()));
    }

    private static TwoInputStreamOperatorTestHarness<DecodedSample, RawKafkaRecord, EmbeddedSample>
            harness(PipelineConfig c) throws Exception {
        return new TwoInputStreamOperatorTestHarness<>(new MicroBatchEmbedder(c, PREFIX, RUN));
    }

    private static DecodedSample feature(String id, long t, EpochClock clock, float... f) {
        DecodedSample s = new DecodedSample();
        s.id = id;
        s.label = 1;
        s.eventTime = t;
        s.epoch = clock.epochOf(t);
        s.features = f;
        return s;
    }

    private static List<EmbeddedSample> out(
            TwoInputStreamOperatorTestHarness<DecodedSample, RawKafkaRecord, EmbeddedSample> h) {
        List<EmbeddedSample> r = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> s && s.getValue() instanceof EmbeddedSample e) {
                r.add(e);
            }
        }
        return r;
    }

    private static List<Long> watermarks(
            TwoInputStreamOperatorTestHarness<DecodedSample, RawKafkaRecord, EmbeddedSample> h) {
        List<Long> r = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark w) {
                r.add(w.getTimestamp());
            }
        }
        return r;
    }

    /** Stores a version and returns its reference record (as the owner would publish it). */
    private RawKafkaRecord publish(TrainingSnapshot s, int epoch) throws Exception {
        String name = ModelNames.of(PREFIX, 0);
        StoredSnapshot stored =
                new FileSystemModelStore(dir.toUri().toString())
                        .put(name, s.version(), s.toBytes());
        return ref(name, s.version(), epoch, stored.uri().toString(), stored.sha256());
    }

    private static RawKafkaRecord ref(
            String name, long version, int epoch, String uri, String sha) {
        ModelSnapshotRef r =
                ModelSnapshotRef.newBuilder()
                        .setModelName(name)
                        .setVersion(version)
                        .setUri(uri)
                        .setSha256(sha)
                        .setSizeBytes(0)
                        .setCreatedAt(Instant.EPOCH)
                        .setSamplesSeen(0)
                        .setTrainSteps(0)
                        .setNetwork(0)
                        .setEpoch(epoch)
                        .setRunId(RUN)
                        .build();
        return new RawKafkaRecord(
                "snapshots", 0, version, 0, null, WireCodec.of(ModelSnapshotRef.class).encode(r));
    }

    @Test
    void aSampleOfTheNextEpochWaitsForTheVersionOfThePreviousAndTheWatermarkWaitsWithIt()
            throws Exception {
        PipelineConfig c = features();
        EpochClock clock = c.epochClock();
        long t0 = clock.startMillis();
        try (var h = harness(c)) {
            h.open();
            h.processElement1(feature("a", t0 + 10, clock, 1, 2, 3, 4), t0 + 10);
            h.processElement1(feature("b", t0 + 20, clock, 3, 2, 1, 0), t0 + 20);
            assertThat(out(h)).extracting(e -> e.networks[0].modelVersion).containsExactly(0L, 0L);
            assertThat(out(h).get(0).networks[0].centred).isFalse();

            h.processWatermark1(new Watermark(clock.lastMillisOf(1)));
            h.processWatermark2(new Watermark(Long.MAX_VALUE)); // the snapshots input has no time
            var sums = new ArrayList<>(h.getSideOutput(MicroBatchEmbedder.FEATURE_SUMS));
            assertThat(sums).hasSize(1);
            FeatureSum s = sums.get(0).getValue();
            assertThat(s.epoch).isEqualTo(1);
            assertThat(s.count).isEqualTo(2);
            assertThat(s.sum).containsExactly(4, 4, 4, 4);

            // epoch 2 waits for the version of boundary 1, and so does the watermark
            long t2 = clock.startOf(2) + 5;
            h.processElement1(feature("c", t2, clock, 2, 0, 0, 0), t2);
            h.processWatermark1(new Watermark(clock.lastMillisOf(5)));
            assertThat(out(h)).hasSize(2);
            assertThat(watermarks(h)).last().isEqualTo(t2 - 1);

            float[] m = {2, 2, 2, 2};
            h.processElement2(publish(TrainingSnapshot.withoutNetwork(1, 2, m, Map.of()), 1), 0);
            List<EmbeddedSample> all = out(h);
            assertThat(all).hasSize(3);
            EmbeddedSample third = all.get(2);
            assertThat(third.id).isEqualTo("c");
            assertThat(third.networks[0].modelVersion).isEqualTo(1);
            assertThat(third.networks[0].versionEpoch).isEqualTo(1);
            assertThat(third.networks[0].centred).isTrue();
            assertThat(third.networks[0].features)
                    .containsExactly(Vectors.centreAndNormalise(new float[] {2, 0, 0, 0}, m));
            assertThat(watermarks(h)).last().isEqualTo(clock.lastMillisOf(5));
        }
    }

    @Test
    void aPoisonedSnapshotIsReportedAndTheOldVersionStays() throws Exception {
        PipelineConfig c = features();
        EpochClock clock = c.epochClock();
        long t = clock.startMillis() + 1;
        try (var h = harness(c)) {
            h.open();
            TrainingSnapshot good =
                    TrainingSnapshot.withoutNetwork(1, 2, new float[] {1, 1, 1, 1}, Map.of());
            RawKafkaRecord stored = publish(good, 1);
            ModelSnapshotRef r = WireCodec.of(ModelSnapshotRef.class).decode(stored.value);
            String name = ModelNames.of(PREFIX, 0);
            h.processElement2(ref(name, 1, 1, r.getUri(), "0".repeat(64)), 0);
            h.processElement2(
                    ref(name, 2, 1, r.getUri().replace("0000001", "0000042"), r.getSha256()), 0);
            Path truncated = dir.resolve("truncated.sfasnap");
            byte[] bytes = good.toBytes();
            Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 3));
            String sha = io.sfastream.store.Sha256.hex(Files.readAllBytes(truncated));
            Files.writeString(
                    dir.resolve("truncated.sfasnap.sha256"), sha + "  truncated.sfasnap\n");
            h.processElement2(ref(name, 3, 1, truncated.toUri().toString(), sha), 0);
            h.processElement2(
                    new RawKafkaRecord("snapshots", 0, 9, 0, null, new byte[] {1, 2, 3}), 0);

            List<DeadLetter> dead = new ArrayList<>();
            h.getSideOutput(DeadLetters.TAG).forEach(x -> dead.add(x.getValue()));
            assertThat(dead).extracting(DeadLetter::getStage).containsOnly("snapshot");
            assertThat(dead)
                    .extracting(DeadLetter::getReasonCode)
                    .contains("snapshot-hash", "snapshot-ref-unreadable")
                    .hasSize(4);
            h.processElement1(feature("a", t, clock, 1, 2, 3, 4), t);
            assertThat(out(h).get(0).networks[0].modelVersion).isZero();

            h.processElement2(stored, 0);
            h.processElement1(feature("b", t + 1, clock, 1, 2, 3, 4), t + 1);
            assertThat(out(h).get(1).networks[0].modelVersion).isEqualTo(1);
        }
    }

    @Test
    void theVersionInUseAndTheWaitingSamplesSurviveARestore() throws Exception {
        PipelineConfig c = features();
        EpochClock clock = c.epochClock();
        OperatorSubtaskState state;
        RawKafkaRecord v2;
        try (var h = harness(c)) {
            h.open();
            h.processElement1(feature("a", clock.startOf(1), clock, 1, 0, 0, 0), clock.startOf(1));
            h.processElement2(
                    publish(
                            TrainingSnapshot.withoutNetwork(
                                    1, 1, new float[] {1, 1, 1, 1}, Map.of()),
                            1),
                    0);
            long t3 = clock.startOf(3);
            h.processElement1(feature("late-epoch", t3, clock, 0, 1, 0, 0), t3); // waits for v2
            assertThat(out(h)).hasSize(1);
            state = h.snapshot(1, 1);
            v2 =
                    publish(
                            TrainingSnapshot.withoutNetwork(
                                    2, 2, new float[] {0, 0, 0, 1}, Map.of()),
                            2);
        }
        try (var h = harness(c)) {
            h.initializeState(state);
            h.open();
            long t = clock.startOf(1) + 7;
            h.processElement1(feature("b", t, clock, 1, 0, 0, 0), t);
            assertThat(out(h)).extracting(e -> e.id).containsExactly("b");
            assertThat(out(h).get(0).networks[0].modelVersion)
                    .isEqualTo(1); // not the initial model
            h.processElement2(v2, 0);
            assertThat(out(h)).extracting(e -> e.id).containsExactly("b", "late-epoch");
            assertThat(out(h).get(1).networks[0].modelVersion).isEqualTo(2);
        }
    }

    @Test
    void imagesSwapModelsOnlyAtABatchBoundary() throws Exception {
        PipelineConfig c =
                PipelineConfig.defaults()
                        .with(
                                Map.of(
                                        "embed.batchSize",
                                        4,
                                        "embed.maxBatchDelay",
                                        "0 ms",
                                        "epoch.start",
                                        "2026-01-01T00:00:00Z",
                                        "store.uri",
                                        dir.toUri().toString()));
        EpochClock clock = c.epochClock();
        Random rnd = new Random(3);
        try (var h = harness(c)) {
            h.open();
            for (int i = 0; i < 2; i++) {
                h.processElement1(image("x" + i, clock, rnd), clock.startMillis() + i);
            }
            assertThat(out(h)).isEmpty(); // half a batch
            byte[] params;
            try (SfaModel m = SfaModel.create(c.model().toSpec(0))) {
                params = m.parameterBytes();
            }
            TrainingSnapshot v1 =
                    new TrainingSnapshot(
                            c.model().toSpec(0),
                            1,
                            0,
                            2,
                            1.0,
                            new float[128],
                            params,
                            Map.of(),
                            Map.of());
            h.processElement2(publish(v1, 1), 0);
            assertThat(out(h)).extracting(e -> e.networks[0].modelVersion).containsExactly(0L, 0L);
            for (int i = 2; i < 6; i++) {
                h.processElement1(image("x" + i, clock, rnd), clock.startMillis() + i);
            }
            assertThat(out(h)).hasSize(6);
            assertThat(out(h).subList(2, 6))
                    .allSatisfy(e -> assertThat(e.networks[0].modelVersion).isEqualTo(1));
            assertThat(out(h).get(5).networks[0].features).hasSize(128);
            assertThat(out(h).get(5).networks[0].confidence).isBetween(0.0, 1.0);
        }
    }

    private static DecodedSample image(String id, EpochClock clock, Random rnd) {
        DecodedSample s = new DecodedSample();
        s.id = id;
        s.label = 2;
        s.eventTime = clock.startMillis();
        s.epoch = 1;
        s.pixels = new byte[28 * 28];
        rnd.nextBytes(s.pixels);
        return s;
    }
}
