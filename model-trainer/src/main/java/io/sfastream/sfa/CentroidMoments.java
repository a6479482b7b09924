package io.sfastream.sfa;

/**
 * One class's centroid moments for one network: the running first moment μ and second moment s of
 * its per-epoch instant centroid, element-wise ({@code cfeats_EMA} and {@code cfeats_sq_EMA} rows
 * in the reference). {@link ClassCentroidBank#updateMoments} is the only place that changes them.
 *
 * <p>Plain data (public fields, public no-arg constructor, primitive arrays) so that Flink's POJO
 * serializer holds and evolves it, never Kryo.
 */
public class CentroidMoments {
    /** μ, one value per feature dimension; null until the class's first instant centroid. */
    public double[] mean;

    /** s, the element-wise second moment; null exactly when {@link #mean} is. */
    public double[] secondMoment;

    /** Selection epoch of the last update; 0 = never updated. */
    public int updatedAtEpoch;

    /** Number of updates so far. */
    public long updates;

    public CentroidMoments() {}

    /** Whether the class has a μ. */
    public boolean hasMean() {
        return mean != null;
    }

    /** A deep copy. */
    public CentroidMoments copy() {
        CentroidMoments c = new CentroidMoments();
        c.mean = mean == null ? null : mean.clone();
        c.secondMoment = secondMoment == null ? null : secondMoment.clone();
        c.updatedAtEpoch = updatedAtEpoch;
        c.updates = updates;
        return c;
    }
}
