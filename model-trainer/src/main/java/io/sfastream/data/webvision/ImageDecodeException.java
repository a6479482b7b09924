package io.sfastream.data.webvision;

import java.io.IOException;

/**
 * An image file could not be turned into RGB pixels. The message is the one-line reason alone (no
 * path), so that it can become {@link io.sfastream.data.UnavailableImageException#reason()} or a
 * {@link SkippedImage} reason without repeating the file name.
 */
public final class ImageDecodeException extends IOException {
    private static final long serialVersionUID = 1L;

    public ImageDecodeException(String reason) {
        super(reason);
    }

    public ImageDecodeException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
