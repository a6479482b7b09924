package io.sfastream.train.offline;

import io.sfastream.data.DatasetException;
import io.sfastream.data.webvision.ResizedCropTransform;
import io.sfastream.data.webvision.SkippedImage;
import io.sfastream.data.webvision.WebVisionImages;
import io.sfastream.eval.ShotGroups;
import io.sfastream.nn.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * mini-WebVision for the offline trainer: the Google subset's first {@code C} classes as given (its
 * own noise and imbalance; no protocol is applied, as the reference's default {@code imb_ratio =
 * 1}), tested on the WebVision validation set. Images are decoded per use; listed files that are
 * missing are reported at load, unreadable ones when first used. The training truth is unknown, so
 * no selection AUC or precision/recall is reported.
 */
final class WebVisionData {
    private WebVisionData() {}

    static OfflineData load(OfflineConfig config) throws DatasetException {
        int classes = config.numClasses();
        ResizedCropTransform transform =
                new ResizedCropTransform(config.resizeSize(), config.cropSize());
        WebVisionImages train = WebVisionImages.train(config.dataPath(), classes, transform, false);
        WebVisionImages val =
                WebVisionImages.validation(config.dataPath(), classes, transform, false);
        int[] counts = new int[classes];
        for (int i = 0; i < train.size(); i++) {
            counts[train.label(i)]++;
        }
        List<String> skipped = new ArrayList<>();
        for (SkippedImage s : train.skipped()) {
            skipped.add("train " + s);
        }
        for (SkippedImage s : val.skipped()) {
            skipped.add("val " + s);
        }
        ModelSpec spec =
                new ModelSpec(
                        config.architecture(),
                        transform.cropSize(),
                        transform.cropSize(),
                        3,
                        classes,
                        config.seed(),
                        ModelSpec.IMAGENET_MEAN,
                        ModelSpec.IMAGENET_STD);
        String description =
                String.format(
                        "mini-WebVision (%d classes): %d training images, %d validation images, "
                                + "%d listed images missing",
                        classes, train.size(), val.size(), skipped.size());
        return new OfflineData(
                train, val, ShotGroups.byCount(counts), counts, spec, skipped, description);
    }
}
