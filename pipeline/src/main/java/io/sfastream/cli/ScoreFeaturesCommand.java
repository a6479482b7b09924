package io.sfastream.cli;

import io.sfastream.eval.DetectionMetrics;
import io.sfastream.eval.SelectionReport;
import io.sfastream.eval.ShotGroups;
import io.sfastream.sfa.MomentMode;
import io.sfastream.sfa.NumpyLegacyNormal;
import io.sfastream.sfa.SelectionBasis;
import io.sfastream.sfa.SfaBatchSelection;
import io.sfastream.sfa.SfaParams;
import io.sfastream.sfa.TinyClassFallback;
import io.sfastream.sfa.io.FeatureCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * SFA's sample selection on embeddings the user already has: one batch selection epoch ({@link
 * SfaBatchSelection}, the reference's {@code eval_train}) over a feature CSV, scores written to a
 * CSV, and an evaluation when the input carries true labels. No network, no Kafka, no Flink.
 */
@Command(
        name = "score-features",
        defaultValueProvider = SfaDefaults.class,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Score a CSV of embeddings with SFA's per-class selection (one selection epoch of the batch face) and "
                    + "write each sample's clean probability.",
            "",
            "Input: a header row, then one sample per row. Columns: 'id' and 'label' (the noisy label, an integer "
                    + ">= 0) are required; 'true_label' (optional) is only used to print an evaluation, never for "
                    + "scoring; 'confidence' (optional) is the classifier's probability of 'label' and decides which "
                    + "samples form the class centroids (confidence > tau*phi^epoch); every other column is a "
                    + "feature. Without 'confidence' every sample counts as confident and each class is scored "
                    + "against its plain centroid (the reference's first selection epoch).",
            "Output: id,label,clean_prob,clean,score,normalised_score,confident,basis[,true_label].",
            ""
        })
