package io.sfastream.sfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batch face against the reference's selection as run by {@code make_fixtures.py} (numpy
 * 1.24.2, scikit-learn 1.2.1, torch 1.13 CPU, float32 as in the reference): global mean, instant
 * centroids, the centroid actually scored against (including numpy's ε at epoch 32 as run),
 * normalised own-class logits, GMM parameters, clean probabilities, decisions and N̂. The reference
 * computes its logits in torch float32 and this port in double, so values agree to float32
 * precision, not bit for bit.
 */
class ReferenceSelectionCrossCheckTest {
    private static final JsonNode FIXTURE = SfaFixtures.load("reference_selection.json");

    @ParameterizedTest
    @ValueSource(strings = {"first_epoch", "all_confident", "faithful_epoch_32", "constant_class"})
    void batchSelectionMatchesReference(String name) {
        JsonNode c = FIXTURE.get(name);
        int numClass = c.get("num_class").asInt();
        int epoch = c.get("epoch").asInt();
        SfaParams params =
                SfaParams.builder(numClass)
                        .warmUpEpochs(c.get("warm_up").asInt())
                        .beta(c.get("beta").asDouble())
                        .phi(c.get("phi").asDouble())
                        .momentMode(MomentMode.REFERENCE_FAITHFUL)
                        .minScoresForGmm(2) // the reference fits every class
                        .build();
        SfaBatchSelection selection = new SfaBatchSelection(params);
        if (!c.get("numpy_seed").isNull()) {
            selection.withNumpyNoise(new NumpyLegacyNormal(c.get("numpy_seed").asLong()));
        }
        float[][] features = SfaFixtures.matrix(c.get("features"));
        int[] labels = SfaFixtures.ints(c.get("labels"));
        double[] confidences = SfaFixtures.doubles(c.get("confidences"));

        SfaBatchSelection.Result r = selection.select(features, labels, confidences, epoch);

        float[] featmean = SfaFixtures.floats(c.get("featmean"));
        for (int j = 0; j < featmean.length; j++) {
            // numpy adds float32 rows in float32; this port adds in double, so allow float32
            // accumulation error
            assertThat((double) r.centringMean()[j])
                    .as("mean[%d]", j)
                    .isCloseTo(featmean[j], within(1e-5));
        }
        for (int k = 0; k < numClass; k++) {
            JsonNode cls = c.get("classes").get(k);
            SfaBatchSelection.ClassSummary s = r.classes()[k];
            assertThat(s.confidentCount())
                    .as("confident count of class %d", k)
                    .isEqualTo(cls.get("confident").asLong());
            assertThat(s.sampled())
                    .as("sampled flag of class %d", k)
                    .isEqualTo(cls.get("sampled").asBoolean());
            float[] instant = SfaFixtures.floats(cls.get("instant_centroid"));
            float[] used = SfaFixtures.floats(cls.get("scoring_centroid"));
            double usedScale = 0;
            for (float v : used) {
                usedScale = Math.max(usedScale, Math.abs(v));
            }
            for (int j = 0; j < instant.length; j++) {
                assertThat(s.instantCentroid()[j])
                        .as("c[%d][%d]", k, j)
                        .isCloseTo(instant[j], within(1e-6));
                // c agrees to ~1e-6 absolute (float32); the drawn row (0.01 c + 0.0995 |c| ε at
                // epoch 32 as run) inherits it
                assertThat(selection.bank().scoringCentroids[k][j])
                        .as("centroid used, [%d][%d]", k, j)
                        .isCloseTo(used[j], within(2e-5 * usedScale));
            }
            double[] means = SfaFixtures.doubles(cls.get("gmm_means"));
            double[] weights = SfaFixtures.doubles(cls.get("gmm_weights"));
            for (int t = 0; t < 2; t++) {
                assertThat(s.selection().gmmMeans[t])
                        .as("GMM mean %d of class %d", t, k)
                        .isCloseTo(means[t], within(1e-4));
                assertThat(s.selection().gmmWeights[t])
                        .as("GMM weight %d of class %d", t, k)
                        .isCloseTo(weights[t], within(1e-4));
            }
        }
        float[] normalised = SfaFixtures.floats(c.get("normalised"));
        double[] prob = SfaFixtures.doubles(c.get("prob"));
        boolean[] pred = SfaFixtures.booleans(c.get("pred"));
        int nearThreshold = 0;
        for (int i = 0; i < labels.length; i++) {
            // The reference's float32 logit −(‖x̂‖² + ‖c̃‖² − 2x̂·c̃) is about −1 (ulp 6e-8) while
            // at epoch 32 as run its
            // informative part is only ~0.04 wide (c̃ is 100 times smaller), so its own rounding
            // reaches 1e-5 there.
            assertThat((double) r.normalisedScore()[i])
                    .as("normalised score %d", i)
                    .isCloseTo(normalised[i], within(5e-5));
            assertThat(r.cleanProbability()[i])
                    .as("clean probability %d", i)
                    .isCloseTo(prob[i], within(1e-4));
            if (Math.abs(prob[i] - 0.5) > 1e-3) {
                assertThat(r.clean()[i]).as("decision %d", i).isEqualTo(pred[i]);
            } else {
                nearThreshold++;
            }
            assertThat(r.basis()[i]).isEqualTo(SelectionBasis.GMM);
        }
        int[] counts = SfaFixtures.ints(c.get("clean_counts"));
        for (int k = 0; k < numClass; k++) {
            assertThat(r.cleanCounts()[k])
                    .as("N̂ of class %d", k)
                    .isCloseTo(counts[k], within(nearThreshold));
        }
    }
}
