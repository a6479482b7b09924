package io.sfastream.pipeline;

import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.deadletter.DeadLetters;
import io.sfastream.pipeline.decode.DecodeAndValidate;
import io.sfastream.pipeline.decode.DecodedSample;
import io.sfastream.pipeline.embed.EmbeddedSample;
import io.sfastream.pipeline.embed.MicroBatchEmbedder;
import io.sfastream.pipeline.io.EventTimes;
import io.sfastream.pipeline.io.KafkaIo;
import io.sfastream.pipeline.io.RawKafkaRecord;
import io.sfastream.pipeline.score.BaselineScorer;
import io.sfastream.pipeline.score.SfaScorer;
import io.sfastream.pipeline.train.ModelOwner;
import io.sfastream.pipeline.train.OwnerMessage;
import io.sfastream.pipeline.train.TrainerFeedReader;
import io.sfastream.pipeline.train.TrainerFeedWriter;
import io.sfastream.schemas.ClassEpochStats;
import io.sfastream.schemas.DeadLetter;
import io.sfastream.schemas.ModelSnapshotRef;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.schemas.TrainerFeed;
import io.sfastream.sfa.FeatureSum;
import java.util.UUID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The sfa-pipeline job graph, built from the sources and sinks it is given ({@link KafkaIo} picks
 * the Kafka ones for {@code main}, {@code sfa run}, the demo and the ITs):
 *
 * <pre>
 * input ─► decode &amp; validate ─► embed ◄─(broadcast)── model snapshots ◄──────────────┐
 *                                  │ └─ feature sums ─► model owner / trainer ─► snapshot refs ┘
 *                                  ▼ keyBy(label)            ▲     (p = 1)
 *                               score ─► noise scores        │ scored samples with their images,
 *                                  ├──────────────────────────┘ pooled scores
 *                                  └─► class stats
 *  rejects of every stage ─► dead letters
 * </pre>
 *
 * The snapshot references go out through the snapshots sink and come back through the snapshots
 * source (on Kafka: the compacted model-snapshots topic), which closes the feedback edge without a
 * cycle in the graph.
 */
public final class SfaPipeline {

    /**
     * Where the job reads: the input records (images or features), the snapshot references, and
     * ({@code job.role: trainer}) the training topic.
     */
    public record Sources(
            Source<RawKafkaRecord, ?, ?> input,
            Source<RawKafkaRecord, ?, ?> snapshots,
            Source<RawKafkaRecord, ?, ?> trainingFeed) {
        public Sources(Source<RawKafkaRecord, ?, ?> input, Source<RawKafkaRecord, ?, ?> snapshots) {
            this(input, snapshots, null);
        }
    }

    /** Where the job writes; {@code trainingFeed} only with {@code job.role: scorer}. */
    public record Sinks(
            Sink<NoiseScore> scores,
            Sink<ClassEpochStats> classStats,
            Sink<DeadLetter> deadLetters,
            Sink<ModelSnapshotRef> snapshots,
            Sink<TrainerFeed> trainingFeed) {
        public Sinks(
                Sink<NoiseScore> scores,
                Sink<ClassEpochStats> classStats,
                Sink<DeadLetter> deadLetters,
                Sink<ModelSnapshotRef> snapshots) {
            this(scores, classStats, deadLetters, snapshots, null);
        }
    }

    private final PipelineConfig config;
    private final Sources sources;
    private final Sinks sinks;
    private final String runId;

    public SfaPipeline(PipelineConfig config, Sources sources, Sinks sinks, String runId) {
        this.config = config.validate();
        this.sources = sources;
        this.sinks = sinks;
        this.runId = runId;
    }

    /** The job on Kafka, as {@code config.kafka} says, with {@code job.runId} or a fresh run id. */
    public static SfaPipeline onKafka(PipelineConfig config) {
        String runId =
                config.job().runId().isBlank()
                        ? UUID.randomUUID().toString()
                        : config.job().runId();
        return new SfaPipeline(
                config, KafkaIo.sources(config, runId), KafkaIo.sinks(config), runId);
    }

