package io.sfastream.pipeline.score;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.pipeline.embed.EmbeddedSample;
import io.sfastream.pipeline.embed.NetworkView;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.schemas.Phase;
import io.sfastream.sfa.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The per-class state lives in Flink keyed state and survives a snapshot/restore exactly. */
class BaselineScorerHarnessTest {

    private static KeyedOneInputStreamOperatorTestHarness<Integer, EmbeddedSample, NoiseScore>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new BaselineScorer(0.99, 5, 0.8413)),
                s -> s.label,
                Types.INT);
    }

    private static List<EmbeddedSample> samples(int n) {
        Random r = new Random(5);
        List<EmbeddedSample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EmbeddedSample s = new EmbeddedSample();
            s.id = "s" + i;
            s.label = i % 3;
            s.trueLabel = r.nextDouble() < 0.2 ? (s.label + 1) % 3 : s.label;
            float[] f = new float[8];
            for (int d = 0; d < f.length; d++) {
                f[d] = (float) r.nextGaussian() * 0.2f;
            }
            f[s.trueLabel] += 1;
            NetworkView v = new NetworkView();
            v.features = Vectors.centreAndNormalise(f, null);
            v.logits = new float[] {r.nextFloat(), r.nextFloat(), r.nextFloat()};
            v.balancedLogits = v.logits.clone();
            v.centred = true;
            s.networks = new NetworkView[] {v};
            s.eventTime = 1000L + i;
            s.epoch = 1;
            out.add(s);
        }
        return out;
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

    @Test
    void restoredStateScoresTheRestExactlyAsAnUninterruptedRun() throws Exception {
        List<EmbeddedSample> all = samples(120);
        List<NoiseScore> uninterrupted;
        try (var h = harness()) {
            h.open();
            for (EmbeddedSample s : all) {
                h.processElement(s, s.eventTime);
            }
            uninterrupted = scores(h);
        }

        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            for (EmbeddedSample s : all.subList(0, 70)) {
                h.processElement(s, s.eventTime);
            }
            snapshot = h.snapshot(1, 1);
        }
        List<NoiseScore> afterRestore;
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            for (EmbeddedSample s : all.subList(70, 120)) {
                h.processElement(s, s.eventTime);
            }
            afterRestore = scores(h);
        }

        List<NoiseScore> expected = uninterrupted.subList(70, 120);
        assertThat(afterRestore).hasSize(50);
        for (int i = 0; i < 50; i++) {
            NoiseScore a = afterRestore.get(i);
            NoiseScore b = expected.get(i);
            assertThat(a.getId()).isEqualTo(b.getId());
            assertThat(a.getDistance()).isEqualTo(b.getDistance());
            assertThat(a.getNoiseProbability()).isEqualTo(b.getNoiseProbability());
            assertThat(a.getSelectionStats()).isEqualTo(b.getSelectionStats());
        }
        // without the state, the same samples would be scored as a new class in warm-up
        assertThat(afterRestore).allSatisfy(s -> assertThat(s.getPhase()).isEqualTo(Phase.SCORING));
    }

    @Test
    void nonFiniteFeaturesGoToTheDeadLetterOutputAndLeaveStateAlone() throws Exception {
        try (var h = harness()) {
            h.open();
            List<EmbeddedSample> s = samples(3);
            s.get(1).label = s.get(0).label;
            s.get(1).networks[0].features[2] = Float.NaN;
            for (EmbeddedSample e : s) {
                h.processElement(e, e.eventTime);
            }
            assertThat(scores(h)).extracting(NoiseScore::getId).containsExactly("s0", "s2");
            var dead = h.getSideOutput(io.sfastream.pipeline.deadletter.DeadLetters.TAG);
            assertThat(dead).hasSize(1);
            var dl = dead.peek().getValue();
            assertThat(dl.getStage()).isEqualTo("score");
            assertThat(dl.getSampleId()).isEqualTo("s1");
            assertThat(dl.getReason()).contains("non-finite");
        }
    }

    @Test
    void everyScoreCarriesTheEnsemblesClassProbabilities() throws Exception {
        List<EmbeddedSample> all = samples(10);
        List<NoiseScore> out;
        try (var h = harness()) {
            h.open();
            for (EmbeddedSample s : all) {
                h.processElement(s, s.eventTime);
            }
            out = scores(h);
        }
        assertThat(out).hasSize(10);
        for (int i = 0; i < out.size(); i++) {
            NoiseScore s = out.get(i);
            // softmax of logits + balanced logits (the reference's test-time ensemble)
            float[] z = all.get(i).networks[0].logits;
            double[] e = new double[z.length];
            double sum = 0;
            for (int k = 0; k < z.length; k++) {
                e[k] = Math.exp(2.0 * z[k]);
                sum += e[k];
            }
            assertThat(s.getClassProbabilities()).hasSize(3);
            for (int k = 0; k < 3; k++) {
                assertThat((double) s.getClassProbabilities().get(k))
                        .isCloseTo(e[k] / sum, org.assertj.core.api.Assertions.within(1e-6));
            }
            assertThat((double) s.getClassProbabilities().get(s.getPredictedLabel()))
                    .isCloseTo(
                            s.getPredictedConfidence(),
                            org.assertj.core.api.Assertions.within(1e-6));
        }
    }
}
