package io.sfastream.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfastream.store.LocalDirectoryModelStore;
import io.sfastream.store.ModelStore;
import io.sfastream.store.Sha256;
import io.sfastream.store.SnapshotIntegrityException;
import io.sfastream.store.StoredSnapshot;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same behaviours as {@code LocalDirectoryModelStoreTest}, through Flink's {@code FileSystem}
 * on {@code file://} URIs, plus interoperability with the local store and the write protocol under
 * other rename semantics (HDFS, an object store without rename).
 */
class FileSystemModelStoreTest {

    private static final String V1 = "0000000000000000001.sfasnap";
    private static final String V2 = "0000000000000000002.sfasnap";

    private static FileSystemModelStore store(Path dir) throws Exception {
        return new FileSystemModelStore(dir.toUri().toString());
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void storesListsAndReadsVersionsInNumericOrder(@TempDir Path dir) throws Exception {
        ModelStore store = store(dir);
        StoredSnapshot v10 = store.put("net1", 10, new byte[] {1, 2, 3});
        store.put("net1", 9, new byte[] {4});
        store.put("net2", 100, new byte[] {5});
        assertThat(store.list("net1")).extracting(StoredSnapshot::version).containsExactly(9L, 10L);
        assertThat(store.latest("net1")).get().isEqualTo(v10);
        assertThat(store.find("net1", 9)).get().extracting(StoredSnapshot::sizeBytes).isEqualTo(1L);
        assertThat(store.latest("nothing")).isEmpty();
        assertThat(v10.modelName()).isEqualTo("net1");
        assertThat(v10.sizeBytes()).isEqualTo(3);
        assertThat(v10.sha256()).isEqualTo(Sha256.hex(new byte[] {1, 2, 3}));
        assertThat(store.get(v10.uri(), v10.sha256())).containsExactly(1, 2, 3);
        assertThat(store.get(v10.uri(), null)).containsExactly(1, 2, 3);
        // The layout and the URI are the local store's: file:///<root>/<model>/<19 digits>.sfasnap.
        Path data = dir.resolve("net1").resolve("0000000000000000010.sfasnap");
        assertThat(v10.uri()).isEqualTo(data.toUri());
        assertThat(v10.uri().toString()).startsWith("file:///");
        // The hash file is sha256sum's format, and nothing else (no temporary file) is left.
        assertThat(Files.readString(data.resolveSibling(data.getFileName() + ".sha256")))
                .isEqualTo(v10.sha256() + "  0000000000000000010.sfasnap\n");
        assertThat(names(dir.resolve("net1")))
                .containsExactly(
                        "0000000000000000009.sfasnap",
                        "0000000000000000009.sfasnap.sha256",
                        "0000000000000000010.sfasnap",
                        "0000000000000000010.sfasnap.sha256");
        // Flink's own spelling of the same file (file:/...) reads too.
        assertThat(store.get(URI.create("file:" + data.toUri().getPath()), null))
                .containsExactly(1, 2, 3);
    }

    @Test
    void rootIsAUriStringOrAFlinkPath(@TempDir Path dir) throws Exception {
        FileSystemModelStore byString = new FileSystemModelStore(dir.toUri().toString() + "/");
        FileSystemModelStore byPath =
                new FileSystemModelStore(new org.apache.flink.core.fs.Path(dir.toString()));
        FileSystemModelStore spaced =
                new FileSystemModelStore(
                        new org.apache.flink.core.fs.Path(dir.resolve("with space").toUri()));
        assertThat(byString.rootUri())
                .isEqualTo(URI.create(dir.toUri().toString().replaceFirst("/$", "")));
        assertThat(byPath.rootUri()).isEqualTo(byString.rootUri());
        StoredSnapshot s = byString.put("m", 1, new byte[] {1});
        assertThat(byPath.get(s.uri(), s.sha256())).containsExactly(1);
        assertThat(Files.isDirectory(dir.resolve("with space"))).isTrue();
        StoredSnapshot t = spaced.put("m", 1, new byte[] {2});
        assertThat(t.uri()).isEqualTo(dir.resolve("with space").resolve("m").resolve(V1).toUri());
        assertThat(spaced.get(t.uri(), null)).containsExactly(2);
        assertThat(byString.toString()).contains(dir.toString());
    }

    @Test
    void versionsAreImmutable(@TempDir Path dir) throws Exception {
        ModelStore store = store(dir);
        StoredSnapshot first = store.put("m", 1, new byte[] {1});
        assertThat(store.put("m", 1, new byte[] {1})).isEqualTo(first);
        assertThatThrownBy(() -> store.put("m", 1, new byte[] {2}))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("immutable");
        assertThat(store.get(first.uri(), first.sha256())).containsExactly(1);
    }

    @Test
    void aFlippedByteIsRefused(@TempDir Path dir) throws Exception {
        ModelStore store = store(dir);
        StoredSnapshot s = store.put("m", 1, new byte[] {1, 2, 3});
        Files.write(Path.of(s.uri()), new byte[] {1, 2, 4});
        assertThatThrownBy(() -> store.get(s.uri(), null))
                .isInstanceOf(SnapshotIntegrityException.class)
                .hasMessageContaining("corrupt")
                .hasMessageContaining(s.sha256());
        assertThatThrownBy(() -> store.get(s.uri(), s.sha256()))
                .isInstanceOf(SnapshotIntegrityException.class);
    }

    @Test
    void aWrongExpectedHashIsRefused(@TempDir Path dir) throws Exception {
        ModelStore store = store(dir);
        StoredSnapshot s = store.put("m", 1, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> store.get(s.uri(), Sha256.hex(new byte[] {9})))
                .isInstanceOf(SnapshotIntegrityException.class)
                .hasMessageContaining("expected " + Sha256.hex(new byte[] {9}));
    }

    @Test
    void aTruncatedFileIsRefused(@TempDir Path dir) throws Exception {
        ModelStore store = store(dir);
        byte[] bytes = new byte[10_000];
        bytes[9_999] = 7;
        StoredSnapshot s = store.put("m", 1, bytes);
        try (RandomAccessFile f = new RandomAccessFile(Path.of(s.uri()).toFile(), "rw")) {
            f.setLength(5_000);
        }
        assertThatThrownBy(() -> store.get(s.uri(), s.sha256()))
                .isInstanceOf(SnapshotIntegrityException.class)
                .hasMessageContaining("corrupt");
    }

    @Test
    void aMissingDataFileOrHashFileIsNoSuchFile(@TempDir Path dir) throws Exception {
        ModelStore store = store(dir);
        StoredSnapshot s1 = store.put("m", 1, new byte[] {1});
        StoredSnapshot s2 = store.put("m", 2, new byte[] {2});
        Files.delete(Path.of(s1.uri()));
        assertThatThrownBy(() -> store.get(s1.uri(), s1.sha256()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("data file missing");
        Files.delete(Path.of(s2.uri()).resolveSibling(V2 + ".sha256"));
        assertThatThrownBy(() -> store.get(s2.uri(), s2.sha256()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("hash file missing");
        assertThat(store.list("m")).isEmpty();
        assertThatThrownBy(
                        () ->
                                store.get(
                                        dir.resolve("m")
                                                .resolve("0000000000000000003.sfasnap")
                                                .toUri(),
                                        null))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void halfWrittenVersionsDoNotCount(@TempDir Path dir) throws Exception {
        ModelStore store = store(dir);
        StoredSnapshot s = store.put("m", 1, new byte[] {1});
        Path m = dir.resolve("m");
        // A crash after the data file, before its marker: version 2 has data only.
        Files.write(m.resolve(V2), new byte[] {7});
        // A crash mid-rename of version 3's temporary file.
        Files.write(m.resolve(".0000000000000000003.sfasnap.1234.tmp"), new byte[] {7});
        // Crashes while writing the markers of versions 4 and 5: empty, and cut in the hash.
        Files.write(m.resolve("0000000000000000004.sfasnap"), new byte[] {7});
        Files.write(m.resolve("0000000000000000004.sfasnap.sha256"), new byte[0]);
        Files.write(m.resolve("0000000000000000005.sfasnap"), new byte[] {7});
        Files.writeString(
                m.resolve("0000000000000000005.sfasnap.sha256"),
                Sha256.hex(new byte[] {7}).substring(0, 30));
        assertThat(store.list("m")).containsExactly(s);
        for (int v = 2; v <= 5; v++) {
            URI uri = m.resolve(String.format("%019d.sfasnap", v)).toUri();
            assertThatThrownBy(() -> store.get(uri, null))
                    .as("version %d", v)
                    .isInstanceOf(NoSuchFileException.class);
        }
        // Writing those versions properly replaces the orphans and the broken markers.
        for (int v = 2; v <= 5; v++) {
            StoredSnapshot w = store.put("m", v, new byte[] {(byte) (10 + v)});
            assertThat(store.get(w.uri(), w.sha256())).containsExactly(10 + v);
        }
        assertThat(store.list("m"))
                .extracting(StoredSnapshot::version)
                .containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(Files.readString(m.resolve("0000000000000000004.sfasnap.sha256")))
                .isEqualTo(Sha256.hex(new byte[] {14}) + "  0000000000000000004.sfasnap\n");
    }

    @Test
    void retentionKeepsTheNewest(@TempDir Path dir) throws Exception {
        ModelStore store = store(dir);
        for (int v = 1; v <= 5; v++) {
            store.put("m", v, new byte[] {(byte) v});
        }
        store.put("other", 1, new byte[] {1});
        assertThat(store.retainLatest("m", 2)).isEqualTo(3);
        assertThat(store.list("m")).extracting(StoredSnapshot::version).containsExactly(4L, 5L);
        assertThat(store.retainLatest("m", 2)).isZero();
        assertThat(names(dir.resolve("m"))).hasSize(4);
        assertThat(store.list("other")).hasSize(1);
        assertThat(store.retainLatest("nothing", 1)).isZero();
        assertThatThrownBy(() -> store.retainLatest("m", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deletingAVersionThatWasNeverPublishedLetsItBeWrittenAgain(@TempDir Path dir)
            throws Exception {
        ModelStore store = store(dir);
        store.put("m", 1, new byte[] {1});
        store.put("m", 2, new byte[] {2});
        assertThatThrownBy(() -> store.put("m", 2, new byte[] {9}))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThat(store.delete("m", 2)).isTrue();
        assertThat(store.delete("m", 2)).isFalse();
        assertThat(store.list("m")).extracting(StoredSnapshot::version).containsExactly(1L);
        StoredSnapshot again = store.put("m", 2, new byte[] {9});
        assertThat(store.get(again.uri(), again.sha256())).containsExactly(9);
    }

    @Test
    void badNamesAndForeignUrisAreRejected(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("store"));
        ModelStore store = store(root);
        for (String bad : new String[] {"", "../x", "a/b", ".hidden", "x".repeat(101)}) {
            assertThatThrownBy(() -> store.put(bad, 1, new byte[] {1}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bad model name");
            assertThatThrownBy(() -> store.list(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> store.put(null, 1, new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("m", -1, new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get(URI.create("s3://bucket/x"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file: URIs");
        assertThatThrownBy(() -> store.get(URI.create("relative/x.sfasnap"), null))
                .isInstanceOf(IllegalArgumentException.class);
        // A sibling whose name starts with the root's, a parent, and a way out through "..".
        Files.createDirectories(dir.resolve("store-other"));
        StoredSnapshot outside =
                new LocalDirectoryModelStore(dir.resolve("store-other"))
                        .put("m", 1, new byte[] {1});
        for (URI uri :
                new URI[] {
                    outside.uri(),
                    dir.resolve("elsewhere.sfasnap").toUri(),
                    URI.create(root.toUri() + "/../store-other/m/" + V1),
                    root.toUri()
                }) {
            assertThatThrownBy(() -> store.get(uri, null))
                    .as(uri.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside the store");
        }
    }

    @Test
    void readersNeverSeeAPartialSnapshot(@TempDir Path dir) throws Exception {
        ModelStore store = store(dir);
        byte[] big = new byte[4 << 20];
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer =
                    pool.submit(
                            () -> {
                                for (int v = 0; v < 20; v++) {
                                    big[0] = (byte) v;
                                    store.put("m", v, big);
                                }
                                return null;
                            });
            while (!writer.isDone()) {
                for (StoredSnapshot s : store.list("m")) {
                    byte[] read = store.get(s.uri(), s.sha256());
                    assertThat(read).hasSize(big.length);
                    assertThat(read[0]).isEqualTo((byte) s.version());
                    reads.incrementAndGet();
                }
            }
            writer.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list("m")).hasSize(20);
        assertThat(reads.get()).isPositive();
    }

    @Test
    void theLocalStoreReadsWhatThisStoreWrote(@TempDir Path dir) throws Exception {
        FileSystemModelStore flink = store(dir);
        StoredSnapshot a = flink.put("net", 1, new byte[] {1, 2});
        StoredSnapshot b = flink.put("net", 2, new byte[] {3});
        LocalDirectoryModelStore local = new LocalDirectoryModelStore(dir);
        List<StoredSnapshot> seen = local.list("net");
        assertThat(seen)
                .extracting(StoredSnapshot::version, StoredSnapshot::uri, StoredSnapshot::sha256)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, a.uri(), a.sha256()),
                        org.assertj.core.groups.Tuple.tuple(2L, b.uri(), b.sha256()));
        assertThat(seen.get(0).sizeBytes()).isEqualTo(2);
        assertThat(seen.get(0).createdAt().toEpochMilli()).isEqualTo(a.createdAt().toEpochMilli());
        assertThat(local.get(a.uri(), a.sha256())).containsExactly(1, 2);
        // Immutable across implementations.
        assertThat(local.put("net", 2, new byte[] {3}).sha256()).isEqualTo(b.sha256());
        assertThatThrownBy(() -> local.put("net", 2, new byte[] {4}))
                .isInstanceOf(FileAlreadyExistsException.class);
        // The local store's retention removes what this one wrote.
        assertThat(local.retainLatest("net", 1)).isEqualTo(1);
        assertThat(flink.list("net")).extracting(StoredSnapshot::version).containsExactly(2L);
    }

    @Test
    void thisStoreReadsWhatTheLocalStoreWrote(@TempDir Path dir) throws Exception {
        LocalDirectoryModelStore local = new LocalDirectoryModelStore(dir);
        StoredSnapshot a = local.put("net", 7, new byte[] {9, 8, 7});
        FileSystemModelStore flink = store(dir);
        assertThat(flink.list("net"))
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.uri()).isEqualTo(a.uri());
                            assertThat(s.sha256()).isEqualTo(a.sha256());
                            assertThat(s.sizeBytes()).isEqualTo(3);
                            assertThat(s.version()).isEqualTo(7);
                        });
        assertThat(flink.get(a.uri(), a.sha256())).containsExactly(9, 8, 7);
        assertThatThrownBy(() -> flink.put("net", 7, new byte[] {1}))
                .isInstanceOf(FileAlreadyExistsException.class);
        flink.put("net", 8, new byte[] {1});
        // Same marker bytes whichever store wrote them.
        assertThat(
                        Files.readString(
                                dir.resolve("net").resolve("0000000000000000008.sfasnap.sha256")))
                .isEqualTo(Sha256.hex(new byte[] {1}) + "  0000000000000000008.sfasnap\n");
        assertThat(local.latest("net")).get().extracting(StoredSnapshot::version).isEqualTo(8L);
        // Corruption of a local store's file is caught here too.
        Files.write(Path.of(a.uri()), new byte[] {9, 8, 6});
        assertThatThrownBy(() -> flink.get(a.uri(), a.sha256()))
                .isInstanceOf(SnapshotIntegrityException.class);
    }

    @Test
    void writesTheDataFirstThenTheMarkerWithNoOverwrite(@TempDir Path dir) throws Exception {
        ScriptedFileSystem fs = new ScriptedFileSystem(ScriptedFileSystem.Rename.POSIX, false);
        FileSystemModelStore store = new FileSystemModelStore(fs, flinkPath(dir));
        store.put("m", 1, new byte[] {1});
        List<String> events = fs.events();
        assertThat(events).hasSize(5);
        assertThat(events.get(0))
                .matches("create \\.0000000000000000001\\.sfasnap\\..*\\.tmp NO_OVERWRITE");
        assertThat(events.get(1)).matches("close \\.0000000000000000001\\.sfasnap\\..*\\.tmp");
        assertThat(events.get(2))
                .matches("rename \\..*\\.tmp " + V1.replace(".", "\\.") + " -> true");
        assertThat(events.subList(3, 5))
                .containsExactly(
                        "create " + V1 + ".sha256 NO_OVERWRITE", "close " + V1 + ".sha256");
    }

    @Test
    void withoutRenameTheDataIsWrittenInPlaceBeforeTheMarker(@TempDir Path dir) throws Exception {
        ScriptedFileSystem fs = new ScriptedFileSystem(ScriptedFileSystem.Rename.UNSUPPORTED, true);
        FileSystemModelStore store = new FileSystemModelStore(fs, flinkPath(dir));
        // An orphan from a crashed write is overwritten.
        Files.createDirectories(dir.resolve("m"));
        Files.write(dir.resolve("m").resolve(V1), new byte[] {66, 66});
        StoredSnapshot s = store.put("m", 1, new byte[] {1, 2, 3});
        List<String> events = fs.events();
        int data = events.indexOf("close " + V1);
        int marker = events.indexOf("create " + V1 + ".sha256 NO_OVERWRITE");
        assertThat(events).contains("create " + V1 + " OVERWRITE");
        assertThat(data).isNotNegative().isLessThan(marker);
        assertThat(events.get(events.size() - 1)).isEqualTo("close " + V1 + ".sha256");
        assertThat(store.get(s.uri(), s.sha256())).containsExactly(1, 2, 3);
        assertThat(names(dir.resolve("m"))).containsExactly(V1, V1 + ".sha256");
        assertThat(new LocalDirectoryModelStore(dir).get(s.uri(), s.sha256()))
                .containsExactly(1, 2, 3);
    }

    @Test
    void renameThatRefusesAnExistingTargetReplacesAnOrphan(@TempDir Path dir) throws Exception {
        ScriptedFileSystem fs =
                new ScriptedFileSystem(ScriptedFileSystem.Rename.REFUSE_EXISTING, true);
        FileSystemModelStore store = new FileSystemModelStore(fs, flinkPath(dir));
        Files.createDirectories(dir.resolve("m"));
        Files.write(dir.resolve("m").resolve(V1), new byte[] {66, 66});
        StoredSnapshot s = store.put("m", 1, new byte[] {1, 2, 3});
        List<String> events = fs.events();
        assertThat(events).filteredOn(e -> e.startsWith("rename ")).hasSize(2);
        assertThat(events.stream().filter(e -> e.startsWith("rename ")).toList().get(1))
                .endsWith("-> true");
        // Renamed into place, never written there.
        assertThat(events).doesNotContain("create " + V1 + " OVERWRITE");
        assertThat(store.get(s.uri(), s.sha256())).containsExactly(1, 2, 3);
        assertThat(names(dir.resolve("m"))).containsExactly(V1, V1 + ".sha256");
    }

    @Test
    void aMarkerThatAppearsWhileWritingDecidesLikeAnyOther(@TempDir Path dir) throws Exception {
        ScriptedFileSystem fs = new ScriptedFileSystem(ScriptedFileSystem.Rename.POSIX, false);
        FileSystemModelStore store = new FileSystemModelStore(fs, flinkPath(dir));
        Path m = dir.resolve("m");
        // Another writer (against the one-writer rule) completes the version just before our
        // marker: with the bytes {1} for version 1 and {2} for version 2.
        fs.beforeCreate =
                p -> {
                    if (p.getName().endsWith(".sha256")) {
                        String data = p.getName().substring(0, V1.length());
                        byte[] theirs = {(byte) Long.parseLong(data.substring(0, 19))};
                        try {
                            Files.writeString(
                                    m.resolve(p.getName()),
                                    Sha256.hex(theirs) + "  " + data + "\n",
                                    StandardCharsets.US_ASCII);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                };
        // Same bytes as the other writer: a no-op.
        assertThat(store.put("m", 1, new byte[] {1}).sha256())
                .isEqualTo(Sha256.hex(new byte[] {1}));
        // Different bytes: refused, since NO_OVERWRITE keeps the other writer's marker.
        assertThatThrownBy(() -> store.put("m", 2, new byte[] {9}))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("immutable");
        assertThat(Files.readString(m.resolve(V2 + ".sha256")))
                .startsWith(Sha256.hex(new byte[] {2}));
        assertThat(fs.events()).contains("create " + V1 + ".sha256 " + WriteMode.NO_OVERWRITE);
    }

    private static org.apache.flink.core.fs.Path flinkPath(Path dir) {
        return new org.apache.flink.core.fs.Path(dir.toUri());
    }
}
