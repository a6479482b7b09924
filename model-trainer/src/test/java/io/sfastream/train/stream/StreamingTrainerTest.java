package io.sfastream.train.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.sfastream.nn.Architecture;
import io.sfastream.nn.Embeddings;
import io.sfastream.nn.FeatureExtractor;
import io.sfastream.nn.ModelSpec;
import io.sfastream.nn.SfaModel;
import io.sfastream.time.EpochClock;
import io.sfastream.train.TrainingSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming trainer on a small generated stream (3 classes of 8x8 images, each a bright block
 * in its own place plus noise, 10 % of labels flipped), with the real small CNN on libtorch.
 */
class StreamingTrainerTest {
    private static final int C = 3;
    private static final int PER_EPOCH = 192;
    private static final EpochClock CLOCK =
            new EpochClock(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofHours(1));

    private static ModelSpec spec(int n) {
        return new ModelSpec(
                Architecture.SMALL_CNN, 8, 8, 1, C, 7 + n, new float[] {0.3f}, new float[] {0.3f});
    }

    private static StreamTrainingParams params(int warmUp) {
        StreamTrainingParams r = StreamTrainingParams.reference(C, warmUp);
        return new StreamTrainingParams(C, warmUp, 16, 32, r.ssl(), r.sgd(), 1, false, 256, 64, 5);
    }

    private static byte[] image(int k, Random r) {
        byte[] px = new byte[64];
        for (int i = 0; i < 64; i++) {
            int row = i / 8;
            int v = r.nextInt(40) + (row / 3 == k ? 180 : 0);
            px[i] = (byte) Math.min(255, v);
        }
        return px;
    }

