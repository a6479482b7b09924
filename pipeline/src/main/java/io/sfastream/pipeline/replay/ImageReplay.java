package io.sfastream.pipeline.replay;

import io.sfastream.data.ImageSet;
import io.sfastream.pipeline.local.SampleProducer;
import io.sfastream.schemas.Image;
import io.sfastream.schemas.ImageEncoding;
import io.sfastream.schemas.LabelledSample;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Images replayed as {@link LabelledSample}s through a {@link ReplayDataset} (its ids, order and
 * ground truth), sent raw ({@code RAW_GRAY} / {@code RAW_RGB}) or re-encoded as lossless PNG; the
 * job's decoder takes both ({@code SampleValidator}).
 */
public final class ImageReplay implements ReplaySource {
    /** How pixels travel. */
    public enum Encoding {
        /** {@code RAW_GRAY} or {@code RAW_RGB}: the 8-bit HWC bytes as they are. */
        RAW,
        /** {@code PNG}: lossless, smaller on the wire, decoded by the job with ImageIO. */
        PNG
    }

    private final ReplayDataset data;
    private final boolean truthKnown;
    private final Encoding encoding;

    /**
     * @param truthKnown false for web labels (WebVision): no {@code trueLabel}, no flips claimed
     */
    public ImageReplay(ReplayDataset data, boolean truthKnown, Encoding encoding) {
        this.data = data;
        this.truthKnown = truthKnown;
        this.encoding = encoding;
    }

    public ReplayDataset dataset() {
        return data;
    }

    @Override
    public String name() {
        return data.name();
    }

    @Override
    public Kind kind() {
        return Kind.SAMPLES;
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public List<String> classNames() {
        return data.images().classNames();
    }

    @Override
    public int[] givenLabels() {
        return data.noise().labels();
    }

    @Override
    public int[] trueCounts() {
        return truthKnown ? data.images().classCounts() : givenCounts();
    }

    @Override
    public int flips() {
        return truthKnown ? data.flips() : 0;
    }

    @Override
    public boolean truthKnown() {
        return truthKnown;
    }

    @Override
    public int[] passOrder(int pass) {
        return data.passOrder(pass);
    }

    /** The record of sample {@code index} as it is sent. */
    public LabelledSample sample(int index, Instant eventTime) {
        LabelledSample s = data.sampleAt(index, eventTime);
        if (!truthKnown) {
            s.setTrueLabel(null);
        }
        if (encoding == Encoding.PNG) {
            ImageSet images = data.images();
            s.setImage(
                    Image.newBuilder()
                            .setEncoding(ImageEncoding.PNG)
                            .setWidth(images.width())
                            .setHeight(images.height())
                            .setChannels(images.channels())
                            .setData(
                                    ByteBuffer.wrap(
                                            png(
                                                    images.pixels()[index],
                                                    images.width(),
                                                    images.height(),
                                                    images.channels())))
                            .build());
        }
        return s;
    }

    @Override
    public Future<RecordMetadata> send(SampleProducer producer, int index, Instant eventTime) {
        return producer.send(sample(index, eventTime));
    }

    /** 8-bit HWC grey or RGB pixels as a PNG file. */
    static byte[] png(byte[] hwc, int width, int height, int channels) {
        BufferedImage img =
                new BufferedImage(
                        width,
                        height,
                        channels == 1
                                ? BufferedImage.TYPE_BYTE_GRAY
                                : BufferedImage.TYPE_3BYTE_BGR);
        int[] px = new int[hwc.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = hwc[i] & 0xff;
        }
        img.getRaster().setPixels(0, 0, width, height, px);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
