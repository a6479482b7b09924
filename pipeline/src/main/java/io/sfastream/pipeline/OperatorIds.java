package io.sfastream.pipeline;

/**
 * The stable uid of every stateful operator (and source and sink) of the job graph: savepoints map
 * state to operators by these, so they never change once released.
 */
public final class OperatorIds {
    public static final String INPUT_SOURCE = "input-source";
    public static final String SNAPSHOTS_SOURCE = "model-snapshots-source";
    public static final String DECODE = "decode-and-validate";
    public static final String EMBED = "embed";
    public static final String SCORE = "score";
    public static final String MODEL_OWNER = "model-owner";
    public static final String SCORES_SINK = "noise-scores-sink";
    public static final String CLASS_STATS_SINK = "class-stats-sink";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";
    public static final String SNAPSHOTS_SINK = "model-snapshots-sink";

    /** {@code job.role: scorer}: the training topic's writer and sink. */
    public static final String TRAINER_FEED_WRITER = "trainer-feed-writer";

    public static final String TRAINER_FEED_SINK = "training-feed-sink";

    /** {@code job.role: trainer}: the training topic's source and reader. */
    public static final String TRAINER_FEED_SOURCE = "training-feed-source";

    public static final String TRAINER_FEED_READER = "trainer-feed-reader";

    private OperatorIds() {}
}
