package io.sfastream.pipeline.train;

import io.sfastream.nn.DjlRuntime;
import io.sfastream.nn.ModelSpec;
import io.sfastream.nn.SfaModel;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.store.ModelStores;
import io.sfastream.schemas.ModelSnapshotRef;
import io.sfastream.sfa.ClassSelectionModel;
import io.sfastream.sfa.FeatureSum;
import io.sfastream.sfa.SfaStreamingScorer;
import io.sfastream.sfa.TinyClassFallback;
import io.sfastream.store.ModelStore;
import io.sfastream.store.StoredSnapshot;
import io.sfastream.time.EpochClock;
import io.sfastream.train.TrainingSnapshot;
import io.sfastream.train.stream.StreamTrainingParams;
import io.sfastream.train.stream.StreamingTrainer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The one owner of the model versions and, with {@code train.enabled}, the trainer (parallelism 1,
 * a thin adapter over {@link StreamingTrainer}): it publishes, at every virtual-epoch boundary, a
 * new version of each network through the model-snapshots feedback edge (DESIGN §1, claim check:
 * the snapshot bytes go to the model store, a {@link ModelSnapshotRef} to the topic).
 *
 * <ul>
 *   <li>Input 1, the embedders' partial sums of raw features ({@link FeatureSum}, frozen weights
 *       only): when the watermark passes the end of epoch e, every subtask has sent its sums for e,
 *       so m_e is the exact mean of epoch e's features, whichever subtask embedded which sample.
 *   <li>Input 2, from the scorer ({@link OwnerMessage}): each scored sample with its image and
 *       decisions, which the trainer trains on in event-time order; and each class's normalised
 *       scores ({@code sfa.tinyClassFallback: pooled}), pooled in label order into the fallback
 *       selection of epoch e, which travels inside the version.
 * </ul>
 *
 * <p>Training: with {@code backpressure} the trainer trains on this operator's thread as the
 * watermark releases samples, and closes an epoch (the last short batch, then m of the new weights)
 * when the watermark passes its end, so a replay trains on every sample and the result does not
 * depend on timing. With {@code evict} a {@link BackgroundTrainer} trains on its own thread and
 * this operator only hands samples over; the epochs it closes are published from a processing-time
 * tick. With frozen weights the version carries the initial, seeded weights and m from the feature
 * sums; an epoch without any sample still gets a version, so an embedder waiting for it goes on. A
 * bounded job's owner publishes an end-of-stream marker when the watermark reaches its end, which
 * ends the embedders' snapshot input and so lets the job finish.
 *
 * <p>State: per network the last version, its epoch, m and the samples seen; the pending sums and
 * scores; and the trainer's checkpoint by claim check ({@link TrainerCheckpoint}: its networks in
 * the store, its queues and pending samples in state). On restore, the versions this owner wrote
 * after its last checkpoint were never published (their references were in an aborted transaction):
 * they are deleted from the store and written again, and the trainer continues from its checkpoint
 * snapshots.
 */
