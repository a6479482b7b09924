package io.sfastream.pipeline.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.pipeline.eval.ModelAccuracy;
import io.sfastream.pipeline.eval.NoiseEvaluation;
import io.sfastream.pipeline.eval.NoiseEvaluationTest;
import io.sfastream.schemas.Image;
import io.sfastream.schemas.ImageEncoding;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The report of the hand-checkable stream ({@link NoiseEvaluationTest}): its tables, its CSV, every
 * plot and the contact sheet. Written under {@code target/evaluation-report-test} so they can be
 * looked at.
 */
class EvaluationReportTest {
    static final Path DIR = Path.of("target", "evaluation-report-test");
    static NoiseEvaluation ev;
    static Path report;

    @BeforeAll
    static void write() throws Exception {
        FileUtils.deleteQuietly(DIR.toFile());
        ev = NoiseEvaluationTest.handEvaluation();
        ModelAccuracy accuracy =
                new ModelAccuracy(
                        "a hand test set",
                        new TreeMap<>(Map.of(0L, 0.5, 1L, 0.75)),
                        1L,
                        new double[] {1.0, 0.5});
        report =
                EvaluationReport.write(
                        ev,
                        accuracy,
                        new EvaluationReport.Context(
                                "sfa evaluate — hand", List.of("scores: a hand-made stream")),
                        DIR);
    }

    @Test
    void theReportHoldsTheHandCheckedNumbers() throws Exception {
        String md = Files.readString(report);
        assertThat(md)
                .contains("7 samples (distinct ids), 2 of them mislabelled (28.6%), 2 classes, 2")
                .contains("| SFA | 7 | 2 | 3 | 1.0000 | 1.0000 | 0.667 | 1.000 | 0.800 |")
                .contains("| centroid baseline | 7 | 2 | 2 | 0.5500 |")
                .contains("**Where SFA loses:**")
                .contains("confident learning beats SFA on")
                .contains("| 2 | 1 | 0.7500 |") // epoch 2, scored by version 1, its accuracy
                .contains("| 0 | many | 4 | 0.250 | 0.300 | 0.500 |");
        for (String plot :
                List.of(
                        ReportPlots.PR_CURVE,
                        ReportPlots.NOISE_RATE,
                        ReportPlots.PER_EPOCH,
                        ReportPlots.CLASS_ACCURACY,
                        ReportPlots.CONFUSION)) {
            assertThat(md).contains("](" + plot + ")");
            BufferedImage img = ImageIO.read(DIR.resolve(plot).toFile());
            assertThat(img).as(plot).isNotNull();
            assertThat(img.getWidth()).isEqualTo(900);
            assertThat(img.getHeight()).isEqualTo(700);
            assertThat(distinctColours(img)).as(plot + " is not blank").isGreaterThan(10);
        }
    }

    @Test
    void metricsCsvHoldsEveryNumber() throws Exception {
        List<String> lines = Files.readAllLines(DIR.resolve(EvaluationReport.METRICS));
        assertThat(lines.get(0)).isEqualTo("section,rule,scope,key,metric,value");
        assertThat(lines)
                .contains("final,SFA,all,,f1,0.8")
                .contains("final,SFA,all,,auroc,1.0")
                .contains("group,SFA,group,many,precision,0.5")
                .contains("noise-rate,truth,class,0,true_rate,0.25")
                .contains("noise-rate,sfa,class,1,estimated_rate,0.4")
                .contains("accuracy,,version,1,test_accuracy,0.75")
                .contains("given-vs-suggested,,given,0,suggested_1,1");
    }

    @Test
    void theIssuesListRanksEachClassMostSuspiciousFirstWithItsImage() throws Exception {
        byte[] pixels = new byte[28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i % 28 * 9);
        }
        Image img =
                Image.newBuilder()
                        .setEncoding(ImageEncoding.RAW_GRAY)
                        .setWidth(28)
                        .setHeight(28)
                        .setChannels(1)
                        .setData(ByteBuffer.wrap(pixels))
                        .build();
        var issues = EvaluationReport.writeIssues(ev, 2, Map.of("a3", img, "b2", img), DIR);
        assertThat(issues.get(0)).extracting(i -> i.row().id()).containsExactly("a3", "a2");
        assertThat(issues.get(1)).extracting(i -> i.row().id()).containsExactly("b2", "b1");
        List<String> csv = Files.readAllLines(DIR.resolve(EvaluationReport.ISSUES_CSV));
        assertThat(csv.get(1)).startsWith("0,1,a3,0.0999").contains(",true,1,");
        BufferedImage sheet = ImageIO.read(DIR.resolve(EvaluationReport.ISSUES_PNG).toFile());
        assertThat(sheet.getHeight()).isGreaterThan(2 * 84);
        assertThat(distinctColours(sheet)).isGreaterThan(20);
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> c = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                c.add(img.getRGB(x, y));
            }
        }
        return c.size();
    }
}
