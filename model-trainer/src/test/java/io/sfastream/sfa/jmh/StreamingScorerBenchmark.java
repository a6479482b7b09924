package io.sfastream.sfa.jmh;

import io.sfastream.sfa.SfaClassState;
import io.sfastream.sfa.SfaParams;
import io.sfastream.sfa.SfaStreamingScorer;
import java.lang.reflect.Field;
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
 * setup so every class has a centroid and a fitted selection (a GMM, not the tiny-class fallback),
 * as in steady state. Run with {@code bench/jmh.sh StreamingScorerBenchmark}: it starts the JVM
 * with {@code --add-modules jdk.incubator.vector}, so the scorer's vector kernels run; {@code
 * JMH_JAVA_OPTS= bench/jmh.sh ...} measures the scalar loops. Setup prints which ran.
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

    @Param({"64", "128", "512", "2048"})
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
        // in epoch 3. Every class must see at least minScoresForGmm scores in epoch 2, or its
        // selection is tiny and the benchmark would time the cheaper treat-as-clean path (with 100
        // classes, 3 passes over 256 samples gave each class only 7-8 scores).
        int perClassPerPass = SAMPLES / classes;
        int passes =
                Math.max(3, (2 * params.minScoresForGmm() + perClassPerPass - 1) / perClassPerPass);
        for (int epoch = 1; epoch <= 3; epoch++) {
            for (int rep = 0; rep < passes; rep++) {
                for (int i = 0; i < SAMPLES; i++) {
                    scorer.observe(states[labels[i]], features[i], mean, 1.0, epoch);
                }
            }
        }
        for (SfaClassState s : states) {
            if (s.centroid == null || s.selection == null || !s.selection.hasGmm()) {
                throw new IllegalStateException(
                        "class " + s.classIndex + " is not in steady state");
            }
        }
        System.out.println("(SfaStreamingScorer kernels: " + kernels() + ")");
    }

    /** Which implementation of the hot loops this JVM runs (a package-private flag, read here). */
    private static String kernels() {
        try {
            Field f = SfaStreamingScorer.class.getDeclaredField("VECTOR_KERNELS");
            f.setAccessible(true);
            return f.getBoolean(null) ? "jdk.incubator.vector" : "scalar";
        } catch (ReflectiveOperationException e) {
            return "unknown (" + e + ")";
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
