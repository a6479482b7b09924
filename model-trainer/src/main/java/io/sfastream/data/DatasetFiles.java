package io.sfastream.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * File helpers shared by the readers, so that every failure becomes a {@link DatasetException}
 * naming the file.
 */
final class DatasetFiles {
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private DatasetFiles() {}

    static void requireRegularFile(Path file) throws DatasetException {
        if (!Files.exists(file)) {
            throw new DatasetException("missing file " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file + ": not a regular file");
        }
    }

    /**
     * The file's content, gunzipped if it starts with the gzip magic bytes. Detecting by content
     * rather than by the {@code .gz} suffix matters because browsers and some mirrors silently
     * decompress downloads but keep the name.
     */
    static byte[] readMaybeGzipped(Path file) throws DatasetException {
        requireRegularFile(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
                try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
                    return in.readAllBytes();
                }
            }
            return raw.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new DatasetException("missing file " + file, e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read (" + e + ")", e);
        }
    }

    /**
     * Non-blank lines, trimmed: the format of {@code batches.meta.txt} and {@code
     * fine_label_names.txt}.
     */
    static List<String> readNames(Path file) throws DatasetException {
        requireRegularFile(file);
        try {
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty()) {
                    names.add(trimmed);
                }
            }
            if (names.isEmpty()) {
                throw new DatasetException(file + ": no class names (file has no non-blank line)");
            }
            return names;
        } catch (DatasetException e) {
            throw e;
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read (" + e + ")", e);
        }
    }
}
