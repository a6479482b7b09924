package io.sfastream.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What happens at engine start can only be seen in a JVM whose engine has not started yet; the
 * module's tests share one JVM, so {@link DjlRuntimeProbe} runs in a child JVM (about 2 s each with
 * a warm libtorch cache).
 */
class DjlRuntimeFreshJvmTest {

    @Test
    void configureBeforeStartSetsTheThreadPropertiesTheEngineApplies() throws Exception {
        // 3 threads: differs from libtorch's default on most machines, so the test cannot pass by
        // accident.
        String out = runProbe(List.of(), "configure", "cpu", "3", "3");
        assertThat(out).contains("property.intra=3", "property.inter=3");
        assertThat(out).contains("effective.intra=3", "effective.inter=3", "device=cpu()");
        assertThat(out).contains("same=ok", "zeros=ok");
        assertThat(out)
                .contains("other.intra=IllegalStateException", "other.inter=IllegalStateException");
        assertThat(out).contains("intra-op threads 3, inter-op threads 3");
    }

    @Test
    void systemPropertiesChooseTheDeviceWithoutConfigure() throws Exception {
        String out =
                runProbe(
                        List.of("-Dsfa.djl.device=gpu", "-Dai.djl.pytorch.num_threads=1"),
                        "properties");
        assertThat(out)
                .contains(
                        "settings=DeviceSettings[device=gpu, intraOpThreads=1, interOpThreads=0]");
        assertThat(out).contains("effective.intra=1");
        if (out.contains("gpus=0")) {
            assertThat(out).contains("device=IllegalStateException: device gpu requested");
            assertThat(out).contains("device gpu -> unavailable");
        }
    }

    private static String runProbe(List<String> jvmArgs, String... args)
            throws IOException, InterruptedException {
        String classpath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                java.toString(),
                                "-Xmx256m",
                                "-XX:MaxDirectMemorySize=64m",
                                "-Dai.djl.offline=true",
                                "-cp",
                                classpath));
        command.addAll(jvmArgs);
        command.add(DjlRuntimeProbe.class.getName());
        command.addAll(List.of(args));
        // DJL_CACHE_DIR, DJL_OFFLINE and OMP_WAIT_POLICY come from surefire's environment.
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("probe finished").isTrue();
        String out = new String(output, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("probe exit status; output:%n%s", out).isZero();
        return out;
    }
}
