package io.sfastream.pipeline.score;

import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.deadletter.DeadLetters;
import io.sfastream.pipeline.deadletter.Rejection;
import io.sfastream.pipeline.embed.EmbeddedSample;
import io.sfastream.pipeline.train.OwnerMessage;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.schemas.Phase;
import io.sfastream.sfa.baseline.BaselineClassState;
import io.sfastream.sfa.baseline.CentroidDistanceBaseline;
import java.util.Arrays;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by label: holds one class's {@link BaselineClassState} in Flink state and turns each
 * embedded sample into a {@link NoiseScore} with {@link CentroidDistanceBaseline}. A thin adapter:
 * the rule is plain Java.
 */
public final class BaselineScorer
        extends KeyedProcessFunction<Integer, EmbeddedSample, NoiseScore> {
    private static final long serialVersionUID = 1L;

    private final double beta;
    private final int warmupSamples;
    private final double cleanBelow;
    private transient CentroidDistanceBaseline rule;
    private transient ValueState<BaselineClassState> classState;
    private transient DeadLetters deadLetters;

    public BaselineScorer(double beta, int warmupSamples, double cleanBelow) {
        this.beta = beta;
        this.warmupSamples = warmupSamples;
        this.cleanBelow = cleanBelow;
    }

    public BaselineScorer(PipelineConfig.Baseline settings) {
        this(settings.beta(), settings.warmupSamplesPerClass(), settings.cleanBelow());
    }

    @Override
    public void open(OpenContext context) {
        rule = new CentroidDistanceBaseline(beta, warmupSamples, cleanBelow);
        deadLetters = new DeadLetters(getRuntimeContext().getMetricGroup());
        classState =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "baseline-class-state",
                                        TypeInformation.of(BaselineClassState.class)));
    }

    @Override
    public void processElement(EmbeddedSample s, Context ctx, Collector<NoiseScore> out)
            throws Exception {
        BaselineClassState state = classState.value();
        if (state == null) {
            state = new BaselineClassState();
        }
        CentroidDistanceBaseline.Verdict v;
        try {
            v = rule.scoreAndUpdate(state, s.networks[0].features);
        } catch (IllegalArgumentException e) {
            ctx.output(
                    DeadLetters.TAG,
                    deadLetters.count(
                            s.topic,
                            s.partition,
                            s.offset,
                            null,
                            null,
                            0,
                            new Rejection(
                                    Rejection.SCORE,
                                    "invalid-features",
                                    e.getMessage(),
                                    s.id,
                                    e.getClass().getSimpleName())));
            return;
        }
        classState.update(state);
        if (s.pixels != null) {
            // the baseline's one decision for every network the trainer trains
            boolean[] clean = new boolean[s.networks.length];
            double[] p = new double[s.networks.length];
            Arrays.fill(clean, v.clean());
            Arrays.fill(p, 1.0 - v.noiseProbability());
            ctx.output(OwnerMessage.TAG, OwnerMessage.of(NoiseScores.example(s, clean, p)));
        }
        out.collect(
                NoiseScores.base(s, ctx.timerService().currentProcessingTime())
                        .setNoiseProbability(v.noiseProbability())
                        .setClean(v.clean())
                        .setDistance(v.distance())
                        .setClassThreshold(cleanBelow)
                        .setScorer(CentroidDistanceBaseline.NAME)
                        .setSelectionStats(
                                Map.of(
                                        "zScore", v.zScore(),
                                        "distanceMean", v.distanceMean(),
                                        "distanceStd", v.distanceStd(),
                                        "classCount", (double) state.count))
                        .setPhase(v.warmup() ? Phase.WARMUP : Phase.SCORING)
                        .setBasis(v.warmup() ? "WARMUP" : "ZSCORE")
                        .build());
    }
}
