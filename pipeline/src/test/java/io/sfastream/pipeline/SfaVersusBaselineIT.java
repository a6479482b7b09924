package io.sfastream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.Device;
import io.sfastream.data.FashionMnist;
import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.eval.DetectionMetrics;
import io.sfastream.nn.Embeddings;
import io.sfastream.nn.FeatureExtractor;
import io.sfastream.nn.ModelSpec;
import io.sfastream.nn.SfaModel;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.local.EmbeddedKafka;
import io.sfastream.pipeline.local.SampleProducer;
import io.sfastream.pipeline.replay.ReplayDataset;
import io.sfastream.pipeline.testing.PipelineTestKit;
import io.sfastream.schemas.LabelledEmbedding;
import io.sfastream.schemas.NoiseScore;
import io.sfastream.schemas.Phase;
import io.sfastream.sfa.loss.BalancedSoftmax;
import io.sfastream.time.EpochClock;
import io.sfastream.train.Augmenter;
import io.sfastream.train.NetTrainer;
import io.sfastream.train.SgdOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
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
 * (b) SFA against the centroid-distance baseline on the same stream: long-tailed noisy
 * Fashion-MNIST (n_max 500, ρ = 0.1, imb noise r = 0.3, N = 2040) whose features come from the
 * small CNN briefly trained here on the noisy labels (CE + Balanced Softmax, the warm-up of the
 * paper), replayed for {@value #PASSES} virtual epochs through the features topic. After warm-up
 * (the epochs in which SFA judges), SFA's AUROC of the noise probability against the truly
 * mislabelled must beat the baseline's on the same samples by the margin measured on this data (see
 * the assertion).
 */
class SfaVersusBaselineIT {
    private static final int PASSES = 6;
    private static final int TRAIN_STEPS = 300;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static EmbeddedKafka kafka;

    @TempDir static Path store;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void sfaFlagsBetterThanTheBaselineAndRanksAsWellOnTheSameStream() throws Exception {
        assumeThat(FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR))
                .as("needs " + FashionMnist.INSTALL_HINT)
                .isTrue();
        ReplayDataset data =
                ReplayDataset.longTailedNoisy(
                        FashionMnist.train(FashionMnist.DEFAULT_DIR),
                        500,
                        0.1,
                        0.3,
                        NoiseMode.IMB,
                        7);
        int n = data.size();
        int[] labels = data.noise().labels();
        float[][] features = new float[n][];
        float[][] logits = new float[n][];
        double[] confidence = new double[n];
        embedWithABrieflyTrainedEncoder(data, labels, features, logits, confidence);

        String run = PipelineTestKit.run("vs");
        PipelineConfig sfa =
                PipelineTestKit.config(
                        kafka,
                        run,
                        store,
                        Map.of(
                                "job.input",
                                "features",
                                "train.enabled",
                                false,
                                "model.featureDim",
                                features[0].length,
                                "sfa.warmUpEpochs",
                                2));
        PipelineTestKit.createTopics(sfa, 2);
        EpochClock clock = sfa.epochClock();
        try (SampleProducer p =
                new SampleProducer(sfa.kafka().bootstrapServers(), sfa.kafka().featuresTopic())) {
            for (int e = 1; e <= PASSES; e++) {
                int[] order = data.passOrder(e);
                for (int pos = 0; pos < n; pos++) {
                    int i = order[pos];
                    List<Float> f = new ArrayList<>();
                    for (float x : features[i]) {
                        f.add(x);
                    }
                    List<Float> z = new ArrayList<>();
                    for (float x : logits[i]) {
                        z.add(x);
                    }
                    p.send(
                            LabelledEmbedding.newBuilder()
                                    .setId("s" + i)
                                    .setLabel(labels[i])
                                    .setEventTime(
                                            Instant.ofEpochMilli(clock.replayTimestamp(e, pos, n)))
                                    .setEncoderName("small-cnn-" + TRAIN_STEPS + "-steps")
                                    .setTrueLabel(data.images().labels()[i])
                                    .setConfidence(confidence[i])
                                    .setLogits(z)
                                    .setFeatures(f)
                                    .build());
                }
            }
            p.flush();
        }
        String baselineRun = PipelineTestKit.run("vs-baseline");
        PipelineConfig baseline =
                PipelineTestKit.config(
                                kafka,
                                baselineRun,
                                store,
                                Map.of(
                                        "job.input",
                                        "features",
                                        "train.enabled",
                                        false,
                                        "model.featureDim",
                                        features[0].length,
                                        "job.scorer",
                                        "baseline"))
                        .with("kafka.featuresTopic", sfa.kafka().featuresTopic());
        PipelineTestKit.createTopics(baseline, 2);
        for (PipelineConfig c : List.of(sfa, baseline)) {
            Configuration conf = SfaPipeline.flinkConfiguration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            SfaPipeline.onKafka(c).build(env);
            env.execute(c.kafka().groupId());
        }
        List<NoiseScore> sfaScores =
                PipelineTestKit.readAll(sfa, sfa.kafka().scoresTopic(), NoiseScore.class);
        List<NoiseScore> baseScores =
                PipelineTestKit.readAll(baseline, baseline.kafka().scoresTopic(), NoiseScore.class);
        assertThat(sfaScores).hasSize(n * PASSES);
        assertThat(baseScores).hasSize(n * PASSES);

