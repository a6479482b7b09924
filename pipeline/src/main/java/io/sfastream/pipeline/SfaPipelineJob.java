package io.sfastream.pipeline;

import io.sfastream.nn.ModelSpec;
import io.sfastream.pipeline.decode.DeadLetters;
import io.sfastream.pipeline.decode.DecodeAndValidate;
import io.sfastream.pipeline.decode.DecodedSample;
import io.sfastream.pipeline.embed.EmbeddedSample;
import io.sfastream.pipeline.embed.MicroBatchEmbedder;
import io.sfastream.pipeline.kafka.RawKafkaRecord;
import io.sfastream.pipeline.kafka.RawRecordDeserializer;
import io.sfastream.pipeline.kafka.WireSerializationSchema;
import io.sfastream.pipeline.score.BaselineScorer;
import io.sfastream.schemas.DeadLetter;
import io.sfastream.schemas.NoiseScore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The sfa-pipeline job:
 *
 * <pre>
 * Kafka samples ─► decode &amp; validate ─► embed (micro-batched DJL forward) ─► keyBy(label) ─► score ─► Kafka noise-scores
 *                        └──────────── rejects from every stage ───────────────────────────────► Kafka dead-letters
 * </pre>
 *
 * The scorer is the walking skeleton's {@link BaselineScorer}; the SFA selection replaces it.
 */
public final class SfaPipelineJob {
    private SfaPipelineJob() {}

    /**
     * The Flink configuration every sfa-pipeline environment starts from: no silent Kryo fallback.
     */
    public static Configuration flinkConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    /**
     * Wires the job into {@code env}; checkpointing and parallelism come from {@code config.job}.
     */
    public static void build(StreamExecutionEnvironment env, PipelineConfig config) {
        config.validate();
        env.setParallelism(config.job.parallelism);
        env.enableCheckpointing(config.job.checkpointIntervalMs, CheckpointingMode.EXACTLY_ONCE);
        ModelSpec spec = config.model.toSpec();
        PipelineConfig.Kafka kafka = config.kafka;

        DataStream<RawKafkaRecord> raw =
                env.fromSource(source(kafka), watermarks(config.job), "samples")
                        .uid("samples-source");

        SingleOutputStreamOperator<DecodedSample> decoded =
                raw.process(
                                new DecodeAndValidate(
                                        spec, kafka.maxRecordBytes, kafka.deadLetterValueCapBytes))
                        .name("decode-and-validate")
                        .uid("decode-and-validate");

        SingleOutputStreamOperator<EmbeddedSample> embedded =
                decoded.transform(
                                "embed",
                                TypeInformation.of(EmbeddedSample.class),
                                new MicroBatchEmbedder(
                                        spec,
                                        config.embed.batchSize,
                                        config.embed.maxBatchDelayMs,
                                        config.embed.centringMomentum,
                                        config.djl.toSettings()))
                        .uid("embed");

        SingleOutputStreamOperator<NoiseScore> scores =
                embedded.keyBy(s -> s.label, TypeInformation.of(Integer.class))
                        .process(
                                new BaselineScorer(
                                        config.scoring.beta,
                                        config.scoring.warmupSamplesPerClass,
                                        config.scoring.cleanBelow))
                        .name("score")
                        .uid("score");

        scores.sinkTo(
                        sink(
                                kafka,
                                kafka.scoresTopic,
                                NoiseScore.class,
                                s -> utf8(s.getId()),
                                "scores"))
                .name("noise-scores-sink")
                .uid("noise-scores-sink");

        decoded.getSideOutput(DeadLetters.TAG)
                .union(
                        embedded.getSideOutput(DeadLetters.TAG),
                        scores.getSideOutput(DeadLetters.TAG))
                .sinkTo(
                        sink(
                                kafka,
                                kafka.deadLettersTopic,
                                DeadLetter.class,
                                d -> d.getSampleId() == null ? null : utf8(d.getSampleId()),
                                "dead-letters"))
                .name("dead-letters-sink")
                .uid("dead-letters-sink");
    }

    static KafkaSource<RawKafkaRecord> source(PipelineConfig.Kafka kafka) {
        OffsetResetStrategy reset =
                "latest".equals(kafka.startingOffsets)
                        ? OffsetResetStrategy.LATEST
                        : OffsetResetStrategy.EARLIEST;
        KafkaSourceBuilder<RawKafkaRecord> b =
                KafkaSource.<RawKafkaRecord>builder()
                        .setBootstrapServers(kafka.bootstrapServers)
                        .setTopics(kafka.samplesTopic)
                        .setGroupId(kafka.groupId)
                        .setStartingOffsets(OffsetsInitializer.committedOffsets(reset))
                        .setDeserializer(new RawRecordDeserializer())
                        .setProperty("isolation.level", "read_committed")
                        // the record cap is enforced per record in decode; let the consumer fetch a
                        // few of them at once
                        .setProperty(
                                "max.partition.fetch.bytes",
                                Integer.toString(Math.max(1 << 20, 2 * kafka.maxRecordBytes)));
        if (kafka.bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    static WatermarkStrategy<RawKafkaRecord> watermarks(PipelineConfig.Job job) {
        // Producers stamp the Kafka record with the sample's eventTime (the replay does), so event
        // time is known
        // per partition before decoding, and idle partitions do not stall the watermark.
        return WatermarkStrategy.<RawKafkaRecord>forBoundedOutOfOrderness(
                        Duration.ofMillis(job.outOfOrdernessMs))
                .withTimestampAssigner((r, ts) -> r.timestamp)
                .withIdleness(Duration.ofMillis(job.idleSourceTimeoutMs));
    }

    static <T extends SpecificRecord> KafkaSink<T> sink(
            PipelineConfig.Kafka kafka,
            String topic,
            Class<T> type,
            SerializationSchema<T> key,
            String name) {
        boolean exactlyOnce = "exactly-once".equals(kafka.deliveryGuarantee);
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setDeliveryGuarantee(
                        exactlyOnce
                                ? DeliveryGuarantee.EXACTLY_ONCE
                                : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(kafka.transactionalIdPrefix + "-" + name)
                .setProperty("transaction.timeout.ms", Long.toString(kafka.transactionTimeoutMs))
                .setRecordSerializer(
                        KafkaRecordSerializationSchema.<T>builder()
                                .setTopic(topic)
                                .setKeySerializationSchema(key)
                                .setValueSerializationSchema(new WireSerializationSchema<>(type))
                                .build())
                .build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Entry point on a Flink cluster: {@code --config path/to/profile.yaml}. */
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
                StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration());
        build(env, config);
        env.execute(config.job.name);
    }
}
