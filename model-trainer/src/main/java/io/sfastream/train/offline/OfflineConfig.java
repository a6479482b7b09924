package io.sfastream.train.offline;

import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.nn.Architecture;
import io.sfastream.sfa.SfaParams;
import io.sfastream.sfa.loss.SslHyperparameters;
import io.sfastream.train.SgdOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything that decides an offline run of the paper's batch protocol, validated in one place. The
 * presets ({@link #defaults}) are the reference's flags: {@code Train_cifar.py} (§2.6 of the spec)
 * for CIFAR and Fashion-MNIST, {@code Train_webvision.py} (§2.7) for mini-WebVision.
 *
 * @param dataset which reader and preset
 * @param dataPath the dataset's directory
 * @param architecture the backbone
 * @param imbType {@code exp} or {@code step} ({@code --imb_type}); ignored for WebVision
 * @param imbFactor ρ, tail/head ratio ({@code --imb_factor}, 0.01); 1 = no long tail
 * @param maxPerClass n_max, images of the head class (0 = the dataset's full class size)
 * @param noiseMode {@code --noise_mode} (imb)
 * @param noiseRatio r, the fraction of labels flipped ({@code --noise_ratio}, 0.5); 0 = clean
 *     labels
 * @param referenceSplit a directory holding the reference's {@code imb_file/} and {@code
 *     noise_file/} JSON to reuse instead of drawing a new split, or {@code null}
 * @param resizeSize WebVision: the shorter side after {@code Resize} (320)
 * @param cropSize WebVision: the side of the (random resized or centre) crop, the network's input
 *     (299)
 * @param numEpochs {@code --num_epochs}
 * @param batchSize B of the SSL step ({@code --batch_size}); warm-up uses {@code warmUpBatchSize}
 *     (2B)
 * @param networks 2 = co-training (each net trains on the other's selection), 1 = one net selecting
 *     for itself
 * @param mixUnlabelled whether the SSL step mixes and scores the unselected samples (CIFAR) or uses
 *     only the selected ones (WebVision: no unlabelled loss, MixUp among the labelled rows)
 * @param ssl loss and schedule flags (α, T, λ_u, warm-up, φ, lr schedule)
 * @param sgd momentum and weight decay (0.9, 5e-4) and the base rate
 * @param selection SFA's selection flags (β, p_threshold, sample_rate, the 300 rule, moment mode,
 *     seed)
 * @param evalBatchSize batch of the feature and test passes (no effect on results beyond float
 *     rounding)
 * @param testLimit evaluate on the first n test images (0 = all)
 * @param dataThreads threads that decode and augment images
 * @param seed the run's seed: long tail, noise, initial weights, shuffles, augmentation, MixUp and
 *     ε all derive from it
 */
public record OfflineConfig(
        DatasetKind dataset,
        Path dataPath,
        Architecture architecture,
        String imbType,
        double imbFactor,
        int maxPerClass,
        NoiseMode noiseMode,
        double noiseRatio,
        Path referenceSplit,
        int resizeSize,
        int cropSize,
        int numEpochs,
        int batchSize,
        int warmUpBatchSize,
        int networks,
        boolean mixUnlabelled,
        SslHyperparameters ssl,
        SgdOptions sgd,
        SfaParams selection,
        int evalBatchSize,
        int testLimit,
        int dataThreads,
        long seed) {

    public OfflineConfig {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(dataPath, "dataPath");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(noiseMode, "noiseMode");
        Objects.requireNonNull(ssl, "ssl");
        Objects.requireNonNull(sgd, "sgd");
        Objects.requireNonNull(selection, "selection");
        if (architecture == Architecture.TORCHSCRIPT) {
            throw new IllegalArgumentException(
                    "train-offline builds its networks; a TorchScript encoder is not "
                            + "supported here yet");
        }
        if (!"exp".equals(imbType) && !"step".equals(imbType)) {
            throw new IllegalArgumentException("imbType must be exp or step, was " + imbType);
        }
        if (!(imbFactor > 0.0 && imbFactor <= 1.0)) {
            throw new IllegalArgumentException("imbFactor must be in (0, 1], was " + imbFactor);
        }
        if (maxPerClass < 0) {
            throw new IllegalArgumentException(
                    "maxPerClass must be >= 0 (0 = full class size), was " + maxPerClass);
        }
        if (!(noiseRatio >= 0.0 && noiseRatio < 1.0)) {
            throw new IllegalArgumentException("noiseRatio must be in [0, 1), was " + noiseRatio);
        }
        if (cropSize < 4 || resizeSize < cropSize) {
            throw new IllegalArgumentException(
                    "need 4 <= cropSize <= resizeSize, got crop "
                            + cropSize
                            + ", resize "
                            + resizeSize);
        }
        if (numEpochs < 1) {
            throw new IllegalArgumentException("numEpochs must be >= 1, was " + numEpochs);
        }
        if (batchSize < 1 || warmUpBatchSize < 1 || evalBatchSize < 1) {
            throw new IllegalArgumentException("batch sizes must be >= 1");
        }
        if (networks != 1 && networks != 2) {
            throw new IllegalArgumentException("networks must be 1 or 2, was " + networks);
        }
        if (ssl.warmUpEpochs() != selection.warmUpEpochs()) {
            throw new IllegalArgumentException(
                    "warm-up epochs differ: "
                            + ssl.warmUpEpochs()
                            + " (training) vs "
                            + selection.warmUpEpochs()
                            + " (selection)");
        }
        if (ssl.phi() != selection.phi()) {
            throw new IllegalArgumentException(
                    "phi differs: "
                            + ssl.phi()
                            + " (training) vs "
                            + selection.phi()
                            + " (selection)");
        }
        if (testLimit < 0) {
            throw new IllegalArgumentException("testLimit must be >= 0, was " + testLimit);
        }
        if (dataThreads < 1) {
            throw new IllegalArgumentException("dataThreads must be >= 1, was " + dataThreads);
        }
    }

    /**
     * The reference's flags for {@code dataset}: CIFAR's for CIFAR-10/100 and Fashion-MNIST (with
     * the small CNN for Fashion-MNIST), WebVision's for mini-WebVision.
     */
    public static OfflineConfig defaults(DatasetKind dataset, Path dataPath) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        return switch (dataset) {
            case FASHION_MNIST, CIFAR10, CIFAR100 -> {
                int classes = dataset == DatasetKind.CIFAR100 ? 100 : 10;
                Architecture arch =
                        dataset == DatasetKind.FASHION_MNIST
                                ? Architecture.SMALL_CNN
                                : Architecture.PRE_ACT_RESNET18;
                yield new OfflineConfig(
                        dataset,
                        dataPath,
                        arch,
                        "exp",
                        0.01,
                        0,
                        NoiseMode.IMB,
                        0.5,
                        null,
                        320,
                        299,
                        200,
                        64,
                        128,
                        2,
                        true,
                        SslHyperparameters.cifar(),
                        SgdOptions.cifar(),
                        SfaParams.builder(classes).seed(123).build(),
                        // the reference's test and eval_train batch; measured faster than 256 on
                        // one CPU thread (bench/reference/SIDE-BY-SIDE.md)
                        64,
                        0,
                        threads,
                        123);
            }
            case WEBVISION ->
                    new OfflineConfig(
                            dataset,
                            dataPath,
                            Architecture.INCEPTION_RESNET_V2,
                            "exp",
                            1.0,
                            0,
                            NoiseMode.IMB,
                            0.0,
                            null,
                            320,
                            299,
                            100,
                            32,
                            64,
                            2,
                            false,
                            SslHyperparameters.webVision(),
                            SgdOptions.webVision(),
                            SfaParams.webVision().seed(123).build(),
                            64,
                            0,
                            threads,
                            123);
        };
    }

    public int numClasses() {
        return selection.numClasses();
    }

    /**
     * The settings a resumed run must share with the run that wrote the snapshot (everything but
     * the epoch count, thread count and batch size of the passes that do not train): a mismatch
     * would silently change the run.
     */
    public String fingerprint() {
        return String.join(
                "|",
                dataset.cliName(),
                dataPath.toAbsolutePath().normalize().toString(),
                architecture.configName(),
                imbType,
                Double.toString(imbFactor),
                Integer.toString(maxPerClass),
                noiseMode.referenceName(),
                Double.toString(noiseRatio),
                String.valueOf(referenceSplit),
                Integer.toString(resizeSize),
                Integer.toString(cropSize),
                Integer.toString(batchSize),
                Integer.toString(warmUpBatchSize),
                Integer.toString(networks),
                Boolean.toString(mixUnlabelled),
                ssl.toString(),
                sgd.toString(),
                selection.toString(),
                Long.toString(seed));
    }
}
