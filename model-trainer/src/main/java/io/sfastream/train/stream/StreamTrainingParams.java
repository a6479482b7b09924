package io.sfastream.train.stream;

import io.sfastream.sfa.loss.SslHyperparameters;
import io.sfastream.train.SgdOptions;
import java.util.Objects;

/**
 * How the streaming trainer trains, validated in one place; {@link #reference(int, int)} gives the
 * reference's CIFAR flags (§2.6 of the spec).
 *
 * @param numClasses C
 * @param warmUpEpochs virtual epochs 1..warmUpEpochs train every arrival with CE + Balanced Softmax
 *     on the noisy counts; later epochs take the SSL step (the scorer's {@code sfa.warmUpEpochs})
 * @param batchSize B of the SSL step: one step per B new labelled arrivals of a network
 * @param warmUpBatchSize the warm-up batch (2B in the reference)
 * @param ssl α, T, λu and its ramp, the learning-rate schedule (on virtual epochs)
 * @param sgd momentum and weight decay
 * @param padding crop padding of the training augmentation (4)
 * @param flip whether the augmentation mirrors half of the images
 * @param queueCapacity labelled and unlabelled queue size of each network, split evenly over the
 *     classes (a head-class burst evicts head-class samples, never the tail's)
 * @param centringSamples how many of an epoch's images the trainer embeds at the boundary to
 *     compute the centring mean m of its new weights
 * @param seed augmentation, MixUp, unlabelled draws and the centring sample derive from it
 */
public record StreamTrainingParams(
        int numClasses,
        int warmUpEpochs,
        int batchSize,
        int warmUpBatchSize,
        SslHyperparameters ssl,
        SgdOptions sgd,
        int padding,
        boolean flip,
        int queueCapacity,
        int centringSamples,
        long seed) {

    public StreamTrainingParams {
        Objects.requireNonNull(ssl, "ssl");
        Objects.requireNonNull(sgd, "sgd");
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, was " + numClasses);
        }
        if (warmUpEpochs < 0) {
            throw new IllegalArgumentException("warmUpEpochs must be >= 0, was " + warmUpEpochs);
        }
        if (batchSize < 1 || warmUpBatchSize < 1) {
            throw new IllegalArgumentException("batch sizes must be >= 1");
        }
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, was " + padding);
        }
        if (queueCapacity < Math.max(batchSize, warmUpBatchSize)) {
            throw new IllegalArgumentException(
                    "queueCapacity must hold at least one batch ("
                            + Math.max(batchSize, warmUpBatchSize)
                            + "), was "
                            + queueCapacity);
        }
        if (centringSamples < 1) {
            throw new IllegalArgumentException(
                    "centringSamples must be >= 1, was " + centringSamples);
        }
    }

    /** The reference's flags (B 64, warm-up batch 128, CIFAR's SSL and SGD flags). */
    public static StreamTrainingParams reference(int numClasses, int warmUpEpochs) {
        SslHyperparameters c = SslHyperparameters.cifar();
        SslHyperparameters ssl =
                new SslHyperparameters(
                        c.alpha(),
                        c.temperature(),
                        c.lambdaU(),
                        warmUpEpochs,
                        c.rampLength(),
                        c.phi(),
                        c.baseLr(),
                        c.firstDecayedEpoch(),
                        c.lrDecayDivisor());
        return new StreamTrainingParams(
                numClasses,
                warmUpEpochs,
                64,
                128,
                ssl,
                SgdOptions.cifar(),
                4,
                true,
                8192,
                1024,
                123);
    }

    /** The per-class share of {@link #queueCapacity}, at least one batch. */
    int perClassCapacity() {
        return Math.max(
                Math.max(batchSize, warmUpBatchSize),
                (queueCapacity + numClasses - 1) / numClasses);
    }
}
