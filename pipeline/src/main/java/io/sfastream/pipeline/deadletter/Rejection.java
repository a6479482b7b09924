package io.sfastream.pipeline.deadletter;

/**
 * Why a record cannot go on: the pipeline stage, a short stable code (what metrics count by), the
 * reason in words, and the sample id if it was known.
 */
public record Rejection(
        String stage, String code, String reason, String sampleId, String errorClass) {
    public static final String DECODE = "decode";
    public static final String VALIDATE = "validate";
    public static final String EMBED = "embed";
    public static final String SCORE = "score";
    public static final String SNAPSHOT = "snapshot";
    public static final String TRAIN = "train";

    public Rejection {
        if (stage == null || code == null || reason == null) {
            throw new IllegalArgumentException("a rejection needs a stage, a code and a reason");
        }
    }
}
