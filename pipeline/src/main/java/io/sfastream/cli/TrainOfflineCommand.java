package io.sfastream.cli;

import io.sfastream.data.FashionMnist;
import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.eval.SelectionReport;
import io.sfastream.nn.Architecture;
import io.sfastream.nn.DeviceSettings;
import io.sfastream.nn.DjlRuntime;
import io.sfastream.sfa.MomentMode;
import io.sfastream.sfa.SfaParams;
import io.sfastream.sfa.loss.SslHyperparameters;
import io.sfastream.store.LocalDirectoryModelStore;
import io.sfastream.train.SgdOptions;
import io.sfastream.train.offline.DatasetKind;
import io.sfastream.train.offline.EpochCsv;
import io.sfastream.train.offline.EpochReport;
import io.sfastream.train.offline.OfflineConfig;
import io.sfastream.train.offline.OfflineData;
import io.sfastream.train.offline.ProgressListener;
import io.sfastream.train.offline.SfaOfflineTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sfa train-offline}: the paper's batch protocol on local files ({@link SfaOfflineTrainer}).
 * Flags carry the reference's names where it has them; unset flags take the dataset's preset
 * ({@link OfflineConfig#defaults}).
 */
@Command(
        name = "train-offline",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Train SFA on local data with the paper's batch protocol: warm-up epochs (CE + Balanced Softmax on the "
                    + "noisy counts), then per epoch SFA's clean-sample selection for each network and the "
                    + "semi-supervised step on the other network's selection (co-training), then the ensemble's test "
                    + "accuracy.",
            "Writes <output>/epochs.csv (one row per epoch: selected count, AUC of the clean probability, "
                    + "precision/recall per shot group, test accuracy overall and per class), <output>/run.txt and "
                    + "per-epoch snapshots in <output>/snapshots (resume with --resume).",
            "Defaults are the reference's flags: Train_cifar.py for fashion-mnist/cifar10/cifar100, "
                    + "Train_webvision.py for webvision; '(preset)' below means that value.",
            ""
        })
final class TrainOfflineCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--dataset",
            required = true,
            paramLabel = "NAME",
            description = "fashion-mnist, cifar10, cifar100 or webvision.")
    String dataset;

    @Option(
            names = "--data-path",
            paramLabel = "DIR",
            description =
                    "Dataset directory: Fashion-MNIST IDX files "
                            + "(default "
                            + "/usr/share/datasets/fashion-mnist"
                            + "), CIFAR binary version (cifar-10-batches-bin, "
                            + "cifar-100-binary), or the WebVision root (info/, google/, val_images_256/).")
    Path dataPath;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "Run directory (default: runs/train-offline-<dataset>).")
    Path output;

    @Option(
            names = {"-r", "--resume"},
            description =
                    "Continue from the last complete epoch in <output>/snapshots (same flags; --num-epochs may grow).")
    boolean resume;

    @Option(
            names = "--keep-snapshots",
            defaultValue = "2",
            description = "Epoch snapshots kept per network (default: ${DEFAULT-VALUE}).")
    int keepSnapshots;

    @Option(
            names = "--num-epochs",
            description = "Epochs in all, warm-up included (preset: 200; webvision 100).")
    Integer numEpochs;

    @Option(
            names = {"-w", "--warm-up"},
            description = "Warm-up epochs (preset: 30; webvision 1).")
    Integer warmUp;

    @Option(
            names = "--batch-size",
            description = "SSL batch B; warm-up uses 2B (preset: 64; webvision 32).")
    Integer batchSize;

    @Option(
            names = "--lr",
            description =
                    "Initial learning rate, SGD momentum 0.9, weight decay 5e-4 "
                            + "(preset: 0.02; webvision 0.01).")
    Double lr;

    @Option(
            names = "--lr-decay-epoch",
            paramLabel = "E",
            description = "First epoch at lr/10 (preset: 151, i.e. after epoch 150; webvision 50).")
    Integer lrDecayEpoch;

    @Option(names = "--alpha", description = "MixUp Beta(alpha, alpha) (preset: 4; webvision 0.5).")
    Double alpha;

    @Option(
            names = "--lambda-u",
            description =
                    "Weight of the unlabelled terms after its ramp (--lambda-u-ramp) "
                            + "(preset: 25; webvision 0).")
    Double lambdaU;

    @Option(
            names = "--lambda-u-ramp",
            paramLabel = "EPOCHS",
            description =
                    "Epochs of the linear ramp of the unlabelled weight from the end of the "
                            + "warm-up to --lambda-u (preset: 16, the reference's hard-coded "
                            + "rampup_length, sized for 200-epoch CIFAR runs).")
    Double lambdaURamp;

    @Option(
            names = "--penalty-weight",
            description =
                    "Weight of the uniform-prior penalty in the semi-supervised loss (preset: 1, "
                            + "the reference's; 0 leaves it out, for ablations).")
    Double penaltyWeight;

    @Option(names = "--p-threshold", description = "Clean-probability cut-off (preset: 0.5).")
    Double pThreshold;

    @Option(names = "--T", description = "Sharpening temperature (preset: 0.5).")
    Double temperature;

    @Option(
            names = "--beta",
            description = "EMA momentum of the centroid moments (preset: 0.99; webvision 0.9).")
    Double beta;

    @Option(
            names = "--phi",
            description =
                    "Growth of the confidence threshold tau*phi^epoch, tau = 1/C "
                            + "(preset: 1.005).")
    Double phi;

    @Option(
            names = "--sample-rate",
            description = "Centroid draws per selection epoch (preset: 1).")
    Integer sampleRate;

    @Option(
            names = "--min-sampled",
            paramLabel = "N",
            description =
                    "A class's centroid is drawn only when it has "
                            + "more than N confident samples, otherwise its mean is used (preset: 300; webvision 0).")
    Integer minSampled;

    @Option(
            names = "--moment-mode",
            converter = ScoreFeaturesCommand.MomentModeConverter.class,
            description =
                    "intended-ema (the paper: moments persist across epochs) or reference-faithful (the code as "
                            + "run: moments restart every epoch) (preset: intended-ema).")
    MomentMode momentMode;

    @Option(names = "--imb-type", description = "Long-tail profile: exp or step (preset: exp).")
    String imbType;

    @Option(
            names = "--imb-factor",
            description =
                    "Tail/head ratio rho; 1 = no long tail (preset: 0.01; "
                            + "webvision 1, its natural imbalance).")
    Double imbFactor;

    @Option(
            names = "--max-per-class",
            paramLabel = "N",
            description =
                    "Images of the head class before the long tail (preset: the full class: 6000 "
                            + "Fashion-MNIST, 5000 CIFAR-10, 500 CIFAR-100). Smaller values make CPU-sized runs.")
    Integer maxPerClass;

    @Option(
            names = "--noise-mode",
            description =
                    "imb (flips go mostly into head classes), sym or asym " + "(preset: imb).")
    String noiseMode;

    @Option(
            names = "--noise-ratio",
            description =
                    "Fraction of labels flipped, injected after the long tail "
                            + "(preset: 0.5; webvision 0: its labels are already noisy).")
    Double noiseRatio;

    @Option(
            names = "--reference-split",
            paramLabel = "DIR",
            description =
                    "Reuse the reference's imb_file/ and "
                            + "noise_file/ JSON under DIR instead of drawing a split.")
    Path referenceSplit;

    @Option(
            names = "--num-classes",
            description =
                    "webvision: the first C classes (preset: 50); the other "
                            + "datasets have theirs.")
    Integer numClasses;

    @Option(names = "--resize", description = "webvision: shorter side after Resize (preset: 320).")
    Integer resize;

    @Option(
            names = "--crop",
            description =
                    "webvision: side of the random resized / centre crop, the network's "
                            + "input (preset: 299).")
    Integer crop;

    @Option(
            names = "--networks",
            description =
                    "2 = co-training as the reference, 1 = one network selecting for "
                            + "itself (preset: 2).")
    Integer networks;

    @Option(
            names = "--arch",
            description =
                    "small-cnn, preact-resnet18 or inception-resnet-v2 (preset: small-cnn "
                            + "for fashion-mnist, preact-resnet18 for CIFAR, inception-resnet-v2 for webvision).")
    String arch;

    @Option(
            names = "--seed",
            description =
                    "Seed of the long tail, the noise, the initial weights, shuffles, "
                            + "augmentation, MixUp and the centroid draws (preset: 123).")
    Long seed;

    @Option(
            names = "--test-limit",
            paramLabel = "N",
            description = "Test on the first N test images only " + "(preset: 0 = all).")
    Integer testLimit;

    @Option(
            names = "--eval-batch",
            description = "Batch of the feature and test passes (preset: 64, the reference's).")
    Integer evalBatch;

    @Option(
            names = "--data-threads",
            description =
                    "Threads that decode and augment images (preset: the number " + "of cores).")
    Integer dataThreads;

    @CommandLine.Mixin DjlOptions djl = new DjlOptions();

    @Option(names = "--no-progress", description = "No progress bars (logs and CSV only).")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        OfflineConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // Offline training is the only DJL user in this JVM: all cores by default.
        DjlRuntime.configure(
                djl.over(
                        new DeviceSettings("auto", Runtime.getRuntime().availableProcessors(), 0)));
        Path out =
                output != null
                        ? output
                        : Path.of("runs", "train-offline-" + config.dataset().cliName());
        Files.createDirectories(out);
        PrintWriter stdout = spec.commandLine().getOut();

        OfflineData data = OfflineData.load(config);
        stdout.println(data.description());
        Path csv = out.resolve("epochs.csv");
        LocalDirectoryModelStore store = new LocalDirectoryModelStore(out.resolve("snapshots"));
        try (SfaOfflineTrainer trainer =
                SfaOfflineTrainer.start(
                        config,
                        data,
                        store,
                        keepSnapshots,
                        resume,
                        DjlRuntime.device(),
                        new Listener(stdout, csv, config, noProgress))) {
            if (resume) {
                EpochCsv.truncateAfter(csv, trainer.completedEpochs());
                stdout.println("resuming after epoch " + trainer.completedEpochs());
            } else {
                Files.deleteIfExists(csv);
            }
            Files.writeString(
                    out.resolve("run.txt"),
                    String.join(
                            "\n",
                            "command: sfa train-offline "
                                    + String.join(
                                            " ",
                                            spec.commandLine().getParseResult().originalArgs()),
                            "data: " + data.description(),
                            "config: " + config,
                            "device: " + DjlRuntime.settings(),
                            ""));
            if (!data.skipped().isEmpty()) {
                Files.write(out.resolve("skipped-at-load.txt"), data.skipped());
                stdout.println(
                        data.skipped().size()
                                + " listed images skipped at load; see skipped-at-load.txt");
            }
            stdout.println(
                    " epoch  phase    lr      net1 sel  net1 AUC  net2 sel  net2 AUC  test acc  seconds");
            trainer.run();
            Map<Integer, String> bad = trainer.unavailableImages();
            if (!bad.isEmpty()) {
                Files.write(out.resolve("skipped-images.txt"), bad.values());
                stdout.println(
                        bad.size() + " unreadable images were skipped; see skipped-images.txt");
            }
        }
        stdout.println("per-epoch table: " + csv.toAbsolutePath());
        return 0;
    }

    private OfflineConfig config() {
        DatasetKind kind = DatasetKind.fromName(dataset);
        Path path =
                dataPath != null
                        ? dataPath
                        : kind == DatasetKind.FASHION_MNIST ? FashionMnist.DEFAULT_DIR : null;
        if (path == null) {
            throw new IllegalArgumentException("--data-path is required for " + kind.cliName());
        }
        OfflineConfig p = OfflineConfig.defaults(kind, path);
        SslHyperparameters s = p.ssl();
        int warm = or(warmUp, s.warmUpEpochs());
        double phiValue = or(phi, s.phi());
        SslHyperparameters ssl =
                new SslHyperparameters(
                        or(alpha, s.alpha()),
                        or(temperature, s.temperature()),
                        or(lambdaU, s.lambdaU()),
                        warm,
                        or(lambdaURamp, s.rampLength()),
                        phiValue,
                        or(lr, s.baseLr()),
                        or(lrDecayEpoch, s.firstDecayedEpoch()),
                        s.lrDecayDivisor(),
                        or(penaltyWeight, s.penaltyWeight()));
        long runSeed = or(seed, p.seed());
        SfaParams sel = p.selection();
        if (numClasses != null) {
            if (kind != DatasetKind.WEBVISION) {
                throw new IllegalArgumentException(
                        "--num-classes is for webvision; "
                                + kind.cliName()
                                + " has its own classes");
            }
            sel = sel.toBuilder().numClasses(numClasses).tau(1.0 / numClasses).build();
        }
        SfaParams.Builder b =
                sel.toBuilder()
                        .warmUpEpochs(warm)
                        .phi(phiValue)
                        .seed(runSeed)
                        .beta(or(beta, sel.beta()))
                        .pThreshold(or(pThreshold, sel.pThreshold()))
                        .sampleRate(or(sampleRate, sel.sampleRate()))
                        .minSampledCount(or(minSampled, sel.minSampledCount()))
                        .momentMode(momentMode != null ? momentMode : sel.momentMode());
        int batch = or(batchSize, p.batchSize());
        return new OfflineConfig(
                kind,
                path,
                arch != null ? Architecture.fromConfigName(arch) : p.architecture(),
                or(imbType, p.imbType()),
                or(imbFactor, p.imbFactor()),
                or(maxPerClass, p.maxPerClass()),
                noiseMode != null
                        ? NoiseMode.valueOf(noiseMode.toUpperCase(Locale.ROOT))
                        : p.noiseMode(),
                or(noiseRatio, p.noiseRatio()),
                referenceSplit,
                or(resize, p.resizeSize()),
                or(crop, p.cropSize()),
                or(numEpochs, p.numEpochs()),
                batch,
                batchSize != null ? 2 * batch : p.warmUpBatchSize(),
                or(networks, p.networks()),
                p.mixUnlabelled(),
                ssl,
                new SgdOptions(ssl.baseLr(), p.sgd().momentum(), p.sgd().weightDecay()),
                b.build(),
                or(evalBatch, p.evalBatchSize()),
                or(testLimit, p.testLimit()),
                or(dataThreads, p.dataThreads()),
                runSeed);
    }

    private static <T> T or(T value, T preset) {
        return value != null ? value : preset;
    }

    /** Progress bars per phase, one summary line and one CSV row per epoch. */
    private static final class Listener implements ProgressListener {
        private final PrintWriter out;
        private final Path csv;
        private final OfflineConfig config;
        private final boolean quiet;
        private ProgressBar bar;

        Listener(PrintWriter out, Path csv, OfflineConfig config, boolean quiet) {
            this.out = out;
            this.csv = csv;
            this.config = config;
            this.quiet = quiet;
        }

        @Override
        public void begin(String name, long total) {
            if (!quiet) {
                bar =
                        new ProgressBarBuilder()
                                .setTaskName(name)
                                .setInitialMax(total)
                                .setStyle(ProgressBarStyle.ASCII)
                                .setUpdateIntervalMillis(500)
                                .continuousUpdate()
                                .clearDisplayOnFinish()
                                .build();
            }
        }

        @Override
        public void advance(long units) {
            if (bar != null) {
                bar.stepBy(units);
            }
        }

        @Override
        public void end() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }

        @Override
        public void epochEnded(EpochReport r) {
            StringBuilder line =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "%6d  %-7s %.4f",
                                    r.epoch(),
                                    r.phase(),
                                    r.learningRate()));
            for (int k = 0; k < 2; k++) {
                if (k < r.nets().size() && r.nets().get(k).selected() >= 0) {
                    SelectionReport s = r.nets().get(k).selection();
                    line.append(
                            String.format(
                                    Locale.ROOT,
                                    "  %8d  %8s",
                                    r.nets().get(k).selected(),
                                    s == null
                                            ? "-"
                                            : String.format(Locale.ROOT, "%.4f", s.auroc())));
                } else {
                    line.append(String.format(Locale.ROOT, "  %8s  %8s", "-", "-"));
                }
            }
            line.append(
                    String.format(Locale.ROOT, "  %8.4f  %7.1f", r.testAccuracy(), r.seconds()));
            out.println(line);
            out.flush();
            try {
                EpochCsv.append(csv, r, config.networks(), config.numClasses());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
