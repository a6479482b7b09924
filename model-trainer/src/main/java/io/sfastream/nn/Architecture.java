package io.sfastream.nn;

import ai.djl.nn.Block;

/** The backbones sfa-stream can build, by the name used in configuration files. */
public enum Architecture {
    /** {@link Backbones#smallCnn()}: 28×28 grey or 32×32 RGB, 128-d features. */
    SMALL_CNN("small-cnn", Backbones.SMALL_CNN_FEATURES),
    /**
     * {@link Backbones#preActResNet18()}: SFA's CIFAR network, 32×32 (25..56 pixels work), 512-d
     * features.
     */
    PRE_ACT_RESNET18("preact-resnet18", Backbones.PRE_ACT_RESNET18_FEATURES),
    /**
     * {@link Backbones#inceptionResNetV2()}: SFA's mini-WebVision network, 299×299 RGB, 1536-d
     * features.
     */
    INCEPTION_RESNET_V2("inception-resnet-v2", Backbones.INCEPTION_RESNET_V2_FEATURES),
    /**
     * A pretrained encoder loaded from a TorchScript file ({@link
     * SfaModel#withTorchScriptEncoder}); its feature width is found when the file is loaded, so
     * {@link #featureDim()} is 0 here.
     */
    TORCHSCRIPT("torchscript", 0);

    private final String configName;
    private final int featureDim;

    Architecture(String configName, int featureDim) {
        this.configName = configName;
        this.featureDim = featureDim;
    }

    public String configName() {
        return configName;
    }

    /** The feature width; 0 for {@link #TORCHSCRIPT}, whose width comes from the file. */
    public int featureDim() {
        return featureDim;
    }

    Block newBackbone() {
        return switch (this) {
            case SMALL_CNN -> Backbones.smallCnn();
            case PRE_ACT_RESNET18 -> Backbones.preActResNet18();
            case INCEPTION_RESNET_V2 -> Backbones.inceptionResNetV2();
            case TORCHSCRIPT ->
                    throw new IllegalArgumentException(
                            "a torchscript backbone is loaded from a file: use SfaModel.withTorchScriptEncoder");
        };
    }

    public static Architecture fromConfigName(String name) {
        for (Architecture a : values()) {
            if (a.configName.equals(name) || a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "unknown architecture '"
                        + name
                        + "'; known: "
                        + java.util.Arrays.stream(values()).map(Architecture::configName).toList());
    }
}
