package io.sfastream.sfa;

import java.util.Arrays;

/**
 * One-dimensional Gaussian mixture fitted the way scikit-learn 1.2's {@code
 * GaussianMixture(n_components=2, random_state=0).fit(x.reshape(-1, 1))} fits it, which is what
 * SFA's per-class selection ({@code get_gmm_prob} in {@code HotanLee/SFA/Train_cifar.py}) calls on
 * the min-max normalised scores of one class. The clean probability of a sample is then the
 * posterior of the component with the larger mean ({@link Fit#posteriorOfHigherMean}).
 *
 * <p>Exactness is the point of this class: SFA thresholds the posterior at 0.5, and EM from a
 * different initialisation can land on a different local optimum, so the k-means initialisation is
 * reproduced label for label, including numpy's RNG stream ({@link NumpyMt19937}), numpy's pairwise
 * summation where numpy uses it (it feeds the k-means++ sampling) and the order of floating-point
 * operations in the distance computations that decide labels. The pieces, each mirroring the
 * sklearn 1.2.1 function named in its Javadoc:
 *
 * <ol>
 *   <li>{@code KMeans(n_clusters=k, n_init=1, random_state=RandomState(seed))} (called by {@code
 *       BaseMixture._initialize_parameters} with {@code init_params='kmeans'}): data centred on its
 *       mean, k-means++ seeding ({@code _kmeans_plusplus}), Lloyd iterations ({@code
 *       _kmeans_single_lloyd}, {@code lloyd_iter_chunked_dense}) with {@code max_iter=300} and
 *       tolerance {@code 1e-4 * var(x)} ({@code _tolerance});
 *   <li>one-hot responsibilities from the labels, {@code _estimate_gaussian_parameters} and {@code
 *       weights /= n_samples} ({@code GaussianMixture._initialize});
 *   <li>EM as in {@code BaseMixture.fit_predict}: e-step, m-step, lower bound = mean
 *       log-likelihood, stop when {@code |change| < tol}, at most {@code max_iter} rounds, then a
 *       final e-step whose argmax is {@code fit_predict}'s labels.
 * </ol>
 *
 * On the committed fixtures the k-means labels, {@code n_iter_} and {@code converged_} are
 * identical and every fitted value and posterior is within 1.2e-13 absolute of sklearn on [0, 1]
 * scores (about 1e-15 relative on wide-range inputs). They are not bit-identical because sklearn's
 * M-step dot products go through BLAS, whose summation order is implementation-specific; this class
 * adds sequentially. sklearn with several OpenMP threads adds the Lloyd partial sums per thread,
 * which can move a k-means centre by an ulp; the single-thread order is mirrored here.
 *
 * <p>Both dtypes sklearn accepts are mirrored. {@link #fit(double[], Options)} is sklearn on a
 * float64 array. SFA's reference, however, passes a <em>float32</em> array (torch's default dtype):
 * sklearn then runs k-means in float32 (EM is float64 either way), and on tie-heavy data the
 * float32 k-means can pick different labels, hence a different EM optimum. {@link #fit(float[],
 * Options)} and {@link #minMaxNormalize(float[])} reproduce that path.
 *
 * <p>Stateless and thread-safe; each {@link #fit} allocates O(n·k) primitive arrays.
 */
public final class GaussianMixture1D {

    /** {@code np.log(2 * np.pi)} as numpy prints it. */
    private static final double LOG_2PI = 1.8378770664093453;

    /** {@code 10 * np.finfo(np.float64).eps}, added to every {@code nk} by sklearn. */
    private static final double TEN_EPS = 10 * Math.ulp(1.0);

    /** {@code KMeans} defaults used by {@code GaussianMixture}: {@code max_iter=300, tol=1e-4}. */
    private static final int KMEANS_MAX_ITER = 300;

    private static final double KMEANS_TOL = 1e-4;

    /** numpy's pairwise summation block ({@code PW_BLOCKSIZE}). */
    private static final int PW_BLOCKSIZE = 128;

    /** numpy's ufunc buffer size: reductions longer than this are summed block by block. */
    private static final int NUMPY_BUFSIZE = 8192;

    private GaussianMixture1D() {}

    /**
     * Fit options. {@link #defaults()} equal sklearn 1.2's {@code GaussianMixture} defaults with
     * SFA's {@code n_components=2, random_state=0}.
     *
     * @param components {@code n_components}, ≥ 1
     * @param tol {@code tol}: EM stops when the mean log-likelihood changes by less than this
     * @param regCovar {@code reg_covar}, added to every variance; ≥ 0
     * @param maxIter {@code max_iter}, ≥ 0 (0 returns the k-means initialisation, like sklearn)
     * @param randomSeed {@code random_state} as a numpy legacy seed, in [0, 2^32 - 1]
     */
    public record Options(
            int components, double tol, double regCovar, int maxIter, long randomSeed) {
        public Options {
            if (components < 1) {
                throw new IllegalArgumentException("components must be >= 1, got " + components);
            }
            if (!(tol >= 0) || Double.isInfinite(tol)) {
                throw new IllegalArgumentException("tol must be finite and >= 0, got " + tol);
            }
            if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
                throw new IllegalArgumentException(
                        "regCovar must be finite and >= 0, got " + regCovar);
            }
            if (maxIter < 0) {
                throw new IllegalArgumentException("maxIter must be >= 0, got " + maxIter);
            }
            if (randomSeed < 0 || randomSeed > 0xffffffffL) {
                throw new IllegalArgumentException(
                        "randomSeed must be in [0, 2^32-1], got " + randomSeed);
            }
        }

