package io.sfastream.pipeline.train;

/** What the owner last published for one network: its checkpointed state. A Flink POJO. */
public class PublishedVersion {
    public int network;
    public long version;
    public int epoch;
    public long samplesSeen;

    /** The centring mean of {@link #version}; null before the first epoch with samples. */
    public float[] centringMean;

    public PublishedVersion() {}

    public PublishedVersion(int network) {
        this.network = network;
    }
}
