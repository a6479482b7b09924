package io.sfastream.sfa;

/**
 * What a class with too few scores for its own two-component GMM ({@link
 * SfaParams#minScoresForGmm()}) does ({@code shared/notes/sfa-algorithm.md} §7.5).
 */
public enum TinyClassFallback {
    /**
     * Every sample of the class counts as clean (clean probability 1). The default: it needs no
     * data from other classes, so a Flink operator keyed by class can apply it alone, and under the
     * long-tail protocols the classes this hits are tail classes, whose labelled samples are mostly
     * clean (imbalanced noise flips mostly into head classes), so keeping them all costs little
     * precision and keeps every tail sample for training.
     */
    TREAT_AS_CLEAN,
    /**
     * The class's min–max normalised scores are judged by one GMM fitted to the normalised scores
     * of all classes pooled together. The batch face fits it itself; the streaming face needs the
     * caller to supply the pooled fit (see {@link SfaStreamingScorer#fitPooled}); without one it
     * falls back to {@link #TREAT_AS_CLEAN}.
     */
    POOLED
}