public final class ModelOwner extends AbstractStreamOperator<ModelSnapshotRef>
        implements TwoInputStreamOperator<FeatureSum, OwnerMessage, ModelSnapshotRef> {
    private static final long serialVersionUID = 1L;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelOwner.class);

    private final PipelineConfig config;
    private final String modelPrefix;
    private final String runId;

    private transient EpochClock clock;
    private transient ModelStore store;
    private transient SfaStreamingScorer pooling;
    private transient byte[][] parameters;
    private transient PublishedVersion[] published;

    /** Per (network, epoch): the parts by part number (added in that order). */
    private transient Map<Long, TreeMap<Integer, FeatureSum>> pendingSums;

    private transient Map<Long, List<PooledScores>> pendingScores;
    private transient boolean ended;
    private transient int maxEpochSeen;
    private transient long lastWatermark;

    private transient ListState<PublishedVersion> publishedState;
    private transient ListState<FeatureSum> sumsState;
    private transient ListState<PooledScores> scoresState;
    private transient ListState<Boolean> endedState;

    /** The trainer ({@code train.enabled}); null with frozen weights. */
    private transient StreamingTrainer trainer;

    /** The {@code evict} policy's training thread; null with {@code backpressure}. */
    private transient BackgroundTrainer background;

    private transient TrainerCheckpoints checkpoints;
    private transient ListState<TrainerCheckpoint> trainerState;
    private transient TrainerCheckpoint restoredCheckpoint;
    private transient TrainerCheckpoint lastCheckpoint;
    private transient TreeMap<Long, TrainerCheckpoint> uncompleted;
    private transient long lastTrainMillis;

    /** How long this attempt took to reload the trainer from its checkpoint; 0 on a fresh start. */
    private transient long restoreMillis;

    private transient Counter lateSums;
    private transient Histogram writeMillis;
    private transient long lastSnapshotBytes;

    public ModelOwner(PipelineConfig config, String modelPrefix, String runId) {
        this.config = config;
        this.modelPrefix = modelPrefix;
        this.runId = runId;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        var states = context.getOperatorStateStore();
        publishedState =
                states.getListState(
                        new ListStateDescriptor<>(
                                "published", TypeInformation.of(PublishedVersion.class)));
        sumsState =
                states.getListState(
                        new ListStateDescriptor<>(
                                "pending-sums", TypeInformation.of(FeatureSum.class)));
        scoresState =
                states.getListState(
                        new ListStateDescriptor<>(
                                "pending-scores", TypeInformation.of(PooledScores.class)));
        endedState = states.getListState(new ListStateDescriptor<>("ended", Types.BOOLEAN));
        trainerState =
                states.getListState(
                        new ListStateDescriptor<>(
                                "trainer", TypeInformation.of(TrainerCheckpoint.class)));
        restoredCheckpoint = null;
        for (TrainerCheckpoint c : trainerState.get()) {
            restoredCheckpoint = c;
        }

        int networks = config.model().networks();
        published = new PublishedVersion[networks];
        for (PublishedVersion p : publishedState.get()) {
            published[p.network] = p;
        }
        for (int n = 0; n < networks; n++) {
            if (published[n] == null) {
                published[n] = new PublishedVersion(n);
            }
        }
        pendingSums = new TreeMap<>();
        for (FeatureSum s : sumsState.get()) {
            addSum(s);
        }
        pendingScores = new TreeMap<>();
        for (PooledScores s : scoresState.get()) {
            pendingScores
                    .computeIfAbsent(FeatureSum.key(s.network, s.epoch), k -> new ArrayList<>())
                    .add(s);
        }
        ended = false;
        for (Boolean b : endedState.get()) {
            ended |= b;
        }
        store = ModelStores.open(config.store().uri());
        checkpoints = new TrainerCheckpoints(store, modelPrefix, config.store().keepVersions());
        uncompleted = new TreeMap<>();
        if (!context.isRestored()) {
            // a fresh start numbers on from what earlier runs left in the store (versions are
            // immutable)
            for (PublishedVersion p : published) {
                store.latest(ModelNames.of(modelPrefix, p.network))
                        .ifPresent(s -> p.version = s.version());
            }
        } else {
            // versions written after the checkpoint were never published: write them again
            for (PublishedVersion p : published) {
                String name = ModelNames.of(modelPrefix, p.network);
                for (StoredSnapshot s : store.list(name)) {
                    if (s.version() > p.version && store.delete(name, s.version())) {
                        LOG.info(
                                "model owner: dropped unpublished {} version {}",
                                name,
                                s.version());
                    }
                }
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        clock = config.epochClock();
        lastWatermark = Long.MIN_VALUE;
        boolean pooled = config.sfaParams().tinyClassFallback() == TinyClassFallback.POOLED;
        pooling = pooled ? new SfaStreamingScorer(config.sfaParams()) : null;
        int networks = config.model().networks();
        parameters = new byte[networks][];
        if (training()) {
            DjlRuntime.configure(config.djl().toSettings());
            StreamTrainingParams params = config.train().toParams(config);
            if (restoredCheckpoint != null) {
                long t0 = System.nanoTime();
                trainer =
                        checkpoints.restore(restoredCheckpoint, params, clock, DjlRuntime.device());
                restoreMillis = (System.nanoTime() - t0) / 1_000_000;
                LOG.info(
                        "model owner: trainer restored from its checkpoint snapshots {} in {} ms",
                        java.util.Arrays.toString(restoredCheckpoint.versions),
                        restoreMillis);
                lastCheckpoint = restoredCheckpoint;
            } else {
                List<SfaModel> models = new ArrayList<>();
                for (int n = 0; n < networks; n++) {
                    // the embedders' initial model: the same seeded weights
                    models.add(SfaModel.create(config.model().toSpec(n), DjlRuntime.device()));
                }
                trainer = new StreamingTrainer(params, clock, models, null);
            }
            if (config.train().policy() == PipelineConfig.TrainPolicy.EVICT) {
                background =
                        new BackgroundTrainer(
                                trainer,
                                params.numClasses(),
                                Math.max(
                                        1,
                                        (params.queueCapacity() + params.numClasses() - 1)
                                                / params.numClasses()),
                                "sfa-trainer-" + getOperatorID().toHexString().substring(0, 8));
                scheduleTick();
            }
        } else if (config.job().input() == PipelineConfig.Input.IMAGES) {
            DjlRuntime.configure(config.djl().toSettings());
            for (int n = 0; n < networks; n++) {
                try (SfaModel m = SfaModel.create(config.model().toSpec(n), DjlRuntime.device())) {
                    parameters[n] = m.parameterBytes();
                }
            }
        }
        lateSums = getMetricGroup().counter("lateFeatureSums");
        writeMillis =
                getMetricGroup()
                        .histogram("snapshotWriteMs", new DescriptiveStatisticsHistogram(200));
        getMetricGroup().gauge("snapshotBytes", () -> lastSnapshotBytes);
        for (int n = 0; n < networks; n++) {
            int network = n;
            var g = getMetricGroup().addGroup("network", String.valueOf(n));
            g.gauge("modelVersion", () -> published[network].version);
            g.gauge("versionEpoch", () -> published[network].epoch);
            if (trainer != null) {
                g.gauge("trainSteps", () -> trainer.steps(network));
                g.gauge("samplesTrained", () -> trainer.samplesTrained(network));
                g.gauge("evictions", () -> trainer.evictions(network));
                for (int k = 0; k < config.model().numClasses(); k++) {
                    int label = k;
                    var c = g.addGroup("class", String.valueOf(k));
                    c.gauge("queuedLabelled", () -> trainer.queuedLabelled(network, label));
                    c.gauge("queuedUnlabelled", () -> trainer.queuedUnlabelled(network, label));
                }
            }
        }
        if (trainer != null) {
            getMetricGroup().gauge("trainerPending", () -> trainer.pending());
            getMetricGroup().gauge("trainerLateSamples", () -> trainer.lateSamples());
            getMetricGroup().gauge("trainerOpenEpoch", () -> trainer.openEpoch());
            getMetricGroup().gauge("lastTrainMs", () -> lastTrainMillis);
        }
    }

    /** While the background trainer runs, its closed epochs are published promptly. */
    private void scheduleTick() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService()
                .registerTimer(
                        now + 100,
                        t -> {
                            if (background != null) {
                                publishClosed();
                                scheduleTick();
                            }
                        });
    }

    private boolean training() {
        return config.job().input() == PipelineConfig.Input.IMAGES && config.train().enabled();
    }

    @Override
    public void processElement1(StreamRecord<FeatureSum> element) {
        FeatureSum s = element.getValue();
        if (trainer != null) {
            return; // m comes from the trainer's new weights
        }
        if (s.epoch <= published[s.network].epoch) {
            lateSums.inc(); // its epoch's mean is published already
            return;
        }
        addSum(s.copy());
    }

    @Override
    public void processElement2(StreamRecord<OwnerMessage> element) {
        OwnerMessage m = element.getValue();
        if (m.example != null) {
            if (trainer == null) {
                throw new IllegalStateException("a training example reached a frozen model owner");
            }
            maxEpochSeen = Math.max(maxEpochSeen, m.example.epoch);
            if (background != null) {
                background.offer(m.example);
            } else {
                trainer.add(m.example);
            }
            return;
        }
        PooledScores s = m.pooled;
        if (s.epoch > published[s.network].epoch) {
            pendingScores
                    .computeIfAbsent(FeatureSum.key(s.network, s.epoch), k -> new ArrayList<>())
                    .add(s);
        }
    }

    private void addSum(FeatureSum s) {
        maxEpochSeen = Math.max(maxEpochSeen, s.epoch);
        pendingSums
                .computeIfAbsent(FeatureSum.key(s.network, s.epoch), k -> new TreeMap<>())
                .merge(
                        s.part,
                        s,
                        (a, b) -> {
                            a.merge(b);
                            return a;
                        });
    }

    /** The parts of one network's epoch added in part order; null when there are none. */
    private FeatureSum total(int network, int epoch) {
        TreeMap<Integer, FeatureSum> parts = pendingSums.remove(FeatureSum.key(network, epoch));
        if (parts == null) {
            return null;
        }
        FeatureSum total = new FeatureSum(network, epoch);
        for (FeatureSum p : parts.values()) {
            total.merge(p);
        }
        return total;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long w = mark.getTimestamp();
        if (w <= lastWatermark) {
            return;
        }
        lastWatermark = w;
        int closed = clock.closedBy(w);
        if (background != null) {
            background.watermark(w);
            if (w == Long.MAX_VALUE) {
                background.awaitIdle(); // the end: let the trainer catch up
            }
            publishClosed();
        } else if (trainer != null) {
            long t0 = System.nanoTime();
            // the trainer closes every epoch up to the watermark, empty ones too; each version is
            // taken at its boundary, before any sample of the next epoch trains
            List<TrainingSnapshot[]> boundaries = new ArrayList<>();
            List<Integer> closedEpochs =
                    trainer.advance(
                            w,
                            e -> {
                                TrainingSnapshot[] at = new TrainingSnapshot[published.length];
                                for (int n = 0; n < at.length; n++) {
                                    at[n] = trainer.snapshot(n, 0, Map.of());
                                }
                                boundaries.add(at);
                            });
            for (int i = 0; i < closedEpochs.size(); i++) {
                int e = closedEpochs.get(i);
                for (int n = 0; n < published.length; n++) {
                    if (e > published[n].epoch) {
                        publish(n, e, boundaries.get(i)[n]);
                    }
                }
            }
            lastTrainMillis = (System.nanoTime() - t0) / 1_000_000;
        } else {
            TreeSet<Integer> epochs = new TreeSet<>();
            for (long k : pendingSums.keySet()) {
                if (FeatureSum.epochOf(k) <= closed) {
                    epochs.add(FeatureSum.epochOf(k));
                }
            }
            for (int e : epochs) {
                publishAll(e);
            }
            // an epoch without samples still gets a version, so nobody waits for it forever
            int catchUp = Math.min(closed, maxEpochSeen);
            if (maxEpochSeen > 0 && catchUp > published[0].epoch) {
                publishAll(catchUp);
            }
        }
        if (w == Long.MAX_VALUE && config.kafka().bounded() && !ended) {
            ended = true;
            output.collect(new StreamRecord<>(endMarker()));
        }
        output.emitWatermark(mark);
    }

    private void publishAll(int epoch) throws Exception {
        for (int n = 0; n < published.length; n++) {
            if (epoch > published[n].epoch) {
                publish(n, epoch, null);
            }
        }
    }

    /** Publishes the epochs the background trainer closed ({@code evict}). */
    private void publishClosed() throws Exception {
        for (BackgroundTrainer.ClosedEpoch c : background.takeClosed()) {
            for (int n = 0; n < published.length; n++) {
                if (c.epoch() > published[n].epoch) {
                    publish(n, c.epoch(), c.snapshots().get(n));
                }
            }
        }
    }

    /**
     * Publishes network {@code n}'s version of boundary {@code epoch}: {@code trained}, the
     * trainer's snapshot at the boundary (weights and their m), or with frozen weights (null) the
     * initial weights with the epoch's mean of the feature sums.
     */
    private void publish(int n, int epoch, TrainingSnapshot trained) throws Exception {
        PublishedVersion p = published[n];
        FeatureSum sum = total(n, epoch);
        if (trained != null) {
            p.centringMean = trained.centringMean().length == 0 ? null : trained.centringMean();
            p.samplesSeen = trained.samplesSeen();
        } else if (sum != null && sum.count > 0) {
            p.centringMean = sum.mean();
            p.samplesSeen += sum.count;
        }
        Map<String, byte[]> extras = new TreeMap<>();
        List<PooledScores> scores = pendingScores.remove(FeatureSum.key(n, epoch));
        if (pooling != null && scores != null) {
            scores.sort((a, b) -> Integer.compare(a.label, b.label));
            List<float[]> lists = new ArrayList<>();
            for (PooledScores s : scores) {
                lists.add(s.scores);
            }
            ClassSelectionModel pooled = pooling.fitPooled(lists);
            if (pooled != null) {
                extras.put(ModelNames.POOLED_SELECTION, pooled.toBytes());
            }
        }
        // drop anything older that can no longer be published
        pendingSums
                .keySet()
                .removeIf(k -> FeatureSum.networkOf(k) == n && FeatureSum.epochOf(k) <= epoch);
        pendingScores
                .keySet()
                .removeIf(k -> FeatureSum.networkOf(k) == n && FeatureSum.epochOf(k) <= epoch);

        long version = p.version + 1;
        TrainingSnapshot snapshot;
        if (trained != null) {
            snapshot = trained.as(version, extras);
        } else if (parameters[n] != null) {
            ModelSpec spec = config.model().toSpec(n);
            snapshot =
                    new TrainingSnapshot(
                            spec,
                            version,
                            0,
                            p.samplesSeen,
                            1.0,
                            p.centringMean,
                            parameters[n],
                            Map.of(),
                            extras);
        } else {
            snapshot =
                    TrainingSnapshot.withoutNetwork(version, p.samplesSeen, p.centringMean, extras);
        }
        String name = ModelNames.of(modelPrefix, n);
        long t0 = System.nanoTime();
        byte[] bytes = snapshot.toBytes();
        StoredSnapshot stored = store.put(name, version, bytes);
        store.retainLatest(name, config.store().keepVersions());
        writeMillis.update((System.nanoTime() - t0) / 1_000_000);
        lastSnapshotBytes = bytes.length;
        p.version = version;
        p.epoch = epoch;
        ModelSnapshotRef ref =
                ModelSnapshotRef.newBuilder()
                        .setModelName(name)
                        .setVersion(version)
                        .setUri(stored.uri().toString())
                        .setSha256(stored.sha256())
                        .setSizeBytes(stored.sizeBytes())
                        .setCreatedAt(stored.createdAt())
                        .setSamplesSeen(p.samplesSeen)
                        .setTrainSteps(snapshot.steps())
                        .setMetrics(versionMetrics(n, sum))
                        .setNetwork(n)
                        .setEpoch(epoch)
                        .setEndOfStream(false)
                        .setRunId(runId)
                        .build();
        if (trained != null) {
            LOG.info(
                    "model owner published {} version {} for epoch {} ({} bytes, {} steps, {}"
                            + " samples trained)",
                    name,
                    version,
                    epoch,
                    bytes.length,
                    snapshot.steps(),
                    snapshot.samplesSeen());
        } else {
            LOG.info(
                    "model owner published {} version {} for epoch {} ({} bytes, m from {}"
                            + " samples)",
                    name,
                    version,
                    epoch,
                    bytes.length,
                    sum == null ? 0 : sum.count);
        }
        output.collect(new StreamRecord<>(ref, clock.lastMillisOf(epoch)));
    }

    /** The trainer (tests: read it only when the background trainer is idle). */
    StreamingTrainer trainer() {
        return trainer;
    }

    /** Samples the background trainer's inbox dropped; 0 with {@code backpressure}. */
    long inboxDrops() {
        return background == null ? 0 : background.inboxDrops();
    }

    /** What a version's reference reports beside its counters. */
    private Map<String, Double> versionMetrics(int n, FeatureSum sum) {
        Map<String, Double> m = new TreeMap<>();
        if (trainer == null) {
            m.put("epochSamples", sum == null ? 0.0 : (double) sum.count);
            return m;
        }
        // read while the background trainer may run: counters, good enough for a report
        m.put("evictions", (double) trainer.evictions(n));
        if (restoreMillis > 0) {
            m.put("trainerRestoreMs", (double) restoreMillis);
        }
        if (background != null) {
            m.put("inboxDrops", (double) background.inboxDrops());
            m.put("pendingDrops", (double) trainer.pendingDrops());
        }
        long labelled = 0;
        long unlabelled = 0;
        for (int k = 0; k < config.model().numClasses(); k++) {
            labelled += trainer.queuedLabelled(n, k);
            unlabelled += trainer.queuedUnlabelled(n, k);
        }
        m.put("queuedLabelled", (double) labelled);
        m.put("queuedUnlabelled", (double) unlabelled);
        return m;
    }

    private ModelSnapshotRef endMarker() {
        return ModelSnapshotRef.newBuilder()
                .setModelName(ModelNames.endMarker(modelPrefix))
                .setVersion(published[0].version)
                .setUri("")
                .setSha256("")
                .setSizeBytes(0)
                .setCreatedAt(Instant.now())
                .setSamplesSeen(published[0].samplesSeen)
                .setTrainSteps(0)
                .setMetrics(Map.of())
                .setNetwork(-1)
                .setEpoch(published[0].epoch)
                .setEndOfStream(true)
                .setRunId(runId)
                .build();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        publishedState.update(List.of(published));
        List<FeatureSum> parts = new ArrayList<>();
        pendingSums.values().forEach(m -> parts.addAll(m.values()));
        sumsState.update(parts);
        List<PooledScores> scores = new ArrayList<>();
        pendingScores.values().forEach(scores::addAll);
        scoresState.update(scores);
        endedState.update(List.of(ended));
        if (trainer != null) {
            if (lastCheckpoint == null || !uncompleted.containsKey(context.getCheckpointId())) {
                throw new IllegalStateException(
                        "no trainer checkpoint prepared for checkpoint "
                                + context.getCheckpointId());
            }
            trainerState.update(List.of(lastCheckpoint));
        }
    }

    /**
     * The trainer's checkpoint is taken before the barrier goes downstream: the background trainer
     * pauses, the epochs it closed are published (so a restore never loses a closed but unpublished
     * epoch), and the networks go to the store by claim check.
     */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        if (trainer == null) {
            return;
        }
        long t0 = System.nanoTime();
        TrainerCheckpoint c;
        if (background != null) {
            c =
                    background.paused(
                            t -> {
                                try {
                                    publishClosed();
                                    return checkpoints.write(t, checkpointId, lastCheckpoint);
                                } catch (Exception e) {
                                    throw new IllegalStateException(
                                            "trainer checkpoint " + checkpointId + " failed", e);
                                }
                            });
        } else {
            c = checkpoints.write(trainer, checkpointId, lastCheckpoint);
        }
        uncompleted.put(checkpointId, c);
        lastCheckpoint = c;
        LOG.debug(
                "model owner: trainer checkpoint {} ({} bytes of state) in {} ms",
                checkpointId,
                c.trainerState.length,
                (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        TrainerCheckpoint done = uncompleted.get(checkpointId);
        if (done != null) {
            uncompleted.headMap(checkpointId, true).clear();
            // the newest completed checkpoint's snapshots stay, and the newest few before them
            checkpoints.retain(done);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            boolean idle = true;
            if (background != null) {
                try {
                    background.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // a cancel: still free what is free
                }
                idle = background.stoppedRunning();
                background = null;
            }
            if (trainer != null) {
                if (idle) {
                    trainer.close();
                } else {
                    // never free networks a running thread still uses: leak them instead
                    LOG.warn("model owner: the trainer thread did not stop; its networks leak");
                }
                trainer = null;
            }
        } finally {
            super.close();
        }
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        super.notifyCheckpointAborted(checkpointId);
        uncompleted.remove(checkpointId);
    }
}
