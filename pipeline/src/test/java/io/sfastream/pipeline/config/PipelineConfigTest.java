package io.sfastream.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfastream.nn.DeviceSettings;
import io.sfastream.sfa.MomentMode;
import io.sfastream.sfa.SfaParams;
import io.sfastream.sfa.TinyClassFallback;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {
    private static PipelineConfig parse(String yaml) throws IOException {
        return PipelineConfig.parse(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @Test
    void sfaDefaultsAreSfaParamsOwnNotCopies() {
        PipelineConfig c = PipelineConfig.defaults();
        SfaParams fromConfig = c.sfaParams();
        SfaParams reference = SfaParams.defaults(c.model().numClasses());
        assertThat(fromConfig.toString()).isEqualTo(reference.toString());
        assertThat(fromConfig.tau()).isEqualTo(0.1); // 1/C
        // τ follows the class count unless it is set
        assertThat(c.with("model.numClasses", 100).sfaParams().tau()).isEqualTo(0.01);
        assertThat(c.with("sfa.tau", 0.05).with("model.numClasses", 100).sfaParams().tau())
                .isEqualTo(0.05);
    }

    @Test
    void aProfileNamesOnlyWhatItChanges() throws IOException {
        PipelineConfig c =
                parse(
                        "kafka:\n  samplesTopic: in\nembed:\n  batchSize: 16\n  maxBatchDelay: 50 ms\n"
                                + "sfa:\n  momentMode: reference-faithful\n  tinyClassFallback: pooled\n"
                                + "epoch:\n  start: 2026-01-01T00:00:00Z\n  length: 2 min\n"
                                + "job:\n  scorer: baseline\n  input: features\nmodel:\n  featureDim: 64\ntrain:\n  enabled: false\n");
        assertThat(c.kafka().samplesTopic()).isEqualTo("in");
        assertThat(c.kafka().scoresTopic()).isEqualTo("noise-scores");
        assertThat(c.embed().batchSize()).isEqualTo(16);
        assertThat(c.embed().maxBatchDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.sfaParams().momentMode()).isEqualTo(MomentMode.REFERENCE_FAITHFUL);
        assertThat(c.sfaParams().tinyClassFallback()).isEqualTo(TinyClassFallback.POOLED);
        assertThat(c.sfaParams().beta()).isEqualTo(0.99);
        assertThat(c.epochClock().start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(c.epochClock().length()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.job().scorer()).isEqualTo(PipelineConfig.Scorer.BASELINE);
        assertThat(c.featureDimension()).isEqualTo(64);
    }

    @Test
    void unknownKeysWrongTypesAndBadValuesAreClearErrorsNamingTheKey() throws IOException {
        assertThatThrownBy(() -> parse("embed:\n  batchsize: 16\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.yaml")
                .hasMessageContaining("unknown setting 'embed.batchsize'")
                .hasMessageContaining("batchSize");
        assertThatThrownBy(() -> parse("scoring:\n  beta: 0.5\n"))
                .hasMessageContaining("unknown setting 'scoring'");
        assertThatThrownBy(() -> parse("job:\n  parallelism: two\n"))
                .hasMessageContaining("job.parallelism");
        assertThatThrownBy(() -> parse("kafka:\n  deliveryGuarantee: maybe\n"))
                .hasMessageContaining("kafka.deliveryGuarantee")
                .hasMessageContaining("[exactly-once, at-least-once]");
        assertThatThrownBy(() -> parse("epoch:\n  length: soon\n"))
                .hasMessageContaining("epoch.length")
                .hasMessageContaining("a duration such as");
        // range errors are all reported at once
        ConfigException e =
                org.assertj.core.api.Assertions.catchThrowableOfType(
                        ConfigException.class,
                        () ->
                                parse(
                                        "sfa:\n  beta: 1.5\nbaseline:\n  cleanBelow: 2\nmodel:\n  networks: 3\n"));
        assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).startsWith("sfa.beta must be in [0, 1)"))
                .anySatisfy(p -> assertThat(p).startsWith("baseline.cleanBelow must be in (0, 1]"))
                .anySatisfy(p -> assertThat(p).startsWith("model.networks must be 1 or 2"));
        assertThatThrownBy(() -> parse("sfa:\n  gmmTol: -1\n"))
                .hasMessageContaining("sfa.gmmTol must be finite and >= 0");
        assertThatThrownBy(() -> parse("model:\n  channels: 3\n"))
                .hasMessageContaining("mean and std need one value per channel (3)");
        assertThatThrownBy(() -> parse("job:\n  input: features\n"))
                .hasMessageContaining("model.featureDim must be 1..65536 with job.input features");
        assertThatThrownBy(() -> parse("job:\n  input: features\nmodel:\n  featureDim: 8\n"))
                .hasMessageContaining("train.enabled needs job.input: images");
        assertThatThrownBy(() -> parse("train:\n  batchSize: 0\n"))
                .hasMessageContaining("train.batch sizes must be >= 1");
        assertThatThrownBy(() -> parse("train:\n  policy: eventually\n"))
                .hasMessageContaining("train.policy");
        assertThatThrownBy(() -> parse("job:\n  role: trainer\n"))
                .hasMessageContaining("job.runId must name the run");
        assertThatThrownBy(
                        () -> parse("job:\n  role: scorer\n  runId: r\ntrain:\n  enabled: false\n"))
                .hasMessageContaining("job.role scorer or trainer needs train.enabled: true");
        assertThat(parse("job:\n  role: scorer\n  runId: r\n").job().role())
                .isEqualTo(PipelineConfig.Role.SCORER);
    }

    @Test
    void aLoadedConfigIsImmutableAndOverridesAreValidated() {
        PipelineConfig c = PipelineConfig.defaults();
        float[] mean = c.model().mean();
        mean[0] = 99f;
        assertThat(c.model().mean()[0]).isNotEqualTo(99f);
        PipelineConfig d = c.with(Map.of("job.parallelism", "4", "kafka.bounded", true));
        assertThat(d.job().parallelism()).isEqualTo(4);
        assertThat(d.kafka().bounded()).isTrue();
        assertThat(c.job().parallelism()).isEqualTo(2);
        assertThatThrownBy(() -> c.with("job.parallelism", 0))
                .hasMessageContaining("job.parallelism must be 1..1024");
        assertThatThrownBy(() -> c.with("job.paralelism", 3))
                .hasMessageContaining("unknown setting 'job.paralelism'");
    }

    @Test
    void theEffectiveProfileRoundTripsThroughYaml() throws IOException {
        PipelineConfig c =
                PipelineConfig.defaults()
                        .with(
                                Map.of(
                                        "sfa.momentMode",
                                        "reference-faithful",
                                        "epoch.length",
                                        "90 s"));
        String yaml = c.toYaml();
        assertThat(yaml).contains("momentMode: reference-faithful").contains("length: 90 s");
        assertThat(parse(yaml)).isEqualTo(c);
    }

    @Test
    void djlBlockIsTypedAndValidated() throws IOException {
        assertThat(PipelineConfig.defaults().djl().toSettings()).isEqualTo(DeviceSettings.DEFAULTS);
        PipelineConfig c = parse("djl:\n  device: cpu\n  intraOpThreads: 1\n");
        assertThat(c.djl().toSettings()).isEqualTo(new DeviceSettings("cpu", 1, 0));
        assertThatThrownBy(() -> parse("djl:\n  device: tpu\n  interOpThreads: -2\n"))
                .hasMessageContaining("djl: ");
    }

    @Test
    void everyShippedProfileLoads() throws IOException {
        Path dir = Path.of(System.getProperty("user.dir")).resolveSibling("config");
        try (var files = Files.list(dir)) {
            var profiles = files.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertThat(profiles).hasSizeGreaterThanOrEqualTo(4);
            for (Path p : profiles) {
                assertThat(PipelineConfig.load(p)).as(p.toString()).isNotNull();
            }
        }
    }
}
