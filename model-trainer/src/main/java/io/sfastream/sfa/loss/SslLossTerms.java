package io.sfastream.sfa.loss;

/**
 * The terms of one semi-supervised step (see {@link SemiSupervisedLoss}) and their weighted total
 * {@code Lx + λu·Lu + Lbx + λu·Lbu + penalty}, the reference's {@code loss = Lx + lamb * Lu +
 * loss_BCE_x + lamb * loss_BCE_u + penalty}. Kept apart so the trainer can log each term, and so
 * its DJL graph can be checked against this definition term by term.
 */
public record SslLossTerms(
        double lx, double lu, double lbx, double lbu, double penalty, double lambdaU) {

    /** {@code Lx + λu·Lu + Lbx + λu·Lbu + penalty}. */
    public double total() {
        return lx + lambdaU * lu + lbx + lambdaU * lbu + penalty;
    }

    /** Whether every term and the total are finite. */
    public boolean isFinite() {
        return Double.isFinite(lx)
                && Double.isFinite(lu)
                && Double.isFinite(lbx)
                && Double.isFinite(lbu)
                && Double.isFinite(penalty)
                && Double.isFinite(total());
    }
}
