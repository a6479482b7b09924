package io.sfastream.pipeline.embed;

import io.sfastream.nn.DjlRuntime;
import io.sfastream.nn.Embeddings;
import io.sfastream.nn.FeatureExtractor;
import io.sfastream.nn.SfaModel;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.deadletter.DeadLetters;
import io.sfastream.pipeline.deadletter.Rejection;
import io.sfastream.pipeline.decode.DecodedSample;
import io.sfastream.pipeline.io.RawKafkaRecord;
import io.sfastream.pipeline.store.ModelStores;
import io.sfastream.pipeline.train.ModelNames;
import io.sfastream.schemas.ModelSnapshotRef;
import io.sfastream.schemas.WireCodec;
import io.sfastream.schemas.WireFormatException;
import io.sfastream.sfa.FeatureSum;
import io.sfastream.sfa.Vectors;
import io.sfastream.time.EpochClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The embedder: turns decoded samples into per-network centred, L2-normalised features with the
 * model version they came from. Input 1 is the samples; input 2 is the model-snapshots topic,
 * broadcast to every subtask (the feedback edge of DESIGN §1).
 *
 * <ul>
 *   <li><b>Micro-batches.</b> Images are embedded in batches of {@code embed.batchSize}; a batch is
 *       flushed when full, when its oldest sample has waited {@code embed.maxBatchDelay}, before a
 *       watermark is forwarded, before a model swap and before every checkpoint barrier, so the
 *       batch never needs to be in state. Features input skips the network.
 *   <li><b>Model versions.</b> A new {@link ModelSnapshotRef} of this run is loaded from the model
 *       store (SHA-256 checked, a fresh model built, never loaded into a live one) and swapped in
 *       between micro-batches; a corrupt, missing or mismatching snapshot is reported (a dead
 *       letter at stage {@code snapshot} and a counter) and the old version stays. The references
 *       in use are broadcast state, so a restored embedder reloads them instead of falling back to
 *       the initial model. Every output names the version of each network.
 *   <li><b>Centring.</b> x̂ = (f − m)/‖f − m‖ with the m of the version in use: one owner computes
 *       m ({@code pipeline.train.ModelOwner}), so an image's features do not depend on the subtask
 *       that embeds it. With frozen weights this operator sums the raw f per epoch and network
 *       ({@link FeatureSum}) and sends the partial sums to that owner when the watermark passes the
 *       epoch's end; when the owner trains, it computes m of its new weights itself, and the images
 *       travel with the samples to it instead.
 *   <li><b>Waiting for the version of the previous epoch.</b> With {@code embed.versionWait} > 0, a
 *       sample of epoch e waits (in state) until every network has the version of boundary e − 1,
 *       at most that long and at most {@code embed.maxParked} samples; the watermark is held back
 *       meanwhile so nothing downstream becomes late. A replay is then centred and scored exactly
 *       as its epochs say. The first epoch this subtask sees never waits.
 * </ul>
 */
