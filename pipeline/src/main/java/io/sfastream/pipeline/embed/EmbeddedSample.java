package io.sfastream.pipeline.embed;

/**
 * A sample after the forward pass: its centred, L2-normalised feature x̂ and both heads' logits,
 * with the model version that produced them. This is what crosses the keyBy(label) shuffle. A Flink
 * POJO.
 */
public class EmbeddedSample {
    public String id;
    public int label;
    public int trueLabel;
    public long eventTime;

    /** x̂ = (f − m)/‖f − m‖. */
    public float[] features;

    public float[] logits;
    public float[] balancedLogits;
    public long modelVersion;
    public String topic;
    public int partition;
    public long offset;

    public EmbeddedSample() {}
}
