package io.sfastream.pipeline.score;

import io.sfastream.pipeline.decode.DecodedSample;
import io.sfastream.pipeline.embed.EmbeddedSample;
import io.sfastream.pipeline.embed.NetworkView;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.train.stream.TrainingExample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What every scorer puts into a {@link NoiseScore} the same way: identity, times, suggestion. */
final class NoiseScores {
    private NoiseScores() {}

    /** A builder with the sample's identity, times and the ensemble's suggested label filled in. */
    static NoiseScore.Builder base(EmbeddedSample s, long now) {
        NoiseScore.Builder b =
                NoiseScore.newBuilder()
                        .setId(s.id)
                        .setLabel(s.label)
                        .setTrueLabel(
                                s.trueLabel == DecodedSample.NO_TRUE_LABEL ? null : s.trueLabel)
                        .setEventTime(Instant.ofEpochMilli(s.eventTime))
                        .setScoredAt(Instant.ofEpochMilli(now))
                        .setEpoch(s.epoch)
                        .setModelVersion(s.networks[0].modelVersion);
        double[] ensemble = ensembleLogits(s.networks);
        if (ensemble != null) {
            int k = argmax(ensemble);
            double[] p = softmax(ensemble);
            List<Float> probabilities = new ArrayList<>(p.length);
            for (double v : p) {
                probabilities.add((float) v);
            }
            b.setPredictedLabel(k)
                    .setPredictedConfidence(p[k])
                    .setClassProbabilities(probabilities);
        } else {
            b.setClassProbabilities(List.of());
        }
        return b;
    }

    /**
     * The sample as the trainer takes it: its image and, per network, the decision and the clean
     * probability (the SSL step's labelled weight).
     */
    static TrainingExample example(EmbeddedSample s, boolean[] clean, double[] cleanProbability) {
        return new TrainingExample(
                s.id, s.label, s.eventTime, s.epoch, s.pixels, clean, cleanProbability);
    }

    /**
     * The reference's test-time ensemble: the sum of both heads' logits over every network; null
     * when no network gave logits.
     */
    static double[] ensembleLogits(NetworkView[] views) {
        double[] sum = null;
        for (NetworkView v : views) {
            for (float[] z : new float[][] {v.logits, v.balancedLogits}) {
                if (z == null) {
                    continue;
                }
                if (sum == null) {
                    sum = new double[z.length];
                }
                for (int k = 0; k < z.length; k++) {
                    sum[k] += z[k];
                }
            }
        }
        return sum;
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static double[] softmax(double[] logits) {
        double max = logits[argmax(logits)];
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static double softmaxAt(double[] logits, int k) {
        double max = logits[argmax(logits)];
        double sum = 0;
        for (double z : logits) {
            sum += Math.exp(z - max);
        }
        return Math.exp(logits[k] - max) / sum;
    }
}
