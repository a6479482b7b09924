package io.sfastream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfastream.data.CifarBinaryReader;
import io.sfastream.data.FashionMnist;
import io.sfastream.data.ImageSet;
import io.sfastream.data.protocol.LongTailProfile;
import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.decode.SampleValidator;
import io.sfastream.pipeline.local.EmbeddedKafka;
import io.sfastream.pipeline.local.TopicReader;
import io.sfastream.pipeline.replay.ReplayDataset;
import io.sfastream.schemas.ImageEncoding;
import io.sfastream.schemas.LabelledEmbedding;
import io.sfastream.schemas.LabelledSample;
import io.sfastream.schemas.WireCodec;
import io.sfastream.time.EpochClock;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sfa replay} against a real embedded broker, read back with a read_committed consumer. */
class ReplayCommandTest {
    private static final String START = "2026-01-01T00:00:00Z";
    private static final EpochClock CLOCK =
            new EpochClock(Instant.parse(START), Duration.ofHours(1));

    static EmbeddedKafka kafka;

    @TempDir Path tmp;

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

    private static CliRun replay(String topic, String... args) {
        String[] common = {
            "replay",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--topic",
            topic,
            "--create-topic",
            "--no-progress",
            "--set",
            "epoch.start=" + START,
            "--set",
            "epoch.length=1 h"
        };
        String[] all = Arrays.copyOf(common, common.length + args.length);
        System.arraycopy(args, 0, all, common.length, args.length);
        return CliRun.sfa(all);
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(
            String topic, Class<T> type, int expected) {
        try (TopicReader<T> r = new TopicReader<>(kafka.bootstrapServers(), topic, type)) {
            List<T> got = r.readUntil(l -> l.size() >= expected, Duration.ofSeconds(30));
            return got.size() > expected ? got : r.drain(Duration.ofMillis(500));
        }
    }

    @Test
    void realFashionMnistIdxSubsetForTwoEpochs() throws Exception {
        assumeTrue(FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR), "Fashion-MNIST missing");
        ImageSet test = FashionMnist.test(FashionMnist.DEFAULT_DIR);
        ImageSet small = test.subset(IntStream.range(0, 400).toArray());
        Path dir = Files.createDirectories(tmp.resolve("my-idx-set"));
        writeIdx(dir, "train", small);

        CliRun run =
                replay(
                        "samples-idx",
                        "--dataset",
                        "idx",
                        "--data-path",
                        dir.toString(),
                        "--max-per-class",
                        "20",
                        "--imbalance",
                        "0.5",
                        "--noise-ratio",
                        "0.2",
                        "--noise-mode",
                        "sym",
                        "--seed",
                        "7",
                        "--epochs",
                        "2");
        assertThat(run.code()).as(run.err()).isZero();

        int n = LongTailProfile.total(LongTailProfile.exponential(20, 0.5, 10));
        String name = "my-idx-set-train-lt0.5-sym0.2-seed7";
        assertThat(run.out())
                .contains("sfa replay — " + name)
                .contains(2 * n + " records sent to samples-idx")
                .contains((int) (0.2 * n) + " flipped");

        List<LabelledSample> got = read("samples-idx", LabelledSample.class, 2 * n);
        assertThat(got).hasSize(2 * n);
        // the name says what was replayed, not a hard-coded dataset
        assertThat(got).allSatisfy(s -> assertThat(s.getSource()).isEqualTo(name));
        assertThat(got.get(0).getId()).startsWith(name + "-").doesNotContain("fashion");
        assertThat(got).allSatisfy(s -> assertThat(s.getTrueLabel()).isNotNull());

        Map<Integer, List<LabelledSample>> byEpoch =
                got.stream()
                        .collect(
                                Collectors.groupingBy(
                                        s -> CLOCK.epochOf(s.getEventTime().toEpochMilli())));
        assertThat(byEpoch.keySet()).containsExactlyInAnyOrder(1, 2);
        assertThat(byEpoch.get(1)).hasSize(n);
        assertThat(byEpoch.get(2)).hasSize(n);
        // each sample once per pass, with the same (noisy) label in both passes
        for (List<LabelledSample> pass : byEpoch.values()) {
            assertThat(pass.stream().map(LabelledSample::getId).distinct()).hasSize(n);
            assertThat(pass.stream().filter(s -> s.getLabel() != s.getTrueLabel()))
                    .hasSize((int) (0.2 * n));
        }
        // pass 2 is reshuffled
        List<String> order1 = order(byEpoch.get(1));
        List<String> order2 = order(byEpoch.get(2));
        assertThat(order2).containsExactlyInAnyOrderElementsOf(order1).isNotEqualTo(order1);

        // exactly the replay sfa demo builds from the same set and flags (ids, labels, order)
        ReplayDataset expected =
                ReplayDataset.longTailedNoisy(
                        new ImageSet(
                                "my-idx-set-train",
                                28,
                                28,
                                1,
                                small.pixels(),
                                small.labels(),
                                small.classNames()),
                        20,
                        0.5,
                        0.2,
                        NoiseMode.SYM,
                        7);
        List<String> expectedOrder = new java.util.ArrayList<>();
        expected.forEachOfPasses(1, CLOCK, s -> expectedOrder.add(s.getId()));
        assertThat(order1).isEqualTo(expectedOrder);

        // what the job's decoder accepts
        PipelineConfig c = PipelineConfig.defaults().with("epoch.start", START);
        SampleValidator validator =
                new SampleValidator(
                        c.model().toSpec(0), c.kafka().maxRecordBytes(), c.epochClock());
        WireCodec<LabelledSample> codec = WireCodec.of(LabelledSample.class);
        assertThat(got)
                .allSatisfy(s -> assertThat(validator.validate(codec.encode(s)).ok()).isTrue());
        assertThat(got.get(0).getImage().getEncoding()).isEqualTo(ImageEncoding.RAW_GRAY);
    }

