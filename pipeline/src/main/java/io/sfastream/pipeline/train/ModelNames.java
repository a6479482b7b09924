package io.sfastream.pipeline.train;

/**
 * How the job names its models in the store and on the model-snapshots topic, and what a snapshot
 * carries beside the network. One job owns the names {@code <prefix>-net<n>}; other jobs on the
 * same topic use other prefixes.
 */
public final class ModelNames {
    /**
     * The snapshot extra holding the pooled fallback selection of the version's epoch ({@code
     * ClassSelectionModel.toBytes}).
     */
    public static final String POOLED_SELECTION = "pooled-selection";

    private ModelNames() {}

    /** {@code <prefix>-net<n>}. */
    public static String of(String prefix, int network) {
        return prefix + "-net" + network;
    }

    /**
     * {@code <prefix>-train<n>}: the trainer's mid-epoch checkpoint snapshots of network n (never
     * published; a restore reloads them).
     */
    public static String checkpointOf(String prefix, int network) {
        return prefix + "-train" + network;
    }

    /** The name of the end-of-stream marker of a run (a control record, never a snapshot). */
    public static String endMarker(String prefix) {
        return prefix + "-end";
    }
}
