package io.sfastream.cli;

import io.sfastream.data.FashionMnist;
import io.sfastream.data.ImageSet;
import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.eval.DetectionMetrics;
import io.sfastream.nn.DjlRuntime;
import io.sfastream.pipeline.SfaPipeline;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.eval.ClassStatsRow;
import io.sfastream.pipeline.eval.Detection;
import io.sfastream.pipeline.eval.DetectionRules;
import io.sfastream.pipeline.eval.ModelAccuracy;
import io.sfastream.pipeline.eval.NoiseEvaluation;
import io.sfastream.pipeline.eval.ScoreRow;
import io.sfastream.pipeline.local.EmbeddedKafka;
import io.sfastream.pipeline.local.KafkaTopics;
import io.sfastream.pipeline.local.SampleProducer;
import io.sfastream.pipeline.local.TopicReader;
import io.sfastream.pipeline.replay.BadRecords;
import io.sfastream.pipeline.replay.ReplayDataset;
import io.sfastream.pipeline.report.EvaluationReport;
import io.sfastream.schemas.ClassEpochStats;
import io.sfastream.schemas.DeadLetter;
import io.sfastream.schemas.ModelSnapshotRef;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.time.EpochClock;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole system on one machine: an embedded Kafka broker, a local Flink MiniCluster, a seeded
 * long-tailed, noisy Fashion-MNIST replay of several passes (one pass = one virtual epoch, plus one
 * record of every kind of bad input), the job run to its end twice on the same stream, once with
 * SFA and once with the centroid-distance baseline, and a per-epoch report read back from the
 * committed output topics.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Replay a long-tailed, noisy slice of Fashion-MNIST for several virtual epochs through"
                        + " the pipeline on an embedded Kafka broker and a local Flink cluster, with"
                        + " SFA and with the baseline, then report both side by side.")
