package io.sfastream.train.offline;

import ai.djl.Device;
import io.sfastream.data.LabelledImages;
import io.sfastream.data.UnavailableImageException;
import io.sfastream.data.protocol.Rngs;
import io.sfastream.eval.SelectionReport;
import io.sfastream.nn.Embeddings;
import io.sfastream.nn.FeatureExtractor;
import io.sfastream.nn.ModelSpec;
import io.sfastream.nn.SfaModel;
import io.sfastream.sfa.ClassCentroidBank;
import io.sfastream.sfa.SfaBatchSelection;
import io.sfastream.sfa.loss.BalancedSoftmax;
import io.sfastream.sfa.loss.MixUp;
import io.sfastream.sfa.loss.Softmax;
import io.sfastream.sfa.loss.SslLossTerms;
import io.sfastream.sfa.loss.UnsupervisedWeightRamp;
import io.sfastream.sfa.loss.WarmUpLoss;
import io.sfastream.store.ModelStore;
import io.sfastream.store.StoredSnapshot;
import io.sfastream.train.Ensemble;
import io.sfastream.train.NetTrainer;
import io.sfastream.train.SslBatch;
import io.sfastream.train.TrainingSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's batch protocol on local data ({@code Train_cifar.py}'s main loop, §2 of the spec):
 * per epoch, set the learning rate; during warm-up train each network on every sample with CE +
 * Balanced Softmax on the noisy counts; after it, let each network select clean samples from its
 * features ({@link SfaBatchSelection}) and train each network with the SSL step on the
 * <em>other</em> network's selection (co-divide; with one network, on its own); then test the
 * ensemble. Every epoch can be snapshotted to a {@link ModelStore} and a run resumed from the last
 * complete epoch: all random streams derive from (seed, epoch, network, purpose, item) ({@link
 * RunRandom}), so a resumed run takes exactly the steps the uninterrupted run would have.
 *
 * <p>Images that cannot be decoded ({@link UnavailableImageException}) are reported once, left out
 * of the batch they were in and of every later pass; the run goes on.
 */
