package io.sfastream.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.charset.StandardCharsets;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Initial weights that depend only on (seed, parameter name): every subtask, JVM and restart that
 * builds the same architecture with the same seed gets bit-identical weights, whatever threads
 * touched the engine's global RNG before. Values follow PyTorch's defaults for conv and linear
 * layers (Kaiming-uniform with a = √5, i.e. U(±1/√fan_in) for weights and biases) and BatchNorm's
 * (γ = 1, β = 0, running stats 0 and 1).
 */
public final class SeededInit {
    private SeededInit() {}

    public static void apply(Block block, long seed) {
        apply(block, seed, name -> true);
    }

    /**
     * Only the parameters whose full name (as {@code block.getParameters()} lists it) passes {@code
     * include}, e.g. the heads under a pretrained backbone. The values of an included parameter are
     * the same as with {@link #apply(Block, long)}.
     */
    public static void apply(Block block, long seed, java.util.function.Predicate<String> include) {
        // A bias does not know its layer's fan-in: take it from the weight with the same name
        // prefix.
        java.util.Map<String, Long> weightFanIn = new java.util.HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                weightFanIn.put(
                        layerOf(p.getKey()), fanIn(p.getValue().getArray().getShape().getShape()));
            }
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!include.test(p.getKey())) {
                continue;
            }
            Parameter param = p.getValue();
            NDArray array = param.getArray();
            long[] shape = array.getShape().getShape();
            int size = Math.toIntExact(array.size());
            float[] values = new float[size];
            switch (param.getType()) {
                case GAMMA, RUNNING_VAR -> java.util.Arrays.fill(values, 1f);
                case BETA, RUNNING_MEAN -> {}
                default -> {
                    long fanIn =
                            param.getType() == Parameter.Type.BIAS
                                    ? weightFanIn.getOrDefault(layerOf(p.getKey()), shape[0])
                                    : fanIn(shape);
                    float bound = (float) (1.0 / Math.sqrt(Math.max(1, fanIn)));
                    UniformRandomProvider rng =
                            RandomSource.XO_RO_SHI_RO_128_PP.create(mix(seed, p.getKey()));
                    for (int i = 0; i < size; i++) {
                        values[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
                    }
                }
            }
            array.set(values);
        }
    }

    /** Fan-in of a weight: the product of all dimensions but the first (output) one. */
    private static long fanIn(long[] shape) {
        long fan = 1;
        for (int i = 1; i < shape.length; i++) {
            fan *= shape[i];
        }
        return fan;
    }

    private static String layerOf(String parameterName) {
        int cut = parameterName.lastIndexOf('_');
        return cut < 0 ? parameterName : parameterName.substring(0, cut);
    }

    private static long[] mix(long seed, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return new long[] {seed, h};
    }
}
