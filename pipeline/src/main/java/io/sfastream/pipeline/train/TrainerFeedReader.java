package io.sfastream.pipeline.train;

import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.deadletter.DeadLetters;
import io.sfastream.pipeline.deadletter.Rejection;
import io.sfastream.pipeline.io.RawKafkaRecord;
import io.sfastream.pipeline.local.KafkaTopics;
import io.sfastream.schemas.TrainerFeed;
import io.sfastream.schemas.WireCodec;
import io.sfastream.schemas.WireFormatException;
import io.sfastream.train.stream.TrainingExample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * The trainer job's end of the training topic ({@code job.role: trainer}, parallelism 1): decodes
 * the scorer job's {@link TrainerFeed} records into messages for the model owner, and emits as its
 * watermark the minimum, over every partition and every scorer subtask, of the watermarks they
 * wrote: a scorer subtask's watermark in a partition comes after everything it wrote there before,
 * so the owner closes an epoch exactly when the scorer job's event time has passed it. An
 * unreadable record is a dead letter. The watermarks seen are operator state.
 */
public final class TrainerFeedReader extends AbstractStreamOperator<OwnerMessage>
        implements OneInputStreamOperator<RawKafkaRecord, OwnerMessage> {
    private static final long serialVersionUID = 1L;

    private final PipelineConfig config;
    private transient WireCodec<TrainerFeed> codec;
    private transient DeadLetters deadLetters;
    private transient int partitions;

    /** (partition, producer) → the producer's watermark in that partition. */
    private transient Map<Long, Long> watermarks;

    private transient int producers;
    private transient long emitted;
    private transient ListState<long[]> state;

    private final int knownPartitions;

    /** A reader that asks the broker how many partitions the training topic has. */
    public TrainerFeedReader(PipelineConfig config) {
        this(config, 0);
    }

    /** A reader of a training topic with {@code partitions} partitions (0: ask the broker). */
    TrainerFeedReader(PipelineConfig config, int partitions) {
        this.config = config;
        this.knownPartitions = partitions;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "feed-watermarks",
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        watermarks = new HashMap<>();
        producers = 0;
        for (long[] w : state.get()) {
            watermarks.put(key((int) w[0], (int) w[1]), w[3]);
            producers = Math.max(producers, (int) w[2]);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        codec = WireCodec.of(TrainerFeed.class);
        deadLetters = new DeadLetters(getMetricGroup());
        partitions =
                knownPartitions > 0
                        ? knownPartitions
                        : KafkaTopics.partitions(
                                config.kafka().bootstrapServers(),
                                config.kafka().trainingTopic(),
                                Duration.ofSeconds(60));
        emitted = Long.MIN_VALUE;
        getMetricGroup().gauge("feedWatermark", () -> emitted);
    }

    private static long key(int partition, int producer) {
        return ((long) partition << 32) | (producer & 0xffffffffL);
    }

    @Override
    public void processElement(StreamRecord<RawKafkaRecord> element) {
        RawKafkaRecord r = element.getValue();
        TrainerFeed f;
        try {
            f = codec.decode(r.value);
        } catch (WireFormatException e) {
            reject(r, "unreadable", e.getMessage(), null);
            return;
        }
        String problem = problem(f);
        if (problem != null) {
            reject(r, "invalid-feed-record", problem, f.getId());
            return;
        }
        switch (f.getKind()) {
            case WATERMARK -> advance(r.partition, f);
            case SAMPLE -> {
                byte[] px = new byte[f.getPixels().remaining()];
                f.getPixels().duplicate().get(px);
                boolean[] clean = new boolean[f.getClean().size()];
                double[] p = new double[clean.length];
                for (int n = 0; n < clean.length; n++) {
                    clean[n] = f.getClean().get(n);
                    p[n] = f.getCleanProbability().get(n);
                }
                TrainingExample e =
                        new TrainingExample(
                                f.getId(),
                                f.getLabel(),
                                f.getEventTime(),
                                f.getEpoch(),
                                px,
                                clean,
                                p);
                output.collect(new StreamRecord<>(OwnerMessage.of(e), e.eventTime));
            }
            case POOLED_SCORES -> {
                float[] scores = new float[f.getScores().size()];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = f.getScores().get(i);
                }
                output.collect(
                        new StreamRecord<>(
                                OwnerMessage.of(
                                        new PooledScores(
                                                f.getNetwork(),
                                                f.getEpoch(),
                                                f.getLabel(),
                                                scores))));
            }
        }
    }

    /** What makes a record unusable for this trainer (its model), or null. */
    private String problem(TrainerFeed f) {
        PipelineConfig.Model m = config.model();
        if (f.getProducers() < 1 || f.getProducer() < 0 || f.getProducer() >= f.getProducers()) {
            return "producer " + f.getProducer() + " of " + f.getProducers();
        }
        return switch (f.getKind()) {
            case WATERMARK -> null;
            case SAMPLE -> {
                if (f.getId() == null || f.getPixels() == null) {
                    yield "a SAMPLE needs an id and pixels";
                }
                if (f.getLabel() < 0 || f.getLabel() >= m.numClasses()) {
                    yield "label " + f.getLabel() + " outside [0, " + m.numClasses() + ")";
                }
                if (f.getClean().size() != m.networks()
                        || f.getCleanProbability().size() != m.networks()) {
                    yield "decisions for "
                            + f.getClean().size()
                            + " networks, this trainer has "
                            + m.networks();
                }
                int bytes = m.width() * m.height() * m.channels();
                yield f.getPixels().remaining() == bytes
                        ? null
                        : f.getPixels().remaining() + " pixel bytes, the model takes " + bytes;
            }
            case POOLED_SCORES ->
                    f.getNetwork() < 0 || f.getNetwork() >= m.networks()
                            ? "network " + f.getNetwork() + " of " + m.networks()
                            : null;
        };
    }

    private void advance(int partition, TrainerFeed f) {
        if (f.getProducers() != producers) {
            // the scorer job came back with another parallelism: the subtasks it no longer has
            // write no more, so they must not hold the minimum back (it never goes backwards)
            producers = f.getProducers();
            watermarks.keySet().removeIf(k -> (int) (k & 0xffffffffL) >= producers);
        }
        watermarks.merge(key(partition, f.getProducer()), f.getWatermark(), Math::max);
        long min = Long.MAX_VALUE;
        for (int p = 0; p < partitions && min > Long.MIN_VALUE; p++) {
            for (int i = 0; i < producers; i++) {
                min = Math.min(min, watermarks.getOrDefault(key(p, i), Long.MIN_VALUE));
            }
        }
        if (min > emitted) {
            emitted = min;
            output.emitWatermark(new Watermark(min));
        }
    }

    private void reject(RawKafkaRecord r, String code, String reason, String id) {
        output.collect(
                DeadLetters.TAG,
                new StreamRecord<>(
                        deadLetters.count(
                                r.topic,
                                r.partition,
                                r.offset,
                                r.key,
                                r.value,
                                config.kafka().deadLetterValueCapBytes(),
                                new Rejection(Rejection.TRAIN, code, reason, id, null))));
    }

    /** The source's own watermarks carry nothing; only the end of a bounded input passes. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE && emitted < Long.MAX_VALUE) {
            emitted = Long.MAX_VALUE;
            super.processWatermark(mark);
        }
    }

    /** The source's status says nothing of the feed's event time: the output stays active. */
    @Override
    public void processWatermarkStatus(WatermarkStatus status) {}

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<long[]> rows = new ArrayList<>();
        for (var e : watermarks.entrySet()) {
            rows.add(
                    new long[] {
                        e.getKey() >>> 32, e.getKey() & 0xffffffffL, producers, e.getValue()
                    });
        }
        state.update(rows);
    }
}
