package io.sfastream.sfa;

/**
 * One class's fitted selection (§2.2 steps 8–10): the float32 min–max normalisation of its raw
 * scores and the two-component GMM over the normalised values, or the mark that it had too few
 * scores for one. The batch face fits it on a whole epoch and applies it to the same scores (as the
 * reference's {@code get_gmm_prob}); the streaming face fits it on a reservoir of one epoch's
 * scores and applies it to the next epoch's arrivals, clipping their normalised value to [0, 1].
 *
 * <p>Plain data (public fields, no-arg constructor, primitive arrays) for Flink's POJO serializer.
 */
public class ClassSelectionModel {
    /**
     * Too few scores for the class's own GMM ({@link SfaParams#minScoresForGmm()}); the GMM arrays
     * are null.
     */
    public boolean tiny;

    /** How many scores the normalisation and the GMM were fitted on. */
    public int fittedOn;

    /** The minimum raw score, as float32 (the reference normalises a float32 array). */
    public float scoreMin;

    /**
     * max − min of the raw scores in float32; 0 when all scores are equal (then nothing is
     * divided).
     */
    public float scoreRange;

    /** GMM component means (sklearn's component order); null when {@link #tiny}. */
    public double[] gmmMeans;

    /** GMM component variances ({@code reg_covar} included); null when {@link #tiny}. */
    public double[] gmmVariances;

    /** GMM mixing weights; null when {@link #tiny}. */
    public double[] gmmWeights;

    /** EM rounds the fit ran. */
    public int gmmIterations;

    /** Whether EM converged within its iteration cap. */
    public boolean gmmConverged;

    /**
     * Evaluator built from the GMM arrays it was built from (not state: rebuilt after a restore).
     */
    private transient GaussianMixture1D.HigherMeanPosterior posterior;

    private transient double[] posteriorOf;

    public ClassSelectionModel() {}

    /**
     * The clean probability of one normalised score: the posterior of the higher-mean component,
     * bit for bit what {@code gmm().posteriorOfHigherMean} gives, without rebuilding the fit per
     * sample. Not thread-safe.
     */
    public double cleanProbability(double normalisedScore) {
        if (posterior == null || posteriorOf != gmmMeans) {
            posterior = gmm().higherMeanPosterior();
            posteriorOf = gmmMeans;
        }
        return posterior.at(normalisedScore);
    }

    /** Whether there is a GMM to judge with. */
    public boolean hasGmm() {
        return !tiny && gmmMeans != null;
    }

    /**
     * The reference's normalisation of one raw score, in float32: {@code (float) s − min}, divided
     * by the range when it is nonzero, then clipped to [0, 1] (a no-op for the scores the model was
     * fitted on).
     */
    public float normalise(double rawScore) {
        float v = (float) rawScore - scoreMin;
        if (scoreRange != 0) {
            v /= scoreRange;
        }
        return Math.min(1f, Math.max(0f, v));
    }

    /** The GMM rebuilt from the stored parameters. */
    public GaussianMixture1D.Fit gmm() {
        if (!hasGmm()) {
            throw new IllegalStateException("no GMM: the class had " + fittedOn + " scores");
        }
        return GaussianMixture1D.Fit.fromParameters(gmmMeans, gmmVariances, gmmWeights);
    }

    /**
     * The mean of the component whose posterior is the clean probability (the higher mean); NaN
     * without a GMM.
     */
    public double cleanComponentMean() {
        return hasGmm() ? gmmMeans[gmm().higherMeanComponent()] : Double.NaN;
    }

    /** A deep copy. */
    public ClassSelectionModel copy() {
        ClassSelectionModel c = new ClassSelectionModel();
        c.tiny = tiny;
        c.fittedOn = fittedOn;
        c.scoreMin = scoreMin;
        c.scoreRange = scoreRange;
        c.gmmMeans = gmmMeans == null ? null : gmmMeans.clone();
        c.gmmVariances = gmmVariances == null ? null : gmmVariances.clone();
        c.gmmWeights = gmmWeights == null ? null : gmmWeights.clone();
        c.gmmIterations = gmmIterations;
        c.gmmConverged = gmmConverged;
        return c;
    }

    /** A compact binary form (for example inside a model snapshot's extras). */
    public byte[] toBytes() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeInt(1); // format
            out.writeBoolean(tiny);
            out.writeInt(fittedOn);
            out.writeFloat(scoreMin);
            out.writeFloat(scoreRange);
            writeDoubles(out, gmmMeans);
            writeDoubles(out, gmmVariances);
            writeDoubles(out, gmmWeights);
            out.writeInt(gmmIterations);
            out.writeBoolean(gmmConverged);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes {@link #toBytes()}.
     *
     * @throws IllegalArgumentException for bytes that are not such a model
     */
    public static ClassSelectionModel fromBytes(byte[] bytes) {
        try (java.io.DataInputStream in =
                new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != 1) {
                throw new IllegalArgumentException("unknown selection-model format " + format);
            }
            ClassSelectionModel m = new ClassSelectionModel();
            m.tiny = in.readBoolean();
            m.fittedOn = in.readInt();
            m.scoreMin = in.readFloat();
            m.scoreRange = in.readFloat();
            m.gmmMeans = readDoubles(in);
            m.gmmVariances = readDoubles(in);
            m.gmmWeights = readDoubles(in);
            m.gmmIterations = in.readInt();
            m.gmmConverged = in.readBoolean();
            if (in.available() > 0) {
                throw new IllegalArgumentException("trailing bytes after a selection model");
            }
            return m;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("truncated selection model", e);
        }
    }

    private static void writeDoubles(java.io.DataOutputStream out, double[] v)
            throws java.io.IOException {
        out.writeInt(v == null ? -1 : v.length);
        if (v != null) {
            for (double x : v) {
                out.writeDouble(x);
            }
        }
    }

    private static double[] readDoubles(java.io.DataInputStream in) throws java.io.IOException {
        int n = in.readInt();
        if (n < -1 || n > in.available() / Double.BYTES) {
            throw new IllegalArgumentException("corrupt selection model: length " + n);
        }
        if (n == -1) {
            return null;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }

    @Override
    public String toString() {
        return "ClassSelectionModel{tiny="
                + tiny
                + ", n="
                + fittedOn
                + ", min="
                + scoreMin
                + ", range="
                + scoreRange
                + (hasGmm()
                        ? ", means="
                                + java.util.Arrays.toString(gmmMeans)
                                + ", weights="
                                + java.util.Arrays.toString(gmmWeights)
                        : "")
                + '}';
    }
}
