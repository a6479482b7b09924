package io.sfastream.pipeline.eval;

import ai.djl.Device;
import io.sfastream.data.ImageSet;
import io.sfastream.nn.FeatureExtractor;
import io.sfastream.nn.SfaModel;
import io.sfastream.pipeline.train.ModelNames;
import io.sfastream.store.ModelStore;
import io.sfastream.store.StoredSnapshot;
import io.sfastream.train.Ensemble;
import io.sfastream.train.TrainingSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The held-out accuracy of the model versions a job published: each version's networks (the
 * snapshots under {@code <prefix>-net<n>}, verified by their SHA-256) tested as the reference
 * tests, the ensemble of both heads of every network ({@link Ensemble}).
 */
public final class VersionAccuracy {
    private VersionAccuracy() {}

    /**
     * Per version still in {@code store} (that every network has), the ensemble's top-1 accuracy on
     * {@code test}.
     */
    public static Map<Long, Double> of(
            ModelStore store, String prefix, int networks, ImageSet test, Device device)
            throws IOException {
        Map<Long, Double> out = new TreeMap<>();
        predictions(store, prefix, networks, test, device)
                .forEach((v, p) -> out.put(v, accuracy(p, test.labels())));
        return out;
    }

    /** Top-1 accuracy of predictions against labels. */
    public static double accuracy(int[] predicted, int[] labels) {
        long correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / predicted.length;
    }

    /** Per true class, the share of its test images predicted right (NaN for a class not there). */
    public static double[] perClass(int[] predicted, int[] labels, int classes) {
        double[] right = new double[classes];
        double[] all = new double[classes];
        for (int i = 0; i < predicted.length; i++) {
            all[labels[i]]++;
            right[labels[i]] += predicted[i] == labels[i] ? 1 : 0;
        }
        for (int k = 0; k < classes; k++) {
            right[k] = all[k] == 0 ? Double.NaN : right[k] / all[k];
        }
        return right;
    }

    /**
     * Per version still in {@code store} (that every network has), the ensemble's class for every
     * test image.
     */
    public static Map<Long, int[]> predictions(
            ModelStore store, String prefix, int networks, ImageSet test, Device device)
            throws IOException {
        Map<Long, List<StoredSnapshot>> byVersion = new TreeMap<>();
        for (int n = 0; n < networks; n++) {
            for (StoredSnapshot s : store.list(ModelNames.of(prefix, n))) {
                byVersion.computeIfAbsent(s.version(), v -> new ArrayList<>()).add(s);
            }
        }
        List<byte[]> images = Arrays.asList(test.pixels());
        Map<Long, int[]> out = new TreeMap<>();
        for (var v : byVersion.entrySet()) {
            if (v.getValue().size() != networks) {
                continue;
            }
            List<SfaModel> models = new ArrayList<>();
            try {
                List<FeatureExtractor> fx = new ArrayList<>();
                for (StoredSnapshot s : v.getValue()) {
                    TrainingSnapshot snapshot =
                            TrainingSnapshot.fromBytes(store.get(s.uri(), s.sha256()));
                    if (!snapshot.hasNetwork()) {
                        break;
                    }
                    SfaModel m = snapshot.restoreModel(device);
                    models.add(m);
                    fx.add(new FeatureExtractor(m, 500));
                }
                if (fx.size() == networks) {
                    out.put(v.getKey(), Ensemble.predict(fx, images));
                }
            } finally {
                models.forEach(SfaModel::close);
            }
        }
        return out;
    }
}
