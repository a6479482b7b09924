package io.sfastream.pipeline.score;

import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.deadletter.DeadLetters;
import io.sfastream.pipeline.deadletter.Rejection;
import io.sfastream.pipeline.decode.DecodedSample;
import io.sfastream.pipeline.embed.EmbeddedSample;
import io.sfastream.pipeline.embed.NetworkView;
import io.sfastream.pipeline.train.OwnerMessage;
import io.sfastream.pipeline.train.PooledScores;
import io.sfastream.schemas.ClassEpochStats;
import io.sfastream.schemas.NetworkScore;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.schemas.Phase;
import io.sfastream.sfa.ClassSelectionModel;
import io.sfastream.sfa.SfaClassState;
import io.sfastream.sfa.SfaParams;
import io.sfastream.sfa.SfaStreamingScorer;
import io.sfastream.sfa.SfaVerdict;
import io.sfastream.sfa.TinyClassFallback;
import io.sfastream.time.EpochClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * SFA in the stream, keyed by class: a thin adapter that holds each network's {@link SfaClassState}
 * in keyed state and lets {@link SfaStreamingScorer} do the math ({@code
 * shared/notes/sfa-algorithm.md} §7).
 *
 * <ul>
 *   <li><b>On arrival</b> a sample of the open epoch is scored against the centroid and GMM fixed
 *       at the last boundary and becomes one {@link NoiseScore} that says why (per network: the
 *       score, the posterior that decided, the centroid's epoch and whether it was a draw). A
 *       sample of a later epoch (out of order within the watermark's slack) waits in keyed state
 *       until its epoch opens, so every epoch holds exactly its own samples whatever the arrival
 *       order; a late sample (behind the watermark) joins the open epoch.
 *   <li><b>At every boundary</b> (an event-time timer at the epoch's last millisecond, so the same
 *       instant for every class and subtask, before and after a restore) each network's state
 *       rolls: the GMM is refitted on the epoch's reservoir, N̂ set, the centroid moments updated
 *       and ε drawn. One {@link ClassEpochStats} per network goes to the class-stats output, and
 *       with the pooled fallback the class's normalised scores go to the owner of the model
 *       versions, which fits the pooled selection that the next epoch's samples bring along. A
 *       class that saw no sample in an epoch rolls too (the timer chains epoch to epoch).
 * </ul>
 */
public final class SfaScorer extends KeyedProcessFunction<Integer, EmbeddedSample, NoiseScore> {
    private static final long serialVersionUID = 1L;

    public static final String NAME = "sfa";

    /** One record per class per network per epoch. */
    public static final OutputTag<ClassEpochStats> CLASS_STATS = new OutputTag<>("class-stats") {};

    private final SfaParams params;
    private final EpochClock clock;
    private final int networks;
    private final boolean includeCentroids;

    private transient SfaStreamingScorer scorer;
    private transient boolean pooled;
    private transient List<ValueState<SfaClassState>> states;
    private transient ValueState<ClassEpochTally> tally;
    private transient ListState<EmbeddedSample> early;
    private transient Map<Integer, ClassMetrics> classMetrics;
    private transient DeadLetters deadLetters;
    private transient Counter late;

    public SfaScorer(PipelineConfig config) {
        this.params = config.sfaParams();
        this.clock = config.epochClock();
        this.networks = config.model().networks();
        this.includeCentroids = config.classStats().includeCentroids();
    }

    @Override
    public void open(OpenContext context) {
        scorer = new SfaStreamingScorer(params);
        pooled = params.tinyClassFallback() == TinyClassFallback.POOLED;
        states = new ArrayList<>();
        for (int n = 0; n < networks; n++) {
            states.add(
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "sfa-net" + n,
                                            TypeInformation.of(SfaClassState.class))));
        }
        tally =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "epoch-tally", TypeInformation.of(ClassEpochTally.class)));
        early =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "early-samples", TypeInformation.of(EmbeddedSample.class)));
        classMetrics = new HashMap<>();
        deadLetters = new DeadLetters(getRuntimeContext().getMetricGroup());
        late = getRuntimeContext().getMetricGroup().counter("lateSamples");
    }

    @Override
    public void processElement(EmbeddedSample s, Context ctx, Collector<NoiseScore> out)
            throws Exception {
        // each network's state is read once and written once per sample (a copy per access on
        // RocksDB: the reservoir alone is up to 16 KB)
        SfaClassState[] st = load();
        int open = openEpoch(st[0], ctx.timerService().currentWatermark());
        ClassEpochTally t = tally();
        if (s.epoch > open) {
            early.add(s);
        } else {
            if (s.epoch < open) {
                late.inc();
            }
            if (score(s, s.epoch, st, ctx, out, t)) {
                store(st);
            }
        }
        ensureTimer(ctx, t, st[0] == null ? open : st[0].epoch);
        tally.update(t);
    }

    private SfaClassState[] load() throws Exception {
        SfaClassState[] st = new SfaClassState[networks];
        for (int n = 0; n < networks; n++) {
            st[n] = states.get(n).value();
        }
        return st;
    }

    private void store(SfaClassState[] st) throws Exception {
        for (int n = 0; n < networks; n++) {
            if (st[n] != null) {
                states.get(n).update(st[n]);
            }
        }
    }

    /** The epoch this class accumulates now: its state's, or, for a new class, the watermark's. */
    private int openEpoch(SfaClassState s, long watermark) {
        if (s != null && s.epoch > 0) {
            return s.epoch;
        }
        return watermark == Long.MIN_VALUE ? Integer.MAX_VALUE : clock.closedBy(watermark) + 1;
    }

    private ClassEpochTally tally() throws Exception {
        ClassEpochTally t = tally.value();
        if (t == null) {
            t = new ClassEpochTally();
            t.modelVersions = new long[networks];
        }
        return t;
    }

    private void ensureTimer(Context ctx, ClassEpochTally t, int epoch) {
        if (epoch > 0 && epoch != Integer.MAX_VALUE && t.timerEpoch != epoch) {
            ctx.timerService().registerEventTimeTimer(clock.lastMillisOf(epoch));
            t.timerEpoch = epoch;
        }
    }

    /**
     * Scores one sample into {@code st} (creating a network's state on its first sample) and emits
     * its NoiseScore; false (and a dead letter) when its features do not fit the class's state.
     */
    private boolean score(
            EmbeddedSample s,
            int epoch,
            SfaClassState[] st,
            Context ctx,
            Collector<NoiseScore> out,
            ClassEpochTally t) {
        int label = ctx.getCurrentKey();
        for (int n = 0; n < networks; n++) {
            if (st[n] == null) {
                st[n] = scorer.newState(label, n);
            }
            int dim = st[n].dimension();
            float[] f = s.networks[n].features;
            if (dim != 0 && dim != f.length) {
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
                                        "wrong-dimension",
                                        "feature dimension "
                                                + f.length
                                                + " differs from class "
                                                + label
                                                + "'s "
                                                + dim,
                                        s.id,
                                        null)));
                return false;
            }
        }
        SfaVerdict[] v = new SfaVerdict[networks];
        for (int n = 0; n < networks; n++) {
            NetworkView view = s.networks[n];
            // Features not yet centred (no version with a mean yet) must not form a centroid: its
            // moments would carry the uncentred direction for many epochs (β = 0.99).
            double confidence = view.centred ? view.confidence : Double.NEGATIVE_INFINITY;
            v[n] = scorer.observe(st[n], view.features, null, confidence, epoch, view.pooled);
            t.modelVersions[n] = Math.max(t.modelVersions[n], view.modelVersion);
        }
        if (s.trueLabel != DecodedSample.NO_TRUE_LABEL) {
            t.knownTruth++;
            if (s.trueLabel != s.label) {
                t.knownNoisy++;
            }
        }
        NoiseScore score = noiseScore(s, st, v, ctx.timerService().currentProcessingTime());
        ClassMetrics m =
                classMetrics.computeIfAbsent(
                        label, k -> new ClassMetrics(getRuntimeContext().getMetricGroup(), k));
        m.samples.inc();
        if (!score.getClean()) {
            m.flagged.inc();
        }
        out.collect(score);
        if (s.pixels != null) {
            boolean[] clean = new boolean[networks];
            double[] p = new double[networks];
            for (int n = 0; n < networks; n++) {
                clean[n] = v[n].clean();
                p[n] = v[n].cleanProbability();
            }
            ctx.output(OwnerMessage.TAG, OwnerMessage.of(NoiseScores.example(s, clean, p)));
        }
        return true;
    }

    private NoiseScore noiseScore(EmbeddedSample s, SfaClassState[] st, SfaVerdict[] v, long now) {
        double clean = 0;
        boolean warmup = true;
        List<NetworkScore> nets = new ArrayList<>(networks);
        for (int n = 0; n < networks; n++) {
            clean += v[n].cleanProbability();
            warmup &= v[n].warmup();
            nets.add(
                    NetworkScore.newBuilder()
                            .setNetwork(n)
                            .setModelVersion(s.networks[n].modelVersion)
                            .setCleanProbability(v[n].cleanProbability())
                            .setClean(v[n].clean())
                            .setBasis(v[n].basis().name())
                            .setScore(v[n].score())
                            .setNormalisedScore(v[n].normalisedScore())
                            .setCentroidEpoch(st[n].centroidEpoch)
                            .setSampled(st[n].sampled)
                            .setConfidence(s.networks[n].confidence)
                            .setConfident(v[n].confident())
                            .build());
        }
        clean /= networks;
        double score = v[0].score();
        Map<String, Double> stats = new HashMap<>();
        stats.put("score", score);
        stats.put("normalisedScore", (double) v[0].normalisedScore());
        stats.put("classArrivals", (double) st[0].arrivals);
        ClassSelectionModel sel = st[0].selection;
        if (sel != null && sel.hasGmm()) {
            stats.put("gmmCleanMean", sel.cleanComponentMean());
        }
        return NoiseScores.base(s, now)
                .setNoiseProbability(1.0 - clean)
                .setClean(clean > params.pThreshold())
                .setDistance(Double.isNaN(score) ? Double.NaN : Math.sqrt(Math.max(0, 1 - score)))
                .setClassThreshold(params.pThreshold())
                .setScorer(NAME)
                .setSelectionStats(stats)
                .setPhase(warmup ? Phase.WARMUP : Phase.SCORING)
                .setBasis(v[0].basis().name())
                .setNetworks(nets)
                .build();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<NoiseScore> out)
            throws Exception {
        int epoch = clock.epochOf(timestamp);
        int label = ctx.getCurrentKey();
        ClassEpochTally t = tally();
        t.timerEpoch = 0;
        SfaClassState[] st = load();
        for (int n = 0; n < networks; n++) {
            if (st[n] == null) {
                continue;
            }
            double[] before =
                    st[n].moments == null || st[n].moments.mean == null
                            ? null
                            : st[n].moments.mean.clone();
            long judgedClean = st[n].judgedClean;
            Optional<SfaStreamingScorer.RollSummary> rolled = scorer.roll(st[n], epoch);
            if (rolled.isEmpty()) {
                continue;
            }
            SfaStreamingScorer.RollSummary r = rolled.get();
            ClassEpochStats stats = stats(label, n, epoch, r, judgedClean, before, st[n], t);
            ctx.output(CLASS_STATS, stats);
            if (n == 0) {
                updateMetrics(label, stats);
            }
            if (pooled) {
                ctx.output(
                        OwnerMessage.TAG,
                        OwnerMessage.of(new PooledScores(n, epoch, label, r.normalisedScores())));
            }
        }
        t.reset();

        // the next epoch opened: score what waited for it, keep what waits for a later one
        List<EmbeddedSample> still = new ArrayList<>();
        for (EmbeddedSample s : early.get()) {
            if (s.epoch <= epoch + 1) {
                score(s, s.epoch, st, ctx, out, t);
            } else {
                still.add(s);
            }
        }
        early.update(still);
        store(st);

        boolean more =
                ctx.timerService().currentWatermark() < Long.MAX_VALUE
                        || !still.isEmpty()
                        || (st[0] != null && st[0].arrivals > 0);
        if (more && st[0] != null) {
            ctx.timerService().registerEventTimeTimer(clock.lastMillisOf(st[0].epoch));
            t.timerEpoch = st[0].epoch;
        }
        tally.update(t);
    }

    private ClassEpochStats stats(
            int label,
            int network,
            int epoch,
            SfaStreamingScorer.RollSummary r,
            long judgedClean,
            double[] before,
            SfaClassState after,
            ClassEpochTally t) {
        ClassSelectionModel sel = r.selection();
        boolean gmm = sel != null && sel.hasGmm();
        Double noiseRate = null;
        if (gmm) {
            int clean = sel.gmm().higherMeanComponent();
            noiseRate = 1.0 - sel.gmmWeights[clean];
        }
        double[] mu = after.moments == null ? null : after.moments.mean;
        Double drift = null;
        if (before != null && mu != null) {
            double d2 = 0;
            for (int j = 0; j < mu.length; j++) {
                double d = mu[j] - before[j];
                d2 += d * d;
            }
            drift = Math.sqrt(d2);
        }
        List<Float> centroid = new ArrayList<>();
        if (includeCentroids && mu != null) {
            for (double x : mu) {
                centroid.add((float) x);
            }
        }
        return ClassEpochStats.newBuilder()
                .setLabel(label)
                .setNetwork(network)
                .setEpoch(epoch)
                .setBoundary(Instant.ofEpochMilli(clock.boundaryAfter(epoch)))
                .setSamples(r.arrivals())
                .setConfident(r.confidentCount())
                .setJudgedClean(judgedClean)
                .setSelected(r.balancedCount())
                .setFlaggedRate(r.arrivals() == 0 ? 0.0 : 1.0 - (double) judgedClean / r.arrivals())
                .setEstimatedNoiseRate(noiseRate)
                .setFittedOn(sel == null ? 0 : sel.fittedOn)
                .setTinyClass(sel != null && sel.tiny)
                .setGmmMeans(gmm ? boxed(sel.gmmMeans) : List.of())
                .setGmmVariances(gmm ? boxed(sel.gmmVariances) : List.of())
                .setGmmWeights(gmm ? boxed(sel.gmmWeights) : List.of())
                .setGmmConverged(gmm && sel.gmmConverged)
                .setHasCentroid(r.hasCentroid())
                .setSampled(r.sampled())
                .setCentroidDrift(drift)
                .setCentroid(centroid)
                .setModelVersion(t.modelVersions[network])
                .setKnownTruth(t.knownTruth)
                .setKnownNoisy(t.knownNoisy)
                .build();
    }

    private void updateMetrics(int label, ClassEpochStats s) {
        ClassMetrics m =
                classMetrics.computeIfAbsent(
                        label, k -> new ClassMetrics(getRuntimeContext().getMetricGroup(), k));
        m.epoch = s.getEpoch();
        m.selected = s.getSelected();
        m.estimatedNoiseRate =
                s.getEstimatedNoiseRate() == null ? Double.NaN : s.getEstimatedNoiseRate();
        m.centroidDrift = s.getCentroidDrift() == null ? Double.NaN : s.getCentroidDrift();
        if (s.getGmmMeans().size() == 2) {
            double a = s.getGmmMeans().get(0);
            double b = s.getGmmMeans().get(1);
            m.gmmCleanMean = Math.max(a, b);
            m.gmmNoisyMean = Math.min(a, b);
        }
    }

    private static List<Double> boxed(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double x : v) {
            out.add(x);
        }
        return out;
    }
}
