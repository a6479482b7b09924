package io.sfastream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.sfastream.data.FashionMnist;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** `sfa demo` as a user runs it (small slice): real Fashion-MNIST, embedded broker, local Flink. */
class DemoCommandIT {

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void theDemoScoresEveryReplayedSampleAndDeadLettersTheBadOnes() throws Exception {
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
                        "--config",
                        Path.of("..", "config", "demo.yaml").toString());
        DemoCommand.Report r = demo.run();

        assertThat(r.samplesIn()).isEqualTo(812); // 200+154+119+92+71+55+43+33+25+20
        assertThat(r.scoresOut()).isEqualTo(r.samplesIn());
        assertThat(r.badIn()).isEqualTo(8);
        assertThat(r.deadLetters()).isEqualTo(8);
        assertThat(r.deadByStage()).containsEntry("decode", 5L).containsEntry("validate", 3L);
        assertThat(r.noisy()).isPositive();
        // the baseline must beat chance clearly on this seed (it scores ~0.75 on the default demo)
        assertThat(r.auroc()).isGreaterThan(0.6);
    }
}
