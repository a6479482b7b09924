package io.sfastream.sfa.loss;

/**
 * The warm-up loss: plain CE of the standard head plus Balanced-Softmax CE of the ABC head, both on
 * the noisy labels with mean reduction; {@code n} = the noisy-label counts per class. Reference
 * ({@code warmup()} in {@code Train_cifar.py}):
 *
 * <pre>loss = CEloss(logits1, labels)
 * loss_BCE = balanced_softmax_loss(labels, logits2, torch.tensor(dataloader.dataset.real_img_num_list), "mean")
 * L = loss + loss_BCE</pre>
 *
 * No confidence penalty and no MixUp. ({@code Train_webvision.py} writes the same with one-hot soft
 * targets, which is the same value.)
 */
public final class WarmUpLoss {

    private WarmUpLoss() {}

    /** The two terms and their sum. */
    public record Terms(double crossEntropy, double balancedCrossEntropy) {
        public double total() {
            return crossEntropy + balancedCrossEntropy;
        }
    }

    /**
     * @param z1 standard-head logits ({@code rows × C})
     * @param z2 ABC-head logits ({@code rows × C}), without the log prior
     * @param labels noisy labels ỹ
     * @param counts Balanced Softmax over the noisy-label counts
     */
    public static Terms compute(
            double[][] z1, double[][] z2, int[] labels, BalancedSoftmax counts) {
        Batches.sameShape(z1, "z1", z2, "z2");
        if (counts == null) {
            throw new IllegalArgumentException("counts are required");
        }
        return new Terms(CrossEntropy.hard(z1, labels), counts.crossEntropy(z2, labels));
    }
}
