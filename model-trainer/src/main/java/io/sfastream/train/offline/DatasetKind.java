package io.sfastream.train.offline;

import java.util.Locale;

/** The datasets {@code sfa train-offline} reads, by their command-line names. */
public enum DatasetKind {
    /**
     * Fashion-MNIST IDX files (Debian's {@code dataset-fashion-mnist} by default): the CPU-sized
     * stand-in for CIFAR.
     */
    FASHION_MNIST("fashion-mnist"),
    /** CIFAR-10 binary version ({@code data_batch_1.bin} …, {@code test_batch.bin}). */
    CIFAR10("cifar10"),
    /** CIFAR-100 binary version ({@code train.bin}, {@code test.bin}), fine labels. */
    CIFAR100("cifar100"),
    /** mini-WebVision: the Google subset's first 50 classes, from its file lists and JPEGs. */
    WEBVISION("webvision");

    private final String cliName;

    DatasetKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static DatasetKind fromName(String name) {
        for (DatasetKind k : values()) {
            if (k.cliName.equals(name) || k.name().equalsIgnoreCase(name.replace('-', '_'))) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "unknown dataset '"
                        + name
                        + "'; known: fashion-mnist, cifar10, cifar100, "
                        + "webvision");
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
