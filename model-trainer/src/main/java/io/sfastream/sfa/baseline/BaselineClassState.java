package io.sfastream.sfa.baseline;

/**
 * Per-class state of {@link CentroidDistanceBaseline}: plain data (public fields, no-arg
 * constructor) so that Flink stores and evolves it as a POJO, never through Kryo.
 */
public class BaselineClassState {
    /** EMA of the centred, L2-normalised features; null before the first sample. */
    public float[] centroid;

    /** Samples folded in. */
    public long count;

    /** Exponentially weighted mean of the distances to the centroid. */
    public double distanceMean;

    /** Exponentially weighted variance of those distances. */
    public double distanceVar;

    public BaselineClassState() {}
}
