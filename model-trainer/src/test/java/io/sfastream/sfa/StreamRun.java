package io.sfastream.sfa;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Drives the streaming face over a {@link SyntheticLongTail}, one virtual epoch per pass, for
 * tests.
 */
final class StreamRun {
    final SyntheticLongTail data;
    final SfaStreamingScorer scorer;
    SfaClassState[] states;

    /** Verdicts of the last epoch run, by sample index. */
    SfaVerdict[] verdicts;

    /** Roll summaries of the last boundary, by class (null where the class did not roll). */
    SfaStreamingScorer.RollSummary[] rolls;

    /** The pooled fit of the last boundary (when the fallback is POOLED). */
    ClassSelectionModel pooled;

    final double drift;

    StreamRun(SyntheticLongTail data, SfaParams params, double drift) {
        this.data = data;
        this.scorer = new SfaStreamingScorer(params);
        this.drift = drift;
        this.states = new SfaClassState[data.numClasses];
        for (int k = 0; k < states.length; k++) {
            states[k] = scorer.newState(k, 0);
        }
    }

    /** A shuffled arrival order for an epoch, reproducible. */
    int[] order(int epoch) {
        int n = data.size();
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        Random r = new Random(1000 + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    /** Inputs of one epoch: features, confidences and centring mean. */
    record EpochInput(float[][] features, double[] confidences, float[] mean, int[] order) {}

    EpochInput input(int epoch) {
        float[][] f = data.features(epoch, drift);
        return new EpochInput(
                f, data.confidences(f, 5.0, 1.5, epoch), SyntheticLongTail.mean(f), order(epoch));
    }

    /** Arrivals [from, to) of one epoch's order. */
    void arrivals(int epoch, EpochInput in, int from, int to) {
        if (verdicts == null) {
            verdicts = new SfaVerdict[data.size()];
        }
        for (int t = from; t < to; t++) {
            int i = in.order()[t];
            int k = data.labels[i];
            // the sample's position in the epoch as a fractional epoch; the threshold uses the
            // epoch itself
            verdicts[i] =
                    scorer.observe(
                            states[k],
                            in.features()[i],
                            in.mean(),
                            in.confidences()[i],
                            epoch,
                            pooled);
        }
    }

    /** The boundary at the end of {@code epoch} for every class (the operator's timers). */
    void boundary(int epoch) {
        rolls = new SfaStreamingScorer.RollSummary[states.length];
        List<float[]> parts = new ArrayList<>();
        for (int k = 0; k < states.length; k++) {
            rolls[k] = scorer.roll(states[k], epoch).orElse(null);
            parts.add(rolls[k] == null ? new float[0] : rolls[k].normalisedScores());
        }
        pooled =
                scorer.params().tinyClassFallback() == TinyClassFallback.POOLED
                        ? scorer.fitPooled(parts)
                        : null;
    }

    /** One whole epoch: every arrival, then (if asked) the boundary. */
    void epoch(int epoch, boolean boundary) {
        EpochInput in = input(epoch);
        verdicts = new SfaVerdict[data.size()];
        arrivals(epoch, in, 0, data.size());
        if (boundary) {
            boundary(epoch);
        }
    }

    SfaClassState[] copyStates() {
        SfaClassState[] c = new SfaClassState[states.length];
        for (int k = 0; k < c.length; k++) {
            c[k] = states[k].copy();
        }
        return c;
    }
}