public final class MicroBatchEmbedder extends AbstractStreamOperator<EmbeddedSample>
        implements TwoInputStreamOperator<DecodedSample, RawKafkaRecord, EmbeddedSample>,
                BoundedMultiInput {
    private static final long serialVersionUID = 1L;
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(MicroBatchEmbedder.class);

    /** Partial sums of raw features, for the owner of the centring mean. */
    public static final OutputTag<FeatureSum> FEATURE_SUMS = new OutputTag<>("feature-sums") {};

    static final MapStateDescriptor<Integer, ModelSnapshotRef> VERSIONS =
            new MapStateDescriptor<>(
                    "model-versions", Types.INT, TypeInformation.of(ModelSnapshotRef.class));

    private final PipelineConfig config;
    private final String modelPrefix;
    private final String runId;

    private transient boolean images;

    /** Per network, the newest version the snapshots input announced. */
    private transient long[] announced;

    /** Whether the trainer takes the images (and computes m itself, so no sums are sent). */
    private transient boolean training;

    private transient int networks;
    private transient EpochClock clock;
    private transient ModelVersion[] current;
    private transient FeatureExtractor[] extractors;
    private transient SnapshotLoader loader;
    private transient WireCodec<ModelSnapshotRef> refCodec;

    private transient List<DecodedSample> batch;
    private transient long batchGeneration;
    private transient ArrayDeque<DecodedSample> parked;
    private transient long parkGeneration;
    private transient Map<Long, FeatureSum> sums;
    private transient int firstEpochSeen;
    private transient long inputWatermark;
    private transient long emittedWatermark;

    /** This run and the runs whose versions this embedder restored (the job's lineage). */
    private transient java.util.Set<String> acceptedRuns;

    private transient BroadcastState<Integer, ModelSnapshotRef> versionsState;
    private transient ListState<DecodedSample> parkedState;
    private transient ListState<FeatureSum> sumsState;
    private transient ListState<Integer> firstEpochState;

    private transient Counter embedded;
    private transient Counter swaps;
    private transient Counter waitsExpired;
    private transient Histogram batchSizes;
    private transient Histogram batchMillis;
    private transient DeadLetters deadLetters;

    /**
     * @param modelPrefix the job's model names ({@link ModelNames#of})
     * @param runId this execution: only its snapshot references (and those of the runs it restored
     *     from) are taken from the topic, never those another job or an earlier fresh run left
     *     there
     */
    public MicroBatchEmbedder(PipelineConfig config, String modelPrefix, String runId) {
        this.config = config;
        this.modelPrefix = modelPrefix;
        this.runId = runId;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        var store = context.getOperatorStateStore();
        versionsState = store.getBroadcastState(VERSIONS);
        acceptedRuns = new java.util.HashSet<>();
        acceptedRuns.add(runId);
        for (var e : versionsState.entries()) {
            acceptedRuns.add(e.getValue().getRunId());
        }
        // Split (not union) lists: after a rescale a subtask takes what it is handed.
        parkedState =
                store.getListState(
                        new ListStateDescriptor<>(
                                "parked", TypeInformation.of(DecodedSample.class)));
        sumsState =
                store.getListState(
                        new ListStateDescriptor<>(
                                "feature-sums", TypeInformation.of(FeatureSum.class)));
        firstEpochState = store.getListState(new ListStateDescriptor<>("first-epoch", Types.INT));
        parked = new ArrayDeque<>();
        for (DecodedSample s : parkedState.get()) {
            parked.add(s);
        }
        sums = new TreeMap<>();
        for (FeatureSum s : sumsState.get()) {
            sums.merge(
                    FeatureSum.key(s.network, s.epoch),
                    s,
                    (a, b) -> {
                        a.merge(b);
                        return a;
                    });
        }
        firstEpochSeen = 0;
        for (Integer e : firstEpochState.get()) {
            firstEpochSeen = firstEpochSeen == 0 ? e : Math.min(firstEpochSeen, e);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        images = config.job().input() == PipelineConfig.Input.IMAGES;
        training = images && config.train().enabled();
        networks = config.model().networks();
        announced = new long[networks];
        clock = config.epochClock();
        batch = new ArrayList<>(config.embed().batchSize());
        inputWatermark = Long.MIN_VALUE;
        emittedWatermark = Long.MIN_VALUE;
        refCodec = WireCodec.of(ModelSnapshotRef.class);
        MetricGroup metrics = getMetricGroup();
        embedded = metrics.counter("embedded");
        swaps = metrics.counter("versionSwaps");
        waitsExpired = metrics.counter("versionWaitsExpired");
        batchSizes = metrics.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        batchMillis = metrics.histogram("batchLatencyMs", new DescriptiveStatisticsHistogram(1000));
        metrics.gauge("parked", () -> parked.size());
        deadLetters = new DeadLetters(metrics);

        if (images) {
            DjlRuntime.configure(config.djl().toSettings());
        }
        loader =
                new SnapshotLoader(
                        ModelStores.open(config.store().uri()),
                        images ? DjlRuntime.device() : null,
                        images ? config.model().toSpec(0) : null);
        current = new ModelVersion[networks];
        extractors = new FeatureExtractor[networks];
        for (int n = 0; n < networks; n++) {
            install(initial(n));
            ModelSnapshotRef restored = versionsState.get(n);
            if (restored != null) {
                try {
                    install(loader.load(restored));
                    LOG.info(
                            "embedder {} restored {} version {}",
                            subtask(),
                            restored.getModelName(),
                            restored.getVersion());
                } catch (SnapshotLoader.Problem p) {
                    LOG.error(
                            "embedder {} cannot restore {} (it keeps the initial model): {}",
                            subtask(),
                            restored.getModelName(),
                            p.getMessage());
                    deadLetters.count(null, -1, -1, null, null, 0, rejection(p));
                }
            }
            int network = n;
            MetricGroup g = metrics.addGroup("network", String.valueOf(n));
            g.gauge("modelVersion", () -> current[network].version());
            g.gauge("versionEpoch", () -> current[network].epoch());
            // how far this embedder is behind the newest version announced to it (a snapshot it
            // could not load keeps it behind)
            g.gauge(
                    "versionLag",
                    () -> Math.max(0, announced[network] - current[network].version()));
        }
        if (!parked.isEmpty()) {
            scheduleParkTimeout();
        }
    }

    private ModelVersion initial(int network) {
        SfaModel model =
                images
                        ? SfaModel.create(config.model().toSpec(network), DjlRuntime.device())
                        : null;
        return new ModelVersion(network, 0, 0, model, null, null);
    }

    private void install(ModelVersion v) {
        int n = v.network();
        ModelVersion old = current[n];
        current[n] = v;
        extractors[n] =
                v.model() == null
                        ? null
                        : new FeatureExtractor(v.model(), config.embed().batchSize());
        if (old != null) {
            old.close();
        }
    }

    // ---- input 1: samples

    @Override
    public void processElement1(StreamRecord<DecodedSample> element) throws Exception {
        DecodedSample s = element.getValue();
        if (firstEpochSeen == 0) {
            firstEpochSeen = s.epoch;
        }
        // Only what must wait waits: a later epoch's sample waiting must not hold back an earlier
        // epoch's (whose end the waited-for version needs). Within one epoch every sample gets the
        // same answer at a time, so their order is kept.
        if (mustWait(s.epoch)) {
            park(s);
        } else {
            accept(s);
        }
    }

    /** Whether a sample of epoch {@code e} must wait for the version of boundary e − 1. */
    private boolean mustWait(int epoch) {
        if (config.embed().versionWait().isZero() || epoch - 1 < firstEpochSeen) {
            return false;
        }
        for (ModelVersion v : current) {
            if (v.epoch() < epoch - 1) {
                return true;
            }
        }
        return false;
    }

    private void park(DecodedSample s) throws Exception {
        if (parked.size() >= config.embed().maxParked()) {
            waitsExpired.inc();
            accept(parked.poll());
        }
        parked.add(s);
        if (parked.size() == 1) {
            scheduleParkTimeout();
        }
    }

    private void scheduleParkTimeout() {
        long generation = ++parkGeneration;
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService()
                .registerTimer(
                        now + config.embed().versionWait().toMillis(),
                        t -> {
                            if (generation == parkGeneration && !parked.isEmpty()) {
                                LOG.warn(
                                        "embedder {}: {} samples waited {} for the model version of"
                                                + " the previous epoch; they go on with the versions"
                                                + " at hand",
                                        subtask(),
                                        parked.size(),
                                        config.embed().versionWait());
                                waitsExpired.inc(parked.size());
                                while (!parked.isEmpty()) {
                                    accept(parked.poll());
                                }
                                maybeEmitWatermark();
                            }
                        });
    }

    /** Releases every parked sample whose version has arrived, in arrival order. */
    private void releaseReady() throws Exception {
        for (Iterator<DecodedSample> it = parked.iterator(); it.hasNext(); ) {
            DecodedSample s = it.next();
            if (!mustWait(s.epoch)) {
                it.remove();
                accept(s);
            }
        }
        if (parked.isEmpty()) {
            parkGeneration++;
        } else {
            scheduleParkTimeout();
        }
        maybeEmitWatermark();
    }

    private void accept(DecodedSample s) throws Exception {
        if (!images) {
            float[][] f = new float[networks][];
            f[0] = s.features;
            emit(s, f, new float[][] {s.logits}, new float[][] {null});
            return;
        }
        batch.add(s);
        if (batch.size() >= config.embed().batchSize()) {
            flush();
        } else if (batch.size() == 1 && !config.embed().maxBatchDelay().isZero()) {
            long generation = batchGeneration;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService()
                    .registerTimer(
                            now + config.embed().maxBatchDelay().toMillis(),
                            t -> {
                                if (generation == batchGeneration) {
                                    flush();
                                }
                            });
        }
    }

    private void flush() {
        if (batch.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        batchGeneration++;
        List<byte[]> pixels = new ArrayList<>(batch.size());
        for (DecodedSample s : batch) {
            pixels.add(s.pixels);
        }
        Embeddings[] e = new Embeddings[networks];
        for (int n = 0; n < networks; n++) {
            e[n] = extractors[n].embed(pixels);
        }
        for (int i = 0; i < batch.size(); i++) {
            DecodedSample s = batch.get(i);
            float[][] f = new float[networks][];
            float[][] z1 = new float[networks][];
            float[][] z2 = new float[networks][];
            boolean finite = true;
            for (int n = 0; n < networks; n++) {
                f[n] = e[n].features()[i];
                z1[n] = e[n].logits()[i];
                z2[n] = e[n].balancedLogits()[i];
                finite &= finite(f[n]) && finite(z1[n]) && finite(z2[n]);
            }
            if (!finite) {
                output.collect(
                        DeadLetters.TAG,
                        new StreamRecord<>(
                                deadLetters.count(
                                        s.topic,
                                        s.partition,
                                        s.offset,
                                        null,
                                        null,
                                        0,
                                        new Rejection(
                                                Rejection.EMBED,
                                                "non-finite",
                                                "the model produced non-finite features or logits"
                                                        + " for this image",
                                                s.id,
                                                null))));
                continue;
            }
            emit(s, f, z1, z2);
        }
        batchSizes.update(batch.size());
        batchMillis.update((System.nanoTime() - t0) / 1_000_000);
        batch.clear();
    }

    private void emit(DecodedSample s, float[][] f, float[][] logits, float[][] balanced) {
        EmbeddedSample out = new EmbeddedSample();
        out.id = s.id;
        out.label = s.label;
        out.trueLabel = s.trueLabel;
        out.eventTime = s.eventTime;
        out.epoch = s.epoch;
        out.topic = s.topic;
        out.partition = s.partition;
        out.offset = s.offset;
        out.pixels = training ? s.pixels : null;
        out.networks = new NetworkView[networks];
        for (int n = 0; n < networks; n++) {
            ModelVersion v = current[n];
            if (!training) {
                sums.computeIfAbsent(FeatureSum.key(n, s.epoch), this::newSum).add(f[n]);
            }
            NetworkView view = new NetworkView();
            view.features = Vectors.centreAndNormalise(f[n], v.centringMean());
            view.centred = v.centringMean() != null;
            view.logits = logits[n];
            view.balancedLogits = balanced[n];
            view.confidence =
                    balanced[n] != null
                            ? softmaxAt(balanced[n], s.label)
                            : Double.isNaN(s.confidence) ? Double.POSITIVE_INFINITY : s.confidence;
            view.modelVersion = v.version();
            view.versionEpoch = v.epoch();
            view.pooled = v.pooled();
            out.networks[n] = view;
        }
        embedded.inc();
        output.collect(new StreamRecord<>(out, s.eventTime));
    }

    // ---- input 2: model snapshot references (broadcast)

    @Override
    public void processElement2(StreamRecord<RawKafkaRecord> element) throws Exception {
        RawKafkaRecord r = element.getValue();
        ModelSnapshotRef ref;
        try {
            ref = refCodec.decode(r.value);
        } catch (WireFormatException e) {
            report(
                    r,
                    new Rejection(
                            Rejection.SNAPSHOT,
                            "snapshot-ref-unreadable",
                            e.getMessage(),
                            null,
                            e.kind().name()));
            return;
        }
        int n = ref.getNetwork();
        if (ref.getEndOfStream()
                || n < 0
                || n >= networks
                || !ref.getModelName().equals(ModelNames.of(modelPrefix, n))
                || !acceptedRuns.contains(ref.getRunId())
                || ref.getVersion() <= current[n].version()) {
            return; // not ours, another run's, or not newer
        }
        announced[n] = Math.max(announced[n], ref.getVersion());
        flush(); // swap only at a batch boundary
        ModelVersion v;
        try {
            v = loader.load(ref);
        } catch (SnapshotLoader.Problem p) {
            LOG.warn(
                    "embedder {} keeps version {}: {}",
                    subtask(),
                    current[n].version(),
                    p.getMessage());
            report(r, rejection(p));
            return;
        }
        install(v);
        versionsState.put(n, ref);
        swaps.inc();
        releaseReady();
    }

    private static Rejection rejection(SnapshotLoader.Problem p) {
        return new Rejection(Rejection.SNAPSHOT, p.code(), p.getMessage(), null, null);
    }

    /** Counted on every subtask; one dead letter per bad reference (from subtask 0). */
    private void report(RawKafkaRecord r, Rejection rejection) {
        var letter =
                deadLetters.count(
                        r.topic,
                        r.partition,
                        r.offset,
                        r.key,
                        r.value,
                        config.kafka().deadLetterValueCapBytes(),
                        rejection);
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            output.collect(DeadLetters.TAG, new StreamRecord<>(letter));
        }
    }

    // ---- time, checkpoints, end of input

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        inputWatermark = mark.getTimestamp();
        maybeEmitWatermark();
    }

    /** Forwards the input watermark, held back below the oldest parked sample. */
    private void maybeEmitWatermark() {
        long target = inputWatermark;
        for (DecodedSample p : parked) {
            target = Math.min(target, p.eventTime - 1);
        }
        if (target <= emittedWatermark) {
            return;
        }
        flush();
        for (Iterator<FeatureSum> it = sums.values().iterator(); it.hasNext(); ) {
            FeatureSum s = it.next();
            long end = clock.lastMillisOf(s.epoch);
            if (end <= target) {
                output.collect(FEATURE_SUMS, new StreamRecord<>(s, end));
                it.remove();
            }
        }
        emittedWatermark = target;
        output.emitWatermark(new Watermark(target));
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        parkedState.update(new ArrayList<>(parked));
        sumsState.update(new ArrayList<>(sums.values()));
        firstEpochState.update(firstEpochSeen == 0 ? List.of() : List.of(firstEpochSeen));
    }

    @Override
    public void endInput(int inputId) throws Exception {
        if (inputId == 2) {
            // no version will come any more: nothing may wait for one
            while (!parked.isEmpty()) {
                accept(parked.poll());
            }
            parkGeneration++;
            maybeEmitWatermark();
        }
        flush();
    }

    @Override
    public void close() throws Exception {
        try {
            if (current != null) {
                for (ModelVersion v : current) {
                    if (v != null) {
                        v.close();
                    }
                }
            }
        } finally {
            super.close();
        }
    }

    private String subtask() {
        return getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks();
    }

    private FeatureSum newSum(long key) {
        FeatureSum s = new FeatureSum(FeatureSum.networkOf(key), FeatureSum.epochOf(key));
        s.part = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        return s;
    }

    private static boolean finite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    static double softmaxAt(float[] logits, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (float z : logits) {
            sum += Math.exp(z - max);
        }
        return Math.exp(logits[k] - max) / sum;
    }
}
