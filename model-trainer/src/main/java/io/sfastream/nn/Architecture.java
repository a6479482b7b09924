package io.sfastream.nn;

import ai.djl.nn.Block;

/** The backbones sfa-stream can build, by the name used in configuration files. */
public enum Architecture {
    /** {@link Backbones#smallCnn()}: 28×28 grey or 32×32 RGB, 128-d features. */
    SMALL_CNN("small-cnn", Backbones.SMALL_CNN_FEATURES);

    private final String configName;
    private final int featureDim;

    Architecture(String configName, int featureDim) {
        this.configName = configName;
        this.featureDim = featureDim;
    }

    public String configName() {
        return configName;
    }

    public int featureDim() {
        return featureDim;
    }

    Block newBackbone() {
        return switch (this) {
            case SMALL_CNN -> Backbones.smallCnn();
        };
    }

    public static Architecture fromConfigName(String name) {
        for (Architecture a : values()) {
            if (a.configName.equals(name) || a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + name + "'; known: "
                + java.util.Arrays.stream(values()).map(Architecture::configName).toList());
    }
}