public final class DemoCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @Option(
            names = "--config",
            description =
                    "Pipeline profile (default: config/demo.yaml if present, else built-in defaults).")
    Path config;

    @Option(
            names = "--data-dir",
            description = "Folder with Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}).",
            defaultValue = "/usr/share/datasets/fashion-mnist")
    Path dataDir;

    @Option(
            names = "--split",
            defaultValue = "train",
            description =
                    "Which Fashion-MNIST split to replay: train or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(
            names = "--max-per-class",
            defaultValue = "1000",
            description =
                    "n_max: samples of the head class; class k keeps int(n_max·ρ^(k/(C−1))) (default:"
                            + " ${DEFAULT-VALUE}).")
    int maxPerClass;

    @Option(
            names = "--imbalance",
            defaultValue = "0.01",
            description =
                    "ρ = n_min/n_max of the exponential long tail (default: ${DEFAULT-VALUE}).")
    double imbalance;

    @Option(
            names = "--noise-ratio",
            defaultValue = "0.3",
            description =
                    "Fraction r of labels flipped, exactly int(r·N) (default: ${DEFAULT-VALUE}).")
    double noiseRatio;

    @Option(
            names = "--noise-mode",
            defaultValue = "IMB",
            description = "Noise model: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    NoiseMode noiseMode;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description =
                    "Seed of the subsample, the noise and the replay order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--epochs",
            defaultValue = "10",
            description =
                    "Passes over the replay; each pass is one virtual epoch (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--report-dir",
            defaultValue = "sfa-demo-report",
            description =
                    "Where the evaluation report (report.md, plots, metrics.csv, label issues) goes"
                            + " (default: ${DEFAULT-VALUE}).")
    Path reportDir;

    @Option(
            names = "--issues-per-class",
            defaultValue = "8",
            description =
                    "Suspected label errors per class on the contact sheet (default: ${DEFAULT-VALUE}).")
    int issuesPerClass;

    @Option(
            names = "--bad-records",
            defaultValue = "true",
            negatable = true,
            fallbackValue = "true",
            description =
                    "Also send one record of every kind of bad input (default: ${DEFAULT-VALUE}).")
    boolean badRecords;

    @Option(
            names = "--baseline",
            defaultValue = "true",
            negatable = true,
            fallbackValue = "true",
            description =
                    "Also run the baseline scorer on the same stream (default: ${DEFAULT-VALUE}).")
    boolean baseline;

    @Option(names = "--parallelism", description = "Override job.parallelism.")
    Integer parallelism;

    @picocli.CommandLine.Mixin DjlOptions djl = new DjlOptions();

    /** One epoch of one scorer: detection quality on the samples it judged (phase SCORING). */
    public record EpochRow(
            int epoch,
            int scores,
            int judged,
            int noisy,
            double auroc,
            DetectionMetrics.PrecisionRecall flagged,
            long modelVersion) {}

    /**
     * A model version the run published: the boundary it closed, the trainer's steps so far, and
     * the held-out accuracy of its networks (NaN when it was not evaluated).
     */
    public record VersionRow(long version, int epoch, long trainSteps, double testAccuracy) {}

    /** One run of the job (one scorer) on the replay. */
    public record Run(
            String scorer,
            int scoresOut,
            int deadLetters,
            Map<String, Long> deadByStage,
            double jobSeconds,
            List<EpochRow> epochs,
            List<ClassEpochStats> classStats,
            List<VersionRow> versions,
            List<ScoreRow> scoreRows,
            ModelAccuracy accuracy) {

        public double samplesPerSecond() {
            return scoresOut / jobSeconds;
        }

        /** The row of one epoch, or null when the run has no score of it. */
        public EpochRow byEpoch(int epoch) {
            return epochs.stream().filter(r -> r.epoch() == epoch).findFirst().orElse(null);
        }
    }

    /** What the demo measured. */
    public record Report(
            String dataset,
            int perPass,
            int passes,
            int badIn,
            String testSet,
            Run sfa,
            Run baseline,
            String hardware,
            NoiseEvaluation evaluation,
            Path reportPath) {

        public int samplesIn() {
            return perPass * passes;
        }

        void print(PrintStream out) {
            out.println();
            out.println("sfa demo — " + dataset + ", " + passes + " virtual epochs of " + perPass);
            for (Run r : baseline == null ? List.of(sfa) : List.of(sfa, baseline)) {
                out.printf(
                        Locale.ROOT,
                        "  %-9s %6d scores, %d dead letters %s, %.1f s (%.0f samples/s incl. start-up; %s)%n",
                        r.scorer(),
                        r.scoresOut(),
                        r.deadLetters(),
                        r.deadByStage(),
                        r.jobSeconds(),
                        r.samplesPerSecond(),
                        hardware);
            }
            out.println();
            out.println(
                    "  epoch | SFA: judged  AUROC  flagged P / R  version | baseline: AUROC  flagged P / R");
            for (EpochRow s : sfa.epochs()) {
                EpochRow b = baseline == null ? null : baseline.byEpoch(s.epoch());
                out.printf(
                        Locale.ROOT,
                        "  %5d | %12d  %s  %s  %7d | %s  %s%n",
                        s.epoch(),
                        s.judged(),
                        fmt(s.auroc()),
                        pr(s),
                        s.modelVersion(),
                        b == null ? "     -" : fmt(b.auroc()),
                        b == null ? "" : pr(b));
            }
            out.println(
                    "  (judged = scores past warm-up; AUROC of the noise probability against the truly"
                            + " mislabelled, 0.5 = chance; epoch e is scored with the version of"
                            + " boundary e - 1)");
            out.println();
            out.println(
                    "  boundary | version  train steps  test acc (SFA) | baseline: version  test acc");
            for (VersionRow v : sfa.versions()) {
                VersionRow b =
                        baseline == null
                                ? null
                                : baseline.versions().stream()
                                        .filter(x -> x.epoch() == v.epoch())
                                        .findFirst()
                                        .orElse(null);
                out.printf(
                        Locale.ROOT,
                        "  %8d | %7d  %11d  %14s | %17s  %s%n",
                        v.epoch(),
                        v.version(),
                        v.trainSteps(),
                        fmt(v.testAccuracy()),
                        b == null ? "-" : String.valueOf(b.version()),
                        b == null ? "" : fmt(b.testAccuracy()));
            }
            out.println(
                    "  (test acc: the version's networks, both heads summed as the reference tests,"
                            + " on "
                            + testSet
                            + "; version 0 is the untrained model)");
            if (evaluation != null) {
                out.println();
                out.println(
                        "  final verdicts (each sample's latest judged score) | judged  flagged"
                                + "   AUROC      AP  precision  recall     F1");
                for (String rule : evaluation.rules()) {
                    Detection d = evaluation.overall().get(rule);
                    out.printf(
                            Locale.ROOT,
                            "  %-50s | %6d  %7d  %s  %s      %s   %s  %s%n",
                            rule,
                            d.samples(),
                            d.flagged(),
                            fmt(d.auroc()),
                            fmt(d.averagePrecision()),
                            fmt3(d.flag().precision()),
                            fmt3(d.flag().recall()),
                            fmt3(d.flag().f1()));
                }
                for (String loss : evaluation.whereTheScorerLoses()) {
                    out.println("  " + loss);
                }
                out.println();
                out.println("  report: " + reportPath.toAbsolutePath());
            }
        }

        private static String fmt3(double v) {
            return Double.isNaN(v) ? "    -" : String.format(Locale.ROOT, "%.3f", v);
        }

        private static String fmt(double v) {
            return Double.isNaN(v) ? "     -" : String.format(Locale.ROOT, "%.4f", v);
        }

        private static String pr(EpochRow r) {
            return r.judged() == 0
                    ? "    -  /  -  "
                    : String.format(
                            Locale.ROOT,
                            "%.3f / %.3f",
                            r.flagged().precision(),
                            r.flagged().recall());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!FashionMnist.isInstalled(dataDir)) {
            System.err.println(
                    "Fashion-MNIST not found in "
                            + dataDir
                            + ". Install it with:\n  "
                            + FashionMnist.INSTALL_HINT
                            + "\nor point --data-dir at a folder with the IDX files.");
            return 2;
        }
        Report report = run();
        report.print(System.out);
        return report.sfa().scoresOut() == report.samplesIn() ? 0 : 1;
    }

    /** Runs the demo and returns its report (the tests call this). */
    public Report run() throws Exception {
        PipelineConfig c = loadConfig();
        ImageSet full =
                "test".equals(split) ? FashionMnist.test(dataDir) : FashionMnist.train(dataDir);
        ReplayDataset data =
                ReplayDataset.longTailedNoisy(
                        full, maxPerClass, imbalance, noiseRatio, noiseMode, seed);
        LOG.info(
                "replay {}: N={} ({} flipped), class counts {}, {} passes, seed {}",
                data.name(),
                data.size(),
                data.flips(),
                java.util.Arrays.toString(data.images().classCounts()),
                epochs,
                seed);
        ImageSet test = FashionMnist.test(dataDir);
        Path store = Files.createTempDirectory("sfa-demo-store");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            c = c.with("kafka.bootstrapServers", kafka.bootstrapServers());
            List<BadRecords> bad =
                    badRecords
                            ? BadRecords.from(
                                    data.sample(0, c.epochClock().start()),
                                    c.model().numClasses(),
                                    c.kafka().maxRecordBytes())
                            : List.of();
            PipelineConfig sfaConfig = forRun(c, "sfa", store);
            KafkaTopics.create(
                    c.kafka().bootstrapServers(),
                    BrokerCommand.topics(sfaConfig, 2),
                    Duration.ofSeconds(60));
            produce(c, data, bad);
            Run sfa = runJob(sfaConfig, data, bad.size(), test);
            Run base = null;
            if (baseline) {
                PipelineConfig b = forRun(c, "baseline", store).with("job.scorer", "baseline");
                KafkaTopics.create(
                        c.kafka().bootstrapServers(),
                        BrokerCommand.topics(b, 2),
                        Duration.ofSeconds(60));
                base = runJob(b, data, bad.size(), test);
            }
            String hardware =
                    Runtime.getRuntime().availableProcessors()
                            + " CPU cores, "
                            + System.getProperty("java.vm.name")
                            + " "
                            + System.getProperty("java.version");
            String dataset = data.name() + " (N=" + data.size() + ", " + data.flips() + " flipped)";
            String testSet =
                    "the Fashion-MNIST test split (" + test.size() + " images, balanced, clean)";
            EvaluateCommand.Result evaluation = evaluate(data, dataset, sfa, base, hardware);
            return new Report(
                    dataset,
                    data.size(),
                    epochs,
                    bad.size(),
                    testSet,
                    sfa,
                    base,
                    hardware,
                    evaluation.evaluation(),
                    evaluation.report());
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(store.toFile());
        }
    }

    /** The report of the SFA run beside the baseline run, with the ranked label issues. */
    private EvaluateCommand.Result evaluate(
            ReplayDataset data, String dataset, Run sfa, Run base, String hardware)
            throws java.io.IOException {
        Map<String, List<ScoreRow>> others = new java.util.LinkedHashMap<>();
        if (base != null) {
            others.put("centroid baseline", base.scoreRows());
        }
        List<String> provenance =
                List.of(
                        "data: "
                                + dataset
                                + ", "
                                + epochs
                                + " passes (one per virtual epoch), class counts "
                                + java.util.Arrays.toString(data.images().classCounts())
                                + ", noise "
                                + noiseMode.name().toLowerCase(Locale.ROOT)
                                + " r = "
                                + noiseRatio
                                + ", seed "
                                + seed,
                        "pipeline: the images-in job trained while it scored (train.policy"
                                + " backpressure, small CNN), once with SFA and once with the"
                                + " centroid baseline on the same stream; "
                                + hardware,
                        "re-run: bin/sfa demo --max-per-class "
                                + maxPerClass
                                + " --imbalance "
                                + imbalance
                                + " --noise-ratio "
                                + noiseRatio
                                + " --noise-mode "
                                + noiseMode
                                + " --seed "
                                + seed
                                + " --epochs "
                                + epochs);
        EvaluateCommand.Inputs in =
                new EvaluateCommand.Inputs(
                        "SFA",
                        sfa.scoreRows(),
                        others,
                        sfa.classStats().stream().map(ClassStatsRow::of).toList(),
                        sfa.accuracy(),
                        100,
                        20,
                        true);
        EvaluateCommand.Result r =
                EvaluateCommand.evaluate(in, "sfa demo — " + data.name(), provenance, reportDir);
        Map<String, io.sfastream.schemas.Image> images = new java.util.HashMap<>();
        String prefix = data.name() + "-";
        for (ScoreRow row : sfa.scoreRows()) {
            if (row.id().startsWith(prefix) && !images.containsKey(row.id())) {
                int i = Integer.parseInt(row.id().substring(prefix.length()));
                images.put(row.id(), data.sampleAt(i, java.time.Instant.EPOCH).getImage());
            }
        }
        EvaluationReport.writeIssues(r.evaluation(), issuesPerClass, images, reportDir);
        return r;
    }

    /** The profile of one run: its own output topics, consumer group, transactions and store. */
    static PipelineConfig forRun(PipelineConfig c, String name, Path store) {
        String prefix = c.kafka().transactionalIdPrefix() + "-" + name;
        return c.with(
                Map.of(
                        "kafka.scoresTopic", c.kafka().scoresTopic() + "-" + name,
                        "kafka.classStatsTopic", c.kafka().classStatsTopic() + "-" + name,
                        "kafka.deadLettersTopic", c.kafka().deadLettersTopic() + "-" + name,
                        "kafka.snapshotsTopic", c.kafka().snapshotsTopic() + "-" + name,
                        "kafka.groupId", c.kafka().groupId() + "-" + name,
                        "kafka.transactionalIdPrefix", prefix,
                        "store.uri", store.resolve(name).toUri().toString(),
                        "job.checkpointDir",
                                store.resolve(name + "-checkpoints").toUri().toString()));
    }

    private PipelineConfig loadConfig() throws Exception {
        Path p = config != null ? config : Path.of("config", "demo.yaml");
        PipelineConfig c =
                Files.isRegularFile(p) || config != null
                        ? PipelineConfig.load(p)
                        : PipelineConfig.defaults();
        c = c.with("kafka.bounded", true); // the demo ends when the replay has been scored
        if (parallelism != null) {
            c = c.with("job.parallelism", parallelism);
        }
        return djl.applyTo(c);
    }

    private void produce(PipelineConfig c, ReplayDataset data, List<BadRecords> bad) {
        EpochClock clock = c.epochClock();
        int total = data.size() * epochs;
        try (SampleProducer producer =
                        new SampleProducer(c.kafka().bootstrapServers(), c.kafka().samplesTopic());
                ProgressBar bar =
                        new ProgressBarBuilder()
                                .setTaskName("replay")
                                .setInitialMax(total)
                                .setStyle(ProgressBarStyle.ASCII)
                                .setUpdateIntervalMillis(250)
                                .continuousUpdate()
                                .build()) {
            int[] sent = {0};
            data.forEachOfPasses(
                    epochs,
                    clock,
                    s -> {
                        if (sent[0] == data.size() / 2) {
                            for (BadRecords b : bad) {
                                producer.sendRaw(SampleProducer.labelKey(0), b.value(), null);
                            }
                        }
                        producer.send(s);
                        sent[0]++;
                        bar.step();
                    });
            producer.flush();
        }
    }

    private Run runJob(PipelineConfig c, ReplayDataset data, int badIn, ImageSet test)
            throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(demoFlinkConfiguration(c));
        SfaPipeline.onKafka(c).build(env);
        long t0 = System.nanoTime();
        env.execute(c.job().name() + "-" + c.job().scorer().name().toLowerCase(Locale.ROOT));
        double seconds = (System.nanoTime() - t0) / 1e9;
        int expected = data.size() * epochs;
        List<NoiseScore> scores;
        try (TopicReader<NoiseScore> r =
                new TopicReader<>(
                        c.kafka().bootstrapServers(), c.kafka().scoresTopic(), NoiseScore.class)) {
            scores = r.readUntil(l -> l.size() >= expected, Duration.ofSeconds(60));
        }
        List<DeadLetter> dead;
        try (TopicReader<DeadLetter> r =
                new TopicReader<>(
                        c.kafka().bootstrapServers(),
                        c.kafka().deadLettersTopic(),
                        DeadLetter.class)) {
            dead = r.readUntil(l -> l.size() >= badIn, Duration.ofSeconds(30));
        }
        List<ClassEpochStats> stats;
        try (TopicReader<ClassEpochStats> r =
                new TopicReader<>(
                        c.kafka().bootstrapServers(),
                        c.kafka().classStatsTopic(),
                        ClassEpochStats.class)) {
            stats = r.drain(Duration.ofSeconds(2));
        }
        ModelAccuracy accuracy =
                ModelAccuracy.of(
                        c,
                        test,
                        "the Fashion-MNIST test split (" + test.size() + " images)",
                        DjlRuntime.device());
        Map<String, Long> byStage =
                new TreeMap<>(
                        dead.stream()
                                .collect(
                                        Collectors.groupingBy(
                                                DeadLetter::getStage, Collectors.counting())));
        return new Run(
                c.job().scorer().name().toLowerCase(Locale.ROOT),
                scores.size(),
                dead.size(),
                byStage,
                seconds,
                perEpoch(scores),
                stats,
                versions(c, accuracy),
                scores.stream().map(ScoreRow::of).toList(),
                accuracy);
    }

    /** What the run published, with each version's held-out accuracy (and the untrained one's). */
    private static List<VersionRow> versions(PipelineConfig c, ModelAccuracy accuracy) {
        List<VersionRow> rows = new ArrayList<>();
        rows.add(new VersionRow(0, 0, 0, accuracy.byVersion().getOrDefault(0L, Double.NaN)));
        for (ModelSnapshotRef ref : published(c)) {
            if (ref.getNetwork() == 0 && !ref.getEndOfStream()) {
                rows.add(
                        new VersionRow(
                                ref.getVersion(),
                                ref.getEpoch(),
                                ref.getTrainSteps(),
                                accuracy.byVersion().getOrDefault(ref.getVersion(), Double.NaN)));
            }
        }
        return rows;
    }

    /** The committed references on the run's snapshots topic (after the job). */
    static List<ModelSnapshotRef> published(PipelineConfig c) {
        try (TopicReader<ModelSnapshotRef> r =
                new TopicReader<>(
                        c.kafka().bootstrapServers(),
                        c.kafka().snapshotsTopic(),
                        ModelSnapshotRef.class)) {
            return r.drain(Duration.ofSeconds(2));
        }
    }

    /** A failure the demo cannot recover from ends it after three restarts instead of looping. */
    private static org.apache.flink.configuration.Configuration demoFlinkConfiguration(
            PipelineConfig c) {
        var conf = SfaPipeline.flinkConfiguration(c);
        conf.set(
                org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY,
                "fixed-delay");
        conf.set(
                org.apache.flink.configuration.RestartStrategyOptions
                        .RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                3);
        return conf;
    }

    static List<EpochRow> perEpoch(List<NoiseScore> scores) {
        Map<Integer, List<ScoreRow>> byEpoch =
                new TreeMap<>(
                        scores.stream()
                                .map(ScoreRow::of)
                                .collect(Collectors.groupingBy(ScoreRow::epoch)));
        List<EpochRow> rows = new ArrayList<>();
        for (var e : byEpoch.entrySet()) {
            Detection d = Detection.of(DetectionRules.ofScorer(e.getValue()));
            long version = e.getValue().stream().mapToLong(ScoreRow::modelVersion).max().orElse(0);
            rows.add(
                    new EpochRow(
                            e.getKey(),
                            e.getValue().size(),
                            d.samples(),
                            d.mislabelled(),
                            d.auroc(),
                            d.flag(),
                            version));
        }
        return rows;
    }
}
