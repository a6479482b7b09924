package io.sfastream.pipeline.score;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * One class's metrics in the scorer's metric group {@code class.<label>}: samples and flagged
 * counters, and gauges of the last boundary (network 0): estimated noise rate, N̂, the two GMM
 * means and the centroid drift.
 */
final class ClassMetrics {
    final Counter samples;
    final Counter flagged;
    volatile double estimatedNoiseRate = Double.NaN;
    volatile long selected;
    volatile double gmmCleanMean = Double.NaN;
    volatile double gmmNoisyMean = Double.NaN;
    volatile double centroidDrift = Double.NaN;
    volatile int epoch;

    ClassMetrics(MetricGroup scorer, int label) {
        MetricGroup g = scorer.addGroup("class", String.valueOf(label));
        samples = g.counter("samples");
        flagged = g.counter("flagged");
        g.gauge("estimatedNoiseRate", () -> estimatedNoiseRate);
        g.gauge("selected", () -> selected);
        g.gauge("gmmCleanMean", () -> gmmCleanMean);
        g.gauge("gmmNoisyMean", () -> gmmNoisyMean);
        g.gauge("centroidDrift", () -> centroidDrift);
        g.gauge("epoch", () -> epoch);
    }
}
