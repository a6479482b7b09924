package io.sfastream.sfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfastream.eval.DetectionMetrics;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The streaming face (§7 of shared/notes/sfa-algorithm.md). */
class SfaStreamingScorerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A fifth of CIFAR-10 ρ = 0.01: [1000, 599, 359, 215, 129, 77, 46, 27, 16, 10]. */
    private static final int[] SMALL = {1000, 599, 359, 215, 129, 77, 46, 27, 16, 10};

    private static SfaParams params(MomentMode mode) {
        return SfaParams.builder(10).warmUpEpochs(2).momentMode(mode).build();
    }

    private static SyntheticLongTail small() {
        return SyntheticLongTail.generate(SMALL, 32, 2.0, 0.5, 7);
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void phasesWarmUpThenFirstScoringEpochThenSelection() {
        SyntheticLongTail data = small();
        StreamRun run = new StreamRun(data, params(MomentMode.INTENDED_EMA), 0.1);
        for (int epoch = 1; epoch <= 4; epoch++) {
            run.epoch(epoch, true);
            for (int i = 0; i < data.size(); i++) {
                SfaVerdict v = run.verdicts[i];
                assertThat(v.epoch()).isEqualTo(epoch);
                switch (epoch) {
                    case 1, 2 -> {
                        assertThat(v.basis()).isEqualTo(SelectionBasis.NO_CENTROID);
                        assertThat(v.warmup()).isTrue();
                        assertThat(v.clean()).isTrue();
                        assertThat(v.score()).isNaN();
                    }
                    case 3 -> {
                        assertThat(v.basis()).isEqualTo(SelectionBasis.NO_SELECTION_YET);
                        assertThat(v.warmup()).isTrue();
                        assertThat(v.score()).isFinite();
                    }
                    default -> {
                        boolean tiny = run.states[data.labels[i]].selection.tiny;
                        assertThat(v.basis())
                                .isEqualTo(
                                        tiny
                                                ? SelectionBasis.TINY_CLASS_CLEAN
                                                : SelectionBasis.GMM);
                        assertThat(v.warmup()).isFalse();
                        assertThat(v.normalisedScore()).isBetween(0f, 1f);
                    }
                }
            }
        }
        // the two smallest labelled classes have fewer than 20 scores per epoch
        assertThat(data.labelCounts()[9]).isLessThan(20);
        assertThat(run.states[9].selection.tiny).isTrue();
        assertThat(run.states[0].selection.tiny).isFalse();
    }

    @Test
    void balancedCountIsLastEpochsCleanDecisionsFlooredAtOne() {
        SyntheticLongTail data = small();
        StreamRun run = new StreamRun(data, params(MomentMode.INTENDED_EMA), 0.1);
        for (int epoch = 1; epoch <= 5; epoch++) {
            run.epoch(epoch, true);
            int[] clean = new int[10];
            for (int i = 0; i < data.size(); i++) {
                clean[data.labels[i]] += run.verdicts[i].clean() ? 1 : 0;
            }
            for (int k = 0; k < 10; k++) {
                assertThat(run.rolls[k].balancedCount()).isEqualTo(Math.max(1, clean[k]));
                assertThat(run.states[k].balancedCount).isEqualTo(run.rolls[k].balancedCount());
                assertThat(run.rolls[k].arrivals()).isEqualTo(data.labelCounts()[k]);
            }
            if (epoch == 5) {
                assertThat(clean[0]).isLessThan(data.labelCounts()[0]); // selection is active
            }
        }
        // a class that saw nothing in an epoch: N̂ = 1, moments kept, not sampled
        SfaClassState s = run.states[0];
        double[] mu = s.moments.mean.clone();
        SfaStreamingScorer.RollSummary empty = run.scorer.roll(s, 6).orElseThrow();
        assertThat(empty.arrivals()).isZero();
        assertThat(empty.balancedCount()).isEqualTo(1);
        assertThat(s.moments.mean).containsExactly(mu);
        assertThat(s.sampled).isFalse();
        assertThat(s.centroid).containsExactly(mu);
        assertThat(s.selection.tiny).isTrue();
    }

    @Test
    void stateSurvivesACopyMidEpoch() {
        SyntheticLongTail data = small();
        SfaParams p = params(MomentMode.REFERENCE_FAITHFUL); // the mode with draws every epoch
        StreamRun original = new StreamRun(data, p, 0.1);
        for (int epoch = 1; epoch <= 3; epoch++) {
            original.epoch(epoch, true);
        }
        StreamRun.EpochInput in4 = original.input(4);
        int half = data.size() / 2;
        original.verdicts = new SfaVerdict[data.size()];
        original.arrivals(4, in4, 0, half);

        // "checkpoint": a deep copy of the plain-data state, as Flink would snapshot and restore it
        StreamRun restored = new StreamRun(data, p, 0.1);
        restored.states = original.copyStates();
        restored.verdicts = original.verdicts.clone();
        assertThat(json(restored.states)).isEqualTo(json(original.states));

        original.arrivals(4, in4, half, data.size());
        restored.arrivals(4, in4, half, data.size());
        original.boundary(4);
        restored.boundary(4);
        original.epoch(5, true);
        restored.epoch(5, true);
        for (int i = 0; i < data.size(); i++) {
            assertThat(restored.verdicts[i]).isEqualTo(original.verdicts[i]);
        }
        assertThat(json(restored.states)).isEqualTo(json(original.states));
        assertThat(original.states[0].sampled).isTrue();
    }

    @Test
    void epochRollIsDeterministicAndTimersAgreeWithLazyRolls() {
        SyntheticLongTail data = small();
        SfaParams p = params(MomentMode.REFERENCE_FAITHFUL);
        StreamRun timers = new StreamRun(data, p, 0.1);
        StreamRun again = new StreamRun(data, p, 0.1);
        StreamRun lazy = new StreamRun(data, p, 0.1);
        for (int epoch = 1; epoch <= 5; epoch++) {
            timers.epoch(epoch, true);
            again.epoch(epoch, true);
            lazy.epoch(epoch, false); // rolls happen on the first arrival of the next epoch
            for (int i = 0; i < data.size(); i++) {
                assertThat(again.verdicts[i]).isEqualTo(timers.verdicts[i]);
                assertThat(lazy.verdicts[i]).isEqualTo(timers.verdicts[i]);
            }
            assertThat(json(again.states)).isEqualTo(json(timers.states));
        }
        // a timer firing after a lazy roll does nothing
        lazy.boundary(5);
        SfaClassState before = lazy.states[0].copy();
        assertThat(lazy.scorer.roll(lazy.states[0], 5)).isEmpty();
        assertThat(json(lazy.states[0])).isEqualTo(json(before));
        assertThat(json(lazy.states)).isEqualTo(json(timers.states));
    }

    @Test
    void streamingConvergesToTheBatchSelection() {
        SyntheticLongTail data =
                SyntheticLongTail.generate(SyntheticLongTail.CIFAR10_RHO_001, 64, 2.5, 0.5, 42);
        double[] stream = new double[2];
        double[] batch = new double[2];
        MomentMode[] modes = {MomentMode.INTENDED_EMA, MomentMode.REFERENCE_FAITHFUL};
        for (int m = 0; m < 2; m++) {
            SfaParams p = params(modes[m]);
            StreamRun run = new StreamRun(data, p, 0.1);
            SfaBatchSelection sel = new SfaBatchSelection(p);
            SfaBatchSelection.Result r = null;
            for (int epoch = 1; epoch <= 7; epoch++) {
                run.epoch(epoch, true);
                if (epoch >= p.firstSelectionEpoch()) {
                    StreamRun.EpochInput in = run.input(epoch);
                    r = sel.select(in.features(), data.labels, in.confidences(), epoch);
                }
            }
            double[] sp = new double[data.size()];
            for (int i = 0; i < sp.length; i++) {
                sp[i] = 1 - run.verdicts[i].cleanProbability();
            }
            double[] bp = new double[data.size()];
            for (int i = 0; i < bp.length; i++) {
                bp[i] = 1 - r.cleanProbability()[i];
            }
            stream[m] = DetectionMetrics.auroc(sp, data.noisy);
            batch[m] = DetectionMetrics.auroc(bp, data.noisy);
        }
        System.out.printf(
                Locale.ROOT,
                "streaming vs batch AUROC at epoch 7: intended-ema %.4f vs %.4f;"
                        + " reference-faithful %.4f vs %.4f%n",
                stream[0],
                batch[0],
                stream[1],
                batch[1]);
        assertThat(stream[0]).isGreaterThan(0.95);
        assertThat(Math.abs(stream[0] - batch[0])).isLessThan(0.02);
        // reference-faithful scores head classes against a random direction around c every epoch:
        // both faces
        // fall far below intended-ema (how far varies with the draw, so only the gap is asserted)
        assertThat(stream[1]).isLessThan(stream[0] - 0.1);
        assertThat(batch[1]).isLessThan(batch[0] - 0.1);
    }

    @Test
    void pooledFallbackJudgesTinyClassesWhenTheCallerSuppliesIt() {
        SyntheticLongTail data = small();
        StreamRun run =
                new StreamRun(
                        data,
                        SfaParams.builder(10)
                                .warmUpEpochs(2)
                                .tinyClassFallback(TinyClassFallback.POOLED)
                                .build(),
                        0.1);
        for (int epoch = 1; epoch <= 4; epoch++) {
            run.epoch(epoch, true);
        }
        assertThat(run.pooled).isNotNull();
        assertThat(run.pooled.fittedOn).isEqualTo(data.size());
        for (int i = 0; i < data.size(); i++) {
            if (run.states[data.labels[i]].selection.tiny) {
                assertThat(run.verdicts[i].basis()).isEqualTo(SelectionBasis.POOLED_GMM);
            }
        }
    }

    @Test
    void lateSamplesJoinTheCurrentEpochAndGapsRollOnce() {
        SfaStreamingScorer scorer =
                new SfaStreamingScorer(SfaParams.builder(2).warmUpEpochs(0).build());
        SfaClassState s = scorer.newState(1, 0);
        float[] f = {1, 0, 0};
        for (int t = 0; t < 5; t++) {
            scorer.observe(s, f, null, 1.0, 1.5);
        }
        assertThat(s.epoch).isEqualTo(1);
        scorer.observe(s, f, null, 1.0, 4.2); // epochs 2 and 3 had no samples
        assertThat(s.epoch).isEqualTo(4);
        assertThat(s.centroid).containsExactly(1, 0, 0);
        assertThat(s.balancedCount).isEqualTo(1);
        scorer.observe(s, f, null, 1.0, 2.0); // late
        assertThat(s.epoch).isEqualTo(4);
        assertThat(s.arrivals).isEqualTo(2);
    }

    @Test
    void rejectsBadInput() {
        SfaStreamingScorer scorer = new SfaStreamingScorer(SfaParams.defaults(3));
        SfaClassState s = scorer.newState(0, 0);
        assertThatThrownBy(() -> scorer.observe(s, new float[] {0, Float.NaN}, null, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 1")
                .hasMessageContaining("NaN");
        scorer.observe(s, new float[] {1, 2}, null, 1, 1);
        assertThatThrownBy(() -> scorer.observe(s, new float[] {1, 2, 3}, null, 1, 1))
                .hasMessageContaining("dimension 3")
                .hasMessageContaining("class 0");
        assertThatThrownBy(() -> scorer.observe(s, new float[] {1, 2}, new float[3], 1, 1))
                .hasMessageContaining("centring mean");
        assertThatThrownBy(() -> scorer.observe(s, new float[] {1, 2}, null, Double.NaN, 1))
                .hasMessageContaining("confidence");
        assertThatThrownBy(() -> scorer.observe(s, new float[] {1, 2}, null, 1, 0.5))
                .hasMessageContaining("1-based");
        assertThatThrownBy(() -> scorer.newState(3, 0)).hasMessageContaining("class 3");
    }

    @Test
    void reservoirIsBoundedUniformAndReproducible() {
        ScoreReservoir a = new ScoreReservoir();
        ScoreReservoir b = new ScoreReservoir();
        a.reset(99);
        b.reset(99);
        for (int i = 0; i < 20000; i++) {
            a.offer(i, 256);
            b.offer(i, 256);
        }
        assertThat(a.size).isEqualTo(256);
        assertThat(a.values.length).isEqualTo(256);
        assertThat(a.seen).isEqualTo(20000);
        assertThat(b.toArray()).containsExactly(a.toArray());
        double mean = 0;
        for (float v : a.toArray()) {
            mean += v / 256;
        }
        assertThat(mean)
                .isBetween(8000.0, 12000.0); // uniform over 0..19999: 10000 ± 3 standard errors
        ScoreReservoir small = new ScoreReservoir();
        small.reset(1);
        for (int i = 0; i < 5; i++) {
            small.offer(i, 4096);
        }
        assertThat(small.values.length).isEqualTo(16); // grows with the class, not to the cap
    }
}
