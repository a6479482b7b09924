package io.sfastream.sfa.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sfastream.eval.DetectionMetrics;
import io.sfastream.sfa.Vectors;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CentroidDistanceBaselineTest {

    private static float[] around(int axis, int dim, double spread, Random r) {
        float[] f = new float[dim];
        for (int i = 0; i < dim; i++) {
            f[i] = (float) (r.nextGaussian() * spread);
        }
        f[axis] += 1f;
        return Vectors.centreAndNormalise(f, null);
    }

    @Test
    void outliersOfAClassGetHighNoiseProbability() {
        Random r = new Random(1);
        CentroidDistanceBaseline rule = new CentroidDistanceBaseline(0.99, 20, 0.8413);
        BaselineClassState state = new BaselineClassState();
        int n = 2000;
        double[] p = new double[n];
        boolean[] noisy = new boolean[n];
        for (int i = 0; i < n; i++) {
            noisy[i] =
                    i > 50
                            && r.nextDouble()
                                    < 0.2; // 20% of the class really belongs to another cluster
            var v = rule.scoreAndUpdate(state, around(noisy[i] ? 1 : 0, 16, 0.15, r));
            p[i] = v.noiseProbability();
            assertThat(v.warmup()).isEqualTo(i < 20);
        }
        assertThat(state.count).isEqualTo(n);
        double auroc =
                DetectionMetrics.auroc(
                        java.util.Arrays.copyOfRange(p, 20, n),
                        java.util.Arrays.copyOfRange(noisy, 20, n));
        assertThat(auroc).isGreaterThan(0.95);
    }

    @Test
    void firstSampleSeedsTheCentroidAndScoresUseThePastOnly() {
        CentroidDistanceBaseline rule = new CentroidDistanceBaseline(0.99, 2, 0.5);
        BaselineClassState s = new BaselineClassState();
        float[] a = {1, 0};
        float[] b = {0, 1};
        var first = rule.scoreAndUpdate(s, a);
        assertThat(first.warmup()).isTrue();
        assertThat(s.centroid).containsExactly(1f, 0f);
        var second = rule.scoreAndUpdate(s, b);
        assertThat(second.distance())
                .isCloseTo(Math.sqrt(2), within(1e-9)); // against {1,0}, not itself
        // running mean of the first two: (a+b)/2
        assertThat(s.centroid[0]).isCloseTo(0.5f, within(1e-7f));
        assertThat(s.centroid[1]).isCloseTo(0.5f, within(1e-7f));
    }

    @Test
    void normalCdfMatchesKnownValues() {
        assertThat(CentroidDistanceBaseline.normalCdf(0)).isCloseTo(0.5, within(1e-7));
        assertThat(CentroidDistanceBaseline.normalCdf(1)).isCloseTo(0.8413447, within(2e-7));
        assertThat(CentroidDistanceBaseline.normalCdf(-1.96)).isCloseTo(0.0249979, within(2e-7));
    }

    @Test
    void rejectsNonFiniteFeaturesAndBadParameters() {
        CentroidDistanceBaseline rule = new CentroidDistanceBaseline(0.99, 5, 0.8);
        assertThatThrownBy(
                        () ->
                                rule.scoreAndUpdate(
                                        new BaselineClassState(), new float[] {1, Float.NaN}))
                .hasMessageContaining("non-finite")
                .hasMessageContaining("index 1");
        BaselineClassState s = new BaselineClassState();
        rule.scoreAndUpdate(s, new float[] {1, 0});
        assertThatThrownBy(() -> rule.scoreAndUpdate(s, new float[] {1, 0, 0}))
                .hasMessageContaining("dimension 3");
        assertThatThrownBy(() -> new CentroidDistanceBaseline(1.0, 5, 0.8))
                .hasMessageContaining("beta");
    }
}
