package io.sfastream.pipeline.eval;

import ai.djl.Device;
import io.sfastream.data.ImageSet;
import io.sfastream.nn.FeatureExtractor;
import io.sfastream.nn.SfaModel;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.store.ModelStores;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Held-out accuracy of the model versions a run published.
 *
 * @param testSet what the versions were tested on, in words
 * @param byVersion top-1 accuracy of each version still in the store (0 = the untrained model)
 * @param finalVersion the newest version tested
 * @param finalPerClass that version's accuracy per true class
 */
public record ModelAccuracy(
        String testSet,
        SortedMap<Long, Double> byVersion,
        long finalVersion,
        double[] finalPerClass) {

    /**
     * Tests every version of the run that {@code config} describes (its store, model prefix and
     * networks) and the untrained model (version 0, the seeded initialisation of {@code model:}) on
     * {@code test}.
     */
    public static ModelAccuracy of(
            PipelineConfig config, ImageSet test, String testSet, Device device)
            throws IOException {
        Map<Long, int[]> predictions =
                VersionAccuracy.predictions(
                        ModelStores.open(config.store().uri()),
                        config.kafka().transactionalIdPrefix(),
                        config.model().networks(),
                        test,
                        device);
        SortedMap<Long, int[]> all = new TreeMap<>(predictions);
        all.putIfAbsent(0L, untrained(config, test, device));
        SortedMap<Long, Double> byVersion = new TreeMap<>();
        all.forEach((v, p) -> byVersion.put(v, VersionAccuracy.accuracy(p, test.labels())));
        long last = all.lastKey();
        return new ModelAccuracy(
                testSet,
                byVersion,
                last,
                VersionAccuracy.perClass(all.get(last), test.labels(), test.numClasses()));
    }

    private static int[] untrained(PipelineConfig c, ImageSet test, Device device) {
        List<SfaModel> models = new ArrayList<>();
        try {
            List<FeatureExtractor> fx = new ArrayList<>();
            for (int n = 0; n < c.model().networks(); n++) {
                SfaModel m = SfaModel.create(c.model().toSpec(n), device);
                models.add(m);
                fx.add(new FeatureExtractor(m, 500));
            }
            return io.sfastream.train.Ensemble.predict(fx, Arrays.asList(test.pixels()));
        } finally {
            models.forEach(SfaModel::close);
        }
    }

    /** Per epoch, the accuracy of the version that scored it (where that version was tested). */
    public SortedMap<Integer, Double> byEpoch(SortedMap<Integer, Long> versionByEpoch) {
        SortedMap<Integer, Double> out = new TreeMap<>();
        versionByEpoch.forEach(
                (e, v) -> {
                    Double a = byVersion.get(v);
                    if (a != null) {
                        out.put(e, a);
                    }
                });
        return out;
    }
}