final class ScoreFeaturesCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "CSV",
            description = "Feature CSV to score.")
    Path input;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "CSV",
            description = "Where to write the scores.")
    Path output;

    @Option(
            names = "--num-classes",
            paramLabel = "C",
            description =
                    "Number of classes C (default: 1 + the largest label or true_label). Sets tau = 1/C.")
    Integer numClasses;

    @Option(
            names = "--warm-up",
            description =
                    "Warm-up epochs; the first selection epoch is warm-up + 1 (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(
            names = "--epoch",
            paramLabel = "E",
            description =
                    "The reference's 1-based selection epoch: sets the confidence threshold tau*phi^E and, in "
                            + "reference-faithful mode, whether the centroid is drawn (default: warm-up + 1).")
    Integer epoch;

    @Option(
            names = "--mode",
            converter = MomentModeConverter.class,
            description =
                    "Centroid moments: intended-ema (the paper) or reference-faithful (the code as run; from "
                            + "epoch warm-up + 2 on, head classes are scored against a heavily randomised centroid) "
                            + "(default: ${DEFAULT-VALUE}).")
    MomentMode mode;

    @Option(
            names = "--seed",
            description =
                    "Run seed of the centroid draws (default: ${DEFAULT-VALUE}, the reference's --seed).")
    long seed;

    @Option(
            names = "--numpy-seed",
            paramLabel = "S",
            description =
                    "Draw eps exactly as np.random.seed(S); np.random.normal(size=(C, d)) instead of from --seed.")
    Long numpySeed;

    @Option(
            names = "--p-threshold",
            description =
                    "A sample is clean when its clean probability is above this (default: ${DEFAULT-VALUE}).")
    double pThreshold;

    @Option(
            names = "--beta",
            description = "EMA momentum of the centroid moments (default: ${DEFAULT-VALUE}).")
    double beta;

    @Option(
            names = "--phi",
            description =
                    "Growth of the confidence threshold per epoch (default: ${DEFAULT-VALUE}).")
    double phi;

    @Option(names = "--tau", description = "Base of the confidence threshold (default: 1/C).")
    Double tau;

    @Option(
            names = "--min-sampled-count",
            description =
                    "A class is scored against a drawn centroid when it has more confident samples than this "
                            + "(default: ${DEFAULT-VALUE}; 0 draws for every class, as WebVision's script).")
    int minSampledCount;

    @Option(
            names = "--sample-rate",
            description = "Centroid draws per epoch (default: ${DEFAULT-VALUE}).")
    int sampleRate;

    @Option(
            names = "--min-gmm-scores",
            description =
                    "A class needs this many samples for its own GMM; smaller classes use --tiny-class-fallback "
                            + "(default: ${DEFAULT-VALUE}; 2 reproduces the reference, which fits every class).")
    int minGmmScores;

    @Option(
            names = "--tiny-class-fallback",
            converter = FallbackConverter.class,
            description =
                    "treat-as-clean, or pooled (one GMM over every class's normalised scores) (default: ${DEFAULT-VALUE}).")
    TinyClassFallback fallback;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out);
        } catch (IllegalArgumentException e) {
            err.println("score-features: " + e.getMessage());
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println("score-features: " + e);
            err.flush();
            return 1;
        }
    }

    private int run(PrintWriter out) throws IOException {
        if (!Files.isRegularFile(input)) {
            throw new IllegalArgumentException("no such file: " + input);
        }
        FeatureCsv.FeatureTable table = FeatureCsv.read(input);
        int c = numClasses != null ? numClasses : table.impliedClasses();
        if (c < table.impliedClasses()) {
            throw new IllegalArgumentException(
                    "--num-classes "
                            + c
                            + " but the file has label "
                            + (table.impliedClasses() - 1));
        }
        SfaParams.Builder b =
                SfaParams.builder(c)
                        .warmUpEpochs(warmUp)
                        .momentMode(mode)
                        .seed(seed)
                        .pThreshold(pThreshold)
                        .beta(beta)
                        .phi(phi)
                        .minSampledCount(minSampledCount)
                        .sampleRate(sampleRate)
                        .minScoresForGmm(minGmmScores)
                        .reservoirSize(Math.max(4096, minGmmScores))
                        .tinyClassFallback(fallback);
        if (tau != null) {
            b.tau(tau);
        }
        SfaParams params = b.build();
        int e = epoch != null ? epoch : params.firstSelectionEpoch();

        out.printf(
                Locale.ROOT,
                "read %d samples, %d classes, %d features from %s%s%n",
                table.size(),
                c,
                table.dimension(),
                input,
                table.confidences() == null
                        ? " (no confidence column: every sample counts as confident)"
                        : "");
        out.printf(
                Locale.ROOT,
                "selection epoch %d, mode %s%s, p-threshold %s%n",
                e,
                mode,
                table.confidences() == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ", confidence threshold %.4f",
                                params.confidenceThreshold().at(e)),
                pThreshold);

        SfaBatchSelection selection = new SfaBatchSelection(params);
        if (numpySeed != null) {
            selection.withNumpyNoise(new NumpyLegacyNormal(numpySeed));
        }
        SfaBatchSelection.Result result =
                selection.select(table.features(), table.labels(), table.confidences(), e);

        out.printf(
                Locale.ROOT,
                "%5s %8s %9s %7s %-16s %7s%n",
                "class",
                "samples",
                "confident",
                "sampled",
                "decided by",
                "clean");
        for (SfaBatchSelection.ClassSummary s : result.classes()) {
            if (s.samples() == 0) {
                continue;
            }
            out.printf(
                    Locale.ROOT,
                    "%5d %8d %9d %7s %-16s %7d%n",
                    s.classIndex(),
                    s.samples(),
                    s.confidentCount(),
                    s.sampled() ? "yes" : "no",
                    decidedBy(s),
                    s.cleanCount());
        }
        int selected = 0;
        for (boolean x : result.clean()) {
            selected += x ? 1 : 0;
        }
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        FeatureCsv.write(output, table, result);
        out.printf(
                Locale.ROOT,
                "%d of %d samples selected as clean; wrote %s%n",
                selected,
                table.size(),
                output);

        if (table.trueLabels() != null) {
            printEvaluation(out, table, result, c);
        }
        out.flush();
        return 0;
    }

    /**
     * The reference's stats-log numbers: AUROC, then precision and recall of the clean selection
     * per shot group.
     */
    private static void printEvaluation(
            PrintWriter out,
            FeatureCsv.FeatureTable table,
            SfaBatchSelection.Result result,
            int c) {
        int n = table.size();
        boolean[] trulyClean = new boolean[n];
        int[] counts = new int[c];
        for (int i = 0; i < n; i++) {
            trulyClean[i] = table.labels()[i] == table.trueLabels()[i];
            counts[table.labels()[i]]++;
        }
        ShotGroups groups = ShotGroups.byCount(counts);
        SelectionReport report =
                SelectionReport.of(
                        result.cleanProbability(),
                        result.clean(),
                        trulyClean,
                        table.labels(),
                        groups);
        out.printf(
                Locale.ROOT,
                "evaluation against true_label: AUROC %.4f (clean_prob against the truly clean)%n",
                report.auroc());
        out.printf(
                Locale.ROOT,
                "precision and recall of the clean selection; shot groups by label count (many > 100, "
                        + "few < 20):%n");
        out.printf(
                Locale.ROOT,
                "%-8s %7s %8s %11s %8s %9s %7s%n",
                "group",
                "classes",
                "samples",
                "mislabelled",
                "selected",
                "precision",
                "recall");
        printGroup(out, "overall", c, n, report.overall());
        for (ShotGroups.Group g : ShotGroups.Group.values()) {
            int classes = 0;
            int samples = 0;
            for (int k = 0; k < c; k++) {
                if (counts[k] > 0 && groups.of(k) == g) {
                    classes++;
                    samples += counts[k];
                }
            }
            if (classes > 0) {
                printGroup(
                        out,
                        g.name().toLowerCase(Locale.ROOT),
                        classes,
                        samples,
                        report.byGroup().get(g));
            }
        }
    }

    private static void printGroup(
            PrintWriter out,
            String name,
            int classes,
            int samples,
            DetectionMetrics.PrecisionRecall pr) {
        out.printf(
                Locale.ROOT,
                "%-8s %7d %8d %11d %8d %9.4f %7.4f%n",
                name,
                classes,
                samples,
                samples - pr.relevant(),
                pr.selected(),
                pr.precision(),
                pr.recall());
    }

    private static String decidedBy(SfaBatchSelection.ClassSummary s) {
        if (!s.hasCentroid()) {
            return SelectionBasis.NO_CENTROID.name().toLowerCase(Locale.ROOT);
        }
        return s.selection().hasGmm() ? "gmm" : "tiny-class";
    }

    static final class MomentModeConverter implements CommandLine.ITypeConverter<MomentMode> {
        @Override
        public MomentMode convert(String value) {
            try {
                return MomentMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class FallbackConverter implements CommandLine.ITypeConverter<TinyClassFallback> {
        @Override
        public TinyClassFallback convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            return switch (v) {
                case "treat-as-clean" -> TinyClassFallback.TREAT_AS_CLEAN;
                case "pooled" -> TinyClassFallback.POOLED;
                default ->
                        throw new CommandLine.TypeConversionException(
                                "expected treat-as-clean or pooled, got '" + value + "'");
            };
        }
    }
}
