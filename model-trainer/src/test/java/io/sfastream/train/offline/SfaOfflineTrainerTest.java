package io.sfastream.train.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import io.sfastream.data.FashionMnist;
import io.sfastream.data.LabelledImages;
import io.sfastream.data.UnavailableImageException;
import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.nn.Architecture;
import io.sfastream.sfa.SfaParams;
import io.sfastream.sfa.loss.SslHyperparameters;
import io.sfastream.store.LocalDirectoryModelStore;
import io.sfastream.train.SgdOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline protocol on a tiny long-tailed noisy Fashion-MNIST (real images): warm-up, then
 * selection and SSL epochs with two networks; exact resume; unreadable images reported and skipped.
 */
class SfaOfflineTrainerTest {
    private static OfflineData data;

    static OfflineConfig config(int epochs, long seed) {
        SfaParams selection = SfaParams.builder(10).warmUpEpochs(1).seed(seed).build();
        SslHyperparameters ssl =
                new SslHyperparameters(4.0, 0.5, 25.0, 1, 16.0, selection.phi(), 0.02, 151, 10.0);
        return new OfflineConfig(
                DatasetKind.FASHION_MNIST,
                FashionMnist.DEFAULT_DIR,
                Architecture.SMALL_CNN,
                "exp",
                0.1,
                40,
                NoiseMode.IMB,
                0.3,
                null,
                320,
                299,
                epochs,
                16,
                32,
                2,
                true,
                ssl,
                SgdOptions.cifar(),
                selection,
                128,
                300,
                2,
                seed);
    }

