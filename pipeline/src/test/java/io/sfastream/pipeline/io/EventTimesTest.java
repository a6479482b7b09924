package io.sfastream.pipeline.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.schemas.Image;
import io.sfastream.schemas.ImageEncoding;
import io.sfastream.schemas.LabelledEmbedding;
import io.sfastream.schemas.LabelledSample;
import io.sfastream.schemas.WireCodec;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event time comes from the record, never from the Kafka timestamp, for every input type. */
class EventTimesTest {
    private static RawKafkaRecord raw(byte[] value) {
        return new RawKafkaRecord("t", 0, 0, 999_999L, null, value);
    }

    @Test
    void theRecordsOwnEventTimeIsTheTimestampForFeaturesAndImages() {
        var features = new EventTimes.RecordEventTime<>(LabelledEmbedding.class);
        LabelledEmbedding e =
                LabelledEmbedding.newBuilder()
                        .setId("x")
                        .setLabel(3)
                        .setEventTime(Instant.ofEpochMilli(1_234_567L))
                        .setEncoderName("enc")
                        .setFeatures(List.of(1f, 2f))
                        .build();
        byte[] bytes = WireCodec.of(LabelledEmbedding.class).encode(e);
        assertThat(features.extractTimestamp(raw(bytes), 5L)).isEqualTo(1_234_567L);
        // the direct read and the projection agree
        assertThat(EventTimes.PrefixReader.of(LabelledEmbedding.getClassSchema()).eventTime(bytes))
                .isEqualTo(1_234_567L);
        assertThat(features.extractTimestamp(raw(Arrays.copyOf(bytes, 12)), 5L))
                .isEqualTo(Long.MIN_VALUE);
        assertThat(features.extractTimestamp(raw(null), 5L)).isEqualTo(Long.MIN_VALUE);

        var images = new EventTimes.RecordEventTime<>(LabelledSample.class);
        assertThat(EventTimes.PrefixReader.of(LabelledSample.getClassSchema())).isNull();
        LabelledSample s =
                LabelledSample.newBuilder()
                        .setId("y")
                        .setLabel(1)
                        .setImage(
                                Image.newBuilder()
                                        .setEncoding(ImageEncoding.RAW_GRAY)
                                        .setWidth(1)
                                        .setHeight(1)
                                        .setChannels(1)
                                        .setData(ByteBuffer.wrap(new byte[] {7}))
                                        .build())
                        .setSource("s")
                        .setEventTime(Instant.ofEpochMilli(42L))
                        .build();
        assertThat(images.extractTimestamp(raw(WireCodec.of(LabelledSample.class).encode(s)), 5L))
                .isEqualTo(42L);
    }
}
