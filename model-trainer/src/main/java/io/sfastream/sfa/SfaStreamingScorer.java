package io.sfastream.sfa;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SFA's per-class selection for a stream (§7.3–7.6 of {@code shared/notes/sfa-algorithm.md}), over
 * state that is plain data ({@link SfaClassState}, one per class per network) so that a Flink
 * operator keyed by class can hold, checkpoint and evolve it. Same steps as the batch face ({@link
 * SfaBatchSelection}), through the same code ({@link ClassCentroidBank}, {@link CentroidScore},
 * {@link CleanSampleSelector}); what changes is when they run:
 *
 * <ul>
 *   <li><b>On arrival</b> ({@link #observe}): the sample is scored against the c̃ fixed at the last
 *       boundary and judged by the previous epoch's min–max (clipped to [0, 1]) and GMM; then, if
 *       its confidence is above τφ^e, its x̂ joins this epoch's sum A_k and count n_k, and its raw
 *       score is offered to this epoch's reservoir. Until the class has a centroid, or before its
 *       first fitted selection, it passes as clean with phase WARMUP.
 *   <li><b>At an epoch boundary</b> ({@link #roll}; the operator calls it from an event-time
 *       timer): the reservoir's scores give the selection for the next epoch (tiny classes get the
 *       fallback); N̂_k = clean decisions this epoch, floored at 1; c_k = A_k/n_k updates the
 *       moments, ε is drawn once from a seed of (run seed, network, class, epoch) and the sampled
 *       flag is set; then the accumulators reset. No centroid is made for a selection epoch inside
 *       the warm-up.
 * </ul>
 *
 * A sample whose epoch is past the state's rolls the state first (lazily), so a class that saw no
 * sample for a while still rolls, and a timer that fires after such a lazy roll does nothing. A
 * sample from an earlier epoch (late) is scored and accumulated into the current epoch.
 *
 * <p>The centring mean m is the caller's (§7.2: it travels with the model snapshot); pass null when
 * features are already centred.
 *
 * <p>Stateless apart from its settings; thread-safe.
 */
public final class SfaStreamingScorer {
    private final SfaParams params;
    private final CleanSampleSelector selector;
    private final CentroidNoise noise;

    /**
     * {epoch, τφ^epoch}; replaced, never mutated, so sharing the scorer across threads stays safe.
     */
    private volatile double[] thresholdCache = {Double.NaN, Double.NaN};

    public SfaStreamingScorer(SfaParams params) {
        this.params = Objects.requireNonNull(params, "params");
        this.selector = new CleanSampleSelector(params);
        this.noise = CentroidNoise.seeded(params.seed());
    }

    public SfaParams params() {
        return params;
    }

    /** A fresh state for one class of one network. */
    public SfaClassState newState(int classIndex, int network) {
        if (classIndex < 0 || classIndex >= params.numClasses()) {
            throw new IllegalArgumentException(
                    "class " + classIndex + " outside [0, " + params.numClasses() + ")");
        }
        SfaClassState s = new SfaClassState();
        s.classIndex = classIndex;
        s.network = network;
        return s;
    }

    /**
     * {@link #observe(SfaClassState, float[], float[], double, double, ClassSelectionModel)}
     * without a pooled fit.
     */
    public SfaVerdict observe(
            SfaClassState state,
            float[] feature,
            float[] centringMean,
            double confidence,
            double epoch) {
        return observe(state, feature, centringMean, confidence, epoch, null);
    }

    /**
     * Scores one arriving sample of this state's class, then accumulates it.
     *
     * @param feature the backbone feature f (not centred)
     * @param centringMean m of the model snapshot that produced f, or null if f is already centred
     * @param confidence the ABC confidence of the sample's label; pass 1 (or +∞) when there is
     *     none, to count every sample as confident
     * @param epoch the reference's 1-based epoch, possibly fractional: the threshold is τφ^epoch
     *     and the sample belongs to epoch ⌊epoch⌋ (pass {@code ReferenceEpoch.of(v)} for the
     *     reference's per-epoch threshold, {@code ReferenceEpoch.progress(v)} for one that grows
     *     through the epoch)
     * @param pooled the pooled selection of the previous epoch, used by tiny classes when the
     *     fallback is {@link TinyClassFallback#POOLED}; may be null
     * @throws IllegalArgumentException for a NaN/infinite feature value (naming the dimension), a
     *     dimension that differs from the state's or the mean's, a NaN confidence, or an epoch
     *     below 1
     */
    public SfaVerdict observe(
            SfaClassState state,
            float[] feature,
            float[] centringMean,
            double confidence,
            double epoch,
            ClassSelectionModel pooled) {
        if (centringMean != null && centringMean.length != feature.length) {
            throw new IllegalArgumentException(
                    "feature dimension "
                            + feature.length
                            + " differs from the centring mean's "
                            + centringMean.length);
        }
        int dim = state.dimension();
        if (dim != 0 && dim != feature.length) {
            throw new IllegalArgumentException(
                    "feature dimension "
                            + feature.length
                            + " differs from class "
                            + state.classIndex
                            + "'s "
                            + dim);
        }
        if (Double.isNaN(confidence)) {
            throw new IllegalArgumentException("confidence is NaN");
        }
        if (!(epoch >= 1) || Double.isInfinite(epoch)) {
            throw new IllegalArgumentException("epoch is 1-based and finite, got " + epoch);
        }
        int window = (int) Math.floor(epoch);
        if (state.epoch == 0) {
            startEpoch(state, window);
        } else if (window > state.epoch) {
            roll(state, window - 1);
        }

        // Hot path (one call per sample): x̂ = (f − m)/‖f − m‖ is never materialised. Pass 1 takes
        // ‖f − m‖² (and catches NaN/Inf); pass 2 forms each x̂_j exactly as
        // Vectors.centreAndNormalise does (float arithmetic), scores it against c̃ and folds it
        // into the epoch's sum, with no allocation. Both passes run on the Vector API when it is
        // there (VECTOR_KERNELS), with the same bits as the scalar loops.
        double squaredNorm =
                VECTOR_KERNELS
                        ? VectorKernels.squaredDistance(feature, centringMean)
                        : squaredDistance(feature, centringMean);
        if (!Double.isFinite(squaredNorm)) {
            Vectors.requireFinite(feature, "feature vector"); // names the dimension
            throw new IllegalArgumentException(
                    "feature vector's squared norm overflows: " + squaredNorm);
        }
        double norm = Math.sqrt(squaredNorm);
        float inv = norm > 0 ? (float) (1.0 / norm) : 1f;
        boolean confident = confidence > threshold(epoch);

        SfaVerdict verdict;
        if (state.centroid == null) {
            verdict =
                    new SfaVerdict(
                            SelectionBasis.NO_CENTROID,
                            1.0,
                            true,
                            Double.NaN,
                            Float.NaN,
                            confident,
                            state.epoch);
        } else {
            double[] c = state.centroid;
            if (c.length != feature.length) {
                throw new IllegalArgumentException(
                        "feature dimension "
                                + feature.length
                                + " differs from the centroid's "
                                + c.length);
            }
            double[] sum = confident ? confidentSum(state, feature.length) : null;
            double s =
                    VECTOR_KERNELS
                            ? VectorKernels.scoreAndAccumulate(feature, centringMean, c, sum, inv)
                            : scoreAndAccumulate(feature, centringMean, c, sum, inv);
            state.reservoir.offer((float) s, params.reservoirSize());
            if (state.selection == null) {
                verdict =
                        new SfaVerdict(
                                SelectionBasis.NO_SELECTION_YET,
                                1.0,
                                true,
                                s,
                                Float.NaN,
                                confident,
                                state.epoch);
            } else {
                CleanSampleSelector.Judgement j = selector.judge(state.selection, pooled, s);
                verdict =
                        new SfaVerdict(
                                j.basis(),
                                j.cleanProbability(),
                                j.clean(),
                                s,
                                j.normalisedScore(),
                                confident,
                                state.epoch);
            }
        }

        state.arrivals++;
        if (verdict.clean()) {
            state.judgedClean++;
        }
        if (confident) {
            if (state.centroid == null) {
                double[] sum = confidentSum(state, feature.length);
                if (VECTOR_KERNELS) {
                    VectorKernels.accumulate(feature, centringMean, sum, inv);
                } else {
                    accumulate(feature, centringMean, sum, inv);
                }
            }
            state.confidentCount++;
        }
        return verdict;
    }

    // ---- the two passes over the feature. The scalar loops below are the reference; VectorKernels
    // does the same operations in the same order on 4-lane vectors, so both give identical bits.

    /**
     * Whether the passes run on the JDK's incubating Vector API ({@link VectorKernels}): only when
     * the JVM was started with {@code --add-modules jdk.incubator.vector} and has hardware vectors
     * of at least 256 bits; otherwise the scalar loops run (same results, about 3× slower at d =
     * 512). Decided once, when the class is initialised.
     */
    static final boolean VECTOR_KERNELS = vectorKernelsUsable();

    private static boolean vectorKernelsUsable() {
        // Checked before VectorKernels is touched: without the module its class cannot be loaded.
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorKernels.usable();
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /**
     * 2 x̂·c̃ − ‖c̃‖² ({@link CentroidScore}) with x̂_j = (float) ((f_j − m_j) · inv), adding x̂ to
     * {@code sum} (A_k) in the same pass when it is not null.
     *
     * <p>Association (what VectorKernels reproduces): lane l ∈ {0..3} sums the terms of dimensions
     * j ≡ l (mod 4) below n − n mod 4, in order; the last n mod 4 terms go into lane 0; the lanes
     * are combined as (l0 + l1) + (l2 + l3). Four independent partial sums because floating-point
     * adds are not reassociated by the JIT, so one running sum would be bound by the add latency.
     */
    private static double scoreAndAccumulate(
            float[] f, float[] m, double[] c, double[] sum, float inv) {
        double d0 = 0, d1 = 0, d2 = 0, d3 = 0;
        double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        int n = f.length;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            float x0 = (m == null ? f[j] : f[j] - m[j]) * inv;
            float x1 = (m == null ? f[j + 1] : f[j + 1] - m[j + 1]) * inv;
            float x2 = (m == null ? f[j + 2] : f[j + 2] - m[j + 2]) * inv;
            float x3 = (m == null ? f[j + 3] : f[j + 3] - m[j + 3]) * inv;
            d0 += x0 * c[j];
            d1 += x1 * c[j + 1];
            d2 += x2 * c[j + 2];
            d3 += x3 * c[j + 3];
            c0 += c[j] * c[j];
            c1 += c[j + 1] * c[j + 1];
            c2 += c[j + 2] * c[j + 2];
            c3 += c[j + 3] * c[j + 3];
            if (sum != null) {
                sum[j] += x0;
                sum[j + 1] += x1;
                sum[j + 2] += x2;
                sum[j + 3] += x3;
            }
        }
        for (; j < n; j++) {
            float x = (m == null ? f[j] : f[j] - m[j]) * inv;
            d0 += x * c[j];
            c0 += c[j] * c[j];
            if (sum != null) {
                sum[j] += x;
            }
        }
        double dot = (d0 + d1) + (d2 + d3);
        double cc = (c0 + c1) + (c2 + c3);
        return 2 * dot - cc;
    }

    /**
     * ‖f − m‖² (‖f‖² when m is null) in double, associated as in {@link #scoreAndAccumulate}; NaN
     * or infinite when f holds such a value. (double) a * a is exact for a float a, so only the
     * adds round.
     */
    private static double squaredDistance(float[] f, float[] m) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = f.length;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            float a = m == null ? f[j] : f[j] - m[j];
            float b = m == null ? f[j + 1] : f[j + 1] - m[j + 1];
            float c = m == null ? f[j + 2] : f[j + 2] - m[j + 2];
            float d = m == null ? f[j + 3] : f[j + 3] - m[j + 3];
            s0 += (double) a * a;
            s1 += (double) b * b;
            s2 += (double) c * c;
            s3 += (double) d * d;
        }
        for (; j < n; j++) {
            float a = m == null ? f[j] : f[j] - m[j];
            s0 += (double) a * a;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** sum += x̂ (warm-up: no centroid to score against yet). */
    private static void accumulate(float[] f, float[] m, double[] sum, float inv) {
        for (int j = 0; j < f.length; j++) {
            sum[j] += (m == null ? f[j] : f[j] - m[j]) * inv;
        }
    }

    /** The scalar kernels, for tests that compare them with {@link VectorKernels}. */
    static double scalarSquaredDistance(float[] f, float[] m) {
        return squaredDistance(f, m);
    }

    static double scalarScoreAndAccumulate(
            float[] f, float[] m, double[] c, double[] sum, float inv) {
        return scoreAndAccumulate(f, m, c, sum, inv);
    }

    static void scalarAccumulate(float[] f, float[] m, double[] sum, float inv) {
        accumulate(f, m, sum, inv);
    }

    /**
     * The passes on {@code jdk.incubator.vector}: 4 float lanes (128 bits) widened to 4 double
     * lanes (256 bits), so lane l holds exactly the partial sum the scalar loops keep in their l-th
     * variable, and the same lane combination and tail follow. Every lane operation is the IEEE
     * operation the scalar code does (float subtract and multiply, exact widening, double multiply
     * then add: no fused multiply-add), so the results are bit for bit the scalar ones on any
     * hardware. Only loaded when the module is in the boot layer ({@link #VECTOR_KERNELS}).
     */
    static final class VectorKernels {
        private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
        private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;

        private VectorKernels() {}

        /** Worth it only where 256-bit double vectors are hardware (else they are emulated). */
        static boolean usable() {
            return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= D.vectorBitSize();
        }

        private static DoubleVector centred(float[] f, float[] m, int j) {
            FloatVector y = FloatVector.fromArray(F, f, j);
            if (m != null) {
                y = y.sub(FloatVector.fromArray(F, m, j));
            }
            return (DoubleVector) y.convertShape(VectorOperators.F2D, D, 0);
        }

        private static DoubleVector normalised(float[] f, float[] m, int j, float inv) {
            FloatVector y = FloatVector.fromArray(F, f, j);
            if (m != null) {
                y = y.sub(FloatVector.fromArray(F, m, j));
            }
            return (DoubleVector) y.mul(inv).convertShape(VectorOperators.F2D, D, 0);
        }

        static double squaredDistance(float[] f, float[] m) {
            int n = f.length;
            int bound = n & ~3;
            DoubleVector acc = DoubleVector.zero(D);
            for (int j = 0; j < bound; j += 4) {
                DoubleVector y = centred(f, m, j);
                acc = acc.add(y.mul(y));
            }
            double s0 = acc.lane(0);
            for (int j = bound; j < n; j++) {
                float a = m == null ? f[j] : f[j] - m[j];
                s0 += (double) a * a;
            }
            return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
        }

        static double scoreAndAccumulate(
                float[] f, float[] m, double[] c, double[] sum, float inv) {
            int n = f.length;
            int bound = n & ~3;
            DoubleVector dot = DoubleVector.zero(D);
            DoubleVector cc = DoubleVector.zero(D);
            for (int j = 0; j < bound; j += 4) {
                DoubleVector x = normalised(f, m, j, inv);
                DoubleVector cv = DoubleVector.fromArray(D, c, j);
                dot = dot.add(x.mul(cv));
                cc = cc.add(cv.mul(cv));
                if (sum != null) {
                    DoubleVector.fromArray(D, sum, j).add(x).intoArray(sum, j);
                }
            }
            double d0 = dot.lane(0);
            double c0 = cc.lane(0);
            for (int j = bound; j < n; j++) {
                float x = (m == null ? f[j] : f[j] - m[j]) * inv;
                d0 += x * c[j];
                c0 += c[j] * c[j];
                if (sum != null) {
                    sum[j] += x;
                }
            }
            double d = (d0 + dot.lane(1)) + (dot.lane(2) + dot.lane(3));
            double k = (c0 + cc.lane(1)) + (cc.lane(2) + cc.lane(3));
            return 2 * d - k;
        }

        static void accumulate(float[] f, float[] m, double[] sum, float inv) {
            int n = f.length;
            int bound = n & ~3;
            for (int j = 0; j < bound; j += 4) {
                DoubleVector.fromArray(D, sum, j).add(normalised(f, m, j, inv)).intoArray(sum, j);
            }
            for (int j = bound; j < n; j++) {
                sum[j] += (m == null ? f[j] : f[j] - m[j]) * inv;
            }
        }
    }

    private static double[] confidentSum(SfaClassState state, int dim) {
        if (state.confidentSum == null) {
            state.confidentSum = new double[dim];
        }
        return state.confidentSum;
    }

    /**
     * τφ^epoch, cached for the last epoch value seen (Math.pow per sample showed up in the
     * benchmark).
     */
    private double threshold(double epoch) {
        double[] cached = thresholdCache;
        if (cached[0] != epoch) {
            cached = new double[] {epoch, params.confidenceThreshold().at(epoch)};
            thresholdCache = cached;
        }
        return cached[1];
    }

    /**
     * What one class's boundary produced.
     *
     * @param classIndex the class
     * @param network the network
     * @param endedEpoch the epoch whose samples were rolled up
     * @param arrivals samples seen in it
     * @param confidentCount n_k
     * @param hasCentroid whether the class now has a centroid for the next epoch
     * @param sampled whether that centroid is a draw
     * @param selection the selection fitted on the ended epoch's scores (null if the class had no
     *     centroid then)
     * @param balancedCount N̂_k for the next epoch (≥ 1): send it to the trainer
     * @param normalisedScores the reservoir's scores normalised by {@code selection}, for a pooled
     *     fit ({@link #fitPooled}); empty when there are none
     */
    public record RollSummary(
            int classIndex,
            int network,
            int endedEpoch,
            long arrivals,
            long confidentCount,
            boolean hasCentroid,
            boolean sampled,
            ClassSelectionModel selection,
            long balancedCount,
            float[] normalisedScores) {}

    /**
     * Closes epoch {@code endedEpoch} for this class (the boundary at its end). Empty when the
     * state has already moved past it (a lazy roll on a later arrival did it). If the state is
     * still in an earlier epoch (no arrivals since), that epoch is rolled first and the epochs in
     * between count as empty; an empty epoch keeps the moments, is not sampled, and leaves the
     * class with the tiny-class fallback and N̂ = 1.
     */
    public Optional<RollSummary> roll(SfaClassState state, int endedEpoch) {
        if (endedEpoch < 1) {
            throw new IllegalArgumentException("epoch is 1-based, got " + endedEpoch);
        }
        if (state.epoch == 0) {
            startEpoch(state, endedEpoch);
        }
        if (state.epoch > endedEpoch) {
            return Optional.empty();
        }
        RollSummary summary = rollOne(state);
        if (state.epoch <= endedEpoch) {
            // one or more epochs without arrivals: rolling an empty epoch twice gives the same
            // state as once
            state.epoch = endedEpoch;
            summary = rollOne(state);
        }
        return Optional.of(summary);
    }

    /**
     * The pooled fallback selection (§7.5) from the {@link RollSummary#normalisedScores()} of every
     * class of one network at one boundary, in label order. A caller that wants {@link
     * TinyClassFallback#POOLED} gathers them (for example a non-keyed operator after the
     * class-keyed scorer), fits, and passes the result to {@link #observe} for the next epoch. Null
     * when there are fewer than two scores.
     */
    public ClassSelectionModel fitPooled(List<float[]> normalisedScoresInLabelOrder) {
        return selector.fitPooled(normalisedScoresInLabelOrder);
    }

    private RollSummary rollOne(SfaClassState state) {
        int ended = state.epoch;
        int selectionEpoch = ended + 1;

        // selection for the next epoch, from this epoch's scores (only if scores could be made)
        float[] normalised = new float[0];
        if (state.centroid != null) {
            float[] raw = state.reservoir.toArray();
            state.selection = selector.fit(raw);
            if (raw.length > 0) {
                normalised = new float[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    normalised[i] = state.selection.normalise(raw[i]);
                }
            }
        }
        long balanced = Math.max(1, state.judgedClean);

        // centroid for the next epoch
        if (selectionEpoch >= params.firstSelectionEpoch()) {
            double[] c =
                    ClassCentroidBank.instantCentroid(state.confidentSum, state.confidentCount);
            ClassCentroidBank.CentroidDraw draw =
                    ClassCentroidBank.rollClass(
                            state.moments,
                            c,
                            state.confidentCount,
                            selectionEpoch,
                            params,
                            noise,
                            state.network,
                            state.classIndex);
            state.centroid = draw.scoringCentroid();
            state.sampled = draw.sampled();
            state.centroidEpoch = draw.hasCentroid() ? selectionEpoch : 0;
        }
        RollSummary summary =
                new RollSummary(
                        state.classIndex,
                        state.network,
                        ended,
                        state.arrivals,
                        state.confidentCount,
                        state.centroid != null,
                        state.sampled,
                        state.selection == null ? null : state.selection.copy(),
                        balanced,
                        normalised);

        state.balancedCount = balanced;
        startEpoch(state, selectionEpoch);
        return summary;
    }

    private void startEpoch(SfaClassState state, int epoch) {
        state.epoch = epoch;
        state.confidentSum = null;
        state.confidentCount = 0;
        state.arrivals = 0;
        state.judgedClean = 0;
        if (state.reservoir == null) {
            state.reservoir = new ScoreReservoir();
        }
        state.reservoir.reset(
                SeedMixer.derive(
                        params.seed(),
                        SeedMixer.RESERVOIR,
                        state.network,
                        state.classIndex,
                        epoch));
    }
}
