package io.sfastream.sfa.loss;

/**
 * The terms of one semi-supervised step (see {@link SemiSupervisedLoss}) and their weighted total
 * {@code Lx + λu·Lu + Lbx + λu·Lbu + w·penalty} (w = 1 in the reference; 0 is the ablation without
 * the penalty), the reference's {@code loss = Lx + lamb * Lu + loss_BCE_x + lamb * loss_BCE_u +
 * penalty}. Kept apart so the trainer can log each term, and so its DJL graph can be checked
 * against this definition term by term.
 */
public record SslLossTerms(
        double lx,
        double lu,
        double lbx,
        double lbu,
        double penalty,
        double lambdaU,
        double penaltyWeight) {

    /** The reference's weight of the uniform-prior penalty: the term is added as it is. */
    public static final double REFERENCE_PENALTY_WEIGHT = 1.0;

    public SslLossTerms {
        checkPenaltyWeight(penaltyWeight);
    }

    /** The reference's terms: the penalty at {@link #REFERENCE_PENALTY_WEIGHT}. */
    public SslLossTerms(
            double lx, double lu, double lbx, double lbu, double penalty, double lambdaU) {
        this(lx, lu, lbx, lbu, penalty, lambdaU, REFERENCE_PENALTY_WEIGHT);
    }

    /** Throws unless {@code weight} is finite and {@code >= 0}. */
    public static double checkPenaltyWeight(double weight) {
        if (!(weight >= 0.0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException(
                    "penaltyWeight must be finite and >= 0, was " + weight);
        }
        return weight;
    }

    /**
     * {@code Lx + λu·Lu + Lbx + λu·Lbu + w·penalty}; {@link #penalty()} itself stays unweighted, so
     * a run without the penalty still logs what it would have been.
     */
    public double total() {
        return lx + lambdaU * lu + lbx + lambdaU * lbu + penaltyWeight * penalty;
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
