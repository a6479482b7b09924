package io.sfastream.sfa;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * SFA's sample selection over a whole epoch at once: the reference's {@code eval_train} (§2.2) on
 * features that were already computed. Give it every training sample's feature f_i, noisy label ỹ_i
 * and ABC confidence a_i ({@code softmax(z2)[ỹ]}); it returns every sample's clean probability and
 * decision and the per-class counts N̂ for the Balanced Softmax. One instance is one network's
 * selector: it keeps that network's {@link ClassCentroidBank} across calls, so call it once per
 * selection epoch, in order.
 *
 * <p>Steps, as the reference runs them: m = mean of all features; x̂_i = (f_i − m)/‖f_i − m‖; a
 * sample is confident when a_i > τφ^epoch; c_k = mean of x̂ over class k's confident samples; the
 * moments and the scoring centroid c̃_k come from {@link ClassCentroidBank}; s_i = 2x̂_i·c̃_ỹi −
 * ‖c̃_ỹi‖² ({@link CentroidScore}); per class, min–max plus GMM ({@link CleanSampleSelector});
 * clean = p_i > p_threshold; N̂_k = clean count of class k.
 *
 * <p>Where it differs from the reference (only where the reference fails or is undefined): a class
 * with no confident sample keeps its previous moments (the reference gets NaN); a class that has
 * never had a centroid, or has fewer scores than {@link SfaParams#minScoresForGmm()}, is treated by
 * {@link SelectionBasis} rules instead of producing NaN or an sklearn error; {@link
 * Result#balancedCounts()} floors N̂ at 1.
 *
 * <p>Not thread-safe (it holds the bank).
 */
public final class SfaBatchSelection {
    private final SfaParams params;
    private final ClassCentroidBank bank;
    private final CleanSampleSelector selector;
    private NumpyLegacyNormal numpyNoise;

    /** Network 0, fresh moments. */
    public SfaBatchSelection(SfaParams params) {
        this(params, 0);
    }

    /** The given network (part of the ε seed), fresh moments. */
    public SfaBatchSelection(SfaParams params, int network) {
        this(params, new ClassCentroidBank(params.numClasses(), network));
    }

    /** Continues from a bank (for example one restored from a checkpoint). */
    public SfaBatchSelection(SfaParams params, ClassCentroidBank bank) {
        this.params = Objects.requireNonNull(params, "params");
        this.bank = Objects.requireNonNull(bank, "bank");
        if (bank.classes.length != params.numClasses()) {
            throw new IllegalArgumentException(
                    "bank has " + bank.classes.length + " classes, params " + params.numClasses());
        }
        this.selector = new CleanSampleSelector(params);
    }

    /**
     * Draws ε as the reference does, from numpy's legacy generator: each call of {@link #select}
     * consumes {@code sampleRate} blocks of {@code np.random.normal(size=(C, d))} from {@code rng},
     * whether or not a class is sampled, so {@code new NumpyLegacyNormal(s)} reproduces {@code
     * np.random.seed(s)} followed by the reference's draws. Without it, ε is {@link
     * CentroidNoise#seeded}.
     */
    public SfaBatchSelection withNumpyNoise(NumpyLegacyNormal rng) {
        this.numpyNoise = Objects.requireNonNull(rng, "rng");
        return this;
    }

    public SfaParams params() {
        return params;
    }

    /** This network's moments and last drawn centroids (plain data). */
    public ClassCentroidBank bank() {
        return bank;
    }

    /**
     * One class's outcome.
     *
     * @param instantCentroid c_k, the mean x̂ of the class's confident samples this epoch; null
     *     when none
     * @param hasCentroid whether the class had a centroid to be scored against
     * @param sampled whether that centroid was a draw
     * @param selection its fitted min–max and GMM; null without a centroid
     * @param cleanCount N̂_k, the clean samples of the class
     */
    public record ClassSummary(
            int classIndex,
            int samples,
            long confidentCount,
            double[] instantCentroid,
            boolean hasCentroid,
            boolean sampled,
            ClassSelectionModel selection,
            int cleanCount) {
        /** N̂_k floored at 1 (the Balanced Softmax needs log N̂_k finite). */
        public int balancedCount() {
            return Math.max(1, cleanCount);
        }
    }

    /**
     * The outcome of one selection epoch, per sample in input order, and per class.
     *
     * @param epoch the selection epoch
     * @param centringMean m, the mean of all features this epoch
     * @param score raw score s_i = 2x̂·c̃ − ‖c̃‖²; NaN where the class has no centroid
     * @param normalisedScore the min–max normalised score (float32, as the GMM saw it); NaN where
     *     none
     * @param cleanProbability posterior of the class's higher-mean GMM component (1 for fallbacks)
     * @param clean cleanProbability > pThreshold
     * @param confident a_i > τφ^epoch (every sample when no confidences were given)
     * @param basis what decided each sample
     * @param classes per class summaries, indexed by label
     */
    public record Result(
            int epoch,
            float[] centringMean,
            double[] score,
            float[] normalisedScore,
            double[] cleanProbability,
            boolean[] clean,
            boolean[] confident,
            SelectionBasis[] basis,
            ClassSummary[] classes) {

        /**
         * N̂_k, the reference's {@code tmp_img_num_list}: clean samples per class (0 for an empty
         * class).
         */
        public int[] cleanCounts() {
            int[] n = new int[classes.length];
            for (int k = 0; k < n.length; k++) {
                n[k] = classes[k].cleanCount();
            }
            return n;
        }

        /** N̂_k floored at 1, what the Balanced Softmax should use. */
        public int[] balancedCounts() {
            int[] n = new int[classes.length];
            for (int k = 0; k < n.length; k++) {
                n[k] = classes[k].balancedCount();
            }
            return n;
        }
    }

    /**
     * Runs one selection epoch.
     *
     * @param features one feature vector per sample (the backbone's f, not centred), all of one
     *     dimension
     * @param labels the noisy labels, in [0, C)
     * @param confidences the ABC confidence of each sample's noisy label, or null to count every
     *     sample as confident (then the centroid is the plain instant centroid of all the class's
     *     samples)
     * @param epoch the reference's 1-based epoch: it sets the confidence threshold τφ^epoch, the
     *     moment rule and the ε seed; the first selection epoch is {@link
     *     SfaParams#firstSelectionEpoch()}
     * @throws IllegalArgumentException for empty input, mismatched lengths, a label out of range, a
     *     NaN or infinite feature value (naming the sample and dimension) or confidence, or a
     *     feature dimension that differs within the input or from the moments of earlier epochs
     */
    public Result select(float[][] features, int[] labels, double[] confidences, int epoch) {
        int n = features.length;
        int c = params.numClasses();
        int d = validate(features, labels, confidences, epoch);

        // m: exact mean of all features (the reference: feats.mean(axis=0))
        double[] msum = new double[d];
        for (float[] f : features) {
            for (int j = 0; j < d; j++) {
                msum[j] += f[j];
            }
        }
        float[] mean = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] = (float) (msum[j] / n);
        }

        // x̂, the confident mask and the instant centroids
        double threshold = params.confidenceThreshold().at(epoch);
        float[][] xhat = new float[n][];
        boolean[] confident = new boolean[n];
        double[][] sums = new double[c][];
        long[] confidentCounts = new long[c];
        int[] samples = new int[c];
        for (int i = 0; i < n; i++) {
            xhat[i] = Vectors.centreAndNormalise(features[i], mean);
            int k = labels[i];
            samples[k]++;
            confident[i] = confidences == null || confidences[i] > threshold;
            if (confident[i]) {
                if (sums[k] == null) {
                    sums[k] = new double[d];
                }
                for (int j = 0; j < d; j++) {
                    sums[k][j] += xhat[i][j];
                }
                confidentCounts[k]++;
            }
        }
        double[][] instant = new double[c][];
        for (int k = 0; k < c; k++) {
            instant[k] = ClassCentroidBank.instantCentroid(sums[k], confidentCounts[k]);
        }

        // moments and scoring centroids
        CentroidNoise noise = noiseFor(c, d);
        ClassCentroidBank.CentroidDraw[] draws =
                bank.roll(instant, confidentCounts, epoch, params, noise);

        // raw scores, grouped per class in input order
        double[] score = new double[n];
        int[][] members = new int[c][];
        for (int k = 0; k < c; k++) {
            members[k] = new int[samples[k]];
        }
        int[] fill = new int[c];
        for (int i = 0; i < n; i++) {
            int k = labels[i];
            members[k][fill[k]++] = i;
            double[] ck = draws[k].scoringCentroid();
            score[i] = ck == null ? Double.NaN : CentroidScore.of(xhat[i], ck);
        }

        // per class selection
        ClassSelectionModel[] models = new ClassSelectionModel[c];
        float[][] raw = new float[c][];
        for (int k = 0; k < c; k++) {
            if (!draws[k].hasCentroid()) {
                continue;
            }
            raw[k] = new float[members[k].length];
            for (int t = 0; t < raw[k].length; t++) {
                raw[k][t] = (float) score[members[k][t]];
            }
            models[k] = selector.fit(raw[k]);
        }
        ClassSelectionModel pooled = pooledFit(models, raw);

        double[] prob = new double[n];
        boolean[] clean = new boolean[n];
        float[] normalised = new float[n];
        SelectionBasis[] basis = new SelectionBasis[n];
        ClassSummary[] summaries = new ClassSummary[c];
        for (int k = 0; k < c; k++) {
            int cleanCount = 0;
            if (models[k] == null) {
                for (int i : members[k]) {
                    prob[i] = 1.0;
                    clean[i] = true;
                    normalised[i] = Float.NaN;
                    basis[i] = SelectionBasis.NO_CENTROID;
                }
                cleanCount = members[k].length;
            } else {
                CleanSampleSelector.Judgement[] js = selector.judgeAll(models[k], pooled, raw[k]);
                for (int t = 0; t < js.length; t++) {
                    int i = members[k][t];
                    prob[i] = js[t].cleanProbability();
                    clean[i] = js[t].clean();
                    normalised[i] = js[t].normalisedScore();
                    basis[i] = js[t].basis();
                    cleanCount += clean[i] ? 1 : 0;
                }
            }
            summaries[k] =
                    new ClassSummary(
                            k,
                            samples[k],
                            confidentCounts[k],
                            instant[k],
                            draws[k].hasCentroid(),
                            draws[k].sampled(),
                            models[k],
                            cleanCount);
        }
        return new Result(epoch, mean, score, normalised, prob, clean, confident, basis, summaries);
    }

    private ClassSelectionModel pooledFit(ClassSelectionModel[] models, float[][] raw) {
        if (params.tinyClassFallback() != TinyClassFallback.POOLED) {
            return null;
        }
        boolean anyTiny = false;
        for (ClassSelectionModel m : models) {
            anyTiny |= m != null && m.tiny && m.fittedOn > 0;
        }
        if (!anyTiny) {
            return null;
        }
        List<float[]> parts = new ArrayList<>();
        for (int k = 0; k < models.length; k++) {
            if (models[k] != null && models[k].fittedOn > 0) {
                float[] v = new float[raw[k].length];
                for (int t = 0; t < v.length; t++) {
                    v[t] = models[k].normalise(raw[k][t]);
                }
                parts.add(v);
            }
        }
        return selector.fitPooled(parts);
    }

    private CentroidNoise noiseFor(int c, int d) {
        if (numpyNoise == null) {
            return CentroidNoise.seeded(params.seed());
        }
        double[][] blocks = new double[params.sampleRate()][];
        for (int r = 0; r < blocks.length; r++) {
            blocks[r] = numpyNoise.normal(Math.multiplyExact(c, d));
        }
        return (network, classIndex, ep, draw, eps) ->
                System.arraycopy(blocks[draw], classIndex * d, eps, 0, d);
    }

    private int validate(float[][] features, int[] labels, double[] confidences, int epoch) {
        int n = features.length;
        if (n == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (labels.length != n) {
            throw new IllegalArgumentException(
                    n + " feature vectors but " + labels.length + " labels");
        }
        if (confidences != null && confidences.length != n) {
            throw new IllegalArgumentException(
                    n + " feature vectors but " + confidences.length + " confidences");
        }
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch is 1-based, got " + epoch);
        }
        if (features[0] == null || features[0].length == 0) {
            throw new IllegalArgumentException("sample 0 has no feature vector");
        }
        int d = features[0].length;
        for (CentroidMoments m : bank.classes) {
            if (m.mean != null && m.mean.length != d) {
                throw new IllegalArgumentException(
                        "feature dimension "
                                + d
                                + " differs from the dimension "
                                + m.mean.length
                                + " of the centroid moments of earlier epochs");
            }
        }
        for (int i = 0; i < n; i++) {
            float[] f = features[i];
            if (f == null || f.length != d) {
                throw new IllegalArgumentException(
                        "sample "
                                + i
                                + " has dimension "
                                + (f == null ? 0 : f.length)
                                + ", expected "
                                + d);
            }
            for (int j = 0; j < d; j++) {
                if (!Float.isFinite(f[j])) {
                    throw new IllegalArgumentException(
                            "sample "
                                    + i
                                    + " has a non-finite feature value ("
                                    + f[j]
                                    + ") at dimension "
                                    + j);
                }
            }
            if (labels[i] < 0 || labels[i] >= params.numClasses()) {
                throw new IllegalArgumentException(
                        "sample "
                                + i
                                + " has label "
                                + labels[i]
                                + ", outside [0, "
                                + params.numClasses()
                                + ")");
            }
            if (confidences != null && Double.isNaN(confidences[i])) {
                throw new IllegalArgumentException("sample " + i + " has a NaN confidence");
            }
        }
        return d;
    }
}