        /** {@code GaussianMixture(n_components=2, random_state=0)} with sklearn 1.2 defaults. */
        public static Options defaults() {
            return new Options(2, 1e-3, 1e-6, 100, 0L);
        }
    }

    /** A fitted mixture: sklearn's {@code means_}, {@code covariances_}, {@code weights_}, etc. */
    public static final class Fit {
        private final double[] means;
        private final double[] variances;
        private final double[] weights;
        private final double[] precisionChol;
        private final boolean converged;
        private final int iterations;
        private final double lowerBound;
        private final int[] kmeansLabels;
        private final int[] labels;

        private Fit(
                double[] means,
                double[] variances,
                double[] weights,
                double[] precisionChol,
                boolean converged,
                int iterations,
                double lowerBound,
                int[] kmeansLabels,
                int[] labels) {
            this.means = means;
            this.variances = variances;
            this.weights = weights;
            this.precisionChol = precisionChol;
            this.converged = converged;
            this.iterations = iterations;
            this.lowerBound = lowerBound;
            this.kmeansLabels = kmeansLabels;
            this.labels = labels;
        }

        /**
         * A fit rebuilt from its parameters, for example after they were kept as plain data in
         * stream state. {@link #posteriors} and {@link #posteriorOfHigherMean} then give exactly
         * what the original fit gives (the precision factor is recomputed as {@code 1 /
         * sqrt(variance)}, as the fit computes it); the fitting diagnostics are empty: no labels, 0
         * iterations, {@code converged} true, lower bound NaN.
         *
         * @throws IllegalArgumentException if the arrays differ in length or are empty, a mean is
         *     not finite, a variance is not finite and positive, or a weight is not finite and
         *     non-negative
         */
        public static Fit fromParameters(double[] means, double[] variances, double[] weights) {
            int k = means.length;
            if (k < 1 || variances.length != k || weights.length != k) {
                throw new IllegalArgumentException(
                        "need equal, non-empty parameter arrays, got "
                                + means.length
                                + ", "
                                + variances.length
                                + ", "
                                + weights.length);
            }
            for (int j = 0; j < k; j++) {
                if (!Double.isFinite(means[j])
                        || !(variances[j] > 0)
                        || Double.isInfinite(variances[j])
                        || !(weights[j] >= 0)
                        || Double.isInfinite(weights[j])) {
                    throw new IllegalArgumentException(
                            "invalid component "
                                    + j
                                    + ": mean "
                                    + means[j]
                                    + ", variance "
                                    + variances[j]
                                    + ", weight "
                                    + weights[j]);
                }
            }
            double[] pc = new double[k];
            computePrecisionCholesky(variances, pc);
            return new Fit(
                    means.clone(),
                    variances.clone(),
                    weights.clone(),
                    pc,
                    true,
                    0,
                    Double.NaN,
                    new int[0],
                    new int[0]);
        }

        /** Component means ({@code means_.ravel()}), in sklearn's component order. */
        public double[] means() {
            return means.clone();
        }

        /** Component variances ({@code covariances_.ravel()}), {@code regCovar} included. */
        public double[] variances() {
            return variances.clone();
        }

        /** Mixing weights ({@code weights_}). */
        public double[] weights() {
            return weights.clone();
        }

        /** {@code converged_}: whether EM stopped on {@code tol} rather than {@code max_iter}. */
        public boolean converged() {
            return converged;
        }

        /** {@code n_iter_}: EM rounds run (0 when {@code maxIter == 0}). */
        public int iterations() {
            return iterations;
        }

        /**
         * {@code lower_bound_}: mean log-likelihood per sample after the last EM round, i.e.
         * computed with the parameters <em>before</em> that round's M-step; {@code -Infinity} when
         * {@code maxIter == 0}.
         */
        public double lowerBound() {
            return lowerBound;
        }

        /** The k-means labels that initialised EM (for diagnosing init versus EM differences). */
        public int[] kmeansLabels() {
            return kmeansLabels.clone();
        }

        /**
         * {@code fit_predict(x)}: argmax of the final e-step's responsibilities on the fitted data.
         */
        public int[] labels() {
            return labels.clone();
        }

        /** Number of components. */
        public int components() {
            return means.length;
        }

        /**
         * Index of the component with the largest mean; the first one on ties, like {@code
         * means_.argmax()} in SFA's {@code get_gmm_prob}.
         */
        public int higherMeanComponent() {
            int best = 0;
            for (int j = 1; j < means.length; j++) {
                if (means[j] > means[best]) {
                    best = j;
                }
            }
            return best;
        }

        /**
         * {@code predict_proba(x)}: posterior of every component for every value, {@code [i][j]}.
         *
         * @throws IllegalArgumentException if a value is NaN or infinite (sklearn raises too)
         */
        public double[][] posteriors(double[] x) {
            int n = x.length;
            int k = means.length;
            checkFinite(x);
            double[] logResp = new double[n * k];
            estimateLogProbResp(x, means, precisionChol, weights, logResp, null);
            double[][] out = new double[n][k];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    out[i][j] = Math.exp(logResp[i * k + j]);
                }
            }
            return out;
        }

        /**
         * SFA's clean probability: {@code predict_proba(x)[:, means_.argmax()]}.
         *
         * @throws IllegalArgumentException if a value is NaN or infinite
         */
        public double[] posteriorOfHigherMean(double[] x) {
            int n = x.length;
            int k = means.length;
            checkFinite(x);
            double[] logResp = new double[n * k];
            estimateLogProbResp(x, means, precisionChol, weights, logResp, null);
            int c = higherMeanComponent();
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = Math.exp(logResp[i * k + c]);
            }
            return out;
        }

        /**
         * A per-value evaluator of {@link #posteriorOfHigherMean(double[])} for scoring a stream
         * one sample at a time: same arithmetic, so the same bits, without the per-call arrays.
         */
        public HigherMeanPosterior higherMeanPosterior() {
            return new HigherMeanPosterior(means, precisionChol, weights, higherMeanComponent());
        }

        /**
         * {@link #posteriorOfHigherMean(double[])} of float32 values; sklearn widens float32 input
         * to float64 here too, so this equals {@code predict_proba(x32)[:, means_.argmax()]}.
         */
        public double[] posteriorOfHigherMean(float[] x) {
            double[] wide = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                wide[i] = x[i];
            }
            return posteriorOfHigherMean(wide);
        }

        @Override
        public String toString() {
            return "GaussianMixture1D.Fit{means="
                    + Arrays.toString(means)
                    + ", variances="
                    + Arrays.toString(variances)
                    + ", weights="
                    + Arrays.toString(weights)
                    + ", converged="
                    + converged
                    + ", iterations="
                    + iterations
                    + ", lowerBound="
                    + lowerBound
                    + '}';
        }
    }

    /** Fits with {@link Options#defaults()}. */
    public static Fit fit(double[] x) {
        return fit(x, Options.defaults());
    }

    /**
     * Fits a mixture to {@code x}, mirroring {@code BaseMixture.fit_predict} with {@code n_init=1}.
     *
     * <p>Degenerate inputs behave as in sklearn: a constant array makes k-means find one distinct
     * cluster (sklearn warns), the empty component keeps weight ~1e-15, mean 0 and variance {@code
     * regCovar}, and nothing divides by zero. After SFA's min-max a constant class is all zeros,
     * both means are 0 and {@link Fit#higherMeanComponent()} is component 0 whose posterior is ~1,
     * so the whole class counts as clean.
     *
     * @throws IllegalArgumentException if {@code x} has fewer than {@code max(2, components)}
     *     values or a NaN/infinite value (sklearn raises ValueError for all of these)
     * @throws IllegalStateException if a variance is not positive (only possible with {@code
     *     regCovar == 0}; sklearn raises "ill-defined empirical covariance")
     */
    public static Fit fit(double[] x, Options options) {
        checkSizes(x.length, options.components());
        checkFinite(x);
        return em(x, kmeansLabels(x, options.components(), options.randomSeed()), options);
    }

    /** Fits float32 data with {@link Options#defaults()}; see {@link #fit(float[], Options)}. */
    public static Fit fit(float[] x) {
        return fit(x, Options.defaults());
    }

    /**
     * Fits float32 data the way sklearn fits a {@code float32} array, which is what SFA's reference
     * passes ({@code ncm_logits[...].cpu().numpy()} of a torch float32 tensor). sklearn keeps the
     * dtype, so its k-means runs in float32: float32 centring, k-means++ distances computed in
     * float64 and stored as float32 ({@code _euclidean_distances_upcast}), float32 potentials and
     * Lloyd sums ({@code sgemm}). Its EM then promotes everything to float64 (the responsibilities
     * are float64), so EM here runs on the exactly widened values; pass {@code (double) x[i]} to
     * {@link Fit#posteriors(double[])}. On tie-heavy data the float32 k-means can label samples
     * differently from the float64 one, and then EM ends in a different optimum, so use this
     * overload when the scores are float32, as in the reference.
     */
    public static Fit fit(float[] x, Options options) {
        checkSizes(x.length, options.components());
        double[] wide = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            wide[i] = x[i];
        }
        checkFinite(wide);
        return em(
                wide, kmeansLabelsFloat32(x, options.components(), options.randomSeed()), options);
    }

    private static void checkSizes(int n, int k) {
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 samples, got " + n);
        }
        if (n < k) {
            throw new IllegalArgumentException(
                    "need n_samples >= n_components, got " + n + " < " + k);
        }
    }

    /**
     * {@code GaussianMixture._initialize} from the k-means labels, then {@code fit_predict}'s EM.
     */
    private static Fit em(double[] x, int[] kmLabels, Options options) {
        int n = x.length;
        int k = options.components();
        // GaussianMixture._initialize: one-hot responsibilities from the k-means labels.
        double[] resp = new double[n * k];
        for (int i = 0; i < n; i++) {
            resp[i * k + kmLabels[i]] = 1.0;
        }
        double[] means = new double[k];
        double[] variances = new double[k];
        double[] weights = new double[k];
        double[] precisionChol = new double[k];
        estimateGaussianParameters(x, resp, k, options.regCovar(), weights, means, variances);
        for (int j = 0; j < k; j++) {
            weights[j] /= n;
        }
        computePrecisionCholesky(variances, precisionChol);

        // BaseMixture.fit_predict, single initialisation.
        double lowerBound = Double.NEGATIVE_INFINITY;
        boolean converged = false;
        int nIter = 0;
        double[] logResp = resp; // reused: the one-hot buffer is no longer needed
        double[] logProbNorm = new double[n];
        for (int iter = 1; iter <= options.maxIter(); iter++) {
            double prevLowerBound = lowerBound;
            estimateLogProbResp(x, means, precisionChol, weights, logResp, logProbNorm);
            double meanLogProbNorm = numpySum(logProbNorm) / n;
            // _m_step: responsibilities = exp(log_resp), weights renormalised by their sum
            for (int t = 0; t < logResp.length; t++) {
                logResp[t] = Math.exp(logResp[t]);
            }
            estimateGaussianParameters(
                    x, logResp, k, options.regCovar(), weights, means, variances);
            double weightSum = numpySum(weights);
            for (int j = 0; j < k; j++) {
                weights[j] /= weightSum;
            }
            computePrecisionCholesky(variances, precisionChol);
            lowerBound = meanLogProbNorm;
            nIter = iter;
            if (Math.abs(lowerBound - prevLowerBound) < options.tol()) {
                converged = true;
                break;
            }
        }

        // Final e-step so that labels() equals fit(x).predict(x), as fit_predict guarantees.
        estimateLogProbResp(x, means, precisionChol, weights, logResp, null);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (logResp[i * k + j] > logResp[i * k + best]) {
                    best = j;
                }
            }
            labels[i] = best;
        }
        return new Fit(
                means,
                variances,
                weights,
                precisionChol,
                converged,
                nIter,
                lowerBound,
                kmLabels,
                labels);
    }

    /**
     * SFA's per-class normalisation in {@code get_gmm_prob}: subtract the minimum, then divide by
     * the (new) maximum only if it is nonzero, so a constant class becomes all zeros rather than
     * NaN. Returns a new array.
     */
    public static double[] minMaxNormalize(double[] scores) {
        checkFinite(scores);
        double[] v = scores.clone();
        if (v.length == 0) {
            return v;
        }
        double min = v[0];
        for (double s : v) {
            min = Math.min(min, s);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            v[i] -= min;
            max = Math.max(max, v[i]);
        }
        if (max != 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= max;
            }
        }
        return v;
    }

    /**
     * {@link #minMaxNormalize(double[])} in float32 arithmetic, as the reference runs it on the
     * float32 array it gets from torch. Returns a new array.
     */
    public static float[] minMaxNormalize(float[] scores) {
        float[] v = scores.clone();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException("scores[" + i + "] is not finite: " + v[i]);
            }
        }
        if (v.length == 0) {
            return v;
        }
        float min = v[0];
        for (float s : v) {
            min = Math.min(min, s);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            v[i] -= min;
            max = Math.max(max, v[i]);
        }
        if (max != 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= max;
            }
        }
        return v;
    }

    // ---------------------------------------------------------------------------------------------
    // EM pieces (sklearn/mixture/_gaussian_mixture.py, covariance_type='full' with one feature)

    /**
     * {@code _estimate_gaussian_parameters} with {@code _estimate_gaussian_covariances_full}:
     * {@code nk = resp.sum(0) + 10 eps}, {@code means = resp.T @ x / nk}, {@code var = (resp * d) @
     * d / nk + reg_covar} with {@code d = x - mean}. Writes unnormalised {@code nk} into {@code
     * weights}; the callers divide as sklearn does ({@code / n} at init, {@code / sum} in the
     * M-step).
     */
    private static void estimateGaussianParameters(
            double[] x,
            double[] resp,
            int k,
            double regCovar,
            double[] nk,
            double[] means,
            double[] variances) {
        int n = x.length;
        Arrays.fill(nk, 0.0);
        Arrays.fill(means, 0.0);
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            int row = i * k;
            for (int j = 0; j < k; j++) {
                double r = resp[row + j];
                nk[j] += r; // numpy's axis-0 reduction of a C-ordered (n, k) array is sequential
                means[j] += r * xi;
            }
        }
        for (int j = 0; j < k; j++) {
            nk[j] += TEN_EPS;
            means[j] /= nk[j];
        }
        Arrays.fill(variances, 0.0);
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            int row = i * k;
            for (int j = 0; j < k; j++) {
                double d = xi - means[j];
                variances[j] += resp[row + j] * d * d;
            }
        }
        for (int j = 0; j < k; j++) {
            variances[j] = variances[j] / nk[j] + regCovar;
        }
    }

    /**
     * {@code _compute_precision_cholesky} for 1×1 matrices: Cholesky factor {@code sqrt(var)},
     * precision factor {@code 1 / sqrt(var)}. LAPACK's {@code dpotrf} fails on a non-positive (or
     * NaN) pivot, which sklearn turns into its "ill-defined empirical covariance" error.
     */
    private static void computePrecisionCholesky(double[] variances, double[] precisionChol) {
        for (int j = 0; j < variances.length; j++) {
            double v = variances[j];
            if (!(v > 0)) {
                throw new IllegalStateException(
                        "Fitting the mixture model failed because component "
                                + j
                                + " has an ill-defined variance ("
                                + v
                                + "); increase regCovar");
            }
            precisionChol[j] = 1.0 / Math.sqrt(v);
        }
    }

    /**
     * {@code BaseMixture._estimate_log_prob_resp}: weighted log-probabilities from {@code
     * _estimate_log_gaussian_prob} ({@code -0.5 (log 2π + y²) + log prec_chol}, {@code y = x·pc −
     * μ·pc}) plus {@code log weights}, normalised by scipy's {@code logsumexp} per row. Writes
     * {@code log_resp} row-major into {@code logResp} and, if non-null, {@code log_prob_norm}.
     */
    private static void estimateLogProbResp(
            double[] x,
            double[] means,
            double[] precisionChol,
            double[] weights,
            double[] logResp,
            double[] logProbNorm) {
        int n = x.length;
        int k = means.length;
        double[] muPc = new double[k];
        double[] logDet = new double[k];
        double[] logW = new double[k];
        for (int j = 0; j < k; j++) {
            muPc[j] = means[j] * precisionChol[j];
            logDet[j] = Math.log(precisionChol[j]);
            logW[j] = Math.log(weights[j]);
        }
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            int row = i * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double y = xi * precisionChol[j] - muPc[j];
                double w = (-0.5 * (LOG_2PI + y * y) + logDet[j]) + logW[j];
                logResp[row + j] = w;
                if (w > max) {
                    max = w;
                }
            }
            // scipy.special.logsumexp: shift by the row max (0 if it is not finite)
            if (Double.isInfinite(max) || Double.isNaN(max)) {
                max = 0.0;
            }
            double s = 0.0;
            for (int j = 0; j < k; j++) {
                s += Math.exp(logResp[row + j] - max);
            }
            double norm = Math.log(s) + max;
            for (int j = 0; j < k; j++) {
                logResp[row + j] -= norm;
            }
            if (logProbNorm != null) {
                logProbNorm[i] = norm;
            }
        }
    }

    /**
     * The posterior of one component for single values, with the per-component constants
     * precomputed.
     */
    public static final class HigherMeanPosterior {
        private final double[] precisionChol;
        private final double[] muPc;
        private final double[] logDet;
        private final double[] logW;
        private final double[] w;
        private final int component;

        HigherMeanPosterior(
                double[] means, double[] precisionChol, double[] weights, int component) {
            int k = means.length;
            this.precisionChol = precisionChol.clone();
            this.muPc = new double[k];
            this.logDet = new double[k];
            this.logW = new double[k];
            this.w = new double[k];
            this.component = component;
            for (int j = 0; j < k; j++) {
                muPc[j] = means[j] * precisionChol[j];
                logDet[j] = Math.log(precisionChol[j]);
                logW[j] = Math.log(weights[j]);
            }
        }

        /**
         * As {@link #estimateLogProbResp} for one value, then exp of the chosen component's
         * log-responsibility.
         */
        public double at(double x) {
            int k = w.length;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double y = x * precisionChol[j] - muPc[j];
                w[j] = (-0.5 * (LOG_2PI + y * y) + logDet[j]) + logW[j];
                if (w[j] > max) {
                    max = w[j];
                }
            }
            if (Double.isInfinite(max) || Double.isNaN(max)) {
                max = 0.0;
            }
            double s = 0.0;
            for (int j = 0; j < k; j++) {
                s += Math.exp(w[j] - max);
            }
            double norm = Math.log(s) + max;
            return Math.exp(w[component] - norm);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // KMeans (sklearn/cluster/_kmeans.py and the Cython Lloyd kernel), float64, one thread

    /**
     * {@code KMeans(n_clusters=k, n_init=1, random_state=RandomState(seed)).fit(x).labels_}.
     * Package-private for tests.
     */
    static int[] kmeansLabels(double[] x, int k, long seed) {
        int n = x.length;
        // KMeans.fit: _tolerance on the raw data (np.var), then centre the data on np.mean.
        double mean = numpySum(x) / n;
        double[] xc = new double[n];
        for (int i = 0; i < n; i++) {
            double d = x[i] - mean;
            xc[i] = d * d;
        }
        double tol = (numpySum(xc) / n) * KMEANS_TOL;
        for (int i = 0; i < n; i++) {
            xc[i] = x[i] - mean; // X -= X_mean (np.var above used the same rounded mean)
        }
        double[] xsq = new double[n]; // row_norms(X, squared=True)
        for (int i = 0; i < n; i++) {
            xsq[i] = xc[i] * xc[i];
        }
        double[] centers = kmeansPlusPlus(xc, xsq, k, new NumpyMt19937(seed));
        return lloyd(xc, centers, tol);
    }

    /**
     * {@code _kmeans_plusplus}: first centre {@code randint(n)}, then for each further centre
     * {@code 2 + int(log(k))} candidates drawn by {@code searchsorted(cumsum(d²), uniform * pot)},
     * keeping the one with the smallest resulting potential. Squared distances are computed as
     * {@code _euclidean_distances} does: {@code max(0, (-2·c·x + c²) + x²)}.
     */
    private static double[] kmeansPlusPlus(double[] xc, double[] xsq, int k, NumpyMt19937 rng) {
        int n = xc.length;
        double[] centers = new double[k];
        int nLocalTrials = 2 + (int) Math.log(k);

        int first = (int) rng.randint(n);
        centers[0] = xc[first];
        double[] closest = new double[n];
        squaredDistances(xc[first], xc, xsq, closest);
        double currentPot = numpySum(closest);

        if (k == 1) {
            return centers;
        }
        double[] cumsum = new double[n];
        double[][] candidateDist = new double[nLocalTrials][n];
        int[] candidateIds = new int[nLocalTrials];
        for (int c = 1; c < k; c++) {
            double[] randVals = rng.uniform(nLocalTrials);
            double acc = 0.0;
            for (int i = 0; i < n; i++) {
                acc += closest[i];
                cumsum[i] = acc; // stable_cumsum == np.cumsum (sequential)
            }
            for (int t = 0; t < nLocalTrials; t++) {
                int id = searchSortedLeft(cumsum, randVals[t] * currentPot);
                candidateIds[t] = Math.min(id, n - 1); // np.clip(candidate_ids, None, n - 1)
            }
            int bestTrial = 0;
            double bestPot = Double.NaN;
            for (int t = 0; t < nLocalTrials; t++) {
                double[] d = candidateDist[t];
                squaredDistances(xc[candidateIds[t]], xc, xsq, d);
                for (int i = 0; i < n; i++) {
                    d[i] = Math.min(closest[i], d[i]); // np.minimum; no NaN possible here
                }
                double pot = numpySum(d);
                if (t == 0 || pot < bestPot) { // np.argmin: first minimum
                    bestPot = pot;
                    bestTrial = t;
                }
            }
            currentPot = bestPot;
            System.arraycopy(candidateDist[bestTrial], 0, closest, 0, n);
            centers[c] = xc[candidateIds[bestTrial]];
        }
        return centers;
    }

    /** {@code _euclidean_distances(c, X, Y_norm_squared=x², squared=True)} for one centre. */
    private static void squaredDistances(double c, double[] xc, double[] xsq, double[] out) {
        double cc = c * c;
        for (int i = 0; i < xc.length; i++) {
            double d = (-2.0 * (c * xc[i]) + cc) + xsq[i];
            out[i] = d > 0 ? d : 0.0; // np.maximum(distances, 0)
        }
    }

    /** {@code np.searchsorted(a, v, side='left')}: first index with {@code a[i] >= v}. */
    private static int searchSortedLeft(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * {@code _kmeans_single_lloyd}: Lloyd iterations until the labels repeat ("strict convergence")
     * or the squared centre shift is {@code <= tol}; when not strictly converged, a last label-only
     * pass against the final centres.
     */
    private static int[] lloyd(double[] xc, double[] centersInit, double tol) {
        int n = xc.length;
        int k = centersInit.length;
        double[] centers = centersInit.clone();
        double[] centersNew = new double[k];
        double[] weightInClusters = new double[k];
        double[] centerShift = new double[k];
        double[] shiftSquared = new double[k];
        int[] labels = new int[n];
        int[] labelsOld = new int[n];
        Arrays.fill(labels, -1);
        Arrays.fill(labelsOld, -1);
        boolean strictConvergence = false;
        for (int iter = 0; iter < KMEANS_MAX_ITER; iter++) {
            lloydIter(xc, centers, centersNew, weightInClusters, labels, centerShift, true);
            double[] swap = centers;
            centers = centersNew;
            centersNew = swap;
            if (Arrays.equals(labels, labelsOld)) {
                strictConvergence = true;
                break;
            }
            for (int j = 0; j < k; j++) {
                shiftSquared[j] = centerShift[j] * centerShift[j];
            }
            if (numpySum(shiftSquared) <= tol) { // (center_shift**2).sum() <= tol
                break;
            }
            System.arraycopy(labels, 0, labelsOld, 0, n);
        }
        if (!strictConvergence) {
            lloydIter(xc, centers, centers, weightInClusters, labels, centerShift, false);
        }
        return labels;
    }

    /**
     * One {@code lloyd_iter_chunked_dense} pass with unit sample weights, as one OpenMP thread runs
     * it. Distances use the GEMM form {@code c² + (-2·(x·c))} (the {@code ||x||²} term is dropped),
     * ties go to the lower cluster index, sums are sequential in sample order; then {@code
     * _relocate_empty_clusters_dense}, {@code _average_centers} (multiply by {@code 1/weight}) and
     * {@code _center_shift}.
     */
    private static void lloydIter(
            double[] xc,
            double[] centersOld,
            double[] centersNew,
            double[] weightInClusters,
            int[] labels,
            double[] centerShift,
            boolean updateCenters) {
        int n = xc.length;
        int k = centersOld.length;
        double[] cc = new double[k];
        for (int j = 0; j < k; j++) {
            cc[j] = centersOld[j] * centersOld[j];
        }
        if (updateCenters) {
            Arrays.fill(centersNew, 0.0);
            Arrays.fill(weightInClusters, 0.0);
        }
        for (int i = 0; i < n; i++) {
            double xi = xc[i];
            double minSqDist = cc[0] + -2.0 * (xi * centersOld[0]);
            int label = 0;
            for (int j = 1; j < k; j++) {
                double sqDist = cc[j] + -2.0 * (xi * centersOld[j]);
                if (sqDist < minSqDist) {
                    minSqDist = sqDist;
                    label = j;
                }
            }
            labels[i] = label;
            if (updateCenters) {
                weightInClusters[label] += 1.0;
                centersNew[label] += xi * 1.0;
            }
        }
        if (!updateCenters) {
            return;
        }
        relocateEmptyClusters(xc, centersOld, centersNew, weightInClusters, labels);
        for (int j = 0; j < k; j++) {
            if (weightInClusters[j] > 0) {
                double alpha = 1.0 / weightInClusters[j];
                centersNew[j] *= alpha;
            }
        }
        for (int j = 0; j < k; j++) {
            double d = centersNew[j] - centersOld[j];
            centerShift[j] = Math.sqrt(0.0 + d * d);
        }
    }

    /**
     * {@code _relocate_empty_clusters_dense} (sklearn 1.2.1, which relocates even when every
     * distance is zero): each empty cluster takes the sample farthest from its centre. The far
     * samples come from {@code np.argpartition(distances, -n_empty)[:-n_empty-1:-1]}; for one empty
     * cluster this reproduces numpy 1.24's introselect exactly (a selection sort for n ≤ 3, else
     * the <em>last</em> index of the maximum). For several empty clusters at once (k ≥ 3 only) it
     * takes the largest distances, later index first on ties, which matches numpy whenever the
     * distances are distinct or all samples coincide (e.g. a constant array, where the choice does
     * not change the fit).
     */
    private static void relocateEmptyClusters(
            double[] xc,
            double[] centersOld,
            double[] centersNew,
            double[] weightInClusters,
            int[] labels) {
        int k = centersOld.length;
        int nEmpty = 0;
        for (int j = 0; j < k; j++) {
            if (weightInClusters[j] == 0) {
                nEmpty++;
            }
        }
        if (nEmpty == 0) {
            return;
        }
        int n = xc.length;
        double[] distances = new double[n];
        for (int i = 0; i < n; i++) {
            double d = xc[i] - centersOld[labels[i]];
            distances[i] = d * d;
        }
        int[] far = farthest(distances, nEmpty);
        int idx = 0;
        for (int j = 0; j < k; j++) {
            if (weightInClusters[j] != 0) {
                continue;
            }
            int farIdx = far[idx++];
            int oldCluster = labels[farIdx];
            centersNew[oldCluster] -= xc[farIdx] * 1.0;
            centersNew[j] = xc[farIdx] * 1.0;
            weightInClusters[j] = 1.0;
            weightInClusters[oldCluster] -= 1.0;
        }
    }

    /** Indices {@code np.argpartition(d, -m)[:-m-1:-1]} (see {@link #relocateEmptyClusters}). */
    private static int[] farthest(double[] d, int m) {
        int n = d.length;
        if (m == 1) {
            if (n <= 3) {
                // numpy dumb_select for kth = n - 1 < 3: selection sort of the index array
                int[] idx = new int[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = i;
                }
                for (int i = 0; i < n; i++) {
                    int minPos = i;
                    double minVal = d[idx[i]];
                    for (int t = i + 1; t < n; t++) {
                        if (d[idx[t]] < minVal) {
                            minPos = t;
                            minVal = d[idx[t]];
                        }
                    }
                    int tmp = idx[i];
                    idx[i] = idx[minPos];
                    idx[minPos] = tmp;
                }
                return new int[] {idx[n - 1]};
            }
            // introselect with kth == num - 1 on floats: last index whose value is not below the
            // max
            int maxIdx = 0;
            double maxVal = d[0];
            for (int t = 1; t < n; t++) {
                if (!(d[t] < maxVal)) {
                    maxIdx = t;
                    maxVal = d[t];
                }
            }
            return new int[] {maxIdx};
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) -> {
                    int c = Double.compare(d[b], d[a]);
                    return c != 0 ? c : Integer.compare(b, a);
                });
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = order[i];
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // KMeans on float32 data: the same steps with sklearn's float32 arithmetic

    /**
     * {@code KMeans(...).fit(x32).labels_} for a float32 array: {@code np.mean}/{@code np.var} with
     * float32 pairwise sums (the tolerance is then {@code float64(var32) * 1e-4}), float32
     * centring, and float32 k-means++ and Lloyd steps. Package-private for tests.
     */
    static int[] kmeansLabelsFloat32(float[] x, int k, long seed) {
        int n = x.length;
        float mean = numpySum(x) / (float) n;
        float[] xc = new float[n];
        for (int i = 0; i < n; i++) {
            float d = x[i] - mean;
            xc[i] = d * d;
        }
        double tol = (double) (numpySum(xc) / (float) n) * KMEANS_TOL;
        for (int i = 0; i < n; i++) {
            xc[i] = x[i] - mean;
        }
        float[] centers = kmeansPlusPlusFloat32(xc, k, new NumpyMt19937(seed));
        return lloydFloat32(xc, centers, tol);
    }

    /**
     * {@code _kmeans_plusplus} on float32 data. {@code _euclidean_distances} ignores float32 norms
     * and goes through {@code _euclidean_distances_upcast}: each squared distance is computed in
     * float64 from the widened values and rounded to float32. Potentials are float32 sums; the
     * cumulative sum is float64 ({@code stable_cumsum(dtype=float64)}) and the draws are float64
     * times the float32 potential.
     */
    private static float[] kmeansPlusPlusFloat32(float[] xc, int k, NumpyMt19937 rng) {
        int n = xc.length;
        float[] centers = new float[k];
        int nLocalTrials = 2 + (int) Math.log(k);

        int first = (int) rng.randint(n);
        centers[0] = xc[first];
        float[] closest = new float[n];
        squaredDistancesUpcast(xc[first], xc, closest);
        float currentPot = numpySum(closest);
        if (k == 1) {
            return centers;
        }
        double[] cumsum = new double[n];
        float[][] candidateDist = new float[nLocalTrials][n];
        int[] candidateIds = new int[nLocalTrials];
        for (int c = 1; c < k; c++) {
            double[] randVals = rng.uniform(nLocalTrials);
            double acc = 0.0;
            for (int i = 0; i < n; i++) {
                acc += closest[i];
                cumsum[i] = acc;
            }
            for (int t = 0; t < nLocalTrials; t++) {
                int id = searchSortedLeft(cumsum, randVals[t] * (double) currentPot);
                candidateIds[t] = Math.min(id, n - 1);
            }
            int bestTrial = 0;
            float bestPot = Float.NaN;
            for (int t = 0; t < nLocalTrials; t++) {
                float[] d = candidateDist[t];
                squaredDistancesUpcast(xc[candidateIds[t]], xc, d);
                for (int i = 0; i < n; i++) {
                    d[i] = Math.min(closest[i], d[i]);
                }
                float pot = numpySum(d);
                if (t == 0 || pot < bestPot) {
                    bestPot = pot;
                    bestTrial = t;
                }
            }
            currentPot = bestPot;
            System.arraycopy(candidateDist[bestTrial], 0, closest, 0, n);
            centers[c] = xc[candidateIds[bestTrial]];
        }
        return centers;
    }

    /** {@code _euclidean_distances_upcast} for one centre: float64 arithmetic, float32 result. */
    private static void squaredDistancesUpcast(float c, float[] xc, float[] out) {
        double c64 = c;
        double cc = c64 * c64;
        for (int i = 0; i < xc.length; i++) {
            double x64 = xc[i];
            float d = (float) ((-2.0 * (c64 * x64) + cc) + x64 * x64);
            out[i] = d > 0 ? d : 0.0f;
        }
    }

    /** {@link #lloyd} with float32 centres, sums and shifts; the tolerance stays float64. */
    private static int[] lloydFloat32(float[] xc, float[] centersInit, double tol) {
        int n = xc.length;
        int k = centersInit.length;
        float[] centers = centersInit.clone();
        float[] centersNew = new float[k];
        float[] weightInClusters = new float[k];
        float[] centerShift = new float[k];
        float[] shiftSquared = new float[k];
        int[] labels = new int[n];
        int[] labelsOld = new int[n];
        Arrays.fill(labels, -1);
        Arrays.fill(labelsOld, -1);
        boolean strictConvergence = false;
        for (int iter = 0; iter < KMEANS_MAX_ITER; iter++) {
            lloydIterFloat32(xc, centers, centersNew, weightInClusters, labels, centerShift, true);
            float[] swap = centers;
            centers = centersNew;
            centersNew = swap;
            if (Arrays.equals(labels, labelsOld)) {
                strictConvergence = true;
                break;
            }
            for (int j = 0; j < k; j++) {
                shiftSquared[j] = centerShift[j] * centerShift[j];
            }
            if (numpySum(shiftSquared) <= tol) {
                break;
            }
            System.arraycopy(labels, 0, labelsOld, 0, n);
        }
        if (!strictConvergence) {
            lloydIterFloat32(xc, centers, centers, weightInClusters, labels, centerShift, false);
        }
        return labels;
    }

    /**
     * {@link #lloydIter} in float32, as the Cython kernel compiled for {@code floating = float}
     * runs it: {@code sgemm} distances, float32 accumulators, and {@code alpha = 1.0 / weight}
     * evaluated in double (the literal is a C double) before it is stored in a float.
     */
    private static void lloydIterFloat32(
            float[] xc,
            float[] centersOld,
            float[] centersNew,
            float[] weightInClusters,
            int[] labels,
            float[] centerShift,
            boolean updateCenters) {
        int n = xc.length;
        int k = centersOld.length;
        float[] cc = new float[k];
        for (int j = 0; j < k; j++) {
            cc[j] = centersOld[j] * centersOld[j];
        }
        if (updateCenters) {
            Arrays.fill(centersNew, 0.0f);
            Arrays.fill(weightInClusters, 0.0f);
        }
        for (int i = 0; i < n; i++) {
            float xi = xc[i];
            float minSqDist = cc[0] + -2.0f * (xi * centersOld[0]);
            int label = 0;
            for (int j = 1; j < k; j++) {
                float sqDist = cc[j] + -2.0f * (xi * centersOld[j]);
                if (sqDist < minSqDist) {
                    minSqDist = sqDist;
                    label = j;
                }
            }
            labels[i] = label;
            if (updateCenters) {
                weightInClusters[label] += 1.0f;
                centersNew[label] += xi * 1.0f;
            }
        }
        if (!updateCenters) {
            return;
        }
        int nEmpty = 0;
        for (int j = 0; j < k; j++) {
            if (weightInClusters[j] == 0) {
                nEmpty++;
            }
        }
        if (nEmpty > 0) {
            double[] distances = new double[n]; // float32 values, widened exactly for the selection
            for (int i = 0; i < n; i++) {
                float d = xc[i] - centersOld[labels[i]];
                distances[i] = d * d;
            }
            int[] far = farthest(distances, nEmpty);
            int idx = 0;
            for (int j = 0; j < k; j++) {
                if (weightInClusters[j] != 0) {
                    continue;
                }
                int farIdx = far[idx++];
                int oldCluster = labels[farIdx];
                centersNew[oldCluster] -= xc[farIdx] * 1.0f;
                centersNew[j] = xc[farIdx] * 1.0f;
                weightInClusters[j] = 1.0f;
                weightInClusters[oldCluster] -= 1.0f;
            }
        }
        for (int j = 0; j < k; j++) {
            if (weightInClusters[j] > 0) {
                float alpha = (float) (1.0 / (double) weightInClusters[j]);
                centersNew[j] *= alpha;
            }
        }
        for (int j = 0; j < k; j++) {
            float d = centersNew[j] - centersOld[j];
            centerShift[j] = (float) Math.sqrt(0.0f + d * d);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // numpy summation

    /**
     * {@code np.sum} of a contiguous float64 array: pairwise summation ({@code pairwise_sum} in
     * numpy's {@code loops_utils.h}) over blocks of 8192 elements (the ufunc buffer), blocks added
     * in order. Reproduces numpy bit for bit, which matters because the k-means++ potential scales
     * the random draws that pick centres.
     */
    static double numpySum(double[] a) {
        int n = a.length;
        if (n == 0) {
            return 0.0;
        }
        double s = 0.0;
        for (int lo = 0; lo < n; lo += NUMPY_BUFSIZE) {
            s += pairwiseSum(a, lo, Math.min(NUMPY_BUFSIZE, n - lo));
        }
        return s;
    }

    private static double pairwiseSum(double[] a, int off, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else if (n <= PW_BLOCKSIZE) {
            double r0 = a[off];
            double r1 = a[off + 1];
            double r2 = a[off + 2];
            double r3 = a[off + 3];
            double r4 = a[off + 4];
            double r5 = a[off + 5];
            double r6 = a[off + 6];
            double r7 = a[off + 7];
            int i;
            int end = n - (n % 8);
            for (i = 8; i < end; i += 8) {
                r0 += a[off + i];
                r1 += a[off + i + 1];
                r2 += a[off + i + 2];
                r3 += a[off + i + 3];
                r4 += a[off + i + 4];
                r5 += a[off + i + 5];
                r6 += a[off + i + 6];
                r7 += a[off + i + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
        }
    }

    /**
     * {@link #numpySum(double[])} for float32 arrays: numpy's float32 loop keeps float
     * accumulators.
     */
    static float numpySum(float[] a) {
        int n = a.length;
        float s = 0.0f;
        for (int lo = 0; lo < n; lo += NUMPY_BUFSIZE) {
            s += pairwiseSum(a, lo, Math.min(NUMPY_BUFSIZE, n - lo));
        }
        return s;
    }

    private static float pairwiseSum(float[] a, int off, int n) {
        if (n < 8) {
            float res = 0.0f;
            for (int i = 0; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else if (n <= PW_BLOCKSIZE) {
            float r0 = a[off];
            float r1 = a[off + 1];
            float r2 = a[off + 2];
            float r3 = a[off + 3];
            float r4 = a[off + 4];
            float r5 = a[off + 5];
            float r6 = a[off + 6];
            float r7 = a[off + 7];
            int i;
            int end = n - (n % 8);
            for (i = 8; i < end; i += 8) {
                r0 += a[off + i];
                r1 += a[off + i + 1];
                r2 += a[off + i + 2];
                r3 += a[off + i + 3];
                r4 += a[off + i + 4];
                r5 += a[off + i + 5];
                r6 += a[off + i + 6];
                r7 += a[off + i + 7];
            }
            float res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
        }
    }

    private static void checkFinite(double[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException("x[" + i + "] is not finite: " + x[i]);
            }
        }
    }
}
