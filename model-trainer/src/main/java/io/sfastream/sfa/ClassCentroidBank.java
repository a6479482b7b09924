package io.sfastream.sfa;

import java.util.Arrays;

/**
 * One network's per-class centroid moments (μ, s) and the centroids drawn from them at the last
 * selection epoch, plus the per-class steps that both faces share: the moment update in either
 * {@link MomentMode} ({@link #updateMoments}) and the draw of the centroid a class is scored
 * against ({@link #drawScoringCentroid}). The batch face ({@link SfaBatchSelection}) keeps one bank
 * per network; the streaming face keeps each class's {@link CentroidMoments} inside its {@link
 * SfaClassState} and calls the same static steps.
 *
 * <p>Reference ({@code eval_train} in {@code Train_cifar.py}, §2.2 steps 4–6):
 *
 * <pre>
 *   if epoch == warm_up + 1: cfeats_EMA = c;  cfeats_sq_EMA = c ** 2
 *   else:                    cfeats_EMA = beta * cfeats_EMA + (1 - beta) * c;  (same for c ** 2)
 *   std = sqrt(clip(cfeats_sq_EMA - mean ** 2, 1e-30, 1e30));  eps = np.random.normal(size=mean.shape)
 *   centroid[k] = mean[k] + std[k] * eps[k]  if class k had more than 300 confident samples, else mean[k]
 * </pre>
 *
 * and the logits of {@code sample_rate} draws are summed, which after the per-class min–max is the
 * same as scoring against the mean of the draws (the score is affine in x̂·c̃ with a positive
 * slope); so the scoring centroid of a sampled class is the mean of its R draws.
 *
 * <p>Guard: a class with no confident sample in an epoch has no instant centroid (the reference
 * gets a NaN mean and NaN scores); here it keeps its previous μ and s, and is not sampled that
 * epoch. A class that never had a confident sample has no centroid at all.
 *
 * <p>Plain data (public fields, no-arg constructor) so Flink can hold a bank as a POJO if it wants
 * to.
 */
public class ClassCentroidBank {
    /** Which network (0 or 1 under co-training) this bank belongs to; part of the ε seed. */
    public int network;

    /** Per class moments, indexed by label. */
    public CentroidMoments[] classes;

    /** The centroid each class was scored against at {@link #epoch}; a null row = no centroid. */
    public double[][] scoringCentroids;

    /**
     * Whether each class was sampled (scored against a drawn c̃ rather than μ) at {@link #epoch}.
     */
    public boolean[] sampled;

    /** Selection epoch of the last roll; 0 = never. */
    public int epoch;

    public ClassCentroidBank() {}

