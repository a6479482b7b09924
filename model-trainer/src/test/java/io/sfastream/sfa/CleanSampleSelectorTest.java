package io.sfastream.sfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CleanSampleSelectorTest {
    private static final CleanSampleSelector SELECTOR =
            new CleanSampleSelector(SfaParams.defaults(2));

    /** 70 "clean" scores near the centroid, 30 "noisy" ones far from it. */
    private static float[] bimodal(long seed) {
        Random r = new Random(seed);
        float[] s = new float[100];
        for (int i = 0; i < s.length; i++) {
            s[i] =
                    (float)
                            (i < 70
                                    ? 0.6 + 0.05 * r.nextGaussian()
                                    : -0.2 + 0.05 * r.nextGaussian());
        }
        return s;
    }

    @Test
    void fitIsMinMaxThenSklearnGmmOnFloat32() {
        float[] raw = bimodal(1);
        ClassSelectionModel m = SELECTOR.fit(raw);
        GaussianMixture1D.Fit direct =
                GaussianMixture1D.fit(GaussianMixture1D.minMaxNormalize(raw));
        assertThat(m.gmmMeans).containsExactly(direct.means());
        assertThat(m.gmmWeights).containsExactly(direct.weights());
        double[] expected = direct.posteriorOfHigherMean(GaussianMixture1D.minMaxNormalize(raw));
        CleanSampleSelector.Judgement[] js = SELECTOR.judgeAll(m, null, raw);
        for (int i = 0; i < raw.length; i++) {
            assertThat(js[i].cleanProbability()).isEqualTo(expected[i]);
            assertThat(js[i].clean()).isEqualTo(i < 70);
            assertThat(js[i].basis()).isEqualTo(SelectionBasis.GMM);
            // one-at-a-time judging (the streaming path) gives the same values
            assertThat(SELECTOR.judge(m, null, raw[i]).cleanProbability()).isEqualTo(expected[i]);
        }
    }

    @Test
    void constantScoresDivideByNothingAndCountAsClean() {
        float[] raw = new float[30];
        java.util.Arrays.fill(raw, -0.37f);
        ClassSelectionModel m = SELECTOR.fit(raw);
        assertThat(m.scoreRange).isZero();
        for (CleanSampleSelector.Judgement j : SELECTOR.judgeAll(m, null, raw)) {
            assertThat(j.normalisedScore()).isZero();
            assertThat(j.cleanProbability()).isNotNaN().isCloseTo(1.0, within(1e-9));
            assertThat(j.clean()).isTrue();
        }
        // a later arrival above the constant is clipped into [0, 1] and still finite
        assertThat(SELECTOR.judge(m, null, 5.0).cleanProbability()).isNotNaN();
    }

    @Test
    void tinyClassesFallBack() {
        float[] raw = {0.1f, 0.5f, 0.9f};
        ClassSelectionModel m = SELECTOR.fit(raw);
        assertThat(m.tiny).isTrue();
        assertThat(m.hasGmm()).isFalse();
        assertThat(m.scoreMin).isEqualTo(0.1f);
        for (CleanSampleSelector.Judgement j : SELECTOR.judgeAll(m, null, raw)) {
            assertThat(j.basis()).isEqualTo(SelectionBasis.TINY_CLASS_CLEAN);
            assertThat(j.cleanProbability()).isEqualTo(1.0);
        }
        assertThat(SELECTOR.fit(new float[0]).tiny).isTrue();
    }

    @Test
    void pooledFallbackJudgesTinyClassesByTheirNormalisedScore() {
        CleanSampleSelector pooledSelector =
                new CleanSampleSelector(
                        SfaParams.builder(2).tinyClassFallback(TinyClassFallback.POOLED).build());
        float[] big = GaussianMixture1D.minMaxNormalize(bimodal(2));
        ClassSelectionModel pooled = pooledSelector.fitPooled(List.of(big));
        ClassSelectionModel tiny = pooledSelector.fit(new float[] {-1f, 0f, 1f});
        assertThat(tiny.tiny).isTrue();
        CleanSampleSelector.Judgement top = pooledSelector.judge(tiny, pooled, 1.0);
        CleanSampleSelector.Judgement bottom = pooledSelector.judge(tiny, pooled, -1.0);
        assertThat(top.basis()).isEqualTo(SelectionBasis.POOLED_GMM);
        assertThat(top.normalisedScore()).isEqualTo(1f);
        assertThat(top.clean()).isTrue();
        assertThat(bottom.clean()).isFalse();
        // without a pooled fit: treated as clean
        assertThat(pooledSelector.judge(tiny, null, -1.0).basis())
                .isEqualTo(SelectionBasis.TINY_CLASS_CLEAN);
        // TREAT_AS_CLEAN ignores a pooled fit
        assertThat(SELECTOR.judge(tiny, pooled, -1.0).basis())
                .isEqualTo(SelectionBasis.TINY_CLASS_CLEAN);
        assertThat(pooledSelector.fitPooled(List.of(new float[] {0.5f}))).isNull();
    }

    @Test
    void streamingNormalisationClipsToTheUnitInterval() {
        ClassSelectionModel m = SELECTOR.fit(bimodal(3));
        assertThat(m.normalise(m.scoreMin - 10.0)).isZero();
        assertThat(m.normalise(m.scoreMin + m.scoreRange + 10.0)).isEqualTo(1f);
        ClassSelectionModel copy = m.copy();
        assertThat(copy.gmm().means()).containsExactly(m.gmm().means());
    }
}