    /**
     * The Flink configuration every sfa-pipeline environment starts from: no silent Kryo fallback.
     */
    public static Configuration flinkConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    /**
     * {@link #flinkConfiguration()} plus what the profile says of the environment: file checkpoint
     * storage at {@code job.checkpointDir} when it is set. Pass it when creating the environment
     * (checkpoint storage cannot be changed on an environment afterwards).
     */
    public static Configuration flinkConfiguration(PipelineConfig config) {
        Configuration conf = flinkConfiguration();
        if (!config.job().checkpointDir().isBlank()) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.job().checkpointDir());
        }
        return conf;
    }

    public PipelineConfig config() {
        return config;
    }

    /** This execution's id: it scopes the snapshot references and the end-of-stream marker. */
    public String runId() {
        return runId;
    }

    /** The prefix of the job's model names in the store and on the snapshots topic. */
    public String modelPrefix() {
        return config.kafka().transactionalIdPrefix();
    }

    /** Wires the job ({@code job.role}: all of it, the scorer's part or the trainer's) into env. */
    public void build(StreamExecutionEnvironment env) {
        PipelineConfig.Job job = config.job();
        env.setParallelism(job.parallelism());
        env.enableCheckpointing(
                job.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        if (job.role() == PipelineConfig.Role.TRAINER) {
            buildTrainer(env);
            return;
        }

        DataStream<RawKafkaRecord> input =
                env.fromSource(
                                sources.input(),
                                EventTimes.forRecords(
                                        KafkaIo.inputType(config),
                                        job.outOfOrderness(),
                                        job.idleSourceTimeout()),
                                "input",
                                TypeInformation.of(RawKafkaRecord.class))
                        .uid(OperatorIds.INPUT_SOURCE);
        DataStream<RawKafkaRecord> snapshots =
                env.fromSource(
                                sources.snapshots(),
                                EventTimes.<RawKafkaRecord>none(),
                                "model-snapshots",
                                TypeInformation.of(RawKafkaRecord.class))
                        .setParallelism(1)
                        .uid(OperatorIds.SNAPSHOTS_SOURCE);

        SingleOutputStreamOperator<DecodedSample> decoded =
                input.process(new DecodeAndValidate(config))
                        .name("decode-and-validate")
                        .uid(OperatorIds.DECODE);

        SingleOutputStreamOperator<EmbeddedSample> embedded =
                decoded.connect(snapshots.broadcast())
                        .transform(
                                "embed",
                                TypeInformation.of(EmbeddedSample.class),
                                new MicroBatchEmbedder(config, modelPrefix(), runId))
                        .uid(OperatorIds.EMBED);

        SingleOutputStreamOperator<NoiseScore> scores =
                embedded.keyBy(s -> s.label, TypeInformation.of(Integer.class))
                        .process(
                                config.job().scorer() == PipelineConfig.Scorer.SFA
                                        ? new SfaScorer(config)
                                        : new BaselineScorer(config.baseline()),
                                TypeInformation.of(NoiseScore.class))
                        .name("score")
                        .uid(OperatorIds.SCORE);

        if (job.role() == PipelineConfig.Role.SCORER) {
            // the trainer job publishes the versions; the scored samples go to the training topic
            scores.getSideOutput(OwnerMessage.TAG)
                    .transform(
                            "trainer-feed-writer",
                            new AvroTypeInfo<>(TrainerFeed.class),
                            new TrainerFeedWriter(config))
                    .uid(OperatorIds.TRAINER_FEED_WRITER)
                    .sinkTo(sinks.trainingFeed())
                    .name("training-feed-sink")
                    .uid(OperatorIds.TRAINER_FEED_SINK);
        } else {
            SingleOutputStreamOperator<ModelSnapshotRef> versions =
                    owner(
                            embedded.getSideOutput(MicroBatchEmbedder.FEATURE_SUMS),
                            scores.getSideOutput(OwnerMessage.TAG));
            versions.sinkTo(sinks.snapshots())
                    .setParallelism(1)
                    .name("model-snapshots-sink")
                    .uid(OperatorIds.SNAPSHOTS_SINK);
        }

        scores.sinkTo(sinks.scores()).name("noise-scores-sink").uid(OperatorIds.SCORES_SINK);
        scores.getSideOutput(SfaScorer.CLASS_STATS)
                .sinkTo(sinks.classStats())
                .name("class-stats-sink")
                .uid(OperatorIds.CLASS_STATS_SINK);
        decoded.getSideOutput(DeadLetters.TAG)
                .union(
                        embedded.getSideOutput(DeadLetters.TAG),
                        scores.getSideOutput(DeadLetters.TAG))
                .sinkTo(sinks.deadLetters())
                .name("dead-letters-sink")
                .uid(OperatorIds.DEAD_LETTERS_SINK);
    }

    private SingleOutputStreamOperator<ModelSnapshotRef> owner(
            DataStream<FeatureSum> sums, DataStream<OwnerMessage> messages) {
        return sums.connect(messages)
                .transform(
                        "model-owner",
                        TypeInformation.of(ModelSnapshotRef.class),
                        new ModelOwner(config, modelPrefix(), runId))
                .setParallelism(1)
                .setMaxParallelism(1)
                .uid(OperatorIds.MODEL_OWNER);
    }

    /**
     * The trainer job: the training topic (event time rebuilt from the scorer job's watermarks)
     * into the trainer and owner of the model versions, whose references go to the snapshots topic.
     */
    private void buildTrainer(StreamExecutionEnvironment env) {
        SingleOutputStreamOperator<OwnerMessage> feed =
                env.fromSource(
                                sources.trainingFeed(),
                                // the reader makes the watermarks, from the scorer job's
                                WatermarkStrategy.<RawKafkaRecord>noWatermarks(),
                                "training-feed",
                                TypeInformation.of(RawKafkaRecord.class))
                        .setParallelism(1)
                        .uid(OperatorIds.TRAINER_FEED_SOURCE)
                        .transform(
                                "trainer-feed-reader",
                                TypeInformation.of(OwnerMessage.class),
                                new TrainerFeedReader(config))
                        .setParallelism(1)
                        .uid(OperatorIds.TRAINER_FEED_READER);
        // the owner's first input (feature sums) carries nothing here, only the feed's watermarks
        DataStream<FeatureSum> noSums =
                feed.flatMap(
                                (OwnerMessage m, Collector<FeatureSum> out) -> {},
                                TypeInformation.of(FeatureSum.class))
                        .setParallelism(1)
                        .name("no-feature-sums");
        owner(noSums, feed)
                .sinkTo(sinks.snapshots())
                .setParallelism(1)
                .name("model-snapshots-sink")
                .uid(OperatorIds.SNAPSHOTS_SINK);
        feed.getSideOutput(DeadLetters.TAG)
                .sinkTo(sinks.deadLetters())
                .setParallelism(1)
                .name("dead-letters-sink")
                .uid(OperatorIds.DEAD_LETTERS_SINK);
    }
}
