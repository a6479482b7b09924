package io.sfastream.sfa.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** §6.2 schedule checks plus the reference's exact comparisons. */
class SchedulesTest {

    @ParameterizedTest
    @CsvSource({"31, 1.1672", "50, 1.2832", "100, 1.6467", "150, 2.1130", "200, 2.7115"})
    void confidenceThresholdIsTauTimesPhiToTheEpoch(int epoch, double timesTau) {
        for (int classes : new int[] {10, 100}) {
            ConfidenceThreshold threshold = ConfidenceThreshold.forClasses(classes);
            double tau = 1.0 / classes;
            assertThat(threshold.tau()).isEqualTo(tau);
            // to 4 decimals: |x − value| ≤ 5e-5
            assertThat(threshold.at(epoch) / tau).isCloseTo(timesTau, within(5e-5));
        }
    }

    @Test
    void confidenceThresholdIsStrictAndMatchesCifar10Endpoints() {
        ConfidenceThreshold t = ConfidenceThreshold.forClasses(10);
        assertThat(t.at(31)).isCloseTo(0.11672, within(5e-6));
        assertThat(t.at(200)).isCloseTo(0.27115, within(5e-6));
        assertThat(t.admits(t.at(40), 40)).isFalse();
        assertThat(t.admits(Math.nextUp(t.at(40)), 40)).isTrue();
        // WebVision hard-codes 0.02·1.005^epoch: the same as τ = 1/50.
        assertThat(ConfidenceThreshold.forClasses(50).at(7))
                .isCloseTo(0.02 * Math.pow(1.005, 7), within(1e-15));
    }

    @Test
    void confidenceThresholdOnAStreamUsesReferenceEpochs() {
        ConfidenceThreshold t = ConfidenceThreshold.forClasses(10);
        // virtual epoch 30.0 is the start of reference epoch 31
        assertThat(t.at(ReferenceEpoch.of(30.0))).isEqualTo(t.at(31));
        assertThat(t.at(ReferenceEpoch.of(30.999))).isEqualTo(t.at(31));
        assertThat(t.at(ReferenceEpoch.progress(30.0))).isCloseTo(t.at(31), within(1e-15));
        assertThat(t.at(ReferenceEpoch.progress(30.5))).isBetween(t.at(31), t.at(32));
    }

    @Test
    void unsupervisedWeightAtFirstSslStepIs25Over16() {
        UnsupervisedWeightRamp ramp = UnsupervisedWeightRamp.cifarDefaults();
        // (31 + 0/num_iter − 30)/16 = 1/16 → 25/16
        assertThat(ramp.at(31, 0, 194)).isEqualTo(25.0 / 16.0);
        assertThat(ramp.at(30.0)).isZero();
        assertThat(ramp.at(1, 0, 10)).isZero();
        assertThat(ramp.at(38.0)).isEqualTo(25.0 * 8 / 16);
        assertThat(ramp.at(46.0)).isEqualTo(25.0);
        assertThat(ramp.at(200, 5, 10)).isEqualTo(25.0);
        // mid-epoch: epoch 31, batch 97 of 194 → (1.5)/16
        assertThat(ramp.at(31, 97, 194)).isCloseTo(25.0 * 1.5 / 16, within(1e-12));
        assertThat(ramp.at(ReferenceEpoch.progress(30.0))).isEqualTo(25.0 / 16.0);
        assertThat(UnsupervisedWeightRamp.webVisionDefaults().at(80.0)).isZero();
    }

    @Test
    void referenceNumIterCountsOneExtraStep() {
        assertThat(UnsupervisedWeightRamp.referenceNumIter(640, 64)).isEqualTo(11);
        assertThat(UnsupervisedWeightRamp.referenceNumIter(650, 64)).isEqualTo(11);
        assertThat(UnsupervisedWeightRamp.referenceNumIter(0, 64)).isEqualTo(1);
    }

    @Test
    void learningRateDropsAfterEpoch150OnCifarAndFrom50OnWebVision() {
        LearningRateSchedule cifar = LearningRateSchedule.cifarDefaults();
        assertThat(cifar.at(1)).isEqualTo(0.02);
        assertThat(cifar.at(150)).isEqualTo(0.02);
        assertThat(cifar.at(151)).isCloseTo(0.002, within(1e-18));
        assertThat(cifar.at(151)).isEqualTo(0.02 / 10);
        LearningRateSchedule web = LearningRateSchedule.webVisionDefaults();
        assertThat(web.at(49)).isEqualTo(0.01);
        assertThat(web.at(50)).isEqualTo(0.01 / 10);
        // a stream: virtual epoch 150.0 is reference epoch 151
        assertThat(cifar.at(ReferenceEpoch.of(149.99))).isEqualTo(0.02);
        assertThat(cifar.at(ReferenceEpoch.of(150.0))).isEqualTo(0.02 / 10);
    }

    @Test
    void warmUpIsEpochsOneToThirty() {
        WarmUp w = WarmUp.cifarDefaults();
        assertThat(w.isWarmUp(1)).isTrue();
        assertThat(w.isWarmUp(30)).isTrue();
        assertThat(w.isWarmUp(31)).isFalse();
        assertThat(WarmUp.webVisionDefaults().isWarmUp(1)).isTrue();
        assertThat(WarmUp.webVisionDefaults().isWarmUp(2)).isFalse();
        assertThat(new WarmUp(0).isWarmUp(1)).isFalse();
    }

    @Test
    void hyperparameterDefaultsMatchTheReferenceFlags() {
        SslHyperparameters cifar = SslHyperparameters.cifar();
        assertThat(cifar.alpha()).isEqualTo(4.0);
        assertThat(cifar.temperature()).isEqualTo(0.5);
        assertThat(cifar.weightRamp()).isEqualTo(UnsupervisedWeightRamp.cifarDefaults());
        assertThat(cifar.learningRate()).isEqualTo(LearningRateSchedule.cifarDefaults());
        assertThat(cifar.warmUp()).isEqualTo(WarmUp.cifarDefaults());
        assertThat(cifar.confidenceThreshold(10)).isEqualTo(ConfidenceThreshold.forClasses(10));
        assertThat(cifar.mixUp(1L).alpha()).isEqualTo(4.0);
        SslHyperparameters web = SslHyperparameters.webVision();
        assertThat(web.alpha()).isEqualTo(0.5);
        assertThat(web.lambdaU()).isZero();
        assertThat(web.learningRate()).isEqualTo(LearningRateSchedule.webVisionDefaults());
        assertThat(web.warmUp()).isEqualTo(WarmUp.webVisionDefaults());
    }

    @Test
    void parametersAreValidated() {
        assertThatThrownBy(() -> new ConfidenceThreshold(0.0, 1.005))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfidenceThreshold(0.1, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfidenceThreshold.forClasses(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UnsupervisedWeightRamp(-1, 30, 16))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UnsupervisedWeightRamp(25, -1, 16))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UnsupervisedWeightRamp(25, 30, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LearningRateSchedule(0.0, 151, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LearningRateSchedule(0.02, 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LearningRateSchedule(0.02, 151, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LearningRateSchedule.cifarDefaults().at(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WarmUp(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReferenceEpoch.of(-0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SslHyperparameters(4, 0, 25, 30, 16, 1.005, 0.02, 151, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
