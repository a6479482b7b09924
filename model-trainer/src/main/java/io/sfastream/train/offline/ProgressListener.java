package io.sfastream.train.offline;

/**
 * How the offline trainer reports progress inside an epoch (the CLI draws a progress bar from it).
 */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {};

    /**
     * A phase begins: {@code name} such as "epoch 3 warm-up net1", {@code total} units (images).
     */
    default void begin(String name, long total) {}

    /** {@code units} more are done. */
    default void advance(long units) {}

    /** The phase ended. */
    default void end() {}

    /** An epoch is complete. */
    default void epochEnded(EpochReport report) {}
}
