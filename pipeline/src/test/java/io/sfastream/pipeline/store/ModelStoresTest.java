package io.sfastream.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfastream.store.LocalDirectoryModelStore;
import io.sfastream.store.ModelStore;
import io.sfastream.store.StoredSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.core.fs.UnsupportedFileSystemSchemeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoresTest {

    @Test
    void aFileUriOpensTheFlinkStoreOnThatDirectory(@TempDir Path dir) throws Exception {
        ModelStore store = ModelStores.open(dir.resolve("models").toUri().toString());
        assertThat(store).isInstanceOf(FileSystemModelStore.class);
        StoredSnapshot s = store.put("m", 3, new byte[] {3});
        assertThat(s.uri()).isEqualTo(dir.resolve("models/m/0000000000000000003.sfasnap").toUri());
        assertThat(new LocalDirectoryModelStore(dir.resolve("models")).get(s.uri(), s.sha256()))
                .containsExactly(3);
    }

    @Test
    void aPlainPathIsALocalDirectory(@TempDir Path dir) throws Exception {
        ModelStore store = ModelStores.open(dir.resolve("plain").toString());
        assertThat(store).isInstanceOf(FileSystemModelStore.class);
        assertThat(((FileSystemModelStore) store).rootUri().getScheme()).isEqualTo("file");
        assertThat(Files.isDirectory(dir.resolve("plain"))).isTrue();
        StoredSnapshot s = store.put("m", 1, new byte[] {1});
        assertThat(Files.exists(dir.resolve("plain/m/0000000000000000001.sfasnap.sha256")))
                .isTrue();
        assertThat(store.get(s.uri(), s.sha256())).containsExactly(1);
    }

    @Test
    void aSchemeWithoutAFileSystemNamesTheUriAndThePluginToInstall() {
        // The test class path has no S3 plugin, no Hadoop and no file system for "nosuchfs".
        assertThatThrownBy(() -> ModelStores.open("s3://bucket/models"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s3://bucket/models")
                .hasMessageContaining("flink-s3-fs-hadoop")
                .hasMessageContaining("plugins/s3-fs-hadoop/")
                .hasCauseInstanceOf(UnsupportedFileSystemSchemeException.class);
        assertThatThrownBy(() -> ModelStores.open("gs://bucket/models"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flink-gs-fs-hadoop");
        assertThatThrownBy(() -> ModelStores.open("hdfs://namenode:8020/models"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hdfs://namenode:8020/models")
                .hasMessageContaining("HADOOP_CLASSPATH");
        assertThatThrownBy(() -> ModelStores.open("nosuchfs://x/models"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nosuchfs://x/models")
                .hasMessageContaining("plugin for 'nosuchfs'");
    }

    @Test
    void anEmptyUriIsRefused() {
        assertThatThrownBy(() -> ModelStores.open(" "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelStores.open(null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
