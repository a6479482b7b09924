package io.sfastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {

    @Test
    void missingDatasetSaysWhichCommandInstallsIt() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code =
                    new CommandLine(new DemoCommand())
                            .execute("--data-dir", "/nonexistent/fashion-mnist");
        } finally {
            System.setErr(err);
        }
        assertThat(code).isEqualTo(2);
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("Fashion-MNIST not found in /nonexistent/fashion-mnist")
                .contains("apt-get install dataset-fashion-mnist");
    }

    @Test
    void everyCommandHasHelp() {
        CommandLine cli = new CommandLine(new SfaCli());
        for (String sub : cli.getSubcommands().keySet()) {
            String usage = cli.getSubcommands().get(sub).getUsageMessage();
            assertThat(usage).as(sub).contains("Usage: sfa " + sub);
        }
        assertThat(cli.getSubcommands()).containsKeys("demo", "run", "broker");
    }
}
