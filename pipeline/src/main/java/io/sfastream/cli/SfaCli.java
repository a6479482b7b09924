package io.sfastream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sfa} command. Each subcommand is its own class; this one only lists them. */
@Command(
        name = "sfa",
        mixinStandardHelpOptions = true,
        versionProvider = SfaCli.Version.class,
        description =
                "sfa-stream: finds mislabelled samples in long-tailed label streams (Stochastic Feature Averaging).",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            ReplayCommand.class,
            BrokerCommand.class,
            BenchCommand.class,
            ScoreFeaturesCommand.class,
            TrainOfflineCommand.class,
            EvaluateCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SfaCli {

    public static void main(String[] args) {
        int code =
                new CommandLine(new SfaCli())
                        .setCaseInsensitiveEnumValuesAllowed(true)
                        .execute(args);
        System.exit(code);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SfaCli.class.getPackage().getImplementationVersion();
            return new String[] {"sfa-stream " + (v == null ? "(development build)" : v)};
        }
    }
}
