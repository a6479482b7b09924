package io.sfastream.pipeline.eval;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The CSV files {@code sfa evaluate} writes and reads back: the scores and the class statistics it
 * evaluated, so a report can be recomputed without the broker. Columns are the fields of {@link
 * ScoreRow} and {@link ClassStatsRow} by name; a score's class probabilities are the columns {@code
 * p0 … p(C−1)}. Errors name the file and the line.
 */
public final class EvaluationCsv {
    private static final List<String> SCORE_COLUMNS =
            List.of(
                    "id",
                    "label",
                    "trueLabel",
                    "epoch",
                    "judged",
                    "noiseProbability",
                    "clean",
                    "predictedLabel",
                    "predictedConfidence",
                    "modelVersion",
                    "scorer");

    private EvaluationCsv() {}

    public static void writeScores(Path file, List<ScoreRow> rows) throws IOException {
        int classes = rows.stream().mapToInt(r -> r.probabilities().length).max().orElse(0);
        List<String> header = new ArrayList<>(SCORE_COLUMNS);
        for (int k = 0; k < classes; k++) {
            header.add("p" + k);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter out =
                        CSVFormat.DEFAULT
                                .builder()
                                .setHeader(header.toArray(String[]::new))
                                .get()
                                .print(w)) {
            for (ScoreRow r : rows) {
                List<Object> v = new ArrayList<>(header.size());
                v.add(r.id());
                v.add(r.label());
                v.add(r.trueLabel() < 0 ? "" : r.trueLabel());
                v.add(r.epoch());
                v.add(r.judged());
                v.add(r.noiseProbability());
                v.add(r.clean());
                v.add(r.predictedLabel() < 0 ? "" : r.predictedLabel());
                v.add(Double.isNaN(r.predictedConfidence()) ? "" : r.predictedConfidence());
                v.add(r.modelVersion());
                v.add(r.scorer());
                for (int k = 0; k < classes; k++) {
                    v.add(k < r.probabilities().length ? r.probabilities()[k] : "");
                }
                out.printRecord(v);
            }
        }
    }

    public static List<ScoreRow> readScores(Path file) throws IOException {
        List<ScoreRow> rows = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser p = parser(r)) {
            require(file, p.getHeaderNames(), SCORE_COLUMNS);
            int classes = 0;
            while (p.getHeaderNames().contains("p" + classes)) {
                classes++;
            }
            for (CSVRecord rec : p) {
                try {
                    float[] probabilities = new float[classes];
                    boolean any = classes > 0 && !rec.get("p0").isEmpty();
                    for (int k = 0; any && k < classes; k++) {
                        probabilities[k] = Float.parseFloat(rec.get("p" + k));
                    }
                    rows.add(
                            new ScoreRow(
                                    rec.get("id"),
                                    Integer.parseInt(rec.get("label")),
                                    optionalInt(rec.get("trueLabel")),
                                    Integer.parseInt(rec.get("epoch")),
                                    Boolean.parseBoolean(rec.get("judged")),
                                    Double.parseDouble(rec.get("noiseProbability")),
                                    Boolean.parseBoolean(rec.get("clean")),
                                    optionalInt(rec.get("predictedLabel")),
                                    optionalDouble(rec.get("predictedConfidence")),
                                    Long.parseLong(rec.get("modelVersion")),
                                    rec.get("scorer"),
                                    any ? probabilities : new float[0]));
                } catch (RuntimeException e) {
                    throw new IOException(
                            file
                                    + " line "
                                    + (rec.getRecordNumber() + 1)
                                    + ": not a score row ("
                                    + e.getMessage()
                                    + ")",
                            e);
                }
            }
        }
        return rows;
    }

    public static void writeClassStats(Path file, List<ClassStatsRow> rows) throws IOException {
        RecordComponent[] cs = ClassStatsRow.class.getRecordComponents();
        String[] header = new String[cs.length];
        for (int i = 0; i < cs.length; i++) {
            header[i] = cs[i].getName();
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter out = CSVFormat.DEFAULT.builder().setHeader(header).get().print(w)) {
            for (ClassStatsRow r : rows) {
                List<Object> v = new ArrayList<>(cs.length);
                for (RecordComponent c : cs) {
                    Object x = c.getAccessor().invoke(r);
                    v.add(x instanceof Double d && d.isNaN() ? "" : x);
                }
                out.printRecord(v);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<ClassStatsRow> readClassStats(Path file) throws IOException {
        RecordComponent[] cs = ClassStatsRow.class.getRecordComponents();
        List<String> names = new ArrayList<>();
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            names.add(cs[i].getName());
            types[i] = cs[i].getType();
        }
        List<ClassStatsRow> rows = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser p = parser(r)) {
            require(file, p.getHeaderNames(), names);
            var ctor = ClassStatsRow.class.getDeclaredConstructor(types);
            for (CSVRecord rec : p) {
                Object[] args = new Object[cs.length];
                try {
                    for (int i = 0; i < cs.length; i++) {
                        String s = rec.get(names.get(i));
                        args[i] =
                                types[i] == int.class
                                        ? Integer.parseInt(s)
                                        : types[i] == long.class
                                                ? Long.parseLong(s)
                                                : types[i] == boolean.class
                                                        ? Boolean.parseBoolean(s)
                                                        : optionalDouble(s);
                    }
                } catch (RuntimeException e) {
                    throw new IOException(
                            file
                                    + " line "
                                    + (rec.getRecordNumber() + 1)
                                    + ": not a class-stats row ("
                                    + e.getMessage()
                                    + ")",
                            e);
                }
                rows.add(ctor.newInstance(args));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static CSVParser parser(Reader r) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r);
    }

    private static void require(Path file, List<String> header, List<String> columns)
            throws IOException {
        List<String> missing = columns.stream().filter(c -> !header.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new IOException(
                    file + ": missing columns " + missing + " (header " + header + ")");
        }
    }

    private static int optionalInt(String s) {
        return s.isEmpty() ? -1 : Integer.parseInt(s);
    }

    private static double optionalDouble(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
