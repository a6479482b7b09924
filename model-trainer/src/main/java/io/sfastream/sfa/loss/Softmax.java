package io.sfastream.sfa.loss;

/**
 * Numerically stable softmax pieces shared by every loss in this package.
 *
 * <p>All methods take an optional per-class additive {@code shift} (may be {@code null}), so the
 * Balanced-Softmax logits {@code z + log n} (reference {@code logits + spc.log()}) are never
 * materialised. Rows are evaluated as {@code z_k + shift_k}; the maximum is subtracted before
 * {@code exp}, so logits of ±1000 stay finite (reference: {@code F.log_softmax}, {@code
 * torch.softmax}).
 */
public final class Softmax {

    private Softmax() {}

    /** {@code log Σ_k exp(z_k + shift_k)}, computed as {@code m + log Σ exp(z_k + shift_k − m)}. */
    public static double logSumExp(double[] logits, double[] shift) {
        checkShift(logits, shift);
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < logits.length; k++) {
            max = Math.max(max, at(logits, shift, k));
        }
        double sum = 0.0;
        for (int k = 0; k < logits.length; k++) {
            sum += Math.exp(at(logits, shift, k) - max);
        }
        return max + Math.log(sum);
    }

    /**
     * Writes {@code log softmax(z + shift)} into {@code out} (allocated when {@code null}) and
     * returns it.
     */
    public static double[] logSoftmax(double[] logits, double[] shift, double[] out) {
        double[] dst = out == null ? new double[logits.length] : checkOut(logits, out);
        double lse = logSumExp(logits, shift);
        for (int k = 0; k < logits.length; k++) {
            dst[k] = at(logits, shift, k) - lse;
        }
        return dst;
    }

    /**
     * Writes {@code softmax(z + shift)} into {@code out} (allocated when {@code null}) and returns
     * it.
     */
    public static double[] softmax(double[] logits, double[] shift, double[] out) {
        double[] dst = out == null ? new double[logits.length] : checkOut(logits, out);
        double lse = logSumExp(logits, shift);
        for (int k = 0; k < logits.length; k++) {
            dst[k] = Math.exp(at(logits, shift, k) - lse);
        }
        return dst;
    }

    /** Row-wise {@code softmax(z)} of a batch; a new {@code rows × classes} array. */
    public static double[][] softmax(double[][] logits) {
        int classes = Batches.classes(logits);
        double[][] out = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            Batches.checkRow(logits, i, classes);
            out[i] = softmax(logits[i], null, null);
        }
        return out;
    }

    static double at(double[] logits, double[] shift, int k) {
        return shift == null ? logits[k] : logits[k] + shift[k];
    }

    private static void checkShift(double[] logits, double[] shift) {
        if (logits.length == 0) {
            throw new IllegalArgumentException("logits row has no classes");
        }
        if (shift != null && shift.length != logits.length) {
            throw new IllegalArgumentException(
                    "shift has " + shift.length + " classes, logits have " + logits.length);
        }
    }

    private static double[] checkOut(double[] logits, double[] out) {
        if (out.length != logits.length) {
            throw new IllegalArgumentException(
                    "out has " + out.length + " classes, logits have " + logits.length);
        }
        return out;
    }
}
