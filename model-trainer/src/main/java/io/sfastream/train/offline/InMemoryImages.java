package io.sfastream.train.offline;

import io.sfastream.data.ImageSet;
import io.sfastream.data.LabelledImages;
import io.sfastream.train.Augmenter;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * An {@link ImageSet} held in memory (CIFAR, Fashion-MNIST) with the reference's CIFAR transforms:
 * random crop with padding and an optional horizontal flip for training, normalisation only for
 * evaluation ({@link Augmenter}). The labels of the set are the given (noisy) labels; the true
 * labels are kept beside them when known.
 */
public final class InMemoryImages implements LabelledImages {
    private final ImageSet set;
    private final int[] trueLabels;
    private final Augmenter transform;
    private final int padding;
    private final boolean flip;

    /**
     * @param trueLabels one per image, or {@code null} when unknown
     * @param padding crop padding (4 in the reference; 0 disables the crop)
     */
    public InMemoryImages(
            ImageSet set, int[] trueLabels, float[] mean, float[] std, int padding, boolean flip) {
        this.set = Objects.requireNonNull(set, "set");
        if (trueLabels != null && trueLabels.length != set.size()) {
            throw new IllegalArgumentException(
                    set.name()
                            + ": "
                            + trueLabels.length
                            + " true labels for "
                            + set.size()
                            + " images");
        }
        this.trueLabels = trueLabels == null ? null : trueLabels.clone();
        this.padding = padding;
        this.flip = flip;
        // Only the deterministic transform() is used: the random draws come from the caller's rng.
        this.transform =
                new Augmenter(
                        set.width(),
                        set.height(),
                        set.channels(),
                        mean,
                        std,
                        padding,
                        flip,
                        RandomSource.XO_RO_SHI_RO_128_PP.create(0L));
    }

    /** A test set: its labels are the truth. */
    public static InMemoryImages testSet(ImageSet set, float[] mean, float[] std) {
        return new InMemoryImages(set, set.labels(), mean, std, 0, false);
    }

    @Override
    public String name() {
        return set.name();
    }

    @Override
    public int size() {
        return set.size();
    }

    @Override
    public int numClasses() {
        return set.numClasses();
    }

    @Override
    public int pixelsPerImage() {
        return set.width() * set.height() * set.channels();
    }

    @Override
    public int label(int i) {
        return set.labels()[i];
    }

    @Override
    public int trueLabel(int i) {
        return trueLabels == null ? -1 : trueLabels[i];
    }

    @Override
    public void augment(int i, float[] dst, int offset, UniformRandomProvider rng) {
        // The draw order of torchvision's RandomCrop then RandomHorizontalFlip.
        int dy = padding == 0 ? 0 : rng.nextInt(2 * padding + 1);
        int dx = padding == 0 ? 0 : rng.nextInt(2 * padding + 1);
        boolean mirror = flip && rng.nextBoolean();
        transform.transform(set.pixels()[i], dy, dx, mirror, dst, offset);
    }

    @Override
    public void evaluate(int i, float[] dst, int offset) {
        transform.normalise(set.pixels()[i], dst, offset);
    }
}
