package io.sfastream.pipeline.score;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.embed.EmbeddedSample;
import io.sfastream.pipeline.embed.NetworkView;
import io.sfastream.schemas.ClassEpochStats;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.schemas.Phase;
import io.sfastream.sfa.Vectors;
import io.sfastream.time.EpochClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The keyed SFA scorer as an operator: boundaries are event-time timers, samples of a later epoch
 * wait for theirs, a class rolls in an epoch without samples, and a restore in the middle of an
 * epoch changes nothing.
 */
class SfaScorerHarnessTest {
    private static final int DIM = 8;
    private static final PipelineConfig CONFIG =
            PipelineConfig.defaults()
                    .with(
                            Map.of(
                                    "job.input",
                                    "features",
                                    "train.enabled",
                                    false,
                                    "model.featureDim",
                                    DIM,
                                    "sfa.warmUpEpochs",
                                    0,
                                    "sfa.minScoresForGmm",
                                    5,
                                    "epoch.start",
                                    "2026-01-01T00:00:00Z",
                                    "epoch.length",
                                    "1 s"));
    private static final EpochClock CLOCK = CONFIG.epochClock();

    private static KeyedOneInputStreamOperatorTestHarness<Integer, EmbeddedSample, NoiseScore>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SfaScorer(CONFIG)), s -> s.label, Types.INT);
    }

    private static EmbeddedSample sample(String id, int label, long t, Random rnd, boolean noisy) {
        float[] f = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            f[j] = (float) ((noisy ? -1 : 1) * (j == label ? 3 : 0) + rnd.nextGaussian() * 0.3);
        }
        NetworkView v = new NetworkView();
        v.features = Vectors.centreAndNormalise(f, null);
        v.confidence = 0.9;
        v.centred = true;
        v.modelVersion = 1;
        EmbeddedSample s = new EmbeddedSample();
        s.id = id;
        s.label = label;
        s.trueLabel = noisy ? label + 1 : label;
        s.eventTime = t;
        s.epoch = CLOCK.epochOf(t);
        s.networks = new NetworkView[] {v};
        return s;
    }

    private static List<NoiseScore> scores(
            KeyedOneInputStreamOperatorTestHarness<Integer, EmbeddedSample, NoiseScore> h) {
        List<NoiseScore> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof NoiseScore s) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<ClassEpochStats> stats(
            KeyedOneInputStreamOperatorTestHarness<Integer, EmbeddedSample, NoiseScore> h) {
        List<ClassEpochStats> out = new ArrayList<>();
        var q = h.getSideOutput(SfaScorer.CLASS_STATS);
        if (q != null) {
            q.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    /** Epoch e of class 0: 20 samples, every fifth noisy, spread through the epoch. */
    private static void feedEpoch(
            KeyedOneInputStreamOperatorTestHarness<Integer, EmbeddedSample, NoiseScore> h,
            int e,
            Random rnd)
            throws Exception {
        for (int i = 0; i < 20; i++) {
            long t = CLOCK.startOf(e) + i * 40L;
            h.processElement(sample("e" + e + "-" + i, 0, t, rnd, i % 5 == 0), t);
        }
    }

    @Test
    void boundariesAreTimersLaterEpochsWaitAndAnEmptyEpochStillRolls() throws Exception {
        Random rnd = new Random(1);
        try (var h = harness()) {
            h.open();
            feedEpoch(h, 1, rnd);
            assertThat(scores(h))
                    .hasSize(20)
                    .allSatisfy(s -> assertThat(s.getPhase()).isEqualTo(Phase.WARMUP));
            long early = CLOCK.startOf(2) + 3;
            h.processElement(sample("early", 0, early, rnd, false), early); // before the boundary
            assertThat(scores(h)).hasSize(20);
            assertThat(stats(h)).isEmpty();

            h.processWatermark(new Watermark(CLOCK.lastMillisOf(1)));
            assertThat(stats(h))
                    .singleElement()
                    .satisfies(
                            s -> {
                                assertThat(s.getEpoch()).isEqualTo(1);
                                assertThat(s.getSamples()).isEqualTo(20);
                                assertThat(s.getConfident()).isEqualTo(20);
                                assertThat(s.getHasCentroid()).isTrue();
                                assertThat(s.getKnownNoisy()).isEqualTo(4);
                            });
            assertThat(scores(h)).hasSize(21);
            NoiseScore e = scores(h).get(20);
            assertThat(e.getId()).isEqualTo("early");
            assertThat(e.getEpoch()).isEqualTo(2);
            assertThat(e.getNetworks().get(0).getCentroidEpoch()).isEqualTo(2);
            assertThat(e.getNetworks().get(0).getScore()).isFinite();

            feedEpoch(h, 2, rnd);
            // epochs 3 and 4 see no sample of class 0: they roll at their boundaries all the same
            h.processWatermark(new Watermark(CLOCK.lastMillisOf(4)));
            assertThat(stats(h)).extracting(ClassEpochStats::getEpoch).containsExactly(1, 2, 3, 4);
            ClassEpochStats second = stats(h).get(1);
            assertThat(second.getSamples()).isEqualTo(21);
            assertThat(second.getGmmMeans()).hasSize(2);
            assertThat(second.getEstimatedNoiseRate()).isBetween(0.0, 1.0);
            assertThat(stats(h).get(2).getSamples()).isZero();
            assertThat(stats(h).get(2).getCentroidDrift()).isZero(); // no samples: μ unchanged

            // epoch 5: the empty epochs left no scores to fit, so the class is judged as tiny
            // (clean);
            // its own scores of epoch 5 give the GMM that flags the noisy samples of epoch 6
            feedEpoch(h, 5, rnd);
            List<NoiseScore> fifth = scores(h).subList(scores(h).size() - 20, scores(h).size());
            assertThat(fifth)
                    .allSatisfy(s -> assertThat(s.getBasis()).isEqualTo("TINY_CLASS_CLEAN"));
            h.processWatermark(new Watermark(CLOCK.lastMillisOf(5)));
            feedEpoch(h, 6, rnd);
            List<NoiseScore> sixth = scores(h).subList(scores(h).size() - 20, scores(h).size());
            assertThat(sixth).allSatisfy(s -> assertThat(s.getBasis()).isEqualTo("GMM"));
            assertThat(sixth.stream().filter(s -> !s.getClean()).map(NoiseScore::getId).toList())
                    .containsExactlyInAnyOrder("e6-0", "e6-5", "e6-10", "e6-15");
        }
    }

    @Test
    void aRestoreInTheMiddleOfAnEpochChangesNothing() throws Exception {
        List<ClassEpochStats> uninterrupted;
        List<NoiseScore> uninterruptedScores;
        try (var h = harness()) {
            h.open();
            Random rnd = new Random(9);
            for (int e = 1; e <= 4; e++) {
                feedEpoch(h, e, rnd);
                h.processWatermark(new Watermark(CLOCK.lastMillisOf(e)));
            }
            uninterrupted = stats(h);
            uninterruptedScores = scores(h);
        }
        OperatorSubtaskState state;
        Random rnd = new Random(9);
        List<NoiseScore> before;
        List<ClassEpochStats> statsBefore;
        try (var h = harness()) {
            h.open();
            feedEpoch(h, 1, rnd);
            h.processWatermark(new Watermark(CLOCK.lastMillisOf(1)));
            for (int i = 0; i < 20; i++) { // half of epoch 2, then a checkpoint
                long t = CLOCK.startOf(2) + i * 40L;
                h.processElement(sample("e2-" + i, 0, t, rnd, i % 5 == 0), t);
                if (i == 9) {
                    state = h.snapshot(1, 1);
                    before = new ArrayList<>(scores(h));
                    statsBefore = stats(h);
                    // the rest goes to the restored operator
                    try (var r = harness()) {
                        r.initializeState(state);
                        r.open();
                        for (int k = 10; k < 20; k++) {
                            long tk = CLOCK.startOf(2) + k * 40L;
                            r.processElement(sample("e2-" + k, 0, tk, rnd, k % 5 == 0), tk);
                        }
                        r.processWatermark(new Watermark(CLOCK.lastMillisOf(2)));
                        for (int e = 3; e <= 4; e++) {
                            feedEpoch(r, e, rnd);
                            r.processWatermark(new Watermark(CLOCK.lastMillisOf(e)));
                        }
                        List<ClassEpochStats> all = new ArrayList<>(statsBefore);
                        all.addAll(stats(r));
                        assertThat(all).isEqualTo(uninterrupted);
                        List<NoiseScore> allScores = new ArrayList<>(before);
                        allScores.addAll(scores(r));
                        assertThat(allScores)
                                .extracting(NoiseScore::getNoiseProbability)
                                .isEqualTo(
                                        uninterruptedScores.stream()
                                                .map(NoiseScore::getNoiseProbability)
                                                .toList());
                    }
                    return;
                }
            }
        }
    }
}
