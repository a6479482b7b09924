package io.sfastream.pipeline.train;

import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.local.KafkaTopics;
import io.sfastream.schemas.TrainerFeed;
import io.sfastream.schemas.TrainerFeedKind;
import io.sfastream.train.stream.TrainingExample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The scorer job's end of the training topic ({@code job.role: scorer}): each message for the model
 * owner becomes a {@link TrainerFeed} record in the partition of its class, and each watermark this
 * subtask passes goes to every partition, stamped with the subtask, so that the trainer job
 * rebuilds the event time the scorer had ({@link TrainerFeedReader}) instead of guessing it from
 * the records. Runs at the scorer's parallelism, chained to it.
 */
public final class TrainerFeedWriter extends AbstractStreamOperator<TrainerFeed>
        implements OneInputStreamOperator<OwnerMessage, TrainerFeed> {
    private static final long serialVersionUID = 1L;

    private final PipelineConfig config;
    private transient int partitions;
    private transient int producer;
    private transient int producers;
    private transient long lastWatermark;

    public TrainerFeedWriter(PipelineConfig config) {
        this.config = config;
    }

    @Override
    public void open() throws Exception {
        super.open();
        partitions =
                KafkaTopics.partitions(
                        config.kafka().bootstrapServers(),
                        config.kafka().trainingTopic(),
                        Duration.ofSeconds(60));
        producer = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        producers = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        lastWatermark = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<OwnerMessage> element) {
        OwnerMessage m = element.getValue();
        TrainerFeed.Builder b = base();
        if (m.example != null) {
            TrainingExample e = m.example;
            List<Boolean> clean = new ArrayList<>();
            List<Double> p = new ArrayList<>();
            for (int n = 0; n < e.clean.length; n++) {
                clean.add(e.clean[n]);
                p.add(e.cleanProbability[n]);
            }
            b.setKind(TrainerFeedKind.SAMPLE)
                    .setId(e.id)
                    .setLabel(e.label)
                    .setEventTime(e.eventTime)
                    .setEpoch(e.epoch)
                    .setPixels(java.nio.ByteBuffer.wrap(e.pixels))
                    .setClean(clean)
                    .setCleanProbability(p);
        } else {
            PooledScores s = m.pooled;
            List<Float> scores = new ArrayList<>(s.scores.length);
            for (float x : s.scores) {
                scores.add(x);
            }
            b.setKind(TrainerFeedKind.POOLED_SCORES)
                    .setLabel(s.label)
                    .setEpoch(s.epoch)
                    .setNetwork(s.network)
                    .setScores(scores);
        }
        b.setPartition(Math.floorMod(b.getLabel(), partitions));
        output.collect(element.replace(b.build()));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long w = mark.getTimestamp();
        if (w > lastWatermark) {
            lastWatermark = w;
            for (int p = 0; p < partitions; p++) {
                output.collect(
                        new StreamRecord<>(
                                base().setKind(TrainerFeedKind.WATERMARK)
                                        .setWatermark(w)
                                        .setPartition(p)
                                        .build()));
            }
        }
        super.processWatermark(mark);
    }

    private TrainerFeed.Builder base() {
        return TrainerFeed.newBuilder().setProducer(producer).setProducers(producers);
    }
}
