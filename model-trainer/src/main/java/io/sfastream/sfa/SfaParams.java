package io.sfastream.sfa;

import io.sfastream.sfa.loss.ConfidenceThreshold;
import java.io.Serializable;
import java.util.Objects;

/**
 * Every setting of SFA's per-class sample selection, typed and validated. Defaults are the
 * reference's CIFAR flags ({@code Train_cifar.py}): β 0.99, φ 1.005, τ = 1/C, 300 confident samples
 * for a class to be sampled, p_threshold 0.5, sample_rate 1, warm-up 30, seed 123; the GMM is
 * scikit-learn 1.2's {@code GaussianMixture(n_components=2, random_state=0)}; the moment mode is
 * {@link MomentMode#INTENDED_EMA} ({@code shared/notes/sfa-algorithm.md} §7.3). {@link
 * #webVision()} gives {@code Train_webvision.py}'s settings.
 *
 * <p>Immutable and {@link Serializable} (Flink ships it inside operator closures); build with
 * {@link #builder(int)} or {@link #toBuilder()}.
 */
public final class SfaParams implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int numClasses;
    private final double tau;
    private final double phi;
    private final double beta;
    private final int warmUpEpochs;
    private final int minSampledCount;
    private final int sampleRate;
    private final double pThreshold;
    private final MomentMode momentMode;
    private final double gmmTol;
    private final double gmmRegCovar;
    private final int gmmMaxIter;
    private final long gmmRandomSeed;
    private final int minScoresForGmm;
    private final TinyClassFallback tinyClassFallback;
    private final int reservoirSize;
    private final long seed;

    private SfaParams(Builder b) {
        if (b.numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + b.numClasses);
        }
        double t = Double.isNaN(b.tau) ? 1.0 / b.numClasses : b.tau;
        new ConfidenceThreshold(t, b.phi); // validates tau in (0, 1] and phi > 0, finite
        if (!(b.beta >= 0 && b.beta < 1)) {
            throw new IllegalArgumentException("beta must be in [0, 1), got " + b.beta);
        }
        if (b.warmUpEpochs < 0) {
            throw new IllegalArgumentException("warmUpEpochs must be >= 0, got " + b.warmUpEpochs);
        }
        if (b.minSampledCount < 0) {
            throw new IllegalArgumentException(
                    "minSampledCount must be >= 0, got " + b.minSampledCount);
        }
        if (b.sampleRate < 1) {
            throw new IllegalArgumentException("sampleRate must be >= 1, got " + b.sampleRate);
        }
        if (!(b.pThreshold >= 0 && b.pThreshold <= 1)) {
            throw new IllegalArgumentException("pThreshold must be in [0, 1], got " + b.pThreshold);
        }
        // validates the GMM settings with GaussianMixture1D's own rules, named as these settings
        // are
        try {
            new GaussianMixture1D.Options(
                    2, b.gmmTol, b.gmmRegCovar, b.gmmMaxIter, b.gmmRandomSeed);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new IllegalArgumentException(
                    "gmm" + Character.toUpperCase(m.charAt(0)) + m.substring(1), e);
        }
        if (b.minScoresForGmm < 2) {
            throw new IllegalArgumentException(
                    "minScoresForGmm must be >= 2 (a two-component fit needs two values), got "
                            + b.minScoresForGmm);
        }
        if (b.reservoirSize < b.minScoresForGmm) {
            throw new IllegalArgumentException(
                    "reservoirSize ("
                            + b.reservoirSize
                            + ") must be >= minScoresForGmm ("
                            + b.minScoresForGmm
                            + ")");
        }
        this.numClasses = b.numClasses;
        this.tau = t;
        this.phi = b.phi;
        this.beta = b.beta;
        this.warmUpEpochs = b.warmUpEpochs;
        this.minSampledCount = b.minSampledCount;
        this.sampleRate = b.sampleRate;
        this.pThreshold = b.pThreshold;
        this.momentMode = Objects.requireNonNull(b.momentMode, "momentMode");
        this.gmmTol = b.gmmTol;
        this.gmmRegCovar = b.gmmRegCovar;
        this.gmmMaxIter = b.gmmMaxIter;
        this.gmmRandomSeed = b.gmmRandomSeed;
        this.minScoresForGmm = b.minScoresForGmm;
        this.tinyClassFallback = Objects.requireNonNull(b.tinyClassFallback, "tinyClassFallback");
        this.reservoirSize = b.reservoirSize;
        this.seed = b.seed;
    }

    /** The reference's CIFAR defaults for {@code numClasses} classes. */
    public static SfaParams defaults(int numClasses) {
        return builder(numClasses).build();
    }

    /** A builder holding the CIFAR defaults. */
    public static Builder builder(int numClasses) {
        return new Builder(numClasses);
    }

    /**
     * {@code Train_webvision.py}'s selection (§2.7): 50 classes (τ = 0.02), β = 0.9, warm-up 1
     * epoch, and every class with a confident sample is sampled (no 300 rule: {@code
     * minSampledCount = 0}).
     */
    public static Builder webVision() {
        return builder(50).beta(0.9).warmUpEpochs(1).minSampledCount(0);
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder(numClasses);
        b.tau = tau;
        b.phi = phi;
        b.beta = beta;
        b.warmUpEpochs = warmUpEpochs;
        b.minSampledCount = minSampledCount;
        b.sampleRate = sampleRate;
        b.pThreshold = pThreshold;
        b.momentMode = momentMode;
        b.gmmTol = gmmTol;
        b.gmmRegCovar = gmmRegCovar;
        b.gmmMaxIter = gmmMaxIter;
        b.gmmRandomSeed = gmmRandomSeed;
        b.minScoresForGmm = minScoresForGmm;
        b.tinyClassFallback = tinyClassFallback;
        b.reservoirSize = reservoirSize;
        b.seed = seed;
        return b;
    }

    /** C, the number of classes; labels are in [0, C). */
    public int numClasses() {
        return numClasses;
    }

    /** τ, the base of the confidence threshold (default 1/C). */
    public double tau() {
        return tau;
    }

    /** φ, the per-epoch growth of the confidence threshold (1.005). */
    public double phi() {
        return phi;
    }

    /** The confidence threshold τφ^epoch. */
    public ConfidenceThreshold confidenceThreshold() {
        return new ConfidenceThreshold(tau, phi);
    }

    /** β, the EMA momentum of the centroid moments (0.99; WebVision 0.9). */
    public double beta() {
        return beta;
    }

    /** Warm-up epochs (30); the first selection epoch is {@code warmUpEpochs + 1}. */
    public int warmUpEpochs() {
        return warmUpEpochs;
    }

    /** {@code warmUpEpochs + 1}: the reference's first {@code eval_train} epoch. */
    public int firstSelectionEpoch() {
        return warmUpEpochs + 1;
    }

    /**
     * A class is sampled (scored against a drawn centroid) when its confident count is greater than
     * this (300).
     */
    public int minSampledCount() {
        return minSampledCount;
    }

    /** R, centroid draws per epoch ({@code --sample_rate}, 1). */
    public int sampleRate() {
        return sampleRate;
    }

    /** A sample is clean when its clean probability is greater than this (0.5). */
    public double pThreshold() {
        return pThreshold;
    }

    /** How the moments evolve across epochs. */
    public MomentMode momentMode() {
        return momentMode;
    }

    /**
     * The GMM options: sklearn 1.2 defaults with 2 components and {@code random_state=0} unless
     * changed.
     */
    public GaussianMixture1D.Options gmmOptions() {
        return new GaussianMixture1D.Options(2, gmmTol, gmmRegCovar, gmmMaxIter, gmmRandomSeed);
    }

    /**
     * A class needs at least this many scores for its own GMM (20); below it {@link
     * #tinyClassFallback()} applies. Both faces use it. The reference fits any class with two or
     * more samples: set 2 to reproduce that.
     */
    public int minScoresForGmm() {
        return minScoresForGmm;
    }

    /** What a class with too few scores does (default {@link TinyClassFallback#TREAT_AS_CLEAN}). */
    public TinyClassFallback tinyClassFallback() {
        return tinyClassFallback;
    }

    /** Streaming face: capacity of each class's per-epoch reservoir of raw scores (4096). */
    public int reservoirSize() {
        return reservoirSize;
    }

    /**
     * Run seed: ε draws and reservoir sampling derive their seeds from it (123, the reference's
     * {@code --seed}).
     */
    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return "SfaParams{classes="
                + numClasses
                + ", tau="
                + tau
                + ", phi="
                + phi
                + ", beta="
                + beta
                + ", warmUp="
                + warmUpEpochs
                + ", minSampledCount="
                + minSampledCount
                + ", sampleRate="
                + sampleRate
                + ", pThreshold="
                + pThreshold
                + ", mode="
                + momentMode
                + ", gmm(tol="
                + gmmTol
                + ", reg="
                + gmmRegCovar
                + ", maxIter="
                + gmmMaxIter
                + ", seed="
                + gmmRandomSeed
                + "), minScoresForGmm="
                + minScoresForGmm
                + ", tiny="
                + tinyClassFallback
                + ", reservoir="
                + reservoirSize
                + ", seed="
                + seed
                + '}';
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private final int numClasses;
        private double tau = Double.NaN;
        private double phi = ConfidenceThreshold.DEFAULT_PHI;
        private double beta = 0.99;
        private int warmUpEpochs = 30;
        private int minSampledCount = 300;
        private int sampleRate = 1;
        private double pThreshold = 0.5;
        private MomentMode momentMode = MomentMode.INTENDED_EMA;
        private double gmmTol = 1e-3;
        private double gmmRegCovar = 1e-6;
        private int gmmMaxIter = 100;
        private long gmmRandomSeed = 0;
        private int minScoresForGmm = 20;
        private TinyClassFallback tinyClassFallback = TinyClassFallback.TREAT_AS_CLEAN;
        private int reservoirSize = 4096;
        private long seed = 123;

        private Builder(int numClasses) {
            this.numClasses = numClasses;
        }

        /**
         * A copy of this builder for another number of classes (τ resets to 1/C unless it was set).
         */
        public Builder numClasses(int c) {
            Builder b = new Builder(c);
            b.tau = tau;
            b.phi = phi;
            b.beta = beta;
            b.warmUpEpochs = warmUpEpochs;
            b.minSampledCount = minSampledCount;
            b.sampleRate = sampleRate;
            b.pThreshold = pThreshold;
            b.momentMode = momentMode;
            b.gmmTol = gmmTol;
            b.gmmRegCovar = gmmRegCovar;
            b.gmmMaxIter = gmmMaxIter;
            b.gmmRandomSeed = gmmRandomSeed;
            b.minScoresForGmm = minScoresForGmm;
            b.tinyClassFallback = tinyClassFallback;
            b.reservoirSize = reservoirSize;
            b.seed = seed;
            return b;
        }

        /** τ; NaN means 1/C. */
        public Builder tau(double v) {
            tau = v;
            return this;
        }

        public Builder phi(double v) {
            phi = v;
            return this;
        }

        public Builder beta(double v) {
            beta = v;
            return this;
        }

        public Builder warmUpEpochs(int v) {
            warmUpEpochs = v;
            return this;
        }

        public Builder minSampledCount(int v) {
            minSampledCount = v;
            return this;
        }

        public Builder sampleRate(int v) {
            sampleRate = v;
            return this;
        }

        public Builder pThreshold(double v) {
            pThreshold = v;
            return this;
        }

        public Builder momentMode(MomentMode v) {
            momentMode = v;
            return this;
        }

        public Builder gmm(double tol, double regCovar, int maxIter, long randomSeed) {
            gmmTol = tol;
            gmmRegCovar = regCovar;
            gmmMaxIter = maxIter;
            gmmRandomSeed = randomSeed;
            return this;
        }

        public Builder minScoresForGmm(int v) {
            minScoresForGmm = v;
            return this;
        }

        public Builder tinyClassFallback(TinyClassFallback v) {
            tinyClassFallback = v;
            return this;
        }

        public Builder reservoirSize(int v) {
            reservoirSize = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public SfaParams build() {
            return new SfaParams(this);
        }
    }
}
