package io.sfastream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {
    private static PipelineConfig parse(String yaml) throws IOException {
        return PipelineConfig.parse(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @Test
    void defaultsAreValidAndFollowThePaper() {
        PipelineConfig c = PipelineConfig.defaults();
        assertThat(c.scoring.beta).isEqualTo(0.99);
        assertThat(c.kafka.deliveryGuarantee).isEqualTo("exactly-once");
        assertThat(c.model.toSpec().numClasses()).isEqualTo(10);
    }

    @Test
    void yamlOverridesOnlyWhatItNames() throws IOException {
        PipelineConfig c = parse("kafka:\n  samplesTopic: in\nembed:\n  batchSize: 16\n");
        assertThat(c.kafka.samplesTopic).isEqualTo("in");
        assertThat(c.kafka.scoresTopic).isEqualTo("noise-scores");
        assertThat(c.embed.batchSize).isEqualTo(16);
    }

    @Test
    void unknownKeysAndBadValuesAreClearErrors() {
        assertThatThrownBy(() -> parse("embed:\n  batchsize: 16\n"))
                .hasMessageContaining("test.yaml")
                .hasMessageContaining("unknown setting 'batchsize'");
        assertThatThrownBy(
                        () -> parse("scoring:\n  beta: 1.5\nkafka:\n  deliveryGuarantee: maybe\n"))
                .hasMessageContaining("scoring.beta must be in (0, 1)")
                .hasMessageContaining(
                        "kafka.deliveryGuarantee must be exactly-once or at-least-once");
        assertThatThrownBy(() -> parse("model:\n  channels: 3\n"))
                .hasMessageContaining("mean and std need one value per channel (3)");
    }

    @Test
    void djlBlockIsTypedAndValidated() throws IOException {
        assertThat(PipelineConfig.defaults().djl.toSettings())
                .isEqualTo(io.sfastream.nn.DeviceSettings.DEFAULTS);
        PipelineConfig c = parse("djl:\n  device: cpu\n  intraOpThreads: 1\n");
        assertThat(c.djl.toSettings()).isEqualTo(new io.sfastream.nn.DeviceSettings("cpu", 1, 0));
        assertThatThrownBy(() -> parse("djl:\n  device: tpu\n  interOpThreads: -2\n"))
                .hasMessageContaining("djl: ");
    }

    @Test
    void everyShippedProfileLoads() throws IOException {
        Path dir = Path.of(System.getProperty("user.dir")).resolveSibling("config");
        try (var files = Files.list(dir)) {
            var profiles = files.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertThat(profiles).isNotEmpty();
            for (Path p : profiles) {
                assertThat(PipelineConfig.load(p)).as(p.toString()).isNotNull();
            }
        }
    }
}
