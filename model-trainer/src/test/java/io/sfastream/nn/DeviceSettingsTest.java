package io.sfastream.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceSettingsTest {

    @Test
    void devicesAreNormalised() {
        assertThat(new DeviceSettings(" AUTO ", 0, 0).device()).isEqualTo("auto");
        assertThat(new DeviceSettings("Cpu", 1, 1).device()).isEqualTo("cpu");
        assertThat(new DeviceSettings("gpu", 0, 0).device()).isEqualTo("gpu");
        assertThat(new DeviceSettings("GPU:0", 0, 0).device()).isEqualTo("gpu");
        assertThat(new DeviceSettings("gpu:03", 0, 0).device()).isEqualTo("gpu:3");
        assertThat(new DeviceSettings("gpu:0", 2, 1)).isEqualTo(new DeviceSettings("gpu", 2, 1));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "gpu:",
                "gpu:-1",
                "gpu:x",
                "gpu 1",
                "gpu:12345",
                "cuda",
                "cuda:0",
                "tpu",
                "cpu:0"
            })
    void badDevicesAreRejectedWithTheValidForms(String device) {
        assertThatThrownBy(() -> new DeviceSettings(device, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto, cpu, gpu or gpu:N")
                .hasMessageContaining("'" + device + "'");
    }

    @Test
    void nullDeviceIsRejected() {
        assertThatThrownBy(() -> new DeviceSettings(null, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threadCountsMustBeZeroOrPositiveAndSane() {
        assertThatThrownBy(() -> new DeviceSettings("cpu", -1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intraOpThreads");
        assertThatThrownBy(() -> new DeviceSettings("cpu", 0, -2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interOpThreads");
        assertThatThrownBy(() -> new DeviceSettings("cpu", DeviceSettings.MAX_THREADS + 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new DeviceSettings("cpu", DeviceSettings.MAX_THREADS, 1).intraOpThreads())
                .isEqualTo(DeviceSettings.MAX_THREADS);
    }

    @Test
    void propertiesGiveTheSettingsAndDefaultToAuto() {
        assertThat(DeviceSettings.fromProperties(new Properties()))
                .isEqualTo(DeviceSettings.DEFAULTS);
        Properties p = new Properties();
        p.setProperty(DeviceSettings.DEVICE_PROPERTY, "gpu:1");
        p.setProperty("ai.djl.pytorch.num_threads", " 4 ");
        p.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        assertThat(DeviceSettings.fromProperties(p)).isEqualTo(new DeviceSettings("gpu:1", 4, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"two", "1.5", "0", "-1", "99999"})
    void badThreadPropertiesFailInsteadOfBeingIgnored(String value) {
        Properties p = new Properties();
        p.setProperty(DeviceSettings.INTRA_OP_PROPERTY, value);
        assertThatThrownBy(() -> DeviceSettings.fromProperties(p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(DeviceSettings.INTRA_OP_PROPERTY);
    }

    @Test
    void autoTakesAGpuOnlyFromACudaBuildThatSeesOne() {
        DeviceSettings auto = DeviceSettings.DEFAULTS;
        assertThat(auto.resolve(false, 0)).isEqualTo(Device.cpu());
        assertThat(auto.resolve(true, 0)).isEqualTo(Device.cpu());
        assertThat(auto.resolve(true, 2)).isEqualTo(Device.gpu(0));
        assertThat(new DeviceSettings("cpu", 0, 0).resolve(true, 2)).isEqualTo(Device.cpu());
        assertThat(new DeviceSettings("gpu:1", 0, 0).resolve(true, 2)).isEqualTo(Device.gpu(1));
    }

    @Test
    void gpuWithoutACudaLibtorchSaysWhatToProvide() {
        assertThatThrownBy(() -> new DeviceSettings("gpu", 0, 0).resolve(false, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CPU-only")
                .hasMessageContaining("-Pexternal-libtorch")
                .hasMessageContaining("PYTORCH_LIBRARY_PATH")
                .hasMessageContaining("PYTORCH_FLAVOR=cu128");
    }

    @Test
    void gpuMissingFromACudaBuildPointsAtTheDriverOrTheIndex() {
        assertThatThrownBy(() -> new DeviceSettings("gpu", 0, 0).resolve(true, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("driver");
        assertThatThrownBy(() -> new DeviceSettings("gpu:2", 0, 0).resolve(true, 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("finds 2 GPU(s)");
    }
}
