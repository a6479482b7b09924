package io.sfastream.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sfastream.sfa.loss.BalancedSoftmax;

/**
 * The SFA step's loss terms, targets and target sharpening on DJL {@link NDArray}s (rows ×
 * classes), differentiable where the reference back-propagates. Each method is the tensor twin of a
 * class in {@code io.sfastream.sfa.loss}, which stays the one definition of the math; {@code
 * NdLossesTest} feeds both the same arrays and requires agreement to 1e-5. Same numerical choices
 * as the Java side:
 *
 * <ul>
 *   <li>Balanced Softmax shifts the logits by {@code log max(n_k, 1)} ({@link
 *       BalancedSoftmax#logPrior()});
 *   <li>sharpening divides by the row maximum before the power ({@link
 *       io.sfastream.sfa.loss.Sharpen});
 *   <li>the uniform-prior penalty takes {@code log p̂} in the log domain ({@link
 *       io.sfastream.sfa.loss.UniformPriorPenalty}).
 * </ul>
 *
 * Row ranges are {@code [from, to)}; every method returns a new array in the input's manager.
 */
public final class NdLosses {
    private NdLosses() {}

    /** {@code log max(n_k, 1)} as a {@code 1 × C} array of {@code dataType}. */
    public static NDArray logPrior(NDManager manager, BalancedSoftmax counts, DataType dataType) {
        double[] log = counts.logPrior();
        float[] f = new float[log.length];
        for (int k = 0; k < f.length; k++) {
            f[k] = (float) log[k];
        }
        return manager.create(f, new Shape(1, f.length)).toType(dataType, false);
    }

    /**
     * Soft-target CE {@code −mean_i Σ_k t_ik log softmax(z_i + shift)_k}; {@code shift} may be
     * {@code null}.
     */
    public static NDArray softCrossEntropy(NDArray logits, NDArray shift, NDArray targets) {
        NDArray z = shift == null ? logits : logits.add(shift);
        return z.logSoftmax(1).mul(targets).sum(new int[] {1}).mean().neg();
    }

    /**
     * Hard-label CE {@code −mean_i log softmax(z_i + shift)_{y_i}} ({@code F.cross_entropy}, mean).
     */
    public static NDArray crossEntropy(NDArray logits, NDArray shift, NDArray labels) {
        NDArray oneHot =
                labels.toType(DataType.INT64, false)
                        .oneHot(Math.toIntExact(logits.getShape().get(1)))
                        .toType(logits.getDataType(), false);
        return softCrossEntropy(logits, shift, oneHot);
    }

    /** {@code mean over rows and classes of (softmax(z + shift) − t)²} (MixMatch's {@code Lu}). */
    public static NDArray unlabelledMse(NDArray logits, NDArray shift, NDArray targets) {
        NDArray z = shift == null ? logits : logits.add(shift);
        NDArray d = z.softmax(1).sub(targets);
        return d.mul(d).mean();
    }

    /**
     * {@code Σ_k π_k log(π_k / p̂_k)} with uniform π and {@code p̂ = mean over rows of softmax(z)},
     * evaluated as {@code mean_k(log π − log p̂_k)} with {@code log p̂_k = m_k + log mean_i
     * exp(ls_ik − m_k)}, {@code ls = log softmax(z)}, {@code m_k = max_i ls_ik}.
     */
    public static NDArray uniformPriorPenalty(NDArray logits) {
        long classes = logits.getShape().get(1);
        NDArray ls = logits.logSoftmax(1);
        NDArray m = ls.max(new int[] {0}, true).stopGradient();
        NDArray logMean = ls.sub(m).exp().mean(new int[] {0}).log().add(m.squeeze(0));
        return logMean.neg().sub(Math.log(classes)).mean();
    }

    /** {@code p^(1/T) / Σ p^(1/T)} per row, computed as {@code (p / max p)^(1/T)} normalised. */
    public static NDArray sharpen(NDArray p, double temperature) {
        if (!(temperature > 0.0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(
                    "temperature must be finite and > 0, was " + temperature);
        }
        NDArray powered = p.div(p.max(new int[] {1}, true)).pow(1.0 / temperature);
        return powered.div(powered.sum(new int[] {1}, true));
    }

    /**
     * Label refinement: {@code sharpen(w·onehot(ỹ) + (1 − w)·(softmax(z_a) + softmax(z_b))/2, T)}.
     *
     * @param labels {@code B} integer labels
     * @param weights {@code B × 1} clean probabilities
     */
    public static NDArray refineLabels(
            NDArray logitsAug1,
            NDArray logitsAug2,
            NDArray labels,
            NDArray weights,
            double temperature) {
        int classes = Math.toIntExact(logitsAug1.getShape().get(1));
        NDArray oneHot =
                labels.toType(DataType.INT64, false)
                        .oneHot(classes)
                        .toType(logitsAug1.getDataType(), false);
        NDArray mean = logitsAug1.softmax(1).add(logitsAug2.softmax(1)).div(2);
        NDArray mixed = oneHot.mul(weights).add(mean.mul(weights.neg().add(1)));
        return sharpen(mixed, temperature);
    }

    /**
     * Co-guessing: {@code sharpen((Σ of the four softmaxes)/4, T)}, summed in the reference's
     * order.
     */
    public static NDArray coGuess(
            NDArray netAAug1,
            NDArray netAAug2,
            NDArray netBAug1,
            NDArray netBAug2,
            double temperature) {
        NDArray p =
                netAAug1.softmax(1)
                        .add(netAAug2.softmax(1))
                        .add(netBAug1.softmax(1))
                        .add(netBAug2.softmax(1))
                        .div(4);
        return sharpen(p, temperature);
    }

    /** Rows {@code [from, to)}. */
    public static NDArray rows(NDArray a, long from, long to) {
        return a.get(from + ":" + to);
    }
}
