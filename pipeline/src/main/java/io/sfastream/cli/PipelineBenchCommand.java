package io.sfastream.cli;

import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.pipeline.SfaPipeline;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.local.EmbeddedKafka;
import io.sfastream.pipeline.local.KafkaTopics;
import io.sfastream.pipeline.local.KafkaTopics.TopicSpec;
import io.sfastream.pipeline.local.SampleProducer;
import io.sfastream.pipeline.local.TopicReader;
import io.sfastream.schemas.LabelledEmbedding;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.schemas.Phase;
import io.sfastream.schemas.WireCodec;
import io.sfastream.sfa.bench.SyntheticFeatures;
import io.sfastream.time.EpochClock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sfa bench pipeline}: the features-in job end to end (Kafka → Flink → committed scores) on
 * one machine. One embedded broker; synthetic, long-tailed features ({@link SyntheticFeatures})
 * produced once into a features topic (the producer's own rate is reported apart); then, for each
 * parallelism and delivery guarantee, the real job ({@link SfaPipeline#onKafka}, bounded input, its
 * own output topics, consumer group, transactions, model store and checkpoints) in a fresh local
 * MiniCluster, its committed scores read back and checked, and a Markdown table of the figures.
 */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The features-in job end to end (Kafka -> Flink -> committed scores): produce synthetic"
                    + " long-tailed features once into an embedded broker, run the real job in a local"
                    + " MiniCluster at each parallelism (and guarantee), read the committed scores"
                    + " back, check their count and print a Markdown table of throughput figures.",
            "",
            "'steady' = (scores - 1) / (last - first scoredAt of the committed scores): the rate"
                    + " once the job runs, without start-up and the final commit; 'per core' divides"
                    + " by all of the machine's cores, which the broker, Flink and the job share."
        })
final class PipelineBenchCommand implements Callable<Integer> {

    @Option(
            names = "--samples",
            defaultValue = "200000",
            description = "Records in, over all epochs (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(
            names = "--dim",
            defaultValue = "512",
            description = "Feature dimension d (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(
            names = "--classes",
            defaultValue = "100",
            description = "Classes C (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(
            names = "--parallelism",
            split = ",",
            defaultValue = "1,2",
            description = "Job parallelisms to run, one run each (default: ${DEFAULT-VALUE}).")
    List<Integer> parallelism;

