package io.sfastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.pipeline.local.EmbeddedKafka;
import io.sfastream.pipeline.local.KafkaTopics;
import io.sfastream.pipeline.local.KafkaTopics.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code sfa bench pipeline}'s pass-through ceiling and a tiny run of the whole command. */
class PipelineBenchCommandIT {
    @TempDir Path dir;

    /**
     * Every record in comes out once, committed, with its bytes unchanged (p = 2, exactly-once).
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void passThroughCommitsEveryRecordOnce() throws Exception {
        int n = 3000;
        int size = 2083;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            String bootstrap = kafka.bootstrapServers();
            KafkaTopics.create(
                    bootstrap,
                    java.util.List.of(TopicSpec.of("in", 2), TopicSpec.of("out", 2)),
                    Duration.ofSeconds(60));
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName());
            long sum = 0;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                for (int i = 0; i < n; i++) {
                    byte[] v = new byte[size];
                    byte[] id = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(id, 0, v, 0, id.length);
                    sum += i;
                    producer.send(new ProducerRecord<>("in", null, v));
                }
            }
            Configuration conf = new Configuration();
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    dir.resolve("checkpoints").toUri().toString());
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(conf);
            PassThroughCeiling.build(
                    env,
                    bootstrap,
                    "in",
                    "out",
                    "g",
                    "pass-through-it",
                    true,
                    2,
                    Duration.ofMillis(300),
                    Duration.ofMinutes(5));
            long before = System.currentTimeMillis();
            env.execute("pass-through-it");

            PassThroughCeiling.Committed c =
                    PassThroughCeiling.read(bootstrap, "out", n, Duration.ofSeconds(60));
            assertThat(c.writtenAt()).hasSize(n);
            assertThat(c.valueBytes()).isEqualTo((long) n * size);
            assertThat(java.util.Arrays.stream(c.writtenAt()).min().orElseThrow())
                    .as("the sink stamps write times")
                    .isGreaterThanOrEqualTo(before);
            // the records' ids, summed: each once (a loss plus a duplicate would have to cancel)
            assertThat(ids(bootstrap)).isEqualTo(sum);
        }
    }

    private static long ids(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put(
                "key.deserializer",
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        p.put(
                "value.deserializer",
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        long sum = 0;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        try (var consumer =
                new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(p)) {
            var parts =
                    java.util.List.of(
                            new org.apache.kafka.common.TopicPartition("out", 0),
                            new org.apache.kafka.common.TopicPartition("out", 1));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            int empty = 0;
            while (empty < 3) {
                var records = consumer.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                for (var r : records) {
                    String s = new String(r.value(), 0, 8, StandardCharsets.US_ASCII);
                    int id = Integer.parseInt(s.substring(0, s.indexOf('\0')));
                    assertThat(seen.add(id)).as("record %d twice", id).isTrue();
                    sum += id;
                }
            }
        }
        return sum;
    }

    /** The whole command, tiny: the SFA job and its ceiling both commit every record (exit 0). */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void benchPrintsTheJobBesideItsCeiling() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        CliRun r;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            r =
                    CliRun.sfa(
                            "bench",
                            "pipeline",
                            "--samples",
                            "2000",
                            "--dim",
                            "16",
                            "--classes",
                            "10",
                            "--parallelism",
                            "1",
                            "--checkpoint-interval",
                            "300 ms",
                            "--no-cpu-by-thread");
        } finally {
            System.setOut(out);
        }
        String report = captured.toString(StandardCharsets.UTF_8);
        assertThat(r.code()).as(report).isZero();
        assertThat(report)
                .contains("Pass-through ceiling")
                .containsPattern("\\| 1 \\| exactly-once \\| 2000 \\|")
                .containsPattern(
                        "p = 1 exactly-once: the SFA job reaches \\d+ % of the pass-through's"
                                + " steady rate")
                .doesNotContain("ERROR");
    }
}
