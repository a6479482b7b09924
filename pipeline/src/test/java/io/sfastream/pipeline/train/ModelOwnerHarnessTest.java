package io.sfastream.pipeline.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.store.FileSystemModelStore;
import io.sfastream.schemas.ModelSnapshotRef;
import io.sfastream.sfa.ClassSelectionModel;
import io.sfastream.sfa.FeatureSum;
import io.sfastream.time.EpochClock;
import io.sfastream.train.TrainingSnapshot;
import java.net.URI;
import java.nio.file.Path;
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
 * The owner of the model versions as an operator: at a boundary it publishes one version whose
 * centring mean is the exact mean of the epoch's partial sums (added in part order) and whose
 * extras carry the pooled fallback selection; a restore replaces the versions the failed attempt
 * wrote but never published (versions are immutable once published); a bounded run ends with the
 * end-of-stream marker.
 */
class ModelOwnerHarnessTest {
    private static final String RUN = "r1";

    @TempDir Path dir;

    private PipelineConfig config() {
        return PipelineConfig.defaults()
                .with(
                        Map.of(
                                "job.input",
                                "features",
                                "train.enabled",
                                false,
                                "model.featureDim",
                                2,
                                "sfa.tinyClassFallback",
                                "pooled",
                                "kafka.bounded",
                                true,
                                "epoch.start",
                                "2026-01-01T00:00:00Z",
                                "epoch.length",
                                "1 s",
                                "store.uri",
                                dir.toUri().toString()));
    }

    private TwoInputStreamOperatorTestHarness<FeatureSum, OwnerMessage, ModelSnapshotRef> harness()
            throws Exception {
        return new TwoInputStreamOperatorTestHarness<>(new ModelOwner(config(), "m", RUN));
    }

    private static FeatureSum sum(int part, int epoch, long count, double... s) {
        FeatureSum f = new FeatureSum(0, epoch);
        f.part = part;
        f.count = count;
        f.sum = s;
        return f;
    }

    private static OwnerMessage scores(int label, int epoch, long seed) {
        Random r = new Random(seed);
        float[] v = new float[30];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 4 == 0 ? 0.1f * r.nextFloat() : 0.8f + 0.2f * r.nextFloat();
        }
        return OwnerMessage.of(new PooledScores(0, epoch, label, v));
    }

    private static List<ModelSnapshotRef> refs(
            TwoInputStreamOperatorTestHarness<FeatureSum, OwnerMessage, ModelSnapshotRef> h) {
        List<ModelSnapshotRef> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof ModelSnapshotRef ref) {
                out.add(ref);
            }
        }
        return out;
    }

    private static void watermark(
            TwoInputStreamOperatorTestHarness<FeatureSum, OwnerMessage, ModelSnapshotRef> h, long t)
            throws Exception {
        h.processWatermark1(new Watermark(t));
        h.processWatermark2(new Watermark(t));
    }

    private TrainingSnapshot load(ModelSnapshotRef ref) throws Exception {
        return TrainingSnapshot.fromBytes(
                new FileSystemModelStore(dir.toUri().toString())
                        .get(URI.create(ref.getUri()), ref.getSha256()));
    }

    @Test
    void aBoundaryPublishesTheEpochsMeanAndThePooledSelection() throws Exception {
        EpochClock clock = config().epochClock();
        try (var h = harness()) {
            h.open();
            h.processElement1(sum(1, 1, 2, 2, 0), clock.startOf(1));
            h.processElement1(sum(0, 1, 2, 2, 4), clock.startOf(1));
            h.processElement2(scores(1, 1, 5), clock.lastMillisOf(1));
            h.processElement2(scores(0, 1, 6), clock.lastMillisOf(1));
            watermark(h, clock.lastMillisOf(1) - 1);
            assertThat(refs(h)).isEmpty();
            watermark(h, clock.lastMillisOf(1));
            assertThat(refs(h))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.getModelName()).isEqualTo("m-net0");
                                assertThat(r.getVersion()).isEqualTo(1);
                                assertThat(r.getEpoch()).isEqualTo(1);
                                assertThat(r.getRunId()).isEqualTo(RUN);
                                assertThat(r.getSamplesSeen()).isEqualTo(4);
                            });
            TrainingSnapshot s = load(refs(h).get(0));
            assertThat(s.hasNetwork()).isFalse();
            assertThat(s.centringMean()).containsExactly(1f, 1f);
            ClassSelectionModel pooled =
                    ClassSelectionModel.fromBytes(s.extras().get(ModelNames.POOLED_SELECTION));
            assertThat(pooled.hasGmm()).isTrue();
            assertThat(pooled.fittedOn).isEqualTo(60);

            // the end of a bounded input: the marker that ends the embedders' snapshot input
            watermark(h, Long.MAX_VALUE);
            assertThat(refs(h))
                    .last()
                    .satisfies(
                            r -> {
                                assertThat(r.getEndOfStream()).isTrue();
                                assertThat(r.getRunId()).isEqualTo(RUN);
                            });
        }
    }

    @Test
    void aRestoreReplacesTheVersionTheFailedAttemptWroteButNeverPublished() throws Exception {
        EpochClock clock = config().epochClock();
        OperatorSubtaskState checkpoint;
        ModelSnapshotRef lost;
        try (var h = harness()) {
            h.open();
            h.processElement1(sum(0, 1, 1, 1, 1), clock.startOf(1));
            watermark(h, clock.lastMillisOf(1));
            h.processElement1(sum(0, 2, 2, 4, 2), clock.startOf(2));
            checkpoint = h.snapshot(1, 1);
            watermark(h, clock.lastMillisOf(2)); // version 2, then the attempt fails
            lost = refs(h).get(1);
            assertThat(lost.getVersion()).isEqualTo(2);
        }
        try (var h = harness()) {
            h.initializeState(checkpoint);
            h.open();
            // the replay after the restore brings a partial sum the failed attempt never saw
            h.processElement1(sum(1, 2, 2, 0, 0), clock.startOf(2));
            watermark(h, clock.lastMillisOf(2));
            ModelSnapshotRef again = refs(h).get(0);
            assertThat(again.getVersion()).isEqualTo(2);
            assertThat(again.getSha256()).isNotEqualTo(lost.getSha256());
            assertThat(load(again).centringMean()).containsExactly(1f, 0.5f);
        }
    }
}
