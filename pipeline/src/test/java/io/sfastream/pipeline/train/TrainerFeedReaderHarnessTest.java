package io.sfastream.pipeline.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.deadletter.DeadLetters;
import io.sfastream.pipeline.io.RawKafkaRecord;
import io.sfastream.schemas.DeadLetter;
import io.sfastream.schemas.TrainerFeed;
import io.sfastream.schemas.TrainerFeedKind;
import io.sfastream.schemas.WireCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The trainer job's reader of the training topic: its watermark is the minimum over every partition
 * and every scorer subtask, survives a restore, forgets the subtasks a rescaled scorer job no
 * longer has, and a record that does not fit the model is a dead letter with the reason.
 */
class TrainerFeedReaderHarnessTest {
    private static final WireCodec<TrainerFeed> CODEC = WireCodec.of(TrainerFeed.class);
    private static final PipelineConfig CONFIG =
            PipelineConfig.defaults().with(Map.of("model.numClasses", 10));

    private static OneInputStreamOperatorTestHarness<RawKafkaRecord, OwnerMessage> harness()
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new TrainerFeedReader(CONFIG, 2));
    }

    private static TrainerFeed.Builder base(int producer, int producers) {
        return TrainerFeed.newBuilder()
                .setProducer(producer)
                .setProducers(producers)
                .setPartition(0);
    }

    private static StreamRecord<RawKafkaRecord> record(int partition, TrainerFeed f) {
        return new StreamRecord<>(
                new RawKafkaRecord("training", partition, 0, 0, null, CODEC.encode(f)));
    }

    private static StreamRecord<RawKafkaRecord> watermark(
            int partition, int producer, int producers, long w) {
        return record(
                partition,
                base(producer, producers)
                        .setKind(TrainerFeedKind.WATERMARK)
                        .setWatermark(w)
                        .build());
    }

    private static List<Long> watermarks(
            OneInputStreamOperatorTestHarness<RawKafkaRecord, OwnerMessage> h) {
        List<Long> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark w) {
                out.add(w.getTimestamp());
            }
        }
        return out;
    }

    @Test
    void theWatermarkIsTheMinimumOverPartitionsAndSubtasksAndSurvivesARestore() throws Exception {
        OperatorSubtaskState state;
        try (var h = harness()) {
            h.open();
            h.processElement(watermark(0, 0, 2, 100));
            h.processElement(watermark(0, 1, 2, 50));
            h.processElement(watermark(1, 0, 2, 70));
            assertThat(watermarks(h)).isEmpty(); // partition 1 has not heard from subtask 1
            h.processElement(watermark(1, 1, 2, 60));
            assertThat(watermarks(h)).containsExactly(50L);
            h.processElement(watermark(0, 1, 2, 200));
            assertThat(watermarks(h)).containsExactly(50L, 60L);
            state = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(state);
            h.open();
            h.processElement(watermark(1, 1, 2, 90));
            assertThat(watermarks(h)).containsExactly(70L);
            // the scorer job comes back with one subtask: subtask 1 writes no more
            h.processElement(watermark(0, 0, 1, 150));
            h.processElement(watermark(1, 0, 1, 120));
            assertThat(watermarks(h)).containsExactly(70L, 120L);
        }
    }

    @Test
    void samplesPassWithTheirEventTimeAndRecordsThatDoNotFitAreDeadLetters() throws Exception {
        try (var h = harness()) {
            h.open();
            TrainerFeed.Builder sample =
                    base(0, 1)
                            .setKind(TrainerFeedKind.SAMPLE)
                            .setId("s1")
                            .setLabel(3)
                            .setEventTime(1234)
                            .setEpoch(1)
                            .setPixels(ByteBuffer.wrap(new byte[28 * 28]))
                            .setClean(List.of(true))
                            .setCleanProbability(List.of(0.9));
            h.processElement(record(0, sample.build()));
            h.processElement(record(0, sample.setLabel(10).build())); // no class 10
            h.processElement(
                    record(0, sample.setLabel(3).setPixels(ByteBuffer.wrap(new byte[9])).build()));
            h.processElement(
                    record(
                            0,
                            sample.setPixels(ByteBuffer.wrap(new byte[28 * 28]))
                                    .setClean(List.of(true, false))
                                    .setCleanProbability(List.of(0.9, 0.1))
                                    .build()));
            h.processElement(watermark(0, 0, 0, Long.MAX_VALUE)); // no producers: not an end
            h.processElement(
                    new StreamRecord<>(
                            new RawKafkaRecord("training", 0, 9, 0, null, new byte[] {1, 2})));

            List<OwnerMessage> out = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            for (Object o : h.getOutput()) {
                if (o instanceof StreamRecord<?> r && r.getValue() instanceof OwnerMessage m) {
                    out.add(m);
                    times.add(r.getTimestamp());
                }
            }
            assertThat(out).hasSize(1);
            assertThat(out.get(0).example.id).isEqualTo("s1");
            assertThat(out.get(0).example.pixels).hasSize(28 * 28);
            assertThat(times).containsExactly(1234L);
            assertThat(watermarks(h)).isEmpty();
            List<DeadLetter> dead = new ArrayList<>();
            h.getSideOutput(DeadLetters.TAG).forEach(r -> dead.add(r.getValue()));
            assertThat(dead).extracting(DeadLetter::getStage).containsOnly("train");
            assertThat(dead)
                    .extracting(DeadLetter::getReason)
                    .anySatisfy(r -> assertThat(r).contains("label 10 outside [0, 10)"))
                    .anySatisfy(r -> assertThat(r).contains("9 pixel bytes, the model takes 784"))
                    .anySatisfy(r -> assertThat(r).contains("decisions for 2 networks"))
                    .anySatisfy(r -> assertThat(r).contains("producer 0 of 0"))
                    .hasSize(5);
        }
    }
}
