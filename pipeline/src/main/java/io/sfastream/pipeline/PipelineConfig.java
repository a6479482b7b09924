package io.sfastream.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sfastream.nn.Architecture;
import io.sfastream.nn.DeviceSettings;
import io.sfastream.nn.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every setting of the sfa-pipeline job, typed, with defaults, validated in one place ({@link
 * #validate()}). Loaded from YAML ({@code config/*.yaml}); unknown keys are errors, so a typo does
 * not silently fall back to a default. Defaults follow the paper where it has a value (β = 0.99)
 * and the measured toolchain notes elsewhere.
 */
public final class PipelineConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public Kafka kafka = new Kafka();
    public Model model = new Model();
    public Embed embed = new Embed();
    public Scoring scoring = new Scoring();
    public Job job = new Job();
    public Djl djl = new Djl();

    /** Topics, client settings and record limits. */
    public static final class Kafka implements Serializable {
        private static final long serialVersionUID = 1L;
        public String bootstrapServers = "localhost:9092";
        public String samplesTopic = "samples";
        public String scoresTopic = "noise-scores";
        public String deadLettersTopic = "dead-letters";
        public String snapshotsTopic = "model-snapshots";
        public String groupId = "sfa-pipeline";

        /** Must be unique per job writing to the same cluster (Kafka transactional ids). */
        public String transactionalIdPrefix = "sfa-pipeline";

        /** exactly-once (transactional sinks; consumers read_committed) or at-least-once. */
        public String deliveryGuarantee = "exactly-once";

        /** Stop at the end offsets seen at start-up (replays, tests, benchmarks). */
        public boolean bounded = false;

        /** Where to start when the group has no committed offset: earliest or latest. */
        public String startingOffsets = "earliest";

        /** Records above this size are dead-lettered before they are decoded. */
        public int maxRecordBytes = 1 << 20;

        /** Dead letters carry at most this many bytes of the original record. */
        public int deadLetterValueCapBytes = 64 << 10;

        /**
         * Kafka transaction timeout: must not exceed the broker's transaction.max.timeout.ms (15
         * min default).
         */
        public long transactionTimeoutMs = 10 * 60_000L;
    }

    /** The network the embedder runs. */
    public static final class Model implements Serializable {
        private static final long serialVersionUID = 1L;
        public String architecture = Architecture.SMALL_CNN.configName();
        public int width = 28;
        public int height = 28;
        public int channels = 1;
        public int numClasses = 10;

        /** Seed of the initial weights (logged; every subtask builds identical weights from it). */
        public long seed = 42;

        public float[] mean = ModelSpec.FASHION_MNIST_MEAN.clone();
        public float[] std = ModelSpec.FASHION_MNIST_STD.clone();

        public ModelSpec toSpec() {
            return new ModelSpec(
                    Architecture.fromConfigName(architecture),
                    width,
                    height,
                    channels,
                    numClasses,
                    seed,
                    mean,
                    std);
        }
    }

    /** Micro-batched inference. */
    public static final class Embed implements Serializable {
        private static final long serialVersionUID = 1L;
        public int batchSize = 64;

        /**
         * A partial batch is flushed after this long (processing time), so a slow stream still gets
         * scores.
         */
        public long maxBatchDelayMs = 200;

        /**
         * EMA momentum of the feature mean used to centre features (cumulative mean for the first
         * samples).
         */
        public double centringMomentum = 0.999;
    }

    /** The per-class scorer. */
    public static final class Scoring implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Centroid EMA momentum β (the paper's 0.99). */
        public double beta = 0.99;

        /** Samples per class before its scores leave phase WARMUP. */
        public int warmupSamplesPerClass = 20;

        /**
         * Clean when the noise probability is below this; Φ(1) = 0.8413 means "within one std of
         * usual".
         */
        public double cleanBelow = 0.8413;
    }

    /** Flink job settings. */
    public static final class Job implements Serializable {
        private static final long serialVersionUID = 1L;
        public String name = "sfa-pipeline";
        public int parallelism = 2;
        public long checkpointIntervalMs = 10_000;

        /** Event-time slack for out-of-order samples. */
        public long outOfOrdernessMs = 5_000;

        /** A partition with no data for this long stops holding back the watermark. */
        public long idleSourceTimeoutMs = 30_000;
    }

    /**
     * The DJL device and libtorch threads of every TaskManager JVM that runs the job ({@link
     * DeviceSettings}; README "Devices"). libtorch's threads are per JVM and shared by all slots:
     * about cores / (slots running DJL).
     */
    public static final class Djl implements Serializable {
        private static final long serialVersionUID = 1L;

        /** auto, cpu, gpu or gpu:N. */
        public String device = "auto";

        /** libtorch intra-op threads; 0 = leave the JVM's property or libtorch's default. */
        public int intraOpThreads = 0;

        /** libtorch inter-op threads; 0 = leave the JVM's property or libtorch's default. */
        public int interOpThreads = 0;

        public DeviceSettings toSettings() {
            return new DeviceSettings(device, intraOpThreads, interOpThreads);
        }
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig().validate();
    }

    public static PipelineConfig load(Path yaml) throws IOException {
        if (!Files.isRegularFile(yaml)) {
            throw new IOException("config file not found: " + yaml.toAbsolutePath());
        }
        try (InputStream in = Files.newInputStream(yaml)) {
            return parse(in, yaml.toString());
        }
    }

    public static PipelineConfig parse(InputStream yaml, String origin) throws IOException {
        ObjectMapper mapper =
                new ObjectMapper(new YAMLFactory())
                        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        try {
            PipelineConfig c = mapper.readValue(yaml, PipelineConfig.class);
            return (c == null ? new PipelineConfig() : c).validate();
        } catch (UnrecognizedPropertyException e) {
            throw new IOException(
                    origin
                            + ": unknown setting '"
                            + e.getPropertyName()
                            + "' at "
                            + e.getPathReference()
                            + "; known: "
                            + e.getKnownPropertyIds(),
                    e);
        } catch (IllegalArgumentException e) {
            throw new IOException(origin + ": " + e.getMessage(), e);
        }
    }

    /** Checks every value; throws one IllegalArgumentException listing all problems. */
    public PipelineConfig validate() {
        List<String> errors = new ArrayList<>();
        require(errors, notBlank(kafka.bootstrapServers), "kafka.bootstrapServers is empty");
        for (String[] t :
                new String[][] {
                    {"kafka.samplesTopic", kafka.samplesTopic},
                    {"kafka.scoresTopic", kafka.scoresTopic},
                    {"kafka.deadLettersTopic", kafka.deadLettersTopic},
                    {"kafka.snapshotsTopic", kafka.snapshotsTopic},
                    {"kafka.groupId", kafka.groupId},
                    {"kafka.transactionalIdPrefix", kafka.transactionalIdPrefix}
                }) {
            require(errors, notBlank(t[1]), t[0] + " is empty");
        }
        require(
                errors,
                List.of("exactly-once", "at-least-once").contains(kafka.deliveryGuarantee),
                "kafka.deliveryGuarantee must be exactly-once or at-least-once, got '"
                        + kafka.deliveryGuarantee
                        + "'");
        require(
                errors,
                List.of("earliest", "latest").contains(kafka.startingOffsets),
                "kafka.startingOffsets must be earliest or latest, got '"
                        + kafka.startingOffsets
                        + "'");
        require(errors, kafka.maxRecordBytes >= 1024, "kafka.maxRecordBytes must be >= 1024");
        require(
                errors,
                kafka.deadLetterValueCapBytes >= 0,
                "kafka.deadLetterValueCapBytes must be >= 0");
        require(
                errors,
                kafka.transactionTimeoutMs >= 1000 && kafka.transactionTimeoutMs <= 15 * 60_000L,
                "kafka.transactionTimeoutMs must be within 1 s .. 15 min (the broker's default maximum)");
        try {
            model.toSpec();
        } catch (IllegalArgumentException e) {
            errors.add("model: " + e.getMessage());
        }
        require(
                errors,
                embed.batchSize >= 1 && embed.batchSize <= 4096,
                "embed.batchSize must be 1..4096");
        require(
                errors,
                embed.maxBatchDelayMs >= 0,
                "embed.maxBatchDelayMs must be >= 0 (0 = only size/checkpoint)");
        require(
                errors,
                embed.centringMomentum > 0 && embed.centringMomentum < 1,
                "embed.centringMomentum must be in (0, 1)");
        require(errors, scoring.beta > 0 && scoring.beta < 1, "scoring.beta must be in (0, 1)");
        require(
                errors,
                scoring.warmupSamplesPerClass >= 2,
                "scoring.warmupSamplesPerClass must be >= 2");
        require(
                errors,
                scoring.cleanBelow > 0 && scoring.cleanBelow <= 1,
                "scoring.cleanBelow must be in (0, 1]");
        try {
            djl.toSettings();
        } catch (IllegalArgumentException e) {
            errors.add("djl: " + e.getMessage());
        }
        require(errors, job.parallelism >= 1, "job.parallelism must be >= 1");
        require(errors, job.checkpointIntervalMs >= 100, "job.checkpointIntervalMs must be >= 100");
        require(errors, job.outOfOrdernessMs >= 0, "job.outOfOrdernessMs must be >= 0");
        require(errors, job.idleSourceTimeoutMs > 0, "job.idleSourceTimeoutMs must be > 0");
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid configuration: " + String.join("; ", errors));
        }
        return this;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static void require(List<String> errors, boolean ok, String message) {
        if (!ok) {
            errors.add(message);
        }
    }
}
