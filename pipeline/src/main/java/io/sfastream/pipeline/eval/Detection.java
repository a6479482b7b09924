package io.sfastream.pipeline.eval;

import io.sfastream.eval.DetectionMetrics;
import java.util.List;

/**
 * How well a set of verdicts finds the mislabelled samples among those with a known truth: AUROC
 * and average precision of the noise score, precision / recall / F1 of the flag (positive =
 * mislabelled).
 */
public record Detection(
        int samples,
        int mislabelled,
        int flagged,
        double auroc,
        double averagePrecision,
        DetectionMetrics.PrecisionRecall flag) {

    public static Detection of(List<Verdict> verdicts) {
        List<Verdict> known = verdicts.stream().filter(v -> v.row().hasTruth()).toList();
        int n = known.size();
        double[] score = new double[n];
        boolean[] noisy = new boolean[n];
        boolean[] flagged = new boolean[n];
        int nNoisy = 0;
        int nFlagged = 0;
        for (int i = 0; i < n; i++) {
            Verdict v = known.get(i);
            score[i] = v.noiseScore();
            noisy[i] = v.row().mislabelled();
            flagged[i] = v.flagged();
            nNoisy += noisy[i] ? 1 : 0;
            nFlagged += flagged[i] ? 1 : 0;
        }
        boolean bothKinds = nNoisy > 0 && nNoisy < n;
        return new Detection(
                n,
                nNoisy,
                nFlagged,
                bothKinds ? DetectionMetrics.auroc(score, noisy) : Double.NaN,
                nNoisy > 0 ? DetectionMetrics.averagePrecision(score, noisy) : Double.NaN,
                DetectionMetrics.precisionRecall(flagged, noisy));
    }

    /** The share of the samples flagged. */
    public double flaggedRate() {
        return samples == 0 ? Double.NaN : (double) flagged / samples;
    }

    /** The true noise rate of the samples. */
    public double noiseRate() {
        return samples == 0 ? Double.NaN : (double) mislabelled / samples;
    }
}
