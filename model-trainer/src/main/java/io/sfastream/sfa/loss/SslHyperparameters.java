package io.sfastream.sfa.loss;

/**
 * The reference's loss and schedule flags in one validated record, with the defaults of {@code
 * Train_cifar.py} ({@link #cifar()}) and {@code Train_webvision.py} ({@link #webVision()}).
 * Selection flags ({@code --p_threshold}, {@code --beta}, {@code --sample_rate}) belong to the
 * selector, not here; {@code phi} is here because the threshold is a schedule.
 *
 * @param alpha Beta(α, α) of MixUp ({@code --alpha}), finite and {@code > 0}
 * @param temperature sharpening T ({@code --T}), finite and {@code > 0}
 * @param lambdaU unsupervised weight plateau ({@code --lambda_u}), finite and {@code >= 0}
 * @param warmUpEpochs {@code --warm_up}, {@code >= 0}
 * @param rampLength λ_u ramp length in epochs (16, hard-coded), finite and {@code > 0}
 * @param phi threshold growth ({@code --phi}), finite and {@code > 0}
 * @param baseLr {@code --lr}, finite and {@code > 0}
 * @param firstDecayedEpoch first 1-based epoch at {@code baseLr / lrDecayDivisor}, {@code >= 1}
 * @param lrDecayDivisor 10 in both scripts, finite and {@code >= 1}
 * @param penaltyWeight weight of the uniform-prior penalty, 1 in both scripts (the term is added as
 *     it is); 0 leaves it out. Finite and {@code >= 0}
 */
public record SslHyperparameters(
        double alpha,
        double temperature,
        double lambdaU,
        int warmUpEpochs,
        double rampLength,
        double phi,
        double baseLr,
        int firstDecayedEpoch,
        double lrDecayDivisor,
        double penaltyWeight) {

    public SslHyperparameters {
        if (!(alpha > 0.0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and > 0, was " + alpha);
        }
        Sharpen.checkTemperature(temperature);
        // The remaining checks live in the schedule records; building them validates the values.
        new UnsupervisedWeightRamp(lambdaU, warmUpEpochs, rampLength);
        new ConfidenceThreshold(1.0, phi);
        new LearningRateSchedule(baseLr, firstDecayedEpoch, lrDecayDivisor);
        SslLossTerms.checkPenaltyWeight(penaltyWeight);
    }

    /** The flags of both scripts, with the penalty at the reference's weight 1. */
    public SslHyperparameters(
            double alpha,
            double temperature,
            double lambdaU,
            int warmUpEpochs,
            double rampLength,
            double phi,
            double baseLr,
            int firstDecayedEpoch,
            double lrDecayDivisor) {
        this(
                alpha,
                temperature,
                lambdaU,
                warmUpEpochs,
                rampLength,
                phi,
                baseLr,
                firstDecayedEpoch,
                lrDecayDivisor,
                SslLossTerms.REFERENCE_PENALTY_WEIGHT);
    }

    /**
     * {@code Train_cifar.py}: α 4, T 0.5, λ_u 25, warm-up 30, ramp 16, φ 1.005, lr 0.02 ÷10 after
     * 150.
     */
    public static SslHyperparameters cifar() {
        return new SslHyperparameters(
                MixUp.CIFAR_ALPHA,
                Sharpen.DEFAULT_TEMPERATURE,
                25.0,
                30,
                UnsupervisedWeightRamp.DEFAULT_RAMP_LENGTH,
                ConfidenceThreshold.DEFAULT_PHI,
                0.02,
                151,
                10.0);
    }

    /**
     * {@code Train_webvision.py}: α 0.5, T 0.5, λ_u 0, warm-up 1, ramp 16, φ 1.005, lr 0.01 ÷10
     * from 50.
     */
    public static SslHyperparameters webVision() {
        return new SslHyperparameters(
                MixUp.WEBVISION_ALPHA,
                Sharpen.DEFAULT_TEMPERATURE,
                0.0,
                1,
                UnsupervisedWeightRamp.DEFAULT_RAMP_LENGTH,
                ConfidenceThreshold.DEFAULT_PHI,
                0.01,
                50,
                10.0);
    }

    public UnsupervisedWeightRamp weightRamp() {
        return new UnsupervisedWeightRamp(lambdaU, warmUpEpochs, rampLength);
    }

    public LearningRateSchedule learningRate() {
        return new LearningRateSchedule(baseLr, firstDecayedEpoch, lrDecayDivisor);
    }

    public WarmUp warmUp() {
        return new WarmUp(warmUpEpochs);
    }

    /** {@code τ = 1/C} with this record's φ. */
    public ConfidenceThreshold confidenceThreshold(int numClasses) {
        return ConfidenceThreshold.forClasses(numClasses, phi);
    }

    /** A seeded MixUp with this record's α. */
    public MixUp mixUp(long seed) {
        return new MixUp(alpha, seed);
    }
}
