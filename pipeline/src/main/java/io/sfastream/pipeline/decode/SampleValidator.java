package io.sfastream.pipeline.decode;

import io.sfastream.nn.ModelSpec;
import io.sfastream.pipeline.deadletter.Rejection;
import io.sfastream.schemas.Image;
import io.sfastream.schemas.ImageEncoding;
import io.sfastream.schemas.LabelledSample;
import io.sfastream.schemas.WireCodec;
import io.sfastream.schemas.WireFormatException;
import io.sfastream.time.EpochClock;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;

/**
 * Turns raw Kafka bytes into a {@link DecodedSample} at the model's input size, or says exactly why
 * not. Pure Java (no Flink types) so every rule is unit-tested on its own. Not thread-safe (one per
 * subtask).
 */
public final class SampleValidator {
    private final WireCodec<LabelledSample> codec;
    private final ModelSpec spec;
    private final RecordChecks checks;

    /** Either a decoded sample or a rejection. */
    public record Result(DecodedSample sample, Rejection rejection) {
        public boolean ok() {
            return sample != null;
        }
    }

    public SampleValidator(ModelSpec spec, int maxRecordBytes, EpochClock clock) {
        this.codec = WireCodec.of(LabelledSample.class);
        this.spec = spec;
        this.checks = new RecordChecks(spec.numClasses(), maxRecordBytes, clock);
    }

    public Result validate(byte[] value) {
        Rejection size = checks.size(value);
        if (size != null) {
            return new Result(null, size);
        }
        LabelledSample s;
        try {
            s = codec.decode(value);
        } catch (WireFormatException e) {
            return new Result(null, RecordChecks.undecodable(e));
        }
        String id = s.getId();
        Rejection bad =
                checks.labelsAndTime(
                        id,
                        s.getLabel(),
                        s.getTrueLabel(),
                        s.getEventTime() == null ? null : s.getEventTime().toEpochMilli());
        if (bad != null) {
            return new Result(null, bad);
        }
        byte[] pixels;
        try {
            pixels = pixels(s.getImage());
        } catch (ImageRejected e) {
            return new Result(
                    null, new Rejection(Rejection.VALIDATE, e.code, e.getMessage(), id, null));
        }
        DecodedSample d = new DecodedSample();
        d.id = id;
        d.label = s.getLabel();
        d.trueLabel = s.getTrueLabel() == null ? DecodedSample.NO_TRUE_LABEL : s.getTrueLabel();
        d.eventTime = s.getEventTime().toEpochMilli();
        d.epoch = checks.clock().epochOf(d.eventTime);
        d.pixels = pixels;
        return new Result(d, null);
    }

    /** An image that does not fit the model, with its reason code. */
    private static final class ImageRejected extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        final String code;

        ImageRejected(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** 8-bit HWC pixels at the model's size; throws ImageRejected saying what does not fit. */
    private byte[] pixels(Image image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int c = image.getChannels();
        byte[] data = bytes(image.getData());
        ImageEncoding enc = image.getEncoding();
        byte[] hwc;
        switch (enc) {
            case RAW_GRAY, RAW_RGB -> {
                int expectedChannels = enc == ImageEncoding.RAW_GRAY ? 1 : 3;
                if (c != expectedChannels) {
                    throw new ImageRejected(
                            "bad-image",
                            enc
                                    + " image declares "
                                    + c
                                    + " channels, expected "
                                    + expectedChannels);
                }
                if (w <= 0 || h <= 0) {
                    throw new ImageRejected(
                            "bad-image", "image size " + w + "x" + h + " is not positive");
                }
                long expected = (long) w * h * c;
                if (data.length != expected) {
                    throw new ImageRejected(
                            "bad-image",
                            enc
                                    + " image declares "
                                    + w
                                    + "x"
                                    + h
                                    + "x"
                                    + c
                                    + " = "
                                    + expected
                                    + " bytes but carries "
                                    + data.length);
                }
                hwc = data;
            }
            case PNG, JPEG -> {
                BufferedImage img = decode(enc, data);
                if (img.getWidth() != w || img.getHeight() != h) {
                    throw new ImageRejected(
                            "bad-image",
                            enc
                                    + " image decodes to "
                                    + img.getWidth()
                                    + "x"
                                    + img.getHeight()
                                    + " but declares "
                                    + w
                                    + "x"
                                    + h);
                }
                hwc = toHwc(img, spec.channels());
                c = spec.channels();
            }
            default -> throw new ImageRejected("bad-image", "unsupported image encoding " + enc);
        }
        if (w != spec.width() || h != spec.height() || c != spec.channels()) {
            throw new ImageRejected(
                    "wrong-size",
                    "image is "
                            + w
                            + "x"
                            + h
                            + "x"
                            + c
                            + ", the model takes "
                            + spec.width()
                            + "x"
                            + spec.height()
                            + "x"
                            + spec.channels());
        }
        return hwc;
    }

    private static BufferedImage decode(ImageEncoding enc, byte[] data) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(data));
            if (img == null) {
                throw new ImageRejected(
                        "bad-image",
                        enc + " data (" + data.length + " bytes) is not a readable image");
            }
            return img;
        } catch (IOException e) {
            throw new ImageRejected(
                    "bad-image",
                    enc + " data (" + data.length + " bytes) cannot be decoded: " + e.getMessage());
        }
    }

    /**
     * Decoded image to HWC bytes with the model's channel count (grey = ITU-R BT.601 luma of RGB).
     */
    private static byte[] toHwc(BufferedImage img, int channels) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h * channels];
        int i = 0;
        if (img.getRaster().getNumBands() == 1 && img.getColorModel().getComponentSize(0) == 8) {
            // 8-bit grey: take the stored values; getRGB would convert them from linear grey to
            // sRGB
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    byte v = (byte) img.getRaster().getSample(x, y, 0);
                    for (int c = 0; c < channels; c++) {
                        out[i++] = v;
                    }
                }
            }
            return out;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (channels == 1) {
                    out[i++] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                } else {
                    out[i++] = (byte) r;
                    out[i++] = (byte) g;
                    out[i++] = (byte) b;
                }
            }
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
