package io.sfastream.pipeline.embed;

/**
 * A sample after the embedder: per network, its centred, L2-normalised feature x̂ and what the
 * heads said, with the model version that produced them. This is what crosses the keyBy(label)
 * shuffle to the scorer. A Flink POJO.
 */
public class EmbeddedSample {
    public String id;
    public int label;
    public int trueLabel;
    public long eventTime;

    /** The virtual epoch of {@link #eventTime}. */
    public int epoch;

    /** One entry per network (two under co-training). */
    public NetworkView[] networks;

    /** The image (HWC pixels) when the trainer trains on it; null otherwise. */
    public byte[] pixels;

    public String topic;
    public int partition;
    public long offset;

    public EmbeddedSample() {}
}
