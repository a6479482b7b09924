package io.sfastream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryModelStoreTest {

    @Test
    void storesListsAndReadsVersionsInNumericOrder(@TempDir Path dir) throws Exception {
        ModelStore store = new LocalDirectoryModelStore(dir);
        StoredSnapshot v10 = store.put("net1", 10, new byte[] {1, 2, 3});
        store.put("net1", 9, new byte[] {4});
        store.put("net2", 100, new byte[] {5});
        assertThat(store.list("net1")).extracting(StoredSnapshot::version).containsExactly(9L, 10L);
        assertThat(store.latest("net1")).get().isEqualTo(v10);
        assertThat(store.latest("nothing")).isEmpty();
        assertThat(v10.sizeBytes()).isEqualTo(3);
        assertThat(v10.sha256()).isEqualTo(Sha256.hex(new byte[] {1, 2, 3}));
        assertThat(store.get(v10.uri(), v10.sha256())).containsExactly(1, 2, 3);
        assertThat(store.get(v10.uri(), null)).containsExactly(1, 2, 3);
        // The hash file is sha256sum's format.
        Path hash = Path.of(v10.uri()).resolveSibling(Path.of(v10.uri()).getFileName() + ".sha256");
        assertThat(Files.readString(hash))
                .isEqualTo(v10.sha256() + "  0000000000000000010.sfasnap\n");
    }

    @Test
    void versionsAreImmutable(@TempDir Path dir) throws Exception {
        ModelStore store = new LocalDirectoryModelStore(dir);
        StoredSnapshot first = store.put("m", 1, new byte[] {1});
        assertThat(store.put("m", 1, new byte[] {1})).isEqualTo(first);
        assertThatThrownBy(() -> store.put("m", 1, new byte[] {2}))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("immutable");
    }

    @Test
    void corruptionAndWrongHashesAreRefused(@TempDir Path dir) throws Exception {
        ModelStore store = new LocalDirectoryModelStore(dir);
        StoredSnapshot s = store.put("m", 1, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> store.get(s.uri(), Sha256.hex(new byte[] {9})))
                .isInstanceOf(SnapshotIntegrityException.class)
                .hasMessageContaining("expected");
        Files.write(Path.of(s.uri()), new byte[] {1, 2, 4});
        assertThatThrownBy(() -> store.get(s.uri(), null))
                .isInstanceOf(SnapshotIntegrityException.class)
                .hasMessageContaining("corrupt");
    }

    @Test
    void halfWrittenSnapshotsDoNotCount(@TempDir Path dir) throws Exception {
        LocalDirectoryModelStore store = new LocalDirectoryModelStore(dir);
        StoredSnapshot s = store.put("m", 1, new byte[] {1});
        // A crash after the data file but before its hash file: version 2 has data only.
        Files.write(dir.resolve("m").resolve("0000000000000000002.sfasnap"), new byte[] {7});
        Files.write(
                dir.resolve("m").resolve(".0000000000000000003.sfasnap123.tmp"), new byte[] {7});
        assertThat(store.list("m")).containsExactly(s);
        assertThatThrownBy(
                        () ->
                                store.get(
                                        dir.resolve("m")
                                                .resolve("0000000000000000002.sfasnap")
                                                .toUri(),
                                        null))
                .isInstanceOf(NoSuchFileException.class);
        // Writing version 2 properly replaces the orphan.
        assertThat(store.put("m", 2, new byte[] {8}).version()).isEqualTo(2);
        assertThat(store.get(store.latest("m").orElseThrow().uri(), null)).containsExactly(8);
    }

    @Test
    void retentionKeepsTheNewest(@TempDir Path dir) throws Exception {
        ModelStore store = new LocalDirectoryModelStore(dir);
        for (int v = 1; v <= 5; v++) {
            store.put("m", v, new byte[] {(byte) v});
        }
        assertThat(store.retainLatest("m", 2)).isEqualTo(3);
        assertThat(store.list("m")).extracting(StoredSnapshot::version).containsExactly(4L, 5L);
        assertThat(store.retainLatest("m", 2)).isZero();
    }

    @Test
    void deletingAVersionThatWasNeverPublishedLetsItBeWrittenAgain(@TempDir Path dir)
            throws Exception {
        ModelStore store = new LocalDirectoryModelStore(dir);
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
        ModelStore store = new LocalDirectoryModelStore(dir);
        for (String bad : new String[] {"", "../x", "a/b", ".hidden", "x".repeat(101)}) {
            assertThatThrownBy(() -> store.put(bad, 1, new byte[] {1}))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> store.put("m", -1, new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get(java.net.URI.create("s3://bucket/x"), null))
                .hasMessageContaining("file: URIs");
        assertThatThrownBy(
                        () -> store.get(dir.getParent().resolve("elsewhere.sfasnap").toUri(), null))
                .hasMessageContaining("outside the store");
    }

    @Test
    void readersNeverSeeAPartialSnapshot(@TempDir Path dir) throws Exception {
        ModelStore store = new LocalDirectoryModelStore(dir);
        byte[] big = new byte[4 << 20];
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
                    assertThat(store.get(s.uri(), s.sha256())).hasSize(big.length);
                }
            }
            writer.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list("m")).hasSize(20);
    }
}
