package io.sfastream.sfa;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.eval.DetectionMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Selection on synthetic long-tailed clusters (§6.7): CIFAR-10 ρ = 0.01 counts, d = 64, imb noise r
 * = 0.5. Five selection epochs (31–35) of the batch face in each moment mode, on features that
 * drift a little from epoch to epoch. Measured and asserted: the clean probability detects noise
 * far better than chance in intended-ema, and reference-faithful loses only on the sampled (head)
 * classes.
 */
class SyntheticSelectionTest {
    /**
     * Noise norm relative to the unit class direction: hard enough that the modes differ
     * measurably.
     */
    static final double SPREAD = 2.5;

    static final double DRIFT = 0.1;
    static SyntheticLongTail data;
    static Measured intended;
    static Measured faithful;
    static double withoutConfidence;

    record Measured(
            double auroc,
            double headAuroc,
            double tailAuroc,
            boolean[] sampled,
            double[] classAuroc,
            SfaBatchSelection.Result last) {}

    @BeforeAll
    static void run() {
        data = SyntheticLongTail.generate(SyntheticLongTail.CIFAR10_RHO_001, 64, SPREAD, 0.5, 42);
        intended = measure(MomentMode.INTENDED_EMA);
        faithful = measure(MomentMode.REFERENCE_FAITHFUL);
        // score-features without a confidence column: every sample confident, the instant centroid
        // of epoch 31
        withoutConfidence =
                auroc(
                        new SfaBatchSelection(SfaParams.defaults(10))
                                .select(data.features(31, DRIFT), data.labels, null, 31),
                        -1,
                        -1);
        System.out.printf(
                Locale.ROOT,
                "synthetic selection, AUROC at epoch 35: intended-ema %.4f (head %.4f, rest %.4f);"
                        + " reference-faithful %.4f (head %.4f, rest %.4f)%n",
                intended.auroc,
                intended.headAuroc,
                intended.tailAuroc,
                faithful.auroc,
                faithful.headAuroc,
                faithful.tailAuroc);
        System.out.printf(
                Locale.ROOT,
                "  per class intended %s%n  per class faithful %s%n  sampled %s%n",
                fmt(intended.classAuroc),
                fmt(faithful.classAuroc),
                java.util.Arrays.toString(intended.sampled));
        System.out.printf(
                Locale.ROOT, "  no confidences, epoch 31 only: AUROC %.4f%n", withoutConfidence);
    }

    static Measured measure(MomentMode mode) {
        SfaBatchSelection sel =
                new SfaBatchSelection(SfaParams.builder(10).momentMode(mode).build());
        SfaBatchSelection.Result r = null;
        for (int epoch = 31; epoch <= 35; epoch++) {
            float[][] f = data.features(epoch, DRIFT);
            r = sel.select(f, data.labels, data.confidences(f, 5.0, 1.5, epoch), epoch);
        }
        boolean[] sampled = new boolean[10];
        double[] perClass = new double[10];
        List<Integer> head = new ArrayList<>();
        List<Integer> rest = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            sampled[k] = r.classes()[k].sampled();
            perClass[k] = auroc(r, k, k);
        }
        for (int i = 0; i < data.size(); i++) {
            (sampled[data.labels[i]] ? head : rest).add(i);
        }
        return new Measured(auroc(r, -1, -1), auroc(r, head), auroc(r, rest), sampled, perClass, r);
    }

    /**
     * AUROC of the noise probability 1 − p against the truth, over classes [from, to] (−1: all).
     */
    static double auroc(SfaBatchSelection.Result r, int from, int to) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            if (from < 0 || (data.labels[i] >= from && data.labels[i] <= to)) {
                idx.add(i);
            }
        }
        return auroc(r, idx);
    }

    static double auroc(SfaBatchSelection.Result r, List<Integer> idx) {
        double[] s = new double[idx.size()];
        boolean[] pos = new boolean[idx.size()];
        for (int t = 0; t < s.length; t++) {
            s[t] = 1 - r.cleanProbability()[idx.get(t)];
            pos[t] = data.noisy[idx.get(t)];
        }
        return DetectionMetrics.auroc(s, pos);
    }

    static String fmt(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (double x : v) {
            b.append(String.format(Locale.ROOT, "%.3f ", x));
        }
        return b.append(']').toString();
    }

    @Test
    void intendedEmaDetectsNoiseWellAboveChance() {
        assertThat(intended.auroc).isGreaterThan(0.97);
        for (int k = 0; k < 10; k++) {
            assertThat(intended.classAuroc[k]).as("class %d", k).isGreaterThan(0.95);
        }
    }

    @Test
    void headClassesAreSampledTailClassesAreNot() {
        // the 300 rule on confident counts: the first classes are sampled, the tail is not
        assertThat(intended.sampled[0]).isTrue();
        assertThat(intended.sampled[9]).isFalse();
        assertThat(faithful.sampled).containsExactly(intended.sampled);
    }

    @Test
    void referenceFaithfulDegradesOnlyTheSampledClasses() {
        assertThat(faithful.headAuroc).isLessThan(intended.headAuroc - 0.1);
        for (int k = 0; k < 10; k++) {
            if (intended.sampled[k]) {
                assertThat(faithful.classAuroc[k])
                        .as("class %d", k)
                        .isLessThan(intended.classAuroc[k] - 0.05);
            }
        }
        assertThat(Math.abs(faithful.tailAuroc - intended.tailAuroc)).isLessThan(0.01);
        for (int k = 0; k < 10; k++) {
            if (!intended.sampled[k]) {
                assertThat(Math.abs(faithful.classAuroc[k] - intended.classAuroc[k]))
                        .as("class %d", k)
                        .isLessThan(0.02);
            }
        }
    }

    @Test
    void selectionKeepsMostCleanAndDropsMostNoisySamples() {
        boolean[] clean = intended.last.clean();
        boolean[] truth = new boolean[clean.length];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = !data.noisy[i];
        }
        DetectionMetrics.PrecisionRecall pr = DetectionMetrics.precisionRecall(clean, truth);
        System.out.printf(
                Locale.ROOT,
                "  intended-ema precision %.4f recall %.4f of the clean selection%n",
                pr.precision(),
                pr.recall());
        assertThat(pr.precision()).isGreaterThan(0.93);
        assertThat(pr.recall()).isGreaterThan(0.93);
    }

    @Test
    void withoutConfidencesTheInstantCentroidStillSeparates() {
        assertThat(withoutConfidence).isGreaterThan(0.95);
    }
}
