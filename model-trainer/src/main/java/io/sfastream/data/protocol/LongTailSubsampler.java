package io.sfastream.data.protocol;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Chooses which samples form the long-tailed subset, following {@code gen_imbalanced_data} of the
 * reference: for each class in label order, shuffle that class's indices and keep the first {@code
 * n_k}.
 *
 * <p>The result is class-ordered (all kept class-0 indices, then class 1, ...), not sorted by
 * index, because the reference's noise file is aligned with exactly this order. Our generator is
 * not numpy's, so the chosen samples differ from a reference run; use {@link ReferenceSplitImport}
 * to reproduce one exactly.
 */
public final class LongTailSubsampler {
    private LongTailSubsampler() {}

    /**
     * @param labels label of every sample of the full (balanced) set
     * @param countsPerClass samples to keep per class, e.g. from {@link LongTailProfile}; its
     *     length is the number of classes
     * @param seed one generator is seeded once and used for all classes in order
     * @return indices into {@code labels}, class-ordered, of length {@code sum(countsPerClass)}
     * @throws IllegalArgumentException if a label is outside [0, countsPerClass.length) or a class
     *     has fewer samples than requested
     */
    public static int[] select(int[] labels, int[] countsPerClass, long seed) {
        int numClasses = countsPerClass.length;
        int[] available = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException(
                        "label "
                                + label
                                + " of sample "
                                + i
                                + " is outside [0, "
                                + numClasses
                                + ") given "
                                + numClasses
                                + " per-class counts");
            }
            available[label]++;
        }
        for (int k = 0; k < numClasses; k++) {
            if (countsPerClass[k] < 0) {
                throw new IllegalArgumentException(
                        "class " + k + ": negative count " + countsPerClass[k]);
            }
            if (countsPerClass[k] > available[k]) {
                throw new IllegalArgumentException(
                        "class "
                                + k
                                + " has "
                                + available[k]
                                + " samples but "
                                + countsPerClass[k]
                                + " were asked for");
            }
        }

        int[][] byClass = new int[numClasses][];
        int[] fill = new int[numClasses];
        for (int k = 0; k < numClasses; k++) {
            byClass[k] = new int[available[k]];
        }
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][fill[labels[i]]++] = i;
        }

        UniformRandomProvider rng = Rngs.create(seed);
        int[] selected = new int[LongTailProfile.total(countsPerClass)];
        int at = 0;
        for (int k = 0; k < numClasses; k++) {
            Rngs.shuffle(byClass[k], rng);
            System.arraycopy(byClass[k], 0, selected, at, countsPerClass[k]);
            at += countsPerClass[k];
        }
        assert at == selected.length : Arrays.toString(countsPerClass);
        return selected;
    }
}
