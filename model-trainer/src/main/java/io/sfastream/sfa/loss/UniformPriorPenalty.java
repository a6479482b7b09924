package io.sfastream.sfa.loss;

import java.util.Arrays;

/**
 * DivideMix's regulariser against collapsing onto a few classes: {@code Σ_k π_k log(π_k / p̂_k)}
 * with {@code π} uniform and {@code p̂ = mean over rows of softmax(z)} (standard head only). It
 * equals {@code KL(π ‖ p̂)}. Reference ({@code train()} in {@code Train_cifar.py}):
 *
 * <pre>prior = torch.ones(C)/C; pred_mean = torch.softmax(logits, dim=1).mean(0)
 * penalty = torch.sum(prior*torch.log(prior/pred_mean))</pre>
 *
 * over all mixed rows (4B in CIFAR, 2B in WebVision).
 *
 * <p>{@code log p̂_k} is computed in the log domain, {@code logSumExp_i(log softmax(z_i)_k) − log
 * rows}, so a class whose probability underflows to 0 in every row (logits of ±1000) gives a large
 * but finite penalty where the reference would give {@code +inf}. Otherwise the two agree.
 */
public final class UniformPriorPenalty {

    private UniformPriorPenalty() {}

    /** Over all rows. */
    public static double compute(double[][] logits) {
        return compute(logits, 0, logits == null ? 0 : logits.length);
    }

    /** Over rows {@code [from, to)}. */
    public static double compute(double[][] logits, int from, int to) {
        int classes = Batches.classes(logits);
        Batches.checkRange(logits, from, to);
        // Online log-sum-exp per class over rows: running max m_k and Σ exp(x − m_k).
        double[] max = new double[classes];
        double[] sum = new double[classes];
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = from; i < to; i++) {
            Batches.checkRow(logits, i, classes);
            double[] z = logits[i];
            double lse = Softmax.logSumExp(z, null);
            for (int k = 0; k < classes; k++) {
                double x = z[k] - lse;
                if (x > max[k]) {
                    sum[k] = sum[k] * Math.exp(max[k] - x) + 1.0;
                    max[k] = x;
                } else {
                    sum[k] += Math.exp(x - max[k]);
                }
            }
        }
        double logRows = Math.log(to - from);
        double logPi = -Math.log(classes);
        double penalty = 0.0;
        for (int k = 0; k < classes; k++) {
            double logMeanP = max[k] + Math.log(sum[k]) - logRows;
            penalty += logPi - logMeanP;
        }
        return penalty / classes;
    }
}
