package io.sfastream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.sfastream.data.FashionMnist;
import io.sfastream.eval.DetectionMetrics;
import io.sfastream.pipeline.SfaPipeline;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.local.EmbeddedKafka;
import io.sfastream.pipeline.local.SampleProducer;
import io.sfastream.pipeline.report.EvaluationReport;
import io.sfastream.pipeline.testing.PipelineTestKit;
import io.sfastream.schemas.LabelledEmbedding;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.schemas.Phase;
import io.sfastream.time.EpochClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay, pipeline and evaluation end to end, as a user runs them: {@code sfa replay} into a real
 * broker, the job on a Flink MiniCluster, {@code sfa evaluate} on the committed topics.
 */
class EvaluateCommandIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static EmbeddedKafka kafka;

    @TempDir static Path store;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Path profile(PipelineConfig c) throws Exception {
        Path f = store.resolve(c.kafka().groupId() + ".yaml");
        Files.writeString(f, c.toYaml());
        return f;
    }

    private static void runJob(PipelineConfig c) throws Exception {
        StreamExecutionEnvironment env = PipelineTestKit.env(PipelineTestKit.noRestart());
        SfaPipeline.onKafka(c).build(env);
        env.execute(c.kafka().groupId());
    }

    // The hand-checkable stream: three classes of 120, 80 and 40 samples whose features point at
    // their true class; every fifth sample of a class carries the next class's label, so which
    // samples are mislabelled, and how many per given label, is known by construction.
    private static final int[] TRUE_COUNTS = {120, 80, 40};
    private static final int DIM = 8;
    private static final int PASSES = 5;

    /**
     * A stream whose truth is known and whose flags are forced: with every mislabelled sample's
     * feature on another class's axis, SFA (and the centroid baseline) must flag exactly the
     * mislabelled ones, so the report's numbers are known before it is written: 240 samples, 48
     * mislabelled, 48 flagged, precision = recall = AUROC = 1; per given label 8 of 104, 24 of 88
     * and 16 of 48.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theReportOfAForcedStreamHasTheNumbersWorkedOutByHand(@TempDir Path out) throws Exception {
        Map<String, Object> v = new HashMap<>();
        v.put("job.input", "features");
        v.put("train.enabled", false);
        v.put("model.featureDim", DIM);
        v.put("model.numClasses", 3);
        v.put("sfa.warmUpEpochs", 2);
        String run = PipelineTestKit.run("forced");
        PipelineConfig sfa = PipelineTestKit.config(kafka, run, store, v);
        PipelineTestKit.createTopics(sfa, 2);
        Random rng = new Random(3);
        List<float[]> features = new ArrayList<>();
        List<int[]> labels = new ArrayList<>(); // {given, true}
        for (int k = 0; k < TRUE_COUNTS.length; k++) {
            for (int j = 0; j < TRUE_COUNTS[k]; j++) {
                float[] f = new float[DIM];
                for (int d = 0; d < DIM; d++) {
                    f[d] = (float) (0.05 * rng.nextGaussian());
                }
                f[k] += 1;
                features.add(f);
                labels.add(new int[] {j % 5 == 0 ? (k + 1) % 3 : k, k});
            }
        }
        EpochClock clock = sfa.epochClock();
        int n = features.size();
        try (SampleProducer p =
                new SampleProducer(sfa.kafka().bootstrapServers(), sfa.kafka().featuresTopic())) {
            for (int e = 1; e <= PASSES; e++) {
                for (int i = 0; i < n; i++) {
                    List<Float> f = new ArrayList<>(DIM);
                    for (float x : features.get(i)) {
                        f.add(x);
                    }
                    p.send(
                            LabelledEmbedding.newBuilder()
                                    .setId("f" + i)
                                    .setLabel(labels.get(i)[0])
                                    .setTrueLabel(labels.get(i)[1])
                                    .setEventTime(
                                            Instant.ofEpochMilli(clock.replayTimestamp(e, i, n)))
                                    .setEncoderName("hand")
                                    .setConfidence(0.9)
                                    .setFeatures(f)
                                    .build());
                }
            }
            p.flush();
        }
        runJob(sfa);
        // the centroid baseline on the same input topic, with outputs, state and store of its own
        Map<String, Object> b = new HashMap<>(v);
        b.put("job.scorer", "baseline");
        b.put("kafka.featuresTopic", sfa.kafka().featuresTopic());
        PipelineConfig base = PipelineTestKit.config(kafka, run + "-baseline", store, b);
        PipelineTestKit.createTopics(base, 2);
        runJob(base);

        CliRun r =
                CliRun.sfa(
                        "evaluate",
                        "--config",
                        profile(sfa).toString(),
                        "--compare",
                        "centroid baseline=" + base.kafka().scoresTopic(),
                        "--many-above",
                        "100",
                        "--few-below",
                        "50",
                        "--out",
                        out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String md = Files.readString(out.resolve(EvaluationReport.REPORT));
        System.out.println(md);
        assertThat(md)
                .contains(
                        "240 samples (distinct ids), 48 of them mislabelled (20.0%), 3 classes, 5")
                .contains("| SFA | 240 | 48 | 48 | 1.0000 | 1.0000 | 1.000 | 1.000 | 1.000 |")
                // the baseline ranks them perfectly too, but its cut on the running z-score of the
                // distance may miss some where a third of a class is mislabelled
                .contains("| centroid baseline | 240 | 48 |")
                .contains(
                        "| centroid baseline | many | 104 | 8 | 1.0000 | 1.0000 | 1.000 | 1.000 |")
                // per given label: 8/104 many, 24/88 medium, 16/48 few; all flagged exactly
                .contains("| 0 | many | 104 | 0.077 |")
                .contains("| 1 | medium | 88 | 0.273 |")
                .contains("| 2 | few | 48 | 0.333 |")
                .contains("| SFA | few | 48 | 16 | 1.0000 | 1.0000 | 1.000 | 1.000 | 1.000 |")
                // no class probabilities with features in: no small-loss or confident learning
                .doesNotContain("small-loss")
                .contains("SFA is ahead of every other rule")
                .doesNotContain("**Where SFA loses");
        assertThat(Files.readAllLines(out.resolve(EvaluationReport.METRICS)))
                .contains("final,SFA,all,,flagged,48")
                .contains("noise-rate,SFA,class,2,flagged_rate,0.3333333333333333");

        // the files it wrote give the same report without the broker
        Path again = out.resolve("again");
        CliRun fromFiles =
                CliRun.sfa(
                        "evaluate",
                        "--scores",
                        out.resolve("scores.csv").toString(),
                        "--class-stats",
                        out.resolve("class-stats.csv").toString(),
                        "--compare",
                        "centroid baseline=" + out.resolve("scores-centroid-baseline.csv"),
                        "--many-above",
                        "100",
                        "--few-below",
                        "50",
                        "--out",
                        again.toString());
        assertThat(fromFiles.code()).as(fromFiles.err()).isZero();
        assertThat(Files.readAllLines(again.resolve(EvaluationReport.METRICS)))
                .containsExactlyElementsOf(
                        Files.readAllLines(out.resolve(EvaluationReport.METRICS)));
    }

    /**
     * A small real subset of Fashion-MNIST replayed by {@code sfa replay}, scored by the images-in
     * job on its untrained encoder, evaluated by {@code sfa evaluate --issues}: the report's final
     * row is what an independent computation on the committed scores gives, the baselines are
     * there, and the contact sheet shows the images read back from the samples topic.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aReplayedRealSubsetIsEvaluatedFromTheTopicsWithItsLabelIssues(@TempDir Path out)
            throws Exception {
        assumeThat(FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR))
                .as("needs " + FashionMnist.INSTALL_HINT)
                .isTrue();
        String run = PipelineTestKit.run("replayed");
        PipelineConfig c =
                PipelineTestKit.config(
                        kafka,
                        run,
                        store,
                        Map.of(
                                "train.enabled",
                                false,
                                "sfa.warmUpEpochs",
                                1,
                                "job.outOfOrderness",
                                "5 s"));
        PipelineTestKit.createTopics(c, 2);
        Path cfg = profile(c);
        CliRun replay =
                CliRun.sfa(
                        "replay",
                        "--config",
                        cfg.toString(),
                        "--dataset",
                        "idx",
                        "--data-path",
                        FashionMnist.DEFAULT_DIR.toString(),
                        "--max-per-class",
                        "60",
                        "--imbalance",
                        "0.2",
                        "--noise-ratio",
                        "0.3",
                        "--noise-mode",
                        "sym",
                        "--seed",
                        "9",
                        "--epochs",
                        "5",
                        "--no-progress");
        assertThat(replay.code()).as(replay.err()).isZero();
        runJob(c);

        CliRun eval =
                CliRun.sfa(
                        "evaluate",
                        "--config",
                        cfg.toString(),
                        "--issues",
                        "4",
                        "--test-set",
                        "fashion-mnist:" + FashionMnist.DEFAULT_DIR,
                        "--out",
                        out.toString());
        assertThat(eval.code()).as(eval.err()).isZero();

        // the final verdicts, computed here from the committed scores without the report's code
        List<NoiseScore> scores = PipelineTestKit.scoresOnce(c);
        Map<String, NoiseScore> last = new LinkedHashMap<>();
        for (NoiseScore s : scores) {
            if (s.getPhase() == Phase.SCORING) {
                last.merge(s.getId(), s, (a, b) -> a.getEpoch() >= b.getEpoch() ? a : b);
            }
        }
        int m = last.size();
        double[] p = new double[m];
        boolean[] noisy = new boolean[m];
        boolean[] flagged = new boolean[m];
        int i = 0;
        for (NoiseScore s : last.values()) {
            p[i] = s.getNoiseProbability();
            noisy[i] = !s.getTrueLabel().equals(s.getLabel());
            flagged[i] = !s.getClean();
            i++;
        }
        DetectionMetrics.PrecisionRecall pr = DetectionMetrics.precisionRecall(flagged, noisy);
        String expected =
                String.format(
                        Locale.ROOT,
                        "| SFA | %d | %d | %d | %.4f | %.4f | %.3f | %.3f | %.3f |",
                        m,
                        pr.relevant(),
                        pr.selected(),
                        DetectionMetrics.auroc(p, noisy),
                        DetectionMetrics.averagePrecision(p, noisy),
                        pr.precision(),
                        pr.recall(),
                        pr.f1());
        String md = Files.readString(out.resolve(EvaluationReport.REPORT));
        System.out.println(md);
        long all = scores.stream().map(NoiseScore::getId).distinct().count();
        // on the untrained encoder few samples are confident enough to form centroids at first:
        // the classes without one are still in warm-up at the end
        assertThat(m).isGreaterThan(100);
        assertThat(md)
                .contains(all + " samples (distinct ids)")
                .contains(expected)
                // the baselines judge every sample from the probabilities, warm-up passes included
                .contains("| small-loss (DivideMix) | " + all + " |")
                .contains("| confident learning | " + all + " |");
        // every published version (and the untrained one) tested on the 10,000 test images; the
        // job did not train, so they are one network: the same accuracy throughout
        assertThat(md).contains("## Model versions on fashion-mnist");
        assertThat(md).containsPattern("\\| 0 \\| 0\\.\\d{4} \\|");
        assertThat(out.resolve("accuracy-per-class.png")).exists();
        assertThat(out.resolve(EvaluationReport.ISSUES_CSV)).exists();
        List<String> issues = Files.readAllLines(out.resolve(EvaluationReport.ISSUES_CSV));
        // four per class that SFA has judged (a class still in warm-up has no verdict to rank)
        long judgedClasses = last.values().stream().map(NoiseScore::getLabel).distinct().count();
        assertThat(judgedClasses).isGreaterThan(1);
        assertThat(issues).hasSize(1 + (int) judgedClasses * 4);
        var sheet = ImageIO.read(out.resolve(EvaluationReport.ISSUES_PNG).toFile());
        assertThat(sheet.getHeight()).isGreaterThan((int) judgedClasses * 84);
    }
}
