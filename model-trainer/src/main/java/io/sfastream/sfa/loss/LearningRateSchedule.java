package io.sfastream.sfa.loss;

/**
 * Step learning rate: {@code baseLr} until {@code firstDecayedEpoch − 1}, then {@code baseLr /
 * decayDivisor}. Set at the start of each epoch in the reference's main loop:
 *
 * <ul>
 *   <li>CIFAR ({@code Train_cifar.py}): {@code lr = args.lr; if epoch > 150: lr /= 10}, lr 0.02, so
 *       epoch 150 trains at 0.02 and epoch 151 at 0.002 ({@code firstDecayedEpoch = 151}).
 *   <li>WebVision ({@code Train_webvision.py}): {@code if epoch >= 50: lr /= 10}, lr 0.01 ({@code
 *       firstDecayedEpoch = 50}).
 * </ul>
 *
 * Both use SGD with momentum 0.9 and weight decay 5e-4 (hard-coded; the optimiser is the
 * trainer's).
 *
 * @param baseLr {@code --lr}, finite and {@code > 0}
 * @param firstDecayedEpoch the first 1-based epoch at the lower rate, {@code >= 1}
 * @param decayDivisor the divisor, 10 in both scripts, finite and {@code >= 1}
 */
public record LearningRateSchedule(double baseLr, int firstDecayedEpoch, double decayDivisor) {

    public LearningRateSchedule {
        if (!(baseLr > 0.0) || Double.isInfinite(baseLr)) {
            throw new IllegalArgumentException("baseLr must be finite and > 0, was " + baseLr);
        }
        if (firstDecayedEpoch < 1) {
            throw new IllegalArgumentException(
                    "firstDecayedEpoch must be >= 1, was " + firstDecayedEpoch);
        }
        if (!(decayDivisor >= 1.0) || Double.isInfinite(decayDivisor)) {
            throw new IllegalArgumentException(
                    "decayDivisor must be finite and >= 1, was " + decayDivisor);
        }
    }

    /** CIFAR: 0.02, ÷10 when {@code epoch > 150}. */
    public static LearningRateSchedule cifarDefaults() {
        return new LearningRateSchedule(0.02, 151, 10.0);
    }

    /** WebVision: 0.01, ÷10 when {@code epoch >= 50}. */
    public static LearningRateSchedule webVisionDefaults() {
        return new LearningRateSchedule(0.01, 50, 10.0);
    }

    /**
     * The rate for reference epoch {@code epoch} (1-based; a stream passes {@link
     * ReferenceEpoch#of}).
     */
    public double at(int epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch is 1-based, was " + epoch);
        }
        return epoch >= firstDecayedEpoch ? baseLr / decayDivisor : baseLr;
    }
}