    @Option(
            names = "--epochs",
            defaultValue = "4",
            description =
                    "Passes over the same synthetic set of samples/epochs records; each pass is one"
                            + " virtual epoch. The first epoch with scores judged by a GMM is the 4th"
                            + " (epoch 1 is not centred yet, epoch 2 forms the centroids, epoch 3 the"
                            + " first GMMs), hence the default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(
            names = "--guarantee",
            split = ",",
            defaultValue = "exactly-once",
            description =
                    "exactly-once and/or at-least-once (a list runs each; default: ${DEFAULT-VALUE}).")
    List<String> guarantees;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "1 s",
            description = "job.checkpointInterval (default: ${DEFAULT-VALUE}).")
    String checkpointInterval;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description =
                    "Seed of the features, the label noise and the replay order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--imbalance",
            defaultValue = "0.01",
            description =
                    "ρ = n_min/n_max of the exponential long tail of each pass (default: ${DEFAULT-VALUE}).")
    double imbalance;

    @Option(
            names = "--noise-ratio",
            defaultValue = "0.2",
            description = "Fraction of labels flipped (imb noise; default: ${DEFAULT-VALUE}).")
    double noiseRatio;

    @Option(
            names = "--warm-up-epochs",
            defaultValue = "1",
            description = "sfa.warmUpEpochs (default: ${DEFAULT-VALUE}).")
    int warmUpEpochs;

    @Option(
            names = "--max-parked",
            defaultValue = "0",
            description =
                    "embed.maxParked: samples of a new epoch that wait per subtask for the previous"
                            + " epoch's model version; 0 = all samples, so none goes on with an"
                            + " older version, however long the version takes (default:"
                            + " ${DEFAULT-VALUE}).")
    int maxParked;

    @Option(
            names = "--repeat",
            defaultValue = "1",
            description = "Runs per parallelism and guarantee (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(
            names = "--cpu-by-thread",
            defaultValue = "true",
            negatable = true,
            fallbackValue = "true",
            description =
                    "Print each run's CPU seconds by thread group (sampled with ThreadMXBean;"
                            + " default: ${DEFAULT-VALUE}).")
    boolean cpuByThread;

    @Option(
            names = "--ceiling",
            defaultValue = "true",
            negatable = true,
            fallbackValue = "true",
            description =
                    "After each run, the same records through a pass-through job (Kafka source →"
                            + " Kafka sink of the value bytes; same broker, MiniCluster,"
                            + " parallelism, checkpoints and guarantee): what Kafka and Flink alone"
                            + " reach at this record size (default: ${DEFAULT-VALUE}).")
    boolean ceiling;

    private static final String ENCODER = "synthetic";

    /** What a run's committed scores say, beside the figures. */
    record Checks(
            int committed,
            int expected,
            int duplicates,
            int staleVersion,
            Map<Phase, Integer> phases,
            Map<Integer, Map<Long, Integer>> versionsByEpoch) {
        boolean ok() {
            return committed == expected && duplicates == 0;
        }
    }

    record Result(
            PipelineBenchFigures.Run run,
            Checks checks,
            double netRuntimeSeconds,
            Map<String, Double> cpuByThread) {}

    @Override
    public Integer call() throws Exception {
        String problem = checkArguments();
        if (problem != null) {
            System.err.println("sfa bench pipeline: " + problem);
            return 2;
        }
        int perPass = samples / epochs;
        int total = perPass * epochs;
        if (total != samples) {
            System.err.printf(
                    "note: %d samples do not split into %d equal passes; using %d (%d per pass)%n",
                    samples, epochs, total, perPass);
        }
        int[] counts = PipelineBenchFigures.longTailCounts(perPass, classes, imbalance);
        long t0 = System.nanoTime();
        SyntheticFeatures data =
                SyntheticFeatures.generate(counts, dim, 3.0, 2.0, noiseRatio, NoiseMode.IMB, seed);
        System.err.printf(
                Locale.ROOT,
                "generated %d synthetic features (d = %d, C = %d, head %d, tail %d) in %.1f s%n",
                data.size(),
                dim,
                classes,
                counts[0],
                counts[classes - 1],
                (System.nanoTime() - t0) / 1e9);
        int partitions = parallelism.stream().mapToInt(Integer::intValue).max().orElse(1);
        Path work = Files.createTempDirectory("sfa-bench-pipeline");
        List<Result> results = new ArrayList<>();
        List<PipelineBenchFigures.Run> ceilings = new ArrayList<>();
        String producerLine;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String tag = UUID.randomUUID().toString().substring(0, 8);
            PipelineConfig base = baseConfig(kafka.bootstrapServers(), tag, total);
            KafkaTopics.create(
                    kafka.bootstrapServers(),
                    List.of(TopicSpec.of(base.kafka().featuresTopic(), partitions)),
                    Duration.ofSeconds(60));
            producerLine = produce(base, data, perPass);
            System.err.println(producerLine);
            String split = splits(data.givenLabels(), partitions);
            data = null; // the job runs without the generator's copy on the heap
            for (int rep = 1; rep <= repeat; rep++) {
                for (String g : guarantees) {
                    for (int p : parallelism) {
                        Result r = runJob(base, p, g.trim(), rep, work, total);
                        results.add(r);
                        printRun(r, System.err);
                        if (ceiling) {
                            ceilings.add(runCeiling(base, p, g.trim(), rep, work, total));
                        }
                    }
                }
            }
            printReport(results, ceilings, producerLine, split, total, perPass, counts, System.out);
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(work.toFile());
        }
        boolean ok =
                results.stream().allMatch(r -> r.checks().ok())
                        && ceilings.stream().allMatch(c -> c.times().count() == total);
        return ok ? 0 : 1;
    }

    private String checkArguments() {
        if (epochs < 1) {
            return "--epochs must be >= 1";
        }
        if (samples < epochs * classes) {
            return "--samples must be at least epochs × classes (" + epochs * classes + ")";
        }
        if (parallelism.isEmpty() || parallelism.stream().anyMatch(p -> p < 1)) {
            return "--parallelism must list values >= 1";
        }
        if (repeat < 1) {
            return "--repeat must be >= 1";
        }
        for (String g : guarantees) {
            if (!g.trim().equals("exactly-once") && !g.trim().equals("at-least-once")) {
                return "--guarantee takes exactly-once and/or at-least-once, not '" + g + "'";
            }
        }
        return null;
    }

    private PipelineConfig baseConfig(String bootstrap, String tag, int total) {
        Map<String, Object> v = new HashMap<>();
        v.put("kafka.bootstrapServers", bootstrap);
        v.put("kafka.featuresTopic", "bench-" + tag + "-features");
        v.put("kafka.bounded", true);
        v.put("job.input", "features");
        v.put("train.enabled", false);
        v.put("model.featureDim", dim);
        v.put("model.numClasses", classes);
        v.put("job.checkpointInterval", checkpointInterval);
        // the replay's event times are in order per partition
        v.put("job.outOfOrderness", "100 ms");
        v.put("epoch.start", "2026-01-01T00:00:00Z");
        v.put("epoch.length", "1 h");
        // a pass is one virtual epoch: centre it with the version of the pass before
        v.put("embed.versionWait", "300 s");
        v.put("embed.maxParked", maxParked > 0 ? maxParked : Math.min(1_000_000, total));
        v.put("sfa.warmUpEpochs", warmUpEpochs);
        return PipelineConfig.defaults().with(v);
    }

    /** Produces every pass (a fresh seeded order each) and says how fast the producer was. */
    private String produce(PipelineConfig c, SyntheticFeatures data, int perPass) {
        EpochClock clock = c.epochClock();
        int[] order = new int[perPass];
        for (int i = 0; i < perPass; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int bytesPerRecord =
                WireCodec.of(LabelledEmbedding.class).encode(record(data, 0, 0L)).length;
        long t0 = System.nanoTime();
        try (SampleProducer producer =
                new SampleProducer(c.kafka().bootstrapServers(), c.kafka().featuresTopic())) {
            for (int pass = 1; pass <= epochs; pass++) {
                shuffle(order, rng);
                for (int pos = 0; pos < perPass; pos++) {
                    producer.send(
                            record(data, order[pos], clock.replayTimestamp(pass, pos, perPass)));
                }
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long n = (long) perPass * epochs;
        return String.format(
                Locale.ROOT,
                "producer: %d records of %d bytes (%.0f MB) in %.1f s = %.1f k records/s, %.0f MB/s"
                        + " (SampleProducer: LabelledEmbedding with List<Float> features, single-object"
                        + " Avro, acks=all, idempotent, linger 5 ms; one thread)",
                n,
                bytesPerRecord,
                n * bytesPerRecord / 1e6,
                seconds,
                n / seconds / 1000,
                n * bytesPerRecord / 1e6 / seconds);
    }

    private static LabelledEmbedding record(SyntheticFeatures data, int i, long eventTime) {
        float[] x = data.features()[i];
        List<Float> f = new ArrayList<>(x.length);
        for (float v : x) {
            f.add(v);
        }
        return LabelledEmbedding.newBuilder()
                .setId("s" + i)
                .setLabel(data.givenLabels()[i])
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setEncoderName(ENCODER)
                .setTrueLabel(data.trueLabels()[i])
                .setFeatures(f)
                .build();
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * How the samples split over the topic's partitions (key = label) and over the scorer's
     * subtasks at each parallelism (keyBy label): both follow the classes, so a long tail splits
     * unevenly.
     */
    private String splits(int[] labels, int partitions) {
        int[] perClass = new int[classes];
        for (int l : labels) {
            perClass[l]++;
        }
        StringBuilder sb = new StringBuilder();
        int[] byPartition = new int[partitions];
        for (int k = 0; k < classes; k++) {
            byPartition[
                            BuiltInPartitioner.partitionForKey(
                                    SampleProducer.labelKey(k), partitions)] +=
                    perClass[k];
        }
        sb.append("samples per topic partition (key = label): ").append(shares(byPartition));
        for (int p : parallelism) {
            if (p < 2) {
                continue;
            }
            int[] bySubtask = new int[p];
            int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(p);
            for (int k = 0; k < classes; k++) {
                bySubtask[
                                KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                        k, maxParallelism, p)] +=
                        perClass[k];
            }
            sb.append("; per scorer subtask at p = ")
                    .append(p)
                    .append(": ")
                    .append(shares(bySubtask));
        }
        return sb.toString();
    }

    private static String shares(int[] n) {
        long total = 0;
        for (int x : n) {
            total += x;
        }
        List<String> s = new ArrayList<>();
        for (int x : n) {
            s.add(String.format(Locale.ROOT, "%.0f %%", 100.0 * x / total));
        }
        return String.join(" / ", s);
    }

    private Result runJob(
            PipelineConfig base, int p, String guarantee, int rep, Path work, int expected)
            throws Exception {
        String name = "p" + p + "-" + (guarantee.equals("exactly-once") ? "eo" : "alo") + "-" + rep;
        String run = "bench-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> v = new HashMap<>();
        v.put("kafka.scoresTopic", run + "-scores");
        v.put("kafka.classStatsTopic", run + "-class-stats");
        v.put("kafka.deadLettersTopic", run + "-dead");
        v.put("kafka.snapshotsTopic", run + "-snapshots");
        v.put("kafka.groupId", run);
        v.put("kafka.transactionalIdPrefix", run);
        v.put("kafka.deliveryGuarantee", guarantee);
        v.put("store.uri", work.resolve(run).resolve("store").toUri().toString());
        v.put("job.parallelism", p);
        v.put("job.name", "sfa-bench-" + name);
        PipelineConfig c = base.with(v);
        // the run's own outputs, as BrokerCommand.topics makes them (the features topic exists)
        PipelineConfig.Kafka k = c.kafka();
        KafkaTopics.create(
                k.bootstrapServers(),
                List.of(
                        TopicSpec.of(k.scoresTopic(), 2),
                        TopicSpec.of(k.classStatsTopic(), 1),
                        TopicSpec.of(k.deadLettersTopic(), 1),
                        new TopicSpec(k.snapshotsTopic(), 1, true)),
                Duration.ofSeconds(60));

        Configuration conf = SfaPipeline.flinkConfiguration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                work.resolve(run).resolve("checkpoints").toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        SfaPipeline.onKafka(c).build(env);

        System.err.printf("running %s (p = %d, %s) ...%n", run, p, guarantee);
        System.gc();
        ThreadCpuSampler sampler = cpuByThread ? new ThreadCpuSampler() : null;
        if (sampler != null) {
            sampler.start();
        }
        long cpu0 = ThreadCpuSampler.processCpuNanos();
        double machine0 = ThreadCpuSampler.machineBusySeconds();
        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute(c.job().name());
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (ThreadCpuSampler.processCpuNanos() - cpu0) / 1e9;
        double others = (ThreadCpuSampler.machineBusySeconds() - machine0 - cpu) / wall;
        Map<String, Double> byThread = sampler == null ? Map.of() : sampler.stop();

        Checks checks;
        long[] scoredAt;
        try (TopicReader<NoiseScore> r =
                new TopicReader<>(
                        c.kafka().bootstrapServers(), c.kafka().scoresTopic(), NoiseScore.class)) {
            r.readUntil(l -> l.size() >= expected, Duration.ofSeconds(120));
            List<NoiseScore> scores = r.drain(Duration.ofSeconds(1));
            scoredAt = new long[scores.size()];
            Set<String> seen = new HashSet<>(scores.size() * 2);
            int duplicates = 0;
            int stale = 0;
            Map<Phase, Integer> phases = new EnumMap<>(Phase.class);
            Map<Integer, Map<Long, Integer>> versions = new TreeMap<>();
            for (int i = 0; i < scores.size(); i++) {
                NoiseScore s = scores.get(i);
                scoredAt[i] = s.getScoredAt().toEpochMilli();
                if (!seen.add(s.getId() + "@" + s.getEpoch())) {
                    duplicates++;
                }
                if (s.getEpoch() >= 2 && s.getModelVersion() < s.getEpoch() - 1) {
                    stale++;
                }
                phases.merge(s.getPhase(), 1, Integer::sum);
                versions.computeIfAbsent(s.getEpoch(), e -> new TreeMap<>())
                        .merge(s.getModelVersion(), 1, Integer::sum);
            }
            checks = new Checks(scores.size(), expected, duplicates, stale, phases, versions);
        }
        PipelineBenchFigures.Run figures =
                new PipelineBenchFigures.Run(
                        p,
                        guarantee,
                        expected,
                        wall,
                        cpu,
                        PipelineBenchFigures.ScoreTimes.of(scoredAt),
                        Runtime.getRuntime().availableProcessors(),
                        Math.max(0, others));
        return new Result(figures, checks, result.getNetRuntime() / 1000.0, byThread);
    }

    /** The pass-through job over the same features topic; see {@link PassThroughCeiling}. */
    private PipelineBenchFigures.Run runCeiling(
            PipelineConfig base, int p, String guarantee, int rep, Path work, int expected)
            throws Exception {
        boolean exactlyOnce = guarantee.equals("exactly-once");
        String run =
                "ceiling-p"
                        + p
                        + "-"
                        + (exactlyOnce ? "eo" : "alo")
                        + "-"
                        + rep
                        + "-"
                        + UUID.randomUUID().toString().substring(0, 8);
        PipelineConfig.Kafka k = base.kafka();
        String out = run + "-out";
        KafkaTopics.create(
                k.bootstrapServers(), List.of(TopicSpec.of(out, 2)), Duration.ofSeconds(60));
        Configuration conf = SfaPipeline.flinkConfiguration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                work.resolve(run).resolve("checkpoints").toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        PassThroughCeiling.build(
                env,
                k.bootstrapServers(),
                k.featuresTopic(),
                out,
                run,
                run,
                exactlyOnce,
                p,
                base.job().checkpointInterval(),
                k.transactionTimeout());
        System.err.printf("running %s (pass-through, p = %d, %s) ...%n", run, p, guarantee);
        System.gc();
        long cpu0 = ThreadCpuSampler.processCpuNanos();
        double machine0 = ThreadCpuSampler.machineBusySeconds();
        long t0 = System.nanoTime();
        env.execute("sfa-bench-" + run);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (ThreadCpuSampler.processCpuNanos() - cpu0) / 1e9;
        double others = (ThreadCpuSampler.machineBusySeconds() - machine0 - cpu) / wall;
        PassThroughCeiling.Committed committed =
                PassThroughCeiling.read(
                        k.bootstrapServers(), out, expected, Duration.ofSeconds(120));
        PipelineBenchFigures.Run figures =
                new PipelineBenchFigures.Run(
                        p,
                        guarantee,
                        expected,
                        wall,
                        cpu,
                        PipelineBenchFigures.ScoreTimes.of(committed.writtenAt()),
                        Runtime.getRuntime().availableProcessors(),
                        Math.max(0, others));
        System.err.printf(
                Locale.ROOT,
                "pass-through p = %d %s: %.1f s wall, %s records/s steady, %d / %d committed%n",
                p,
                guarantee,
                wall,
                PipelineBenchFigures.thousands(figures.times().steadyRate()),
                committed.writtenAt().length,
                expected);
        if (committed.writtenAt().length != expected) {
            System.err.printf(
                    "ERROR: pass-through committed %d records, expected %d%n",
                    committed.writtenAt().length, expected);
        }
        return figures;
    }

    private static void printRun(Result r, PrintStream out) {
        PipelineBenchFigures.Run f = r.run();
        Checks c = r.checks();
        out.printf(
                Locale.ROOT,
                "p = %d %s: %.1f s wall (Flink net runtime %.1f s), %s samples/s incl. start-up,"
                        + " %s steady; %.1f CPU-s (%.2f busy cores; other processes %.2f cores)%n",
                f.parallelism(),
                f.guarantee(),
                f.wallSeconds(),
                r.netRuntimeSeconds(),
                PipelineBenchFigures.thousands(f.rateInclStartUp()),
                PipelineBenchFigures.thousands(f.times().steadyRate()),
                f.cpuSeconds(),
                f.busyCores(),
                f.otherCores());
        if (c.committed() != c.expected()) {
            out.printf(
                    "ERROR: %d committed scores, expected %d (one per record in)%n",
                    c.committed(), c.expected());
        }
        if (c.duplicates() > 0) {
            out.printf("ERROR: %d duplicate (id, epoch) scores%n", c.duplicates());
        }
        out.printf(
                "  checks: %d / %d scores committed, %d duplicates, %d scored with an older model"
                        + " version than the epoch's; phases %s; model versions by epoch %s%n",
                c.committed(),
                c.expected(),
                c.duplicates(),
                c.staleVersion(),
                c.phases(),
                c.versionsByEpoch());
        if (!r.cpuByThread().isEmpty()) {
            out.println("  CPU by thread group (CPU-s, % of one core over the job's wall time):");
            int shown = 0;
            for (var e : r.cpuByThread().entrySet()) {
                if (shown++ == 14 || e.getValue() < 0.05) {
                    break;
                }
                out.printf(
                        Locale.ROOT,
                        "    %7.2f  %4.0f %%  %s%n",
                        e.getValue(),
                        100 * e.getValue() / f.wallSeconds(),
                        e.getKey());
            }
        }
    }

    private void printReport(
            List<Result> results,
            List<PipelineBenchFigures.Run> ceilings,
            String producerLine,
            String split,
            int total,
            int perPass,
            int[] counts,
            PrintStream out) {
        out.println();
        out.printf(
                Locale.ROOT,
                "sfa bench pipeline — features in, d = %d, C = %d, %d samples = %d epochs × %d"
                        + " (long tail ρ = %s: %d … %d per class), %s noise %.2f, checkpoints every %s,"
                        + " seed %d%n",
                dim,
                classes,
                total,
                epochs,
                perPass,
                imbalance,
                counts[0],
                counts[classes - 1],
                NoiseMode.IMB.name().toLowerCase(Locale.ROOT),
                noiseRatio,
                checkpointInterval,
                seed);
        out.println(producerLine);
        out.println(split);
        out.println();
        PipelineBenchFigures.printTable(results.stream().map(Result::run).toList(), out);
        out.println();
        if (!ceilings.isEmpty()) {
            out.println(
                    "Pass-through ceiling (the same records: Kafka source → Kafka sink of the value"
                            + " bytes, no decoding, no state, no shuffle; steady = from the sink's"
                            + " write times):");
            out.println();
            PipelineBenchFigures.printTable(ceilings, out);
            out.println();
            for (int i = 0; i < ceilings.size() && i < results.size(); i++) {
                PipelineBenchFigures.Run job = results.get(i).run();
                PipelineBenchFigures.Run top = ceilings.get(i);
                out.printf(
                        Locale.ROOT,
                        "p = %d %s: the SFA job reaches %.0f %% of the pass-through's steady rate"
                                + " (%.0f %% of its samples per CPU-s)%n",
                        job.parallelism(),
                        job.guarantee(),
                        100 * job.times().steadyRate() / top.times().steadyRate(),
                        100 * job.perCpuSecond() / top.perCpuSecond());
            }
            out.println();
        }
        out.println("Machine: " + machine());
        out.println(
                "steady = (scores − 1) / (last − first scoredAt of the committed scores); per core ="
                        + " steady / "
                        + Runtime.getRuntime().availableProcessors()
                        + " (all of the machine's cores: the broker, Flink and the job share them);"
                        + " samples per CPU-s = samples / CPU time of the whole JVM during the job;"
                        + " busy cores = that CPU time / wall time; longest pause = the longest gap"
                        + " between two consecutive scores; other processes' cores = CPU time the"
                        + " rest of the machine used meanwhile / wall time (/proc/stat).");
        for (Result r : results) {
            if (!r.checks().ok()) {
                out.printf(
                        "ERROR: p = %d %s: %d committed scores for %d records in, %d duplicates%n",
                        r.run().parallelism(),
                        r.run().guarantee(),
                        r.checks().committed(),
                        r.checks().expected(),
                        r.checks().duplicates());
            }
        }
    }

    static String machine() {
        Runtime rt = Runtime.getRuntime();
        String cpu = "";
        try {
            cpu =
                    Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                            .filter(l -> l.startsWith("model name"))
                            .map(l -> l.substring(l.indexOf(':') + 1).trim())
                            .findFirst()
                            .map(m -> m + ", ")
                            .orElse("");
        } catch (IOException | RuntimeException e) {
            // not Linux: leave the model out
        }
        return String.format(
                Locale.ROOT,
                "%s%d cores, %s %s, max heap %d MiB",
                cpu,
                rt.availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                rt.maxMemory() >> 20);
    }
}
