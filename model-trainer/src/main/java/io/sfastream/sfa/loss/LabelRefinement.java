package io.sfastream.sfa.loss;

/**
 * DivideMix label refinement of the labelled (clean) rows: {@code t = w·onehot(ỹ) + (1−w)·p̄}, then
 * {@link Sharpen sharpened}, where {@code w} is the clean probability from the <em>other</em> net's
 * selection and {@code p̄} the mean of the training net's standard-head softmax over the two
 * augmentations. Reference ({@code train()} in {@code Train_cifar.py}, under {@code
 * torch.no_grad()}):
 *
 * <pre>px = (torch.softmax(outputs_x, dim=1) + torch.softmax(outputs_x2, dim=1)) / 2
 * px = w_x*labels_x + (1-w_x)*px;  ptx = px**(1/args.T);  targets_x = ptx / ptx.sum(dim=1, keepdim=True)
 * </pre>
 */
public final class LabelRefinement {

    private LabelRefinement() {}

    /**
     * One row from probabilities already computed: {@code p1 = softmax(z1(aug1))}, {@code p2 =
     * softmax(z1(aug2))}. Writes into {@code out} (allocated when {@code null}).
     */
    public static double[] refineRow(
            int label, double weight, double[] p1, double[] p2, double temperature, double[] out) {
        if (p1 == null || p2 == null || p1.length != p2.length || p1.length == 0) {
            throw new IllegalArgumentException(
                    "p1 and p2 must be non-empty rows of the same length");
        }
        if (label < 0 || label >= p1.length) {
            throw new IllegalArgumentException(
                    "label " + label + " outside [0, " + p1.length + ")");
        }
        if (!(weight >= 0.0 && weight <= 1.0)) {
            throw new IllegalArgumentException("clean weight must be in [0, 1], was " + weight);
        }
        double[] dst = out == null ? new double[p1.length] : out;
        if (dst.length != p1.length) {
            throw new IllegalArgumentException(
                    "out has " + dst.length + " classes, p has " + p1.length);
        }
        for (int k = 0; k < p1.length; k++) {
            double mean = (p1[k] + p2[k]) / 2.0;
            dst[k] = (k == label ? weight : 0.0) + (1.0 - weight) * mean;
        }
        return Sharpen.apply(dst, temperature, dst);
    }

    /**
     * A batch from the training net's standard-head logits on the two augmentations of the labelled
     * rows, the noisy labels {@code ỹ} and the clean weights {@code w}; a new {@code B × C} array.
     */
    public static double[][] targets(
            double[][] logitsAug1,
            double[][] logitsAug2,
            int[] labels,
            double[] weights,
            double temperature) {
        int classes = Batches.sameShape(logitsAug1, "logitsAug1", logitsAug2, "logitsAug2");
        int rows = logitsAug1.length;
        if (labels == null || labels.length != rows || weights == null || weights.length != rows) {
            throw new IllegalArgumentException(
                    "labels and weights must have one entry per row (" + rows + ")");
        }
        double[][] out = new double[rows][classes];
        double[] p1 = new double[classes];
        double[] p2 = new double[classes];
        for (int i = 0; i < rows; i++) {
            Softmax.softmax(logitsAug1[i], null, p1);
            Softmax.softmax(logitsAug2[i], null, p2);
            refineRow(labels[i], weights[i], p1, p2, temperature, out[i]);
        }
        return out;
    }
}
