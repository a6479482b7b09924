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
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.simple.RandomSource;

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
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed + 2);
        int[] order = PermutationSampler.natural(subset.size());
        PermutationSampler.shuffle(rng, order);
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
        int i = order[position];
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
