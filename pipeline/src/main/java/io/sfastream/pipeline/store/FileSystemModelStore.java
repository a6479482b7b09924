package io.sfastream.pipeline.store;

import io.sfastream.store.LocalDirectoryModelStore;
import io.sfastream.store.ModelStore;
import io.sfastream.store.Sha256;
import io.sfastream.store.SnapshotIntegrityException;
import io.sfastream.store.StoredSnapshot;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;

/**
 * A {@link ModelStore} on any Flink {@link FileSystem}: {@code file:///...} by default, {@code
 * s3://}, {@code hdfs://} and the others where the cluster has the file-system plugin. The layout
 * and the contract are those of {@link LocalDirectoryModelStore}, so either reads what the other
 * wrote: {@code <root>/<model>/<version>.sfasnap}, the version zero-padded to 19 digits, with a
 * {@code <version>.sfasnap.sha256} marker beside it in {@code sha256sum} format; versions are
 * immutable and every read checks the SHA-256 (the recorded one and the expected one).
 *
 * <p>A write puts the data under a temporary name ({@code .<version>.sfasnap.<uuid>.tmp}) and
 * renames it into place; where the file system cannot rename (the rename is refused or
 * unsupported), the data is written to its final name directly. The marker comes last, created with
 * {@link WriteMode#NO_OVERWRITE}, and it is what makes a version visible: a data file without a
 * complete marker (a crash mid-write) is ignored and replaced by the next write of that version. A
 * marker is created in place, not renamed, so on a local or HDFS file system a reader can catch one
 * that is still empty or partial for an instant; such a marker counts as absent.
 *
 * <p>On an object store (S3 and the like) rename is a copy and a delete, and an object appears only
 * once its upload has completed, so a concurrent reader may see a data file before its marker (and
 * ignores it) but never a partial object, and it sees the marker only after the data is complete. A
 * store with eventually consistent listings or reads can still let a reader list a version whose
 * data it cannot read yet ({@link NoSuchFileException}: retry) or read stale bytes (refused by the
 * hash check), never accept unverified bytes; and {@code NO_OVERWRITE} is a check-then-put there,
 * not atomic, so keep to one writer per model name (as for the local store).
 */
public final class FileSystemModelStore implements ModelStore {
    static final String SUFFIX = ".sfasnap";
    static final String HASH_SUFFIX = ".sha256";
    private static final Pattern FILE = Pattern.compile("(\\d{19})\\.sfasnap");
    private static final Pattern MARKER = Pattern.compile("([0-9a-fA-F]{64})(?:\\s.*)?");

    /** A marker is one line; anything longer than this is not one. */
    private static final int MAX_MARKER_BYTES = 4096;

    private final FileSystem fs;
    private final String scheme;
    private final String authority;

    /** The root's path, normalised, ending in "/". */
    private final String rootPrefix;

    private final Path root;
    private final URI rootUri;

    /**
     * A store at {@code rootUri}, any URI or path Flink's {@link Path} parses ({@code
     * file:///srv/models}, {@code s3://bucket/models}, {@code hdfs://nn:8020/models}); a path
     * without a scheme is on Flink's default file system ({@code fs.default-scheme}, local unless
     * configured). {@link ModelStores#open} always reads a plain path as a local one.
     *
     * @throws org.apache.flink.core.fs.UnsupportedFileSystemSchemeException when Flink has no file
     *     system for the scheme ({@link ModelStores#open} turns it into a message that says what to
     *     install)
     */
    public FileSystemModelStore(String rootUri) throws IOException {
        this(new Path(Objects.requireNonNull(rootUri, "rootUri")));
    }

    /** A store at {@code root}, on the Flink file system of its scheme. */
    public FileSystemModelStore(Path root) throws IOException {
        this(Objects.requireNonNull(root, "root").getFileSystem(), root);
    }

    /** A store at {@code root} on a given file system (tests use it to give other semantics). */
    FileSystemModelStore(FileSystem fs, Path root) throws IOException {
        this.fs = Objects.requireNonNull(fs, "fs");
        URI qualified = root.makeQualified(fs).toUri().normalize();
        if (qualified.getScheme() == null) {
            throw new IllegalArgumentException("model store root " + root + " has no scheme");
        }
        this.scheme = qualified.getScheme().toLowerCase(Locale.ROOT);
        this.authority = emptyToNull(qualified.getAuthority());
        String path =
                qualified.getPath() == null || qualified.getPath().isEmpty()
                        ? "/"
                        : qualified.getPath();
        if (path.contains("/../") || path.endsWith("/..")) {
            throw new IllegalArgumentException(
                    "model store root " + root + " leaves its file system");
        }
        this.rootPrefix = path.endsWith("/") ? path : path + "/";
        String rootPath =
                rootPrefix.length() > 1 ? rootPrefix.substring(0, rootPrefix.length() - 1) : "/";
        this.rootUri = uri(rootPath);
        this.root = new Path(rootUri);
        fs.mkdirs(this.root);
    }

