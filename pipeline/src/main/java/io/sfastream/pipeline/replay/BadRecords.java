package io.sfastream.pipeline.replay;

import io.sfastream.schemas.Image;
import io.sfastream.schemas.ImageEncoding;
import io.sfastream.schemas.LabelledSample;
import io.sfastream.schemas.WireCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One record of every kind of bad input the job must dead-letter rather than crash on, derived from
 * a valid sample. Used by {@code sfa demo --bad-records} and by the integration tests.
 *
 * @param kind a short name
 * @param expectedStage the stage that must reject it
 * @param expectedReason a phrase the dead letter's reason must contain
 * @param value the record bytes (null = a tombstone)
 */
public record BadRecords(String kind, String expectedStage, String expectedReason, byte[] value) {

    public static List<BadRecords> from(LabelledSample valid, int numClasses, int maxRecordBytes) {
        WireCodec<LabelledSample> codec = WireCodec.of(LabelledSample.class);
        byte[] good = codec.encode(valid);
        byte[] unknownSchema = good.clone();
        ByteBuffer.wrap(unknownSchema, 2, 8).putLong(0x5fa5fa5fa5fa5fa5L);

        LabelledSample wrongSize = copy(valid, "bad-wrong-size");
        wrongSize.setImage(
                Image.newBuilder(valid.getImage())
                        .setWidth(32)
                        .setHeight(32)
                        .setData(
                                ByteBuffer.wrap(new byte[32 * 32 * valid.getImage().getChannels()]))
                        .build());
        LabelledSample unknownLabel = copy(valid, "bad-unknown-label");
        unknownLabel.setLabel(numClasses + 3);
        LabelledSample oversize = copy(valid, "bad-oversize");
        oversize.setImage(
                Image.newBuilder(valid.getImage())
                        .setData(ByteBuffer.wrap(new byte[maxRecordBytes + 1]))
                        .build());
        LabelledSample corruptPng = copy(valid, "bad-png");
        corruptPng.setImage(
                Image.newBuilder(valid.getImage())
                        .setEncoding(ImageEncoding.PNG)
                        .setData(
                                ByteBuffer.wrap(
                                        "definitely not a png".getBytes(StandardCharsets.US_ASCII)))
                        .build());

        return List.of(
                new BadRecords(
                        "truncated-avro",
                        "decode",
                        "truncated LabelledSample body",
                        Arrays.copyOf(good, good.length / 2)),
                new BadRecords(
                        "not-avro",
                        "decode",
                        "not an Avro single-object message",
                        "{\"id\": \"json is not our wire format\"}"
                                .getBytes(StandardCharsets.UTF_8)),
                new BadRecords(
                        "unknown-schema",
                        "decode",
                        "unknown writer schema fingerprint",
                        unknownSchema),
                new BadRecords("tombstone", "decode", "record has no value", null),
                new BadRecords(
                        "oversize",
                        "decode",
                        "exceeds the " + maxRecordBytes + "-byte limit",
                        codec.encode(oversize)),
                new BadRecords(
                        "wrong-image-size", "validate", "the model takes", codec.encode(wrongSize)),
                new BadRecords(
                        "unknown-label",
                        "validate",
                        "unknown label " + (numClasses + 3),
                        codec.encode(unknownLabel)),
                new BadRecords("corrupt-png", "validate", "PNG data", codec.encode(corruptPng)));
    }

    private static LabelledSample copy(LabelledSample s, String id) {
        LabelledSample c = LabelledSample.newBuilder(s).build();
        c.setId(id);
        return c;
    }
}
