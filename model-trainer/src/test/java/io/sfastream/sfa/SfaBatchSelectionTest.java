package io.sfastream.sfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Guards and bookkeeping of the batch face. */
class SfaBatchSelectionTest {

    /**
     * n samples of 4 classes (class 3 empty unless asked), d = 5, class k shifted along dimension
     * k.
     */
    private static float[][] features(int[] labels, long seed) {
        Random r = new Random(seed);
        float[][] f = new float[labels.length][5];
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < 5; j++) {
                f[i][j] = (float) ((j == labels[i] ? 3 : 0) + r.nextGaussian());
            }
        }
        return f;
    }

    private static int[] labels(int... counts) {
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        int[] y = new int[n];
        int at = 0;
        for (int k = 0; k < counts.length; k++) {
            for (int t = 0; t < counts[k]; t++) {
                y[at++] = k;
            }
        }
        return y;
    }

    @Test
    void emptyClassHasNoScoresAndBalancedCountOne() {
        int[] y = labels(60, 40, 30, 0);
        SfaBatchSelection.Result r =
                new SfaBatchSelection(SfaParams.defaults(4)).select(features(y, 1), y, null, 31);
        SfaBatchSelection.ClassSummary empty = r.classes()[3];
        assertThat(empty.samples()).isZero();
        assertThat(empty.hasCentroid()).isFalse();
        assertThat(r.cleanCounts()[3]).isZero();
        assertThat(r.balancedCounts()[3]).isEqualTo(1);
        assertThat(r.balancedCounts()[0]).isEqualTo(r.cleanCounts()[0]).isPositive();
        for (double p : r.cleanProbability()) {
            assertThat(p).isBetween(0.0, 1.0);
        }
    }

    @Test
    void classWithoutConfidentSamplesPassesAsClean() {
        int[] y = labels(60, 40, 30);
        double[] conf = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            conf[i] = y[i] == 2 ? 0.0 : 0.9;
        }
        SfaBatchSelection.Result r =
                new SfaBatchSelection(SfaParams.defaults(3)).select(features(y, 2), y, conf, 31);
        assertThat(r.classes()[2].hasCentroid()).isFalse();
        assertThat(r.classes()[2].instantCentroid()).isNull();
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 2) {
                assertThat(r.basis()[i]).isEqualTo(SelectionBasis.NO_CENTROID);
                assertThat(r.clean()[i]).isTrue();
                assertThat(r.score()[i]).isNaN();
            } else {
                assertThat(r.basis()[i]).isEqualTo(SelectionBasis.GMM);
            }
        }
    }

    @Test
    void aClassLosingItsConfidentSamplesKeepsLastEpochsCentroid() {
        int[] y = labels(60, 40, 30);
        float[][] f = features(y, 3);
        SfaBatchSelection sel = new SfaBatchSelection(SfaParams.defaults(3));
        sel.select(f, y, null, 31);
        double[] mu = sel.bank().classes[1].mean.clone();
        double[] conf = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            conf[i] = y[i] == 1 ? 0.0 : 1.0;
        }
        SfaBatchSelection.Result r = sel.select(f, y, conf, 32);
        assertThat(r.classes()[1].hasCentroid()).isTrue();
        assertThat(sel.bank().classes[1].mean).containsExactly(mu);
        assertThat(sel.bank().scoringCentroids[1]).containsExactly(mu);
    }

    @Test
    void tinyClassFallbackInBatch() {
        int[] y = labels(80, 60, 8);
        float[][] f = features(y, 4);
        SfaBatchSelection.Result clean =
                new SfaBatchSelection(SfaParams.defaults(3)).select(f, y, null, 31);
        SfaBatchSelection.Result pooled =
                new SfaBatchSelection(
                                SfaParams.builder(3)
                                        .tinyClassFallback(TinyClassFallback.POOLED)
                                        .build())
                        .select(f, y, null, 31);
        SfaBatchSelection.Result reference =
                new SfaBatchSelection(SfaParams.builder(3).minScoresForGmm(2).build())
                        .select(f, y, null, 31);
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 2) {
                assertThat(clean.basis()[i]).isEqualTo(SelectionBasis.TINY_CLASS_CLEAN);
                assertThat(clean.cleanProbability()[i]).isEqualTo(1.0);
                assertThat(pooled.basis()[i]).isEqualTo(SelectionBasis.POOLED_GMM);
                assertThat(reference.basis()[i]).isEqualTo(SelectionBasis.GMM);
            } else {
                assertThat(pooled.cleanProbability()[i]).isEqualTo(clean.cleanProbability()[i]);
            }
        }
        assertThat(clean.classes()[2].selection().tiny).isTrue();
        assertThat(clean.cleanCounts()[2]).isEqualTo(8);
    }

    @Test
    void constantClassScoresAreFinite() {
        int[] y = labels(30, 30);
        float[][] f = features(y, 5);
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 1) {
                f[i] = f[30].clone();
            }
        }
        SfaBatchSelection.Result r =
                new SfaBatchSelection(SfaParams.defaults(2)).select(f, y, null, 31);
        for (int i = 30; i < 60; i++) {
            assertThat(r.normalisedScore()[i]).isZero();
            assertThat(r.cleanProbability()[i]).isNotNaN();
            assertThat(r.clean()[i]).isTrue();
        }
    }

    @Test
    void rejectsBadInputWithClearMessages() {
        int[] y = labels(10, 10);
        SfaBatchSelection sel = new SfaBatchSelection(SfaParams.defaults(2));
        float[][] nan = features(y, 6);
        nan[7][3] = Float.NaN;
        assertThatThrownBy(() -> sel.select(nan, y, null, 31))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample 7")
                .hasMessageContaining("dimension 3")
                .hasMessageContaining("NaN");
        float[][] inf = features(y, 6);
        inf[2][0] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> sel.select(inf, y, null, 31))
                .hasMessageContaining("sample 2")
                .hasMessageContaining("Infinity");
        float[][] ragged = features(y, 6);
        ragged[4] = new float[4];
        assertThatThrownBy(() -> sel.select(ragged, y, null, 31))
                .hasMessageContaining("sample 4")
                .hasMessageContaining("dimension 4, expected 5");
        int[] bad = y.clone();
        bad[3] = 2;
        assertThatThrownBy(() -> sel.select(features(y, 6), bad, null, 31))
                .hasMessageContaining("label 2");
        assertThatThrownBy(() -> sel.select(features(y, 6), new int[3], null, 31))
                .hasMessageContaining("labels");
        double[] nanConf = new double[y.length];
        nanConf[0] = Double.NaN;
        assertThatThrownBy(() -> sel.select(features(y, 6), y, nanConf, 31))
                .hasMessageContaining("NaN confidence");
        assertThatThrownBy(() -> sel.select(new float[0][], new int[0], null, 31))
                .hasMessageContaining("no samples");
        assertThatThrownBy(() -> sel.select(features(y, 6), y, null, 0))
                .hasMessageContaining("1-based");

        sel.select(features(y, 6), y, null, 31);
        float[][] wider = new float[y.length][7];
        assertThatThrownBy(() -> sel.select(wider, y, null, 32))
                .hasMessageContaining("dimension 7")
                .hasMessageContaining("earlier epochs");
    }

    @Test
    void numpyNoiseConsumesOneBlockPerDrawWhetherOrNotAClassIsSampled() {
        int[] y = labels(10, 10);
        SfaBatchSelection sel = new SfaBatchSelection(SfaParams.builder(2).sampleRate(2).build());
        NumpyLegacyNormal rng = new NumpyLegacyNormal(5);
        sel.withNumpyNoise(rng);
        sel.select(features(y, 7), y, null, 31);
        NumpyLegacyNormal ref = new NumpyLegacyNormal(5);
        ref.normal(2 * 2 * 5);
        assertThat(rng.next()).isEqualTo(ref.next());
    }

    @Test
    void sameInputSameOutput() {
        int[] y = labels(350, 40);
        float[][] f = features(y, 8);
        SfaParams p = SfaParams.builder(2).momentMode(MomentMode.REFERENCE_FAITHFUL).build();
        SfaBatchSelection a = new SfaBatchSelection(p);
        SfaBatchSelection b = new SfaBatchSelection(p);
        a.select(f, y, null, 31);
        b.select(f, y, null, 31);
        SfaBatchSelection.Result ra = a.select(f, y, null, 32);
        SfaBatchSelection.Result rb = b.select(f, y, null, 32);
        assertThat(ra.classes()[0].sampled()).isTrue();
        assertThat(rb.score()).containsExactly(ra.score());
        assertThat(rb.cleanProbability()).containsExactly(ra.cleanProbability());
        // another network draws another ε
        SfaBatchSelection other = new SfaBatchSelection(p, 1);
        other.select(f, y, null, 31);
        assertThat(other.select(f, y, null, 32).score()).isNotEqualTo(ra.score());
    }
}
