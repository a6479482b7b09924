package io.sfastream.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SfaModelTest {

    private static List<byte[]> images(ModelSpec spec, int n, long seed) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[spec.pixelsPerImage()];
            r.nextBytes(b);
            out.add(b);
        }
        return out;
    }

    @Test
    void oneForwardGivesFeaturesAndBothHeadsForGreyAndRgb() {
        ModelSpec grey = ModelSpec.fashionMnistSmallCnn(7);
        ModelSpec rgb =
                new ModelSpec(
                        Architecture.SMALL_CNN,
                        32,
                        32,
                        3,
                        100,
                        7,
                        new float[] {0.5f, 0.5f, 0.5f},
                        new float[] {0.25f, 0.25f, 0.25f});
        for (ModelSpec spec : List.of(grey, rgb)) {
            try (SfaModel model = SfaModel.create(spec, Device.cpu())) {
                Embeddings e = new FeatureExtractor(model, 8).embed(images(spec, 5, 1));
                assertThat(e.size()).isEqualTo(5);
                assertThat(e.features()[0]).hasSize(128);
                assertThat(e.logits()[4]).hasSize(spec.numClasses());
                assertThat(e.balancedLogits()[4]).hasSize(spec.numClasses());
                // the two heads are different layers with different weights
                assertThat(e.logits()[0]).isNotEqualTo(e.balancedLogits()[0]);
                for (float[] f : e.features()) {
                    for (float v : f) {
                        assertThat(v)
                                .isFinite()
                                .isGreaterThanOrEqualTo(0f); // ReLU before average pooling
                    }
                }
            }
        }
    }

    @Test
    void initialWeightsDependOnlyOnTheSeed() {
        ModelSpec spec = ModelSpec.fashionMnistSmallCnn(42);
        List<byte[]> batch = images(spec, 4, 3);
        float[] a;
        float[] b;
        float[] c;
        try (SfaModel m = SfaModel.create(spec, Device.cpu())) {
            a = new FeatureExtractor(m, 4).embed(batch).features()[2];
        }
        try (SfaModel m = SfaModel.create(spec, Device.cpu())) {
            b = new FeatureExtractor(m, 4).embed(batch).features()[2];
        }
        try (SfaModel m = SfaModel.create(ModelSpec.fashionMnistSmallCnn(43), Device.cpu())) {
            c = new FeatureExtractor(m, 4).embed(batch).features()[2];
        }
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void embeddingsDoNotDependOnBatchComposition() {
        ModelSpec spec = ModelSpec.fashionMnistSmallCnn(5);
        List<byte[]> batch = images(spec, 6, 9);
        try (SfaModel m = SfaModel.create(spec, Device.cpu())) {
            FeatureExtractor fx = new FeatureExtractor(m, 6);
            float[] inBatch = fx.embed(batch).features()[3];
            float[] alone = fx.embed(List.of(batch.get(3))).features()[0];
            for (int i = 0; i < alone.length; i++) {
                assertThat(alone[i]).isCloseTo(inBatch[i], within(1e-5f));
            }
        }
    }

    @Test
    void parametersRoundTripIntoAFreshModel() {
        ModelSpec spec = ModelSpec.fashionMnistSmallCnn(11);
        List<byte[]> batch = images(spec, 3, 4);
        try (SfaModel m = SfaModel.create(spec, Device.cpu());
                SfaModel copy = SfaModel.fromParameters(spec, m.parameterBytes(), 7, Device.cpu());
                SfaModel other = SfaModel.create(ModelSpec.fashionMnistSmallCnn(12), Device.cpu());
                SfaModel loaded =
                        SfaModel.fromParameters(spec, other.parameterBytes(), 8, Device.cpu())) {
            assertThat(copy.version()).isEqualTo(7);
            Embeddings e1 = new FeatureExtractor(m, 3).embed(batch);
            Embeddings e2 = new FeatureExtractor(copy, 3).embed(batch);
            Embeddings e3 = new FeatureExtractor(loaded, 3).embed(batch);
            Embeddings e4 = new FeatureExtractor(other, 3).embed(batch);
            assertThat(e2.logits()[1]).containsExactly(e1.logits()[1]);
            assertThat(e3.logits()[1]).containsExactly(e4.logits()[1]).isNotEqualTo(e1.logits()[1]);
        }
    }

    @Test
    void rejectsWrongImageSizeAndOversizeBatch() {
        ModelSpec spec = ModelSpec.fashionMnistSmallCnn(1);
        try (SfaModel m = SfaModel.create(spec, Device.cpu())) {
            FeatureExtractor fx = new FeatureExtractor(m, 2);
            assertThatThrownBy(() -> fx.embed(List.of(new byte[100])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("100 bytes")
                    .hasMessageContaining("28x28x1");
            assertThatThrownBy(() -> fx.embed(images(spec, 3, 1)))
                    .hasMessageContaining("exceeds maxBatch 2");
        }
        assertThatThrownBy(
                        () ->
                                new ModelSpec(
                                        Architecture.SMALL_CNN,
                                        28,
                                        28,
                                        2,
                                        10,
                                        1,
                                        new float[2],
                                        new float[2]))
                .hasMessageContaining("channels must be 1 (grey) or 3 (RGB)");
    }
}
