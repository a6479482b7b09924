package io.sfastream.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DJL networks against PyTorch: {@code src/test/resources/nets/torch_nets.py} (Debian
 * python3-torch 1.13) builds the same networks, fills every parameter and BatchNorm buffer with a
 * closed-form value, and records parameter counts, tensor shapes (state_dict order) and the outputs
 * of one forward pass in eval and in train mode. This test fills the DJL network with the same
 * values, in DJL's parameter order, and compares.
 */
class TorchParityTest {

    @Test
    void preActResNet18MatchesPyTorch() throws IOException {
        // measured: eval 2.9e-6, train 6.0e-7 (max |diff| of the logits)
        check(ModelSpec.cifarPreActResNet18(10, 1), "/nets/preact_resnet18.json", 2e-5, 2e-5);
    }

    @Test
    void inceptionResNetV2MatchesPyTorch() throws IOException {
        // measured: eval 3.8e-6; train 8.9e-5 on the features. In train mode, 40 residual blocks of
        // batch-statistics
        // BatchNorm (eps 1e-3) amplify rounding: PyTorch's own float32 and float64 runs differ by
        // 1.3e-3 there.
        check(
                ModelSpec.webVisionInceptionResNetV2(50, 1),
                "/nets/inception_resnet_v2.json",
                2e-5,
                2e-3);
    }

    private static void check(ModelSpec spec, String resource, double evalTol, double trainTol)
            throws IOException {
        JsonNode expected = read(resource);
        try (SfaModel model = SfaModel.create(spec, Device.cpu())) {
            List<Parameter> tensors = new ArrayList<>();
            long trainable = 0;
            for (Pair<String, Parameter> p : model.net().getParameters()) {
                tensors.add(p.getValue());
                Parameter.Type t = p.getValue().getType();
                if (t != Parameter.Type.RUNNING_MEAN && t != Parameter.Type.RUNNING_VAR) {
                    trainable += p.getValue().getArray().size();
                }
            }
            assertThat(trainable)
                    .as("parameter count")
                    .isEqualTo(expected.get("parameters").asLong());
            JsonNode shapes = expected.get("tensor_shapes");
            assertThat(tensors).hasSize(shapes.size());
            for (int i = 0; i < tensors.size(); i++) {
                long[] s = tensors.get(i).getArray().getShape().getShape();
                long[] e = new long[shapes.get(i).size()];
                for (int d = 0; d < e.length; d++) {
                    e[d] = shapes.get(i).get(d).asLong();
                }
                assertThat(s)
                        .as("shape of tensor %d (%s)", i, tensors.get(i).getName())
                        .containsExactly(e);
            }
            for (int p = 0; p < tensors.size(); p++) {
                fill(tensors.get(p), p);
            }
            JsonNode shapeNode = expected.get("input_shape");
            long[] inShape = new long[shapeNode.size()];
            for (int d = 0; d < inShape.length; d++) {
                inShape[d] = shapeNode.get(d).asLong();
            }
            NDManager manager = model.djlModel().getNDManager();
            ParameterStore ps = new ParameterStore(manager, false);
            for (String mode :
                    List.of(
                            "eval",
                            "train")) { // same order as the script: train mode moves running stats
                double relTol = mode.equals("train") ? trainTol : evalTol;
                try (NDManager sub = manager.newSubManager()) {
                    NDArray x = sub.create(closedFormInput(inShape), new Shape(inShape));
                    NDList out = model.net().forward(ps, new NDList(x), mode.equals("train"));
                    compare(
                            mode + " features",
                            out.get(SfaNet.FEATURES),
                            expected.get(mode).get("features"),
                            relTol);
                    compare(
                            mode + " logits",
                            out.get(SfaNet.LOGITS),
                            expected.get(mode).get("logits"),
                            relTol);
                    compare(
                            mode + " balancedLogits",
                            out.get(SfaNet.BALANCED_LOGITS),
                            expected.get(mode).get("balancedLogits"),
                            relTol);
                }
            }
        }
    }

    private static void compare(String what, NDArray actual, JsonNode expected, double relTol) {
        float[] a = actual.toFloatArray();
        int cols = expected.get(0).size();
        assertThat(a).hasSize(expected.size() * cols);
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.size(); i++) {
            for (int k = 0; k < cols; k++) {
                double e = expected.get(i).get(k).asDouble();
                maxDiff = Math.max(maxDiff, Math.abs(a[i * cols + k] - e));
                maxRef = Math.max(maxRef, Math.abs(e));
            }
        }
        System.out.printf("%s: max|diff| = %.3g (max|ref| = %.3g)%n", what, maxDiff, maxRef);
        assertThat(maxDiff)
                .as(what + " max |DJL - PyTorch|")
                .isLessThanOrEqualTo(relTol * Math.max(1.0, maxRef));
    }

    /** The closed-form values of torch_nets.py's {@code fill}. */
    private static void fill(Parameter parameter, int p) {
        NDArray array = parameter.getArray();
        long[] shape = array.getShape().getShape();
        int n = Math.toIntExact(array.size());
        float[] v = new float[n];
        double fanScale = shape.length >= 2 ? Math.sqrt(3.0 / (n / shape[0])) : 0;
        for (int j = 0; j < n; j++) {
            double s = Math.sin(0.61 * j + 1.37 * p + 0.25);
            double value =
                    switch (parameter.getType()) {
                        case RUNNING_MEAN, BETA, BIAS -> 0.1 * s;
                        case RUNNING_VAR -> 1.0 + 0.25 * (s + 1.0);
                        case GAMMA -> 1.0 + 0.1 * s;
                        default -> shape.length >= 2 ? s * fanScale : 1.0 + 0.1 * s;
                    };
            v[j] = (float) value;
        }
        array.set(v);
    }

    private static float[] closedFormInput(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] x = new float[Math.toIntExact(n)];
        for (int j = 0; j < x.length; j++) {
            x[j] = (float) Math.sin(0.37 * j + 0.5);
        }
        return x;
    }

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = TorchParityTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }
}
