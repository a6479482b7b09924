package io.sfastream.sfa.loss;

import static io.sfastream.sfa.loss.HandExamples.LN2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** B = 1, so 4B = 4 mixed rows: rows 0-1 labelled, rows 2-3 unlabelled. */
class SemiSupervisedLossTest {

    private static final double EPS = 1e-12;
    private static final double LAMBDA_U = 25.0 / 16.0;

    private static double[][] z1() {
        return new double[][] {
            HandExamples.ROW_A.clone(),
            HandExamples.ROW_B.clone(),
            HandExamples.ROW_A.clone(),
            HandExamples.ROW_B.clone()
        };
    }

    private static double[][] targets() {
        return new double[][] {
            HandExamples.T_A.clone(),
            HandExamples.T_B.clone(),
            HandExamples.T_A.clone(),
            HandExamples.T_B.clone()
        };
    }

    @Test
    void termsByHandWithTheSameLogitsOnBothHeadsAndUniformCounts() {
        // Lx      = soft CE of rows 0-1 = (ln 2 + ½ ln(25/3))/2        (LossTermsTest)
        // Lu      = MSE of rows 2-3     = 103/1200                     (LossTermsTest)
        // penalty over 4 rows: p̂ is the same as over the 2 distinct rows = ⅓ ln(64000/57834)
        // uniform N̂ and z2 = z1 → Lbx = Lx, Lbu = Lu
        double lx = (LN2 + 0.5 * Math.log(25.0 / 3.0)) / 2.0;
        double lu = 103.0 / 1200.0;
        double penalty = Math.log(64000.0 / 57834.0) / 3.0;
        SslLossTerms terms =
                SemiSupervisedLoss.compute(
                        z1(),
                        z1(),
                        targets(),
                        1,
                        BalancedSoftmax.fromCounts(new int[] {5, 5, 5}),
                        LAMBDA_U);
        assertThat(terms.lx()).isCloseTo(lx, within(EPS));
        assertThat(terms.lu()).isCloseTo(lu, within(EPS));
        assertThat(terms.lbx()).isCloseTo(lx, within(EPS));
        assertThat(terms.lbu()).isCloseTo(lu, within(EPS));
        assertThat(terms.penalty()).isCloseTo(penalty, within(EPS));
        assertThat(terms.total()).isCloseTo(2 * lx + 2 * LAMBDA_U * lu + penalty, within(EPS));
        assertThat(terms.isFinite()).isTrue();
    }

    @Test
    void balancedUnlabelledTermUsesSoftmaxOfLogitsPlusLogNHat() {
        // z2 = 0, N̂ = (1, 2, 1) → softmax(z2 + log N̂) = (¼, ½, ¼) on every row.
        // Lbx: row 0 target (0,1,0): ln 2; row 1 target (½,½,0): −(½ ln ¼ + ½ ln ½) = 1.5 ln 2;
        // mean 1.25 ln 2
        // Lbu: row 2 (¼,½,¼) − (0,1,0) = (¼,−½,¼) → 3/8; row 3 (¼,½,¼) − (½,½,0) = (−¼,0,¼) → 1/8;
        //      sum ½, mean over 2×3 = 1/12.
        // Plain softmax(z2) = (⅓,⅓,⅓) would give (1/9+4/9+1/9 + 1/36+1/36+4/36)/6 = (2/3 + 1/6)/6 =
        // 5/36.
        double[][] z2 = new double[4][3];
        SslLossTerms terms =
                SemiSupervisedLoss.compute(
                        z1(),
                        z2,
                        targets(),
                        1,
                        BalancedSoftmax.fromCounts(new int[] {1, 2, 1}),
                        LAMBDA_U);
        assertThat(terms.lbx()).isCloseTo(1.25 * LN2, within(EPS));
        assertThat(terms.lbu())
                .isCloseTo(1.0 / 12.0, within(EPS))
                .isNotCloseTo(5.0 / 36.0, within(1e-3));
        assertThat(terms.total())
                .isCloseTo(
                        terms.lx()
                                + LAMBDA_U * terms.lu()
                                + terms.lbx()
                                + LAMBDA_U * terms.lbu()
                                + terms.penalty(),
                        within(EPS));
    }

    @Test
    void noUnlabelledRowsIsWebVisionsLoss() {
        // 2B rows only: Lu = Lbu = 0 and total = Lx + Lbx + penalty (penalty over the 2B rows).
        double[][] z = HandExamples.logits();
        SslLossTerms terms =
                SemiSupervisedLoss.compute(
                        z,
                        z,
                        HandExamples.targets(),
                        1,
                        BalancedSoftmax.fromCounts(new int[] {5, 5, 5}),
                        0.0);
        assertThat(terms.lu()).isZero();
        assertThat(terms.lbu()).isZero();
        assertThat(terms.total()).isCloseTo(2 * terms.lx() + terms.penalty(), within(EPS));
        assertThat(terms.penalty()).isCloseTo(Math.log(64000.0 / 57834.0) / 3.0, within(EPS));
    }

    @Test
    void rejectsBadArguments() {
        BalancedSoftmax n = BalancedSoftmax.fromCounts(new int[] {5, 5, 5});
        assertThatThrownBy(() -> SemiSupervisedLoss.compute(z1(), z1(), targets(), 3, n, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SemiSupervisedLoss.compute(z1(), z1(), targets(), 1, n, -1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                SemiSupervisedLoss.compute(
                                        z1(),
                                        z1(),
                                        targets(),
                                        1,
                                        BalancedSoftmax.fromCounts(new int[] {5, 5}),
                                        1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                SemiSupervisedLoss.compute(
                                        z1(), HandExamples.logits(), targets(), 1, n, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
