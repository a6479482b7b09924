package io.sfastream.sfa;

import java.util.List;
import java.util.Objects;

/**
 * The per-class clean/noisy decision on raw centroid scores (§2.2 steps 8–10), as the reference's
 * {@code get_gmm_prob} does it: min–max normalise the class's scores in float32 (subtract the
 * minimum, divide by the new maximum only if it is nonzero), fit scikit-learn 1.2's two-component
 * GMM exactly ({@link GaussianMixture1D}, float32 path), and take the posterior of the component
 * with the larger mean as the clean probability; a sample is clean when that probability is greater
 * than {@link SfaParams#pThreshold()}.
 *
 * <p>Guards: a class with fewer than {@link SfaParams#minScoresForGmm()} scores gets no GMM and
 * falls back as {@link SfaParams#tinyClassFallback()} says; a class whose scores are all equal
 * normalises to zeros without dividing, and its GMM puts every sample in one component (all clean),
 * as sklearn does. Stateless and thread-safe.
 */
public final class CleanSampleSelector {
    private final SfaParams params;
    private final GaussianMixture1D.Options gmmOptions;

    public CleanSampleSelector(SfaParams params) {
        this.params = Objects.requireNonNull(params, "params");
        this.gmmOptions = params.gmmOptions();
    }

    /** One sample's judgement. */
    public record Judgement(
            double cleanProbability, boolean clean, SelectionBasis basis, float normalisedScore) {}

    /**
     * Fits one class's selection on its raw scores (in the order given; the order feeds k-means++
     * as in sklearn). A class with fewer than {@link SfaParams#minScoresForGmm()} scores is marked
     * tiny; its min and range are still recorded (a pooled fallback needs them).
     */
    public ClassSelectionModel fit(float[] rawScores) {
        ClassSelectionModel m = new ClassSelectionModel();
        int n = rawScores.length;
        m.fittedOn = n;
        if (n == 0) {
            m.tiny = true;
            return m;
        }
        float min = rawScores[0];
        for (float s : rawScores) {
            if (!Float.isFinite(s)) {
                throw new IllegalArgumentException("raw score is not finite: " + s);
            }
            min = Math.min(min, s);
        }
        float range = Float.NEGATIVE_INFINITY;
        for (float s : rawScores) {
            range = Math.max(range, s - min);
        }
        m.scoreMin = min;
        m.scoreRange = range;
        if (n < params.minScoresForGmm()) {
            m.tiny = true;
            return m;
        }
        float[] normalised = GaussianMixture1D.minMaxNormalize(rawScores);
        storeGmm(m, GaussianMixture1D.fit(normalised, gmmOptions));
        return m;
    }

    /**
     * The pooled fallback (§7.5): one GMM over several classes' already normalised scores,
     * concatenated in the order given (pass classes in label order for a reproducible fit). Its
     * normalisation is the identity (min 0, range 1). Null when there are fewer than two values.
     */
    public ClassSelectionModel fitPooled(List<float[]> normalisedScores) {
        int n = 0;
        for (float[] v : normalisedScores) {
            n += v == null ? 0 : v.length;
        }
        if (n < 2) {
            return null;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] v : normalisedScores) {
            if (v != null) {
                System.arraycopy(v, 0, all, at, v.length);
                at += v.length;
            }
        }
        ClassSelectionModel m = new ClassSelectionModel();
        m.fittedOn = n;
        m.scoreMin = 0f;
        m.scoreRange = 1f;
        storeGmm(m, GaussianMixture1D.fit(all, gmmOptions));
        return m;
    }

    /**
     * Clean probabilities of the very scores a model was fitted on, normalised by it, as {@code
     * gmm.predict_proba(x)[:, gmm.means_.argmax()]} in the reference (batch face). For a tiny class
     * the fallback applies ({@code pooled} may be null).
     */
    public Judgement[] judgeAll(
            ClassSelectionModel model, ClassSelectionModel pooled, float[] rawScores) {
        Judgement[] out = new Judgement[rawScores.length];
        if (model.hasGmm() || usesPooled(model, pooled)) {
            ClassSelectionModel decider = model.hasGmm() ? model : pooled;
            SelectionBasis basis = model.hasGmm() ? SelectionBasis.GMM : SelectionBasis.POOLED_GMM;
            float[] normalised = new float[rawScores.length];
            for (int i = 0; i < rawScores.length; i++) {
                normalised[i] = model.normalise(rawScores[i]);
            }
            double[] p = decider.gmm().posteriorOfHigherMean(normalised);
            for (int i = 0; i < rawScores.length; i++) {
                out[i] = new Judgement(p[i], p[i] > params.pThreshold(), basis, normalised[i]);
            }
        } else {
            for (int i = 0; i < rawScores.length; i++) {
                out[i] = treatAsClean(model, rawScores[i]);
            }
        }
        return out;
    }

    /**
     * One raw score judged by a fitted model (streaming face: the model of the previous epoch):
     * normalised and clipped to [0, 1], then the clean component's posterior. A tiny class uses
     * {@code pooled} when the fallback is {@link TinyClassFallback#POOLED} and one is given, else
     * counts as clean.
     */
    public Judgement judge(ClassSelectionModel model, ClassSelectionModel pooled, double rawScore) {
        if (model.hasGmm() || usesPooled(model, pooled)) {
            ClassSelectionModel decider = model.hasGmm() ? model : pooled;
            float v = model.normalise(rawScore);
            double p = decider.cleanProbability(v);
            return new Judgement(
                    p,
                    p > params.pThreshold(),
                    model.hasGmm() ? SelectionBasis.GMM : SelectionBasis.POOLED_GMM,
                    v);
        }
        return treatAsClean(model, rawScore);
    }

    private boolean usesPooled(ClassSelectionModel model, ClassSelectionModel pooled) {
        return model.tiny
                && model.fittedOn > 0
                && pooled != null
                && pooled.hasGmm()
                && params.tinyClassFallback() == TinyClassFallback.POOLED;
    }

    private static Judgement treatAsClean(ClassSelectionModel model, double rawScore) {
        float v = model.fittedOn > 0 ? model.normalise(rawScore) : Float.NaN;
        return new Judgement(1.0, true, SelectionBasis.TINY_CLASS_CLEAN, v);
    }

    private static void storeGmm(ClassSelectionModel m, GaussianMixture1D.Fit fit) {
        m.tiny = false;
        m.gmmMeans = fit.means();
        m.gmmVariances = fit.variances();
        m.gmmWeights = fit.weights();
        m.gmmIterations = fit.iterations();
        m.gmmConverged = fit.converged();
    }
}
