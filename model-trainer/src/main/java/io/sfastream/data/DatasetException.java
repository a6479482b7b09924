package io.sfastream.data;

import java.io.IOException;

/**
 * A dataset file is missing, unreadable or not in the format its reader expects.
 *
 * <p>It is an {@link IOException} so that callers handling I/O failures handle bad data too, and
 * its message always names the offending file: dataset directories hold many similar files, and
 * "bad magic number" alone does not tell a user which download is broken.
 */
public final class DatasetException extends IOException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
