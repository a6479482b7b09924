package io.sfastream.pipeline.decode;

/**
 * A sample that passed decoding and validation: an image as 8-bit HWC pixels at exactly the model's
 * input size ({@link #pixels}), or a feature vector from the user's encoder ({@link #features}).
 * Keeps the Kafka coordinates so later stages can still dead-letter it. A Flink POJO.
 */
public class DecodedSample {
    public static final int NO_TRUE_LABEL = -1;

    public String id;
    public int label;

    /** {@link #NO_TRUE_LABEL} when unknown. */
    public int trueLabel = NO_TRUE_LABEL;

    public long eventTime;

    /** The virtual epoch of {@link #eventTime} (1-based). */
    public int epoch;

    /** Image input: HWC pixels; null for feature input. */
    public byte[] pixels;

    /** Feature input: the (uncentred) feature vector f; null for image input. */
    public float[] features;

    /** Feature input: the confidence in the label, NaN when the record has none. */
    public double confidence = Double.NaN;

    /** Feature input: class logits for the suggested label, or null. */
    public float[] logits;

    public String topic;
    public int partition;
    public long offset;

    public DecodedSample() {}
}
