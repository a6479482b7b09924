package io.sfastream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sfastream.nn.Architecture;
import io.sfastream.nn.FeatureExtractor;
import io.sfastream.nn.ModelSpec;
import io.sfastream.nn.SfaModel;
import io.sfastream.sfa.loss.BalancedSoftmax;
import io.sfastream.sfa.loss.MixPlan;
import io.sfastream.store.LocalDirectoryModelStore;
import io.sfastream.store.StoredSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots carry everything a trainer needs to continue exactly, survive the store, and reject
 * damaged bytes.
 */
class TrainingSnapshotTest {
    private static final int CLASSES = 3;
    private static final ModelSpec SPEC =
            new ModelSpec(
                    Architecture.SMALL_CNN,
                    8,
                    8,
                    1,
                    CLASSES,
                    7,
                    new float[] {0.5f},
                    new float[] {0.25f});
    private static final SgdOptions SGD = new SgdOptions(0.05, 0.9, 5e-4);
    private static final BalancedSoftmax COUNTS = BalancedSoftmax.fromCounts(new int[] {6, 3, 1});

    private static float[][] rows(Random r, int n) {
        float[][] x = new float[n][SPEC.pixelsPerImage()];
        for (float[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return x;
    }

    /**
     * A fixed sequence of steps: step {@code i} always sees the same data, warm-up first, then SSL
     * steps.
     */
    private static void step(NetTrainer t, int i) {
        Random r = new Random(1000 + i);
        int[] labels = {0, 1, 2, 0};
        if (i < 3) {
            t.warmUpStep(rows(r, 4), labels, COUNTS);
        } else {
            SslBatch batch =
                    new SslBatch(
                            rows(r, 4),
                            rows(r, 4),
                            labels,
                            new double[] {1, 0.8, 0.5, 0.9},
                            rows(r, 2),
                            rows(r, 2));
            int[] perm = new int[batch.rows()];
            for (int k = 0; k < perm.length; k++) {
                perm[k] = (k * 5 + i) % perm.length;
            }
            t.sslStep(batch, null, COUNTS, 2.0, 0.5, MixPlan.of(0.7, perm));
        }
    }

    @Test
    void resumedTrainingContinuesBitForBitAndNeedsTheMomentum(@TempDir Path dir) throws Exception {
        LocalDirectoryModelStore store = new LocalDirectoryModelStore(dir);
        byte[] uninterrupted;
        StoredSnapshot stored;
        try (SfaModel model = SfaModel.create(SPEC, Device.cpu());
                NetTrainer t = new NetTrainer(model, SGD)) {
            for (int i = 0; i < 5; i++) {
                step(t, i);
            }
            t.setLearningRate(0.02); // the restored rate must be this one, not the constructor's
            TrainingSnapshot s =
                    t.snapshot(5, 20, new float[] {1f, -2f}, Map.of("note", new byte[] {42}));
            assertThat(s.optimizerState())
                    .hasSize(model.net().getParameters().size() - bnStatistics(model));
            stored = store.put("net1", s.version(), s.toBytes());
            for (int i = 5; i < 9; i++) {
                step(t, i);
            }
            uninterrupted = model.parameterBytes();
        }

        TrainingSnapshot restored =
                TrainingSnapshot.fromBytes(store.get(stored.uri(), stored.sha256()));
        assertThat(restored.steps()).isEqualTo(5);
        assertThat(restored.learningRate()).isEqualTo(0.02f);
        assertThat(restored.centringMean()).containsExactly(1f, -2f);
        assertThat(restored.extras().get("note")).containsExactly(42);
        try (SfaModel model = restored.restoreModel(Device.cpu());
                NetTrainer t = NetTrainer.resume(model, SGD, restored)) {
            assertThat(model.version()).isEqualTo(5);
            assertThat(t.steps()).isEqualTo(5);
            for (int i = 5; i < 9; i++) {
                step(t, i);
            }
            assertThat(model.parameterBytes()).isEqualTo(uninterrupted);
        }

        // Parameters alone are not enough: restarting momentum from zero gives a different model.
        try (SfaModel model = restored.restoreModel(Device.cpu());
                NetTrainer t = new NetTrainer(model, SGD)) {
            t.setLearningRate(0.02);
            for (int i = 5; i < 9; i++) {
                step(t, i);
            }
            assertThat(model.parameterBytes()).isNotEqualTo(uninterrupted);
        }
    }

    private static int bnStatistics(SfaModel model) {
        return (int)
                model.net().getParameters().stream()
                        .filter(
                                p ->
                                        p.getKey().endsWith("runningMean")
                                                || p.getKey().endsWith("runningVar"))
                        .count();
    }

    @Test
    void bytesAreDeterministicAndRoundTrip() {
        try (SfaModel model = SfaModel.create(SPEC, Device.cpu());
                NetTrainer t = new NetTrainer(model, SGD)) {
            step(t, 0);
            TrainingSnapshot a =
                    t.snapshot(1, 4, null, Map.of("b", new byte[] {2}, "a", new byte[] {1}));
            TrainingSnapshot b =
                    t.snapshot(1, 4, null, Map.of("a", new byte[] {1}, "b", new byte[] {2}));
            assertThat(a.toBytes()).isEqualTo(b.toBytes());
            assertThat(a.sha256()).hasSize(64).isEqualTo(b.sha256());
            TrainingSnapshot back = TrainingSnapshot.fromBytes(a.toBytes());
            assertThat(back).isEqualTo(a);
            assertThat(back.spec()).isEqualTo(SPEC);
            assertThat(back.centringMean()).isEmpty();
            assertThat(t.snapshot(2, 4, null, null).sha256()).isNotEqualTo(a.sha256());
        }
    }

    @Test
    void aSnapshotWithoutANetworkCarriesOnlyTheCentringMean() {
        TrainingSnapshot s =
                TrainingSnapshot.withoutNetwork(
                        3,
                        1000,
                        new float[] {0.5f, -1f},
                        java.util.Map.of("pooled", new byte[] {1}));
        TrainingSnapshot back = TrainingSnapshot.fromBytes(s.toBytes());
        assertThat(back).isEqualTo(s);
        assertThat(back.hasNetwork()).isFalse();
        assertThat(back.spec()).isNull();
        assertThat(back.centringMean()).containsExactly(0.5f, -1f);
        assertThat(back.extras().get("pooled")).containsExactly(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> back.restoreModel(null))
                .hasMessageContaining("no network");
    }

    @Test
    void damagedBytesAreRejectedWithAReason() {
        byte[] good;
        try (SfaModel model = SfaModel.create(SPEC, Device.cpu());
                NetTrainer t = new NetTrainer(model, SGD)) {
            good = t.snapshot(0, 0, null, null).toBytes();
        }
        assertThatThrownBy(() -> TrainingSnapshot.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .hasMessageContaining("bad magic");
        assertThatThrownBy(() -> TrainingSnapshot.fromBytes(Arrays.copyOf(good, good.length / 2)))
                .hasMessageContaining("truncated");
        byte[] future = good.clone();
        future[10] = 9; // the format number's low byte
        assertThatThrownBy(() -> TrainingSnapshot.fromBytes(future)).hasMessageContaining("format");
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        assertThatThrownBy(() -> TrainingSnapshot.fromBytes(longer))
                .hasMessageContaining("unexpected bytes");
    }

    @Test
    void restoringIntoFreshModelsDoesNotLeakAndGivesCurrentOutputs() {
        List<byte[]> images = new ArrayList<>();
        Random r = new Random(3);
        for (int i = 0; i < 4; i++) {
            byte[] img = new byte[SPEC.pixelsPerImage()];
            r.nextBytes(img);
            images.add(img);
        }
        TrainingSnapshot before;
        TrainingSnapshot after;
        float[][] expected;
        try (SfaModel model = SfaModel.create(SPEC, Device.cpu());
                NetTrainer t = new NetTrainer(model, SGD)) {
            before = t.snapshot(0, 0, null, null);
            for (int i = 0; i < 3; i++) {
                step(t, i);
            }
            after = t.snapshot(1, 12, null, null);
            expected = new FeatureExtractor(model, 4).embed(images).features();
        }
        SfaModel current = before.restoreModel(Device.cpu());
        FeatureExtractor old = new FeatureExtractor(current, 4);
        float[][] oldFeatures = old.embed(images).features();
        // Swap to the newer snapshot the way the embedder does: a new model and extractor, then
        // close the old model.
        SfaModel next = after.restoreModel(Device.cpu());
        FeatureExtractor fresh = new FeatureExtractor(next, 4);
        current.close();
        current = next;
        assertThat(fresh.embed(images).features()).isEqualTo(expected).isNotEqualTo(oldFeatures);

        NDManager system = current.djlModel().getNDManager().getParentManager();
        int arraysBefore = system.getManagedArrays().size();
        for (int i = 0; i < 20; i++) {
            SfaModel again = (i % 2 == 0 ? before : after).restoreModel(Device.cpu());
            current.close();
            current = again;
        }
        assertThat(system.getManagedArrays()).hasSize(arraysBefore);
        current.close();
    }

    @Test
    void momentumSgdIsPyTorchSgd() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            double[] lr = {0.1};
            MomentumSgd sgd = new MomentumSgd(new SgdOptions(0.1, 0.9, 0.01), () -> lr[0], m);
            NDArray w = m.create(new float[] {1f, 2f}, new Shape(2));
            sgd.update("p", w, m.create(new float[] {0.5f, -1f}, new Shape(2)));
            // d = g + wd·w = (0.51, -0.98); b = d; w -= 0.1·b
            float b0 = 0.5f + 0.01f * 1f;
            float b1 = -1f + 0.01f * 2f;
            float w0 = 1f - 0.1f * b0;
            float w1 = 2f - 0.1f * b1;
            assertThat(w.toFloatArray()).containsExactly(w0, w1);
            lr[0] = 0.01; // a rate change acts on the whole buffer at once, as in PyTorch
            sgd.update("p", w, m.create(new float[] {0.25f, 0.5f}, new Shape(2)));
            b0 = 0.9f * b0 + (0.25f + 0.01f * w0);
            b1 = 0.9f * b1 + (0.5f + 0.01f * w1);
            assertThat(w.toFloatArray()[0])
                    .isCloseTo(w0 - 0.01f * b0, org.assertj.core.api.Assertions.within(1e-7f));
            assertThat(w.toFloatArray()[1])
                    .isCloseTo(w1 - 0.01f * b1, org.assertj.core.api.Assertions.within(1e-7f));
            assertThat(sgd.exportState().get("p").values()[0])
                    .isCloseTo(b0, org.assertj.core.api.Assertions.within(1e-7f));
        }
    }
}
