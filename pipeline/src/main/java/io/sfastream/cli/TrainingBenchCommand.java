package io.sfastream.cli;

import io.sfastream.data.FashionMnist;
import io.sfastream.data.ImageSet;
import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.nn.DjlRuntime;
import io.sfastream.nn.FeatureExtractor;
import io.sfastream.nn.SfaModel;
import io.sfastream.pipeline.SfaPipeline;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.local.EmbeddedKafka;
import io.sfastream.pipeline.local.KafkaTopics;
import io.sfastream.pipeline.local.SampleProducer;
import io.sfastream.pipeline.local.TopicReader;
import io.sfastream.pipeline.replay.ReplayDataset;
import io.sfastream.schemas.ModelSnapshotRef;
import io.sfastream.schemas.NoiseScore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `sfa bench training`: the whole job with images in while the model learns, once per trainer
 * policy (and once frozen), on a long-tailed noisy Fashion-MNIST replay through an embedded broker
 * and a local Flink cluster; beside it the small CNN's raw DJL forward pass at the same batch size
 * and threads. Prints samples/s of each run and the model latency: from a sample's scoring (its
 * arrival at the trainer, within milliseconds) to the creation of the first version trained on it.
 */
@Command(
        name = "training",
        mixinStandardHelpOptions = true,
        description = {
            "Throughput of the whole job (images in, the model learning) per trainer policy, beside"
                    + " the small CNN's raw DJL forward samples/s, and the model latency."
        })
final class TrainingBenchCommand implements Callable<Integer> {

    @Option(
            names = "--data-dir",
            defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--max-per-class",
            defaultValue = "500",
            description = "n_max of the long tail, rho = 0.1 (default: ${DEFAULT-VALUE}).")
    int maxPerClass;

    @Option(
            names = "--epochs",
            defaultValue = "4",
            description =
                    "Passes of the replay, one virtual epoch each (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--runs",
            defaultValue = "frozen,backpressure,evict",
            split = ",",
            description = "Which runs: frozen, backpressure, evict (default: ${DEFAULT-VALUE}).")
    List<String> runs;

    @Option(
            names = "--batch",
            defaultValue = "64",
            description =
                    "embed.batchSize, also the raw forward's batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "job.parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of the subsample, noise and replay (default: ${DEFAULT-VALUE}).")
    long seed;

    @picocli.CommandLine.Mixin DjlOptions djl = new DjlOptions();

    @Override
    public Integer call() throws Exception {
        if (!FashionMnist.isInstalled(dataDir)) {
            System.err.println(
                    "Fashion-MNIST not found in " + dataDir + ": " + FashionMnist.INSTALL_HINT);
            return 2;
        }
        PipelineConfig base = djl.applyTo(PipelineConfig.load(Path.of("config", "demo.yaml")));
        base =
                base.with(
                        Map.of(
                                "kafka.bounded", true,
                                "job.parallelism", parallelism,
                                "embed.batchSize", batch));
        ReplayDataset data =
                ReplayDataset.longTailedNoisy(
                        FashionMnist.train(dataDir), maxPerClass, 0.1, 0.2, NoiseMode.IMB, seed);
        DjlRuntime.configure(base.djl().toSettings());
        double forward = rawForward(base, data.images());
        System.out.printf(
                Locale.ROOT,
                "small CNN raw DJL forward (eval, batch %d, this JVM's libtorch threads as"
                        + " DjlRuntime logged them): %.0f samples/s%n",
                batch,
                forward);
        Path store = Files.createTempDirectory("sfa-bench-training");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            base = base.with("kafka.bootstrapServers", kafka.bootstrapServers());
            boolean produced = false;
            for (String run : runs) {
                PipelineConfig c = DemoCommand.forRun(base, run, store);
                c =
                        switch (run) {
                            case "frozen" -> c.with("train.enabled", false);
                            case "backpressure" -> c.with("train.policy", "backpressure");
                            // the live-stream policy: embedders score with the version at hand
                            case "evict" ->
                                    c.with(
                                            Map.of(
                                                    "train.policy", "evict",
                                                    "embed.versionWait", "0 ms"));
                            default -> throw new IllegalArgumentException("unknown run " + run);
                        };
                KafkaTopics.create(
                        kafka.bootstrapServers(),
                        BrokerCommand.topics(c, 2),
                        Duration.ofSeconds(60));
                if (!produced) { // every run reads the same replay from the samples topic
                    try (SampleProducer p =
                            new SampleProducer(
                                    kafka.bootstrapServers(), c.kafka().samplesTopic())) {
                        data.forEachOfPasses(epochs, c.epochClock(), p::send);
                        p.flush();
                    }
                    produced = true;
                }
                StreamExecutionEnvironment env =
                        StreamExecutionEnvironment.createLocalEnvironment(
                                SfaPipeline.flinkConfiguration(c));
                SfaPipeline.onKafka(c).build(env);
                long t0 = System.nanoTime();
                env.execute("bench-training-" + run);
                double seconds = (System.nanoTime() - t0) / 1e9;
                report(run, c, data.size() * epochs, seconds);
            }
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(store.toFile());
        }
        System.out.println(
                "(samples/s: scored samples over the job's wall time, start-up included;"
                        + " data: Fashion-MNIST train, long tail rho 0.1, imb noise 0.2, seed "
                        + seed
                        + "; "
                        + Runtime.getRuntime().availableProcessors()
                        + " CPU cores)");
        return 0;
    }

