package io.sfastream.sfa;

/** What decided a sample's clean probability. */
public enum SelectionBasis {
    /**
     * The posterior of the higher-mean component of its class's own two-component GMM (the method).
     */
    GMM,
    /**
     * Its class had too few scores for its own GMM; a GMM over all classes' normalised scores
     * decided.
     */
    POOLED_GMM,
    /** Its class had too few scores for its own GMM; treated as clean (probability 1). */
    TINY_CLASS_CLEAN,
    /**
     * Its class has no centroid yet (warm-up, or it never had a confident sample): treated as clean
     * (probability 1). A stream reports these with phase WARMUP.
     */
    NO_CENTROID,
    /**
     * Streaming only: its class has a centroid but no selection fitted yet (the first scoring
     * epoch, whose GMM is fitted at its end): treated as clean (probability 1), phase WARMUP.
     */
    NO_SELECTION_YET;

    /**
     * Whether the sample passed without any selection having judged it (phase WARMUP in a stream).
     */
    public boolean isWarmup() {
        return this == NO_CENTROID || this == NO_SELECTION_YET;
    }
}
