package io.sfastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sfa score-features} end to end on generated CSVs. */
class ScoreFeaturesCommandTest {
    @TempDir Path dir;

    private static CliRun sfa(String... args) {
        return CliRun.sfa(args);
    }

    /**
     * 4 long-tailed classes (400, 150, 60, 12) in 16 dimensions; 30% of the labels of classes 0–2
     * flipped to another of them (class 3 stays clean and tiny). Optional true_label and confidence
     * columns.
     */
    private Path csv(String name, boolean withTrue, boolean withConfidence) throws IOException {
        Random r = new Random(11);
        int[] counts = {400, 150, 60, 12};
        StringBuilder b = new StringBuilder("id,label");
        b.append(withTrue ? ",true_label" : "").append(withConfidence ? ",confidence" : "");
        for (int j = 0; j < 16; j++) {
            b.append(",emb_").append(j);
        }
        b.append('\n');
        int id = 0;
        for (int k = 0; k < counts.length; k++) {
            for (int t = 0; t < counts[k]; t++) {
                int label = k < 3 && r.nextDouble() < 0.3 ? (k + 1 + r.nextInt(2)) % 3 : k;
                b.append("img-").append(id++).append(',').append(label);
                if (withTrue) {
                    b.append(',').append(k);
                }
                if (withConfidence) {
                    b.append(',').append(label == k ? "0.8" : "0.1");
                }
                for (int j = 0; j < 16; j++) {
                    double v = (j == k ? 2.5 : 0) + 1 + r.nextGaussian();
                    b.append(',').append(String.format(Locale.ROOT, "%.5f", v));
                }
                b.append('\n');
            }
        }
        Path p = dir.resolve(name);
        Files.writeString(p, b);
        return p;
    }

    @Test
    void scoresAndEvaluates() throws IOException {
        Path in = csv("features.csv", true, false);
        Path out = dir.resolve("out/scores.csv");
        CliRun run = sfa("score-features", "--input", in.toString(), "--output", out.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.code()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(623);
        assertThat(lines.get(0))
                .isEqualTo(
                        "id,label,clean_prob,clean,score,normalised_score,confident,basis,true_label");
        assertThat(lines.get(1)).startsWith("img-0,");
        assertThat(run.out())
                .contains("read 622 samples, 4 classes, 16 features")
                .contains("no confidence column")
                .contains("selection epoch 31")
                .contains("evaluation against true_label")
                .contains("overall")
                .contains("many")
                .contains("few");
        // the AUROC printed is far above chance on these well-separated clusters
        String line = run.out().lines().filter(l -> l.contains("AUROC")).findFirst().orElseThrow();
        double auroc = Double.parseDouble(line.replaceAll(".*AUROC ([0-9.]+).*", "$1"));
        assertThat(auroc).isGreaterThan(0.9);
        String overall =
                run.out().lines().filter(l -> l.startsWith("overall")).findFirst().orElseThrow();
        assertThat(overall.trim().split("\\s+")).hasSize(7);
    }

    @Test
    void optionsReachTheSelection() throws IOException {
        Path in = csv("features.csv", false, true);
        Path out = dir.resolve("scores.csv");
        CliRun run =
                sfa(
                        "score-features",
                        "--input",
                        in.toString(),
                        "--output",
                        out.toString(),
                        "--mode",
                        "reference-faithful",
                        "--epoch",
                        "32",
                        "--numpy-seed",
                        "123",
                        "--min-sampled-count",
                        "100",
                        "--p-threshold",
                        "0.7",
                        "--tiny-class-fallback",
                        "pooled");
        assertThat(run.err()).isEmpty();
        assertThat(run.code()).isZero();
        assertThat(run.out())
                .contains("mode reference-faithful")
                .contains("selection epoch 32")
                .doesNotContain("evaluation");
        assertThat(Files.readString(out)).contains("pooled_gmm").doesNotContain("true_label");
        // class 0 has more than 100 confident samples: sampled
        assertThat(
                        run.out()
                                .lines()
                                .filter(l -> l.trim().startsWith("0 "))
                                .findFirst()
                                .orElseThrow())
                .contains("yes");
    }

    @Test
    void clearErrors() throws IOException {
        Path out = dir.resolve("scores.csv");
        Path noLabel = dir.resolve("nolabel.csv");
        Files.writeString(noLabel, "id,f0,f1\na,1,2\n");
        CliRun r1 =
                sfa("score-features", "--input", noLabel.toString(), "--output", out.toString());
        assertThat(r1.code()).isEqualTo(1);
        assertThat(r1.err()).contains("missing column 'label'");

        Path nan = dir.resolve("nan.csv");
        Files.writeString(nan, "id,label,f0,f1\na,0,1,2\nb,1,NaN,2\n");
        CliRun r2 = sfa("score-features", "--input", nan.toString(), "--output", out.toString());
        assertThat(r2.code()).isEqualTo(1);
        assertThat(r2.err()).contains("line 3").contains("column 'f0'").contains("NaN");

        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "id,label,f0,f1\na,0,1,2\nb,1,2\n");
        assertThat(
                        sfa(
                                        "score-features",
                                        "--input",
                                        ragged.toString(),
                                        "--output",
                                        out.toString())
                                .err())
                .contains("line 3 has 3 fields, the header has 4");

        Path text = dir.resolve("text.csv");
        Files.writeString(text, "id,label,f0\na,0,1\nb,1,one\n");
        assertThat(
                        sfa(
                                        "score-features",
                                        "--input",
                                        text.toString(),
                                        "--output",
                                        out.toString())
                                .err())
                .contains("line 3")
                .contains("'one' is not a number");

        assertThat(
                        sfa(
                                        "score-features",
                                        "--input",
                                        dir.resolve("absent.csv").toString(),
                                        "--output",
                                        out.toString())
                                .err())
                .contains("no such file");
        CliRun badMode =
                sfa(
                        "score-features",
                        "--input",
                        nan.toString(),
                        "--output",
                        out.toString(),
                        "--mode",
                        "ema");
        assertThat(badMode.code()).isEqualTo(2);
        assertThat(badMode.err()).contains("intended-ema");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void helpDescribesTheFormatAndFlags() {
        CliRun run = sfa("score-features", "--help");
        assertThat(run.code()).isZero();
        assertThat(run.out())
                .contains("--input")
                .contains("--output")
                .contains("--epoch")
                .contains("--mode")
                .contains("--seed")
                .contains("--p-threshold")
                .contains("true_label")
                .contains("confidence")
                .contains("intended-ema");
    }
}
