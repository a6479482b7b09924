package io.sfastream.pipeline.decode;

/**
 * A sample that passed decoding and validation: its pixels are 8-bit HWC at exactly the model's
 * input size. Keeps the Kafka coordinates so later stages can still dead-letter it. A Flink POJO.
 */
public class DecodedSample {
    public static final int NO_TRUE_LABEL = -1;

    public String id;
    public int label;

    /** {@link #NO_TRUE_LABEL} when unknown. */
    public int trueLabel = NO_TRUE_LABEL;

    public long eventTime;
    public byte[] pixels;
    public String topic;
    public int partition;
    public long offset;

    public DecodedSample() {}
}
