package io.sfastream.sfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class SfaParamsTest {

    @Test
    void defaultsAreTheReferenceCifarFlags() {
        SfaParams p = SfaParams.defaults(10);
        assertThat(p.beta()).isEqualTo(0.99);
        assertThat(p.phi()).isEqualTo(1.005);
        assertThat(p.tau()).isEqualTo(0.1);
        assertThat(p.minSampledCount()).isEqualTo(300);
        assertThat(p.pThreshold()).isEqualTo(0.5);
        assertThat(p.sampleRate()).isEqualTo(1);
        assertThat(p.warmUpEpochs()).isEqualTo(30);
        assertThat(p.firstSelectionEpoch()).isEqualTo(31);
        assertThat(p.momentMode()).isEqualTo(MomentMode.INTENDED_EMA);
        assertThat(p.gmmOptions()).isEqualTo(GaussianMixture1D.Options.defaults());
        assertThat(p.tinyClassFallback()).isEqualTo(TinyClassFallback.TREAT_AS_CLEAN);
        assertThat(p.minScoresForGmm()).isEqualTo(20);
        assertThat(p.reservoirSize()).isEqualTo(4096);
        // tau * phi^31 at the first selection epoch (shared/notes/sfa-algorithm.md §6.2)
        assertThat(p.confidenceThreshold().at(31)).isCloseTo(0.11672, within(1e-5));
    }

    @Test
    void webVisionPreset() {
        SfaParams p = SfaParams.webVision().build();
        assertThat(p.numClasses()).isEqualTo(50);
        assertThat(p.tau()).isEqualTo(0.02);
        assertThat(p.beta()).isEqualTo(0.9);
        assertThat(p.minSampledCount()).isZero();
        assertThat(p.warmUpEpochs()).isEqualTo(1);
    }

    @Test
    void tauFollowsTheClassCountUnlessSet() {
        SfaParams.Builder b = SfaParams.builder(10);
        assertThat(b.numClasses(100).build().tau()).isEqualTo(0.01);
        assertThat(SfaParams.builder(10).tau(0.2).numClasses(100).build().tau()).isEqualTo(0.2);
        assertThat(SfaParams.defaults(4).toBuilder().beta(0.5).build().tau()).isEqualTo(0.25);
    }

    @Test
    void rejectsInvalidSettings() {
        assertThatThrownBy(() -> SfaParams.defaults(0)).hasMessageContaining("numClasses");
        assertThatThrownBy(() -> SfaParams.builder(10).beta(1.0).build())
                .hasMessageContaining("beta");
        assertThatThrownBy(() -> SfaParams.builder(10).pThreshold(1.5).build())
                .hasMessageContaining("pThreshold");
        assertThatThrownBy(() -> SfaParams.builder(10).sampleRate(0).build())
                .hasMessageContaining("sampleRate");
        assertThatThrownBy(() -> SfaParams.builder(10).minScoresForGmm(1).build())
                .hasMessageContaining("minScoresForGmm");
        assertThatThrownBy(() -> SfaParams.builder(10).reservoirSize(10).build())
                .hasMessageContaining("reservoirSize");
        assertThatThrownBy(() -> SfaParams.builder(10).phi(0).build()).hasMessageContaining("phi");
        assertThatThrownBy(() -> SfaParams.builder(10).minSampledCount(-1).build())
                .hasMessageContaining("minSampledCount");
        assertThatThrownBy(() -> SfaParams.builder(10).gmm(1e-3, -1, 100, 0).build())
                .hasMessageContaining("gmmRegCovar must be finite and >= 0");
    }

    @Test
    void momentModeParsesCliNames() {
        assertThat(MomentMode.parse("intended-ema")).isEqualTo(MomentMode.INTENDED_EMA);
        assertThat(MomentMode.parse("REFERENCE_FAITHFUL")).isEqualTo(MomentMode.REFERENCE_FAITHFUL);
        assertThatThrownBy(() -> MomentMode.parse("ema")).hasMessageContaining("intended-ema");
    }

    @Test
    void javaSerializable() throws Exception {
        SfaParams p =
                SfaParams.builder(7).momentMode(MomentMode.REFERENCE_FAITHFUL).seed(99).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject().toString()).isEqualTo(p.toString());
        }
    }
}
