package io.sfastream.pipeline.eval;

/**
 * One rule's verdict on one scored sample.
 *
 * @param noiseScore higher = more likely mislabelled (what AUROC and AP rank by)
 * @param flagged the rule's decision: the label is suspected wrong
 */
public record Verdict(ScoreRow row, double noiseScore, boolean flagged) {}
