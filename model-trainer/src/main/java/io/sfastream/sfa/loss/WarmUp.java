package io.sfastream.sfa.loss;

/**
 * Whether an epoch is a warm-up epoch (CE + Balanced Softmax on every sample, no selection).
 * Reference {@code Train_cifar.py}: {@code if epoch <= warm_up: warmup(...) else: eval_train(...);
 * train(...)} with {@code --warm_up 30}, so epochs 1..30 warm up and selection starts at epoch 31.
 * {@code Train_webvision.py} hard-codes {@code warm_up = 1}.
 *
 * @param epochs the number of warm-up epochs, {@code >= 0}
 */
public record WarmUp(int epochs) {

    public WarmUp {
        if (epochs < 0) {
            throw new IllegalArgumentException("warm-up epochs must be >= 0, was " + epochs);
        }
    }

    /** CIFAR flag {@code --warm_up 30}. */
    public static WarmUp cifarDefaults() {
        return new WarmUp(30);
    }

    /** WebVision: 1 (hard-coded). */
    public static WarmUp webVisionDefaults() {
        return new WarmUp(1);
    }

    /**
     * {@code epoch <= epochs} for a 1-based reference epoch (a stream passes {@link
     * ReferenceEpoch#of}).
     */
    public boolean isWarmUp(int epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch is 1-based, was " + epoch);
        }
        return epoch <= epochs;
    }
}