    @BeforeAll
    static void load() throws Exception {
        assumeTrue(FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR), FashionMnist.INSTALL_HINT);
        data = OfflineData.load(config(3, 5));
    }

    @Test
    void runsWarmUpThenSelectionAndSslAndResumesExactly(@TempDir Path dir) throws Exception {
        assertThat(data.train().size()).isBetween(150, 260);
        List<EpochReport> full;
        List<byte[]> fullParams;
        try (SfaOfflineTrainer t =
                SfaOfflineTrainer.start(
                        config(3, 5),
                        data,
                        new LocalDirectoryModelStore(dir.resolve("a")),
                        2,
                        false,
                        Device.cpu(),
                        null)) {
            full = t.run();
            fullParams = t.parameterBytes();
        }
        assertThat(full).extracting(EpochReport::phase).containsExactly("warmup", "sfa", "sfa");
        EpochReport last = full.get(2);
        for (EpochReport.NetEpoch n : last.nets()) {
            assertThat(n.steps()).isPositive();
            assertThat(n.selected()).isBetween(1, data.train().size());
            assertThat(n.selection()).isNotNull();
            assertThat(n.selection().auroc()).isBetween(0.0, 1.0);
            assertThat(n.losses().get("lx")).isFinite();
            assertThat(n.lambdaU()).isGreaterThan(0.0);
        }
        assertThat(last.testImages()).isEqualTo(300);
        assertThat(last.testAccuracy()).isGreaterThan(0.1);
        assertThat(last.perClassAccuracy()).hasSize(10);

        Path b = dir.resolve("b");
        try (SfaOfflineTrainer t =
                SfaOfflineTrainer.start(
                        config(2, 5),
                        data,
                        new LocalDirectoryModelStore(b),
                        2,
                        false,
                        Device.cpu(),
                        null)) {
            t.run();
        }
        try (SfaOfflineTrainer t =
                SfaOfflineTrainer.start(
                        config(3, 5),
                        data,
                        new LocalDirectoryModelStore(b),
                        2,
                        true,
                        Device.cpu(),
                        null)) {
            assertThat(t.completedEpochs()).isEqualTo(2);
            List<EpochReport> rest = t.run();
            assertThat(rest).hasSize(1);
            // everything but the times (epoch, phase, lr, then 4 columns of seconds)
            assertThat(EpochCsv.row(rest.get(0)).subList(7, 43))
                    .isEqualTo(EpochCsv.row(last).subList(7, 43));
            assertThat(t.parameterBytes()).containsExactlyElementsOf(fullParams);
        }
        // Retention: two epochs kept per network.
        assertThat(new LocalDirectoryModelStore(b).list("net1")).hasSize(2);
    }

    @Test
    void oneNetworkSelectsForItself() throws Exception {
        OfflineConfig c = config(2, 5);
        OfflineConfig single =
                new OfflineConfig(
                        c.dataset(),
                        c.dataPath(),
                        c.architecture(),
                        c.imbType(),
                        c.imbFactor(),
                        c.maxPerClass(),
                        c.noiseMode(),
                        c.noiseRatio(),
                        null,
                        320,
                        299,
                        2,
                        c.batchSize(),
                        c.warmUpBatchSize(),
                        1,
                        true,
                        c.ssl(),
                        c.sgd(),
                        c.selection(),
                        c.evalBatchSize(),
                        c.testLimit(),
                        c.dataThreads(),
                        c.seed());
        try (SfaOfflineTrainer t =
                SfaOfflineTrainer.start(single, data, null, 1, false, Device.cpu(), null)) {
            EpochReport sfa = t.run().get(1);
            assertThat(sfa.nets()).hasSize(1);
            assertThat(sfa.nets().get(0).steps()).isPositive();
            assertThat(sfa.nets().get(0).selection().auroc()).isBetween(0.0, 1.0);
            assertThat(EpochCsv.row(sfa)).hasSize(EpochCsv.header(1, 10).size());
        }
    }

    @Test
    void resumingWithOtherSettingsIsRefused(@TempDir Path dir) throws Exception {
        LocalDirectoryModelStore store = new LocalDirectoryModelStore(dir);
        try (SfaOfflineTrainer t =
                SfaOfflineTrainer.start(config(1, 5), data, store, 1, false, Device.cpu(), null)) {
            t.run();
        }
        OfflineConfig other = config(2, 6);
        assertThatThrownBy(
                        () ->
                                SfaOfflineTrainer.start(
                                        other, data, store, 1, true, Device.cpu(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other settings");
    }

    @Test
    void unreadableImagesAreReportedAndSkipped() throws Exception {
        Set<Integer> broken = Set.of(0, 7, 100);
        LabelledImages flaky =
                new LabelledImages() {
                    private final LabelledImages d = data.train();

                    @Override
                    public String name() {
                        return "flaky";
                    }

                    @Override
                    public int size() {
                        return d.size();
                    }

                    @Override
                    public int numClasses() {
                        return d.numClasses();
                    }

                    @Override
                    public int pixelsPerImage() {
                        return d.pixelsPerImage();
                    }

                    @Override
                    public int label(int i) {
                        return d.label(i);
                    }

                    @Override
                    public int trueLabel(int i) {
                        return d.trueLabel(i);
                    }

                    @Override
                    public void augment(int i, float[] dst, int offset, UniformRandomProvider rng) {
                        check(i);
                        d.augment(i, dst, offset, rng);
                    }

                    @Override
                    public void evaluate(int i, float[] dst, int offset) {
                        check(i);
                        d.evaluate(i, dst, offset);
                    }

                    private void check(int i) {
                        if (broken.contains(i)) {
                            throw new UnavailableImageException(
                                    i, "/data/img" + i + ".jpg", "truncated JPEG", null);
                        }
                    }
                };
        OfflineData withBroken =
                new OfflineData(
                        flaky,
                        data.test(),
                        data.groups(),
                        data.noisyCounts(),
                        data.spec(),
                        List.of(),
                        "flaky");
        try (SfaOfflineTrainer t =
                SfaOfflineTrainer.start(
                        config(2, 5), withBroken, null, 1, false, Device.cpu(), null)) {
            List<EpochReport> reports = t.run();
            assertThat(t.unavailableImages()).containsOnlyKeys(broken);
            assertThat(t.unavailableImages().get(7))
                    .contains("truncated JPEG")
                    .contains("/data/img7.jpg");
            assertThat(reports.get(1).skippedImages()).isEqualTo(3);
            assertThat(reports.get(0).nets().get(0).images()).isEqualTo(data.train().size() - 3);
        }
    }

    @Test
    void csvHasOneRowPerEpochAndTruncatesForAResume(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("epochs.csv");
        try (SfaOfflineTrainer t =
                SfaOfflineTrainer.start(config(2, 5), data, null, 1, false, Device.cpu(), null)) {
            for (EpochReport r : t.run()) {
                EpochCsv.append(csv, r, 2, 10);
            }
        }
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0))
                .startsWith(
                        "epoch,phase,lr,seconds,train_seconds,selection_seconds,test_seconds,"
                                + "net1_steps,net1_ce");
        assertThat(lines.get(0).split(",")).hasSize(EpochCsv.header(2, 10).size());
        assertThat(lines.get(2)).startsWith("2,sfa,0.0200,");
        // a warm-up epoch has no selection pass; an SFA epoch has one, and the phases add up to
        // (nearly all of) the epoch's time
        String[] warm = lines.get(1).split(",");
        String[] sfa = lines.get(2).split(",");
        assertThat(Double.parseDouble(warm[5])).isZero();
        assertThat(Double.parseDouble(sfa[5])).isPositive();
        double phases =
                Double.parseDouble(sfa[4])
                        + Double.parseDouble(sfa[5])
                        + Double.parseDouble(sfa[6]);
        assertThat(phases).isLessThanOrEqualTo(Double.parseDouble(sfa[3]) + 0.15);
        EpochCsv.truncateAfter(csv, 1);
        assertThat(Files.readAllLines(csv))
                .hasSize(2)
                .element(1)
                .asString()
                .startsWith("1,warmup,");
    }
}
