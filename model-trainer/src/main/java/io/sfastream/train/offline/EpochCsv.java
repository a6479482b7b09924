package io.sfastream.train.offline;

import io.sfastream.eval.DetectionMetrics;
import io.sfastream.eval.SelectionReport;
import io.sfastream.eval.ShotGroups;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The per-epoch CSV of an offline run (what the reference writes to {@code *_stats.txt} and its
 * log, in one table): epoch, phase, learning rate, seconds; per network the steps, mean losses, the
 * number selected, AUROC of the clean probability against the truth and precision/recall overall
 * and per shot group; the ensemble's test accuracy overall and per class. Rows are appended and
 * flushed after each epoch; {@link #truncateAfter} drops the rows of epochs a resumed run will
 * redo.
 */
public final class EpochCsv {
    private static final String[] LOSSES = {"ce", "bce", "lx", "lu", "lbx", "lbu", "penalty"};

    private EpochCsv() {}

    public static List<String> header(int networks, int numClasses) {
        List<String> h =
                new ArrayList<>(
                        List.of(
                                "epoch",
                                "phase",
                                "lr",
                                "seconds",
                                "train_seconds",
                                "selection_seconds",
                                "test_seconds"));
        for (int k = 1; k <= networks; k++) {
            String p = "net" + k + "_";
            h.add(p + "steps");
            for (String l : LOSSES) {
                h.add(p + l);
            }
            h.add(p + "lambda_u");
            h.add(p + "selected");
            h.add(p + "auc");
            h.add(p + "precision");
            h.add(p + "recall");
            for (ShotGroups.Group g : ShotGroups.Group.values()) {
                String gn = g.name().toLowerCase(Locale.ROOT);
                h.add(p + gn + "_precision");
                h.add(p + gn + "_recall");
            }
        }
        h.add("test_accuracy");
        for (int c = 0; c < numClasses; c++) {
            h.add("test_accuracy_class_" + c);
        }
        h.add("skipped_images");
        return h;
    }

    public static List<String> row(EpochReport r) {
        List<String> row = new ArrayList<>();
        row.add(Integer.toString(r.epoch()));
        row.add(r.phase());
        row.add(num(r.learningRate()));
        row.add(String.format(Locale.ROOT, "%.1f", r.seconds()));
        row.add(String.format(Locale.ROOT, "%.1f", r.phases().train()));
        row.add(String.format(Locale.ROOT, "%.1f", r.phases().selection()));
        row.add(String.format(Locale.ROOT, "%.1f", r.phases().test()));
        for (EpochReport.NetEpoch n : r.nets()) {
            row.add(Long.toString(n.steps()));
            for (String l : LOSSES) {
                Double v = n.losses().get(l);
                row.add(v == null ? "" : num(v));
            }
            row.add(num(n.lambdaU()));
            row.add(n.selected() < 0 ? "" : Integer.toString(n.selected()));
            SelectionReport s = n.selection();
            row.add(s == null ? "" : num(s.auroc()));
            row.add(s == null ? "" : num(s.overall().precision()));
            row.add(s == null ? "" : num(s.overall().recall()));
            for (ShotGroups.Group g : ShotGroups.Group.values()) {
                DetectionMetrics.PrecisionRecall pr = s == null ? null : s.byGroup().get(g);
                row.add(pr == null ? "" : num(pr.precision()));
                row.add(pr == null ? "" : num(pr.recall()));
            }
        }
        row.add(num(r.testAccuracy()));
        for (double a : r.perClassAccuracy()) {
            row.add(num(a));
        }
        row.add(Integer.toString(r.skippedImages()));
        return row;
    }

    /** Appends {@code report}, writing the header first when the file is new or empty. */
    public static void append(Path file, EpochReport report, int networks, int numClasses)
            throws IOException {
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        try (Writer w =
                        Files.newBufferedWriter(
                                file,
                                StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.APPEND);
                CSVPrinter out = new CSVPrinter(w, CSVFormat.DEFAULT)) {
            if (fresh) {
                out.printRecord(header(networks, numClasses));
            }
            out.printRecord(row(report));
        }
    }

    /**
     * Keeps the header and the rows of epochs {@code <= epoch} (a resumed run redoes the later
     * ones).
     */
    public static void truncateAfter(Path file, int epoch) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> header;
        List<List<String>> kept = new ArrayList<>();
        try (CSVParser p =
                CSVParser.parse(
                        file,
                        StandardCharsets.UTF_8,
                        CSVFormat.DEFAULT
                                .builder()
                                .setHeader()
                                .setSkipHeaderRecord(true)
                                .build())) {
            header = p.getHeaderNames();
            for (CSVRecord rec : p) {
                if (Integer.parseInt(rec.get("epoch")) <= epoch) {
                    kept.add(rec.toList());
                }
            }
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter out = new CSVPrinter(w, CSVFormat.DEFAULT)) {
            out.printRecord(header);
            for (List<String> r : kept) {
                out.printRecord(r);
            }
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
