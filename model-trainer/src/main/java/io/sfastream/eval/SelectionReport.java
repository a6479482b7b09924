package io.sfastream.eval;

import java.util.EnumMap;
import java.util.Map;

/**
 * How well a clean-sample selection matches the truth, as the reference logs it each epoch: the
 * number selected, the AUROC of the clean probability against the true clean indicator, and
 * precision/recall of the selection (precision = fraction truly clean among selected; recall =
 * fraction of the truly clean that were selected), overall and per shot group.
 */
public record SelectionReport(
        int selected,
        double auroc,
        DetectionMetrics.PrecisionRecall overall,
        Map<ShotGroups.Group, DetectionMetrics.PrecisionRecall> byGroup) {

    /**
     * @param cleanProbability per sample
     * @param selected the selection decision per sample
     * @param trulyClean given label == true label
     * @param labels the given (noisy) labels, which decide the group
     */
    public static SelectionReport of(
            double[] cleanProbability,
            boolean[] selected,
            boolean[] trulyClean,
            int[] labels,
            ShotGroups groups) {
        int n = labels.length;
        if (cleanProbability.length != n || selected.length != n || trulyClean.length != n) {
            throw new IllegalArgumentException("arrays differ in length");
        }
        int count = 0;
        for (boolean s : selected) {
            count += s ? 1 : 0;
        }
        Map<ShotGroups.Group, DetectionMetrics.PrecisionRecall> byGroup =
                new EnumMap<>(ShotGroups.Group.class);
        for (ShotGroups.Group g : ShotGroups.Group.values()) {
            int m = 0;
            for (int label : labels) {
                m += groups.of(label) == g ? 1 : 0;
            }
            boolean[] s = new boolean[m];
            boolean[] t = new boolean[m];
            for (int i = 0, j = 0; i < n; i++) {
                if (groups.of(labels[i]) == g) {
                    s[j] = selected[i];
                    t[j++] = trulyClean[i];
                }
            }
            byGroup.put(g, DetectionMetrics.precisionRecall(s, t));
        }
        return new SelectionReport(
                count,
                DetectionMetrics.auroc(cleanProbability, trulyClean),
                DetectionMetrics.precisionRecall(selected, trulyClean),
                byGroup);
    }
}
