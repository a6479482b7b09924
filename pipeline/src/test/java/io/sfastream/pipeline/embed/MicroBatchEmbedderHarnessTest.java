package io.sfastream.pipeline.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.nn.ModelSpec;
import io.sfastream.pipeline.decode.DecodedSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Micro-batches are flushed before barriers, watermarks and timeouts; the centring mean survives
 * restore.
 */
class MicroBatchEmbedderHarnessTest {
    private static final ModelSpec SPEC = ModelSpec.fashionMnistSmallCnn(3);

    private static OneInputStreamOperatorTestHarness<DecodedSample, EmbeddedSample> harness(
            long maxDelayMs) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new MicroBatchEmbedder(SPEC, 8, maxDelayMs, 0.999));
    }

    private static List<DecodedSample> samples(int n) {
        Random r = new Random(2);
        List<DecodedSample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DecodedSample s = new DecodedSample();
            s.id = "s" + i;
            s.label = i % 10;
            s.eventTime = 100 + i;
            s.pixels = new byte[28 * 28];
            r.nextBytes(s.pixels);
            out.add(s);
        }
        return out;
    }

    private static List<EmbeddedSample> records(
            OneInputStreamOperatorTestHarness<DecodedSample, EmbeddedSample> h) {
        List<EmbeddedSample> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof EmbeddedSample e) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void aPartialBatchIsFlushedBeforeTheCheckpointBarrier() throws Exception {
        try (var h = harness(0)) {
            h.open();
            for (DecodedSample s : samples(3)) {
                h.processElement(s, s.eventTime);
            }
            assertThat(records(h)).isEmpty(); // batch of 8 not full, no timeout configured
            h.prepareSnapshotPreBarrier(1);
            List<EmbeddedSample> out = records(h);
            assertThat(out).extracting(e -> e.id).containsExactly("s0", "s1", "s2");
            assertThat(out)
                    .allSatisfy(
                            e -> {
                                assertThat(e.features).hasSize(128);
                                assertThat(e.logits).hasSize(10);
                                double norm = 0;
                                for (float v : e.features) {
                                    norm += v * v;
                                }
                                assertThat(norm)
                                        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                            });
            // timestamps are kept per record
            assertThat(
                            h.getOutput().stream()
                                    .filter(o -> o instanceof StreamRecord<?>)
                                    .map(o -> ((StreamRecord<?>) o).getTimestamp()))
                    .containsExactly(100L, 101L, 102L);
        }
    }

    @Test
    void fullBatchesWatermarksAndTimeoutsFlush() throws Exception {
        try (var h = harness(50)) {
            h.open();
            List<DecodedSample> in = samples(11);
            for (DecodedSample s : in.subList(0, 8)) {
                h.processElement(s, s.eventTime);
            }
            assertThat(records(h)).hasSize(8); // full batch
            h.processElement(in.get(8), 108);
            h.processWatermark(new Watermark(108));
            assertThat(records(h)).hasSize(9);
            // the record precedes the watermark in the output, so it is not late downstream
            Object last = h.getOutput().toArray()[h.getOutput().size() - 1];
            assertThat(last).isInstanceOf(Watermark.class);
            h.processElement(in.get(9), 109);
            h.processElement(in.get(10), 110);
            h.setProcessingTime(h.getProcessingTime() + 60);
            assertThat(records(h)).hasSize(11);
        }
    }

    @Test
    void batchBoundariesDoNotChangeTheFeatures() throws Exception {
        List<DecodedSample> in = samples(10);
        List<List<EmbeddedSample>> runs = new ArrayList<>();
        for (int batch : new int[] {8, 3}) {
            try (var h =
                    new OneInputStreamOperatorTestHarness<DecodedSample, EmbeddedSample>(
                            new MicroBatchEmbedder(SPEC, batch, 0, 0.999))) {
                h.open();
                for (DecodedSample s : in) {
                    h.processElement(s, s.eventTime);
                }
                h.endInput();
                runs.add(records(h));
            }
        }
        for (int i = 0; i < 10; i++) {
            float[] a = runs.get(0).get(i).features;
            float[] b = runs.get(1).get(i).features;
            for (int d = 0; d < a.length; d++) {
                assertThat(a[d]).isCloseTo(b[d], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void centringMeanSurvivesSnapshotAndRestore() throws Exception {
        List<DecodedSample> in = samples(24);
        List<EmbeddedSample> uninterrupted;
        try (var h = harness(0)) {
            h.open();
            for (DecodedSample s : in) {
                h.processElement(s, s.eventTime);
            }
            h.endInput();
            uninterrupted = records(h);
        }
        OperatorSubtaskState snap;
        try (var h = harness(0)) {
            h.open();
            for (DecodedSample s : in.subList(0, 16)) {
                h.processElement(s, s.eventTime);
            }
            h.prepareSnapshotPreBarrier(1);
            snap = h.snapshot(1, 1);
        }
        try (var h = harness(0)) {
            h.initializeState(snap);
            h.open();
            for (DecodedSample s : in.subList(16, 24)) {
                h.processElement(s, s.eventTime);
            }
            h.endInput();
            List<EmbeddedSample> restored = records(h);
            assertThat(restored).hasSize(8);
            for (int i = 0; i < 8; i++) {
                float[] a = restored.get(i).features;
                float[] b = uninterrupted.get(16 + i).features;
                for (int d = 0; d < a.length; d++) {
                    assertThat(a[d]).isCloseTo(b[d], org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
        }
    }
}
