package io.sfastream.train;

/**
 * The optimiser of both reference scripts: SGD with momentum 0.9 and weight decay 5e-4 on every
 * parameter ({@code optim.SGD(net.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)}), and
 * the starting learning rate (the schedule sets it per epoch, {@link NetTrainer#setLearningRate}).
 *
 * <p>The update is PyTorch's, {@code b ← μb + g + wd·w; w ← w − lr·b} ({@link MomentumSgd}). DJL's
 * own {@code Sgd} applies the rate inside the buffer ({@code v ← μv + lr·(g + wd·w)}), which drifts
 * from PyTorch after every rate change and keeps its buffers where a snapshot cannot reach them.
 */
public record SgdOptions(double learningRate, double momentum, double weightDecay) {

    public SgdOptions {
        if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(
                    "learningRate must be finite and > 0, was " + learningRate);
        }
        if (!(momentum >= 0.0 && momentum < 1.0)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), was " + momentum);
        }
        if (!(weightDecay >= 0.0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(
                    "weightDecay must be finite and >= 0, was " + weightDecay);
        }
    }

    /** CIFAR: lr 0.02, momentum 0.9, weight decay 5e-4. */
    public static SgdOptions cifar() {
        return new SgdOptions(0.02, 0.9, 5e-4);
    }

    /** WebVision: lr 0.01, momentum 0.9, weight decay 5e-4. */
    public static SgdOptions webVision() {
        return new SgdOptions(0.01, 0.9, 5e-4);
    }
}
