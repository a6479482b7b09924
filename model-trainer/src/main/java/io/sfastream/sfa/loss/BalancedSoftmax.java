package io.sfastream.sfa.loss;

import java.util.Arrays;

/**
 * Balanced Softmax (Ren et al. 2020) for the auxiliary balanced classifier (ABC): the logits are
 * shifted by the log class counts, {@code z_k + log n_k}, before softmax / cross-entropy. Mirrors
 * {@code balanced_softmax_loss} and {@code balanced_softmax_loss_Semi} in the reference {@code
 * Train_cifar.py} ({@code logits = logits + spc.log()}).
 *
 * <p><b>Counts are floored at 1.</b> The reference has no guard: a class with {@code n_k = 0} (for
 * example no sample of class k judged clean, {@code tmp_img_num_list[k] = 0}) gives {@code log 0 =
 * −inf}, so {@code log_softmax} is {@code −inf} for that class and the soft CE term {@code t_k ·
 * (−inf)} is {@code NaN} when {@code t_k = 0} (or {@code +inf} when {@code t_k > 0}); one empty
 * class poisons the whole step. Treating an empty class as holding one sample gives it the smallest
 * prior a present class can have ({@code log 1 = 0}) and keeps every term finite. With all counts
 * {@code ≥ 1} (the usual case) the floor changes nothing.
 *
 * <p>Immutable; the log prior is computed once per count vector.
 */
public final class BalancedSoftmax {

    private final double[] logPrior;

    private BalancedSoftmax(double[] logPrior) {
        this.logPrior = logPrior;
    }

    /** From per-class counts (noisy-label counts in warm-up, selected-clean counts N̂ after it). */
    public static BalancedSoftmax fromCounts(double[] counts) {
        if (counts == null || counts.length == 0) {
            throw new IllegalArgumentException("counts must name at least one class");
        }
        double[] log = new double[counts.length];
        for (int k = 0; k < counts.length; k++) {
            double n = counts[k];
            if (!(n >= 0.0) || Double.isInfinite(n)) {
                throw new IllegalArgumentException(
                        "count of class " + k + " is " + n + "; expected finite and >= 0");
            }
            log[k] = Math.log(Math.max(n, 1.0));
        }
        return new BalancedSoftmax(log);
    }

    /** From integer per-class counts. */
    public static BalancedSoftmax fromCounts(long[] counts) {
        if (counts == null) {
            throw new IllegalArgumentException("counts must name at least one class");
        }
        double[] d = new double[counts.length];
        for (int k = 0; k < counts.length; k++) {
            d[k] = counts[k];
        }
        return fromCounts(d);
    }

    /** From integer per-class counts. */
    public static BalancedSoftmax fromCounts(int[] counts) {
        if (counts == null) {
            throw new IllegalArgumentException("counts must name at least one class");
        }
        double[] d = new double[counts.length];
        for (int k = 0; k < counts.length; k++) {
            d[k] = counts[k];
        }
        return fromCounts(d);
    }

    public int numClasses() {
        return logPrior.length;
    }

    /**
     * A copy of {@code log max(n_k, 1)}: the per-class shift the trainer adds to the ABC logits.
     */
    public double[] logPrior() {
        return logPrior.clone();
    }

    /** Shared, not copied: for this package's loss code only. */
    double[] logPriorView() {
        return logPrior;
    }

    /** The shifted logits {@code z + log n} of a batch, as a new array. */
    public double[][] shift(double[][] logits) {
        int classes = Batches.classes(logits);
        checkClasses(classes);
        double[][] out = new double[logits.length][classes];
        for (int i = 0; i < logits.length; i++) {
            Batches.checkRow(logits, i, classes);
            for (int k = 0; k < classes; k++) {
                out[i][k] = logits[i][k] + logPrior[k];
            }
        }
        return out;
    }

    /** {@code softmax(z + log n)} of one row into {@code out} (allocated when {@code null}). */
    public double[] probabilities(double[] logits, double[] out) {
        checkClasses(logits.length);
        return Softmax.softmax(logits, logPrior, out);
    }

    /**
     * Hard-label Balanced-Softmax CE, mean over rows (warm-up ABC loss, {@code reduction="mean"}).
     */
    public double crossEntropy(double[][] logits, int[] labels) {
        checkClasses(Batches.classes(logits));
        return CrossEntropy.hard(logits, logPrior, labels);
    }

    /**
     * Soft-target Balanced-Softmax CE, mean over all rows (WebVision's ABC loss on mixed targets).
     */
    public double softCrossEntropy(double[][] logits, double[][] targets) {
        return softCrossEntropy(logits, targets, 0, logits == null ? 0 : logits.length);
    }

    /** Soft-target Balanced-Softmax CE over rows {@code [from, to)} (CIFAR's {@code Lbx}). */
    public double softCrossEntropy(double[][] logits, double[][] targets, int from, int to) {
        checkClasses(Batches.classes(logits));
        return CrossEntropy.soft(logits, logPrior, targets, from, to);
    }

    /**
     * MSE between {@code softmax(z + log n)} and targets over rows {@code [from, to)} (CIFAR's
     * {@code Lbu}).
     */
    public double unlabelledMse(double[][] logits, double[][] targets, int from, int to) {
        checkClasses(Batches.classes(logits));
        return UnlabelledMse.mean(logits, logPrior, targets, from, to);
    }

    void checkClasses(int classes) {
        if (classes != logPrior.length) {
            throw new IllegalArgumentException(
                    "logits have " + classes + " classes, counts have " + logPrior.length);
        }
    }

    @Override
    public String toString() {
        return "BalancedSoftmax" + Arrays.toString(logPrior);
    }
}