    private double rawForward(PipelineConfig c, ImageSet images) {
        List<byte[]> all = Arrays.asList(images.pixels());
        try (SfaModel m = SfaModel.create(c.model().toSpec(0), DjlRuntime.device())) {
            FeatureExtractor fx = new FeatureExtractor(m, batch);
            for (int w = 0; w < 4; w++) {
                fx.embed(all.subList(0, Math.min(all.size(), batch))); // warm up
            }
            long t0 = System.nanoTime();
            int n = 0;
            for (int from = 0; from + batch <= all.size(); from += batch) {
                fx.embed(all.subList(from, from + batch));
                n += batch;
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static void report(String run, PipelineConfig c, int expected, double seconds) {
        List<NoiseScore> scores;
        try (TopicReader<NoiseScore> r =
                new TopicReader<>(
                        c.kafka().bootstrapServers(), c.kafka().scoresTopic(), NoiseScore.class)) {
            r.readUntil(l -> l.size() >= expected, Duration.ofSeconds(60));
            scores = r.drain(Duration.ofSeconds(2));
        }
        List<ModelSnapshotRef> refs = DemoCommand.published(c);
        Map<Integer, ModelSnapshotRef> byEpoch = new HashMap<>();
        for (ModelSnapshotRef ref : refs) {
            if (ref.getNetwork() == 0 && !ref.getEndOfStream()) {
                byEpoch.put(ref.getEpoch(), ref);
            }
        }
        // latency: the version of a sample's epoch boundary is the first one trained on it
        List<Long> latency = new ArrayList<>();
        for (NoiseScore s : scores) {
            ModelSnapshotRef v = byEpoch.get(s.getEpoch());
            if (v != null && v.getTrainSteps() > 0) {
                latency.add(v.getCreatedAt().toEpochMilli() - s.getScoredAt().toEpochMilli());
            }
        }
        latency.sort(Long::compare);
        ModelSnapshotRef last =
                byEpoch.get(byEpoch.keySet().stream().max(Integer::compare).orElse(0));
        System.out.printf(
                Locale.ROOT,
                "%-12s %6d/%d scores in %6.1f s = %6.0f samples/s; %d versions, %s train steps;"
                        + " model latency median %s s, p95 %s s%s%n",
                run,
                scores.size(),
                expected,
                seconds,
                scores.size() / seconds,
                byEpoch.size(),
                last == null ? "-" : String.valueOf(last.getTrainSteps()),
                latency.isEmpty() ? "-" : secs(latency.get(latency.size() / 2)),
                latency.isEmpty() ? "-" : secs(latency.get(latency.size() * 95 / 100)),
                last == null || last.getMetrics().get("evictions") == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; evicted %.0f, inbox drops %.0f",
                                last.getMetrics().get("evictions"),
                                last.getMetrics().getOrDefault("inboxDrops", 0.0)));
    }

    private static String secs(long millis) {
        return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }
}
