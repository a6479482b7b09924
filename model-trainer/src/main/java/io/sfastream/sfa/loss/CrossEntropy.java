package io.sfastream.sfa.loss;

/**
 * Cross-entropy with mean reduction over rows, for hard labels and for soft targets.
 *
 * <p>Soft targets: {@code −mean_i Σ_k t_ik · log softmax(z_i + shift)_k}, the reference's {@code
 * -torch.mean(torch.sum(F.log_softmax(outputs_x, dim=1) * targets_x, dim=1))} ({@code
 * SemiLoss.__call__} and {@code balanced_softmax_loss_Semi} in {@code Train_cifar.py}). Hard
 * labels: {@code −mean_i log softmax(z_i + shift)_{y_i}}, the reference's {@code
 * F.cross_entropy(..., reduction='mean')} ({@code CEloss} and {@code balanced_softmax_loss} in
 * {@code warmup()}). A {@code null} shift is plain CE; {@link BalancedSoftmax} passes {@code log
 * n}.
 *
 * <p>The log-softmax is evaluated as {@code z_k + shift_k − logSumExp}, so no row is allocated and
 * large logits stay finite. As in torch, an infinite logit still gives {@code 0 · (−inf) = NaN};
 * that is why {@link BalancedSoftmax} floors counts at 1.
 */
public final class CrossEntropy {

    private CrossEntropy() {}

    /** Soft-target CE over all rows, no shift. */
    public static double soft(double[][] logits, double[][] targets) {
        return soft(logits, null, targets, 0, logits == null ? 0 : logits.length);
    }

    /**
     * Soft-target CE over rows {@code [from, to)} of {@code logits + shift} against the same rows
     * of {@code targets}; the mean is over {@code to − from} rows.
     */
    public static double soft(
            double[][] logits, double[] shift, double[][] targets, int from, int to) {
        int classes = Batches.sameShape(logits, "logits", targets, "targets");
        Batches.checkShift(shift, classes);
        Batches.checkRange(logits, from, to);
        double sum = 0.0;
        for (int i = from; i < to; i++) {
            double[] z = logits[i];
            double[] t = targets[i];
            double lse = Softmax.logSumExp(z, shift);
            double row = 0.0;
            for (int k = 0; k < classes; k++) {
                row += t[k] * (Softmax.at(z, shift, k) - lse);
            }
            sum += row;
        }
        return -sum / (to - from);
    }

    /**
     * Hard-label CE over all rows, no shift ({@code nn.CrossEntropyLoss()} with mean reduction).
     */
    public static double hard(double[][] logits, int[] labels) {
        return hard(logits, null, labels);
    }

    /** Hard-label CE over all rows of {@code logits + shift}. */
    public static double hard(double[][] logits, double[] shift, int[] labels) {
        int classes = Batches.classes(logits);
        Batches.checkShift(shift, classes);
        if (labels == null || labels.length != logits.length) {
            throw new IllegalArgumentException(
                    "labels has "
                            + (labels == null ? 0 : labels.length)
                            + " rows, logits have "
                            + logits.length);
        }
        double sum = 0.0;
        for (int i = 0; i < logits.length; i++) {
            Batches.checkRow(logits, i, classes);
            int y = labels[i];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException(
                        "label " + y + " at row " + i + " outside [0, " + classes + ")");
            }
            sum += Softmax.at(logits[i], shift, y) - Softmax.logSumExp(logits[i], shift);
        }
        return -sum / logits.length;
    }
}
