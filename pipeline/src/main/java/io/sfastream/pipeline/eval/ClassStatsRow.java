package io.sfastream.pipeline.eval;

import io.sfastream.schemas.ClassEpochStats;

/**
 * One committed {@link ClassEpochStats} record, flattened to what an evaluation reads.
 *
 * @param estimatedNoiseRate SFA's estimate (the weight of the low-score GMM component), NaN when
 *     the class had no fit
 * @param centroidDrift NaN at the class's first centroid
 */
public record ClassStatsRow(
        int label,
        int network,
        int epoch,
        long samples,
        long confident,
        long judgedClean,
        long selected,
        double flaggedRate,
        double estimatedNoiseRate,
        boolean tinyClass,
        boolean sampled,
        double centroidDrift,
        long modelVersion,
        long knownTruth,
        long knownNoisy) {

    public static ClassStatsRow of(ClassEpochStats s) {
        return new ClassStatsRow(
                s.getLabel(),
                s.getNetwork(),
                s.getEpoch(),
                s.getSamples(),
                s.getConfident(),
                s.getJudgedClean(),
                s.getSelected(),
                s.getFlaggedRate(),
                s.getEstimatedNoiseRate() == null ? Double.NaN : s.getEstimatedNoiseRate(),
                s.getTinyClass(),
                s.getSampled(),
                s.getCentroidDrift() == null ? Double.NaN : s.getCentroidDrift(),
                s.getModelVersion(),
                s.getKnownTruth(),
                s.getKnownNoisy());
    }

    /** The class's true noise rate in the epoch, NaN without truth. */
    public double trueNoiseRate() {
        return knownTruth == 0 ? Double.NaN : (double) knownNoisy / knownTruth;
    }
}
