package io.sfastream.pipeline.report;

import io.sfastream.eval.DetectionMetrics;
import io.sfastream.eval.ShotGroups;
import io.sfastream.pipeline.eval.Detection;
import io.sfastream.pipeline.eval.ModelAccuracy;
import io.sfastream.pipeline.eval.NoiseEvaluation;
import io.sfastream.pipeline.eval.Verdict;
import io.sfastream.schemas.Image;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes what {@code sfa evaluate} found into a folder: {@code report.md} (the tables, the plots,
 * where the run's scorer loses), {@code metrics.csv} (every number of the report, long format), the
 * PNG plots, and with {@link #writeIssues} the ranked suspected label errors.
 */
public final class EvaluationReport {
    public static final String REPORT = "report.md";
    public static final String METRICS = "metrics.csv";
    public static final String ISSUES_CSV = "label-issues.csv";
    public static final String ISSUES_PNG = "label-issues.png";

    /**
     * @param title what was evaluated (the run, the data)
     * @param provenance where the scores came from and the command that re-creates the report
     */
    public record Context(String title, List<String> provenance) {}

    private EvaluationReport() {}

    /** Writes the report, the metrics and the plots; returns the report's path. */
    public static Path write(NoiseEvaluation ev, ModelAccuracy accuracy, Context context, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        SortedMap<Integer, Double> accuracyByEpoch =
                accuracy == null ? new TreeMap<>() : accuracy.byEpoch(ev.versionByEpoch());
        List<Path> plots = new ArrayList<>();
        plots.add(ReportPlots.precisionRecall(ev, dir));
        plots.add(ReportPlots.noiseRatePerClass(ev, dir));
        plots.add(ReportPlots.perEpoch(ev, accuracyByEpoch, dir));
        if (accuracy != null && accuracy.finalPerClass() != null) {
            plots.add(
                    ReportPlots.accuracyPerClass(
                            accuracy.finalPerClass(),
                            "Test accuracy per class of model version " + accuracy.finalVersion(),
                            dir));
        }
        if (ev.classes() > 0 && sumOf(ev.givenVsSuggested()) > 0) {
            plots.add(ReportPlots.givenVsSuggested(ev, dir));
        }
        writeMetrics(ev, accuracy, dir.resolve(METRICS));
        Path report = dir.resolve(REPORT);
        Files.writeString(report, markdown(ev, accuracy, accuracyByEpoch, context, plots));
        return report;
    }

    static String markdown(
            NoiseEvaluation ev,
            ModelAccuracy accuracy,
            SortedMap<Integer, Double> accuracyByEpoch,
            Context context,
            List<Path> plots) {
        StringBuilder md = new StringBuilder();
        String own = ev.rules().get(0);
        md.append("# ").append(context.title()).append("\n\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "%d samples (distinct ids), %d of them mislabelled (%.1f%%), %d classes, %d"
                                + " virtual epochs. Positive = mislabelled: AUROC and AP rank by"
                                + " each rule's noise score, precision/recall/F1 are of its flag."
                                + " Shot groups by given-label count: %s.\n\n",
                        ev.samples(),
                        ev.mislabelled(),
                        ev.samples() == 0 ? 0.0 : 100.0 * ev.mislabelled() / ev.samples(),
                        ev.classes(),
                        ev.epochs(),
                        groupsInWords(ev)));
        for (String line : context.provenance()) {
            md.append("- ").append(line).append('\n');
        }
        md.append("\n## Final verdicts\n\n");
        md.append(
                "Each sample's verdict from the latest epoch the rule judged it in (a warm-up pass is"
                        + " no verdict).\n\n");
        md.append(
                "| rule | judged | mislabelled | flagged | AUROC | AP | precision | recall | F1 |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String rule : ev.rules()) {
            Detection d = ev.overall().get(rule);
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %d | %d | %s | %s | %s | %s | %s |\n",
                            rule,
                            d.samples(),
                            d.mislabelled(),
                            d.flagged(),
                            f4(d.auroc()),
                            f4(d.averagePrecision()),
                            f3(d.flag().precision()),
                            f3(d.flag().recall()),
                            f3(d.flag().f1())));
        }
        List<String> losses = ev.whereTheScorerLoses();
        md.append('\n');
        if (ev.rules().size() > 1) {
            if (losses.isEmpty()) {
                md.append("**")
                        .append(own)
                        .append(" is ahead of every other rule on AUROC, AP and F1 here.**\n");
            } else {
                md.append("**Where ").append(own).append(" loses:**\n\n");
                for (String l : losses) {
                    md.append("- ").append(l).append('\n');
                }
            }
        }

        md.append("\n## Per shot group\n\n");
        md.append(
                "| rule | group | judged | mislabelled | AUROC | AP | precision | recall | F1 |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String rule : ev.rules()) {
            for (var g : ev.byGroup().get(rule).entrySet()) {
                Detection d = g.getValue();
                if (d.samples() == 0) {
                    continue;
                }
                md.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %d | %d | %s | %s | %s | %s | %s |\n",
                                rule,
                                g.getKey().name().toLowerCase(Locale.ROOT),
                                d.samples(),
                                d.mislabelled(),
                                f4(d.auroc()),
                                f4(d.averagePrecision()),
                                f3(d.flag().precision()),
                                f3(d.flag().recall()),
                                f3(d.flag().f1())));
            }
        }

        md.append("\n## Per virtual epoch\n\n");
        md.append(
                "AUROC / F1 of each rule on the epoch's verdicts; the model version that scored the"
                        + " epoch and its test accuracy; SFA's noise-rate error = mean over classes of"
                        + " |estimated − true| at the epoch's boundary.\n\n");
        StringBuilder head = new StringBuilder("| epoch | version | test acc |");
        StringBuilder rule = new StringBuilder("|---:|---:|---:|");
        for (String r : ev.rules()) {
            head.append(' ').append(r).append(" AUROC / F1 |");
            rule.append("---:|");
        }
        head.append(" SFA noise-rate error |\n");
        rule.append("---:|\n");
        md.append(head).append(rule);
        for (var e : ev.versionByEpoch().entrySet()) {
            int epoch = e.getKey();
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %d | %s |",
                            epoch,
                            e.getValue(),
                            f4(accuracyByEpoch.getOrDefault(epoch, Double.NaN))));
            for (String r : ev.rules()) {
                Detection d = ev.byEpoch().get(r).get(epoch);
                md.append(
                        d == null
                                ? " - |"
                                : " " + f4(d.auroc()) + " / " + f3(d.flag().f1()) + " |");
            }
            NoiseEvaluation.EpochNoise n = ev.noiseEstimateByEpoch().get(epoch);
            md.append(' ')
                    .append(
                            n == null || n.classesEstimated() == 0
                                    ? "-"
                                    : f3(n.meanAbsoluteError())
                                            + " ("
                                            + n.classesEstimated()
                                            + " classes)")
                    .append(" |\n");
        }

        md.append("\n## Per class\n\n");
        StringBuilder ch =
                new StringBuilder("| class | group | samples | true noise | SFA estimate |");
        StringBuilder cr = new StringBuilder("|---:|---|---:|---:|---:|");
        for (String r : ev.rules()) {
            ch.append(' ').append(r).append(" flagged |");
            cr.append("---:|");
        }
        ch.append(' ').append(own).append(" AUROC | ").append(own).append(" P / R |\n");
        cr.append("---:|---:|\n");
        md.append(ch).append(cr);
        for (NoiseEvaluation.ClassNoise c : ev.classNoise()) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %s | %d | %s | %s |",
                            c.label(),
                            ev.groups().of(c.label()).name().toLowerCase(Locale.ROOT),
                            c.samples(),
                            f3(c.trueRate()),
                            f3(c.sfaEstimate())));
            for (String r : ev.rules()) {
                md.append(' ').append(f3(c.flaggedRate().get(r))).append(" |");
            }
            Detection d = ev.byClass().get(own).get(c.label());
            md.append(' ')
                    .append(d == null ? "-" : f4(d.auroc()))
                    .append(" | ")
                    .append(
                            d == null
                                    ? "-"
                                    : f3(d.flag().precision()) + " / " + f3(d.flag().recall()))
                    .append(" |\n");
        }

        if (accuracy != null) {
            md.append("\n## Model versions on ").append(accuracy.testSet()).append("\n\n");
            md.append("| version | test accuracy |\n|---:|---:|\n");
            accuracy.byVersion()
                    .forEach(
                            (v, a) ->
                                    md.append("| ")
                                            .append(v)
                                            .append(" | ")
                                            .append(f4(a))
                                            .append(" |\n"));
        }

        md.append("\n## Plots\n\n");
        for (Path p : plots) {
            md.append("![")
                    .append(p.getFileName())
                    .append("](")
                    .append(p.getFileName())
                    .append(")\n\n");
        }
        md.append("## Files\n\n- `")
                .append(METRICS)
                .append(
                        "`: every number above, one per row (section, rule, scope, key, metric,"
                                + " value)\n");
        return md.toString();
    }

    /** Every number of the report, long format. */
    static void writeMetrics(NoiseEvaluation ev, ModelAccuracy accuracy, Path file)
            throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter out =
                        CSVFormat.DEFAULT
                                .builder()
                                .setHeader("section", "rule", "scope", "key", "metric", "value")
                                .get()
                                .print(w)) {
            for (String rule : ev.rules()) {
                detection(out, "final", rule, "all", "", ev.overall().get(rule));
                for (var g : ev.byGroup().get(rule).entrySet()) {
                    detection(
                            out,
                            "group",
                            rule,
                            "group",
                            g.getKey().name().toLowerCase(Locale.ROOT),
                            g.getValue());
                }
                for (var c : ev.byClass().get(rule).entrySet()) {
                    detection(out, "class", rule, "class", c.getKey().toString(), c.getValue());
                }
                for (var e : ev.byEpoch().get(rule).entrySet()) {
                    detection(out, "epoch", rule, "epoch", e.getKey().toString(), e.getValue());
                }
            }
            for (NoiseEvaluation.ClassNoise c : ev.classNoise()) {
                String k = String.valueOf(c.label());
                out.printRecord("noise-rate", "truth", "class", k, "true_rate", num(c.trueRate()));
                out.printRecord("noise-rate", "truth", "class", k, "samples", c.samples());
                out.printRecord(
                        "noise-rate", "sfa", "class", k, "estimated_rate", num(c.sfaEstimate()));
                for (var f : c.flaggedRate().entrySet()) {
                    out.printRecord(
                            "noise-rate",
                            f.getKey(),
                            "class",
                            k,
                            "flagged_rate",
                            num(f.getValue()));
                }
            }
            for (NoiseEvaluation.EpochNoise n : ev.noiseEstimateByEpoch().values()) {
                String k = String.valueOf(n.epoch());
                out.printRecord(
                        "noise-estimate", "sfa", "epoch", k, "classes", n.classesEstimated());
                out.printRecord(
                        "noise-estimate",
                        "sfa",
                        "epoch",
                        k,
                        "mean_abs_error",
                        num(n.meanAbsoluteError()));
            }
            for (var e : ev.versionByEpoch().entrySet()) {
                out.printRecord("epoch", "", "epoch", e.getKey(), "model_version", e.getValue());
            }
            if (accuracy != null) {
                for (var v : accuracy.byVersion().entrySet()) {
                    out.printRecord(
                            "accuracy",
                            "",
                            "version",
                            v.getKey(),
                            "test_accuracy",
                            num(v.getValue()));
                }
                double[] pc = accuracy.finalPerClass();
                for (int k = 0; pc != null && k < pc.length; k++) {
                    out.printRecord(
                            "accuracy",
                            "v" + accuracy.finalVersion(),
                            "class",
                            k,
                            "test_accuracy",
                            num(pc[k]));
                }
            }
            for (int g = 0; g < ev.classes(); g++) {
                for (int s = 0; s < ev.classes(); s++) {
                    if (ev.givenVsSuggested()[g][s] > 0) {
                        out.printRecord(
                                "given-vs-suggested",
                                "",
                                "given",
                                g,
                                "suggested_" + s,
                                ev.givenVsSuggested()[g][s]);
                    }
                }
            }
        }
    }

    /**
     * The ranked suspected errors of the run's scorer: {@code label-issues.csv}, and when images
     * are given a contact sheet {@code label-issues.png} (one row per class).
     *
     * @param images by sample id (may be empty: then no sheet)
     */
    public static Map<Integer, List<LabelIssues.Issue>> writeIssues(
            NoiseEvaluation ev, int perClass, Map<String, Image> images, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        List<Verdict> fin = ev.finalVerdicts().get(ev.rules().get(0));
        Map<Integer, List<LabelIssues.Issue>> issues = LabelIssues.top(fin, perClass);
        LabelIssues.writeCsv(issues, dir.resolve(ISSUES_CSV));
        if (!images.isEmpty()) {
            List<String> titles = new ArrayList<>();
            List<List<ContactSheet.Cell>> rows = new ArrayList<>();
            for (var e : issues.entrySet()) {
                titles.add("given " + e.getKey());
                List<ContactSheet.Cell> cells = new ArrayList<>();
                for (LabelIssues.Issue i : e.getValue()) {
                    Image img = images.get(i.row().id());
                    cells.add(
                            new ContactSheet.Cell(
                                    img == null ? null : ContactSheet.toPicture(img),
                                    LabelIssues.caption(i)));
                }
                rows.add(cells);
            }
            ContactSheet.write(
                    titles,
                    rows,
                    "Suspected label errors of "
                            + ev.rules().get(0)
                            + ", most suspicious first (given -> suggested (confidence); ! ="
                            + " flagged)",
                    dir.resolve(ISSUES_PNG));
        }
        return issues;
    }

    private static void detection(
            CSVPrinter out, String section, String rule, String scope, String key, Detection d)
            throws IOException {
        if (d == null) {
            return;
        }
        out.printRecord(section, rule, scope, key, "samples", d.samples());
        out.printRecord(section, rule, scope, key, "mislabelled", d.mislabelled());
        out.printRecord(section, rule, scope, key, "flagged", d.flagged());
        out.printRecord(section, rule, scope, key, "auroc", num(d.auroc()));
        out.printRecord(section, rule, scope, key, "average_precision", num(d.averagePrecision()));
        DetectionMetrics.PrecisionRecall f = d.flag();
        out.printRecord(section, rule, scope, key, "precision", num(f.precision()));
        out.printRecord(section, rule, scope, key, "recall", num(f.recall()));
        out.printRecord(section, rule, scope, key, "f1", num(f.f1()));
    }

    private static String groupsInWords(NoiseEvaluation ev) {
        Map<ShotGroups.Group, List<Integer>> g = new TreeMap<>();
        for (int k = 0; k < ev.classes(); k++) {
            g.computeIfAbsent(ev.groups().of(k), x -> new ArrayList<>()).add(k);
        }
        List<String> parts = new ArrayList<>();
        g.forEach((k, v) -> parts.add(k.name().toLowerCase(Locale.ROOT) + " " + v));
        return String.join(", ", parts);
    }

    private static long sumOf(long[][] m) {
        long s = 0;
        for (long[] r : m) {
            for (long v : r) {
                s += v;
            }
        }
        return s;
    }

    private static Object num(Double v) {
        return v == null || Double.isNaN(v) ? "" : v;
    }

    static String f4(Double v) {
        return v == null || Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String f3(Double v) {
        return v == null || Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
