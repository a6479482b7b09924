package io.sfastream.pipeline.decode;

/**
 * Why a record cannot go on: the pipeline stage, the reason in words, and the sample id if it was
 * known.
 */
public record Rejection(String stage, String reason, String sampleId, String errorClass) {
    public static final String DECODE = "decode";
    public static final String VALIDATE = "validate";
    public static final String EMBED = "embed";
    public static final String SCORE = "score";
}
