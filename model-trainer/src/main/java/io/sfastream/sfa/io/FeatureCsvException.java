package io.sfastream.sfa.io;

/** A feature CSV that cannot be used, with the file, line and column that are wrong where known. */
public class FeatureCsvException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final long line;

    public FeatureCsvException(String message, long line) {
        super(message);
        this.line = line;
    }

    /**
     * 1-based line of the file (the header is line 1), or 0 when the problem is not on one line.
     */
    public long line() {
        return line;
    }
}
