package io.sfastream.pipeline;

import io.sfastream.pipeline.config.PipelineConfig;
import java.nio.file.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point on a Flink cluster: {@code flink run -c io.sfastream.pipeline.SfaPipelineJob
 * sfa-pipeline-job.jar --config profile.yaml}. The graph is {@link SfaPipeline} on Kafka.
 */
public final class SfaPipelineJob {
    private SfaPipelineJob() {}

    public static void main(String[] args) throws Exception {
        Path configPath = null;
        for (int i = 0; i < args.length - 1; i++) {
            if ("--config".equals(args[i])) {
                configPath = Path.of(args[i + 1]);
            }
        }
        PipelineConfig config =
                configPath == null ? PipelineConfig.defaults() : PipelineConfig.load(configPath);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        SfaPipeline.flinkConfiguration(config));
        SfaPipeline pipeline = SfaPipeline.onKafka(config);
        pipeline.build(env);
        env.execute(config.job().name());
    }
}
