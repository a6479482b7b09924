package io.sfastream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every change to a topic's schema stays compatible both ways: consumers on the new schema read
 * what old producers wrote (the new fields take their defaults), and consumers still on the old
 * schema read what new producers write (the new fields are skipped). The old versions are kept
 * under {@code src/test/resources/history}.
 */
class SchemaEvolutionTest {

    static Schema history(String file) throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/history/" + file)) {
            return new Schema.Parser().parse(in);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "NoiseScore-v1.avsc",
                "NoiseScore-v2.avsc",
                "ModelSnapshotRef-v1.avsc",
                "DeadLetter-v1.avsc"
            })
    void everyEvolvedSchemaIsFullyCompatibleWithItsPreviousVersion(String file) throws Exception {
        Schema old = history(file);
        Schema current =
                switch (file.substring(0, file.indexOf('-'))) {
                    case "NoiseScore" -> NoiseScore.getClassSchema();
                    case "ModelSnapshotRef" -> ModelSnapshotRef.getClassSchema();
                    case "DeadLetter" -> DeadLetter.getClassSchema();
                    default -> throw new IllegalArgumentException(file);
                };
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
                .as("new reader, old writer")
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(old, current).getType())
                .as("old reader, new writer")
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void aNoiseScoreFromBeforeEpochsReadsWithDefaults() throws Exception {
        Schema old = history("NoiseScore-v1.avsc");
        GenericRecord rec = new GenericData.Record(old);
        rec.put("id", "s-1");
        rec.put("label", 2);
        rec.put("noiseProbability", 0.25);
        rec.put("clean", true);
        rec.put("distance", 0.5);
        rec.put("scorer", "baseline-distance-zscore");
        rec.put("selectionStats", Map.of());
        rec.put("modelVersion", 0L);
        rec.put("phase", new GenericData.EnumSymbol(old.getField("phase").schema(), "SCORING"));
        rec.put("eventTime", 1000L);
        rec.put("scoredAt", 2000L);
        byte[] bytes =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(rec).array();

        NoiseScore read =
                WireCodec.of(NoiseScore.class).withWriterSchemas(List.of(old)).decode(bytes);
        assertThat(read.getId()).isEqualTo("s-1");
        assertThat(read.getNoiseProbability()).isEqualTo(0.25);
        assertThat(read.getEpoch()).isZero();
        assertThat(read.getBasis()).isEmpty();
        assertThat(read.getNetworks()).isEmpty();
    }

    @Test
    void aConsumerOnTheOldNoiseScoreSchemaReadsANewRecord() throws Exception {
        NoiseScore current =
                NoiseScore.newBuilder()
                        .setId("s-2")
                        .setLabel(1)
                        .setNoiseProbability(0.9)
                        .setClean(false)
                        .setDistance(1.2)
                        .setScorer("sfa")
                        .setModelVersion(3)
                        .setPhase(Phase.SCORING)
                        .setEventTime(Instant.ofEpochMilli(10))
                        .setScoredAt(Instant.ofEpochMilli(20))
                        .setEpoch(4)
                        .setBasis("GMM")
                        .setNetworks(
                                List.of(
                                        NetworkScore.newBuilder()
                                                .setNetwork(0)
                                                .setModelVersion(3)
                                                .setCleanProbability(0.1)
                                                .setClean(false)
                                                .setBasis("GMM")
                                                .setScore(-0.3)
                                                .setNormalisedScore(0.2)
                                                .setCentroidEpoch(4)
                                                .setSampled(true)
                                                .setConfidence(0.7)
                                                .setConfident(true)
                                                .build()))
                        .build();
        GenericRecord old = readWithOldSchema(current, history("NoiseScore-v1.avsc"));
        assertThat(old.get("id").toString()).isEqualTo("s-2");
        assertThat(old.get("noiseProbability")).isEqualTo(0.9);
        assertThat(old.get("modelVersion")).isEqualTo(3L);
        assertThat(old.getSchema().getField("networks")).isNull();
    }

    @Test
    void aSnapshotReferenceFromBeforeNetworksReadsWithDefaults() throws Exception {
        Schema old = history("ModelSnapshotRef-v1.avsc");
        GenericRecord rec = new GenericData.Record(old);
        rec.put("modelName", "m");
        rec.put("version", 7L);
        rec.put("uri", "file:///tmp/m/7");
        rec.put("sha256", "ab");
        rec.put("sizeBytes", 10L);
        rec.put("createdAt", 5L);
        rec.put("samplesSeen", 100L);
        rec.put("trainSteps", 4L);
        rec.put("metrics", Map.of());
        byte[] bytes =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(rec).array();
        ModelSnapshotRef read =
                WireCodec.of(ModelSnapshotRef.class).withWriterSchemas(List.of(old)).decode(bytes);
        assertThat(read.getVersion()).isEqualTo(7);
        assertThat(read.getNetwork()).isZero();
        assertThat(read.getEpoch()).isZero();
        assertThat(read.getEndOfStream()).isFalse();
        assertThat(read.getRunId()).isEmpty();
    }

    @Test
    void theNewContractsRoundTrip() throws Exception {
        ClassEpochStats stats =
                ClassEpochStats.newBuilder()
                        .setLabel(3)
                        .setEpoch(2)
                        .setBoundary(Instant.ofEpochMilli(1_000))
                        .setSamples(10)
                        .setConfident(8)
                        .setJudgedClean(7)
                        .setSelected(7)
                        .setFlaggedRate(0.3)
                        .setEstimatedNoiseRate(0.25)
                        .setGmmMeans(List.of(0.1, 0.8))
                        .setGmmVariances(List.of(0.01, 0.02))
                        .setGmmWeights(List.of(0.25, 0.75))
                        .setHasCentroid(true)
                        .setSampled(false)
                        .setCentroid(List.of(0.5f, -0.5f))
                        .setModelVersion(2)
                        .build();
        WireCodec<ClassEpochStats> statsCodec = WireCodec.of(ClassEpochStats.class);
        assertThat(statsCodec.decode(statsCodec.encode(stats))).isEqualTo(stats);

        LabelledEmbedding e =
                LabelledEmbedding.newBuilder()
                        .setId("e-1")
                        .setLabel(4)
                        .setEventTime(Instant.ofEpochMilli(99))
                        .setEncoderName("resnet50-v1")
                        .setConfidence(0.4)
                        .setFeatures(List.of(1f, 2f, Float.NaN))
                        .build();
        WireCodec<LabelledEmbedding> embCodec = WireCodec.of(LabelledEmbedding.class);
        LabelledEmbedding back = embCodec.decode(embCodec.encode(e));
        assertThat(back.getId()).isEqualTo("e-1");
        assertThat(back.getFeatures()).hasSize(3);
        assertThat(back.getFeatures().get(2)).isNaN();
        assertThat(back.getLogits()).isNull();
        assertThat(back.getAttributes()).isEmpty();
    }

    private static <T extends org.apache.avro.specific.SpecificRecord>
            GenericRecord readWithOldSchema(T record, Schema oldSchema) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<T>(record.getSchema()).write(record, enc);
        enc.flush();
        GenericDatumReader<GenericRecord> reader =
                new GenericDatumReader<>(record.getSchema(), oldSchema);
        return reader.read(
                null,
                DecoderFactory.get()
                        .binaryDecoder(ByteBuffer.wrap(out.toByteArray()).array(), null));
    }
}
