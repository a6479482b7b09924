package io.sfastream.cli;

import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.local.EmbeddedKafka;
import io.sfastream.pipeline.local.KafkaTopics;
import io.sfastream.pipeline.local.KafkaTopics.TopicSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A local Kafka broker for development: runs until Ctrl-C. */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description =
                "Start a local single-node KRaft Kafka broker (from Maven jars) with the pipeline's topics, "
                        + "print its bootstrap address, and run until interrupted.")
final class BrokerCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            description = "Profile whose topic names to create (default: built-in defaults).")
    Path config;

    @Option(
            names = "--data-dir",
            description =
                    "Keep the broker's logs here (default: a temporary folder, deleted on exit).")
    Path dataDir;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            description =
                    "Partitions of the samples and scores topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        PipelineConfig c = config == null ? PipelineConfig.defaults() : PipelineConfig.load(config);
        CountDownLatch stop = new CountDownLatch(1);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir)) {
            KafkaTopics.create(
                    kafka.bootstrapServers(), topics(c, partitions), Duration.ofSeconds(60));
            System.out.println("Kafka broker ready at " + kafka.bootstrapServers());
            System.out.println(
                    "topics: "
                            + topics(c, partitions).stream().map(TopicSpec::name).toList()
                            + " (Ctrl-C stops the broker)");
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
        return 0;
    }

    /** Every topic the job reads or writes, with its partitions (model-snapshots is compacted). */
    static List<TopicSpec> topics(PipelineConfig c, int partitions) {
        PipelineConfig.Kafka k = c.kafka();
        return List.of(
                TopicSpec.of(k.samplesTopic(), partitions),
                TopicSpec.of(k.featuresTopic(), partitions),
                TopicSpec.of(k.scoresTopic(), partitions),
                TopicSpec.of(k.classStatsTopic(), 1),
                TopicSpec.of(k.deadLettersTopic(), 1),
                new TopicSpec(k.snapshotsTopic(), 1, true),
                TopicSpec.of(k.trainingTopic(), partitions));
    }
}