    /** The root, qualified (scheme and authority included). */
    public Path root() {
        return root;
    }

    /**
     * The root as a URI ({@code file:///...} for a local store, as {@link
     * java.nio.file.Path#toUri}).
     */
    public URI rootUri() {
        return rootUri;
    }

    @Override
    public StoredSnapshot put(String modelName, long version, byte[] bytes) throws IOException {
        ModelStore.checkModelName(modelName);
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, was " + version);
        }
        Objects.requireNonNull(bytes, "bytes");
        String sha = Sha256.hex(bytes);
        String name = fileName(version);
        Path dir = new Path(root, modelName);
        Path data = new Path(dir, name);
        Path marker = new Path(dir, name + HASH_SUFFIX);
        Optional<String> existing = recordedHash(marker);
        if (existing.isPresent()) {
            return sameOrRefuse(modelName, version, data, sha, existing.get());
        }
        if (fs.exists(marker)) {
            // An empty or partial marker: a write that crashed while writing it (one writer per
            // model
            // name, so nobody is writing it now). The version never counted; write it afresh.
            fs.delete(marker, false);
        }
        fs.mkdirs(dir);
        writeData(dir, name, data, bytes);
        byte[] line = (sha + "  " + name + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            write(marker, line, WriteMode.NO_OVERWRITE);
        } catch (IOException e) {
            // NO_OVERWRITE refused (java.nio's or Hadoop's FileAlreadyExistsException): someone
            // else
            // completed this version in the meantime. Same bytes: fine; different: immutable.
            Optional<String> now = recordedHash(marker);
            if (now.isEmpty()) {
                throw e;
            }
            return sameOrRefuse(modelName, version, data, sha, now.get());
        }
        return describe(modelName, version, data, fs.getFileStatus(data), sha);
    }

    @Override
    public byte[] get(URI uri, String expectedSha256) throws IOException {
        Path data = pathOf(uri);
        Path marker = data.suffix(HASH_SUFFIX);
        Optional<String> recorded = recordedHash(marker);
        if (recorded.isEmpty()) {
            throw new NoSuchFileException(
                    uri.toString(), null, "no complete snapshot (hash file missing or incomplete)");
        }
        byte[] bytes;
        try (FSDataInputStream in = fs.open(data)) {
            bytes = in.readAllBytes();
        } catch (FileNotFoundException | NoSuchFileException e) {
            throw new NoSuchFileException(
                    uri.toString(), null, "data file missing (its hash file exists)");
        }
        String actual = Sha256.hex(bytes);
        if (!actual.equals(recorded.get())) {
            throw new SnapshotIntegrityException(
                    uri
                            + ": content sha256 "
                            + actual
                            + " but "
                            + recorded.get()
                            + " was recorded when it was written; the file is corrupt or was replaced");
        }
        if (expectedSha256 != null && !actual.equals(expectedSha256)) {
            throw new SnapshotIntegrityException(
                    uri + ": sha256 " + actual + ", expected " + expectedSha256);
        }
        return bytes;
    }

    @Override
    public List<StoredSnapshot> list(String modelName) throws IOException {
        ModelStore.checkModelName(modelName);
        Path dir = new Path(root, modelName);
        FileStatus[] entries;
        try {
            entries = fs.listStatus(dir);
        } catch (FileNotFoundException | NoSuchFileException e) {
            return List.of();
        }
        if (entries == null) {
            return List.of();
        }
        Map<String, FileStatus> files = new TreeMap<>();
        for (FileStatus s : entries) {
            if (!s.isDir()) {
                files.put(s.getPath().getName(), s);
            }
        }
        List<StoredSnapshot> out = new ArrayList<>();
        for (Map.Entry<String, FileStatus> e : files.entrySet()) {
            Matcher m = FILE.matcher(e.getKey());
            if (!m.matches() || !files.containsKey(e.getKey() + HASH_SUFFIX)) {
                continue;
            }
            Path data = new Path(dir, e.getKey());
            Optional<String> sha = recordedHash(data.suffix(HASH_SUFFIX));
            if (sha.isPresent()) {
                out.add(
                        describe(
                                modelName,
                                Long.parseLong(m.group(1)),
                                data,
                                e.getValue(),
                                sha.get()));
            }
        }
        return out;
    }

    @Override
    public boolean delete(String modelName, long version) throws IOException {
        java.util.Optional<StoredSnapshot> s = find(modelName, version);
        if (s.isEmpty()) {
            return false;
        }
        Path data = pathOf(s.get().uri());
        fs.delete(data.suffix(HASH_SUFFIX), false);
        fs.delete(data, false);
        return true;
    }

    @Override
    public int retainLatest(String modelName, int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1, was " + keep);
        }
        List<StoredSnapshot> all = list(modelName);
        int deleted = 0;
        for (StoredSnapshot s : all.subList(0, Math.max(0, all.size() - keep))) {
            Path data = pathOf(s.uri());
            // The marker first: without it the snapshot no longer counts, even if the data file
            // survives a crash.
            fs.delete(data.suffix(HASH_SUFFIX), false);
            fs.delete(data, false);
            deleted++;
        }
        return deleted;
    }

    private StoredSnapshot sameOrRefuse(
            String modelName, long version, Path data, String sha, String existing)
            throws IOException {
        if (existing.equals(sha)) {
            return describe(modelName, version, data, fs.getFileStatus(data), sha);
        }
        throw new FileAlreadyExistsException(
                uriOf(data).toString(),
                null,
                modelName
                        + " version "
                        + version
                        + " exists with different content (sha256 "
                        + existing
                        + "); versions are immutable");
    }

    /** Temporary name, then rename; the final name directly where rename is not to be had. */
    private void writeData(Path dir, String name, Path data, byte[] bytes) throws IOException {
        Path tmp = new Path(dir, "." + name + "." + UUID.randomUUID() + ".tmp");
        try {
            write(tmp, bytes, WriteMode.NO_OVERWRITE);
            boolean moved = rename(tmp, data);
            if (!moved && fs.exists(data)) {
                // A data file without a marker, left by a crashed write; HDFS (unlike POSIX) will
                // not
                // rename onto an existing file.
                fs.delete(data, false);
                moved = rename(tmp, data);
            }
            if (!moved) {
                write(data, bytes, WriteMode.OVERWRITE);
            }
        } finally {
            if (fs.exists(tmp)) {
                fs.delete(tmp, false);
            }
        }
    }

    private boolean rename(Path from, Path to) throws IOException {
        try {
            return fs.rename(from, to);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    private void write(Path path, byte[] bytes, WriteMode mode) throws IOException {
        try (FSDataOutputStream out = fs.create(path, mode)) {
            out.write(bytes);
            out.flush();
            if (!fs.isDistributedFS()) {
                // A local disk: make it durable before it is renamed or marked, as the local store
                // does. Distributed file systems are durable on close (HDFS replicas, S3 upload).
                out.sync();
            }
        }
    }

    /** The hash a complete marker records, or empty when the marker is missing or incomplete. */
    private Optional<String> recordedHash(Path marker) throws IOException {
        byte[] bytes;
        try (FSDataInputStream in = fs.open(marker)) {
            bytes = in.readNBytes(MAX_MARKER_BYTES);
        } catch (FileNotFoundException | NoSuchFileException e) {
            return Optional.empty();
        }
        Matcher m = MARKER.matcher(new String(bytes, StandardCharsets.US_ASCII).trim());
        return m.matches() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    private StoredSnapshot describe(
            String modelName, long version, Path data, FileStatus status, String sha) {
        return new StoredSnapshot(
                modelName,
                version,
                uriOf(data),
                sha,
                status.getLen(),
                Instant.ofEpochMilli(status.getModificationTime()));
    }

    /** The store's path for {@code uri}, which must be under its root. */
    private Path pathOf(URI uri) {
        Objects.requireNonNull(uri, "uri");
        if (uri.getScheme() == null || !scheme.equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException(
                    "this model store reads "
                            + scheme
                            + ": URIs under "
                            + rootUri
                            + ", got "
                            + uri);
        }
        URI n = uri.normalize();
        String path = n.getPath();
        if (!Objects.equals(authority, emptyToNull(n.getAuthority()))
                || path == null
                || !path.startsWith(rootPrefix)
                || path.length() == rootPrefix.length()
                || path.contains("/../")) {
            throw new IllegalArgumentException(uri + " is outside the store at " + rootUri);
        }
        return new Path(uri(path));
    }

    private URI uriOf(Path p) {
        return uri(p.toUri().getPath());
    }

    /**
     * A URI on this store's file system; {@code file:///x} rather than {@code file:/x} for local
     * paths, so a snapshot has the same URI whichever store wrote it.
     */
    private URI uri(String path) {
        String auth = authority == null && "file".equals(scheme) ? "" : authority;
        try {
            return new URI(scheme, auth, path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad path " + path + " for " + scheme + ":", e);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static String fileName(long version) {
        return String.format("%019d", version) + SUFFIX;
    }

    @Override
    public String toString() {
        return "FileSystemModelStore[" + rootUri + "]";
    }
}
