package io.sfastream.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

/**
 * Runs in the module's shared test JVM, so it only starts the engine (as any DJL test does) and
 * never changes JVM-wide state: every configure call here is one that must be a no-op or must
 * throw. What needs a fresh engine is in {@link DjlRuntimeFreshJvmTest}.
 */
class DjlRuntimeTest {

    @Test
    void gpuOnAMachineWithoutOneIsAClearError() {
        Engine engine = DjlRuntime.engine();
        assumeTrue(engine.getGpuCount() == 0, "this machine has a GPU");
        assertThatThrownBy(() -> DjlRuntime.configure(new DeviceSettings("gpu", 0, 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("device gpu requested")
                .hasMessageContaining("PYTORCH_LIBRARY_PATH");
        assertThat(DjlRuntime.defaultDevice()).isEqualTo(DjlRuntime.device());
    }

    @Test
    void afterStartAgreeingSettingsAreANoOpAndOthersFail() {
        DjlRuntime.engine();
        DeviceSettings now = DjlRuntime.settings();
        int intra = JniUtils.getNumThreads();
        int inter = JniUtils.getNumInteropThreads();
        assertThatCode(() -> DjlRuntime.configure(new DeviceSettings(now.device(), intra, inter)))
                .doesNotThrowAnyException();
        assertThatCode(() -> DjlRuntime.configure(new DeviceSettings(now.device(), 0, 0)))
                .doesNotThrowAnyException();
        assertThat(DjlRuntime.settings()).isEqualTo(now);

        int otherIntra = intra == DeviceSettings.MAX_THREADS ? intra - 1 : intra + 1;
        assertThatThrownBy(
                        () -> DjlRuntime.configure(new DeviceSettings(now.device(), otherIntra, 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started")
                .hasMessageContaining(
                        "intra-op threads " + otherIntra + " (in effect: " + intra + ")");
        assertThat(JniUtils.getNumThreads()).isEqualTo(intra);
        assertThat(DjlRuntime.settings()).isEqualTo(now);
    }

    @Test
    void cpuAgreesWithAutoOnACpuOnlyEngine() {
        DjlRuntime.engine();
        assumeTrue(
                DjlRuntime.device().equals(Device.cpu()), "the configured device is not the CPU");
        assertThatCode(() -> DjlRuntime.configure(new DeviceSettings("cpu", 0, 0)))
                .doesNotThrowAnyException();
    }

    @Test
    void aPytorchLibraryPathThatDjlPassedOverIsNoticed() {
        assertThat(DjlRuntime.isUnder("/opt/torch/lib", "/opt/torch/lib")).isTrue();
        assertThat(DjlRuntime.isUnder("/opt/torch/lib/", "/opt/torch/lib")).isTrue();
        assertThat(DjlRuntime.isUnder("/opt/torch/lib/libtorch.so", "/opt/torch/lib")).isTrue();
        assertThat(DjlRuntime.isUnder("/nowhere:/opt/torch/lib", "/opt/torch/lib")).isTrue();
        assertThat(
                        DjlRuntime.isUnder(
                                "/opt/empty", "/home/u/.djl.ai/pytorch/2.7.1-cpu-linux-x86_64"))
                .isFalse();
    }

    @Test
    void startFailuresInTheKnownTrapsGetAHint() {
        assertThat(DjlRuntime.libtorchHint(true, null, null, null)).isNull();
        assertThat(DjlRuntime.libtorchHint(true, null, null, "2.7.1")).isNull();
        assertThat(DjlRuntime.libtorchHint(false, null, null, null))
                .contains("-Pexternal-libtorch")
                .contains("PYTORCH_LIBRARY_PATH");
        assertThat(DjlRuntime.libtorchHint(false, "/opt/torch/lib", null, "2.7.1"))
                .contains("PYTORCH_FLAVOR is not");
        assertThat(DjlRuntime.libtorchHint(false, "/opt/torch/lib", "cu128", "2.7.1"))
                .contains("/opt/torch/lib")
                .contains("libtorch 2.7.1");
        assertThat(DjlRuntime.libtorchHint(true, null, null, "2.5.1"))
                .contains("PYTORCH_VERSION=2.5.1");
    }
}
