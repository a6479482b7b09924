package io.sfastream.pipeline.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.nn.ModelSpec;
import io.sfastream.pipeline.replay.BadRecords;
import io.sfastream.schemas.Image;
import io.sfastream.schemas.ImageEncoding;
import io.sfastream.schemas.LabelledSample;
import io.sfastream.schemas.WireCodec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SampleValidatorTest {
    private static final io.sfastream.time.EpochClock CLOCK =
            new io.sfastream.time.EpochClock(Instant.EPOCH, java.time.Duration.ofMillis(10));
    private static final ModelSpec SPEC = ModelSpec.fashionMnistSmallCnn(1);
    private static final WireCodec<LabelledSample> CODEC = WireCodec.of(LabelledSample.class);

    private static LabelledSample sample(ImageEncoding enc, int w, int h, int c, byte[] data) {
        return LabelledSample.newBuilder()
                .setId("x1")
                .setLabel(4)
                .setTrueLabel(2)
                .setSource("t")
                .setEventTime(Instant.ofEpochMilli(99))
                .setAttributes(Map.of())
                .setImage(
                        Image.newBuilder()
                                .setEncoding(enc)
                                .setWidth(w)
                                .setHeight(h)
                                .setChannels(c)
                                .setData(ByteBuffer.wrap(data))
                                .build())
                .build();
    }

    @Test
    void acceptsRawGreyAtTheModelSize() {
        byte[] px = new byte[28 * 28];
        px[5] = (byte) 200;
        var r =
                new SampleValidator(SPEC, 1 << 20, CLOCK)
                        .validate(CODEC.encode(sample(ImageEncoding.RAW_GRAY, 28, 28, 1, px)));
        assertThat(r.ok()).isTrue();
        assertThat(r.sample().id).isEqualTo("x1");
        assertThat(r.sample().label).isEqualTo(4);
        assertThat(r.sample().trueLabel).isEqualTo(2);
        assertThat(r.sample().eventTime).isEqualTo(99);
        assertThat(r.sample().pixels).containsExactly(px);
    }

    @Test
    void decodesPngToTheModelsChannels() throws Exception {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(3, 2, 0, 180); // x=3, y=2
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        var r =
                new SampleValidator(SPEC, 1 << 20, CLOCK)
                        .validate(
                                CODEC.encode(
                                        sample(ImageEncoding.PNG, 28, 28, 1, png.toByteArray())));
        assertThat(r.ok()).isTrue();
        assertThat(r.sample().pixels[2 * 28 + 3] & 0xff).isEqualTo(180);
        assertThat(r.sample().pixels[0]).isZero();
    }

    @Test
    void everyKindOfBadRecordIsRejectedWithItsReason() {
        LabelledSample valid = sample(ImageEncoding.RAW_GRAY, 28, 28, 1, new byte[28 * 28]);
        SampleValidator v = new SampleValidator(SPEC, 4096, CLOCK);
        for (BadRecords b : BadRecords.from(valid, 10, 4096)) {
            var r = v.validate(b.value());
            assertThat(r.ok()).as(b.kind()).isFalse();
            assertThat(r.rejection().stage()).as(b.kind()).isEqualTo(b.expectedStage());
            assertThat(r.rejection().reason()).as(b.kind()).contains(b.expectedReason());
        }
    }

    @Test
    void rawImagesMustCarryTheBytesTheyDeclare() {
        SampleValidator v = new SampleValidator(SPEC, 1 << 20, CLOCK);
        var shortData =
                v.validate(CODEC.encode(sample(ImageEncoding.RAW_GRAY, 28, 28, 1, new byte[700])));
        assertThat(shortData.rejection().reason())
                .isEqualTo("RAW_GRAY image declares 28x28x1 = 784 bytes but carries 700");
        var rgbAsGrey =
                v.validate(
                        CODEC.encode(
                                sample(ImageEncoding.RAW_GRAY, 28, 28, 3, new byte[28 * 28 * 3])));
        assertThat(rgbAsGrey.rejection().reason()).contains("declares 3 channels, expected 1");
        var rgb =
                v.validate(
                        CODEC.encode(
                                sample(ImageEncoding.RAW_RGB, 28, 28, 3, new byte[28 * 28 * 3])));
        assertThat(rgb.rejection().reason()).isEqualTo("image is 28x28x3, the model takes 28x28x1");
        assertThat(rgb.rejection().sampleId()).isEqualTo("x1");
    }
}
