package io.sfastream.pipeline.eval;

import io.sfastream.sfa.baseline.ConfidentLearning;
import io.sfastream.sfa.bench.SmallLossSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The rules an evaluation compares, each as verdicts on the same scored samples: the job's own
 * scorer (SFA, or the centroid baseline of another run), and two rules computed here from the class
 * probabilities the scores carry, per virtual epoch (each epoch's scores are one pass over the
 * data, as the batch methods see it):
 *
 * <ul>
 *   <li><b>small loss</b> (DivideMix): the cross-entropy −log p(given label), min–max normalised,
 *       one two-component GMM with DivideMix's settings; clean probability = posterior of the
 *       small-loss component; flagged when it is below DivideMix's p_threshold 0.5.
 *   <li><b>confident learning</b> (cleanlab's {@code find_label_issues}, {@code
 *       filter_by="confident_learning"}): per-class self-confidence thresholds; ranked by 1 −
 *       p(given label).
 * </ul>
 *
 * The probabilities are the streamed model's, on samples it may have trained on (in-sample);
 * cleanlab recommends out-of-sample probabilities, which a stream does not have.
 */
public final class DetectionRules {
    public static final String SMALL_LOSS = "small-loss (DivideMix)";
    public static final String CONFIDENT_LEARNING = "confident learning";

    /** DivideMix's p_threshold. */
    static final double SMALL_LOSS_THRESHOLD = 0.5;

    private DetectionRules() {}

    /** The verdicts of a job's scorer: its judged scores (warm-up passes are no verdict). */
    public static List<Verdict> ofScorer(List<ScoreRow> rows) {
        List<Verdict> out = new ArrayList<>();
        for (ScoreRow r : rows) {
            if (r.judged()) {
                out.add(new Verdict(r, r.noiseProbability(), !r.clean()));
            }
        }
        return out;
    }

    public static List<Verdict> smallLoss(List<ScoreRow> rows) {
        List<Verdict> out = new ArrayList<>();
        for (List<ScoreRow> epoch : byEpochWithProbabilities(rows).values()) {
            if (epoch.size() < 2) {
                continue;
            }
            double[] loss = new double[epoch.size()];
            for (int i = 0; i < loss.length; i++) {
                ScoreRow r = epoch.get(i);
                loss[i] = -Math.log(Math.max(r.probabilities()[r.label()], 1e-12));
            }
            double[] clean = SmallLossSelection.cleanProbability(loss);
            for (int i = 0; i < clean.length; i++) {
                out.add(new Verdict(epoch.get(i), 1 - clean[i], clean[i] < SMALL_LOSS_THRESHOLD));
            }
        }
        return out;
    }

    public static List<Verdict> confidentLearning(List<ScoreRow> rows) {
        List<Verdict> out = new ArrayList<>();
        for (List<ScoreRow> epoch : byEpochWithProbabilities(rows).values()) {
            float[][] p = new float[epoch.size()][];
            int[] labels = new int[epoch.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = epoch.get(i).probabilities();
                labels[i] = epoch.get(i).label();
            }
            ConfidentLearning.Result r = ConfidentLearning.find(p, labels);
            double[] score = r.noiseScore();
            for (int i = 0; i < p.length; i++) {
                out.add(new Verdict(epoch.get(i), score[i], r.issue()[i]));
            }
        }
        return out;
    }

    private static Map<Integer, List<ScoreRow>> byEpochWithProbabilities(List<ScoreRow> rows) {
        return rows.stream()
                .filter(ScoreRow::hasProbabilities)
                .collect(Collectors.groupingBy(ScoreRow::epoch, TreeMap::new, Collectors.toList()));
    }
}
