package io.sfastream.cli;

import io.sfastream.pipeline.SfaPipeline;
import io.sfastream.pipeline.config.ConfigException;
import io.sfastream.pipeline.config.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the job from a profile, in this JVM or on a Flink cluster. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description =
                "Run the sfa-pipeline job with a configuration profile: in a local Flink MiniCluster "
                        + "(default) or on a remote Flink cluster (--jobmanager with --jar).")
final class RunCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            required = true,
            description = "YAML profile, e.g. config/production.yaml.")
    Path config;

    @Option(
            names = {"-s", "--set"},
            paramLabel = "KEY=VALUE",
            description =
                    "Override one setting of the profile, e.g. --set job.scorer=baseline --set"
                            + " sfa.warmUpEpochs=2 (repeatable; validated like the profile).")
    List<String> overrides = List.of();

    @Option(names = "--bootstrap-servers", description = "Override kafka.bootstrapServers.")
    String bootstrapServers;

    @Option(
            names = "--jobmanager",
            description = "host:port of a Flink JobManager's REST endpoint.")
    String jobManager;

    @Option(
            names = "--jar",
            description =
                    "The job jar to ship to --jobmanager (pipeline/target/sfa-pipeline-*-job.jar).")
    Path jar;

    @Option(
            names = "--role",
            description =
                    "Which part of the job to run (job.role): all (default), scorer or trainer. Split"
                            + " deployments run a scorer job and a trainer job (for example on GPU"
                            + " nodes) on the same topics, with the same --run-id.")
    String role;

    @Option(
            names = "--run-id",
            description = "job.runId: the run both jobs of a split deployment belong to.")
    String runId;

    @Option(names = "--print-config", description = "Print the effective profile and exit.")
    boolean printConfig;

    @CommandLine.Mixin DjlOptions djl = new DjlOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PipelineConfig c;
        try {
            c = djl.applyTo(withOverrides(PipelineConfig.load(config)));
            java.util.Map<String, Object> roles = new java.util.HashMap<>();
            if (role != null) {
                roles.put("job.role", role);
            }
            if (runId != null) {
                roles.put("job.runId", runId);
            }
            if (!roles.isEmpty()) {
                c = c.with(roles);
            }
        } catch (ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (printConfig) {
            System.out.print(c.toYaml());
            return 0;
        }
        StreamExecutionEnvironment env;
        if (jobManager != null) {
            if (jar == null || !Files.isRegularFile(jar)) {
                System.err.println(
                        "--jobmanager needs --jar pointing at the job jar (got " + jar + ")");
                return 2;
            }
            String[] hostPort = jobManager.split(":", 2);
            env =
                    StreamExecutionEnvironment.createRemoteEnvironment(
                            hostPort[0],
                            hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : 8081,
                            SfaPipeline.flinkConfiguration(c),
                            jar.toString());
        } else {
            env =
                    StreamExecutionEnvironment.createLocalEnvironment(
                            SfaPipeline.flinkConfiguration(c));
        }
        SfaPipeline.onKafka(c).build(env);
        env.execute(c.job().name());
        return 0;
    }

    PipelineConfig withOverrides(PipelineConfig c) {
        return ProfileOverrides.apply(c, bootstrapServers, overrides);
    }
}
