package io.sfastream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class WireCodecTest {
    private static final WireCodec<LabelledSample> CODEC = WireCodec.of(LabelledSample.class);

    static LabelledSample sample() {
        return LabelledSample.newBuilder()
                .setId("fmnist-train-00042")
                .setLabel(3)
                .setLabelName("Dress")
                .setImage(
                        Image.newBuilder()
                                .setEncoding(ImageEncoding.RAW_GRAY)
                                .setWidth(2)
                                .setHeight(2)
                                .setChannels(1)
                                .setData(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255}))
                                .build())
                .setSource("test")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setTrueLabel(4)
                .setAttributes(Map.of("k", "v"))
                .build();
    }

    static Schema v0() throws IOException {
        try (InputStream in =
                WireCodecTest.class.getResourceAsStream("/history/LabelledSample-v0.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    @Test
    void roundTripsEveryContract() throws Exception {
        LabelledSample s = sample();
        byte[] bytes = CODEC.encode(s);
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(CODEC.decode(bytes)).isEqualTo(s);

        NoiseScore score =
                NoiseScore.newBuilder()
                        .setId("a")
                        .setLabel(1)
                        .setNoiseProbability(0.25)
                        .setClean(true)
                        .setDistance(0.5)
                        .setModelVersion(3)
                        .setPhase(Phase.SCORING)
                        .setEventTime(Instant.ofEpochMilli(1))
                        .setScoredAt(Instant.ofEpochMilli(2))
                        .build();
        WireCodec<NoiseScore> scores = WireCodec.of(NoiseScore.class);
        assertThat(scores.decode(scores.encode(score))).isEqualTo(score);
        assertThat(score.getScorer()).isEqualTo("unknown"); // defaults apply to optional fields

        ModelSnapshotRef ref =
                ModelSnapshotRef.newBuilder()
                        .setModelName("m")
                        .setVersion(2)
                        .setUri("file:///x")
                        .setSha256("ab")
                        .setSizeBytes(10)
                        .setCreatedAt(Instant.ofEpochMilli(5))
                        .setSamplesSeen(1)
                        .setTrainSteps(1)
                        .build();
        WireCodec<ModelSnapshotRef> refs = WireCodec.of(ModelSnapshotRef.class);
        assertThat(refs.decode(refs.encode(ref))).isEqualTo(ref);

        DeadLetter dl =
                DeadLetter.newBuilder()
                        .setSourceTopic("t")
                        .setPartition(0)
                        .setOffset(9)
                        .setStage("decode")
                        .setReason("r")
                        .setTime(Instant.ofEpochMilli(3))
                        .build();
        WireCodec<DeadLetter> dls = WireCodec.of(DeadLetter.class);
        assertThat(dls.decode(dls.encode(dl))).isEqualTo(dl);
    }

    @Test
    void readsARecordWrittenWithAnOlderSchemaVersion() throws Exception {
        Schema old = v0();
        GenericRecord image = new GenericData.Record(old.getField("image").schema());
        image.put(
                "encoding",
                new GenericData.EnumSymbol(
                        old.getField("image").schema().getField("encoding").schema(), "RAW_GRAY"));
        image.put("width", 1);
        image.put("height", 1);
        image.put("channels", 1);
        image.put("data", ByteBuffer.wrap(new byte[] {7}));
        GenericRecord rec = new GenericData.Record(old);
        rec.put("id", "old-1");
        rec.put("label", 5);
        rec.put("image", image);
        rec.put("source", "legacy-producer");
        rec.put("eventTime", 1234L);
        rec.put("batch", "dropped-field");
        byte[] bytes =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(rec).array();

        LabelledSample read = CODEC.withWriterSchemas(List.of(old)).decode(bytes);
        assertThat(read.getId()).isEqualTo("old-1");
        assertThat(read.getLabel()).isEqualTo(5);
        assertThat(read.getEventTime()).isEqualTo(Instant.ofEpochMilli(1234));
        assertThat(read.getImage().getData().array()).containsExactly(7);
        assertThat(read.getLabelName()).isNull();
        assertThat(read.getTrueLabel()).isNull();
        assertThat(read.getAttributes()).isEmpty();
    }

    @Test
    void unknownFingerprintIsAClearError() throws Exception {
        Schema old = v0();
        byte[] bytes = CODEC.encode(sample());
        // overwrite the writer fingerprint with the old schema's, which this codec was not told
        // about
        long fp = WireCodec.fingerprint(old);
        ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(fp);
        assertThatThrownBy(() -> CODEC.decode(bytes))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e ->
                                assertThat(e.kind())
                                        .isEqualTo(WireFormatException.Kind.UNKNOWN_SCHEMA))
                .hasMessageContaining("unknown writer schema fingerprint " + WireCodec.hex(fp))
                .hasMessageContaining("LabelledSample")
                .hasMessageContaining(WireCodec.hex(WireCodec.fingerprint(CODEC.readerSchema())));
    }

    @Test
    void truncatedBytesAreAClearError() {
        byte[] bytes = CODEC.encode(sample());
        for (int cut : new int[] {bytes.length - 1, bytes.length / 2, WireCodec.HEADER_BYTES + 1}) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> CODEC.decode(truncated))
                    .isInstanceOfSatisfying(
                            WireFormatException.class,
                            e -> assertThat(e.kind()).isEqualTo(WireFormatException.Kind.TRUNCATED))
                    .hasMessageStartingWith("truncated LabelledSample body");
        }
        assertThatThrownBy(() -> CODEC.decode(Arrays.copyOf(bytes, 6)))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e ->
                                assertThat(e.kind())
                                        .isEqualTo(WireFormatException.Kind.NOT_SINGLE_OBJECT))
                .hasMessageContaining("6 bytes");
    }

    @Test
    void plainAvroBinaryAndGarbageAreRejectedAsNotSingleObject() throws Exception {
        // what a producer using flink-avro's AvroSerializationSchema (no header) would send
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.specific.SpecificDatumWriter<>(LabelledSample.class)
                .write(sample(), enc);
        enc.flush();
        assertThatThrownBy(() -> CODEC.decode(out.toByteArray()))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e ->
                                assertThat(e.kind())
                                        .isEqualTo(WireFormatException.Kind.NOT_SINGLE_OBJECT))
                .hasMessageContaining("not an Avro single-object message");
        assertThatThrownBy(() -> CODEC.decode(new byte[0]))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.kind()).isEqualTo(WireFormatException.Kind.EMPTY));
    }

    @Test
    void corruptBodyIsAClearError() {
        byte[] bytes = CODEC.encode(sample());
        // byte 10 starts the id string's zig-zag length: make it hugely negative
        bytes[WireCodec.HEADER_BYTES] = (byte) 0x7F;
        assertThatThrownBy(() -> CODEC.decode(bytes))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("LabelledSample body");
    }

    @Test
    void encodingAnIncompleteRecordNamesTheType() {
        LabelledSample broken = sample();
        broken.setId(null);
        assertThatThrownBy(() -> CODEC.encode(broken))
                .hasMessageContaining("cannot encode LabelledSample");
    }

    @Test
    void aProjectionReadsOneFieldOfCurrentAndOlderWriters() throws Exception {
        WireCodec.Projection eventTime =
                CODEC.withWriterSchemas(List.of(v0())).projection("eventTime");
        assertThat(eventTime.read(CODEC.encode(sample())).orElseThrow().get("eventTime"))
                .isEqualTo(1_700_000_000_123L);
        Schema old = v0();
        GenericRecord image = new GenericData.Record(old.getField("image").schema());
        image.put(
                "encoding",
                new GenericData.EnumSymbol(
                        old.getField("image").schema().getField("encoding").schema(), "RAW_GRAY"));
        image.put("width", 1);
        image.put("height", 1);
        image.put("channels", 1);
        image.put("data", ByteBuffer.wrap(new byte[] {7}));
        GenericRecord rec = new GenericData.Record(old);
        rec.put("id", "old-1");
        rec.put("label", 5);
        rec.put("image", image);
        rec.put("source", "legacy");
        rec.put("eventTime", 1234L);
        rec.put("batch", "x");
        byte[] bytes =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(rec).array();
        assertThat(eventTime.read(bytes).orElseThrow().get("eventTime")).isEqualTo(1234L);
        assertThat(eventTime.read("garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(eventTime.read(Arrays.copyOf(CODEC.encode(sample()), 20))).isEmpty();
        assertThatThrownBy(() -> CODEC.projection("nope")).hasMessageContaining("no field 'nope'");
    }
}
