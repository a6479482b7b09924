package io.sfastream.pipeline.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfastream.nn.Architecture;
import io.sfastream.nn.DeviceSettings;
import io.sfastream.nn.ModelSpec;
import io.sfastream.sfa.MomentMode;
import io.sfastream.sfa.SfaParams;
import io.sfastream.sfa.TinyClassFallback;
import io.sfastream.sfa.loss.SslHyperparameters;
import io.sfastream.time.EpochClock;
import io.sfastream.train.SgdOptions;
import io.sfastream.train.stream.StreamTrainingParams;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the sfa-pipeline job: one immutable, typed, validated value, loaded from a YAML
 * profile ({@code config/*.yaml}). A profile names only what it changes; everything else keeps the
 * defaults below, and SFA's own defaults come from {@link SfaParams} (the one place that holds
 * them). Unknown keys, wrong types and out-of-range values are errors that name the key and what it
 * allows ({@link ConfigException}), reported all at once.
 *
 * <p>Blocks: {@link Job job}, {@link Kafka kafka}, {@link Model model}, {@link Embed embed}, {@link
 * Epoch epoch}, {@link Sfa sfa}, {@link Baseline baseline}, {@link ClassStats classStats}, {@link
 * Store store}, {@link Djl djl}, {@link Train train}. Durations are written as Flink writes them
 * ({@code 200 ms}, {@code 10 s}, {@code 10 min}), instants as ISO-8601 ({@code
 * 2026-01-01T00:00:00Z}), enums by their names in lower case with hyphens ({@code exactly-once},
 * {@code intended-ema}).
 *
 * <p>To change a loaded value, {@link #with(String, Object)} returns a new, validated config.
 */
public record PipelineConfig(
        Job job,
        Kafka kafka,
        Model model,
        Embed embed,
        Epoch epoch,
        Sfa sfa,
        Baseline baseline,
        ClassStats classStats,
        Store store,
        Djl djl,
        Train train)
        implements Serializable {

    /** What the job reads: labelled images (the embedder runs a network) or labelled features. */
    public enum Input {
        IMAGES,
        FEATURES
    }

    /** Which rule scores samples: SFA (the method) or the centroid-distance baseline. */
    public enum Scorer {
        SFA,
        BASELINE
    }

    /**
     * Which part of the graph this job runs: all of it, or (two jobs on the same topics, the
     * trainer for example on GPU nodes) the scorer, which sends its scored samples to the training
     * topic, or the trainer, which reads them and publishes the model versions.
     */
    public enum Role {
        ALL,
        SCORER,
        TRAINER
    }

    /** Kafka sink semantics. */
    public enum DeliveryGuarantee {
        EXACTLY_ONCE,
        AT_LEAST_ONCE
    }

    /** Where a consumer group without committed offsets starts. */
    public enum StartingOffsets {
        EARLIEST,
        LATEST
    }

    /**
     * The Flink job. {@code checkpointDir}: a Flink file-system URI for checkpoints (file storage),
     * or empty to leave checkpoint storage to the cluster's configuration (a MiniCluster then keeps
     * them in JobManager memory, capped at 5 MB per state handle: too small for a replay whose
     * samples wait for a model version).
     */
    public record Job(
            String name,
            int parallelism,
            Input input,
            Scorer scorer,
            Duration checkpointInterval,
            Duration outOfOrderness,
            Duration idleSourceTimeout,
            String checkpointDir,
            Role role,
            String runId)
            implements Serializable {
        static final Job DEFAULTS =
                new Job(
                        "sfa-pipeline",
                        2,
                        Input.IMAGES,
                        Scorer.SFA,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        "",
                        Role.ALL,
                        "");

        void check(List<String> e) {
            require(e, notBlank(name), "job.name must not be empty");
            require(e, parallelism >= 1 && parallelism <= 1024, "job.parallelism must be 1..1024");
            require(
                    e,
                    atLeast(checkpointInterval, Duration.ofMillis(100)),
                    "job.checkpointInterval must be >= 100 ms");
            require(e, atLeast(outOfOrderness, Duration.ZERO), "job.outOfOrderness must be >= 0");
            require(
                    e,
                    atLeast(idleSourceTimeout, Duration.ofMillis(1)),
                    "job.idleSourceTimeout must be >= 1 ms");
            require(e, role != null, "job.role must be all, scorer or trainer");
            require(
                    e,
                    role == Role.ALL || notBlank(runId),
                    "job.runId must name the run when job.role is scorer or trainer (both jobs of"
                            + " a split deployment give the same one)");
        }
    }

    /** Topics, client settings and record limits. */
    public record Kafka(
            String bootstrapServers,
            String samplesTopic,
            String featuresTopic,
            String scoresTopic,
            String classStatsTopic,
            String deadLettersTopic,
            String snapshotsTopic,
            String trainingTopic,
            String groupId,
            String transactionalIdPrefix,
            DeliveryGuarantee deliveryGuarantee,
            boolean bounded,
            StartingOffsets startingOffsets,
            int maxRecordBytes,
            int deadLetterValueCapBytes,
            Duration transactionTimeout)
            implements Serializable {
        static final Kafka DEFAULTS =
                new Kafka(
                        "localhost:9092",
                        "samples",
                        "features",
                        "noise-scores",
                        "class-stats",
                        "dead-letters",
                        "model-snapshots",
                        "training-samples",
                        "sfa-pipeline",
                        "sfa-pipeline",
                        DeliveryGuarantee.EXACTLY_ONCE,
                        false,
                        StartingOffsets.EARLIEST,
                        1 << 20,
                        64 << 10,
                        Duration.ofMinutes(10));

        void check(List<String> e) {
            for (var t :
                    Map.of(
                                    "bootstrapServers", bootstrapServers,
                                    "samplesTopic", samplesTopic,
                                    "featuresTopic", featuresTopic,
                                    "scoresTopic", scoresTopic,
                                    "classStatsTopic", classStatsTopic,
                                    "deadLettersTopic", deadLettersTopic,
                                    "snapshotsTopic", snapshotsTopic,
                                    "trainingTopic", trainingTopic,
                                    "groupId", groupId,
                                    "transactionalIdPrefix", transactionalIdPrefix)
                            .entrySet()) {
                require(e, notBlank(t.getValue()), "kafka." + t.getKey() + " must not be empty");
            }
            require(
                    e,
                    maxRecordBytes >= 1024 && maxRecordBytes <= 256 << 20,
                    "kafka.maxRecordBytes must be 1 KiB .. 256 MiB");
            require(e, deadLetterValueCapBytes >= 0, "kafka.deadLetterValueCapBytes must be >= 0");
            require(
                    e,
                    atLeast(transactionTimeout, Duration.ofSeconds(1))
                            && !atLeast(transactionTimeout, Duration.ofMinutes(15).plusMillis(1)),
                    "kafka.transactionTimeout must be 1 s .. 15 min (the broker's default maximum)");
        }
    }

    /**
     * The network the embedder runs (input {@code images}), or the width of the features (input
     * {@code features}, where no network runs).
     */
    public record Model(
            String architecture,
            int width,
            int height,
            int channels,
            int numClasses,
            int networks,
            long seed,
            float[] mean,
            float[] std,
            int featureDim)
            implements Serializable {
        static final Model DEFAULTS =
                new Model(
                        Architecture.SMALL_CNN.configName(),
                        28,
                        28,
                        1,
                        10,
                        1,
                        42,
                        ModelSpec.FASHION_MNIST_MEAN,
                        ModelSpec.FASHION_MNIST_STD,
                        0);

        public Model {
            mean = mean == null ? null : mean.clone();
            std = std == null ? null : std.clone();
        }

        @Override
        public float[] mean() {
            return mean == null ? null : mean.clone();
        }

        @Override
        public float[] std() {
            return std == null ? null : std.clone();
        }

        /** The embedder's model of network {@code n}: seeds {@code seed + n}. */
        public ModelSpec toSpec(int network) {
            return new ModelSpec(
                    Architecture.fromConfigName(architecture),
                    width,
                    height,
                    channels,
                    numClasses,
                    seed + network,
                    mean,
                    std);
        }

        /** The width of the feature vectors the scorer sees. */
        public int featureDimension(Input input) {
            return input == Input.FEATURES ? featureDim : toSpec(0).featureDim();
        }

        void check(List<String> e, Input input) {
            require(
                    e,
                    numClasses >= 2 && numClasses <= 100_000,
                    "model.numClasses must be 2..100000");
            require(e, networks == 1 || networks == 2, "model.networks must be 1 or 2");
            if (input == Input.FEATURES) {
                require(
                        e,
                        featureDim >= 1 && featureDim <= 1 << 16,
                        "model.featureDim must be 1..65536 with job.input features (the width of"
                                + " the vectors on the features topic)");
                require(
                        e,
                        networks == 1,
                        "model.networks must be 1 with job.input features (one feature vector per"
                                + " sample)");
                return;
            }
            try {
                ModelSpec spec = toSpec(0);
                require(
                        e,
                        featureDim == 0 || featureDim == spec.featureDim(),
                        "model.featureDim must be 0 or "
                                + spec.featureDim()
                                + " (what "
                                + architecture
                                + " gives)");
                require(
                        e,
                        spec.architecture() != Architecture.TORCHSCRIPT,
                        "model.architecture torchscript is not supported by the pipeline yet");
            } catch (IllegalArgumentException x) {
                e.add("model: " + x.getMessage());
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Model m
                    && architecture.equals(m.architecture)
                    && width == m.width
                    && height == m.height
                    && channels == m.channels
                    && numClasses == m.numClasses
                    && networks == m.networks
                    && seed == m.seed
                    && Arrays.equals(mean, m.mean)
                    && Arrays.equals(std, m.std)
                    && featureDim == m.featureDim;
        }

        @Override
        public int hashCode() {
            return architecture.hashCode() * 31 + numClasses + 7 * Arrays.hashCode(mean);
        }

        @Override
        public String toString() {
            return "Model["
                    + architecture
                    + " "
                    + width
                    + "x"
                    + height
                    + "x"
                    + channels
                    + ", "
                    + numClasses
                    + " classes, "
                    + networks
                    + " network(s), seed "
                    + seed
                    + ", mean "
                    + Arrays.toString(mean)
                    + ", std "
                    + Arrays.toString(std)
                    + ", featureDim "
                    + featureDim
                    + "]";
        }
    }

    /**
     * Micro-batched inference and model versions. {@code versionWait}: a sample of epoch e waits up
     * to this long (processing time) for the model version published at the boundary of epoch e −
     * 1, so a replay is centred and scored as the epochs say; 0 scores with whatever version is
     * there (a live stream). At most {@code maxParked} samples wait per subtask; beyond that they
     * go on with the version at hand (counted).
     */
    public record Embed(int batchSize, Duration maxBatchDelay, Duration versionWait, int maxParked)
            implements Serializable {
        static final Embed DEFAULTS = new Embed(64, Duration.ofMillis(200), Duration.ZERO, 10_000);

        void check(List<String> e) {
            require(e, batchSize >= 1 && batchSize <= 4096, "embed.batchSize must be 1..4096");
            require(
                    e,
                    atLeast(maxBatchDelay, Duration.ZERO),
                    "embed.maxBatchDelay must be >= 0 (0 = flush only when full or at a checkpoint)");
            require(e, atLeast(versionWait, Duration.ZERO), "embed.versionWait must be >= 0");
            require(
                    e,
                    maxParked >= 1 && maxParked <= 1_000_000,
                    "embed.maxParked must be 1..1000000");
        }
    }

    /** Virtual epochs on event time ({@link EpochClock}). */
    public record Epoch(Instant start, Duration length) implements Serializable {
        static final Epoch DEFAULTS = new Epoch(Instant.EPOCH, Duration.ofMinutes(10));

        public EpochClock clock() {
            return new EpochClock(start, length);
        }

        void check(List<String> e) {
            require(e, start != null, "epoch.start must be an ISO-8601 instant");
            require(e, atLeast(length, Duration.ofMillis(1)), "epoch.length must be >= 1 ms");
        }
    }

    /**
     * SFA's selection: the keys of {@link SfaParams} (its Javadoc says what each means); a key left
     * out keeps SfaParams's default, the reference's CIFAR flag. {@code tau} null means 1/C.
     */
    public record Sfa(
            Double tau,
            double phi,
            double beta,
            int warmUpEpochs,
            int minSampledCount,
            int sampleRate,
            double pThreshold,
            MomentMode momentMode,
            double gmmTol,
            double gmmRegCovar,
            int gmmMaxIter,
            long gmmRandomSeed,
            int minScoresForGmm,
            TinyClassFallback tinyClassFallback,
            int reservoirSize,
            long seed)
            implements Serializable {
        static final Sfa DEFAULTS = of(SfaParams.defaults(2));

        /** The block that gives {@code p} (τ kept only if it is not 1/C). */
        public static Sfa of(SfaParams p) {
            var g = p.gmmOptions();
            Double tau = p.tau() == 1.0 / p.numClasses() ? null : Double.valueOf(p.tau());
            return new Sfa(
                    tau,
                    p.phi(),
                    p.beta(),
                    p.warmUpEpochs(),
                    p.minSampledCount(),
                    p.sampleRate(),
                    p.pThreshold(),
                    p.momentMode(),
                    g.tol(),
                    g.regCovar(),
                    g.maxIter(),
                    g.randomSeed(),
                    p.minScoresForGmm(),
                    p.tinyClassFallback(),
                    p.reservoirSize(),
                    p.seed());
        }

        public SfaParams toParams(int numClasses) {
            return SfaParams.builder(numClasses)
                    .tau(tau == null ? Double.NaN : tau)
                    .phi(phi)
                    .beta(beta)
                    .warmUpEpochs(warmUpEpochs)
                    .minSampledCount(minSampledCount)
                    .sampleRate(sampleRate)
                    .pThreshold(pThreshold)
                    .momentMode(momentMode)
                    .gmm(gmmTol, gmmRegCovar, gmmMaxIter, gmmRandomSeed)
                    .minScoresForGmm(minScoresForGmm)
                    .tinyClassFallback(tinyClassFallback)
                    .reservoirSize(reservoirSize)
                    .seed(seed)
                    .build();
        }

        void check(List<String> e, int numClasses) {
            try {
                toParams(numClasses);
            } catch (IllegalArgumentException | NullPointerException x) {
                e.add("sfa." + x.getMessage());
            }
        }
    }

    /** The centroid-distance baseline ({@code job.scorer: baseline}). */
    public record Baseline(double beta, int warmupSamplesPerClass, double cleanBelow)
            implements Serializable {
        static final Baseline DEFAULTS = new Baseline(0.99, 20, 0.8413);

        void check(List<String> e) {
            require(e, beta > 0 && beta < 1, "baseline.beta must be in (0, 1)");
            require(e, warmupSamplesPerClass >= 2, "baseline.warmupSamplesPerClass must be >= 2");
            require(e, cleanBelow > 0 && cleanBelow <= 1, "baseline.cleanBelow must be in (0, 1]");
        }
    }

    /** The per-class epoch statistics on the class-stats topic. */
    public record ClassStats(boolean includeCentroids) implements Serializable {
        static final ClassStats DEFAULTS = new ClassStats(false);
    }

    /**
     * The model store (the claim check of the model-snapshots topic): a Flink file-system URI every
     * TaskManager can read ({@code file://} for one machine, {@code s3://} or {@code hdfs://} on a
     * cluster). {@code keepVersions}: older versions of a model are deleted beyond this many.
     */
    public record Store(String uri, int keepVersions) implements Serializable {
        static final Store DEFAULTS = new Store("file:///tmp/sfa-stream/model-store", 20);

        void check(List<String> e) {
            require(e, notBlank(uri), "store.uri must not be empty");
            require(e, keepVersions >= 2, "store.keepVersions must be >= 2");
        }
    }

    /**
     * The DJL device and libtorch threads of every TaskManager JVM that runs the job ({@link
     * DeviceSettings}; README "Devices"): about cores / (slots running DJL) threads.
     */
    public record Djl(String device, int intraOpThreads, int interOpThreads)
            implements Serializable {
        static final Djl DEFAULTS = new Djl("auto", 0, 0);

        public DeviceSettings toSettings() {
            return new DeviceSettings(device, intraOpThreads, interOpThreads);
        }

        void check(List<String> e) {
            try {
                toSettings();
            } catch (IllegalArgumentException x) {
                e.add("djl: " + x.getMessage());
            }
        }
    }

    /** What the trainer does when the queues are full. */
    public enum TrainPolicy {
        /**
         * Scoring waits for training: the embedders park the next epoch's samples until the trainer
         * has published the version of this one, so every sample is trained on (a replay).
         */
        BACKPRESSURE,
        /**
         * Scoring never waits for training: the trainer trains on its own thread at its own pace;
         * samples it cannot keep up with are dropped from its bounded class queues, oldest first
         * (counted). Not deterministic: what is trained depends on timing.
         */
        EVICT
    }

    /**
     * The trainer in the model owner (issue 9): it trains the networks on the scored samples while
     * the stream runs, the paper's loop on virtual epochs ({@link StreamTrainingParams}: the
     * reference's CIFAR flags by default). Warm-up lasts {@code sfa.warmUpEpochs}; the confidence
     * threshold's growth is {@code sfa.phi}. Only for {@code job.input: images} (features input has
     * no network to train).
     *
     * @param enabled whether the networks learn; false keeps the initial, seeded weights
     * @param policy {@link TrainPolicy}
     * @param batchSize B: one semi-supervised step per B new labelled samples of a network
     * @param warmUpBatchSize one warm-up step per this many samples (2B in the reference)
     * @param learningRate the base rate ({@code --lr})
     * @param lrDecayEpoch the first virtual epoch at a tenth of the rate
     * @param momentum SGD momentum
     * @param weightDecay on every parameter
     * @param alpha MixUp's Beta(α, α)
     * @param temperature sharpening T
     * @param lambdaU the unsupervised weight's plateau
     * @param rampEpochs how many virtual epochs λu ramps over after the warm-up (16)
     * @param padding crop padding of the augmentation
     * @param flip whether the augmentation mirrors half of the images
     * @param queueCapacity labelled (and unlabelled) samples kept per network, split over classes
     * @param centringSamples images of an epoch the trainer embeds to compute m of its new weights
     * @param seed augmentation, MixUp, unlabelled draws and the centring sample derive from it
     */
    public record Train(
            boolean enabled,
            TrainPolicy policy,
            int batchSize,
            int warmUpBatchSize,
            double learningRate,
            int lrDecayEpoch,
            double momentum,
            double weightDecay,
            double alpha,
            double temperature,
            double lambdaU,
            double rampEpochs,
            int padding,
            boolean flip,
            int queueCapacity,
            int centringSamples,
            long seed)
            implements Serializable {
        static final Train DEFAULTS = of(StreamTrainingParams.reference(10, 30));

        /** The block that gives {@code p} (its warm-up and φ come from the sfa block). */
        static Train of(StreamTrainingParams p) {
            var ssl = p.ssl();
            return new Train(
                    true,
                    TrainPolicy.BACKPRESSURE,
                    p.batchSize(),
                    p.warmUpBatchSize(),
                    ssl.baseLr(),
                    ssl.firstDecayedEpoch(),
                    p.sgd().momentum(),
                    p.sgd().weightDecay(),
                    ssl.alpha(),
                    ssl.temperature(),
                    ssl.lambdaU(),
                    ssl.rampLength(),
                    p.padding(),
                    p.flip(),
                    p.queueCapacity(),
                    p.centringSamples(),
                    p.seed());
        }

        /** The trainer's parameters for {@code config} (classes, warm-up and φ from it). */
        public StreamTrainingParams toParams(PipelineConfig config) {
            int warmUp = config.sfa().warmUpEpochs();
            return new StreamTrainingParams(
                    config.model().numClasses(),
                    warmUp,
                    batchSize,
                    warmUpBatchSize,
                    new SslHyperparameters(
                            alpha,
                            temperature,
                            lambdaU,
                            warmUp,
                            rampEpochs,
                            config.sfa().phi(),
                            learningRate,
                            lrDecayEpoch,
                            10.0),
                    new SgdOptions(learningRate, momentum, weightDecay),
                    padding,
                    flip,
                    queueCapacity,
                    centringSamples,
                    seed);
        }

        void check(List<String> e, PipelineConfig config) {
            if (!enabled) {
                require(
                        e,
                        config.job().role() == Role.ALL,
                        "job.role scorer or trainer needs train.enabled: true (the trainer job is"
                                + " what publishes the versions)");
                return;
            }
            require(
                    e,
                    config.job().input() == Input.IMAGES,
                    "train.enabled needs job.input: images (features input has no network to"
                            + " train); set train.enabled: false");
            require(e, policy != null, "train.policy must be backpressure or evict");
            try {
                toParams(config);
            } catch (IllegalArgumentException | NullPointerException x) {
                e.add("train." + x.getMessage());
            }
        }
    }

    /** Every default. */
    public static PipelineConfig defaults() {
        return new PipelineConfig(
                Job.DEFAULTS,
                Kafka.DEFAULTS,
                Model.DEFAULTS,
                Embed.DEFAULTS,
                Epoch.DEFAULTS,
                Sfa.DEFAULTS,
                Baseline.DEFAULTS,
                ClassStats.DEFAULTS,
                Store.DEFAULTS,
                Djl.DEFAULTS,
                Train.DEFAULTS);
    }

    public static PipelineConfig load(Path yaml) throws IOException {
        if (!Files.isRegularFile(yaml)) {
            throw new ConfigException(
                    yaml + ": no such file (" + yaml.toAbsolutePath() + ")", List.of());
        }
        try (InputStream in = Files.newInputStream(yaml)) {
            return parse(in, yaml.toString());
        }
    }

    /** A profile over the defaults; {@code origin} names it in errors. */
    public static PipelineConfig parse(InputStream yaml, String origin) throws IOException {
        return ConfigMapper.parse(yaml, origin);
    }

    /**
     * This config with one value changed: {@code key} is the dotted YAML path ({@code
     * kafka.bootstrapServers}), {@code value} a Java value or its YAML text. Validated like a
     * profile.
     */
    public PipelineConfig with(String key, Object value) {
        return with(Map.of(key, value));
    }

    /** This config with several values changed (see {@link #with(String, Object)}). */
    public PipelineConfig with(Map<String, ?> values) {
        ObjectNode tree = ConfigMapper.toTree(this);
        for (var v : values.entrySet()) {
            ConfigMapper.set(tree, v.getKey(), v.getValue());
        }
        return ConfigMapper.fromTree(tree, "override " + values.keySet());
    }

    /** The effective profile as YAML (logged at start, written into run folders). */
    public String toYaml() {
        return ConfigMapper.toYaml(this);
    }

    /** The profile's value at a dotted key, as a YAML tree node (for messages and tests). */
    public JsonNode at(String key) {
        return ConfigMapper.toTree(this).at("/" + key.replace('.', '/'));
    }

    // ---- derived values every stage shares

    public SfaParams sfaParams() {
        return sfa.toParams(model.numClasses);
    }

    public EpochClock epochClock() {
        return epoch.clock();
    }

    public int featureDimension() {
        return model.featureDimension(job.input);
    }

    /** Checks every value; throws one {@link ConfigException} listing all problems. */
    public PipelineConfig validate() {
        List<String> e = new ArrayList<>();
        job.check(e);
        kafka.check(e);
        model.check(e, job.input);
        embed.check(e);
        epoch.check(e);
        sfa.check(e, model.numClasses);
        baseline.check(e);
        store.check(e);
        djl.check(e);
        train.check(e, this);
        if (!e.isEmpty()) {
            throw new ConfigException("invalid configuration: " + String.join("; ", e), e);
        }
        return this;
    }

    static void require(List<String> errors, boolean ok, String message) {
        if (!ok) {
            errors.add(message);
        }
    }

    static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    static boolean atLeast(Duration d, Duration min) {
        return d != null && d.compareTo(min) >= 0;
    }
}
