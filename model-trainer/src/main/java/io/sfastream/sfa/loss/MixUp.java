package io.sfastream.sfa.loss;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.sampling.distribution.ChengBetaSampler;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * MixMatch's MixUp as the reference runs it ({@code train()} in {@code Train_cifar.py}):
 *
 * <pre>l = np.random.beta(args.alpha, args.alpha);  l = max(l, 1-l)
 * idx = torch.randperm(all_inputs.size(0))
 * mixed_input = l * input_a + (1 - l) * input_b;  mixed_target = l * target_a + (1 - l) * target_b
 * </pre>
 *
 * with {@code input_b = all_inputs[idx]}: one λ and one permutation over <em>all</em> rows ({@code
 * [x1, x2, u1, u2]}, 4B), so a labelled row may be mixed with an unlabelled one. Folding λ to
 * {@code max(λ, 1−λ) ≥ 0.5} keeps each mixed row closer to its own original, so rows {@code [0,
 * 2B)} stay "labelled" for {@code Lx}.
 *
 * <p>Beta(α, α) comes from Commons RNG's {@link ChengBetaSampler}; the permutation is a
 * Fisher–Yates shuffle ({@link PermutationSampler#shuffle}). λ is drawn before the permutation, as
 * in the reference. A given seed always gives the same sequence of plans (the reference's
 * numpy/torch streams are not reproduced). Not thread-safe: one instance per training thread.
 */
public final class MixUp {

    /** Reference CIFAR default {@code --alpha 4}. */
    public static final double CIFAR_ALPHA = 4.0;

    /** Reference WebVision default {@code --alpha 0.5}. */
    public static final double WEBVISION_ALPHA = 0.5;

    private final double alpha;
    private final UniformRandomProvider rng;
    private final ContinuousSampler beta;

    /** Seeded with {@code RandomSource.XO_RO_SHI_RO_128_PP}. */
    public MixUp(double alpha, long seed) {
        this(alpha, RandomSource.XO_RO_SHI_RO_128_PP.create(seed));
    }

    /** With a caller-owned generator (for example one restored from a checkpoint). */
    public MixUp(double alpha, UniformRandomProvider rng) {
        if (!(alpha > 0.0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and > 0, was " + alpha);
        }
        if (rng == null) {
            throw new IllegalArgumentException("rng is required");
        }
        this.alpha = alpha;
        this.rng = rng;
        this.beta = ChengBetaSampler.of(rng, alpha, alpha);
    }

    public double alpha() {
        return alpha;
    }

    /** One unfolded Beta(α, α) draw; package-private so tests can check the sampler's moments. */
    double rawLambda() {
        return beta.sample();
    }

    /** Draws λ (folded to {@code max(λ, 1−λ)}) and then a permutation of {@code rows} rows. */
    public MixPlan next(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be >= 1, was " + rows);
        }
        double l = rawLambda();
        l = Math.max(l, 1.0 - l);
        int[] perm = PermutationSampler.natural(rows);
        PermutationSampler.shuffle(rng, perm);
        return new MixPlan(l, perm);
    }
}