        // The epochs SFA judges: warm-up 2; epoch 1 has no centring mean yet, epoch 2 forms the
        // first
        // centroids, the end of epoch 3 fits the first GMMs: epochs 4.. are judged.
        StringBuilder table = new StringBuilder();
        int judgedEpochs = 0;
        for (int e = 1; e <= PASSES; e++) {
            int epoch = e;
            List<NoiseScore> s = sfaScores.stream().filter(x -> x.getEpoch() == epoch).toList();
            List<NoiseScore> b = baseScores.stream().filter(x -> x.getEpoch() == epoch).toList();
            boolean judged = s.stream().allMatch(x -> x.getPhase() == Phase.SCORING);
            double sfaPosterior = auroc(s, x -> x.getNoiseProbability());
            double sfaRanking =
                    judged
                            ? auroc(s, x -> -x.getNetworks().get(0).getNormalisedScore())
                            : Double.NaN;
            double base = auroc(b, x -> x.getNoiseProbability());
            double sfaF1 = f1(s);
            double baseF1 = f1(b);
            table.append(
                    String.format(
                            "  | %d | %s | %.4f | %.4f | %.4f | %.4f | %.4f |%n",
                            e,
                            judged ? "judged" : "warm-up",
                            sfaPosterior,
                            sfaRanking,
                            base,
                            sfaF1,
                            baseF1));
            if (judged) {
                judgedEpochs++;
                // SFA's per-class adaptive cut flags better than the baseline's fixed z-score rule
                assertThat(sfaF1).as("flag F1, epoch %d", e).isGreaterThan(baseF1 + F1_MARGIN);
                // its ranking within classes is as good as the baseline's
                assertThat(sfaRanking).as("ranking AUROC, epoch %d", e).isGreaterThan(base - 0.01);
                // the GMM posterior saturates (about 30 % are 0 or 1), which costs AUROC
                assertThat(sfaPosterior).as("posterior AUROC, epoch %d", e).isGreaterThan(0.85);
            }
        }
        System.out.printf(
                "SFA vs baseline, %s, N = %d, %d epochs, features of the small CNN after %d warm-up"
                        + " steps:%n  | epoch | phase | SFA AUROC (posterior) | SFA AUROC"
                        + " (normalised score) | baseline AUROC | SFA flag F1 | baseline flag F1"
                        + " |%n%s",
                data.name(), n, PASSES, TRAIN_STEPS, table);
        assertThat(judgedEpochs).isEqualTo(PASSES - 3);
    }

    /**
     * Measured on this data (2026-12-03, 2 cores): SFA's flag F1 0.737-0.738 against the baseline's
     * 0.704-0.713 in the judged epochs; half the smallest gap.
     */
    private static final double F1_MARGIN = 0.012;

    private static double auroc(
            List<NoiseScore> scores, java.util.function.ToDoubleFunction<NoiseScore> noise) {
        double[] p = new double[scores.size()];
        boolean[] noisy = new boolean[scores.size()];
        for (int i = 0; i < p.length; i++) {
            NoiseScore s = scores.get(i);
            p[i] = noise.applyAsDouble(s);
            noisy[i] = !s.getTrueLabel().equals(s.getLabel());
        }
        return DetectionMetrics.auroc(p, noisy);
    }

    /** F1 of the noisy flag (not clean) against the truly mislabelled. */
    private static double f1(List<NoiseScore> scores) {
        boolean[] flagged = new boolean[scores.size()];
        boolean[] noisy = new boolean[scores.size()];
        for (int i = 0; i < flagged.length; i++) {
            flagged[i] = !scores.get(i).getClean();
            noisy[i] = !scores.get(i).getTrueLabel().equals(scores.get(i).getLabel());
        }
        DetectionMetrics.PrecisionRecall pr = DetectionMetrics.precisionRecall(flagged, noisy);
        double p = pr.precision();
        double r = pr.recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    private static void embedWithABrieflyTrainedEncoder(
            ReplayDataset data,
            int[] labels,
            float[][] features,
            float[][] logits,
            double[] confidence) {
        int n = data.size();
        ModelSpec spec = ModelSpec.fashionMnistSmallCnn(42);
        int[] counts = new int[10];
        for (int y : labels) {
            counts[y]++;
        }
        try (SfaModel model = SfaModel.create(spec, Device.cpu());
                NetTrainer trainer = new NetTrainer(model, SgdOptions.cifar())) {
            Augmenter augmenter = Augmenter.reference(spec, 43);
            UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(44L);
            BalancedSoftmax noisyCounts = BalancedSoftmax.fromCounts(counts);
            int[] order = PermutationSampler.natural(n);
            int cursor = n;
            for (int step = 0; step < TRAIN_STEPS; step++) {
                if (cursor + 64 > n) {
                    PermutationSampler.shuffle(rng, order);
                    cursor = 0;
                }
                List<byte[]> images = new ArrayList<>(64);
                int[] y = new int[64];
                for (int k = 0; k < 64; k++) {
                    int i = order[cursor++];
                    images.add(data.images().pixels()[i]);
                    y[k] = labels[i];
                }
                trainer.warmUpStep(augmenter.augment(images), y, noisyCounts);
            }
            FeatureExtractor extractor = new FeatureExtractor(model, 256);
            for (int from = 0; from < n; from += 256) {
                int to = Math.min(n, from + 256);
                Embeddings e =
                        extractor.embed(Arrays.asList(data.images().pixels()).subList(from, to));
                for (int i = from; i < to; i++) {
                    features[i] = e.features()[i - from];
                    logits[i] = e.logits()[i - from];
                    float[] z2 = e.balancedLogits()[i - from];
                    double max = Double.NEGATIVE_INFINITY;
                    for (float v : z2) {
                        max = Math.max(max, v);
                    }
                    double sum = 0;
                    for (float v : z2) {
                        sum += Math.exp(v - max);
                    }
                    confidence[i] = Math.exp(z2[labels[i]] - max) / sum;
                }
            }
        }
    }
}
