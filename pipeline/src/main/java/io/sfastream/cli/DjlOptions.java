package io.sfastream.cli;

import io.sfastream.nn.DeviceSettings;
import io.sfastream.pipeline.config.PipelineConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --device}, {@code --threads}, {@code --interop-threads}: the DJL settings every command
 * that runs a model takes.
 */
final class DjlOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            description =
                    "auto (a GPU when a CUDA libtorch sees one, else "
                            + "the CPU), cpu, gpu or gpu:N; see the README's Devices section (default: the profile's djl.device, "
                            + "else auto).")
    String device;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "libtorch intra-op threads per JVM.")
    Integer threads;

    @Option(
            names = "--interop-threads",
            paramLabel = "N",
            description = "libtorch inter-op threads per JVM.")
    Integer interopThreads;

    /** These flags over {@code defaults} (a flag not given keeps the default). */
    DeviceSettings over(DeviceSettings defaults) {
        try {
            return new DeviceSettings(
                    device != null ? device : defaults.device(),
                    threads != null ? threads : defaults.intraOpThreads(),
                    interopThreads != null ? interopThreads : defaults.interOpThreads());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }

    /** The profile with the flags that were given written into its {@code djl} block. */
    PipelineConfig applyTo(PipelineConfig config) {
        DeviceSettings s = over(config.djl().toSettings());
        return config.with(
                java.util.Map.of(
                        "djl.device", s.device(),
                        "djl.intraOpThreads", s.intraOpThreads(),
                        "djl.interOpThreads", s.interOpThreads()));
    }
}
