package io.sfastream.eval;

import java.util.Arrays;

/**
 * Noise-detection metrics: how well a score separates mislabelled (positive) from clean samples.
 */
public final class DetectionMetrics {
    private DetectionMetrics() {}

    /**
     * Area under the ROC curve of {@code scores} for {@code positive}: the probability that a
     * random positive scores above a random negative, ties counting half (Mann–Whitney U with
     * mid-ranks). NaN when either class is empty.
     */
    public static double auroc(double[] scores, boolean[] positive) {
        requireSameLength(scores, positive);
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPositive = 0;
        long nPos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1; // 1-based mid-rank of the tie group
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSumPositive += midRank;
                    nPos++;
                }
            }
            i = j + 1;
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) {
            return Double.NaN;
        }
        return (rankSumPositive - nPos * (nPos + 1) / 2.0) / ((double) nPos * nNeg);
    }

    /**
     * Average precision of {@code scores} for {@code positive}, as scikit-learn's {@code
     * average_precision_score}: Σ (R_n − R_{n−1}) · P_n over the distinct score thresholds taken
     * from high to low (no interpolation). NaN without a positive.
     */
    public static double averagePrecision(double[] scores, boolean[] positive) {
        Curve c = precisionRecallCurve(scores, positive);
        if (c.positives() == 0) {
            return Double.NaN;
        }
        double ap = 0;
        double previousRecall = 0;
        for (int i = 0; i < c.thresholds().length; i++) {
            ap += (c.recall()[i] - previousRecall) * c.precision()[i];
            previousRecall = c.recall()[i];
        }
        return ap;
    }

    /**
     * The precision–recall curve: one point per distinct score, from the highest threshold (fewest
     * flagged) to the lowest (everything flagged); a sample is flagged when its score is at least
     * the threshold.
     */
    public record Curve(double[] thresholds, double[] precision, double[] recall, long positives) {}

    public static Curve precisionRecallCurve(double[] scores, boolean[] positive) {
        requireSameLength(scores, positive);
        int n = scores.length;
        Integer[] order = new Integer[n];
        long nPos = 0;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            nPos += positive[i] ? 1 : 0;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        double[] t = new double[n];
        double[] p = new double[n];
        double[] r = new double[n];
        int points = 0;
        long tp = 0;
        for (int i = 0; i < n; i++) {
            tp += positive[order[i]] ? 1 : 0;
            boolean lastOfTie = i + 1 == n || scores[order[i + 1]] != scores[order[i]];
            if (lastOfTie) {
                t[points] = scores[order[i]];
                p[points] = (double) tp / (i + 1);
                r[points] = nPos == 0 ? Double.NaN : (double) tp / nPos;
                points++;
            }
        }
        return new Curve(
                Arrays.copyOf(t, points), Arrays.copyOf(p, points), Arrays.copyOf(r, points), nPos);
    }

    /** Precision and recall of a selection against the truth. NaN where the denominator is zero. */
    public record PrecisionRecall(
            double precision, double recall, long selected, long relevant, long hits) {

        /** The harmonic mean of precision and recall; NaN when either is NaN, 0 when both are. */
        public double f1() {
            if (Double.isNaN(precision) || Double.isNaN(recall)) {
                return Double.NaN;
            }
            return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
    }

    public static PrecisionRecall precisionRecall(boolean[] selected, boolean[] relevant) {
        if (selected.length != relevant.length) {
            throw new IllegalArgumentException(
                    "lengths differ: " + selected.length + " vs " + relevant.length);
        }
        long s = 0;
        long r = 0;
        long hits = 0;
        for (int i = 0; i < selected.length; i++) {
            s += selected[i] ? 1 : 0;
            r += relevant[i] ? 1 : 0;
            hits += selected[i] && relevant[i] ? 1 : 0;
        }
        return new PrecisionRecall(
                s == 0 ? Double.NaN : (double) hits / s,
                r == 0 ? Double.NaN : (double) hits / r,
                s,
                r,
                hits);
    }

    private static void requireSameLength(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(
                    "scores and labels differ in length: "
                            + scores.length
                            + " vs "
                            + positive.length);
        }
    }
}
