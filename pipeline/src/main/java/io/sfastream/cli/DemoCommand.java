package io.sfastream.cli;

import io.sfastream.data.FashionMnist;
import io.sfastream.data.ImageSet;
import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.eval.DetectionMetrics;
import io.sfastream.pipeline.PipelineConfig;
import io.sfastream.pipeline.SfaPipelineJob;
import io.sfastream.pipeline.kafka.EmbeddedKafka;
import io.sfastream.pipeline.kafka.KafkaTopics;
import io.sfastream.pipeline.kafka.SampleProducer;
import io.sfastream.pipeline.kafka.TopicReader;
import io.sfastream.pipeline.replay.BadRecords;
import io.sfastream.pipeline.replay.ReplayDataset;
import io.sfastream.schemas.DeadLetter;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.schemas.Phase;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * long-tailed, noisy Fashion-MNIST replay (plus one record of every kind of bad input), the job run
 * to the end, and a short report read back from the committed output topics.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Replay a long-tailed, noisy slice of Fashion-MNIST through the pipeline on an embedded Kafka "
                        + "broker and a local Flink cluster, then report what came out.")
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
                    "n_max: samples of the head class; class k keeps int(n_max·ρ^(k/(C−1))) (default: ${DEFAULT-VALUE}).")
    int maxPerClass;

    @Option(
            names = "--imbalance",
            defaultValue = "0.1",
            description =
                    "ρ = n_min/n_max of the exponential long tail (default: ${DEFAULT-VALUE}).")
    double imbalance;

    @Option(
            names = "--noise-ratio",
            defaultValue = "0.2",
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
            names = "--bad-records",
            defaultValue = "true",
            negatable = true,
            fallbackValue = "true",
            description =
                    "Also send one record of every kind of bad input (default: ${DEFAULT-VALUE}).")
    boolean badRecords;

    @Option(names = "--parallelism", description = "Override job.parallelism.")
    Integer parallelism;

    @picocli.CommandLine.Mixin DjlOptions djl = new DjlOptions();

    /** What the demo measured; printed as a table. */
    public record Report(
            int samplesIn,
            int badIn,
            int scoresOut,
            int deadLetters,
            Map<String, Long> deadByStage,
            double jobSeconds,
            double scoringSeconds,
            int scoringPhase,
            int noisy,
            double auroc,
            DetectionMetrics.PrecisionRecall flagged,
            String dataset,
            String hardware) {

        public double samplesPerSecond() {
            return scoresOut / jobSeconds;
        }

        void print(PrintStream out) {
            out.println();
            out.println("sfa demo — " + dataset);
            out.printf("  %-34s %10d%n", "samples in (valid)", samplesIn);
            out.printf("  %-34s %10d%n", "bad records in", badIn);
            out.printf("  %-34s %10d%n", "scores out (committed)", scoresOut);
            out.printf("  %-34s %10d  %s%n", "dead letters (committed)", deadLetters, deadByStage);
            out.printf(
                    "  %-34s %10.1f  (%d scores / %.1f s job wall time, incl. start-up; %s)%n",
                    "samples/s", samplesPerSecond(), scoresOut, jobSeconds, hardware);
            out.printf(
                    "  %-34s %10.1f  (first to last score: %.2f s, after start-up)%n",
                    "samples/s steady", scoresOut / scoringSeconds, scoringSeconds);
            out.printf(
                    "  %-34s %10d  (%d truly mislabelled)%n",
                    "scored past warm-up", scoringPhase, noisy);
            out.printf(
                    "  %-34s %10.4f  (baseline-distance-zscore; 0.5 = chance)%n",
                    "AUROC noisy vs clean", auroc);
            out.printf(
                    "  %-34s %10.3f / %.3f%n",
                    "flagged-noisy precision / recall", flagged.precision(), flagged.recall());
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
        return report.scoresOut() == report.samplesIn() ? 0 : 1;
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
                "replay {}: N={} ({} flipped), class counts {}, seed {}",
                data.name(),
                data.size(),
                data.flips(),
                java.util.Arrays.toString(
                        data.noise().labels().length == 0
                                ? new int[0]
                                : data.images().classCounts()),
                seed);

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            c.kafka.bootstrapServers = kafka.bootstrapServers();
            KafkaTopics.create(
                    c.kafka.bootstrapServers, BrokerCommand.topics(c, 2), Duration.ofSeconds(60));
            List<BadRecords> bad =
                    badRecords
                            ? BadRecords.from(
                                    data.sample(0, Instant.EPOCH),
                                    c.model.numClasses,
                                    c.kafka.maxRecordBytes)
                            : List.of();
            produce(c, data, bad);

            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(
                            SfaPipelineJob.flinkConfiguration());
            SfaPipelineJob.build(env, c);
            long t0 = System.nanoTime();
            env.execute(c.job.name);
            double seconds = (System.nanoTime() - t0) / 1e9;

            List<NoiseScore> scores;
            try (TopicReader<NoiseScore> r =
                    new TopicReader<>(
                            c.kafka.bootstrapServers, c.kafka.scoresTopic, NoiseScore.class)) {
                scores = r.readUntil(l -> l.size() >= data.size(), Duration.ofSeconds(60));
            }
            List<DeadLetter> dead;
            try (TopicReader<DeadLetter> r =
                    new TopicReader<>(
                            c.kafka.bootstrapServers, c.kafka.deadLettersTopic, DeadLetter.class)) {
                dead = r.readUntil(l -> l.size() >= bad.size(), Duration.ofSeconds(30));
            }
            return report(data, bad.size(), scores, dead, seconds);
        }
    }

    private PipelineConfig loadConfig() throws Exception {
        Path p = config != null ? config : Path.of("config", "demo.yaml");
        PipelineConfig c =
                Files.isRegularFile(p) || config != null
                        ? PipelineConfig.load(p)
                        : PipelineConfig.defaults();
        c.kafka.bounded = true; // the demo ends when the replay has been scored
        if (parallelism != null) {
            c.job.parallelism = parallelism;
        }
        djl.applyTo(c);
        return c.validate();
    }

    private static void produce(PipelineConfig c, ReplayDataset data, List<BadRecords> bad) {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        int badAt = data.size() / 2;
        try (SampleProducer producer =
                        new SampleProducer(c.kafka.bootstrapServers, c.kafka.samplesTopic);
                ProgressBar bar =
                        new ProgressBarBuilder()
                                .setTaskName("replay")
                                .setInitialMax(data.size())
                                .setStyle(ProgressBarStyle.ASCII)
                                .setUpdateIntervalMillis(250)
                                .continuousUpdate()
                                .build()) {
            for (int i = 0; i < data.size(); i++) {
                if (i == badAt) {
                    for (BadRecords b : bad) {
                        producer.sendRaw(
                                SampleProducer.labelKey(0),
                                b.value(),
                                start.plusMillis(i).toEpochMilli());
                    }
                }
                producer.send(data.sample(i, start.plusMillis(i)));
                bar.step();
            }
            producer.flush();
        }
    }

    private static Report report(
            ReplayDataset data,
            int badIn,
            List<NoiseScore> scores,
            List<DeadLetter> dead,
            double seconds) {
        List<NoiseScore> scoring =
                scores.stream().filter(s -> s.getPhase() == Phase.SCORING).toList();
        double[] p = new double[scoring.size()];
        boolean[] noisy = new boolean[scoring.size()];
        boolean[] flagged = new boolean[scoring.size()];
        for (int i = 0; i < p.length; i++) {
            NoiseScore s = scoring.get(i);
            p[i] = s.getNoiseProbability();
            noisy[i] = s.getTrueLabel() != null && s.getTrueLabel() != s.getLabel();
            flagged[i] = !s.getClean();
        }
        int nNoisy = 0;
        for (boolean b : noisy) {
            nNoisy += b ? 1 : 0;
        }
        Map<String, Long> byStage =
                new TreeMap<>(
                        dead.stream()
                                .collect(
                                        Collectors.groupingBy(
                                                DeadLetter::getStage, Collectors.counting())));
        String hardware =
                Runtime.getRuntime().availableProcessors()
                        + " CPU cores, "
                        + System.getProperty("java.vm.name")
                        + " "
                        + System.getProperty("java.version");
        long first = scores.stream().mapToLong(s -> s.getScoredAt().toEpochMilli()).min().orElse(0);
        long last = scores.stream().mapToLong(s -> s.getScoredAt().toEpochMilli()).max().orElse(0);
        double scoringSeconds = Math.max(1, last - first) / 1000.0;
        return new Report(
                data.size(),
                badIn,
                scores.size(),
                dead.size(),
                byStage,
                seconds,
                scoringSeconds,
                scoring.size(),
                nNoisy,
                DetectionMetrics.auroc(p, noisy),
                DetectionMetrics.precisionRecall(flagged, noisy),
                data.name() + " (N=" + data.size() + ", " + data.flips() + " flipped)",
                hardware);
    }
}
