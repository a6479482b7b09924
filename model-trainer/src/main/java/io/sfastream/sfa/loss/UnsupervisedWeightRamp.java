package io.sfastream.sfa.loss;

/**
 * The weight λ_u of the unlabelled terms {@code Lu} and {@code Lbu}: {@code lambdaU ·
 * clip((progress − warmUp) / rampLength, 0, 1)} with {@code progress = epoch + batch_idx/num_iter}.
 * Reference ({@code Train_cifar.py}):
 *
 * <pre>def linear_rampup(current, warm_up, rampup_length=16):
 *     current = np.clip((current-warm_up) / rampup_length, 0.0, 1.0)
 *     return args.lambda_u * float(current)</pre>
 *
 * called as {@code criterion(..., epoch+batch_idx/num_iter, warm_up)}. At epoch 31, batch 0 (the
 * first SSL step with warm-up 30) it is {@code 25/16}; it reaches 25 at progress 46.
 *
 * @param lambdaU the plateau, {@code --lambda_u} (25 CIFAR, 0 WebVision), finite and {@code >= 0}
 * @param warmUpEpochs {@code --warm_up} (30 CIFAR), {@code >= 0}
 * @param rampLength epochs to reach the plateau, 16 (hard-coded), finite and {@code > 0}
 */
public record UnsupervisedWeightRamp(double lambdaU, int warmUpEpochs, double rampLength) {

    /** Reference {@code rampup_length=16}. */
    public static final double DEFAULT_RAMP_LENGTH = 16.0;

    public UnsupervisedWeightRamp {
        if (!(lambdaU >= 0.0) || Double.isInfinite(lambdaU)) {
            throw new IllegalArgumentException("lambdaU must be finite and >= 0, was " + lambdaU);
        }
        if (warmUpEpochs < 0) {
            throw new IllegalArgumentException("warmUpEpochs must be >= 0, was " + warmUpEpochs);
        }
        if (!(rampLength > 0.0) || Double.isInfinite(rampLength)) {
            throw new IllegalArgumentException(
                    "rampLength must be finite and > 0, was " + rampLength);
        }
    }

    /** CIFAR flags: λ_u 25, warm-up 30, ramp 16. */
    public static UnsupervisedWeightRamp cifarDefaults() {
        return new UnsupervisedWeightRamp(25.0, 30, DEFAULT_RAMP_LENGTH);
    }

    /** WebVision flags: λ_u 0 (no unlabelled loss), warm-up 1, ramp 16. */
    public static UnsupervisedWeightRamp webVisionDefaults() {
        return new UnsupervisedWeightRamp(0.0, 1, DEFAULT_RAMP_LENGTH);
    }

    /**
     * λ_u at fractional progress {@code epoch + batch_idx/num_iter} (or {@link
     * ReferenceEpoch#progress}).
     */
    public double at(double progress) {
        if (!Double.isFinite(progress)) {
            throw new IllegalArgumentException("progress must be finite, was " + progress);
        }
        double r = (progress - warmUpEpochs) / rampLength;
        return lambdaU * Math.min(1.0, Math.max(0.0, r));
    }

    /**
     * λ_u at reference epoch {@code epoch} (1-based), step {@code batchIdx} (0-based) of {@code
     * numIter}.
     */
    public double at(int epoch, int batchIdx, int numIter) {
        if (numIter < 1 || batchIdx < 0) {
            throw new IllegalArgumentException(
                    "need numIter >= 1 and batchIdx >= 0, got " + numIter + ", " + batchIdx);
        }
        return at(epoch + (double) batchIdx / numIter);
    }

    /**
     * The reference's {@code num_iter = len(labeled_set)//batch_size + 1}. It counts one step more
     * than the loader yields when the labelled set is a multiple of the batch size, so progress
     * never quite reaches {@code epoch + 1} inside an epoch.
     */
    public static int referenceNumIter(int labelledSize, int batchSize) {
        if (labelledSize < 0 || batchSize < 1) {
            throw new IllegalArgumentException("need labelledSize >= 0 and batchSize >= 1");
        }
        return labelledSize / batchSize + 1;
    }
}