public final class SfaOfflineTrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SfaOfflineTrainer.class);
    private static final String EXTRA_CONFIG = "offline.config";
    private static final String EXTRA_BANK = "offline.bank";
    private static final String EXTRA_UNAVAILABLE = "offline.unavailable";

    private final OfflineConfig config;
    private final OfflineData data;
    private final ModelStore store;
    private final int keepSnapshots;
    private final ProgressListener progress;
    private final ForkJoinPool pool;
    private final Net[] nets;
    private final Map<Integer, String> unavailable = new ConcurrentHashMap<>();
    private int completedEpochs;

    /** One network with its trainer, selector and eval pass. */
    private static final class Net implements AutoCloseable {
        final int index;
        final SfaModel model;
        final NetTrainer trainer;
        final SfaBatchSelection selection;
        final FeatureExtractor eval;
        long samplesSeen;
        Selected selected;

        Net(
                int index,
                SfaModel model,
                NetTrainer trainer,
                SfaBatchSelection selection,
                int evalBatch) {
            this.index = index;
            this.model = model;
            this.trainer = trainer;
            this.selection = selection;
            this.eval = new FeatureExtractor(model, evalBatch);
        }

        String name() {
            return "net" + (index + 1);
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }

    /**
     * A selection over the training images that could be read: {@code indices[j]} is the image of
     * result row j.
     */
    private record Selected(int[] indices, SfaBatchSelection.Result result) {}

    private SfaOfflineTrainer(
            OfflineConfig config,
            OfflineData data,
            ModelStore store,
            int keepSnapshots,
            ProgressListener progress) {
        this.config = config;
        this.data = data;
        this.store = store;
        this.keepSnapshots = keepSnapshots;
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.pool = new ForkJoinPool(config.dataThreads());
        this.nets = new Net[config.networks()];
    }

    /**
     * A trainer at epoch 0, or, with {@code resume}, at the last epoch that {@code store} holds a
     * complete snapshot of (all networks) written by a run with the same settings.
     *
     * @param store where epoch snapshots go ({@code net1}, {@code net2}, version = epoch); {@code
     *     null} for none
     * @param keepSnapshots how many epochs to keep per network ({@code >= 1})
     */
    public static SfaOfflineTrainer start(
            OfflineConfig config,
            OfflineData data,
            ModelStore store,
            int keepSnapshots,
            boolean resume,
            Device device,
            ProgressListener progress)
            throws IOException {
        if (keepSnapshots < 1) {
            throw new IllegalArgumentException("keepSnapshots must be >= 1, was " + keepSnapshots);
        }
        if (data.train().numClasses() != config.numClasses()) {
            throw new IllegalArgumentException(
                    "data has "
                            + data.train().numClasses()
                            + " classes, config "
                            + config.numClasses());
        }
        SfaOfflineTrainer t = new SfaOfflineTrainer(config, data, store, keepSnapshots, progress);
        try {
            long resumeEpoch =
                    resume && store != null ? lastCompleteEpoch(store, config.networks()) : -1;
            for (int k = 0; k < config.networks(); k++) {
                t.nets[k] =
                        resumeEpoch > 0
                                ? t.restoreNet(k, resumeEpoch, device)
                                : t.freshNet(k, device);
            }
            if (resumeEpoch > 0) {
                t.completedEpochs = (int) resumeEpoch;
                LOG.info("resumed at the end of epoch {} from {}", resumeEpoch, store);
            }
            return t;
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    private Net freshNet(int k, Device device) {
        ModelSpec s = data.spec();
        // Each network gets its own initial weights, as the reference's two nets drawn one after
        // the other.
        ModelSpec spec =
                new ModelSpec(
                        s.architecture(),
                        s.width(),
                        s.height(),
                        s.channels(),
                        s.numClasses(),
                        RunRandom.seed(config.seed(), k, RunRandom.INIT),
                        s.mean(),
                        s.std());
        SfaModel model = SfaModel.create(spec, device);
        try {
            NetTrainer trainer = new NetTrainer(model, config.sgd());
            return new Net(
                    k,
                    model,
                    trainer,
                    new SfaBatchSelection(config.selection(), k),
                    config.evalBatchSize());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private Net restoreNet(int k, long epoch, Device device) throws IOException {
        StoredSnapshot stored = store.find("net" + (k + 1), epoch).orElseThrow();
        TrainingSnapshot snapshot =
                TrainingSnapshot.fromBytes(store.get(stored.uri(), stored.sha256()));
        String fingerprint = new String(extra(snapshot, EXTRA_CONFIG), StandardCharsets.UTF_8);
        if (!fingerprint.equals(config.fingerprint())) {
            throw new IllegalArgumentException(
                    "the snapshots in the store were written by a run with other settings;"
                            + " resume with the same flags (only --epochs may grow), or use a new output directory.\n  stored: "
                            + fingerprint
                            + "\n  now:    "
                            + config.fingerprint());
        }
        for (int i : readInts(extra(snapshot, EXTRA_UNAVAILABLE))) {
            unavailable.putIfAbsent(i, "unavailable in an earlier part of the run");
        }
        SfaModel model = snapshot.restoreModel(device);
        try {
            NetTrainer trainer = NetTrainer.resume(model, config.sgd(), snapshot);
            ClassCentroidBank bank = ClassCentroidBank.fromBytes(extra(snapshot, EXTRA_BANK));
            Net net =
                    new Net(
                            k,
                            model,
                            trainer,
                            new SfaBatchSelection(config.selection(), bank),
                            config.evalBatchSize());
            net.samplesSeen = snapshot.samplesSeen();
            return net;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static byte[] extra(TrainingSnapshot s, String key) {
        byte[] b = s.extras().get(key);
        if (b == null) {
            throw new IllegalArgumentException(
                    "snapshot has no '" + key + "' section: not written by train-offline");
        }
        return b;
    }

    /** The highest epoch that every network has a snapshot of; 0 when none. */
    static long lastCompleteEpoch(ModelStore store, int networks) throws IOException {
        Set<Long> common = null;
        for (int k = 0; k < networks; k++) {
            Set<Long> versions = new HashSet<>();
            for (StoredSnapshot s : store.list("net" + (k + 1))) {
                versions.add(s.version());
            }
            if (common == null) {
                common = versions;
            } else {
                common.retainAll(versions);
            }
        }
        return common == null ? 0 : common.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Epochs already done (the resume point). */
    public int completedEpochs() {
        return completedEpochs;
    }

    /** Images reported unavailable so far, with the reason. */
    public Map<Integer, String> unavailableImages() {
        return Map.copyOf(unavailable);
    }

    /** The networks' parameters (for tests and reports). */
    public List<byte[]> parameterBytes() {
        return Arrays.stream(nets).map(n -> n.model.parameterBytes()).toList();
    }

    /** Runs epochs {@code completedEpochs() + 1 .. config.numEpochs()}, returning their reports. */
    public List<EpochReport> run() throws IOException {
        List<EpochReport> reports = new ArrayList<>();
        while (completedEpochs < config.numEpochs()) {
            reports.add(runEpoch());
        }
        return reports;
    }

    /** Runs the next epoch. */
    public EpochReport runEpoch() throws IOException {
        int epoch = completedEpochs + 1;
        long start = System.nanoTime();
        double lr = config.ssl().learningRate().at(epoch);
        for (Net n : nets) {
            n.trainer.setLearningRate(lr);
        }
        boolean warmUp = config.ssl().warmUp().isWarmUp(epoch);
        List<EpochReport.NetEpoch> stats = new ArrayList<>();
        long selectionNanos = 0;
        long trainStart = System.nanoTime();
        if (warmUp) {
            for (Net n : nets) {
                stats.add(warmUpEpoch(n, epoch));
            }
        } else {
            for (Net n : nets) {
                n.selected = select(n, epoch);
            }
            selectionNanos = System.nanoTime() - trainStart;
            for (Net n : nets) {
                Net other = nets.length == 2 ? nets[1 - n.index] : n;
                stats.add(sslEpoch(n, other, epoch));
            }
        }
        long testStart = System.nanoTime();
        double[] perClass = new double[config.numClasses()];
        int[] tested = new int[1];
        double accuracy = test(perClass, tested);
        EpochReport.PhaseSeconds phases =
                new EpochReport.PhaseSeconds(
                        (testStart - trainStart - selectionNanos) / 1e9,
                        selectionNanos / 1e9,
                        (System.nanoTime() - testStart) / 1e9);
        completedEpochs = epoch;
        EpochReport report =
                new EpochReport(
                        epoch,
                        warmUp ? "warmup" : "sfa",
                        lr,
                        (System.nanoTime() - start) / 1e9,
                        phases,
                        stats,
                        accuracy,
                        perClass,
                        tested[0],
                        unavailable.size());
        if (store != null) {
            snapshot(epoch);
        }
        progress.epochEnded(report);
        return report;
    }

    private EpochReport.NetEpoch warmUpEpoch(Net net, int epoch) {
        int[] order = activeTrainImages();
        Rngs.shuffle(order, RunRandom.of(config.seed(), epoch, net.index, RunRandom.SHUFFLE, 0));
        BalancedSoftmax counts = BalancedSoftmax.fromCounts(data.noisyCounts());
        double ce = 0;
        double bce = 0;
        long steps = 0;
        long images = 0;
        progress.begin("epoch " + epoch + " warm-up " + net.name(), order.length);
        for (int from = 0; from < order.length; from += config.warmUpBatchSize()) {
            int[] batch =
                    Arrays.copyOfRange(
                            order, from, Math.min(order.length, from + config.warmUpBatchSize()));
            Rows rows = augment(batch, epoch, net.index, RunRandom.AUGMENT, -1);
            progress.advance(batch.length);
            if (rows.indices.length == 0) {
                continue;
            }
            WarmUpLoss.Terms t = net.trainer.warmUpStep(rows.first, labels(rows.indices), counts);
            ce += t.crossEntropy();
            bce += t.balancedCrossEntropy();
            steps++;
            images += rows.indices.length;
        }
        progress.end();
        net.samplesSeen += images;
        Map<String, Double> losses = new LinkedHashMap<>();
        losses.put("ce", steps == 0 ? Double.NaN : ce / steps);
        losses.put("bce", steps == 0 ? Double.NaN : bce / steps);
        return new EpochReport.NetEpoch(net.index, steps, images, losses, 0.0, -1, null);
    }

    /**
     * The reference's {@code eval_train}: a feature pass with the test transform, then SFA's
     * selection.
     */
    private Selected select(Net net, int epoch) {
        int[] active = activeTrainImages();
        List<float[]> features = new ArrayList<>(active.length);
        List<Double> confidences = new ArrayList<>(active.length);
        List<Integer> kept = new ArrayList<>(active.length);
        progress.begin("epoch " + epoch + " selection " + net.name(), active.length);
        for (int from = 0; from < active.length; from += config.evalBatchSize()) {
            int[] chunk =
                    Arrays.copyOfRange(
                            active, from, Math.min(active.length, from + config.evalBatchSize()));
            Rows rows = evaluate(data.train(), chunk);
            Embeddings e = net.eval.embedNormalised(rows.first);
            for (int r = 0; r < rows.indices.length; r++) {
                int label = data.train().label(rows.indices[r]);
                features.add(e.features()[r]);
                confidences.add(softmaxAt(e.balancedLogits()[r], label));
                kept.add(rows.indices[r]);
            }
            progress.advance(chunk.length);
        }
        progress.end();
        int[] indices = kept.stream().mapToInt(Integer::intValue).toArray();
        SfaBatchSelection.Result result =
                net.selection.select(
                        features.toArray(new float[0][]),
                        labels(indices),
                        confidences.stream().mapToDouble(Double::doubleValue).toArray(),
                        epoch);
        return new Selected(indices, result);
    }

    /**
     * SSL training of {@code net} on {@code other}'s selection (the reference's {@code train()}).
     */
    private EpochReport.NetEpoch sslEpoch(Net net, Net other, int epoch) {
        Selected sel = other.selected;
        List<Integer> labelledRows = new ArrayList<>();
        List<Integer> unlabelledRows = new ArrayList<>();
        for (int j = 0; j < sel.indices.length; j++) {
            if (unavailable.containsKey(sel.indices[j])) {
                continue;
            }
            (sel.result.clean()[j] ? labelledRows : unlabelledRows).add(j);
        }
        int[] labelled = labelledRows.stream().mapToInt(Integer::intValue).toArray();
        int[] unlabelled = unlabelledRows.stream().mapToInt(Integer::intValue).toArray();
        SelectionReport quality = selectionReport(net.selected);
        int selectedByThisNet = count(net.selected.result.clean());
        Map<String, Double> losses = new LinkedHashMap<>();
        if (labelled.length == 0) {
            LOG.warn(
                    "epoch {}: {} selected no clean sample; {} skips its SSL epoch",
                    epoch,
                    other.name(),
                    net.name());
            return new EpochReport.NetEpoch(
                    net.index, 0, 0, losses, 0.0, selectedByThisNet, quality);
        }
        BalancedSoftmax nHat = BalancedSoftmax.fromCounts(sel.result.balancedCounts());
        UnsupervisedWeightRamp ramp = config.ssl().weightRamp();
        MixUp mixUp =
                new MixUp(
                        config.ssl().alpha(),
                        RunRandom.of(config.seed(), epoch, net.index, RunRandom.MIXUP, 0));
        Rngs.shuffle(labelled, RunRandom.of(config.seed(), epoch, net.index, RunRandom.SHUFFLE, 0));
        int b = config.batchSize();
        UnlabelledLoader loaderU =
                new UnlabelledLoader(
                        unlabelled,
                        b,
                        pass ->
                                RunRandom.of(
                                        config.seed(),
                                        epoch,
                                        net.index,
                                        RunRandom.UNLABELLED_SHUFFLE,
                                        pass));
        int numIter = UnsupervisedWeightRamp.referenceNumIter(labelled.length, b);
        double[] sums = new double[5];
        long steps = 0;
        long images = 0;
        double lambdaU = 0;
        SfaModel guess = nets.length == 2 ? other.model : null;
        progress.begin(
                "epoch " + epoch + " SSL " + net.name() + " (" + labelled.length + " selected)",
                labelled.length);
        for (int from = 0, batchIdx = 0; from < labelled.length; from += b, batchIdx++) {
            int[] rowsL = Arrays.copyOfRange(labelled, from, Math.min(labelled.length, from + b));
            int[] imagesL = new int[rowsL.length];
            for (int r = 0; r < rowsL.length; r++) {
                imagesL[r] = sel.indices[rowsL[r]];
            }
            Rows x =
                    augment(imagesL, epoch, net.index, RunRandom.AUGMENT, RunRandom.AUGMENT_SECOND);
            progress.advance(rowsL.length);
            if (x.indices.length == 0) {
                continue;
            }
            double[] weights = new double[x.indices.length];
            for (int r = 0, j = 0; r < rowsL.length && j < weights.length; r++) {
                if (imagesL[r] == x.indices[j]) {
                    weights[j++] = sel.result.cleanProbability()[rowsL[r]];
                }
            }
            float[][] u1 = new float[0][];
            float[][] u2 = new float[0][];
            if (config.mixUnlabelled() && !loaderU.isEmpty()) {
                int[] rowsU = loaderU.next();
                int[] imagesU = new int[rowsU.length];
                for (int r = 0; r < rowsU.length; r++) {
                    imagesU[r] = sel.indices[rowsU[r]];
                }
                long pass = loaderU.pass();
                Rows u =
                        augment(
                                imagesU,
                                epoch,
                                net.index,
                                RunRandom.UNLABELLED_AUGMENT + 100L * pass,
                                RunRandom.UNLABELLED_AUGMENT_SECOND + 100L * pass);
                u1 = u.first;
                u2 = u.second;
            }
            lambdaU = ramp.at(epoch, batchIdx, numIter);
            SslLossTerms t =
                    net.trainer.sslStep(
                            new SslBatch(x.first, x.second, labels(x.indices), weights, u1, u2),
                            guess,
                            nHat,
                            lambdaU,
                            config.ssl().penaltyWeight(),
                            config.ssl().temperature(),
                            mixUp);
            sums[0] += t.lx();
            sums[1] += t.lu();
            sums[2] += t.lbx();
            sums[3] += t.lbu();
            sums[4] += t.penalty();
            steps++;
            images += x.indices.length;
        }
        progress.end();
        net.samplesSeen += images;
        String[] names = {"lx", "lu", "lbx", "lbu", "penalty"};
        for (int i = 0; i < names.length; i++) {
            losses.put(names[i], steps == 0 ? Double.NaN : sums[i] / steps);
        }
        return new EpochReport.NetEpoch(
                net.index, steps, images, losses, lambdaU, selectedByThisNet, quality);
    }

    private SelectionReport selectionReport(Selected s) {
        int n = s.indices.length;
        boolean[] trulyClean = new boolean[n];
        int[] labels = labels(s.indices);
        for (int j = 0; j < n; j++) {
            int truth = data.train().trueLabel(s.indices[j]);
            if (truth < 0) {
                return null; // web labels: the truth is unknown
            }
            trulyClean[j] = truth == labels[j];
        }
        return SelectionReport.of(
                s.result.cleanProbability(), s.result.clean(), trulyClean, labels, data.groups());
    }

    /**
     * Ensemble accuracy (sum of both heads of every network) on the test set, overall and per
     * class.
     */
    private double test(double[] perClass, int[] tested) {
        LabelledImages test = data.test();
        int[] all = OfflineData.range(test.size());
        long correct = 0;
        long[] classCorrect = new long[perClass.length];
        long[] classTotal = new long[perClass.length];
        progress.begin("test", all.length);
        for (int from = 0; from < all.length; from += config.evalBatchSize()) {
            Rows rows =
                    evaluate(
                            test,
                            Arrays.copyOfRange(
                                    all,
                                    from,
                                    Math.min(all.length, from + config.evalBatchSize())));
            List<Embeddings> outputs = new ArrayList<>(nets.length);
            for (Net n : nets) {
                outputs.add(n.eval.embedNormalised(rows.first));
            }
            int[] predicted = rows.indices.length == 0 ? new int[0] : Ensemble.predict(outputs);
            for (int r = 0; r < predicted.length; r++) {
                int truth =
                        test.trueLabel(rows.indices[r]) >= 0
                                ? test.trueLabel(rows.indices[r])
                                : test.label(rows.indices[r]);
                classTotal[truth]++;
                if (predicted[r] == truth) {
                    correct++;
                    classCorrect[truth]++;
                }
            }
            tested[0] += rows.indices.length;
            progress.advance(rows.indices.length);
        }
        progress.end();
        for (int k = 0; k < perClass.length; k++) {
            perClass[k] =
                    classTotal[k] == 0 ? Double.NaN : (double) classCorrect[k] / classTotal[k];
        }
        return tested[0] == 0 ? Double.NaN : (double) correct / tested[0];
    }

    private void snapshot(int epoch) throws IOException {
        byte[] fingerprint = config.fingerprint().getBytes(StandardCharsets.UTF_8);
        byte[] missing =
                writeInts(
                        unavailable.keySet().stream()
                                .mapToInt(Integer::intValue)
                                .sorted()
                                .toArray());
        for (Net n : nets) {
            Map<String, byte[]> extras =
                    Map.of(
                            EXTRA_CONFIG,
                            fingerprint,
                            EXTRA_BANK,
                            n.selection.bank().toBytes(),
                            EXTRA_UNAVAILABLE,
                            missing);
            float[] centring = n.selected == null ? null : n.selected.result.centringMean();
            TrainingSnapshot s = n.trainer.snapshot(epoch, n.samplesSeen, centring, extras);
            store.put(n.name(), epoch, s.toBytes());
            store.retainLatest(n.name(), keepSnapshots);
        }
    }

    /**
     * Transformed rows of the images that could be read, in order; {@code second} when two views
     * were asked for.
     */
    private record Rows(int[] indices, float[][] first, float[][] second) {}

    private Rows augment(int[] images, int epoch, int network, long purpose, long secondPurpose) {
        LabelledImages set = data.train();
        int pixels = set.pixelsPerImage();
        float[][] first = new float[images.length][];
        float[][] second = new float[images.length][];
        pool.submit(
                        () ->
                                IntStream.range(0, images.length)
                                        .parallel()
                                        .forEach(
                                                r -> {
                                                    int i = images[r];
                                                    if (unavailable.containsKey(i)) {
                                                        return;
                                                    }
                                                    try {
                                                        float[] a = new float[pixels];
                                                        set.augment(
                                                                i,
                                                                a,
                                                                0,
                                                                RunRandom.of(
                                                                        config.seed(),
                                                                        epoch,
                                                                        network,
                                                                        (int) purpose,
                                                                        i));
                                                        float[] c = null;
                                                        if (secondPurpose >= 0) {
                                                            c = new float[pixels];
                                                            set.augment(
                                                                    i,
                                                                    c,
                                                                    0,
                                                                    RunRandom.of(
                                                                            config.seed(),
                                                                            epoch,
                                                                            network,
                                                                            (int) secondPurpose,
                                                                            i));
                                                        }
                                                        first[r] = a;
                                                        second[r] = c;
                                                    } catch (UnavailableImageException e) {
                                                        report(set, e);
                                                    }
                                                }))
                .join();
        return compact(images, first, secondPurpose >= 0 ? second : null);
    }

    private Rows evaluate(LabelledImages set, int[] images) {
        int pixels = set.pixelsPerImage();
        float[][] rows = new float[images.length][];
        boolean training = set == data.train();
        pool.submit(
                        () ->
                                IntStream.range(0, images.length)
                                        .parallel()
                                        .forEach(
                                                r -> {
                                                    int i = images[r];
                                                    if (training && unavailable.containsKey(i)) {
                                                        return;
                                                    }
                                                    try {
                                                        float[] a = new float[pixels];
                                                        set.evaluate(i, a, 0);
                                                        rows[r] = a;
                                                    } catch (UnavailableImageException e) {
                                                        if (training) {
                                                            report(set, e);
                                                        } else {
                                                            LOG.warn(
                                                                    "{}: test {}; left out of the accuracy",
                                                                    set.name(),
                                                                    e.getMessage());
                                                        }
                                                    }
                                                }))
                .join();
        return compact(images, rows, null);
    }

    private void report(LabelledImages set, UnavailableImageException e) {
        if (unavailable.putIfAbsent(e.index(), e.getMessage()) == null) {
            LOG.warn("{}: {}; skipped from now on", set.name(), e.getMessage());
        }
    }

    private static Rows compact(int[] images, float[][] first, float[][] second) {
        int n = 0;
        for (float[] r : first) {
            n += r == null ? 0 : 1;
        }
        int[] idx = new int[n];
        float[][] a = new float[n][];
        float[][] b = second == null ? null : new float[n][];
        for (int r = 0, j = 0; r < images.length; r++) {
            if (first[r] != null) {
                idx[j] = images[r];
                a[j] = first[r];
                if (b != null) {
                    b[j] = second[r];
                }
                j++;
            }
        }
        return new Rows(idx, a, b);
    }

    private int[] activeTrainImages() {
        return IntStream.range(0, data.train().size())
                .filter(i -> !unavailable.containsKey(i))
                .toArray();
    }

    private int[] labels(int[] images) {
        int[] out = new int[images.length];
        for (int r = 0; r < images.length; r++) {
            out[r] = data.train().label(images[r]);
        }
        return out;
    }

    /** The ABC confidence softmax(z2)[k], with the loss package's stable softmax. */
    private static double softmaxAt(float[] logits, int k) {
        double[] z = new double[logits.length];
        for (int c = 0; c < z.length; c++) {
            z[c] = logits[c];
        }
        return Math.exp(z[k] - Softmax.logSumExp(z, null));
    }

    private static int count(boolean[] flags) {
        int c = 0;
        for (boolean f : flags) {
            c += f ? 1 : 0;
        }
        return c;
    }

    private static byte[] writeInts(int[] values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(values.length);
            for (int v : values) {
                out.writeInt(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static int[] readInts(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int[] v = new int[in.readInt()];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readInt();
            }
            return v;
        }
    }

    @Override
    public void close() {
        for (Net n : nets) {
            if (n != null) {
                n.close();
            }
        }
        pool.shutdownNow();
    }
}
