package io.sfastream.data;

/**
 * An image of a {@link LabelledImages} set could not be read or decoded (a missing file, a
 * truncated or corrupt JPEG, an unsupported colour model). The offline trainer catches it, reports
 * the image with {@link #reason()} and skips it; it is never fatal to a run.
 */
public final class UnavailableImageException extends RuntimeException {
    private final int index;
    private final String source;

    /**
     * @param index the image's index in its set
     * @param source where it came from (a file path), for the report
     * @param reason why it is unavailable, one line
     */
    public UnavailableImageException(int index, String source, String reason, Throwable cause) {
        super("image " + index + " (" + source + "): " + reason, cause);
        this.index = index;
        this.source = source;
    }

    public int index() {
        return index;
    }

    public String source() {
        return source;
    }

    /** The reason without the index and source. */
    public String reason() {
        String m = getMessage();
        return m.substring(m.indexOf("): ") + 3);
    }
}
