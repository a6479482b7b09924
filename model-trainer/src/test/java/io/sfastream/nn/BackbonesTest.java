package io.sfastream.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

class BackbonesTest {

    private static long trainableParameters(SfaModel model) {
        long n = 0;
        for (Pair<String, Parameter> p : model.net().getParameters()) {
            Parameter.Type t = p.getValue().getType();
            if (t != Parameter.Type.RUNNING_MEAN && t != Parameter.Type.RUNNING_VAR) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }

    @Test
    void preActResNet18HasTheReferenceParameterCountAndShapes() {
        // PyTorch (torch_nets.py): 11,176,404 for 10 classes with both heads -> 11,166,144 without
        // heads
        try (SfaModel m = SfaModel.create(ModelSpec.cifarPreActResNet18(100, 3), Device.cpu())) {
            assertThat(trainableParameters(m)).isEqualTo(11_166_144L + 2 * (512 * 100 + 100));
            Shape[] out = m.net().getOutputShapes(new Shape[] {new Shape(64, 3, 32, 32)});
            assertThat(out[SfaNet.FEATURES]).isEqualTo(new Shape(64, 512));
            assertThat(out[SfaNet.LOGITS]).isEqualTo(new Shape(64, 100));
            assertThat(out[SfaNet.BALANCED_LOGITS]).isEqualTo(new Shape(64, 100));
        }
        // Fashion-MNIST's 28x28 grey also pools to 1x1 (28 -> 14 -> 7 -> 4)
        ModelSpec grey =
                new ModelSpec(
                        Architecture.PRE_ACT_RESNET18,
                        28,
                        28,
                        1,
                        10,
                        1,
                        ModelSpec.FASHION_MNIST_MEAN,
                        ModelSpec.FASHION_MNIST_STD);
        try (SfaModel m = SfaModel.create(grey, Device.cpu())) {
            assertThat(m.net().getOutputShapes(new Shape[] {new Shape(2, 1, 28, 28)})[0])
                    .isEqualTo(new Shape(2, 512));
        }
    }

    @Test
    void inputSizesThatDoNotPoolToOneByOneAreRejected() {
        ModelSpec big =
                new ModelSpec(
                        Architecture.PRE_ACT_RESNET18,
                        64,
                        64,
                        3,
                        10,
                        1,
                        ModelSpec.CIFAR10_MEAN,
                        ModelSpec.CIFAR10_STD);
        assertThatThrownBy(() -> SfaModel.create(big, Device.cpu()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "preact-resnet18 on 64x64 inputs gives features of shape (1, 2048)");
    }

    @Test
    void averagePoolExcludesPaddingLikePyTorch() {
        // F.avg_pool2d(arange(16).view(1,1,4,4), 3, 1, 1, count_include_pad=False) in PyTorch 1.13
        float[] torch = {
            2.5f, 3.0f, 4.0f, 4.5f, 4.5f, 5.0f, 6.0f, 6.5f, 8.5f, 9.0f, 10.0f, 10.5f, 10.5f, 11.0f,
            12.0f, 12.5f
        };
        DjlRuntime.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            Block pool = Backbones.avgPool3x3ExcludingPad();
            NDArray x = m.arange(16f).reshape(1, 1, 4, 4);
            float[] out =
                    pool.forward(new ParameterStore(m, false), new NDList(x), false)
                            .singletonOrThrow()
                            .toFloatArray();
            for (int i = 0; i < torch.length; i++) {
                assertThat(out[i]).isCloseTo(torch[i], within(1e-6f));
            }
        }
    }
}
