package io.sfastream.sfa.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Cross-check against PyTorch. The expected constants were printed by {@code
 * model-trainer/src/test/resources/loss/torch_reference.py} (Debian python3-torch 1.13, float64),
 * which writes the reference's formulas with torch ops on the same literal inputs as below. This
 * test does not need Python; rerun the script and update the constants if the inputs change.
 */
class ReferenceCrossCheckTest {

    private static final double TOL = 1e-12;

    private static final double[][] Z1 = {
        {2.0, -1.0, 0.5, 0.0, -0.5},
        {0.3, 1.7, -2.2, 0.9, 0.1},
        {-1.5, 0.0, 3.1, -0.4, 0.8},
        {0.0, 0.0, 0.0, 0.0, 0.0},
        {1.2, -0.7, 0.4, 2.5, -1.9},
        {-0.3, 0.6, -0.9, 1.1, 2.4},
        {4.0, 1.0, -3.0, 0.2, 0.0},
        {-2.0, -1.0, 0.0, 1.0, 2.0},
    };
    private static final double[][] Z2 = {
        {0.4, -0.2, 1.3, -1.1, 0.0},
        {-0.8, 2.2, 0.1, 0.5, -0.6},
        {1.0, 1.0, -1.0, 0.3, 0.7},
        {0.2, -1.4, 0.9, 2.1, -0.3},
        {-0.5, 0.5, -0.5, 0.5, 1.5},
        {3.0, -2.0, 0.0, 1.0, -1.0},
        {0.0, 0.7, 1.4, -0.7, -1.4},
        {1.1, 0.0, -1.1, 2.2, 0.3},
    };
    private static final double[][] T = {
        {0.70, 0.10, 0.10, 0.05, 0.05},
        {0.00, 0.80, 0.00, 0.20, 0.00},
        {0.05, 0.05, 0.60, 0.10, 0.20},
        {0.20, 0.20, 0.20, 0.20, 0.20},
        {0.10, 0.00, 0.15, 0.75, 0.00},
        {0.00, 0.25, 0.00, 0.25, 0.50},
        {0.90, 0.05, 0.00, 0.05, 0.00},
        {0.00, 0.00, 0.30, 0.30, 0.40},
    };

    /** One empty class: the script floors it to 1 (its unfloored Lbx prints {@code nan}). */
    private static final double[] NHAT = {40.0, 7.0, 0.0, 120.0, 3.0};

    // Printed by torch_reference.py.
    private static final double LX = 1.2149924960655194;
    private static final double LU = 0.008764763496856029;
    private static final double LBX = 2.9895409167428797;
    private static final double LBU = 0.09897351442651209;
    private static final double PENALTY = 0.03163169220218497;
    private static final double TOTAL = 4.404506164265847;
    private static final double WARMUP_CE = 0.5215703363104182;
    private static final double WARMUP_BCE = 2.3182028212637134;
    private static final double[][] REFINED = {
        {
            0.9970722069190321,
            1.4569805467124922e-05,
            0.002818861443119439,
            3.8637064836739855e-05,
            5.5724767544583396e-05
        },
        {
            0.05458149110741798,
            0.2630899324765576,
            0.022414316694270662,
            0.6128010415755238,
            0.04711321814622994
        },
    };
    private static final double[] COGUESS = {
        0.3054038918461617,
        0.01026899756533323,
        0.008674628327070246,
        0.28584236475495206,
        0.3898101175064829
    };

    @Test
    void sslTermsMatchTorch() {
        SslLossTerms terms =
                SemiSupervisedLoss.compute(
                        Z1, Z2, T, 2, BalancedSoftmax.fromCounts(NHAT), 25.0 / 16.0);
        assertThat(terms.lx()).isCloseTo(LX, within(TOL));
        assertThat(terms.lu()).isCloseTo(LU, within(TOL));
        assertThat(terms.lbx()).isCloseTo(LBX, within(TOL));
        assertThat(terms.lbu()).isCloseTo(LBU, within(TOL));
        assertThat(terms.penalty()).isCloseTo(PENALTY, within(TOL));
        assertThat(terms.total()).isCloseTo(TOTAL, within(TOL));
    }

    @Test
    void warmUpTermsMatchTorch() {
        int[] y = {0, 1, 2, 3, 3, 4, 0, 4};
        WarmUpLoss.Terms terms =
                WarmUpLoss.compute(
                        Z1,
                        Z2,
                        y,
                        BalancedSoftmax.fromCounts(new long[] {5000, 2997, 1796, 1077, 645}));
        assertThat(terms.crossEntropy()).isCloseTo(WARMUP_CE, within(TOL));
        assertThat(terms.balancedCrossEntropy()).isCloseTo(WARMUP_BCE, within(TOL));
    }

    @Test
    void refinementAndCoGuessMatchTorch() {
        double[][] refined =
                LabelRefinement.targets(
                        new double[][] {Z1[0], Z1[1]},
                        new double[][] {Z1[2], Z1[3]},
                        new int[] {0, 3},
                        new double[] {0.9, 0.25},
                        0.5);
        for (int i = 0; i < 2; i++) {
            assertThat(refined[i]).containsExactly(REFINED[i], within(TOL));
        }
        double[][] q =
                CoGuess.targets(
                        new double[][] {Z1[4]},
                        new double[][] {Z1[5]},
                        new double[][] {Z1[6]},
                        new double[][] {Z1[7]},
                        0.5);
        assertThat(q[0]).containsExactly(COGUESS, within(TOL));
    }
}