    /** {@code epochs} passes of the same images, each pass filling its virtual epoch in order. */
    private static List<TrainingExample> stream(int epochs, int networks) {
        Random r = new Random(11);
        List<byte[]> images = new ArrayList<>();
        int[] truth = new int[PER_EPOCH];
        int[] given = new int[PER_EPOCH];
        for (int i = 0; i < PER_EPOCH; i++) {
            truth[i] = i % C;
            given[i] = r.nextDouble() < 0.1 ? (truth[i] + 1) % C : truth[i];
            images.add(image(truth[i], r));
        }
        List<TrainingExample> out = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            for (int i = 0; i < PER_EPOCH; i++) {
                boolean clean = given[i] == truth[i];
                boolean[] flags = new boolean[networks];
                double[] p = new double[networks];
                for (int n = 0; n < networks; n++) {
                    flags[n] = clean;
                    p[n] = clean ? 0.9 : 0.2;
                }
                out.add(
                        new TrainingExample(
                                "s" + i,
                                given[i],
                                CLOCK.replayTimestamp(e, i, PER_EPOCH),
                                e,
                                images.get(i),
                                flags,
                                p));
            }
        }
        return out;
    }

    private static StreamingTrainer trainer(int networks, int warmUp) {
        List<SfaModel> models = new ArrayList<>();
        for (int n = 0; n < networks; n++) {
            models.add(SfaModel.create(spec(n), Device.cpu()));
        }
        return new StreamingTrainer(params(warmUp), CLOCK, models, null);
    }

    private static double accuracy(SfaModel model) {
        Random r = new Random(99);
        List<byte[]> images = new ArrayList<>();
        int[] truth = new int[150];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = i % C;
            images.add(image(truth[i], r));
        }
        FeatureExtractor fx = new FeatureExtractor(model, 256);
        Embeddings e = fx.embed(images);
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            float[] z = e.logits()[i];
            int best = 0;
            for (int k = 1; k < C; k++) {
                best = z[k] > z[best] ? k : best;
            }
            correct += best == truth[i] ? 1 : 0;
        }
        return (double) correct / truth.length;
    }

    @Test
    void trainsInEventTimeOrderWhateverTheArrivalOrderAndWatermarks() {
        List<TrainingExample> examples = stream(3, 2);
        try (StreamingTrainer inOrder = trainer(2, 1);
                StreamingTrainer shuffled = trainer(2, 1)) {
            examples.forEach(inOrder::add);
            assertThat(inOrder.advance(Long.MAX_VALUE)).containsExactly(1, 2, 3);

            // arrival shuffled within windows, and a watermark after every 50 samples
            List<TrainingExample> mixed = new ArrayList<>(examples);
            Random r = new Random(3);
            for (int from = 0; from < mixed.size(); from += 40) {
                Collections.shuffle(mixed.subList(from, Math.min(mixed.size(), from + 40)), r);
            }
            List<Integer> closed = new ArrayList<>();
            long maxSeen = Long.MIN_VALUE;
            for (int i = 0; i < mixed.size(); i++) {
                shuffled.add(mixed.get(i));
                maxSeen = Math.max(maxSeen, mixed.get(i).eventTime);
                if (i % 50 == 49) {
                    // everything up to 40 samples back has arrived
                    closed.addAll(
                            shuffled.advance(maxSeen - 41 * CLOCK.lengthMillis() / PER_EPOCH));
                }
            }
            closed.addAll(shuffled.advance(Long.MAX_VALUE));
            assertThat(closed).containsExactly(1, 2, 3);

            for (int n = 0; n < 2; n++) {
                assertThat(shuffled.steps(n)).isEqualTo(inOrder.steps(n)).isPositive();
                assertThat(shuffled.model(n).parameterBytes())
                        .isEqualTo(inOrder.model(n).parameterBytes());
                assertThat(shuffled.centringMean(n)).isEqualTo(inOrder.centringMean(n));
            }
            // warm-up: 192/32 = 6 steps; SSL: 2 × ceil(clean/16) per net
            assertThat(inOrder.steps(0)).isGreaterThan(6);
            assertThat(inOrder.pending()).isZero();
        }
    }

    @Test
    void learnsTheCleanLabelsAndResumesFromItsSnapshotExactly() {
        List<TrainingExample> examples = stream(4, 1);
        List<TrainingExample> first = examples.subList(0, 2 * PER_EPOCH);
        List<TrainingExample> rest = examples.subList(2 * PER_EPOCH, examples.size());
        try (StreamingTrainer straight = trainer(1, 2)) {
            double before = accuracy(straight.model(0));
            examples.forEach(straight::add);
            straight.advance(Long.MAX_VALUE);
            double after = accuracy(straight.model(0));
            System.out.printf(
                    "streaming trainer, generated 3-class 8x8 stream, 4 epochs x %d: accuracy %.3f"
                            + " untrained, %.3f trained (%d steps)%n",
                    PER_EPOCH, before, after, straight.steps(0));
            assertThat(after).isGreaterThan(0.9).isGreaterThan(before + 0.3);

            TrainingSnapshot snap;
            try (StreamingTrainer head = trainer(1, 2)) {
                first.forEach(head::add);
                assertThat(head.advance(CLOCK.lastMillisOf(2))).containsExactly(1, 2);
                snap = TrainingSnapshot.fromBytes(head.snapshot(0, 2, Map.of()).toBytes());
            }
            try (StreamingTrainer resumed =
                    new StreamingTrainer(
                            params(2),
                            CLOCK,
                            List.of(snap.restoreModel(Device.cpu())),
                            List.of(snap))) {
                // a snapshot at a boundary carries what the next epoch needs: the rest trains
                // exactly as in the straight run
                rest.forEach(resumed::add);
                resumed.advance(Long.MAX_VALUE);
                assertThat(resumed.steps(0)).isEqualTo(straight.steps(0));
                assertThat(resumed.model(0).parameterBytes())
                        .isEqualTo(straight.model(0).parameterBytes());
                assertThat(resumed.centringMean(0)).isEqualTo(straight.centringMean(0));
            }
        }
    }

    @Test
    void aMidEpochCheckpointContinuesExactly() {
        List<TrainingExample> examples = stream(3, 2);
        int cut = PER_EPOCH + PER_EPOCH / 2 + 7; // inside the first SSL epoch, mid-batch
        long watermark = examples.get(cut - 30).eventTime; // 30 samples still pending
        try (StreamingTrainer straight = trainer(2, 1)) {
            examples.forEach(straight::add);
            straight.advance(Long.MAX_VALUE);

            List<TrainingSnapshot> snaps = new ArrayList<>();
            byte[] state;
            try (StreamingTrainer head = trainer(2, 1)) {
                examples.subList(0, cut).forEach(head::add);
                head.advance(watermark);
                assertThat(head.pending()).isEqualTo(29);
                for (int n = 0; n < 2; n++) {
                    snaps.add(TrainingSnapshot.fromBytes(head.snapshot(n, 9, Map.of()).toBytes()));
                }
                state = head.exportState();
            }
            List<SfaModel> models = new ArrayList<>();
            for (TrainingSnapshot s : snaps) {
                models.add(s.restoreModel(Device.cpu()));
            }
            try (StreamingTrainer resumed = new StreamingTrainer(params(1), CLOCK, models, snaps)) {
                resumed.restoreState(state);
                assertThat(resumed.pending()).isEqualTo(29);
                examples.subList(cut, examples.size()).forEach(resumed::add);
                resumed.advance(Long.MAX_VALUE);
                for (int n = 0; n < 2; n++) {
                    assertThat(resumed.steps(n)).isEqualTo(straight.steps(n));
                    assertThat(resumed.model(n).parameterBytes())
                            .isEqualTo(straight.model(n).parameterBytes());
                    assertThat(resumed.samplesTrained(n)).isEqualTo(straight.samplesTrained(n));
                }
            }
        }
    }

    /**
     * The {@code evict} half: {@link StreamingTrainer#enqueue} closes epochs without training and
     * keeps at most the queue bound, counting the rest; {@link StreamingTrainer#trainStep} trains
     * one full batch at a time and stops when none is left.
     */
    @Test
    void enqueueNeverTrainsAndTrainStepTakesOneBatchAtATime() {
        List<TrainingExample> examples = stream(3, 1);
        try (StreamingTrainer t = trainer(1, 5)) {
            for (TrainingExample e : examples) {
                t.add(e);
            }
            assertThat(t.enqueue(Long.MAX_VALUE)).containsExactly(1, 2, 3);
            assertThat(t.steps(0)).isZero();
            assertThat(t.centringMean(0)).isNotNull();
            int queued = 0;
            for (int k = 0; k < C; k++) {
                queued += t.queuedLabelled(0, k);
                // the bound: 256 split over 3 classes, at least one batch of 32
                assertThat(t.queuedLabelled(0, k)).isLessThanOrEqualTo(86);
            }
            assertThat(t.evictions(0)).isEqualTo(3L * PER_EPOCH - queued);
            int steps = 0;
            while (t.trainStep()) {
                steps++;
            }
            assertThat(steps).isEqualTo(t.steps(0)).isGreaterThan(0);
            assertThat(t.samplesTrained(0)).isEqualTo(32L * steps);
            int left = 0;
            for (int k = 0; k < C; k++) {
                left += t.queuedLabelled(0, k);
            }
            assertThat(left).isLessThan(32).isEqualTo(queued - 32 * steps);
        }
    }

    @Test
    void samplesWaitingForTheWatermarkCanBeBoundedOldestFirst() {
        List<TrainingExample> examples = stream(1, 1);
        try (StreamingTrainer t = trainer(1, 5)) {
            for (TrainingExample e : examples) {
                t.add(e);
            }
            assertThat(t.dropPendingBeyond(50)).isEqualTo(PER_EPOCH - 50);
            assertThat(t.pending()).isEqualTo(50);
            assertThat(t.pendingDrops()).isEqualTo(PER_EPOCH - 50L);
            // the newest 50 are kept: released by the watermark, all of them are trained on
            t.advance(Long.MAX_VALUE);
            assertThat(t.samplesTrained(0)).isEqualTo(50);
        }
    }

    @Test
    void classQueuesEvictWithinTheFullClassOnly() {
        ClassQueues q = new ClassQueues(C, 4);
        Random r = new Random(1);
        for (int i = 0; i < 10; i++) {
            q.add(
                    new TrainingExample(
                            "h" + i, 0, i, 1, image(0, r), new boolean[1], new double[1]));
        }
        q.add(new TrainingExample("t", 2, 10, 1, image(2, r), new boolean[1], new double[1]));
        assertThat(q.evictions(0)).isEqualTo(6);
        assertThat(q.evictions(2)).isZero();
        assertThat(q.size()).isEqualTo(5);
        assertThat(q.takeOldest(5))
                .extracting(e -> e.id)
                .containsExactly("h6", "h7", "h8", "h9", "t");
    }

    @Test
    void rejectsSamplesItCannotTrainOn() {
        try (StreamingTrainer t = trainer(1, 1)) {
            assertThatThrownBy(
                            () ->
                                    t.add(
                                            new TrainingExample(
                                                    "x",
                                                    5,
                                                    0,
                                                    1,
                                                    new byte[64],
                                                    new boolean[1],
                                                    new double[1])))
                    .hasMessageContaining("label 5");
            assertThatThrownBy(
                            () ->
                                    t.add(
                                            new TrainingExample(
                                                    "x",
                                                    1,
                                                    0,
                                                    1,
                                                    new byte[64],
                                                    new boolean[2],
                                                    new double[2])))
                    .hasMessageContaining("one decision per network");
        }
    }
}
