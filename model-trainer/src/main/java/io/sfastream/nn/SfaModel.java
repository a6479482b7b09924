package io.sfastream.nn;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A DJL {@link Model} holding an {@link SfaNet}, with the {@link ModelSpec} it was built from and a
 * version. Owns native memory: close it.
 */
public final class SfaModel implements AutoCloseable {
    private final ModelSpec spec;
    private final Model model;
    private final SfaNet net;
    private final long version;

    private SfaModel(ModelSpec spec, Model model, SfaNet net, long version) {
        this.spec = spec;
        this.model = model;
        this.net = net;
        this.version = version;
    }

    /** A fresh model with the deterministic initial weights of {@code spec.seed()}; version 0. */
    public static SfaModel create(ModelSpec spec, Device device) {
        DjlRuntime.engine();
        Model model =
                Model.newInstance("sfa-" + spec.architecture().configName(), device, "PyTorch");
        try {
            SfaNet net = new SfaNet(spec.architecture().newBackbone(), spec.numClasses());
            model.setBlock(net);
            net.initialize(model.getNDManager(), DataType.FLOAT32, inputShape(spec, 1));
            checkFeatureShape(spec, net);
            SeededInit.apply(net, spec.seed());
            return new SfaModel(spec, model, net, 0L);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * A model whose backbone is a pretrained TorchScript encoder ({@link TorchScriptBackbone})
     * under fresh heads (seeded by {@code spec.seed()}, as {@link #create} seeds them). {@code
     * spec.architecture()} must be {@link Architecture#TORCHSCRIPT}; its geometry, channel count
     * and normalisation must be what the encoder expects (sfa-stream cannot check the
     * normalisation).
     *
     * @param fineTune {@code true}: the encoder's parameters train with the heads (and its
     *     BatchNorm runs in train mode during training steps); {@code false}: the encoder is frozen
     *     ({@link SfaNet#freezeBackbone}) and only the heads train
     */
    public static SfaModel withTorchScriptEncoder(
            ModelSpec spec, java.nio.file.Path file, boolean fineTune, Device device) {
        if (spec.architecture() != Architecture.TORCHSCRIPT) {
            throw new IllegalArgumentException(
                    "spec must use architecture torchscript, got " + spec.architecture());
        }
        DjlRuntime.engine();
        Model model = Model.newInstance("sfa-torchscript", device, "PyTorch");
        try {
            TorchScriptBackbone backbone =
                    TorchScriptBackbone.load(
                            model.getNDManager(), file, inputShape(spec, 1), fineTune);
            SfaNet net = new SfaNet(backbone, spec.numClasses());
            model.setBlock(net);
            net.initialize(model.getNDManager(), DataType.FLOAT32, inputShape(spec, 1));
            String backbonePrefix = net.getChildren().get(0).getKey() + "_";
            SeededInit.apply(net, spec.seed(), name -> !name.startsWith(backbonePrefix));
            net.freezeBackbone(!fineTune);
            return new SfaModel(spec, model, net, 0L);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public static SfaModel create(ModelSpec spec) {
        return create(spec, DjlRuntime.defaultDevice());
    }

    /**
     * A new model (a new native memory arena) with parameters read from {@link #parameterBytes()}
     * output. Building a new model rather than loading into a live one avoids DJL's leak and
     * stale-predictor problem with {@code loadParameters} on a live block.
     */
    public static SfaModel fromParameters(
            ModelSpec spec, byte[] parameters, long version, Device device) {
        // Not for Architecture.TORCHSCRIPT yet: create() cannot rebuild such a model without its
        // file.
        SfaModel fresh = create(spec, device);
        try {
            fresh.net.loadParameters(
                    fresh.model.getNDManager(),
                    new DataInputStream(new ByteArrayInputStream(parameters)));
            // Parameter.load creates plain arrays: without this a restored model could predict but
            // not train.
            for (var p : fresh.net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
            return new SfaModel(spec, fresh.model, fresh.net, version);
        } catch (IOException | MalformedModelException e) {
            fresh.close();
            throw new IllegalArgumentException(
                    "parameters do not fit " + spec + ": " + e.getMessage(), e);
        }
    }

    /**
     * DJL's parameter serialization of the whole network (both heads, BatchNorm running
     * statistics).
     */
    public byte[] parameterBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            net.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void checkFeatureShape(ModelSpec spec, SfaNet net) {
        Shape features = net.getOutputShapes(new Shape[] {inputShape(spec, 1)})[SfaNet.FEATURES];
        if (features.dimension() != 2 || features.get(1) != spec.featureDim()) {
            throw new IllegalArgumentException(
                    spec.architecture().configName()
                            + " on "
                            + spec.width()
                            + "x"
                            + spec.height()
                            + " inputs gives features of shape "
                            + features
                            + ", expected (1, "
                            + spec.featureDim()
                            + "); see the architecture's Javadoc for the input sizes it takes");
        }
    }

    public static Shape inputShape(ModelSpec spec, int batch) {
        return new Shape(batch, spec.channels(), spec.height(), spec.width());
    }

    public ModelSpec spec() {
        return spec;
    }

    public Model djlModel() {
        return model;
    }

    public SfaNet net() {
        return net;
    }

    /** Width of the feature vector (the spec's architecture's, or the TorchScript encoder's). */
    public int featureDim() {
        return net.backbone() instanceof TorchScriptBackbone t ? t.featureDim() : spec.featureDim();
    }

    public long version() {
        return version;
    }

    @Override
    public void close() {
        model.close();
    }
}
