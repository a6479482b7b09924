package io.sfastream.pipeline.replay;

import io.sfastream.data.ImageSet;
import io.sfastream.data.protocol.LabelNoise;
import io.sfastream.data.protocol.LongTailProfile;
import io.sfastream.data.protocol.LongTailSubsampler;
import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.data.protocol.NoisyLabels;
import io.sfastream.schemas.Image;
import io.sfastream.schemas.ImageEncoding;
import io.sfastream.schemas.LabelledSample;
import io.sfastream.time.EpochClock;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/**
 * A labelled dataset made long-tailed and noisy by the paper's protocols, in a seeded replay order,
 * ready to be written to the samples topic. Ground truth travels in {@code trueLabel} for
 * evaluation.
 *
 * @param images the long-tailed subset with its true labels (class-ordered, as the reference builds
 *     it)
 * @param noise the given labels after noise injection, aligned with {@code images}
 * @param order replay order: a seeded permutation of 0..N-1, so classes interleave as in a live
 *     stream
 */
public record ReplayDataset(
        String name, ImageSet images, NoisyLabels noise, int[] order, long seed) {

    /**
     * Long tail with {@code n_k = int(nMax·ρ^(k/(C−1)))}, then exactly int(r·N) flipped labels; all
     * seeded.
     */
    public static ReplayDataset longTailedNoisy(
            ImageSet full, int nMax, double rho, double noiseRatio, NoiseMode mode, long seed) {
        int[] counts = LongTailProfile.exponential(nMax, rho, full.numClasses());
        int[] kept = LongTailSubsampler.select(full.labels(), counts, seed);
        ImageSet subset = full.subset(kept);
        NoisyLabels noise =
                LabelNoise.inject(subset.labels(), subset.numClasses(), noiseRatio, mode, seed + 1);
        int[] order = ReplayOrder.of(seed, subset.size(), 1);
        String name =
                full.name()
                        + "-lt"
                        + rho
                        + "-"
                        + mode.name().toLowerCase()
                        + noiseRatio
                        + "-seed"
                        + seed;
        return new ReplayDataset(name, subset, noise, order, seed);
    }

    public int size() {
        return order.length;
    }

    /** The {@code position}-th sample of the replay, stamped with {@code eventTime}. */
    public LabelledSample sample(int position, Instant eventTime) {
        return sampleAt(order[position], eventTime);
    }

    /**
     * The replay order of pass {@code pass} (1-based) of a multi-epoch replay: pass 1 is {@link
     * #order()}, every later pass a fresh seeded shuffle (seed, pass), as a data loader reshuffles
     * each epoch.
     */
    public int[] passOrder(int pass) {
        return pass == 1 ? order.clone() : ReplayOrder.of(seed, order.length, pass);
    }

    /**
     * Every sample of {@code passes} passes, each stamped by the epoch clock so that pass e is
     * virtual epoch e ({@link EpochClock#replayTimestamp}), in replay order.
     */
    public void forEachOfPasses(
            int passes, EpochClock clock, java.util.function.Consumer<LabelledSample> out) {
        int n = order.length;
        for (int e = 1; e <= passes; e++) {
            int[] o = passOrder(e);
            for (int pos = 0; pos < n; pos++) {
                out.accept(
                        sampleAt(o[pos], Instant.ofEpochMilli(clock.replayTimestamp(e, pos, n))));
            }
        }
    }

    /** Sample {@code i} of the long-tailed subset (not a replay position), stamped. */
    public LabelledSample sampleAt(int i, Instant eventTime) {
        int label = noise.labels()[i];
        return LabelledSample.newBuilder()
                .setId(name + "-" + i)
                .setLabel(label)
                .setLabelName(images.classNames().get(label))
                .setImage(
                        Image.newBuilder()
                                .setEncoding(
                                        images.channels() == 1
                                                ? ImageEncoding.RAW_GRAY
                                                : ImageEncoding.RAW_RGB)
                                .setWidth(images.width())
                                .setHeight(images.height())
                                .setChannels(images.channels())
                                .setData(ByteBuffer.wrap(images.pixels()[i]))
                                .build())
                .setSource(name)
                .setEventTime(eventTime)
                .setTrueLabel(images.labels()[i])
                .setAttributes(Map.of())
                .build();
    }

    public int flips() {
        return noise.flips();
    }
}