    private static List<String> order(List<LabelledSample> pass) {
        return pass.stream()
                .sorted(Comparator.comparing(LabelledSample::getEventTime))
                .map(LabelledSample::getId)
                .toList();
    }

    @Test
    void cifarBinaryFileAsPng() throws Exception {
        int count = 30;
        byte[][] pixels = new byte[count][];
        int[] labels = new int[count];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < count; i++) {
            pixels[i] = new byte[32 * 32 * 3];
            r.nextBytes(pixels[i]);
            labels[i] = i % 10;
        }
        ImageSet set =
                new ImageSet(
                        "gen", 32, 32, 3, pixels, labels, CifarBinaryReader.CIFAR10_CLASS_NAMES);
        Path file = tmp.resolve("tiny_batch.bin");
        CifarBinaryReader.write(file, set, false);

        CliRun run =
                replay(
                        "samples-cifar",
                        "--dataset",
                        "cifar10",
                        "--data-path",
                        file.toString(),
                        "--encoding",
                        "png");
        assertThat(run.code()).as(run.err()).isZero();
        List<LabelledSample> got = read("samples-cifar", LabelledSample.class, count);
        assertThat(got).hasSize(count);
        for (LabelledSample s : got) {
            assertThat(s.getSource()).isEqualTo("tiny_batch-seed42");
            int i = Integer.parseInt(s.getId().substring(s.getId().lastIndexOf('-') + 1));
            assertThat(s.getLabel()).isEqualTo(labels[i]).isEqualTo(s.getTrueLabel());
            assertThat(s.getLabelName())
                    .isEqualTo(CifarBinaryReader.CIFAR10_CLASS_NAMES.get(labels[i]));
            assertThat(s.getImage().getEncoding()).isEqualTo(ImageEncoding.PNG);
            BufferedImage img =
                    ImageIO.read(new ByteArrayInputStream(bytes(s.getImage().getData())));
            int[] px = img.getRaster().getPixels(0, 0, 32, 32, (int[]) null);
            byte[] back = new byte[px.length];
            for (int p = 0; p < px.length; p++) {
                back[p] = (byte) px[p];
            }
            assertThat(back).as("lossless PNG of image " + i).isEqualTo(pixels[i]);
        }
    }

    @Test
    void featuresCsvToTheFeaturesTopic() throws Exception {
        Path csv = tmp.resolve("emb.csv");
        StringBuilder b = new StringBuilder("id,label,true_label,f0,f1\n");
        for (int i = 0; i < 12; i++) {
            int truth = i % 3;
            int label = i == 4 ? 0 : truth;
            b.append("s").append(i).append(',').append(label).append(',').append(truth);
            b.append(',').append(i).append(".5,").append(-i).append('\n');
        }
        Files.writeString(csv, b);
        CliRun run =
                replay(
                        "features-test",
                        "--dataset",
                        "features-csv",
                        "--data-path",
                        csv.toString(),
                        "--epochs",
                        "2");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("1 flipped").contains("24 records sent to features-test");
        List<LabelledEmbedding> got = read("features-test", LabelledEmbedding.class, 24);
        assertThat(got).hasSize(24);
        LabelledEmbedding s4 =
                got.stream().filter(e -> e.getId().equals("s4")).findFirst().orElseThrow();
        assertThat(s4.getLabel()).isZero();
        assertThat(s4.getTrueLabel()).isEqualTo(1);
        assertThat(s4.getFeatures()).containsExactly(4.5f, -4f);
        assertThat(s4.getEncoderName()).isEqualTo("emb");
        assertThat(got.stream().map(e -> CLOCK.epochOf(e.getEventTime().toEpochMilli())))
                .containsOnly(1, 2);
    }

    @Test
    void rateLimitHoldsTheReplayBack() {
        long t0 = System.nanoTime();
        CliRun run =
                replay(
                        "features-rate",
                        "--dataset",
                        "synthetic",
                        "--num-classes",
                        "2",
                        "--max-per-class",
                        "6",
                        "--dim",
                        "4",
                        "--rate",
                        "20");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("12 records sent to features-rate");
        // 12 samples at 20/s: the 12th may not go before 11/20 s
        assertThat(seconds).isGreaterThanOrEqualTo(0.55);
        assertThat(read("features-rate", LabelledEmbedding.class, 12)).hasSize(12);
    }

    @Test
    void unreachableBrokerIsOneClearSentence() {
        long t0 = System.nanoTime();
        CliRun run =
                CliRun.sfa(
                        "replay",
                        "--dataset",
                        "synthetic",
                        "--bootstrap-servers",
                        "localhost:1",
                        "--connect-timeout",
                        "1",
                        "--no-progress");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err())
                .contains(
                        "cannot reach Kafka at localhost:1 within 1 s: is the broker running"
                                + " (bin/sfa broker) and is kafka.bootstrapServers right?")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(15);
    }

    @Test
    void missingTopicAndMissingDataSayWhat() {
        CliRun noTopic =
                CliRun.sfa(
                        "replay",
                        "--dataset",
                        "synthetic",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--topic",
                        "no-such-topic",
                        "--no-progress");
        assertThat(noTopic.code()).isEqualTo(1);
        assertThat(noTopic.err()).contains("topic no-such-topic does not exist");

        CliRun noData =
                CliRun.sfa(
                        "replay",
                        "--dataset",
                        "idx",
                        "--data-path",
                        tmp.resolve("nothing-here").toString(),
                        "--bootstrap-servers",
                        kafka.bootstrapServers());
        assertThat(noData.code()).isEqualTo(2);
        assertThat(noData.err())
                .contains("nothing-here: no such file or folder")
                .doesNotContain("\tat ");
    }

    static void writeIdx(Path dir, String prefix, ImageSet set) throws IOException {
        try (DataOutputStream out =
                new DataOutputStream(
                        Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")))) {
            out.writeInt(0x803);
            out.writeInt(set.size());
            out.writeInt(set.height());
            out.writeInt(set.width());
            for (byte[] p : set.pixels()) {
                out.write(p);
            }
        }
        try (OutputStream raw = Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte"));
                DataOutputStream out = new DataOutputStream(raw)) {
            out.writeInt(0x801);
            out.writeInt(set.size());
            for (int y : set.labels()) {
                out.write(y);
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
