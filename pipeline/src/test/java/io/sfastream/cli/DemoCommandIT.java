package io.sfastream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.sfastream.data.FashionMnist;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `sfa demo` as a user runs it (small slice): real Fashion-MNIST, embedded broker, local Flink, SFA
 * and the baseline on the same stream of several virtual epochs.
 */
class DemoCommandIT {

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theDemoScoresEveryEpochWithBothScorersAndDeadLettersTheBadRecords(@TempDir Path reportDir)
            throws Exception {
        assumeThat(FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR))
                .as("needs " + FashionMnist.INSTALL_HINT)
                .isTrue();
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo)
                .parseArgs(
                        "--max-per-class",
                        "200",
                        "--seed",
                        "7",
                        "--epochs",
                        "4",
                        "--imbalance",
                        "0.1",
                        "--noise-ratio",
                        "0.2",
                        "--report-dir",
                        reportDir.toString(),
                        "--config",
                        Path.of("..", "config", "demo.yaml").toString());
        DemoCommand.Report r = demo.run();

        assertThat(r.perPass()).isEqualTo(812); // 200+154+119+92+71+55+43+33+25+20
        assertThat(r.badIn()).isEqualTo(8);
        for (DemoCommand.Run run : java.util.List.of(r.sfa(), r.baseline())) {
            assertThat(run.scoresOut()).as(run.scorer()).isEqualTo(812 * 4);
            assertThat(run.deadLetters()).isEqualTo(8);
            assertThat(run.deadByStage()).containsEntry("decode", 5L).containsEntry("validate", 3L);
            assertThat(run.epochs())
                    .extracting(DemoCommand.EpochRow::epoch)
                    .containsExactly(1, 2, 3, 4);
        }
        // one model version per closed epoch reaches the embedders: epoch e is scored with e - 1
        assertThat(r.sfa().epochs())
                .allSatisfy(e -> assertThat(e.modelVersion()).isEqualTo(e.epoch() - 1));
        assertThat(r.sfa().classStats()).hasSize(10 * 4);
        // SFA judges from epoch 4 (no mean in epoch 1, first centroids in 2, first GMMs at the end
        // of 3)
        assertThat(r.sfa().byEpoch(4).judged()).isPositive();
        assertThat(r.sfa().byEpoch(4).auroc()).isGreaterThan(0.5);
        assertThat(r.baseline().byEpoch(4).auroc()).isGreaterThan(0.6);

        // the model learns while the stream runs: one version per boundary, trained further each
        // time, and held-out accuracy well above the untrained model's
        for (DemoCommand.Run run : java.util.List.of(r.sfa(), r.baseline())) {
            assertThat(run.versions())
                    .extracting(DemoCommand.VersionRow::epoch)
                    .containsExactly(0, 1, 2, 3, 4);
            assertThat(run.versions())
                    .extracting(DemoCommand.VersionRow::trainSteps)
                    .isSorted()
                    .doesNotHaveDuplicates();
            double untrained = run.versions().get(0).testAccuracy();
            System.out.println(run.scorer() + " versions: " + run.versions());
            // measured here: SFA 0.10 -> 0.43, baseline (trained on its own flags) 0.10 -> 0.26
            assertThat(run.versions().get(4).testAccuracy()).isGreaterThan(untrained + 0.1);
        }
        assertThat(r.sfa().versions().get(4).testAccuracy())
                .isGreaterThan(r.sfa().versions().get(0).testAccuracy() + 0.2);

        // and it ends with the evaluation: the report, beside the baselines, and the label issues
        assertThat(r.reportPath()).isEqualTo(reportDir.resolve("report.md")).exists();
        assertThat(r.evaluation().rules())
                .containsExactly(
                        "SFA", "centroid baseline", "small-loss (DivideMix)", "confident learning");
        assertThat(r.evaluation().samples()).isEqualTo(812);
        // SFA's final verdicts: the samples it judged (from epoch 4; a few are still in warm-up)
        int judged = r.evaluation().overall().get("SFA").samples();
        assertThat(judged).isPositive().isLessThanOrEqualTo(812);
        assertThat(r.evaluation().overall().get("confident learning").samples()).isEqualTo(812);
        assertThat(java.nio.file.Files.readString(r.reportPath()))
                .contains("| SFA | " + judged + " |")
                .contains("![precision-recall.png](precision-recall.png)");
        assertThat(reportDir.resolve("label-issues.png")).exists();
        assertThat(reportDir.resolve("accuracy-per-class.png")).exists();
    }
}
