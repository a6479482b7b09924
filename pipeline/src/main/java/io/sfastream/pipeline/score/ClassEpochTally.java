package io.sfastream.pipeline.score;

/**
 * What the scorer counts per class beside SFA's own state, for the epoch being accumulated: the
 * ground truth of replays (for the class statistics) and the newest model version seen per network;
 * and which boundary timer is registered. A Flink POJO.
 */
public class ClassEpochTally {
    public long knownTruth;
    public long knownNoisy;

    /** Per network, the newest model version among this epoch's samples. */
    public long[] modelVersions;

    /** The epoch whose boundary timer is registered; 0 = none. */
    public int timerEpoch;

    public ClassEpochTally() {}

    /** Clears the per-epoch counts (the timer stays). */
    public void reset() {
        knownTruth = 0;
        knownNoisy = 0;
    }
}
