package io.sfastream.train.offline;

import io.sfastream.data.DatasetException;

/** mini-WebVision for the offline trainer (file lists, JPEG decode, resize and crop). */
final class WebVisionData {
    private WebVisionData() {}

    static OfflineData load(OfflineConfig config) throws DatasetException {
        throw new DatasetException("mini-WebVision loading is not wired yet");
    }
}
