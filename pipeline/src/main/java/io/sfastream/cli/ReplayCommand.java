package io.sfastream.cli;

import io.sfastream.data.FashionMnist;
import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.local.SampleProducer;
import io.sfastream.pipeline.replay.BrokerCheck;
import io.sfastream.pipeline.replay.ImageReplay;
import io.sfastream.pipeline.replay.RateLimiter;
import io.sfastream.pipeline.replay.ReplayException;
import io.sfastream.pipeline.replay.ReplayInputs;
import io.sfastream.pipeline.replay.ReplayProtocol;
import io.sfastream.pipeline.replay.ReplaySource;
import io.sfastream.pipeline.replay.Replayer;
import io.sfastream.time.EpochClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sfa replay}: a dataset, long-tailed and noisy by the paper's protocols, as a stream of E
 * passes into the samples topic (images) or the features topic (feature vectors), pass e stamped as
 * virtual epoch e by the profile's epoch clock, ground truth in {@code trueLabel}.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Replay a dataset as a stream into the samples topic (images: LabelledSample) or the"
                    + " features topic (features-csv, synthetic: LabelledEmbedding), made long-tailed"
                    + " and noisy by the paper's protocols, for --epochs passes: pass e is reshuffled"
                    + " and stamped as virtual epoch e by the profile's epoch clock (epoch.start,"
                    + " epoch.length), the true label in trueLabel. Idempotent acks=all producer,"
                    + " key = label.",
            "Exit codes: 0 sent, 1 the broker or topic is not usable, 2 bad arguments or data.",
            ""
        })
