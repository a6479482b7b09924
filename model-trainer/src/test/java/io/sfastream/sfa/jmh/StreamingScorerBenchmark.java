package io.sfastream.sfa.jmh;

import io.sfastream.sfa.SfaClassState;
import io.sfastream.sfa.SfaParams;
import io.sfastream.sfa.SfaStreamingScorer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The streaming scorer's per-sample cost: one {@link SfaStreamingScorer#observe} = centre and
 * normalise the feature, score it against the class's drawn centroid, judge it with the class's
 * GMM, and fold it into the epoch's accumulators and score reservoir. States are rolled once in
 * setup so every class has a centroid and a fitted selection, as in steady state. Run with {@code
 * bench/jmh.sh StreamingScorerBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g"})
public class StreamingScorerBenchmark {
    private static final int SAMPLES = 256;

    @Param({"128", "512"})
    int dim;

    @Param({"10", "100"})
    int classes;

    private SfaStreamingScorer scorer;
    private SfaClassState[] states;
    private float[][] features;
    private int[] labels;
    private double[] confidence;
    private float[] mean;

    @Setup(Level.Trial)
    public void setUp() {
        SfaParams params =
                SfaParams.builder(classes).warmUpEpochs(1).minSampledCount(0).seed(1).build();
        scorer = new SfaStreamingScorer(params);
        Random r = new Random(7);
        float[][] centres = new float[classes][dim];
        for (float[] c : centres) {
            for (int d = 0; d < dim; d++) {
                c[d] = (float) r.nextGaussian();
            }
        }
        features = new float[SAMPLES][dim];
        labels = new int[SAMPLES];
        confidence = new double[SAMPLES];
        mean = new float[dim];
        for (int i = 0; i < SAMPLES; i++) {
            labels[i] = i % classes;
            for (int d = 0; d < dim; d++) {
                features[i][d] = centres[labels[i]][d] + (float) r.nextGaussian();
            }
            confidence[i] = r.nextDouble();
        }
        states = new SfaClassState[classes];
        for (int k = 0; k < classes; k++) {
            states[k] = scorer.newState(k, 0);
        }
        // epochs 1 and 2 give every class a centroid, then a fitted selection; the benchmark stays
        // in epoch 3
        for (int epoch = 1; epoch <= 3; epoch++) {
            for (int rep = 0; rep < 3; rep++) {
                for (int i = 0; i < SAMPLES; i++) {
                    scorer.observe(states[labels[i]], features[i], mean, 1.0, epoch);
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void observe(Blackhole bh) {
        for (int i = 0; i < SAMPLES; i++) {
            bh.consume(scorer.observe(states[labels[i]], features[i], mean, confidence[i], 3.0));
        }
    }
}
