package io.sfastream.pipeline.score;

import io.sfastream.pipeline.decode.DeadLetters;
import io.sfastream.pipeline.decode.DecodedSample;
import io.sfastream.pipeline.decode.Rejection;
import io.sfastream.pipeline.embed.EmbeddedSample;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.schemas.Phase;
import io.sfastream.sfa.baseline.BaselineClassState;
import io.sfastream.sfa.baseline.CentroidDistanceBaseline;
import java.time.Instant;
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

    public BaselineScorer(double beta, int warmupSamples, double cleanBelow) {
        this.beta = beta;
        this.warmupSamples = warmupSamples;
        this.cleanBelow = cleanBelow;
    }

    @Override
    public void open(OpenContext context) {
        rule = new CentroidDistanceBaseline(beta, warmupSamples, cleanBelow);
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
            v = rule.scoreAndUpdate(state, s.features);
        } catch (IllegalArgumentException e) {
            ctx.output(
                    DeadLetters.TAG,
                    DeadLetters.of(
                            s.topic,
                            s.partition,
                            s.offset,
                            null,
                            null,
                            0,
                            new Rejection(
                                    Rejection.SCORE,
                                    e.getMessage(),
                                    s.id,
                                    e.getClass().getSimpleName())));
            return;
        }
        classState.update(state);

        int predicted = argmax(s.logits);
        out.collect(
                NoiseScore.newBuilder()
                        .setId(s.id)
                        .setLabel(s.label)
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
                        .setPredictedLabel(predicted)
                        .setPredictedConfidence(softmaxAt(s.logits, predicted))
                        .setModelVersion(s.modelVersion)
                        .setPhase(v.warmup() ? Phase.WARMUP : Phase.SCORING)
                        .setTrueLabel(
                                s.trueLabel == DecodedSample.NO_TRUE_LABEL ? null : s.trueLabel)
                        .setEventTime(Instant.ofEpochMilli(s.eventTime))
                        .setScoredAt(
                                Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()))
                        .build());
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static double softmaxAt(float[] logits, int k) {
        double max = logits[argmax(logits)];
        double sum = 0;
        for (float z : logits) {
            sum += Math.exp(z - max);
        }
        return Math.exp(logits[k] - max) / sum;
    }
}
