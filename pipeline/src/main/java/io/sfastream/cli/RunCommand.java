package io.sfastream.cli;

import io.sfastream.pipeline.PipelineConfig;
import io.sfastream.pipeline.SfaPipelineJob;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @CommandLine.Mixin DjlOptions djl = new DjlOptions();

    @Override
    public Integer call() throws Exception {
        PipelineConfig c = PipelineConfig.load(config);
        if (bootstrapServers != null) {
            c.kafka.bootstrapServers = bootstrapServers;
        }
        djl.applyTo(c);
        c.validate();
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
                            SfaPipelineJob.flinkConfiguration(),
                            jar.toString());
        } else {
            env =
                    StreamExecutionEnvironment.createLocalEnvironment(
                            SfaPipelineJob.flinkConfiguration());
        }
        SfaPipelineJob.build(env, c);
        env.execute(c.job.name);
        return 0;
    }
}
