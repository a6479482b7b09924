package io.sfastream.pipeline.store;

import io.sfastream.store.ModelStore;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.UnsupportedFileSystemSchemeException;

/** Opens a {@link ModelStore} from the URI a profile or a {@code ModelSnapshotRef} names. */
public final class ModelStores {
    /** A URI scheme; one letter is a Windows drive ({@code C:\models}), not a scheme. */
    private static final Pattern SCHEME =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):.*", Pattern.DOTALL);

    private ModelStores() {}

    /**
     * The store at {@code uri}. Every store is a {@link FileSystemModelStore} (its layout is that
     * of {@link io.sfastream.store.LocalDirectoryModelStore}, so either can read the other's
     * snapshots); a plain path ({@code models}, {@code /srv/models}) is a local directory, resolved
     * against the working directory, whatever Flink's default file system is.
     *
     * @throws IllegalArgumentException for an empty URI, or when Flink has no file system for the
     *     URI's scheme (the message names the URI and the plugin to install)
     */
    public static ModelStore open(String uri) throws IOException {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("model store URI is empty");
        }
        Matcher m = SCHEME.matcher(uri);
        if (!m.matches()) {
            return new FileSystemModelStore(
                    new Path(java.nio.file.Path.of(uri).toAbsolutePath().normalize().toUri()));
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        try {
            return new FileSystemModelStore(uri);
        } catch (UnsupportedFileSystemSchemeException e) {
            throw new IllegalArgumentException(
                    "model store URI '"
                            + uri
                            + "': Flink has no file system for the scheme '"
                            + scheme
                            + "'. "
                            + whatToInstall(scheme),
                    e);
        }
    }

    /** What makes {@code scheme} available, in the words of Flink's file-system documentation. */
    static String whatToInstall(String scheme) {
        String plugin =
                switch (scheme) {
                    case "s3", "s3a" -> "flink-s3-fs-hadoop (or flink-s3-fs-presto for s3://)";
                    case "s3p" -> "flink-s3-fs-presto";
                    case "gs" -> "flink-gs-fs-hadoop";
                    case "abfs", "abfss", "wasb", "wasbs" -> "flink-azure-fs-hadoop";
                    case "oss" -> "flink-oss-fs-hadoop";
                    default -> null;
                };
        String plugins =
                " On a cluster, plugins are loaded from plugins/ at start-up; in a local run (bin/sfa, tests)"
                        + " only after FileSystem.initialize(config, PluginUtils"
                        + ".createPluginManagerFromRootFolder(config)) with FLINK_PLUGINS_DIR set.";
        if (plugin != null) {
            return "Install the Flink file-system plugin "
                    + plugin
                    + ": copy its jar from the Flink distribution's opt/ into a folder of its own under"
                    + " plugins/ (for example plugins/"
                    + plugin.split(" ")[0].replaceFirst("^flink-", "")
                    + "/)."
                    + plugins;
        }
        if (scheme.equals("hdfs") || scheme.equals("viewfs") || scheme.equals("webhdfs")) {
            return "HDFS needs no plugin but Hadoop on the class path: export HADOOP_CLASSPATH=$(hadoop"
                    + " classpath) before starting Flink (Flink's flink-hadoop-fs bridges to it).";
        }
        return "Install the Flink file-system plugin for '"
                + scheme
                + "' (see https://nightlies.apache.org/flink/flink-docs-stable/docs/deployment/filesystems/overview/),"
                + " or use a file:, s3:, gs:, abfs:, oss: or hdfs: URI."
                + plugins;
    }
}
