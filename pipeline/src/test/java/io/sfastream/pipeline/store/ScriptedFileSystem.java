package io.sfastream.pipeline.store;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.core.fs.BlockLocation;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;

/**
 * The local file system with the rename semantics of another one, recording what is done to it:
 * {@code create <name> <mode>} (when attempted), {@code close <name>}, {@code rename <from> <to> ->
 * <result>}.
 */
final class ScriptedFileSystem extends FileSystem {
    enum Rename {
        /** POSIX: replaces an existing target. */
        POSIX,
        /** HDFS: refuses (returns false) when the target exists. */
        REFUSE_EXISTING,
        /** An object store without rename: throws UnsupportedOperationException. */
        UNSUPPORTED
    }

    private final LocalFileSystem local = LocalFileSystem.getSharedInstance();
    private final Rename rename;
    private final boolean distributed;
    private final List<String> events = new ArrayList<>();

    /** Runs before each create, with the path. */
    volatile Consumer<Path> beforeCreate = p -> {};

    ScriptedFileSystem(Rename rename, boolean distributed) {
        this.rename = rename;
        this.distributed = distributed;
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    private synchronized void record(String event) {
        events.add(event);
    }

    @Override
    public FSDataOutputStream create(Path path, WriteMode mode) throws IOException {
        beforeCreate.accept(path);
        record("create " + path.getName() + " " + mode);
        FSDataOutputStream out = local.create(path, mode);
        return new FSDataOutputStream() {
            @Override
            public long getPos() throws IOException {
                return out.getPos();
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void sync() throws IOException {
                out.sync();
            }

            @Override
            public void close() throws IOException {
                out.close();
                record("close " + path.getName());
            }
        };
    }

    @Override
    public boolean rename(Path from, Path to) throws IOException {
        boolean result;
        switch (rename) {
            case UNSUPPORTED -> {
                record("rename " + from.getName() + " " + to.getName() + " -> unsupported");
                throw new UnsupportedOperationException("no rename on this store");
            }
            case REFUSE_EXISTING -> result = !local.exists(to) && local.rename(from, to);
            default -> result = local.rename(from, to);
        }
        record("rename " + from.getName() + " " + to.getName() + " -> " + result);
        return result;
    }

    @Override
    public boolean isDistributedFS() {
        return distributed;
    }

    @Override
    public Path getWorkingDirectory() {
        return local.getWorkingDirectory();
    }

    @Override
    public Path getHomeDirectory() {
        return local.getHomeDirectory();
    }

    @Override
    public URI getUri() {
        return local.getUri();
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        return local.getFileStatus(f);
    }

    @Override
    public BlockLocation[] getFileBlockLocations(FileStatus file, long start, long len)
            throws IOException {
        return local.getFileBlockLocations(file, start, len);
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        return local.open(f, bufferSize);
    }

    @Override
    public FSDataInputStream open(Path f) throws IOException {
        return local.open(f);
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        return local.listStatus(f);
    }

    @Override
    public boolean exists(Path f) throws IOException {
        return local.exists(f);
    }

    @Override
    public boolean delete(Path f, boolean recursive) throws IOException {
        return local.delete(f, recursive);
    }

    @Override
    public boolean mkdirs(Path f) throws IOException {
        return local.mkdirs(f);
    }
}
