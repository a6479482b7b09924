package io.sfastream.store;

import java.io.IOException;

/**
 * Stored bytes whose SHA-256 is not the one expected: a corrupt or replaced snapshot. Never load
 * such bytes.
 */
public final class SnapshotIntegrityException extends IOException {
    public SnapshotIntegrityException(String message) {
        super(message);
    }
}
