package io.sfastream.store;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A {@link ModelStore} in a local directory: {@code <root>/<model>/<version>.sfasnap} with a {@code
 * <version>.sfasnap.sha256} beside it in {@code sha256sum} format (so {@code sha256sum -c} checks a
 * store by hand). The version is zero-padded to 19 digits so that names sort as numbers.
 *
 * <p>A write goes to a temporary file that is forced to disk and then renamed into place (atomic on
 * POSIX file systems), the data file before its hash file; a snapshot counts as complete only when
 * both exist, so a crash mid-write leaves at most an ignored temporary file. Safe for one writer
 * per model name and any number of readers.
 */
public final class LocalDirectoryModelStore implements ModelStore {
    private static final String SUFFIX = ".sfasnap";
    private static final String HASH_SUFFIX = ".sha256";
    private static final Pattern FILE = Pattern.compile("(\\d{19})\\.sfasnap");

    private final Path root;

    public LocalDirectoryModelStore(Path root) throws IOException {
        this.root = Files.createDirectories(root).toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public StoredSnapshot put(String modelName, long version, byte[] bytes) throws IOException {
        ModelStore.checkModelName(modelName);
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, was " + version);
        }
        String sha = Sha256.hex(bytes);
        Path dir = Files.createDirectories(root.resolve(modelName));
        Path data = dir.resolve(fileName(version));
        Path hash = dir.resolve(fileName(version) + HASH_SUFFIX);
        if (Files.exists(hash)) {
            String existing = recordedHash(hash);
            if (existing.equals(sha)) {
                return describe(modelName, version, data, sha);
            }
            throw new FileAlreadyExistsException(
                    data.toString(),
                    null,
                    modelName
                            + " version "
                            + version
                            + " exists with different content (sha256 "
                            + existing
                            + "); versions are immutable");
        }
        writeAtomically(data, bytes);
        writeAtomically(
                hash, (sha + "  " + data.getFileName() + "\n").getBytes(StandardCharsets.US_ASCII));
        return describe(modelName, version, data, sha);
    }

    @Override
    public byte[] get(URI uri, String expectedSha256) throws IOException {
        Path data = pathOf(uri);
        Path hash = data.resolveSibling(data.getFileName() + HASH_SUFFIX);
        if (!Files.exists(hash)) {
            throw new NoSuchFileException(
                    data.toString(), null, "no complete snapshot (hash file missing)");
        }
        byte[] bytes = Files.readAllBytes(data);
        String actual = Sha256.hex(bytes);
        String recorded = recordedHash(hash);
        if (!actual.equals(recorded)) {
            throw new SnapshotIntegrityException(
                    data
                            + ": content sha256 "
                            + actual
                            + " but "
                            + recorded
                            + " was recorded when it was written; the file is corrupt or was replaced");
        }
        if (expectedSha256 != null && !actual.equals(expectedSha256)) {
            throw new SnapshotIntegrityException(
                    data + ": sha256 " + actual + ", expected " + expectedSha256);
        }
        return bytes;
    }

    @Override
    public List<StoredSnapshot> list(String modelName) throws IOException {
        ModelStore.checkModelName(modelName);
        Path dir = root.resolve(modelName);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<StoredSnapshot> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted(Comparator.comparing(Path::getFileName)).toList()) {
                Matcher m = FILE.matcher(p.getFileName().toString());
                Path hash = p.resolveSibling(p.getFileName() + HASH_SUFFIX);
                if (m.matches() && Files.exists(hash)) {
                    out.add(describe(modelName, Long.parseLong(m.group(1)), p, recordedHash(hash)));
                }
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
        Path data = Path.of(s.get().uri());
        Files.deleteIfExists(data.resolveSibling(data.getFileName() + HASH_SUFFIX));
        Files.deleteIfExists(data);
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
            Path data = Path.of(s.uri());
            // The hash file first: without it the snapshot no longer counts, even if the data file
            // survives a crash.
            Files.deleteIfExists(data.resolveSibling(data.getFileName() + HASH_SUFFIX));
            Files.deleteIfExists(data);
            deleted++;
        }
        return deleted;
    }

    private Path pathOf(URI uri) {
        if (!"file".equals(uri.getScheme())) {
            throw new IllegalArgumentException("a local model store reads file: URIs, got " + uri);
        }
        Path p = Path.of(uri).toAbsolutePath().normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException(uri + " is outside the store at " + root);
        }
        return p;
    }

    private StoredSnapshot describe(String modelName, long version, Path data, String sha)
            throws IOException {
        return new StoredSnapshot(
                modelName,
                version,
                data.toUri(),
                sha,
                Files.size(data),
                Files.getLastModifiedTime(data).toInstant());
    }

    private static String recordedHash(Path hash) throws IOException {
        String line = Files.readString(hash, StandardCharsets.US_ASCII).trim();
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    static String fileName(long version) {
        return String.format("%019d", version) + SUFFIX;
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                out.write(bytes);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public String toString() {
        return "LocalDirectoryModelStore[" + root + "]";
    }
}
