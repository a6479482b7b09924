package io.sfastream.sfa;

/**
 * Everything the streaming face keeps for one class of one network: what it accumulates within the
 * current epoch, the centroid moments that persist across epochs, and the centroid and selection
 * fixed at the last epoch boundary (§7.3–7.6 of {@code shared/notes/sfa-algorithm.md}). A Flink
 * operator keyed by class holds one per network in keyed state; {@link SfaStreamingScorer} is the
 * only code that changes it.
 *
 * <p>Plain data: public fields of primitive, primitive-array or POJO type and a public no-arg
 * constructor, so Flink's POJO serializer holds, checkpoints and evolves it (never Kryo). Add new
 * fields with defaults that mean "absent" to stay restore-compatible.
 */
public class SfaClassState {
    /** The class (label) this state belongs to; part of every seed. */
    public int classIndex;

    /** The network (0, or 1 under co-training); part of every seed. */
    public int network;

    /** The 1-based epoch being accumulated; 0 before the first sample or boundary. */
    public int epoch;

    // ---- accumulated within the current epoch, reset at each boundary
    /**
     * A_k: sum of the confident samples' x̂; null until the first confident sample of the epoch.
     */
    public double[] confidentSum;

    /** n_k: confident samples this epoch. */
    public long confidentCount;

    /** Samples seen this epoch. */
    public long arrivals;

    /** Samples judged clean this epoch (becomes N̂_k at the boundary). */
    public long judgedClean;

    /** A bounded sample of this epoch's raw scores (for the next selection). */
    public ScoreReservoir reservoir = new ScoreReservoir();

    // ---- persists across epochs
    /** μ and s of the class centroid. */
    public CentroidMoments moments = new CentroidMoments();

    // ---- fixed at the last boundary, used for this epoch's arrivals
    /** c̃_k, the centroid arrivals are scored against; null until the class has a centroid. */
    public double[] centroid;

    /**
     * Whether {@link #centroid} is a draw (the class had more than minSampledCount confident
     * samples).
     */
    public boolean sampled;

    /** The selection epoch {@link #centroid} was drawn for; 0 = none. */
    public int centroidEpoch;

    /** The min–max and GMM fitted on the previous epoch's scores; null until the first fit. */
    public ClassSelectionModel selection;

    /** N̂_k: samples judged clean in the previous epoch, floored at 1. */
    public long balancedCount = 1;

    public SfaClassState() {}

    /** The feature dimension this state has fixed, or 0 if none yet. */
    public int dimension() {
        if (moments != null && moments.mean != null) {
            return moments.mean.length;
        }
        if (confidentSum != null) {
            return confidentSum.length;
        }
        return centroid == null ? 0 : centroid.length;
    }

    /** A deep copy (what a checkpoint and restore amount to). */
    public SfaClassState copy() {
        SfaClassState s = new SfaClassState();
        s.classIndex = classIndex;
        s.network = network;
        s.epoch = epoch;
        s.confidentSum = confidentSum == null ? null : confidentSum.clone();
        s.confidentCount = confidentCount;
        s.arrivals = arrivals;
        s.judgedClean = judgedClean;
        s.reservoir = reservoir == null ? null : reservoir.copy();
        s.moments = moments == null ? null : moments.copy();
        s.centroid = centroid == null ? null : centroid.clone();
        s.sampled = sampled;
        s.centroidEpoch = centroidEpoch;
        s.selection = selection == null ? null : selection.copy();
        s.balancedCount = balancedCount;
        return s;
    }
}