public final class ReplayCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayCommand.class);

    @Option(
            names = "--dataset",
            required = true,
            paramLabel = "FORMAT",
            description = {
                "idx: an IDX image/label pair (MNIST, Fashion-MNIST, …): a folder with"
                        + " train*/t10k*-images-idx3-ubyte[.gz] and their labels files, or the images"
                        + " file; class names from classes.txt beside it.",
                "cifar10, cifar100: the binary versions (cifar-10-batches-bin, cifar-100-binary), or"
                        + " one .bin file.",
                "webvision: mini-WebVision (info/train_filelist_google.txt, the first --num-classes"
                        + " classes; --split test = info/val_filelist.txt); web labels, so no trueLabel"
                        + " for train.",
                "folder: class sub-folders of images (class k = k-th folder in name order, label"
                        + " names = folder names), decoded with ImageIO.",
                "features-csv: the CSV of sfa score-features (id, label, [true_label],"
                        + " [confidence], features) to the features topic.",
                "synthetic: seeded synthetic features (unit class means, spread 3, offset 2, as sfa"
                        + " bench pipeline), --num-classes × --dim, to the features topic."
            })
    String dataset;

    @Option(
            names = "--data-path",
            paramLabel = "PATH",
            description =
                    "Folder or file of the dataset (required but for idx, where it defaults to"
                            + " Fashion-MNIST's /usr/share/datasets/fashion-mnist).")
    Path dataPath;

    @Option(
            names = "--name",
            description =
                    "Name of the dataset in the replay's name, the record ids and 'source'"
                            + " (default: what the data implies, e.g. the folder name and split).")
    String name;

    @Option(
            names = "--split",
            defaultValue = "train",
            description = "train or test (idx, cifar, webvision; default: ${DEFAULT-VALUE}).")
    String split;

    @Option(
            names = "--image-size",
            defaultValue = "32",
            description =
                    "folder, webvision: images are resized (PIL bilinear, aspect not kept) to N×N"
                            + " (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(
            names = "--channels",
            defaultValue = "3",
            description =
                    "folder, webvision: 1 = grey (BT.601 luma), 3 = RGB (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(
            names = "--encoding",
            defaultValue = "RAW",
            description =
                    "How images travel: raw (RAW_GRAY / RAW_RGB bytes) or png (lossless PNG); the job"
                            + " takes both (default: ${DEFAULT-VALUE}).")
    ImageReplay.Encoding encoding;

    @Option(
            names = "--num-classes",
            defaultValue = "0",
            description =
                    "webvision: the first C classes (default 50); features-csv: at least C classes;"
                            + " synthetic: C classes (default 10).")
    int numClasses;

    @Option(
            names = "--dim",
            defaultValue = "64",
            description = "synthetic: feature width (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(
            names = "--encoder-name",
            description =
                    "features: LabelledEmbedding.encoderName (default: the file name, synthetic-d<dim>).")
    String encoderName;

    @Option(
            names = "--max-per-class",
            defaultValue = "0",
            description =
                    "n_max: samples of the head class; class k keeps int(n_max·ρ^(k/(C−1))); 0 = the"
                            + " largest class (synthetic: 100) (default: ${DEFAULT-VALUE}).")
    int maxPerClass;

    @Option(
            names = "--imbalance",
            defaultValue = "1.0",
            description =
                    "ρ = n_min/n_max of the exponential long tail; 1 = none (default: ${DEFAULT-VALUE}).")
    double imbalance;

    @Option(
            names = "--noise-ratio",
            defaultValue = "0.0",
            description =
                    "Fraction r of labels flipped, exactly int(r·N) (default: ${DEFAULT-VALUE}).")
    double noiseRatio;

    @Option(
            names = "--noise-mode",
            defaultValue = "IMB",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    NoiseMode noiseMode;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description =
                    "Seed of the long tail (seed), the noise (seed+1) and the order (seed+2), as sfa"
                            + " demo (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--imb-file",
            paramLabel = "JSON",
            description =
                    "The reference's imb_file (kept indices) instead of drawing the long tail.")
    Path imbFile;

    @Option(
            names = "--noise-file",
            paramLabel = "JSON",
            description =
                    "The reference's noise_file (noisy label of every kept sample) instead of drawing the noise.")
    Path noiseFile;

    @Option(
            names = "--epochs",
            defaultValue = "1",
            description = "Passes; pass e is virtual epoch e (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description =
                    "At most N samples/s on average; 0 = unlimited (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--config",
            description =
                    "Profile: topics, epoch clock, bootstrap servers (default: built-in defaults).")
    Path config;

    @Option(
            names = {"-s", "--set"},
            paramLabel = "KEY=VALUE",
            description = "Override one setting of the profile, as sfa run (repeatable).")
    List<String> overrides = List.of();

    @Option(names = "--bootstrap-servers", description = "Override kafka.bootstrapServers.")
    String bootstrapServers;

    @Option(
            names = "--topic",
            description =
                    "Override the topic (default: kafka.samplesTopic, or kafka.featuresTopic for features).")
    String topic;

    @Option(
            names = "--create-topic",
            description = "Create the topic with --partitions partitions when it does not exist.")
    boolean createTopic;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            description = "See --create-topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--connect-timeout",
            defaultValue = "10",
            paramLabel = "SECONDS",
            description =
                    "How long to wait for the broker before giving up (default: ${DEFAULT-VALUE}).")
    double connectTimeout;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PipelineConfig c;
        ReplayProtocol protocol;
        ReplayInputs.Loaded loaded;
        try {
            c = loadConfig();
            protocol =
                    new ReplayProtocol(
                            maxPerClass,
                            imbalance,
                            noiseRatio,
                            noiseMode,
                            seed,
                            imbFile,
                            noiseFile);
            if (epochs < 1) {
                throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
            }
            ReplayInputs.Format format = ReplayInputs.Format.parse(dataset);
            loaded =
                    ReplayInputs.load(
                            new ReplayInputs.Spec(
                                    format,
                                    format == ReplayInputs.Format.SYNTHETIC
                                            ? null
                                            : dataPath != null
                                                    ? dataPath
                                                    : format == ReplayInputs.Format.IDX
                                                            ? FashionMnist.DEFAULT_DIR
                                                            : null,
                                    name,
                                    split,
                                    imageSize,
                                    channels,
                                    encoding,
                                    numClasses,
                                    dim,
                                    encoderName,
                                    Runtime.getRuntime().availableProcessors()),
                            protocol);
        } catch (IOException | IllegalArgumentException e) {
            err.println("sfa replay: " + e.getMessage());
            err.flush();
            return 2;
        }
        ReplaySource source = loaded.source();
        String target =
                topic != null
                        ? topic
                        : source.kind() == ReplaySource.Kind.FEATURES
                                ? c.kafka().featuresTopic()
                                : c.kafka().samplesTopic();
        String servers = c.kafka().bootstrapServers();
        EpochClock clock = c.epochClock();
        for (String note : loaded.notes()) {
            LOG.warn("{}: {}", source.name(), note);
        }
        String header =
                String.format(
                        Locale.ROOT,
                        "replay %s: N=%d per pass, %d flipped, %d passes, seeds long tail %d /"
                                + " noise %d / order %d; class counts %s (true), %s (given); to %s on"
                                + " %s; epoch clock %s",
                        source.name(),
                        source.size(),
                        source.flips(),
                        epochs,
                        seed,
                        seed + 1,
                        seed + 2,
                        Arrays.toString(source.trueCounts()),
                        Arrays.toString(source.givenCounts()),
                        target,
                        servers,
                        clock);
        LOG.info(header);
        out.println(header);
        out.flush();
        Replayer.Summary summary;
        try {
            BrokerCheck.require(
                    servers,
                    target,
                    Duration.ofMillis((long) (connectTimeout * 1000)),
                    createTopic ? partitions : 0);
            try (SampleProducer producer = new SampleProducer(servers, target);
                    ProgressBar bar =
                            noProgress ? null : progressBar(source.size() * (long) epochs)) {
                summary =
                        Replayer.run(
                                source,
                                epochs,
                                clock,
                                producer,
                                new RateLimiter(rate),
                                bar == null ? n -> {} : n -> bar.stepTo(n));
            }
        } catch (ReplayException e) {
            err.println("sfa replay: " + e.getMessage());
            err.flush();
            return 1;
        }
        printSummary(out, source, summary, target);
        return 0;
    }

    private static ProgressBar progressBar(long total) {
        return new ProgressBarBuilder()
                .setTaskName("replay")
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setUnit(" samples", 1)
                .showSpeed()
                .continuousUpdate()
                .build();
    }

    private static void printSummary(
            PrintWriter out, ReplaySource source, Replayer.Summary s, String topic) {
        out.printf(
                Locale.ROOT,
                "sfa replay — %s: %d records sent to %s (%d passes of %d), %d flipped labels per"
                        + " pass, %.1f s, %.0f samples/s%n",
                s.name(),
                s.sent(),
                topic,
                s.passes(),
                s.perPass(),
                s.flips(),
                s.seconds(),
                s.samplesPerSecond());
        out.println("  class   true  given  name   (per pass)");
        List<String> names = source.classNames();
        int[] truth = source.trueCounts();
        for (int k = 0; k < s.classCounts().length; k++) {
            out.printf(
                    Locale.ROOT,
                    "  %5d  %5d  %5d  %s%n",
                    k,
                    truth[k],
                    s.classCounts()[k],
                    names.get(k));
        }
        out.flush();
    }

    private PipelineConfig loadConfig() throws IOException {
        PipelineConfig c = config == null ? PipelineConfig.defaults() : PipelineConfig.load(config);
        return ProfileOverrides.apply(c, bootstrapServers, overrides);
    }
}
