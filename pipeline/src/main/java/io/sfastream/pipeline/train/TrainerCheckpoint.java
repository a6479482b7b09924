package io.sfastream.pipeline.train;

/**
 * The trainer's part of a Flink checkpoint, large state by reference: per network the claim check
 * of its snapshot in the model store (parameters, momentum, steps, learning rate, m), plus the
 * trainer's own small state (pending samples, queues, counts: {@code
 * StreamingTrainer.exportState}). A Flink POJO.
 */
public class TrainerCheckpoint {
    /** Per network: the version of its snapshot under {@link ModelNames#checkpointOf}. */
    public long[] versions;

    /** Per network: the SHA-256 of that snapshot. */
    public String[] sha256;

    /** Per network: the trainer step the snapshot was taken at. */
    public long[] steps;

    /** The trainer's open epoch when it was taken (a boundary since changes m, not the steps). */
    public int openEpoch;

    public byte[] trainerState;

    public TrainerCheckpoint() {}
}