    public ClassCentroidBank(int numClasses, int network) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        this.network = network;
        this.classes = new CentroidMoments[numClasses];
        for (int k = 0; k < numClasses; k++) {
            classes[k] = new CentroidMoments();
        }
        this.scoringCentroids = new double[numClasses][];
        this.sampled = new boolean[numClasses];
    }

    /** What one class's roll produced. */
    public record CentroidDraw(double[] scoringCentroid, boolean sampled) {
        /** Whether the class has a centroid to be scored against. */
        public boolean hasCentroid() {
            return scoringCentroid != null;
        }
    }

    /**
     * One selection epoch for every class of this bank: updates the moments from the instant
     * centroids and draws each class's scoring centroid.
     *
     * @param instantCentroids per class c_k (null where the class had no confident sample)
     * @param confidentCounts per class n_k, the confident count that decides the sampled flag
     */
    public CentroidDraw[] roll(
            double[][] instantCentroids,
            long[] confidentCounts,
            int selectionEpoch,
            SfaParams params,
            CentroidNoise noise) {
        int c = classes.length;
        if (instantCentroids.length != c || confidentCounts.length != c) {
            throw new IllegalArgumentException(
                    "expected "
                            + c
                            + " classes, got "
                            + instantCentroids.length
                            + " centroids and "
                            + confidentCounts.length
                            + " counts");
        }
        CentroidDraw[] out = new CentroidDraw[c];
        for (int k = 0; k < c; k++) {
            out[k] =
                    rollClass(
                            classes[k],
                            instantCentroids[k],
                            confidentCounts[k],
                            selectionEpoch,
                            params,
                            noise,
                            network,
                            k);
            scoringCentroids[k] = out[k].scoringCentroid();
            sampled[k] = out[k].sampled();
        }
        epoch = selectionEpoch;
        return out;
    }

    /**
     * {@link #updateMoments} then {@link #drawScoringCentroid}: one class's whole epoch boundary.
     */
    public static CentroidDraw rollClass(
            CentroidMoments m,
            double[] instantCentroid,
            long confidentCount,
            int selectionEpoch,
            SfaParams params,
            CentroidNoise noise,
            int network,
            int classIndex) {
        if (instantCentroid != null) {
            updateMoments(m, instantCentroid, selectionEpoch, params);
        }
        return drawScoringCentroid(
                m,
                instantCentroid == null ? 0 : confidentCount,
                selectionEpoch,
                params,
                noise,
                network,
                classIndex);
    }

    /**
     * The moment update (§2.2 step 4, §2.3) with this epoch's instant centroid c:
     *
     * <ul>
     *   <li>{@link MomentMode#INTENDED_EMA}: μ = c, s = c² at the class's first centroid, then μ ←
     *       βμ + (1−β)c, s ← βs + (1−β)c². (The reference initialises at epoch warm-up + 1 only; a
     *       class whose first centroid comes later starts from c here rather than from (1−β)c.)
     *   <li>{@link MomentMode#REFERENCE_FAITHFUL}: at selection epochs ≤ warm-up + 1, μ = c, s =
     *       c²; later, μ = (1−β)c, s = (1−β)c² (the reference's moments are zero on entry every
     *       epoch).
     * </ul>
     *
     * @throws IllegalArgumentException if c has a non-finite value or a dimension other than μ's
     */
    public static void updateMoments(
            CentroidMoments m, double[] c, int selectionEpoch, SfaParams params) {
        for (int j = 0; j < c.length; j++) {
            if (!Double.isFinite(c[j])) {
                throw new IllegalArgumentException(
                        "instant centroid has a non-finite value (" + c[j] + ") at dimension " + j);
            }
        }
        if (m.mean != null && m.mean.length != c.length) {
            throw new IllegalArgumentException(
                    "feature dimension "
                            + c.length
                            + " differs from the class moments' "
                            + m.mean.length);
        }
        double beta = params.beta();
        boolean init =
                switch (params.momentMode()) {
                    case INTENDED_EMA -> m.mean == null;
                    case REFERENCE_FAITHFUL -> selectionEpoch <= params.firstSelectionEpoch();
                };
        double[] mu = new double[c.length];
        double[] s = new double[c.length];
        for (int j = 0; j < c.length; j++) {
            double cj = c[j];
            double c2 = cj * cj;
            if (init) {
                mu[j] = cj;
                s[j] = c2;
            } else if (params.momentMode() == MomentMode.REFERENCE_FAITHFUL) {
                // beta * 0 + (1 - beta) * c, exactly as numpy evaluates it on the zero arrays
                mu[j] = beta * 0.0 + (1 - beta) * cj;
                s[j] = beta * 0.0 + (1 - beta) * c2;
            } else {
                mu[j] = beta * m.mean[j] + (1 - beta) * cj;
                s[j] = beta * m.secondMoment[j] + (1 - beta) * c2;
            }
        }
        m.mean = mu;
        m.secondMoment = s;
        m.updatedAtEpoch = selectionEpoch;
        m.updates++;
    }

    /**
     * The centroid a class is scored against this epoch (§2.2 step 6): μ + σ ⊙ ε averaged over the
     * {@link SfaParams#sampleRate()} draws when the class is sampled (confident count greater than
     * {@link SfaParams#minSampledCount()}), else μ itself. Null when the class has no μ yet.
     */
    public static CentroidDraw drawScoringCentroid(
            CentroidMoments m,
            long confidentCount,
            int selectionEpoch,
            SfaParams params,
            CentroidNoise noise,
            int network,
            int classIndex) {
        if (m.mean == null) {
            return new CentroidDraw(null, false);
        }
        boolean sampled = confidentCount > params.minSampledCount();
        if (!sampled) {
            return new CentroidDraw(m.mean.clone(), false);
        }
        double[] sigma = CentroidGaussian.sigma(m.mean, m.secondMoment);
        int d = m.mean.length;
        int r = params.sampleRate();
        double[] eps = new double[d];
        double[] sum = null;
        for (int t = 0; t < r; t++) {
            noise.fill(network, classIndex, selectionEpoch, t, eps);
            double[] ct = CentroidGaussian.draw(m.mean, sigma, eps);
            if (sum == null) {
                sum = ct;
            } else {
                for (int j = 0; j < d; j++) {
                    sum[j] += ct[j];
                }
            }
        }
        if (r > 1) {
            for (int j = 0; j < d; j++) {
                sum[j] /= r;
            }
        }
        return new CentroidDraw(sum, true);
    }

    /** The instant centroid A/n, or null when n = 0. */
    public static double[] instantCentroid(double[] sum, long count) {
        if (count == 0 || sum == null) {
            return null;
        }
        double[] c = new double[sum.length];
        for (int j = 0; j < c.length; j++) {
            c[j] = sum[j] / count;
        }
        return c;
    }

    /** A deep copy. */
    public ClassCentroidBank copy() {
        ClassCentroidBank b = new ClassCentroidBank();
        b.network = network;
        b.epoch = epoch;
        b.classes = new CentroidMoments[classes.length];
        for (int k = 0; k < classes.length; k++) {
            b.classes[k] = classes[k].copy();
        }
        b.scoringCentroids = new double[scoringCentroids.length][];
        for (int k = 0; k < scoringCentroids.length; k++) {
            b.scoringCentroids[k] =
                    scoringCentroids[k] == null ? null : scoringCentroids[k].clone();
        }
        b.sampled = sampled.clone();
        return b;
    }

    @Override
    public String toString() {
        return "ClassCentroidBank{network="
                + network
                + ", classes="
                + classes.length
                + ", epoch="
                + epoch
                + ", sampled="
                + Arrays.toString(sampled)
                + '}';
    }

    /**
     * A compact, versioned binary form (for training snapshots); {@link #fromBytes} reads it back
     * exactly.
     */
    public byte[] toBytes() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeInt(1); // format
            out.writeInt(network);
            out.writeInt(epoch);
            out.writeInt(classes.length);
            for (int k = 0; k < classes.length; k++) {
                CentroidMoments m = classes[k];
                writeDoubles(out, m.mean);
                writeDoubles(out, m.secondMoment);
                out.writeInt(m.updatedAtEpoch);
                out.writeLong(m.updates);
                writeDoubles(out, scoringCentroids[k]);
                out.writeBoolean(sampled[k]);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ClassCentroidBank fromBytes(byte[] bytes) {
        try (java.io.DataInputStream in =
                new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != 1) {
                throw new IllegalArgumentException(
                        "centroid bank format " + format + " is not supported");
            }
            int network = in.readInt();
            int epoch = in.readInt();
            ClassCentroidBank b = new ClassCentroidBank(in.readInt(), network);
            b.epoch = epoch;
            for (int k = 0; k < b.classes.length; k++) {
                CentroidMoments m = b.classes[k];
                m.mean = readDoubles(in);
                m.secondMoment = readDoubles(in);
                m.updatedAtEpoch = in.readInt();
                m.updates = in.readLong();
                b.scoringCentroids[k] = readDoubles(in);
                b.sampled[k] = in.readBoolean();
            }
            return b;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("corrupt centroid bank: " + e, e);
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
        if (n < 0) {
            return null;
        }
        if ((long) n * Double.BYTES > in.available()) {
            throw new java.io.EOFException("truncated");
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }
}
