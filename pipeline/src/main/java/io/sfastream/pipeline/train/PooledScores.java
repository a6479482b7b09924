package io.sfastream.pipeline.train;

/**
 * One class's normalised scores of one epoch, sent by the scorer at the boundary to the owner of
 * the model versions, which pools every class's scores into the fallback selection of tiny classes
 * ({@code sfa.tinyClassFallback: pooled}). A Flink POJO.
 */
public class PooledScores {
    public int network;
    public int epoch;
    public int label;
    public float[] scores;

    public PooledScores() {}

    public PooledScores(int network, int epoch, int label, float[] scores) {
        this.network = network;
        this.epoch = epoch;
        this.label = label;
        this.scores = scores;
    }
}
