package io.sfastream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DetectionMetricsTest {

    @Test
    void aurocCountsOrderedPairs() {
        // positives {0.35, 0.8} vs negatives {0.1, 0.4}: 3 of 4 pairs ordered -> 0.75 (sklearn's
        // roc_auc_score example)
        assertThat(
                        DetectionMetrics.auroc(
                                new double[] {0.1, 0.4, 0.35, 0.8},
                                new boolean[] {false, false, true, true}))
                .isEqualTo(0.75);
        assertThat(
                        DetectionMetrics.auroc(
                                new double[] {0.1, 0.4, 0.35, 0.8},
                                new boolean[] {false, true, false, true}))
                .isEqualTo(1.0);
        assertThat(DetectionMetrics.auroc(new double[] {0.9, 0.2}, new boolean[] {false, true}))
                .isEqualTo(0.0);
    }

    @Test
    void tiesCountHalf() {
        assertThat(
                        DetectionMetrics.auroc(
                                new double[] {0.5, 0.5, 0.5}, new boolean[] {true, false, false}))
                .isEqualTo(0.5);
        // pos {0.5, 0.9}, neg {0.5, 0.1}: pairs (0.5,0.5)=0.5, (0.5,0.1)=1, (0.9,*)=2 -> 3.5/4
        assertThat(
                        DetectionMetrics.auroc(
                                new double[] {0.5, 0.9, 0.5, 0.1},
                                new boolean[] {true, true, false, false}))
                .isCloseTo(0.875, within(1e-12));
    }

    @Test
    void undefinedWithoutBothClasses() {
        assertThat(DetectionMetrics.auroc(new double[] {0.2, 0.3}, new boolean[] {true, true}))
                .isNaN();
    }

    @Test
    void precisionAndRecall() {
        var pr =
                DetectionMetrics.precisionRecall(
                        new boolean[] {true, true, false, true},
                        new boolean[] {true, false, true, true});
        assertThat(pr.precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(pr.recall()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(pr.hits()).isEqualTo(2);
        assertThat(
                        DetectionMetrics.precisionRecall(
                                        new boolean[] {false}, new boolean[] {true})
                                .precision())
                .isNaN();
    }
}
