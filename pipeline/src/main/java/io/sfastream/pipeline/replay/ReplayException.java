package io.sfastream.pipeline.replay;

/**
 * A replay cannot start or go on, for a reason the user can fix (no broker, no topic, no data): the
 * message says what and how, and the command prints it without a stack trace.
 */
public final class ReplayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReplayException(String message) {
        super(message);
    }

    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
