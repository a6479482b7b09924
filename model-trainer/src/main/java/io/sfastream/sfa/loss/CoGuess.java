package io.sfastream.sfa.loss;

/**
 * DivideMix label co-guessing of the unlabelled (noisy) rows: the mean of the standard-head softmax
 * of both nets on both augmentations, then {@link Sharpen sharpened}. Reference ({@code train()} in
 * {@code Train_cifar.py}, under {@code torch.no_grad()}):
 *
 * <pre>
 * pu = (softmax(outputs_u11) + softmax(outputs_u12) + softmax(outputs_u21) + softmax(outputs_u22)) / 4
 * ptu = pu**(1/args.T);  targets_u = ptu / ptu.sum(dim=1, keepdim=True)</pre>
 *
 * where {@code u11, u12} are the training net on aug 1 and 2 and {@code u21, u22} the fixed net.
 * The four softmaxes are summed in the reference's order. With a single network ({@code networks:
 * 1}) pass its two logits twice.
 */
public final class CoGuess {

    private CoGuess() {}

    /** A new {@code rows × C} array of sharpened co-guessed targets. */
    public static double[][] targets(
            double[][] netAAug1,
            double[][] netAAug2,
            double[][] netBAug1,
            double[][] netBAug2,
            double temperature) {
        int classes = Batches.sameShape(netAAug1, "netAAug1", netAAug2, "netAAug2");
        Batches.sameShape(netAAug1, "netAAug1", netBAug1, "netBAug1");
        Batches.sameShape(netAAug1, "netAAug1", netBAug2, "netBAug2");
        Sharpen.checkTemperature(temperature);
        int rows = netAAug1.length;
        double[][] out = new double[rows][classes];
        double[] p = new double[classes];
        double[][][] views = {netAAug1, netAAug2, netBAug1, netBAug2};
        for (int i = 0; i < rows; i++) {
            double[] acc = out[i];
            for (double[][] logits : views) {
                Softmax.softmax(logits[i], null, p);
                for (int k = 0; k < classes; k++) {
                    acc[k] += p[k];
                }
            }
            for (int k = 0; k < classes; k++) {
                acc[k] /= 4.0;
            }
            Sharpen.apply(acc, temperature, acc);
        }
        return out;
    }
}
