package io.sfastream.train.offline;

import io.sfastream.data.CifarBinaryReader;
import io.sfastream.data.DatasetException;
import io.sfastream.data.FashionMnist;
import io.sfastream.data.ImageSet;
import io.sfastream.data.LabelledImages;
import io.sfastream.data.protocol.LabelNoise;
import io.sfastream.data.protocol.LongTailProfile;
import io.sfastream.data.protocol.LongTailSubsampler;
import io.sfastream.data.protocol.NoisyLabels;
import io.sfastream.data.protocol.ReferenceSplitImport;
import io.sfastream.eval.ShotGroups;
import io.sfastream.nn.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The data of one offline run: the long-tailed noisy training set (given labels noisy, true labels
 * kept for the selection metrics), the test set, the reporting groups and the model input spec,
 * built by the protocols of the SFA core ({@link LongTailProfile}, {@link LongTailSubsampler},
 * {@link LabelNoise}) or imported from the reference's split files.
 *
 * @param skipped images listed by the dataset but excluded at load (missing or unreadable files),
 *     one line each
 * @param description one line for logs: sizes, counts, noise
 */
public record OfflineData(
        LabelledImages train,
        LabelledImages test,
        ShotGroups groups,
        int[] noisyCounts,
        ModelSpec spec,
        List<String> skipped,
        String description) {

    public static OfflineData load(OfflineConfig config) throws DatasetException {
        return switch (config.dataset()) {
            case FASHION_MNIST ->
                    inMemory(
                            config,
                            FashionMnist.train(config.dataPath()),
                            FashionMnist.test(config.dataPath()),
                            ModelSpec.FASHION_MNIST_MEAN,
                            ModelSpec.FASHION_MNIST_STD,
                            false);
            case CIFAR10 ->
                    inMemory(
                            config,
                            CifarBinaryReader.cifar10(config.dataPath(), true),
                            CifarBinaryReader.cifar10(config.dataPath(), false),
                            ModelSpec.CIFAR10_MEAN,
                            ModelSpec.CIFAR10_STD,
                            true);
            case CIFAR100 ->
                    inMemory(
                            config,
                            CifarBinaryReader.cifar100(config.dataPath(), true),
                            CifarBinaryReader.cifar100(config.dataPath(), false),
                            ModelSpec.CIFAR100_MEAN,
                            ModelSpec.CIFAR100_STD,
                            true);
            case WEBVISION -> WebVisionData.load(config);
        };
    }

    private static OfflineData inMemory(
            OfflineConfig config,
            ImageSet full,
            ImageSet testSet,
            float[] mean,
            float[] std,
            boolean flip)
            throws DatasetException {
        int classes = full.numClasses();
        if (classes != config.numClasses()) {
            throw new IllegalArgumentException(
                    full.name()
                            + " has "
                            + classes
                            + " classes, the selection settings "
                            + config.numClasses());
        }
        ImageSet longTailed;
        NoisyLabels noise;
        if (config.referenceSplit() != null) {
            ReferenceSplitImport.ImportedSplit split =
                    ReferenceSplitImport.load(
                            full,
                            ReferenceSplitImport.imbalanceFile(
                                    config.referenceSplit(),
                                    classes,
                                    config.imbType(),
                                    config.imbFactor()),
                            ReferenceSplitImport.noiseFile(
                                    config.referenceSplit(),
                                    classes,
                                    config.imbType(),
                                    config.imbFactor(),
                                    config.noiseMode(),
                                    config.noiseRatio()));
            longTailed = split.longTailed();
            noise = split.noise();
        } else {
            int nMax = config.maxPerClass() > 0 ? config.maxPerClass() : full.size() / classes;
            int[] counts =
                    "step".equals(config.imbType())
                            ? LongTailProfile.step(nMax, config.imbFactor(), classes)
                            : LongTailProfile.exponential(nMax, config.imbFactor(), classes);
            longTailed =
                    full.subset(LongTailSubsampler.select(full.labels(), counts, config.seed()));
            noise =
                    config.noiseRatio() == 0.0
                            ? NoisyLabels.compare(longTailed.labels(), longTailed.labels())
                            : LabelNoise.inject(
                                    longTailed.labels(),
                                    classes,
                                    config.noiseRatio(),
                                    config.noiseMode(),
                                    config.seed());
        }
        ImageSet noisy = longTailed.withLabels(noise.labels());
        LabelledImages train = new InMemoryImages(noisy, longTailed.labels(), mean, std, 4, flip);
        ImageSet test =
                config.testLimit() > 0 && config.testLimit() < testSet.size()
                        ? testSet.subset(range(config.testLimit()))
                        : testSet;
        int[] noisyCounts = noisy.classCounts();
        // The reference's groups: CIFAR-10's fixed classes for 10-class sets (class 0 is the head),
        // counts otherwise.
        ShotGroups groups = classes == 10 ? ShotGroups.cifar10() : ShotGroups.byCount(noisyCounts);
        ModelSpec spec =
                new ModelSpec(
                        config.architecture(),
                        full.width(),
                        full.height(),
                        full.channels(),
                        classes,
                        config.seed(),
                        mean,
                        std);
        String description =
                String.format(
                        "%s: %d training images (long tail %s rho=%s, head %d, tail %d), "
                                + "%d labels flipped (%s r=%s), %d test images",
                        full.name(),
                        noisy.size(),
                        config.imbType(),
                        config.imbFactor(),
                        longTailed.classCounts()[0],
                        longTailed.classCounts()[classes - 1],
                        noise.flips(),
                        config.noiseMode().referenceName(),
                        config.noiseRatio(),
                        test.size());
        return new OfflineData(
                train,
                InMemoryImages.testSet(test, mean, std),
                groups,
                noisyCounts,
                spec,
                new ArrayList<>(),
                description);
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
