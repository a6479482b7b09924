package io.sfastream.pipeline.replay;

import io.sfastream.data.DatasetException;
import io.sfastream.data.protocol.LabelNoise;
import io.sfastream.data.protocol.LongTailProfile;
import io.sfastream.data.protocol.LongTailSubsampler;
import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.data.protocol.NoisyLabels;
import io.sfastream.data.protocol.ReferenceSplitImport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paper's long-tail and noise protocols as {@code sfa replay} applies them, on labels only (so
 * a file-backed dataset decodes just the samples it keeps), with the seeds of {@link
 * ReplayDataset#longTailedNoisy}: subset {@code seed}, noise {@code seed + 1}, replay order {@code
 * seed + 2}. The same flags therefore give {@code sfa demo}'s replay exactly.
 *
 * <ul>
 *   <li>Long tail: class k keeps {@code int(nMax·ρ^(k/(C−1)))}; {@code maxPerClass = 0} means
 *       {@code nMax} = the largest class. A class with fewer samples than its share keeps all it
 *       has (noted in {@link Selection#notes()}). {@code maxPerClass = 0} with {@code ρ = 1} keeps
 *       everything, in the dataset's order.
 *   <li>Noise: exactly {@code int(r·N)} flips ({@link LabelNoise}), or the given labels as they are
 *       when the dataset's labels already are noisy (features CSV with {@code true_label}).
 *   <li>Or the reference's JSON files: {@code imbFile} (kept indices, class-ordered) and/or {@code
 *       noiseFile} (the noisy label of every kept sample).
 * </ul>
 */
public record ReplayProtocol(
        int maxPerClass,
        double imbalance,
        double noiseRatio,
        NoiseMode noiseMode,
        long seed,
        Path imbFile,
        Path noiseFile) {

    public ReplayProtocol {
        if (maxPerClass < 0) {
            throw new IllegalArgumentException("--max-per-class must be >= 0, got " + maxPerClass);
        }
        if (!(imbalance > 0 && imbalance <= 1)) {
            throw new IllegalArgumentException("--imbalance must be in (0, 1], got " + imbalance);
        }
        if (!(noiseRatio >= 0 && noiseRatio <= 1)) {
            throw new IllegalArgumentException(
                    "--noise-ratio must be in [0, 1], got " + noiseRatio);
        }
    }

    /** Which samples are kept, class-ordered, and what was adjusted on the way. */
    public record Selection(int[] kept, List<String> notes) {}

    public boolean longTailed() {
        return imbFile != null || maxPerClass > 0 || imbalance != 1.0;
    }

    /** The kept positions of a dataset with these (true) labels. */
    public Selection select(int[] labels, int numClasses) throws DatasetException {
        if (imbFile != null) {
            return new Selection(
                    ReferenceSplitImport.readIndices(imbFile, labels.length), List.of());
        }
        if (!longTailed()) {
            int[] all = new int[labels.length];
            java.util.Arrays.setAll(all, i -> i);
            return new Selection(all, List.of());
        }
        int[] available = new int[numClasses];
        for (int y : labels) {
            available[y]++;
        }
        int nMax = maxPerClass;
        if (nMax == 0) {
            for (int a : available) {
                nMax = Math.max(nMax, a);
            }
        }
        int[] counts = LongTailProfile.exponential(nMax, imbalance, numClasses);
        List<String> notes = new ArrayList<>();
        for (int k = 0; k < numClasses; k++) {
            if (counts[k] > available[k]) {
                notes.add(
                        "class "
                                + k
                                + " has "
                                + available[k]
                                + " samples, fewer than its long-tail share "
                                + counts[k]
                                + ": all kept");
                counts[k] = available[k];
            }
        }
        return new Selection(LongTailSubsampler.select(labels, counts, seed), notes);
    }

    /**
     * The given labels of the kept samples.
     *
     * @param trueLabels the kept samples' true labels
     * @param givenLabels labels the data already carries (noisy), or null to inject noise
     */
    public NoisyLabels noise(int[] trueLabels, int numClasses, int[] givenLabels)
            throws DatasetException {
        if (noiseFile != null) {
            return NoisyLabels.compare(
                    trueLabels,
                    ReferenceSplitImport.readNoisyLabels(noiseFile, trueLabels.length, numClasses));
        }
        if (givenLabels != null) {
            if (noiseRatio > 0) {
                throw new IllegalArgumentException(
                        "the data already carries noisy labels beside its true labels: drop"
                                + " --noise-ratio (or replay it without true labels)");
            }
            return NoisyLabels.compare(trueLabels, givenLabels);
        }
        return LabelNoise.inject(trueLabels, numClasses, noiseRatio, noiseMode, seed + 1);
    }

    /** The first pass's order ({@link ReplayOrder}). */
    public int[] order(int n) {
        return ReplayOrder.of(seed, n, 1);
    }

    /** Pass {@code pass} (1-based) of a replay of {@code n} ({@link ReplayOrder}). */
    public int[] passOrder(int n, int pass) {
        return ReplayOrder.of(seed, n, pass);
    }

    /**
     * The replay's name: the dataset's name and what was done to it, e.g. {@code
     * fashion-mnist-train-lt0.1-imb0.2-seed42} (as {@link ReplayDataset} names it).
     */
    public String name(String dataset) {
        StringBuilder b = new StringBuilder(dataset);
        if (imbFile != null || noiseFile != null) {
            b.append("-ref");
            if (imbFile != null) {
                b.append('-').append(imbFile.getFileName());
            }
            if (noiseFile != null) {
                b.append('-').append(noiseFile.getFileName());
            }
            return b.toString();
        }
        if (longTailed()) {
            b.append("-lt").append(imbalance);
        }
        if (noiseRatio > 0) {
            b.append('-').append(noiseMode.name().toLowerCase(Locale.ROOT)).append(noiseRatio);
        }
        return b.append("-seed").append(seed).toString();
    }
}
