package io.sfastream.store;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where model snapshots live, by reference (the claim check of DESIGN §1: a Kafka record or Flink
 * state carries only the URI and SHA-256, the bytes stay here). Snapshots are immutable, addressed
 * by model name and version; a write is atomic (a reader never sees half a snapshot) and a read
 * verifies the SHA-256.
 *
 * <p>The store holds bytes, not models, so it does not care what is inside ({@code
 * TrainingSnapshot} or the offline trainer's run state). {@link LocalDirectoryModelStore} is the
 * local implementation; a Flink {@code FileSystem} (S3, HDFS) implementation can back the same
 * interface in the pipeline module.
 */
public interface ModelStore {

    /** Model names: letters, digits, {@code . _ -}, 1–100 characters, not starting with a dot. */
    Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

    /**
     * Stores {@code bytes} as {@code modelName} version {@code version}.
     *
     * @throws IllegalArgumentException for a bad model name or a negative version
     * @throws java.nio.file.FileAlreadyExistsException when that version exists with different
     *     bytes (versions are immutable); storing the same bytes again is a no-op
     */
    StoredSnapshot put(String modelName, long version, byte[] bytes) throws IOException;

    /**
     * The bytes at {@code uri}, checked against {@code expectedSha256} (and against the hash
     * recorded at write time).
     *
     * @param expectedSha256 lower-case hex, or {@code null} to check only the recorded hash
     * @throws SnapshotIntegrityException when a hash does not match
     * @throws java.nio.file.NoSuchFileException when there is no snapshot at {@code uri}
     */
    byte[] get(URI uri, String expectedSha256) throws IOException;

    /** Every complete snapshot of {@code modelName}, oldest version first. */
    List<StoredSnapshot> list(String modelName) throws IOException;

    /** The highest complete version of {@code modelName}. */
    default Optional<StoredSnapshot> latest(String modelName) throws IOException {
        List<StoredSnapshot> all = list(modelName);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** A specific version. */
    default Optional<StoredSnapshot> find(String modelName, long version) throws IOException {
        return list(modelName).stream().filter(s -> s.version() == version).findFirst();
    }

    /**
     * Deletes one version (its hash file first, so a crash in between leaves no counted snapshot).
     * For versions that were written but never published, such as those of a failed attempt that a
     * restored job writes again. Returns whether there was such a version.
     */
    boolean delete(String modelName, long version) throws IOException;

    /**
     * Deletes all but the {@code keep} highest versions of {@code modelName}; returns how many were
     * deleted.
     */
    int retainLatest(String modelName, int keep) throws IOException;

    static String checkModelName(String modelName) {
        if (modelName == null || !MODEL_NAME.matcher(modelName).matches()) {
            throw new IllegalArgumentException(
                    "bad model name '"
                            + modelName
                            + "': use 1-100 letters, digits, '.', "
                            + "'_' or '-', not starting with '.'");
        }
        return modelName;
    }
}
