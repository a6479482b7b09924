package io.sfastream.pipeline.eval;

import io.sfastream.schemas.NoiseScore;
import io.sfastream.schemas.Phase;
import java.util.List;

/**
 * One committed {@link NoiseScore}, flattened to what an evaluation needs.
 *
 * @param trueLabel -1 when unknown
 * @param judged past warm-up (phase SCORING): the rule's verdict, not a pass-through
 * @param predictedLabel the ensemble's suggestion, -1 when none
 * @param probabilities the ensemble's class probabilities, empty when none (features in)
 */
public record ScoreRow(
        String id,
        int label,
        int trueLabel,
        int epoch,
        boolean judged,
        double noiseProbability,
        boolean clean,
        int predictedLabel,
        double predictedConfidence,
        long modelVersion,
        String scorer,
        float[] probabilities) {

    public static ScoreRow of(NoiseScore s) {
        List<Float> p = s.getClassProbabilities();
        float[] probabilities = new float[p.size()];
        for (int i = 0; i < probabilities.length; i++) {
            probabilities[i] = p.get(i);
        }
        return new ScoreRow(
                s.getId(),
                s.getLabel(),
                s.getTrueLabel() == null ? -1 : s.getTrueLabel(),
                s.getEpoch(),
                s.getPhase() == Phase.SCORING,
                s.getNoiseProbability(),
                s.getClean(),
                s.getPredictedLabel() == null ? -1 : s.getPredictedLabel(),
                s.getPredictedConfidence() == null ? Double.NaN : s.getPredictedConfidence(),
                s.getModelVersion(),
                s.getScorer(),
                probabilities);
    }

    public boolean hasTruth() {
        return trueLabel >= 0;
    }

    /** The truth: the given label differs from the true one. */
    public boolean mislabelled() {
        return hasTruth() && trueLabel != label;
    }

    public boolean hasProbabilities() {
        return probabilities.length > 0;
    }
}
