package io.sfastream.sfa.baseline;

/**
 * Confident learning (Northcutt et al., JAIR 2021), as cleanlab's {@code find_label_issues} with
 * {@code filter_by="confident_learning"}: per class j, the self-confidence threshold t_j is the
 * mean predicted probability of j over the samples labelled j; a sample's guessed true label is the
 * most probable class among those whose probability reaches their threshold (minus cleanlab's
 * 1e-6), and the sample is a label issue when that guess differs from its given label. A sample
 * with no class over its threshold stays out of the confident joint and is not flagged. The ranking
 * score is cleanlab's default label quality, the self-confidence p(given label).
 */
public final class ConfidentLearning {
    /** cleanlab's slack on the thresholds, so a class's own mean counts as reaching it. */
    static final double THRESHOLD_SLACK = 1e-6;

    private ConfidentLearning() {}

    /**
     * @param thresholds t_j per class (NaN for a class no sample is labelled with: never confident)
     * @param guessedLabel the confident true-label guess per sample, -1 when no class was confident
     * @param issue whether the sample is flagged as a label issue
     * @param selfConfidence p(given label) per sample: lower is more suspicious
     */
    public record Result(
            double[] thresholds, int[] guessedLabel, boolean[] issue, double[] selfConfidence) {

        /** 1 − self-confidence: a noise score, higher is more likely mislabelled. */
        public double[] noiseScore() {
            double[] s = new double[selfConfidence.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = 1 - selfConfidence[i];
            }
            return s;
        }
    }

    /**
     * @param probabilities per sample, the predicted class probabilities (each row sums to 1)
     * @param labels the given labels
     */
    public static Result find(float[][] probabilities, int[] labels) {
        int n = labels.length;
        if (probabilities.length != n) {
            throw new IllegalArgumentException(
                    "probabilities and labels differ in length: "
                            + probabilities.length
                            + " vs "
                            + n);
        }
        if (n == 0) {
            return new Result(new double[0], new int[0], new boolean[0], new double[0]);
        }
        int classes = probabilities[0].length;
        double[] sum = new double[classes];
        long[] count = new long[classes];
        for (int i = 0; i < n; i++) {
            if (probabilities[i].length != classes) {
                throw new IllegalArgumentException(
                        "sample "
                                + i
                                + " has "
                                + probabilities[i].length
                                + " probabilities, expected "
                                + classes);
            }
            int y = labels[i];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException(
                        "label " + y + " of sample " + i + " is outside 0.." + (classes - 1));
            }
            sum[y] += probabilities[i][y];
            count[y]++;
        }
        double[] thresholds = new double[classes];
        for (int j = 0; j < classes; j++) {
            thresholds[j] = count[j] == 0 ? Double.NaN : sum[j] / count[j];
        }
        int[] guess = new int[n];
        boolean[] issue = new boolean[n];
        double[] self = new double[n];
        for (int i = 0; i < n; i++) {
            int best = -1;
            for (int j = 0; j < classes; j++) {
                boolean confident =
                        !Double.isNaN(thresholds[j])
                                && probabilities[i][j] >= thresholds[j] - THRESHOLD_SLACK;
                if (confident && (best < 0 || probabilities[i][j] > probabilities[i][best])) {
                    best = j;
                }
            }
            guess[i] = best;
            issue[i] = best >= 0 && best != labels[i];
            self[i] = probabilities[i][labels[i]];
        }
        return new Result(thresholds, guess, issue, self);
    }
}
