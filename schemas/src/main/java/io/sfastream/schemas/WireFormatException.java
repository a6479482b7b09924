package io.sfastream.schemas;

/**
 * A Kafka record that is not a readable message of the expected type. The message says which type,
 * what is wrong and, for unknown writer schemas, which fingerprints the reader knows, so that a
 * dead-letter record explains itself without a stack trace from inside Avro.
 */
public final class WireFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the bytes. */
    public enum Kind {
        /** Null or empty. */
        EMPTY,
        /**
         * Does not start with the Avro single-object marker (C3 01) or is shorter than its 10-byte
         * header.
         */
        NOT_SINGLE_OBJECT,
        /** Valid header, but the writer schema's fingerprint is not one this reader knows. */
        UNKNOWN_SCHEMA,
        /** The body ends before the record does. */
        TRUNCATED,
        /**
         * The body does not decode as the writer schema (bad varint, negative length, bad enum or
         * union index).
         */
        CORRUPT
    }

    private final Kind kind;

    public WireFormatException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
