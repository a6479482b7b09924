package io.sfastream.data.webvision;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A listed image that a {@link WebVisionImages} set left out when it was loaded (missing on disk,
 * or undecodable when the set was verified), with why; the offline trainer's command prints or
 * writes these, so a user sees which files of a download are broken instead of a silently smaller
 * set.
 *
 * @param path the image file
 * @param reason one line, e.g. {@code "missing file"} or {@code "truncated image: Premature end of
 *     JPEG file"}
 */
public record SkippedImage(Path path, String reason) {
    public SkippedImage {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
