package io.sfastream.pipeline.report;

import io.sfastream.pipeline.eval.ScoreRow;
import io.sfastream.pipeline.eval.Verdict;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The suspected label errors a person can act on: per class (given label), the samples the rule
 * thinks most likely mislabelled, most suspicious first, with the model's suggested label.
 */
public final class LabelIssues {
    /** One suspected error, ranked within its class from 1. */
    public record Issue(int rank, ScoreRow row, double cleanProbability, boolean flagged) {}

    private LabelIssues() {}

    /**
     * The top {@code perClass} of each class by noise score (flagged samples before unflagged ones
     * of the same score; ties by id, so the list is the same run after run).
     */
    public static Map<Integer, List<Issue>> top(List<Verdict> finalVerdicts, int perClass) {
        Map<Integer, List<Verdict>> byClass = new TreeMap<>();
        for (Verdict v : finalVerdicts) {
            byClass.computeIfAbsent(v.row().label(), k -> new ArrayList<>()).add(v);
        }
        Comparator<Verdict> order =
                Comparator.comparingDouble(Verdict::noiseScore)
                        .reversed()
                        .thenComparing(Verdict::flagged, Comparator.reverseOrder())
                        .thenComparing(v -> v.row().id());
        Map<Integer, List<Issue>> out = new TreeMap<>();
        byClass.forEach(
                (k, vs) -> {
                    List<Verdict> sorted = vs.stream().sorted(order).limit(perClass).toList();
                    List<Issue> issues = new ArrayList<>();
                    for (int i = 0; i < sorted.size(); i++) {
                        Verdict v = sorted.get(i);
                        issues.add(new Issue(i + 1, v.row(), 1 - v.noiseScore(), v.flagged()));
                    }
                    out.put(k, issues);
                });
        return out;
    }

    /** The list as CSV (one row per issue). */
    public static void writeCsv(Map<Integer, List<Issue>> issues, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter out =
                        CSVFormat.DEFAULT
                                .builder()
                                .setHeader(
                                        "given_label",
                                        "rank",
                                        "id",
                                        "clean_probability",
                                        "flagged",
                                        "suggested_label",
                                        "suggested_confidence",
                                        "true_label",
                                        "epoch",
                                        "model_version")
                                .get()
                                .print(w)) {
            for (List<Issue> list : issues.values()) {
                for (Issue i : list) {
                    ScoreRow r = i.row();
                    out.printRecord(
                            r.label(),
                            i.rank(),
                            r.id(),
                            i.cleanProbability(),
                            i.flagged(),
                            r.predictedLabel() < 0 ? "" : r.predictedLabel(),
                            Double.isNaN(r.predictedConfidence()) ? "" : r.predictedConfidence(),
                            r.trueLabel() < 0 ? "" : r.trueLabel(),
                            r.epoch(),
                            r.modelVersion());
                }
            }
        }
    }

    /** The caption lines of an issue on the contact sheet. */
    static List<String> caption(Issue i) {
        ScoreRow r = i.row();
        List<String> lines = new ArrayList<>();
        lines.add(
                String.format(
                        Locale.ROOT,
                        "#%d p(clean) %.2f%s",
                        i.rank(),
                        i.cleanProbability(),
                        i.flagged() ? " !" : ""));
        lines.add(
                r.predictedLabel() < 0
                        ? "given " + r.label()
                        : String.format(
                                Locale.ROOT,
                                "%d -> %d (%.2f)",
                                r.label(),
                                r.predictedLabel(),
                                r.predictedConfidence()));
        if (r.hasTruth()) {
            lines.add("true " + r.trueLabel() + (r.mislabelled() ? " (wrong)" : " (right)"));
        }
        return lines;
    }
}
