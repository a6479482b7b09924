package io.sfastream.pipeline.io;

import io.sfastream.pipeline.SfaPipeline;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.schemas.ClassEpochStats;
import io.sfastream.schemas.DeadLetter;
import io.sfastream.schemas.LabelledEmbedding;
import io.sfastream.schemas.LabelledSample;
import io.sfastream.schemas.ModelSnapshotRef;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.schemas.TrainerFeed;
import io.sfastream.schemas.WireCodec;
import io.sfastream.schemas.WireFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The Kafka sources and sinks of the job ({@code main}, {@code sfa run}, the demo and the ITs pick
 * these; tests may pass others to {@link SfaPipeline}). Every sink is transactional under {@code
 * exactly-once}, every source reads {@code read_committed}.
 */
public final class KafkaIo {
    private KafkaIo() {}

    /** The input topic ({@code job.input}) and the model-snapshots feedback edge. */
    public static SfaPipeline.Sources sources(PipelineConfig c, String runId) {
        PipelineConfig.Kafka k = c.kafka();
        boolean features = c.job().input() == PipelineConfig.Input.FEATURES;
        String topic = features ? k.featuresTopic() : k.samplesTopic();
        KafkaSourceBuilder<RawKafkaRecord> input =
                base(k, topic, k.groupId())
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(
                                        k.startingOffsets() == PipelineConfig.StartingOffsets.LATEST
                                                ? OffsetResetStrategy.LATEST
                                                : OffsetResetStrategy.EARLIEST))
                        // the record cap is enforced per record in decode; fetch a few at once
                        .setProperty(
                                "max.partition.fetch.bytes",
                                Integer.toString(Math.max(1 << 20, 2 * k.maxRecordBytes())));
        if (k.bounded()) {
            input.setBounded(OffsetsInitializer.latest());
        }
        // The compacted snapshots topic is read whole on every start (its latest record per model
        // is
        // the version in use); a bounded job's reader ends at this run's end marker.
        KafkaSource<RawKafkaRecord> snapshotsKafka =
                base(k, k.snapshotsTopic(), k.groupId() + "-snapshots-" + runId)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .build();
        org.apache.flink.api.connector.source.Source<RawKafkaRecord, ?, ?> snapshots =
                k.bounded() ? endsAtMarker(snapshotsKafka, runId) : snapshotsKafka;
        // the trainer job reads the training topic from its committed offsets, unbounded: it runs
        // as long as the scorer job sends
        KafkaSource<RawKafkaRecord> feed =
                base(k, k.trainingTopic(), k.groupId() + "-trainer")
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .build();
        return new SfaPipeline.Sources(input.build(), snapshots, feed);
    }

    private static <S extends org.apache.flink.api.connector.source.SourceSplit, E>
            EndOfStreamSource<RawKafkaRecord, S, E> endsAtMarker(
                    org.apache.flink.api.connector.source.Source<RawKafkaRecord, S, E> source,
                    String runId) {
        return new EndOfStreamSource<>(
                source, r -> isEndMarker(r.value, runId), TypeInformation.of(RawKafkaRecord.class));
    }

    /** Whether {@code value} is the end-of-stream record of run {@code runId}. */
    public static boolean isEndMarker(byte[] value, String runId) {
        try {
            ModelSnapshotRef ref = WireCodec.of(ModelSnapshotRef.class).decode(value);
            return ref.getEndOfStream() && runId.equals(ref.getRunId());
        } catch (WireFormatException | RuntimeException e) {
            return false;
        }
    }

    /** The four outputs: scores, class statistics, dead letters, snapshot references. */
    public static SfaPipeline.Sinks sinks(PipelineConfig c) {
        // the two jobs of a split deployment write with transactional ids of their own
        String tx =
                c.job().role() == PipelineConfig.Role.ALL
                        ? c.kafka().transactionalIdPrefix()
                        : c.kafka().transactionalIdPrefix()
                                + "-"
                                + c.job().role().name().toLowerCase(java.util.Locale.ROOT);
        PipelineConfig.Kafka k = c.kafka();
        return new SfaPipeline.Sinks(
                sink(k, tx, k.scoresTopic(), NoiseScore.class, s -> utf8(s.getId()), "scores"),
                sink(
                        k,
                        tx,
                        k.classStatsTopic(),
                        ClassEpochStats.class,
                        s ->
                                ByteBuffer.allocate(8)
                                        .putInt(s.getLabel())
                                        .putInt(s.getNetwork())
                                        .array(),
                        "class-stats"),
                sink(
                        k,
                        tx,
                        k.deadLettersTopic(),
                        DeadLetter.class,
                        d -> d.getSampleId() == null ? null : utf8(d.getSampleId()),
                        "dead-letters"),
                sink(
                        k,
                        tx,
                        k.snapshotsTopic(),
                        ModelSnapshotRef.class,
                        r -> utf8(r.getModelName()),
                        "snapshots"),
                sink(
                        k,
                        tx,
                        k.trainingTopic(),
                        TrainerFeed.class,
                        f -> null,
                        "training",
                        f -> f.getPartition()));
    }

    /** The record type of the input topic. */
    public static Class<? extends SpecificRecord> inputType(PipelineConfig c) {
        return c.job().input() == PipelineConfig.Input.FEATURES
                ? LabelledEmbedding.class
                : LabelledSample.class;
    }

    private static KafkaSourceBuilder<RawKafkaRecord> base(
            PipelineConfig.Kafka k, String topic, String group) {
        return KafkaSource.<RawKafkaRecord>builder()
                .setBootstrapServers(k.bootstrapServers())
                .setTopics(topic)
                .setGroupId(group)
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("isolation.level", "read_committed");
    }

    static <T extends SpecificRecord> KafkaSink<T> sink(
            PipelineConfig.Kafka k,
            String tx,
            String topic,
            Class<T> type,
            SerializationSchema<T> key,
            String name) {
        return sink(k, tx, topic, type, key, name, null);
    }

    static <T extends SpecificRecord> KafkaSink<T> sink(
            PipelineConfig.Kafka k,
            String tx,
            String topic,
            Class<T> type,
            SerializationSchema<T> key,
            String name,
            WireRecordSerializer.Partitioner<T> partition) {
        boolean exactlyOnce =
                k.deliveryGuarantee() == PipelineConfig.DeliveryGuarantee.EXACTLY_ONCE;
        return KafkaSink.<T>builder()
                .setBootstrapServers(k.bootstrapServers())
                .setDeliveryGuarantee(
                        exactlyOnce
                                ? DeliveryGuarantee.EXACTLY_ONCE
                                : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(tx + "-" + name)
                .setProperty(
                        "transaction.timeout.ms", Long.toString(k.transactionTimeout().toMillis()))
                .setRecordSerializer(new WireRecordSerializer<>(topic, type, key, partition))
                .build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
