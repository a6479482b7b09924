package io.sfastream.data.protocol;

import java.util.Arrays;

/**
 * Per-class sample counts of a long-tailed training set, computed as the reference code does
 * ({@code get_img_num_per_cls} in SFA's and RoLT's {@code dataloader_cifar.py}), so that our
 * subsets have exactly the reference's class sizes: class 0 is the head, counts truncate toward
 * zero.
 *
 * <p>{@code rho} is the reference's {@code imb_factor}: the tail/head size ratio, at most 1 (0.01
 * means an imbalance ratio of 100).
 */
public final class LongTailProfile {
    private LongTailProfile() {}

    /**
     * {@code n_k = (int) (nMax * rho^(k / (C - 1)))} for k = 0..C-1, e.g. CIFAR-10, 5000, 0.01:
     * 5000 ... 50.
     */
    public static int[] exponential(int nMax, double rho, int numClasses) {
        validate(nMax, rho, numClasses);
        int[] counts = new int[numClasses];
        for (int k = 0; k < numClasses; k++) {
            counts[k] = (int) (nMax * Math.pow(rho, k / (numClasses - 1.0)));
        }
        return counts;
    }

    /**
     * The first half of the classes get {@code nMax}, the second half {@code (int) (nMax * rho)}.
     *
     * <p>{@code numClasses} must be even: for odd C the reference returns only C - 1 counts ({@code
     * cls_num // 2} twice), which has no faithful reading.
     */
    public static int[] step(int nMax, double rho, int numClasses) {
        validate(nMax, rho, numClasses);
        if (numClasses % 2 != 0) {
            throw new IllegalArgumentException(
                    "step profile needs an even number of classes, got "
                            + numClasses
                            + " (the reference would give only "
                            + (numClasses - 1)
                            + " counts)");
        }
        int[] counts = new int[numClasses];
        Arrays.fill(counts, 0, numClasses / 2, nMax);
        Arrays.fill(counts, numClasses / 2, numClasses, (int) (nMax * rho));
        return counts;
    }

    /** Sum of the counts, the size N of the long-tailed set. */
    public static int total(int[] counts) {
        long sum = 0;
        for (int count : counts) {
            sum += count;
        }
        return Math.toIntExact(sum);
    }

    private static void validate(int nMax, double rho, int numClasses) {
        if (nMax <= 0) {
            throw new IllegalArgumentException(
                    "nMax (samples of the head class) must be positive, got " + nMax);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException(
                    "a long-tail profile needs at least 2 classes, got " + numClasses);
        }
        if (Double.isNaN(rho) || rho <= 0 || rho > 1) {
            String hint =
                    rho > 1
                            ? " (it is the tail/head ratio; for an imbalance ratio of "
                                    + rho
                                    + " pass "
                                    + (1 / rho)
                                    + ")"
                            : "";
            throw new IllegalArgumentException(
                    "rho (imbalance factor) must be in (0, 1], got " + rho + hint);
        }
    }
}
