package io.sfastream.data.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfastream.data.DatasetException;
import io.sfastream.data.ImageSet;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads the split files that SFA's {@code dataloader_cifar.py} caches, so a run can use the
 * reference's exact long-tailed subset and noisy labels: its generators (numpy's and CPython's
 * MT19937) are not ours, so {@link LongTailSubsampler} and {@link LabelNoise} reproduce the
 * protocol but not a particular reference run.
 *
 * <p>Both files are {@code json.dump} of a flat list of integers:
 *
 * <ul>
 *   <li>{@code imb_file/cifar{C}_{type}_{rho}}: the kept positions in the full training set (for
 *       CIFAR-10 the concatenation of {@code data_batch_1..5}), class-ordered ({@code
 *       gen_imbalanced_data}).
 *   <li>{@code noise_file/cifar{C}_{type}_{rho}_{mode}_{r}}: the noisy label of every kept sample,
 *       aligned with the index list ({@code get_noisy_data}).
 * </ul>
 */
public final class ReferenceSplitImport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceSplitImport() {}

    /**
     * The reference's long-tailed subset with its true labels, and its noisy labels.
     *
     * @param indices positions in the full training set, class-ordered
     * @param longTailed {@code fullTrain.subset(indices)}, with the true labels
     * @param noise the reference's noisy labels for {@code longTailed}, and which of them differ
     *     from the true ones
     */
    public record ImportedSplit(int[] indices, ImageSet longTailed, NoisyLabels noise) {
        public ImportedSplit {
            Objects.requireNonNull(indices, "indices");
            Objects.requireNonNull(longTailed, "longTailed");
            Objects.requireNonNull(noise, "noise");
            if (indices.length != longTailed.size() || indices.length != noise.labels().length) {
                throw new IllegalArgumentException(
                        indices.length
                                + " indices, "
                                + longTailed.size()
                                + " images, "
                                + noise.labels().length
                                + " noisy labels");
            }
        }

        /** The long-tailed set as training sees it, under the noisy labels. */
        public ImageSet noisy() {
            return longTailed.withLabels(noise.labels());
        }
    }

    /**
     * Loads both files against the full training set they were made from.
     *
     * <p>Besides lengths and ranges it checks that the indexed samples are class-ordered, as the
     * reference writes them: a file from another dataset, or a training set whose record order
     * differs from the reference's, fails here instead of giving a silently wrong subset.
     */
    public static ImportedSplit load(ImageSet fullTrain, Path imbFile, Path noiseFile)
            throws DatasetException {
        int[] indices = readIndices(imbFile, fullTrain.size());
        ImageSet longTailed = fullTrain.subset(indices);
        int[] trueLabels = longTailed.labels();
        for (int i = 1; i < trueLabels.length; i++) {
            if (trueLabels[i] < trueLabels[i - 1]) {
                throw new DatasetException(
                        imbFile
                                + ": not class-ordered against "
                                + fullTrain.name()
                                + ": position "
                                + i
                                + " (index "
                                + indices[i]
                                + ") has class "
                                + trueLabels[i]
                                + " after class "
                                + trueLabels[i - 1]
                                + "; is it the index file of another dataset, or is the training set in another order?");
            }
        }
        int[] noisy = readNoisyLabels(noiseFile, indices.length, fullTrain.numClasses());
        return new ImportedSplit(indices, longTailed, NoisyLabels.compare(trueLabels, noisy));
    }

    /**
     * The index list of an {@code imb_file}.
     *
     * @param fullSize size of the full training set; every index must be in [0, fullSize) and
     *     appear once
     */
    public static int[] readIndices(Path imbFile, int fullSize) throws DatasetException {
        int[] indices = readIntList(imbFile, "index");
        boolean[] seen = new boolean[fullSize];
        for (int i = 0; i < indices.length; i++) {
            int index = indices[i];
            if (index < 0 || index >= fullSize) {
                throw new DatasetException(
                        imbFile
                                + ": index "
                                + index
                                + " at position "
                                + i
                                + " is outside [0, "
                                + fullSize
                                + ") of the full training set");
            }
            if (seen[index]) {
                throw new DatasetException(
                        imbFile
                                + ": index "
                                + index
                                + " appears twice (again at position "
                                + i
                                + ")");
            }
            seen[index] = true;
        }
        return indices;
    }

    /**
     * The label list of a {@code noise_file}.
     *
     * @param expectedLength size of the long-tailed subset the labels belong to
     */
    public static int[] readNoisyLabels(Path noiseFile, int expectedLength, int numClasses)
            throws DatasetException {
        int[] labels = readIntList(noiseFile, "label");
        if (labels.length != expectedLength) {
            throw new DatasetException(
                    noiseFile
                            + ": "
                            + labels.length
                            + " noisy labels but the long-tailed subset has "
                            + expectedLength
                            + " samples; do the imb_file and noise_file belong together?");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new DatasetException(
                        noiseFile
                                + ": label "
                                + labels[i]
                                + " at position "
                                + i
                                + " is outside [0, "
                                + numClasses
                                + ")");
            }
        }
        return labels;
    }

    /**
     * {@code root/imb_file/cifar{C}_{imbType}_{rho}}, with {@code rho} spelled as Python's {@code
     * str(float)}.
     */
    public static Path imbalanceFile(Path root, int numClasses, String imbType, double rho) {
        return root.resolve("imb_file").resolve(baseName(numClasses, imbType, rho));
    }

    /**
     * {@code root/noise_file/cifar{C}_{imbType}_{rho}_{mode}_{ratio}}, numbers spelled as Python's
     * {@code str}.
     */
    public static Path noiseFile(
            Path root, int numClasses, String imbType, double rho, NoiseMode mode, double ratio) {
        return root.resolve("noise_file")
                .resolve(
                        baseName(numClasses, imbType, rho)
                                + "_"
                                + mode.referenceName()
                                + "_"
                                + pythonFloat(ratio));
    }

    private static String baseName(int numClasses, String imbType, double rho) {
        return "cifar"
                + numClasses
                + "_"
                + Objects.requireNonNull(imbType, "imbType")
                + "_"
                + pythonFloat(rho);
    }

    /**
     * Python's {@code str(float)} for the values that occur in file names (0.01, 0.1, 0.5, 1.0,
     * ...). Python switches to exponent notation below 1e-4 and from 1e16 on; those are rejected
     * rather than imitated.
     */
    static String pythonFloat(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    "cannot spell " + value + " as a reference file name");
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        double abs = Math.abs(value);
        if (abs < 1e-4 || abs >= 1e16) {
            throw new IllegalArgumentException(
                    value + " is spelled in exponent notation by Python; not supported");
        }
        String plain = new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    private static int[] readIntList(Path file, String what) throws DatasetException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException("missing file " + file);
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new DatasetException(
                    file + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read (" + e + ")", e);
        }
        if (root == null || root.isMissingNode() || !root.isArray()) {
            String found =
                    root == null || root.isMissingNode()
                            ? "no content"
                            : root.getNodeType().toString().toLowerCase(Locale.ROOT);
            throw new DatasetException(
                    file + ": expected a JSON list of " + what + " integers, found " + found);
        }
        int[] values = new int[root.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode node = root.get(i);
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw new DatasetException(
                        file + ": element " + i + " is " + node + ", expected an integer " + what);
            }
            values[i] = node.intValue();
        }
        return values;
    }
}
