package io.sfastream.store;

import java.net.URI;
import java.time.Instant;

/** A snapshot in a {@link ModelStore}: what a {@code ModelSnapshotRef} record carries. */
public record StoredSnapshot(
        String modelName,
        long version,
        URI uri,
        String sha256,
        long sizeBytes,
        Instant createdAt) {}
