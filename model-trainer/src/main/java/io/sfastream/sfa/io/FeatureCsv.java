package io.sfastream.sfa.io;

import io.sfastream.sfa.SelectionBasis;
import io.sfastream.sfa.SfaBatchSelection;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The files of {@code sfa score-features}: a CSV of embeddings in, a CSV of scores out.
 *
 * <p><b>Input.</b> A header row, then one sample per row. Columns (any order): {@code id}
 * (required, any text), {@code label} (required, the noisy label as an integer ≥ 0), {@code
 * true_label} (optional, integer ≥ 0: used only for an evaluation, never for scoring), {@code
 * confidence} (optional, the classifier's probability of {@code label}, in [0, 1]); every other
 * column is one feature dimension, a finite number. Errors name the line (the header is line 1) and
 * the column.
 *
 * <p><b>Output.</b> {@code id,label,clean_prob,clean,score,normalised_score,confident,basis}, plus
 * {@code true_label} when the input had it; {@code score} and {@code normalised_score} are empty
 * where the class had no centroid.
 */
public final class FeatureCsv {
    public static final String ID = "id";
    public static final String LABEL = "label";
    public static final String TRUE_LABEL = "true_label";
    public static final String CONFIDENCE = "confidence";
    private static final Set<String> RESERVED = Set.of(ID, LABEL, TRUE_LABEL, CONFIDENCE);

    /** The output columns, in order (true_label is appended when present). */
    public static final List<String> OUTPUT_COLUMNS =
            List.of(
                    "id",
                    "label",
                    "clean_prob",
                    "clean",
                    "score",
                    "normalised_score",
                    "confident",
                    "basis");

    private FeatureCsv() {}

    /**
     * A parsed input file.
     *
     * @param trueLabels null when the file has no {@code true_label} column
     * @param confidences null when the file has no {@code confidence} column
     */
    public record FeatureTable(
            List<String> ids,
            int[] labels,
            int[] trueLabels,
            double[] confidences,
            List<String> featureColumns,
            float[][] features) {
        public int size() {
            return labels.length;
        }

        public int dimension() {
            return featureColumns.size();
        }

        /** 1 + the largest label or true label: the number of classes the file implies. */
        public int impliedClasses() {
            int max = -1;
            for (int y : labels) {
                max = Math.max(max, y);
            }
            if (trueLabels != null) {
                for (int y : trueLabels) {
                    max = Math.max(max, y);
                }
            }
            return max + 1;
        }
    }

    /** Reads a UTF-8 feature CSV. */
    public static FeatureTable read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads a feature CSV.
     *
     * @param source how to name the input in error messages
     * @throws FeatureCsvException for a missing {@code id}/{@code label} column, no feature column,
     *     no rows, a duplicate column, a row with a different number of fields than the header, a
     *     value that is not a number, a NaN or infinite feature, a label that is not an integer ≥
     *     0, or a confidence outside [0, 1]
     */
    public static FeatureTable read(Reader in, String source) throws IOException {
        CSVFormat format =
                CSVFormat.DEFAULT
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .setTrim(true)
                        .setIgnoreEmptyLines(true)
                        .get();
        CSVParser parser;
        try {
            parser = CSVParser.builder().setReader(in).setFormat(format).get();
        } catch (IllegalArgumentException e) {
            throw new FeatureCsvException(source + ": bad header: " + e.getMessage(), 1);
        }
        try (parser) {
            Map<String, Integer> header = parser.getHeaderMap();
            if (header == null || header.isEmpty()) {
                throw new FeatureCsvException(source + ": empty file (expected a header row)", 1);
            }
            List<String> names = parser.getHeaderNames();
            for (String required : List.of(ID, LABEL)) {
                if (!header.containsKey(required)) {
                    throw new FeatureCsvException(
                            source
                                    + ": missing column '"
                                    + required
                                    + "' (header: "
                                    + String.join(",", names)
                                    + ")",
                            1);
                }
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String name : names) {
                if (!seen.add(name)) {
                    throw new FeatureCsvException(
                            source + ": duplicate column '" + name + "' in the header", 1);
                }
            }
            List<String> featureColumns = new ArrayList<>();
            List<Integer> featureIndex = new ArrayList<>();
            for (String name : names) {
                if (name.isEmpty()) {
                    throw new FeatureCsvException(
                            source
                                    + ": a header field is empty (column "
                                    + (names.indexOf(name) + 1)
                                    + ")",
                            1);
                }
                if (!RESERVED.contains(name)) {
                    featureColumns.add(name);
                    featureIndex.add(header.get(name));
                }
            }
            if (featureColumns.isEmpty()) {
                throw new FeatureCsvException(
                        source
                                + ": no feature columns (every column other than id, label, "
                                + "true_label and confidence is a feature)",
                        1);
            }
            int idCol = header.get(ID);
            int labelCol = header.get(LABEL);
            Integer trueCol = header.get(TRUE_LABEL);
            Integer confCol = header.get(CONFIDENCE);

            List<String> ids = new ArrayList<>();
            List<int[]> labelRows = new ArrayList<>();
            List<Double> confs = new ArrayList<>();
            List<float[]> rows = new ArrayList<>();
            int d = featureColumns.size();
            long prevLine = 1;
            for (CSVRecord r : parser) {
                long line = prevLine + 1; // the line the record starts on (a quoted field may span
                // lines)
                prevLine = parser.getCurrentLineNumber();
                if (r.size() != names.size()) {
                    throw new FeatureCsvException(
                            source
                                    + ": line "
                                    + line
                                    + " has "
                                    + r.size()
                                    + " fields, the header has "
                                    + names.size(),
                            line);
                }
                ids.add(r.get(idCol));
                int label = parseLabel(r.get(labelCol), LABEL, source, line);
                int trueLabel =
                        trueCol == null ? -1 : parseLabel(r.get(trueCol), TRUE_LABEL, source, line);
                labelRows.add(new int[] {label, trueLabel});
                if (confCol != null) {
                    double c = parseNumber(r.get(confCol), CONFIDENCE, source, line);
                    if (!(c >= 0 && c <= 1)) {
                        throw new FeatureCsvException(
                                source
                                        + ": line "
                                        + line
                                        + ", column 'confidence': "
                                        + r.get(confCol)
                                        + " is not a probability in [0, 1]",
                                line);
                    }
                    confs.add(c);
                }
                float[] f = new float[d];
                for (int j = 0; j < d; j++) {
                    String col = featureColumns.get(j);
                    String raw = r.get(featureIndex.get(j));
                    double v = parseNumber(raw, col, source, line);
                    f[j] = (float) v;
                    if (!Float.isFinite(f[j])) {
                        throw new FeatureCsvException(
                                source
                                        + ": line "
                                        + line
                                        + ", column '"
                                        + col
                                        + "': feature value "
                                        + raw
                                        + " is not finite"
                                        + (Float.isInfinite(f[j]) && Double.isFinite(v)
                                                ? " in float32"
                                                : ""),
                                line);
                    }
                }
                rows.add(f);
            }
            if (rows.isEmpty()) {
                throw new FeatureCsvException(source + ": no data rows after the header", 0);
            }
            int n = rows.size();
            int[] labels = new int[n];
            int[] trueLabels = trueCol == null ? null : new int[n];
            double[] confidences = confCol == null ? null : new double[n];
            for (int i = 0; i < n; i++) {
                labels[i] = labelRows.get(i)[0];
                if (trueLabels != null) {
                    trueLabels[i] = labelRows.get(i)[1];
                }
                if (confidences != null) {
                    confidences[i] = confs.get(i);
                }
            }
            return new FeatureTable(
                    Collections.unmodifiableList(ids),
                    labels,
                    trueLabels,
                    confidences,
                    Collections.unmodifiableList(featureColumns),
                    rows.toArray(new float[0][]));
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            // Commons CSV reports malformed input (for example an unclosed quote) from its iterator
            // this way
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new FeatureCsvException(
                    source
                            + ": malformed CSV near line "
                            + parser.getCurrentLineNumber()
                            + ": "
                            + why,
                    parser.getCurrentLineNumber());
        }
    }

    private static double parseNumber(String raw, String column, String source, long line) {
        double v;
        try {
            v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new FeatureCsvException(
                    source
                            + ": line "
                            + line
                            + ", column '"
                            + column
                            + "': '"
                            + raw
                            + "' is not a number",
                    line);
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new FeatureCsvException(
                    source
                            + ": line "
                            + line
                            + ", column '"
                            + column
                            + "': "
                            + raw
                            + " is not allowed (values must be finite)",
                    line);
        }
        return v;
    }

    private static int parseLabel(String raw, String column, String source, long line) {
        try {
            int v = Integer.parseInt(raw);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new FeatureCsvException(
                source
                        + ": line "
                        + line
                        + ", column '"
                        + column
                        + "': '"
                        + raw
                        + "' is not a class index (an integer >= 0)",
                line);
    }

    /** Writes the scores of {@code result} for the samples of {@code table}, in input order. */
    public static void write(Path file, FeatureTable table, SfaBatchSelection.Result result)
            throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(out, table, result);
        }
    }

    /** Writes the scores of {@code result} for the samples of {@code table}, in input order. */
    public static void write(Writer out, FeatureTable table, SfaBatchSelection.Result result)
            throws IOException {
        Objects.requireNonNull(result, "result");
        if (result.cleanProbability().length != table.size()) {
            throw new IllegalArgumentException(
                    "result has "
                            + result.cleanProbability().length
                            + " samples, table "
                            + table.size());
        }
        List<String> columns = new ArrayList<>(OUTPUT_COLUMNS);
        if (table.trueLabels() != null) {
            columns.add(TRUE_LABEL);
        }
        CSVPrinter p =
                new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
        p.printRecord(columns);
        for (int i = 0; i < table.size(); i++) {
            List<Object> row = new ArrayList<>(columns.size());
            row.add(table.ids().get(i));
            row.add(table.labels()[i]);
            row.add(result.cleanProbability()[i]);
            row.add(result.clean()[i]);
            row.add(Double.isNaN(result.score()[i]) ? "" : result.score()[i]);
            row.add(Float.isNaN(result.normalisedScore()[i]) ? "" : result.normalisedScore()[i]);
            row.add(result.confident()[i]);
            SelectionBasis b = result.basis()[i];
            row.add(b.name().toLowerCase(java.util.Locale.ROOT));
            if (table.trueLabels() != null) {
                row.add(table.trueLabels()[i]);
            }
            p.printRecord(row);
        }
        p.flush();
    }
}
