package io.sfastream.pipeline.train;

import io.sfastream.train.stream.TrainingExample;
import org.apache.flink.util.OutputTag;

/**
 * What the scorer sends the owner of the model versions: a class's normalised scores of an epoch
 * (for the pooled fallback) or a scored sample with its image (for the trainer). Exactly one field
 * is set. A Flink POJO.
 */
public class OwnerMessage {
    /** The scorers' side output to the model owner. */
    public static final OutputTag<OwnerMessage> TAG = new OutputTag<>("to-model-owner") {};

    public PooledScores pooled;
    public TrainingExample example;

    public OwnerMessage() {}

    public static OwnerMessage of(PooledScores pooled) {
        OwnerMessage m = new OwnerMessage();
        m.pooled = pooled;
        return m;
    }

    public static OwnerMessage of(TrainingExample example) {
        OwnerMessage m = new OwnerMessage();
        m.example = example;
        return m;
    }
}
