package io.sfastream.sfa.loss;

/**
 * SFA's dynamic confidence threshold {@code τ·φ^epoch} for the ABC confidence {@code
 * softmax(z2)[ỹ]} that admits a sample to its class's instant centroid. Reference ({@code
 * eval_train} in {@code Train_cifar.py}): {@code tau = 1 / args.num_class} and {@code confs_BS[...]
 * > tau * args.phi ** epoch}, strict, with the absolute 1-based epoch (so epoch 31 already gives
 * 1.1672τ). {@code Train_webvision.py} hard-codes {@code 0.02 * 1.005**epoch} = the same with C =
 * 50, evaluated after epoch {@code epoch} for use in the next one.
 *
 * @param tau base threshold, {@code 1/C} in the reference, in {@code (0, 1]}
 * @param phi growth per epoch, {@code --phi} 1.005, finite and {@code > 0}
 */
public record ConfidenceThreshold(double tau, double phi) {

    /** Reference default {@code --phi 1.005}. */
    public static final double DEFAULT_PHI = 1.005;

    public ConfidenceThreshold {
        if (!(tau > 0.0 && tau <= 1.0)) {
            throw new IllegalArgumentException("tau must be in (0, 1], was " + tau);
        }
        if (!(phi > 0.0) || Double.isInfinite(phi)) {
            throw new IllegalArgumentException("phi must be finite and > 0, was " + phi);
        }
    }

    /** {@code τ = 1/C}, {@code φ = 1.005}. */
    public static ConfidenceThreshold forClasses(int numClasses) {
        return forClasses(numClasses, DEFAULT_PHI);
    }

    /** {@code τ = 1/C} and the given φ. */
    public static ConfidenceThreshold forClasses(int numClasses, double phi) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, was " + numClasses);
        }
        return new ConfidenceThreshold(1.0 / numClasses, phi);
    }

    /**
     * {@code τ·φ^epoch} at a reference epoch (1-based). A fractional value is allowed: pass {@link
     * ReferenceEpoch#of} for the reference's step per epoch, or {@link ReferenceEpoch#progress} for
     * a threshold that grows continuously through a stream's epoch (equal at epoch starts).
     */
    public double at(double epoch) {
        if (!Double.isFinite(epoch)) {
            throw new IllegalArgumentException("epoch must be finite, was " + epoch);
        }
        return tau * Math.pow(phi, epoch);
    }

    /** {@code confidence > τ·φ^epoch}, strict as in the reference. */
    public boolean admits(double confidence, double epoch) {
        return confidence > at(epoch);
    }
}
