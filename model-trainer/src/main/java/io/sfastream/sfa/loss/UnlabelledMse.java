package io.sfastream.sfa.loss;

/**
 * MixMatch's unlabelled loss: the squared error between {@code softmax(z + shift)} and the mixed
 * target, averaged over rows <em>and</em> classes, i.e. divided by {@code rows × C}. This is the
 * reference's {@code Lu = torch.mean((probs_u - targets_u)**2)} ({@code SemiLoss.__call__}, and
 * with {@code shift = log N̂} the {@code Lu} of {@code balanced_softmax_loss_Semi}). Note the
 * reference does not sum over classes first, so {@code Lu} is {@code C} times smaller than a
 * per-row squared distance.
 */
public final class UnlabelledMse {

    private UnlabelledMse() {}

    /** Over all rows, no shift. */
    public static double mean(double[][] logits, double[][] targets) {
        return mean(logits, null, targets, 0, logits == null ? 0 : logits.length);
    }

    /**
     * Over rows {@code [from, to)} of {@code softmax(logits + shift)}; {@code shift} may be {@code
     * null}.
     */
    public static double mean(
            double[][] logits, double[] shift, double[][] targets, int from, int to) {
        int classes = Batches.sameShape(logits, "logits", targets, "targets");
        Batches.checkShift(shift, classes);
        Batches.checkRange(logits, from, to);
        double sum = 0.0;
        for (int i = from; i < to; i++) {
            double[] z = logits[i];
            double[] t = targets[i];
            double lse = Softmax.logSumExp(z, shift);
            for (int k = 0; k < classes; k++) {
                double d = Math.exp(Softmax.at(z, shift, k) - lse) - t[k];
                sum += d * d;
            }
        }
        return sum / ((double) (to - from) * classes);
    }
}
