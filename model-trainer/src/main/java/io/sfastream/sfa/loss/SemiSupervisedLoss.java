package io.sfastream.sfa.loss;

/**
 * The loss of one SFA semi-supervised step on the mixed batch, term by term. Reference ({@code
 * train()} in {@code Train_cifar.py}):
 *
 * <pre>
 * logits_x = logits[:batch_size*2];   logits_u = logits[batch_size*2:]   (same split for logits2)
 * Lx, Lu, lamb = criterion(logits_x, mixed_target[:2B], logits_u, mixed_target[2B:], epoch+batch_idx/num_iter, warm_up)
 * loss_BCE_x, loss_BCE_u = balanced_softmax_loss_Semi(logits2_x, mixed_target[:2B], logits2_u, mixed_target[2B:], tmp_img_num_list)
 * penalty = torch.sum(prior*torch.log(prior/pred_mean))       (pred_mean over all rows of softmax(logits))
 * loss = Lx + lamb * Lu + loss_BCE_x + lamb * loss_BCE_u + penalty</pre>
 *
 * <ul>
 *   <li>{@code Lx} = soft CE of the standard-head logits {@code z1} on rows {@code [0, 2B)};
 *   <li>{@code Lu} = {@link UnlabelledMse} of {@code softmax(z1)} on rows {@code [2B, n)};
 *   <li>{@code Lbx} = soft CE of {@code z2 + log N̂} (ABC head, Balanced Softmax) on {@code [0,
 *       2B)};
 *   <li>{@code Lbu} = MSE of {@code softmax(z2 + log N̂)} on {@code [2B, n)}: the reference does
 *       shift the unlabelled ABC logits by {@code log N̂} before the softmax ({@code logits_u =
 *       logits_u + spc_u.log()});
 *   <li>{@code penalty} = {@link UniformPriorPenalty} of {@code z1} over all {@code n} rows.
 * </ul>
 *
 * <p>{@code B} is the labelled loader's batch size for this step ({@code inputs_x.size(0)}), so the
 * first {@code 2B} rows are the labelled ones; every row after them is unlabelled (the reference
 * slices {@code [2B:]}, so a short unlabelled batch simply gives fewer rows). When there are no
 * unlabelled rows, {@code Lu = Lbu = 0}: that is WebVision's loss ({@code Lx + penalty + loss_BCE},
 * mixing only the 2B labelled rows, λ_u = 0) and the streaming step with an empty noisy queue; the
 * reference would instead take a mean over zero rows ({@code NaN}).
 */
public final class SemiSupervisedLoss {

    private SemiSupervisedLoss() {}

    /**
     * @param z1 standard-head logits of the mixed rows ({@code n × C})
     * @param z2 ABC-head logits of the same rows ({@code n × C}), without the log prior
     * @param mixedTargets the mixed targets ({@code n × C}), as {@link MixUp} produced them
     * @param batchSize B; rows {@code [0, 2B)} are labelled, {@code 2B <= n}
     * @param nHat Balanced Softmax over the other net's clean counts N̂ (floored at 1)
     * @param lambdaU the unsupervised weight of this step, from {@link UnsupervisedWeightRamp}
     */
    public static SslLossTerms compute(
            double[][] z1,
            double[][] z2,
            double[][] mixedTargets,
            int batchSize,
            BalancedSoftmax nHat,
            double lambdaU) {
        int classes = Batches.sameShape(z1, "z1", z2, "z2");
        Batches.sameShape(z1, "z1", mixedTargets, "mixedTargets");
        if (nHat == null) {
            throw new IllegalArgumentException("nHat is required");
        }
        nHat.checkClasses(classes);
        int rows = z1.length;
        if (batchSize < 1 || 2L * batchSize > rows) {
            throw new IllegalArgumentException(
                    "batchSize " + batchSize + " needs 1 <= B and 2B <= rows (" + rows + ")");
        }
        if (!(lambdaU >= 0.0) || Double.isInfinite(lambdaU)) {
            throw new IllegalArgumentException("lambdaU must be finite and >= 0, was " + lambdaU);
        }
        int labelled = 2 * batchSize;
        double[] logN = nHat.logPriorView();
        double lx = CrossEntropy.soft(z1, null, mixedTargets, 0, labelled);
        double lbx = CrossEntropy.soft(z2, logN, mixedTargets, 0, labelled);
        double lu = 0.0;
        double lbu = 0.0;
        if (labelled < rows) {
            lu = UnlabelledMse.mean(z1, null, mixedTargets, labelled, rows);
            lbu = UnlabelledMse.mean(z2, logN, mixedTargets, labelled, rows);
        }
        double penalty = UniformPriorPenalty.compute(z1, 0, rows);
        return new SslLossTerms(lx, lu, lbx, lbu, penalty, lambdaU);
    }
}
