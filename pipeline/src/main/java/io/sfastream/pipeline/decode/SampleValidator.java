package io.sfastream.pipeline.decode;

import io.sfastream.nn.ModelSpec;
import io.sfastream.schemas.Image;
import io.sfastream.schemas.ImageEncoding;
import io.sfastream.schemas.LabelledSample;
import io.sfastream.schemas.WireCodec;
import io.sfastream.schemas.WireFormatException;
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
    private final int maxRecordBytes;

    /** Either a decoded sample or a rejection. */
    public record Result(DecodedSample sample, Rejection rejection) {
        public boolean ok() {
            return sample != null;
        }
    }

    public SampleValidator(ModelSpec spec, int maxRecordBytes) {
        this.codec = WireCodec.of(LabelledSample.class);
        this.spec = spec;
        this.maxRecordBytes = maxRecordBytes;
    }

    public Result validate(byte[] value) {
        if (value == null) {
            return reject(Rejection.DECODE, "record has no value (null or tombstone)", null, null);
        }
        if (value.length > maxRecordBytes) {
            return reject(
                    Rejection.DECODE,
                    "record of "
                            + value.length
                            + " bytes exceeds the "
                            + maxRecordBytes
                            + "-byte limit (kafka.maxRecordBytes)",
                    null,
                    null);
        }
        LabelledSample s;
        try {
            s = codec.decode(value);
        } catch (WireFormatException e) {
            return reject(Rejection.DECODE, e.getMessage(), null, e.kind().name());
        }
        String id = s.getId();
        if (id == null || id.isBlank()) {
            return reject(Rejection.VALIDATE, "sample has an empty id", null, null);
        }
        int label = s.getLabel();
        if (label < 0 || label >= spec.numClasses()) {
            return reject(
                    Rejection.VALIDATE,
                    "unknown label "
                            + label
                            + ": the model has "
                            + spec.numClasses()
                            + " classes (0.."
                            + (spec.numClasses() - 1)
                            + ")",
                    id,
                    null);
        }
        Integer trueLabel = s.getTrueLabel();
        if (trueLabel != null && (trueLabel < 0 || trueLabel >= spec.numClasses())) {
            return reject(
                    Rejection.VALIDATE,
                    "unknown trueLabel "
                            + trueLabel
                            + ": the model has "
                            + spec.numClasses()
                            + " classes",
                    id,
                    null);
        }
        if (s.getEventTime() == null || s.getEventTime().toEpochMilli() < 0) {
            return reject(Rejection.VALIDATE, "eventTime is before 1970", id, null);
        }
        byte[] pixels;
        try {
            pixels = pixels(s.getImage());
        } catch (IllegalArgumentException e) {
            return reject(Rejection.VALIDATE, e.getMessage(), id, null);
        }
        DecodedSample d = new DecodedSample();
        d.id = id;
        d.label = label;
        d.trueLabel = trueLabel == null ? DecodedSample.NO_TRUE_LABEL : trueLabel;
        d.eventTime = s.getEventTime().toEpochMilli();
        d.pixels = pixels;
        return new Result(d, null);
    }

    /**
     * 8-bit HWC pixels at the model's size; throws IllegalArgumentException saying what does not
     * fit.
     */
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
                    throw new IllegalArgumentException(
                            enc
                                    + " image declares "
                                    + c
                                    + " channels, expected "
                                    + expectedChannels);
                }
                if (w <= 0 || h <= 0) {
                    throw new IllegalArgumentException(
                            "image size " + w + "x" + h + " is not positive");
                }
                long expected = (long) w * h * c;
                if (data.length != expected) {
                    throw new IllegalArgumentException(
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
                    throw new IllegalArgumentException(
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
            default -> throw new IllegalArgumentException("unsupported image encoding " + enc);
        }
        if (w != spec.width() || h != spec.height() || c != spec.channels()) {
            throw new IllegalArgumentException(
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
                throw new IllegalArgumentException(
                        enc + " data (" + data.length + " bytes) is not a readable image");
            }
            return img;
        } catch (IOException e) {
            throw new IllegalArgumentException(
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

    private static Result reject(String stage, String reason, String id, String errorClass) {
        return new Result(null, new Rejection(stage, reason, id, errorClass));
    }
}
