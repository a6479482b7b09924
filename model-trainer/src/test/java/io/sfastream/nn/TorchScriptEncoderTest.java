package io.sfastream.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfastream.sfa.loss.BalancedSoftmax;
import io.sfastream.train.NetTrainer;
import io.sfastream.train.SgdOptions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A TorchScript encoder as the backbone under the two heads. {@code
 * src/test/resources/nets/make_tiny_encoder.py} (Debian python3-torch 1.13) wrote {@code
 * tiny_encoder.pt} (19.5 kB, 28×28 grey → 16-d, with BatchNorm) and its eval-mode features on a
 * closed-form input.
 */
class TorchScriptEncoderTest {
    private static final ModelSpec SPEC =
            new ModelSpec(
                    Architecture.TORCHSCRIPT,
                    28,
                    28,
                    1,
                    10,
                    5,
                    ModelSpec.FASHION_MNIST_MEAN,
                    ModelSpec.FASHION_MNIST_STD);

    private static Path file(String name) throws URISyntaxException {
        return Path.of(TorchScriptEncoderTest.class.getResource("/nets/" + name).toURI());
    }

    private static float[] input() {
        float[] x = new float[2 * 28 * 28];
        for (int j = 0; j < x.length; j++) {
            x[j] = (float) Math.sin(0.37 * j + 0.5);
        }
        return x;
    }

    private static float[] features(SfaModel model) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager sub = model.djlModel().getNDManager().newSubManager()) {
            return model.net()
                    .forward(
                            new ParameterStore(sub, false),
                            new NDList(sub.create(input(), new Shape(2, 1, 28, 28))),
                            false)
                    .get(SfaNet.FEATURES)
                    .toFloatArray();
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    private static List<float[]> values(SfaModel model, boolean backbone) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.net().getParameters()) {
            if (p.getKey().contains("backbone") == backbone) {
                out.add(p.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }

    private static void train(SfaModel model, int steps) {
        Random r = new Random(3);
        try (NetTrainer trainer = new NetTrainer(model, new SgdOptions(0.1, 0.9, 5e-4))) {
            for (int s = 0; s < steps; s++) {
                float[][] x = new float[8][28 * 28];
                int[] y = new int[8];
                for (int i = 0; i < 8; i++) {
                    for (int j = 0; j < x[i].length; j++) {
                        x[i][j] = (float) r.nextGaussian();
                    }
                    y[i] = r.nextInt(10);
                }
                trainer.warmUpStep(
                        x, y, BalancedSoftmax.fromCounts(new int[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 5}));
            }
        }
    }

    @Test
    void pretrainedEncoderGivesPyTorchsFeaturesUnderFreshHeads() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(file("tiny_encoder.json").toFile());
        try (SfaModel model =
                SfaModel.withTorchScriptEncoder(
                        SPEC, file("tiny_encoder.pt"), false, Device.cpu())) {
            assertThat(model.featureDim()).isEqualTo(16);
            long encoderParameters = 0;
            for (Pair<String, Parameter> p : model.net().getParameters()) {
                if (p.getKey().contains("backbone")) {
                    encoderParameters += p.getValue().getArray().size();
                }
            }
            assertThat(encoderParameters).isEqualTo(expected.get("parameters").asLong());
            float[] f = features(model);
            JsonNode rows = expected.get("features");
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < 16; k++) {
                    assertThat(f[i * 16 + k])
                            .isCloseTo((float) rows.get(i).get(k).asDouble(), within(1e-5f));
                }
            }
            // the heads are seeded like create()'s and differ from each other
            List<float[]> heads = values(model, false);
            assertThat(heads).hasSize(4);
            assertThat(heads.get(0)).isNotEqualTo(heads.get(2));
            try (SfaModel again =
                    SfaModel.withTorchScriptEncoder(
                            SPEC, file("tiny_encoder.pt"), false, Device.cpu())) {
                assertThat(values(again, false).get(0)).containsExactly(heads.get(0));
            }
        }
    }

    @Test
    void frozenEncoderKeepsItsWeightsAndStatisticsWhileTheHeadsTrain() throws Exception {
        try (SfaModel model =
                SfaModel.withTorchScriptEncoder(
                        SPEC, file("tiny_encoder.pt"), false, Device.cpu())) {
            assertThat(model.net().isBackboneFrozen()).isTrue();
            List<float[]> encoder = values(model, true);
            List<float[]> heads = values(model, false);
            float[] before = features(model);
            train(model, 3);
            List<float[]> encoderAfter = values(model, true);
            for (int i = 0; i < encoder.size(); i++) {
                assertThat(encoderAfter.get(i)).containsExactly(encoder.get(i));
            }
            assertThat(values(model, false).get(0)).isNotEqualTo(heads.get(0));
            // eval-mode features unchanged: no weight moved and BatchNorm's running statistics were
            // not updated
            assertThat(features(model)).containsExactly(before);
        }
    }

    @Test
    void fineTunedEncoderTrainsWithTheHeads() throws Exception {
        try (SfaModel model =
                SfaModel.withTorchScriptEncoder(
                        SPEC, file("tiny_encoder.pt"), true, Device.cpu())) {
            assertThat(model.net().isBackboneFrozen()).isFalse();
            List<float[]> encoder = values(model, true);
            train(model, 3);
            assertThat(values(model, true).get(0)).isNotEqualTo(encoder.get(0));
        }
    }

    @Test
    void rejectsMissingFilesAndOtherArchitectures() {
        assertThatThrownBy(
                        () ->
                                SfaModel.withTorchScriptEncoder(
                                        SPEC, Path.of("/nonexistent.pt"), false, Device.cpu()))
                .hasMessageContaining("TorchScript file not found");
        assertThatThrownBy(
                        () ->
                                SfaModel.withTorchScriptEncoder(
                                        ModelSpec.fashionMnistSmallCnn(1),
                                        file("tiny_encoder.pt"),
                                        false,
                                        Device.cpu()))
                .hasMessageContaining("architecture torchscript");
        assertThatThrownBy(() -> SfaModel.create(SPEC, Device.cpu()))
                .hasMessageContaining("withTorchScriptEncoder");
    }
}
