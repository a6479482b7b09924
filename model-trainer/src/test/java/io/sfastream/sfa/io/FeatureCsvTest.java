package io.sfastream.sfa.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfastream.eval.SelectionReport;
import io.sfastream.eval.ShotGroups;
import io.sfastream.sfa.SfaBatchSelection;
import io.sfastream.sfa.SfaParams;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCsvTest {

    private static FeatureCsv.FeatureTable parse(String csv) throws IOException {
        return FeatureCsv.read(new StringReader(csv), "test.csv");
    }

    /**
     * 3 classes (200, 60, 12 samples), 8 features; 20% of classes 0 and 1 swap labels, class 2
     * stays clean and tiny; columns in an unusual order.
     */
    static String generated(boolean withTrue, boolean withConfidence) {
        Random r = new Random(3);
        StringBuilder b = new StringBuilder("f0,f1,label,f2,f3,f4,f5,f6,f7,id");
        b.append(withTrue ? ",true_label" : "")
                .append(withConfidence ? ",confidence" : "")
                .append('\n');
        int[] counts = {200, 60, 12};
        int id = 0;
        for (int k = 0; k < 3; k++) {
            for (int t = 0; t < counts[k]; t++) {
                double[] f = new double[8];
                for (int j = 0; j < 8; j++) {
                    f[j] = (j == k ? 3.0 : 0.0) + 0.5 + r.nextGaussian();
                }
                int label = k < 2 && r.nextDouble() < 0.2 ? 1 - k : k;
                StringBuilder row = new StringBuilder();
                for (int j = 0; j < 8; j++) {
                    if (j == 2) {
                        row.append(label).append(',');
                    }
                    row.append(String.format(Locale.ROOT, "%.6f", f[j])).append(',');
                }
                row.append("s").append(id++);
                if (withTrue) {
                    row.append(',').append(k);
                }
                if (withConfidence) {
                    row.append(',').append(label == k ? "0.9" : "0.05");
                }
                b.append(row).append('\n');
            }
        }
        return b.toString();
    }

    @Test
    void readsColumnsByNameInAnyOrder() throws IOException {
        FeatureCsv.FeatureTable t = parse(generated(true, true));
        assertThat(t.size()).isEqualTo(272);
        assertThat(t.featureColumns())
                .containsExactly("f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7");
        assertThat(t.ids().get(0)).isEqualTo("s0");
        assertThat(t.trueLabels()).isNotNull();
        assertThat(t.confidences()).isNotNull();
        assertThat(t.impliedClasses()).isEqualTo(3);
        FeatureCsv.FeatureTable plain = parse("id,label,a,b\nx,1,0.5,-2e-3\ny,0,1,2\n");
        assertThat(plain.trueLabels()).isNull();
        assertThat(plain.confidences()).isNull();
        assertThat(plain.features()[0]).containsExactly(0.5f, -0.002f);
        assertThat(plain.labels()).containsExactly(1, 0);
    }

    @Test
    void scoresRoundTripThroughTheBatchFace(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("features.csv");
        Files.writeString(in, generated(true, false));
        FeatureCsv.FeatureTable t = FeatureCsv.read(in);
        SfaParams p = SfaParams.defaults(t.impliedClasses());
        SfaBatchSelection.Result r =
                new SfaBatchSelection(p)
                        .select(t.features(), t.labels(), null, p.firstSelectionEpoch());
        Path out = dir.resolve("scores.csv");
        FeatureCsv.write(out, t, r);
        List<CSVRecord> rows =
                CSVFormat.DEFAULT
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(Files.newBufferedReader(out))
                        .getRecords();
        assertThat(rows).hasSize(t.size());
        assertThat(rows.get(0).getParser().getHeaderNames())
                .containsExactly(
                        "id",
                        "label",
                        "clean_prob",
                        "clean",
                        "score",
                        "normalised_score",
                        "confident",
                        "basis",
                        "true_label");
        for (int i = 0; i < rows.size(); i++) {
            CSVRecord row = rows.get(i);
            assertThat(row.get("id")).isEqualTo(t.ids().get(i));
            assertThat(Double.parseDouble(row.get("clean_prob")))
                    .isEqualTo(r.cleanProbability()[i]);
            assertThat(Boolean.parseBoolean(row.get("clean"))).isEqualTo(r.clean()[i]);
            assertThat(Double.parseDouble(row.get("score"))).isEqualTo(r.score()[i]);
            assertThat(row.get("confident")).isEqualTo("true");
        }
        // the tiny class (12 samples) falls back to clean; the others are judged by their GMM
        assertThat(rows.stream().filter(x -> x.get("basis").equals("tiny_class_clean")).count())
                .isPositive();
        assertThat(rows.stream().filter(x -> x.get("basis").equals("gmm")).count())
                .isGreaterThan(200);

        boolean[] trulyClean = new boolean[t.size()];
        int[] counts = new int[3];
        for (int i = 0; i < trulyClean.length; i++) {
            trulyClean[i] = t.labels()[i] == t.trueLabels()[i];
            counts[t.labels()[i]]++;
        }
        SelectionReport e =
                SelectionReport.of(
                        r.cleanProbability(),
                        r.clean(),
                        trulyClean,
                        t.labels(),
                        ShotGroups.byCount(counts));
        assertThat(e.auroc()).isGreaterThan(0.9);
        assertThat(e.overall().precision()).isGreaterThan(0.9);
    }

    @Test
    void missingRequiredColumns() {
        assertThatThrownBy(() -> parse("label,f0\n1,2\n"))
                .isInstanceOf(FeatureCsvException.class)
                .hasMessageContaining("missing column 'id'")
                .hasMessageContaining("header: label,f0");
        assertThatThrownBy(() -> parse("id,f0\na,2\n"))
                .hasMessageContaining("missing column 'label'");
        assertThatThrownBy(() -> parse("id,label\na,2\n"))
                .hasMessageContaining("no feature columns");
        assertThatThrownBy(() -> parse("id,label,f0\n")).hasMessageContaining("no data rows");
        assertThatThrownBy(() -> parse("")).hasMessageContaining("empty file");
        assertThatThrownBy(() -> parse("id,label,f0,f0\na,1,2,3\n"))
                .hasMessageContaining("duplicate column 'f0'");
    }

    @Test
    void badValuesNameLineAndColumn() {
        String head = "id,label,f0,f1\na,0,1,2\nb,1,3,4\n";
        assertThatThrownBy(() -> parse(head + "c,1,x,4\n"))
                .isInstanceOf(FeatureCsvException.class)
                .hasMessageContaining("line 4")
                .hasMessageContaining("column 'f0'")
                .hasMessageContaining("'x' is not a number");
        assertThatThrownBy(() -> parse(head + "c,1,,4\n"))
                .hasMessageContaining("line 4")
                .hasMessageContaining("'' is not a number");
        assertThatThrownBy(() -> parse(head + "c,1,3\n"))
                .hasMessageContaining("line 4 has 3 fields, the header has 4");
        assertThatThrownBy(() -> parse(head + "c,1,3,4,5\n"))
                .hasMessageContaining("line 4 has 5 fields");
        assertThatThrownBy(() -> parse(head + "c,1,3,NaN\n"))
                .hasMessageContaining("line 4")
                .hasMessageContaining("column 'f1'")
                .hasMessageContaining("NaN is not allowed");
        assertThatThrownBy(() -> parse(head + "c,1,-Infinity,1\n"))
                .hasMessageContaining("line 4")
                .hasMessageContaining("not allowed");
        assertThatThrownBy(() -> parse(head + "c,1,1e39,1\n"))
                .hasMessageContaining("line 4")
                .hasMessageContaining("not finite in float32");
        assertThatThrownBy(() -> parse(head + "c,1.5,1,1\n"))
                .hasMessageContaining("column 'label'")
                .hasMessageContaining("not a class index");
        assertThatThrownBy(() -> parse(head + "c,-1,1,1\n"))
                .hasMessageContaining("not a class index");
        assertThatThrownBy(() -> parse("id,label,confidence,f0\na,0,1.2,1\n"))
                .hasMessageContaining("line 2")
                .hasMessageContaining("not a probability");
        assertThatThrownBy(() -> parse("id,label,true_label,f0\na,0,zero,1\n"))
                .hasMessageContaining("'true_label'");
        try {
            parse(head + "c,1,3,NaN\n");
        } catch (FeatureCsvException e) {
            assertThat(e.line()).isEqualTo(4);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void lineNumbersCountQuotedLineBreaks() {
        String csv = "id,label,f0\n\"multi\nline\",0,1\nb,0,oops\n";
        assertThatThrownBy(() -> parse(csv)).hasMessageContaining("line 4");
    }

    @Test
    void writeNeedsMatchingResult() throws IOException {
        FeatureCsv.FeatureTable t = parse("id,label,f0\na,0,1\nb,0,2\nc,0,3\n");
        SfaBatchSelection.Result r =
                new SfaBatchSelection(SfaParams.defaults(1))
                        .select(t.features(), t.labels(), null, 31);
        StringWriter w = new StringWriter();
        FeatureCsv.write(w, t, r);
        assertThat(w.toString())
                .startsWith("id,label,clean_prob,clean,score,normalised_score,confident,basis\n")
                .contains("a,0,1.0,true,");
        FeatureCsv.FeatureTable other = parse("id,label,f0\na,0,1\n");
        assertThatThrownBy(() -> FeatureCsv.write(new StringWriter(), other, r))
                .hasMessageContaining("samples");
    }
}
