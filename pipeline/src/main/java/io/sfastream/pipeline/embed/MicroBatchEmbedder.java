package io.sfastream.pipeline.embed;

import io.sfastream.nn.DeviceSettings;
import io.sfastream.nn.DjlRuntime;
import io.sfastream.nn.Embeddings;
import io.sfastream.nn.FeatureExtractor;
import io.sfastream.nn.ModelSpec;
import io.sfastream.nn.SfaModel;
import io.sfastream.pipeline.decode.DeadLetters;
import io.sfastream.pipeline.decode.DecodedSample;
import io.sfastream.pipeline.decode.Rejection;
import io.sfastream.sfa.CentringMean;
import io.sfastream.sfa.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs the model over micro-batches: a batch is flushed when full, when its oldest sample has
 * waited {@code maxDelayMs}, before a watermark is forwarded (so nothing buffered becomes late) and
 * before every checkpoint barrier ({@link #prepareSnapshotPreBarrier}), so the buffer never needs
 * to be in state and a failure loses nothing. The model is built in {@link #open()} (one per
 * subtask) and closed in {@link #close()}.
 *
 * <p>Features leave centred and L2-normalised with a running global mean kept in operator state.
 * Until the trainer ships the mean with each model snapshot (sfa-algorithm.md §7.2), this mean is
 * per subtask.
 */
public final class MicroBatchEmbedder extends AbstractStreamOperator<EmbeddedSample>
        implements OneInputStreamOperator<DecodedSample, EmbeddedSample>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final ModelSpec spec;
    private final int batchSize;
    private final long maxDelayMs;
    private final double centringMomentum;
    private final DeviceSettings djl;

    private transient SfaModel model;
    private transient FeatureExtractor extractor;
    private transient List<DecodedSample> batch;
    private transient List<Long> timestamps;
    private transient long batchGeneration;
    private transient CentringMean centring;
    private transient ListState<CentringMean> centringState;
    private transient Counter embedded;
    private transient Counter rejected;

    public MicroBatchEmbedder(
            ModelSpec spec, int batchSize, long maxDelayMs, double centringMomentum) {
        this(spec, batchSize, maxDelayMs, centringMomentum, DeviceSettings.DEFAULTS);
    }

    /**
     * @param djl this TaskManager's DJL device and threads, applied before the first model is built
     */
    public MicroBatchEmbedder(
            ModelSpec spec,
            int batchSize,
            long maxDelayMs,
            double centringMomentum,
            DeviceSettings djl) {
        this.djl = djl;
        this.spec = spec;
        this.batchSize = batchSize;
        this.maxDelayMs = maxDelayMs;
        this.centringMomentum = centringMomentum;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        // Split (not union) list state: union state blocks checkpoints once some subtasks of a
        // bounded job finish.
        // After a rescale a subtask merges whatever means it is handed, or starts afresh when
        // handed none.
        centringState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "centring-mean", TypeInformation.of(CentringMean.class)));
        centring = CentringMean.merge(centringState.get());
    }

    @Override
    public void open() throws Exception {
        super.open();
        batch = new ArrayList<>(batchSize);
        timestamps = new ArrayList<>(batchSize);
        DjlRuntime.configure(djl);
        model = SfaModel.create(spec, DjlRuntime.device());
        extractor = new FeatureExtractor(model, batchSize);
        embedded = getMetricGroup().counter("embedded");
        rejected = getMetricGroup().counter("deadLetters");
        LOG.info(
                "embedder {} built {} (version {})",
                getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks(),
                spec,
                model.version());
    }

    @Override
    public void processElement(StreamRecord<DecodedSample> element) throws Exception {
        batch.add(element.getValue());
        timestamps.add(element.hasTimestamp() ? element.getTimestamp() : Long.MIN_VALUE);
        if (batch.size() >= batchSize) {
            flush();
        } else if (batch.size() == 1 && maxDelayMs > 0) {
            long generation = batchGeneration;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService()
                    .registerTimer(
                            now + maxDelayMs,
                            t -> {
                                if (generation == batchGeneration) {
                                    flush();
                                }
                            });
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() throws Exception {
        flush();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        centringState.clear();
        if (centring.mean != null) {
            centringState.add(centring);
        }
    }

    private void flush() {
        if (batch.isEmpty()) {
            return;
        }
        batchGeneration++;
        List<byte[]> pixels = new ArrayList<>(batch.size());
        for (DecodedSample s : batch) {
            pixels.add(s.pixels);
        }
        Embeddings e = extractor.embed(pixels);
        int emitted = 0;
        for (int i = 0; i < batch.size(); i++) {
            DecodedSample s = batch.get(i);
            if (!(finite(e.features()[i])
                    && finite(e.logits()[i])
                    && finite(e.balancedLogits()[i]))) {
                rejected.inc();
                output.collect(
                        DeadLetters.TAG,
                        new StreamRecord<>(
                                DeadLetters.of(
                                        s.topic,
                                        s.partition,
                                        s.offset,
                                        null,
                                        null,
                                        0,
                                        new Rejection(
                                                Rejection.EMBED,
                                                "the model produced non-finite features or logits for this image",
                                                s.id,
                                                null))));
                continue;
            }
            // Sample by sample, so the result does not depend on where batch boundaries fall. Like
            // the reference,
            // the mean includes the sample itself; the very first sample has nothing to be centred
            // against.
            float[] f = e.features()[i];
            centring.update(f, centringMomentum);
            EmbeddedSample out = new EmbeddedSample();
            out.id = s.id;
            out.label = s.label;
            out.trueLabel = s.trueLabel;
            out.eventTime = s.eventTime;
            out.features = Vectors.centreAndNormalise(f, centring.count > 1 ? centring.mean : null);
            out.logits = e.logits()[i];
            out.balancedLogits = e.balancedLogits()[i];
            out.modelVersion = model.version();
            out.topic = s.topic;
            out.partition = s.partition;
            out.offset = s.offset;
            long ts = timestamps.get(i);
            output.collect(
                    ts == Long.MIN_VALUE ? new StreamRecord<>(out) : new StreamRecord<>(out, ts));
            emitted++;
        }
        embedded.inc(emitted);
        batch.clear();
        timestamps.clear();
    }

    private static boolean finite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws Exception {
        try {
            if (model != null) {
                model.close();
            }
        } finally {
            super.close();
        }
    }
}
