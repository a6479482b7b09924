package io.sfastream.train.stream;

import io.sfastream.nn.Embeddings;
import io.sfastream.nn.FeatureExtractor;
import io.sfastream.nn.SfaModel;
import io.sfastream.sfa.loss.BalancedSoftmax;
import io.sfastream.sfa.loss.MixUp;
import io.sfastream.time.EpochClock;
import io.sfastream.train.Augmenter;
import io.sfastream.train.NetTrainer;
import io.sfastream.train.SslBatch;
import io.sfastream.train.TrainingSnapshot;
import io.sfastream.train.offline.RunRandom;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The paper's training loop on a stream (DESIGN §1, spec §7.8), for one or two networks, in plain
 * Java: a stream processor hands it scored samples ({@link #add}) and watermarks ({@link
 * #advance}); it trains on them in event-time order and tells which virtual epochs closed.
 *
 * <ul>
 *   <li><b>Order.</b> Samples wait until the watermark passes them, then are consumed in (event
 *       time, id) order; so the batches, and with them every step, do not depend on how the input
 *       interleaved or where watermarks fell. Random draws (augmentation, MixUp, the unlabelled
 *       rows) derive from (seed, epoch, network, purpose, step).
 *   <li><b>Warm-up</b> (epochs ≤ {@code warmUpEpochs}): every sample is labelled; one {@link
 *       NetTrainer#warmUpStep} per {@code warmUpBatchSize} arrivals per network, Balanced Softmax
 *       on the noisy counts of the previous epoch (of this one while there is none).
 *   <li><b>SSL</b> (later epochs): net a's labelled samples are those net b judged clean (net a's
 *       own with one network), weighted by b's clean probability; the others go to a bounded
 *       unlabelled pool, from which each step draws B rows. One {@link NetTrainer#sslStep} per B
 *       new labelled arrivals, co-guessing with net b, Balanced Softmax on N̂ (b's clean counts of
 *       the previous epoch, floor 1). λu ramps on the fractional virtual epoch of the batch.
 *   <li><b>Epoch boundary</b>: the last, short batch of each network is trained, then the centring
 *       mean m of every network is recomputed with its new weights on a sample of the epoch's
 *       images (the bottom {@code centringSamples} by a seeded hash of the id: the same sample
 *       whatever the arrival order), so m belongs to the weights it is shipped with (§7.2).
 *   <li><b>Queues</b> are per class and bounded ({@link ClassQueues}); a caller that trains at its
 *       own pace ({@code evict}) sees evictions counted, one that calls {@link #advance}
 *       synchronously ({@code backpressure}) trains every sample.
 * </ul>
 *
 * Not thread-safe.
 */
public final class StreamingTrainer implements AutoCloseable {
    private static final int CENTRING = 20;
    private static final int UNLABELLED_DRAW = 21;

    /** Snapshot section: the previous epoch's arrival and clean counts per class (for N̂). */
    public static final String EXTRA_COUNTS = "stream.previous-counts";

    private final StreamTrainingParams params;
    private final EpochClock clock;
    private final Net[] nets;
    private final PriorityQueue<TrainingExample> pending =
            new PriorityQueue<>(TrainingExample::compare);

    /** The epoch being trained (0 before the first sample). */
    private int openEpoch;

    private int maxEpochSeen;

    /** The network {@link #trainStep} tries first. */
    private int nextNet;

    private long[] arrivals;
    private long[] previousArrivals;
    private final TreeMap<Long, byte[]> centringSample = new TreeMap<>();
    private long lateSamples;
    private long pendingDrops;

    private static final class Net implements AutoCloseable {
        final int index;
        final SfaModel model;
        final NetTrainer trainer;
        final FeatureExtractor eval;
        final ClassQueues labelled;
        final ClassQueues unlabelled;
        long[] clean;
        long[] previousClean;
        float[] centringMean;
        long samplesTrained;
        long evictions;

        Net(int index, SfaModel model, NetTrainer trainer, StreamTrainingParams p) {
            this.index = index;
            this.model = model;
            this.trainer = trainer;
            this.eval = new FeatureExtractor(model, 256);
            this.labelled = new ClassQueues(p.numClasses(), p.perClassCapacity());
            this.unlabelled = new ClassQueues(p.numClasses(), p.perClassCapacity());
            this.clean = new long[p.numClasses()];
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }

    /**
     * A trainer of {@code models} (one or two; it takes ownership). With {@code snapshots} (one per
     * model, or null) it continues where they stopped: momentum, steps, learning rate and m.
     */
    public StreamingTrainer(
            StreamTrainingParams params,
            EpochClock clock,
            List<SfaModel> models,
            List<TrainingSnapshot> snapshots) {
        if (models.isEmpty() || models.size() > 2) {
            throw new IllegalArgumentException("one or two networks, got " + models.size());
        }
        this.params = params;
        this.clock = clock;
        this.nets = new Net[models.size()];
        for (int n = 0; n < nets.length; n++) {
            SfaModel m = models.get(n);
            if (m.spec().numClasses() != params.numClasses()) {
                throw new IllegalArgumentException(
                        "network " + n + " has " + m.spec().numClasses() + " classes");
            }
            NetTrainer t =
                    snapshots == null
                            ? new NetTrainer(m, params.sgd())
                            : NetTrainer.resume(m, params.sgd(), snapshots.get(n));
            nets[n] = new Net(n, m, t, params);
            if (snapshots != null) {
                TrainingSnapshot s = snapshots.get(n);
                nets[n].samplesTrained = s.samplesSeen();
                if (s.centringMean().length > 0) {
                    nets[n].centringMean = s.centringMean();
                }
                byte[] counts = s.extras().get(EXTRA_COUNTS);
                if (counts != null) {
                    long[] v = longs(counts, 2 * params.numClasses());
                    previousArrivals = Arrays.copyOf(v, params.numClasses());
                    nets[n].previousClean = Arrays.copyOfRange(v, params.numClasses(), v.length);
                }
            }
        }
        this.arrivals = new long[params.numClasses()];
    }

    public int networks() {
        return nets.length;
    }

    /** Takes a scored sample; it trains once the watermark has passed it. */
    public void add(TrainingExample e) {
        if (e.label < 0 || e.label >= params.numClasses()) {
            throw new IllegalArgumentException("label " + e.label + " outside [0, C)");
        }
        if (e.clean == null || e.clean.length != nets.length) {
            throw new IllegalArgumentException("need one decision per network");
        }
        maxEpochSeen = Math.max(maxEpochSeen, e.epoch);
        pending.add(e);
    }

    /**
     * Trains on every sample the watermark has passed, closing each epoch the watermark has passed
     * (up to the latest epoch any sample had: a final watermark does not close empty epochs
     * forever).
     *
     * @return the epochs closed, in order
     */
    public List<Integer> advance(long watermark) {
        return advance(watermark, true, e -> {});
    }

    /**
     * {@link #advance(long)}, calling {@code closed} right after each epoch closes, before any
     * later sample trains: the moment to {@link #snapshot} the version of that boundary (its
     * weights and their m, nothing of the next epoch).
     */
    public List<Integer> advance(long watermark, IntConsumer closed) {
        return advance(watermark, true, closed);
    }

    /**
     * The {@code evict} policy's half of {@link #advance}: moves every sample the watermark has
     * passed into the bounded class queues (a full queue drops its oldest sample, counted) and
     * closes the epochs it has passed (m from the weights as they are, counts rolled), but trains
     * nothing: {@link #trainStep} does, at the caller's own pace. What is queued at a boundary
     * stays queued and trains in the next epoch.
     *
     * @return the epochs closed, in order
     */
    public List<Integer> enqueue(long watermark) {
        return advance(watermark, false, e -> {});
    }

    /** {@link #enqueue(long)}, calling {@code closed} right after each epoch closes. */
    public List<Integer> enqueue(long watermark, IntConsumer closed) {
        return advance(watermark, false, closed);
    }

    /**
     * One training step of the {@code evict} policy: the next network (in turn) whose labelled
     * queue holds a full batch takes it. False when no queue holds a batch.
     */
    public boolean trainStep() {
        if (openEpoch == 0) {
            return false;
        }
        int b = batchSize(openEpoch);
        for (int i = 0; i < nets.length; i++) {
            Net a = nets[(nextNet + i) % nets.length];
            if (a.labelled.size() >= b) {
                step(a, b);
                nextNet = (a.index + 1) % nets.length;
                return true;
            }
        }
        return false;
    }

    private List<Integer> advance(long watermark, boolean train, IntConsumer onClose) {
        List<Integer> closed = new ArrayList<>();
        int last = Math.min(clock.closedBy(watermark), maxEpochSeen);
        while (true) {
            if (openEpoch == 0) {
                if (pending.isEmpty() || pending.peek().eventTime > watermark) {
                    return closed;
                }
                openEpoch = Math.max(1, pending.peek().epoch);
            }
            if (openEpoch > last) {
                release(watermark, train);
                return closed;
            }
            release(clock.lastMillisOf(openEpoch), train);
            closeEpoch(train);
            closed.add(openEpoch);
            onClose.accept(openEpoch);
            openEpoch++;
        }
    }

    private void release(long upTo, boolean train) {
        while (!pending.isEmpty() && pending.peek().eventTime <= upTo) {
            TrainingExample e = pending.poll();
            if (e.epoch < openEpoch) {
                lateSamples++;
            }
            arrivals[e.label]++;
            long h = RunRandom.seed(params.seed() ^ e.id.hashCode(), openEpoch, CENTRING);
            centringSample.put(h, e.pixels);
            if (centringSample.size() > params.centringSamples()) {
                centringSample.pollLastEntry();
            }
            boolean warmUp = isWarmUp(openEpoch);
            for (Net a : nets) {
                Net b = other(a);
                if (warmUp || e.clean[b.index]) {
                    a.evictions += a.labelled.add(e) ? 1 : 0;
                } else {
                    a.unlabelled.add(e);
                }
                if (e.clean[a.index]) {
                    a.clean[e.label]++;
                }
            }
            for (Net a : nets) {
                while (train && a.labelled.size() >= batchSize(openEpoch)) {
                    step(a, batchSize(openEpoch));
                }
            }
        }
    }

    private void closeEpoch(boolean flush) {
        for (Net a : nets) {
            while (flush && a.labelled.size() > 0) {
                step(a, batchSize(openEpoch));
            }
        }
        if (!centringSample.isEmpty()) {
            List<byte[]> images = new ArrayList<>(centringSample.values());
            for (Net a : nets) {
                a.centringMean = mean(a.eval, images);
            }
        }
        centringSample.clear();
        previousArrivals = arrivals;
        arrivals = new long[params.numClasses()];
        for (Net a : nets) {
            a.previousClean = a.clean;
            a.clean = new long[params.numClasses()];
        }
    }

    private void step(Net a, int n) {
        int epoch = openEpoch;
        List<TrainingExample> batch = a.labelled.takeOldest(n);
        long step = a.trainer.steps();
        a.trainer.setLearningRate(params.ssl().learningRate().at(epoch));
        Augmenter aug =
                Augmenter.forSpec(
                        a.model.spec(),
                        params.padding(),
                        params.flip(),
                        RunRandom.seed(params.seed() ^ step, a.index, RunRandom.AUGMENT + epoch));
        int[] labels = new int[batch.size()];
        List<byte[]> images = new ArrayList<>(batch.size());
        for (int i = 0; i < labels.length; i++) {
            labels[i] = batch.get(i).label;
            images.add(batch.get(i).pixels);
        }
        if (isWarmUp(epoch)) {
            a.trainer.warmUpStep(aug.augment(images), labels, noisyCounts());
        } else {
            Net b = other(a);
            double[] w = new double[labels.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = clamp(batch.get(i).cleanProbability[b.index]);
            }
            List<byte[]> u = new ArrayList<>();
            int pool = a.unlabelled.size();
            if (pool > 0) {
                UniformRandomProvider r =
                        RunRandom.of(params.seed(), epoch, a.index, UNLABELLED_DRAW, step);
                for (int i = 0; i < params.batchSize(); i++) {
                    u.add(a.unlabelled.get(r.nextInt(pool)).pixels);
                }
            }
            double lambdaU =
                    params.ssl()
                            .weightRamp()
                            .at(clock.progress(batch.get(batch.size() - 1).eventTime));
            a.trainer.sslStep(
                    SslBatch.augment(aug, images, labels, w, u),
                    nets.length == 2 ? b.model : null,
                    nHat(b),
                    lambdaU,
                    params.ssl().penaltyWeight(),
                    params.ssl().temperature(),
                    new MixUp(
                            params.ssl().alpha(),
                            RunRandom.of(params.seed(), epoch, a.index, RunRandom.MIXUP, step)));
        }
        a.samplesTrained += labels.length;
    }

    private static double clamp(double p) {
        return Double.isFinite(p) ? Math.max(0.0, Math.min(1.0, p)) : 1.0;
    }

    private BalancedSoftmax noisyCounts() {
        return BalancedSoftmax.fromCounts(previousArrivals != null ? previousArrivals : arrivals);
    }

    private BalancedSoftmax nHat(Net b) {
        return b.previousClean == null
                ? noisyCounts()
                : BalancedSoftmax.fromCounts(b.previousClean);
    }

    private static float[] mean(FeatureExtractor eval, List<byte[]> images) {
        double[] sum = null;
        for (int from = 0; from < images.size(); from += eval.maxBatch()) {
            Embeddings e =
                    eval.embed(
                            images.subList(from, Math.min(images.size(), from + eval.maxBatch())));
            for (float[] f : e.features()) {
                if (sum == null) {
                    sum = new double[f.length];
                }
                for (int j = 0; j < f.length; j++) {
                    sum[j] += f[j];
                }
            }
        }
        float[] m = new float[sum.length];
        for (int j = 0; j < m.length; j++) {
            m[j] = (float) (sum[j] / images.size());
        }
        return m;
    }

    private Net other(Net a) {
        return nets.length == 2 ? nets[1 - a.index] : a;
    }

    private boolean isWarmUp(int epoch) {
        return epoch <= params.warmUpEpochs();
    }

    private int batchSize(int epoch) {
        return isWarmUp(epoch) ? params.warmUpBatchSize() : params.batchSize();
    }

    // ---- checkpoints: the networks go by snapshot, everything else by this state

    private static final int STATE_FORMAT = 1;

    /**
     * Everything but the networks, at any point (mid-epoch too): the samples waiting for the
     * watermark, the queues in arrival order, the open epoch, the counts and the centring sample.
     * {@link #restoreState} on a trainer built from {@link #snapshot}s taken at the same point
     * continues exactly.
     */
    public byte[] exportState() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(STATE_FORMAT);
            out.writeInt(nets.length);
            out.writeInt(params.numClasses());
            out.writeInt(openEpoch);
            out.writeInt(maxEpochSeen);
            out.writeLong(lateSamples);
            writeLongs(out, arrivals);
            writeLongs(out, previousArrivals);
            out.writeInt(centringSample.size());
            for (var c : centringSample.entrySet()) {
                out.writeLong(c.getKey());
                out.writeInt(c.getValue().length);
                out.write(c.getValue());
            }
            writeExamples(out, new ArrayList<>(pending));
            for (Net a : nets) {
                writeExamples(out, a.labelled.all());
                writeExamples(out, a.unlabelled.all());
                writeLongs(out, a.clean);
                writeLongs(out, a.previousClean);
                out.writeLong(a.samplesTrained);
                out.writeLong(a.evictions);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Restores {@link #exportState()} into this trainer (built from the matching snapshots). */
    public void restoreState(byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int format = in.readInt();
            int networks = in.readInt();
            int classes = in.readInt();
            if (format != STATE_FORMAT
                    || networks != nets.length
                    || classes != params.numClasses()) {
                throw new IllegalArgumentException(
                        "trainer state of format "
                                + format
                                + " for "
                                + networks
                                + " networks and "
                                + classes
                                + " classes does not fit this trainer ("
                                + nets.length
                                + ", "
                                + params.numClasses()
                                + ")");
            }
            openEpoch = in.readInt();
            maxEpochSeen = in.readInt();
            lateSamples = in.readLong();
            arrivals = readLongs(in);
            previousArrivals = readLongs(in);
            centringSample.clear();
            for (int i = in.readInt(); i > 0; i--) {
                long h = in.readLong();
                centringSample.put(h, in.readNBytes(in.readInt()));
            }
            pending.clear();
            pending.addAll(readExamples(in));
            for (Net a : nets) {
                readExamples(in).forEach(a.labelled::add);
                readExamples(in).forEach(a.unlabelled::add);
                a.clean = readLongs(in);
                a.previousClean = readLongs(in);
                a.samplesTrained = in.readLong();
                a.evictions = in.readLong();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable trainer state: " + e.getMessage(), e);
        }
    }

    private static void writeLongs(DataOutputStream out, long[] v) throws IOException {
        out.writeInt(v == null ? -1 : v.length);
        if (v != null) {
            for (long x : v) {
                out.writeLong(x);
            }
        }
    }

    private static long[] readLongs(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readLong();
        }
        return v;
    }

    private static void writeExamples(DataOutputStream out, List<TrainingExample> list)
            throws IOException {
        out.writeInt(list.size());
        for (TrainingExample e : list) {
            e.write(out);
        }
    }

    private static List<TrainingExample> readExamples(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<TrainingExample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(TrainingExample.read(in));
        }
        return out;
    }

    // ---- what the caller publishes and watches

    /**
     * Network {@code n}'s training state with its m and the previous epoch's counts, as a version
     * to publish. Taken at an epoch boundary (nothing pending or queued), a trainer built from it
     * continues exactly; samples still pending or queued are the caller's to keep.
     */
    public TrainingSnapshot snapshot(int n, long version, Map<String, byte[]> extras) {
        Net a = nets[n];
        Map<String, byte[]> all = new TreeMap<>(extras);
        if (previousArrivals != null && a.previousClean != null) {
            long[] v = new long[2 * params.numClasses()];
            System.arraycopy(previousArrivals, 0, v, 0, params.numClasses());
            System.arraycopy(a.previousClean, 0, v, params.numClasses(), params.numClasses());
            all.put(EXTRA_COUNTS, bytes(v));
        }
        return a.trainer.snapshot(version, a.samplesTrained, a.centringMean, all);
    }

    private static byte[] bytes(long[] v) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeLongs(out, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static long[] longs(byte[] bytes, int n) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long[] v = readLongs(in);
            if (v == null || v.length != n) {
                throw new IOException("expected " + n + " counts");
            }
            return v;
        } catch (IOException e) {
            throw new IllegalArgumentException(EXTRA_COUNTS + " is unreadable: " + e.getMessage());
        }
    }

    /** The centring mean of network {@code n}'s weights at the last boundary; null before it. */
    public float[] centringMean(int n) {
        return nets[n].centringMean == null ? null : nets[n].centringMean.clone();
    }

    public long steps(int n) {
        return nets[n].trainer.steps();
    }

    public long samplesTrained(int n) {
        return nets[n].samplesTrained;
    }

    /** Labelled samples network {@code n} lost to a full class queue. */
    public long evictions(int n) {
        return nets[n].evictions;
    }

    public int queuedLabelled(int n, int label) {
        return nets[n].labelled.size(label);
    }

    public int queuedUnlabelled(int n, int label) {
        return nets[n].unlabelled.size(label);
    }

    /** Samples waiting for the watermark. */
    public int pending() {
        return pending.size();
    }

    /**
     * The {@code evict} policy's bound on the samples waiting for the watermark: drops the oldest
     * beyond {@code max} (a watermark that lags, an idle partition, must not grow memory without
     * end) and counts them.
     *
     * @return how many it dropped now
     */
    public int dropPendingBeyond(int max) {
        int dropped = 0;
        while (pending.size() > max) {
            pending.poll();
            dropped++;
        }
        pendingDrops += dropped;
        return dropped;
    }

    /** Samples {@link #dropPendingBeyond} dropped. */
    public long pendingDrops() {
        return pendingDrops;
    }

    /** Samples that arrived after their epoch had closed (trained in the open one). */
    public long lateSamples() {
        return lateSamples;
    }

    public int openEpoch() {
        return openEpoch;
    }

    /** The live network {@code n} (for evaluation between calls). */
    public SfaModel model(int n) {
        return nets[n].model;
    }

    @Override
    public void close() {
        for (Net n : nets) {
            n.close();
        }
    }
}
