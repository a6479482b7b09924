package io.sfastream.data.protocol;

import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Injects label noise the way SFA and RoLT do ({@code get_noisy_data} in their {@code
 * dataloader_cifar.py}): after the long tail is made, exactly {@code (int) (ratio * N)} samples,
 * chosen uniformly over the whole set, get a label that is never their true one, so the realised
 * noise rate is exactly {@code ratio} (unlike DivideMix's {@code sym}, which can redraw the true
 * class).
 *
 * <p>Procedure, with one generator seeded once: shuffle the indices 0..N-1; the flipped samples are
 * the first ones in that order (for {@link NoiseMode#ASYM}, the first flippable ones, see below);
 * then, in increasing index order, each flipped sample draws its new label:
 *
 * <ul>
 *   <li>{@link NoiseMode#IMB}: class j ≠ y with probability n_j / Σ_{k≠y} n_k, where n are the
 *       class counts of {@code trueLabels}, i.e. the intended long-tailed counts (the reference
 *       uses {@code img_num_list}). The draw is exact integer arithmetic, not floating-point
 *       roulette.
 *   <li>{@link NoiseMode#SYM}: (y + U{1..C-1}) mod C.
 *   <li>{@link NoiseMode#ASYM}: the fixed CIFAR-10 mapping truck→automobile, bird→airplane,
 *       deer→horse, cat↔dog; only for C = 10. Samples of the other classes (airplane, automobile,
 *       frog, horse, ship) have no other label to go to, so they are not flippable: the flipped
 *       samples are the first {@code (int) (ratio * N)} flippable samples in shuffled order, i.e. a
 *       uniform choice among the flippable ones. The realised rate over the whole set therefore
 *       stays exactly {@code ratio}, concentrated on the five mapped classes; if fewer than {@code
 *       (int) (ratio * N)} samples are flippable, it fails rather than silently flip fewer. (The
 *       reference does not implement asymmetric noise on long-tailed data; DivideMix's balanced
 *       version flips a uniform choice of all samples and lets unmapped ones keep their label.)
 * </ul>
 *
 * <p>The generator is Commons RNG's XO_RO_SHI_RO_128_PP, so one seed gives the same labels on every
 * JVM; it is not numpy's or CPython's, so it does not reproduce a reference run (use {@link
 * ReferenceSplitImport} for that).
 */
public final class LabelNoise {
    /** CIFAR-10 class → asymmetric-noise target; a class mapped to itself is not flippable. */
    private static final int[] ASYM_CIFAR10 = {0, 1, 0, 5, 7, 3, 6, 7, 8, 1};

    private LabelNoise() {}

    /**
     * @param trueLabels clean labels, each in [0, numClasses); not modified
     * @param ratio fraction of samples to flip, in [0, 1]
     * @throws IllegalArgumentException on invalid arguments, ASYM with numClasses ≠ 10, too few
     *     flippable samples for ASYM, or an IMB flip of a sample whose class is the only one
     *     present
     */
    public static NoisyLabels inject(
            int[] trueLabels, int numClasses, double ratio, NoiseMode mode, long seed) {
        Objects.requireNonNull(trueLabels, "trueLabels");
        Objects.requireNonNull(mode, "mode");
        if (numClasses < 2) {
            throw new IllegalArgumentException(
                    "label noise needs at least 2 classes, got " + numClasses);
        }
        if (Double.isNaN(ratio) || ratio < 0 || ratio > 1) {
            throw new IllegalArgumentException("noise ratio must be in [0, 1], got " + ratio);
        }
        if (mode == NoiseMode.ASYM && numClasses != ASYM_CIFAR10.length) {
            throw new IllegalArgumentException(
                    "ASYM noise is the CIFAR-10 class mapping and needs 10 classes, got "
                            + numClasses);
        }
        long[] cumulative = cumulativeCounts(trueLabels, numClasses);

        int n = trueLabels.length;
        int numFlips = (int) (ratio * n);
        UniformRandomProvider rng = Rngs.create(seed);
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        Rngs.shuffle(order, rng);

        boolean[] flipped = new boolean[n];
        int chosen = 0;
        for (int i = 0; i < n && chosen < numFlips; i++) {
            int index = order[i];
            if (mode != NoiseMode.ASYM || isAsymFlippable(trueLabels[index])) {
                flipped[index] = true;
                chosen++;
            }
        }
        if (chosen < numFlips) {
            throw new IllegalArgumentException(
                    "ASYM noise can flip only the "
                            + chosen
                            + " samples of classes 2, 3, 4, "
                            + "5 and 9 out of "
                            + n
                            + ", but ratio "
                            + ratio
                            + " asks for "
                            + numFlips
                            + " flips");
        }

        int[] labels = trueLabels.clone();
        for (int i = 0; i < n; i++) {
            if (flipped[i]) {
                labels[i] =
                        switch (mode) {
                            case IMB -> drawProportional(trueLabels[i], cumulative, rng);
                            case SYM ->
                                    (trueLabels[i] + 1 + rng.nextInt(numClasses - 1)) % numClasses;
                            case ASYM -> ASYM_CIFAR10[trueLabels[i]];
                        };
            }
        }
        return new NoisyLabels(labels, flipped, numFlips);
    }

    private static boolean isAsymFlippable(int label) {
        return ASYM_CIFAR10[label] != label;
    }

    /** {@code cumulative[k]} = number of samples with label ≤ k. */
    private static long[] cumulativeCounts(int[] labels, int numClasses) {
        long[] counts = new long[numClasses];
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException(
                        "true label "
                                + label
                                + " of sample "
                                + i
                                + " is outside [0, "
                                + numClasses
                                + ")");
            }
            counts[label]++;
        }
        for (int k = 1; k < numClasses; k++) {
            counts[k] += counts[k - 1];
        }
        return counts;
    }

    /**
     * Class j ≠ y with probability n_j / Σ_{k≠y} n_k: draw a position among the samples of the
     * other classes (the blocks of the cumulative counts with y's block cut out) and return the
     * class whose block holds it.
     */
    private static int drawProportional(int y, long[] cumulative, UniformRandomProvider rng) {
        long total = cumulative[cumulative.length - 1];
        long blockStart = y == 0 ? 0 : cumulative[y - 1];
        long others = total - (cumulative[y] - blockStart);
        if (others == 0) {
            throw new IllegalArgumentException(
                    "IMB noise cannot flip a sample of class "
                            + y
                            + ": it is the only class present, so there is no other class to draw");
        }
        long position = rng.nextLong(others);
        if (position >= blockStart) {
            position += cumulative[y] - blockStart;
        }
        // First class whose cumulative count exceeds the position; empty classes never qualify.
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > position) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
