package io.sfastream.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One place for the process-wide DJL settings sfa-stream relies on. Offline mode is on unless the
 * user set it explicitly: without it, engine start-up calls the EC2 metadata address (telemetry)
 * and any missing native library turns into a download attempt instead of a clear error.
 *
 * <p>Device and thread counts come from {@link #configure} when a command or operator calls it
 * before the engine starts, else from {@link DeviceSettings#fromSystemProperties()}. libtorch reads
 * its thread counts once, at engine start, for the whole JVM (every Flink slot of a TaskManager
 * shares them); the start is logged with the values in effect so that runs describe themselves.
 */
public final class DjlRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(DjlRuntime.class);
    private static final String ENGINE_NAME = "PyTorch";

    // All guarded by DjlRuntime.class.
    private static DeviceSettings settings;
    private static Engine engine;
    private static Device device;

    private DjlRuntime() {}

    /**
     * Chooses the device and libtorch's thread counts; call it before anything uses DJL. Thread
     * counts > 0 become the system properties PtEngine reads at start ({@link
     * DeviceSettings#INTRA_OP_PROPERTY}, {@link DeviceSettings#INTER_OP_PROPERTY}); 0 leaves them
     * as they are.
     *
     * <p>Once the engine has started, a call that agrees with what is in effect is a no-op (every
     * operator instance may call it in {@code open()}), and a call that does not throws: the
     * inter-op pool cannot be resized after start, and {@code JniUtils.setNumThreads} would only
     * reach the calling thread and threads that have not yet run a parallel op (measured with DJL
     * 0.36 / libtorch 2.7.1), so threads would silently disagree.
     *
     * @throws IllegalStateException when the engine already runs with other thread counts or
     *     another device
     */
    public static synchronized void configure(DeviceSettings requested) {
        Objects.requireNonNull(requested, "settings");
        if (engine == null) {
            settings = requested;
            if (requested.intraOpThreads() > 0) {
                System.setProperty(
                        DeviceSettings.INTRA_OP_PROPERTY,
                        Integer.toString(requested.intraOpThreads()));
            }
            if (requested.interOpThreads() > 0) {
                System.setProperty(
                        DeviceSettings.INTER_OP_PROPERTY,
                        Integer.toString(requested.interOpThreads()));
            }
            return;
        }
        List<String> conflicts = new ArrayList<>();
        int intra = JniUtils.getNumThreads();
        int inter = JniUtils.getNumInteropThreads();
        if (requested.intraOpThreads() > 0 && requested.intraOpThreads() != intra) {
            conflicts.add(
                    "intra-op threads "
                            + requested.intraOpThreads()
                            + " (in effect: "
                            + intra
                            + ")");
        }
        if (requested.interOpThreads() > 0 && requested.interOpThreads() != inter) {
            conflicts.add(
                    "inter-op threads "
                            + requested.interOpThreads()
                            + " (in effect: "
                            + inter
                            + ")");
        }
        if (!requested.device().equals(settings.device())) {
            Device wanted = requested.resolve(cudaBuild(engine), engine.getGpuCount());
            if (!wanted.equals(device())) {
                conflicts.add(
                        "device "
                                + requested.device()
                                + " (in effect: "
                                + settings.device()
                                + " = "
                                + device()
                                + ")");
            }
        }
        if (!conflicts.isEmpty()) {
            throw new IllegalStateException(
                    "the DJL engine of this JVM has already started; cannot switch to "
                            + String.join(", ", conflicts)
                            + ". Device and thread counts are JVM-wide and fixed at engine"
                            + " start: call DjlRuntime.configure before the first DJL use, give every job on a TaskManager the"
                            + " same settings, or restart the JVM.");
        }
    }

    /** The settings in force: those given to {@link #configure}, else the system properties'. */
    public static synchronized DeviceSettings settings() {
        if (settings == null) {
            settings = DeviceSettings.fromSystemProperties();
        }
        return settings;
    }

    public static synchronized Engine engine() {
        if (engine == null) {
            if (System.getProperty("ai.djl.offline") == null
                    && System.getenv("DJL_OFFLINE") == null) {
                System.setProperty("ai.djl.offline", "true");
            }
            if (System.getenv("OPT_OUT_TRACKING") == null
                    && System.getProperty("OPT_OUT_TRACKING") == null) {
                System.setProperty("OPT_OUT_TRACKING", "true");
            }
            DeviceSettings s = settings();
            Engine started;
            try {
                started = Engine.getEngine(ENGINE_NAME);
            } catch (RuntimeException e) {
                String hint =
                        libtorchHint(
                                nativeJarPresent(),
                                envOrProperty("PYTORCH_LIBRARY_PATH"),
                                envOrProperty("PYTORCH_FLAVOR"),
                                envOrProperty("PYTORCH_VERSION"));
                if (hint != null) {
                    throw new IllegalStateException("the PyTorch engine did not start: " + hint, e);
                }
                throw e;
            }
            engine = started;
            logStart(started, s);
        }
        return engine;
    }

    /**
     * The configured device, resolved against what libtorch reports (starts the engine). Pass it
     * explicitly ({@code Model.newInstance}, {@code newBaseManager(device)}): DJL's own {@code
     * Engine.defaultDevice()}, which {@code NDManager.newBaseManager()} uses, ignores this setting
     * and takes GPU 0 whenever there is one.
     *
     * @throws IllegalStateException when a GPU is requested and none is usable; the message says
     *     what to provide
     */
    public static synchronized Device device() {
        if (device == null) {
            Engine e = engine();
            device = settings.resolve(cudaBuild(e), e.getGpuCount());
        }
        return device;
    }

    /**
     * The configured device ({@link #device()}); with the default setting {@code auto}, a GPU when
     * usable.
     */
    public static Device defaultDevice() {
        return device();
    }

    private static boolean cudaBuild(Engine e) {
        return e.hasCapability("CUDA");
    }

    private static void logStart(Engine e, DeviceSettings s) {
        boolean cuda = cudaBuild(e);
        int gpus = e.getGpuCount();
        String resolved;
        try {
            resolved = s.resolve(cuda, gpus).toString();
        } catch (IllegalStateException unavailable) {
            resolved = "unavailable";
        }
        String libtorch;
        try {
            libtorch = LibUtils.getLibtorchPath();
        } catch (RuntimeException notKnown) {
            libtorch = "?";
        }
        String override = envOrProperty("PYTORCH_LIBRARY_PATH");
        if (override != null && !isUnder(override, libtorch)) {
            LOG.warn(
                    "PYTORCH_LIBRARY_PATH={} holds no libtorch.so, so DJL fell back to the libtorch in {}; build"
                            + " with -Pexternal-libtorch to make this an error",
                    override,
                    libtorch);
        }
        LOG.info(
                "DJL {} engine {} {} started (libtorch in {}, CUDA build: {}, GPUs: {}); device {} -> {};"
                        + " intra-op threads {}, inter-op threads {} (requested: {}, {}); OMP_WAIT_POLICY={}",
                Engine.getDjlVersion(),
                e.getEngineName(),
                e.getVersion(),
                libtorch,
                cuda ? "yes" : "no",
                gpus,
                s.device(),
                resolved,
                JniUtils.getNumThreads(),
                JniUtils.getNumInteropThreads(),
                requested(s.intraOpThreads(), DeviceSettings.INTRA_OP_PROPERTY),
                requested(s.interOpThreads(), DeviceSettings.INTER_OP_PROPERTY),
                Objects.requireNonNullElse(System.getenv("OMP_WAIT_POLICY"), "unset"));
    }

    private static String requested(int threads, String property) {
        if (threads > 0) {
            return Integer.toString(threads);
        }
        String p = System.getProperty(property);
        return p == null ? "default" : property + "=" + p;
    }

    /**
     * Whether DJL took libtorch from {@code override} (DJL accepts folders and libtorch.so files,
     * split by ':').
     */
    static boolean isUnder(String override, String libtorchDir) {
        try {
            Path loaded = Paths.get(libtorchDir).toAbsolutePath().normalize();
            for (String entry : override.split(File.pathSeparator)) {
                Path p = entry.isBlank() ? null : Paths.get(entry).toAbsolutePath().normalize();
                if (p != null && (p.equals(loaded) || loaded.equals(p.getParent()))) {
                    return true;
                }
            }
        } catch (InvalidPathException e) {
            // Not a path DJL could have used either.
        }
        return false;
    }

    /** The resource DJL finds a bundled libtorch by (the pytorch-native-cpu jar). */
    private static boolean nativeJarPresent() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = DjlRuntime.class.getClassLoader();
        }
        return loader.getResource("native/lib/pytorch.properties") != null;
    }

    /** DJL's order: the environment first, then a system property of the same name. */
    private static String envOrProperty(String name) {
        String v = System.getenv(name);
        return v != null ? v : System.getProperty(name);
    }

    /**
     * What to tell the user when the engine fails to start in the known offline traps (notes §2,
     * §6.4), or {@code null} when none applies.
     */
    static String libtorchHint(
            boolean nativeJar, String libraryPath, String flavor, String version) {
        String docs = " (README, \"Devices: CPU threads and GPU\")";
        if (version != null && !version.equals("2.7.1")) {
            return "PYTORCH_VERSION="
                    + version
                    + ", but the bundled JNI library (pytorch-jni 2.7.1-0.36.0) fits"
                    + " libtorch 2.7.1 only; any other version makes DJL download one, which offline mode forbids."
                    + " Unset it or set 2.7.1"
                    + docs
                    + ".";
        }
        if (libraryPath != null && flavor == null) {
            return "PYTORCH_LIBRARY_PATH is set but PYTORCH_FLAVOR is not, so DJL looks for a '-precxx11' JNI"
                    + " library that pytorch-jni 2.7.1-0.36.0 does not hold. Set PYTORCH_FLAVOR=cpu or cu128 (the"
                    + " flavours it holds for linux-x86_64) and PYTORCH_VERSION=2.7.1"
                    + docs
                    + ".";
        }
        if (libraryPath != null) {
            return "could not load libtorch from PYTORCH_LIBRARY_PATH="
                    + libraryPath
                    + " with PYTORCH_FLAVOR="
                    + flavor
                    + ". It must be the lib folder of a libtorch 2.7.1 (cxx11 ABI) built for that flavour,"
                    + " holding libtorch.so, libtorch_cpu.so and libc10.so (for cu128 also libtorch_cuda.so and"
                    + " libc10_cuda.so, with the CUDA 12.8 libraries they need) and no unrelated .so files: DJL"
                    + " loads every .so in it"
                    + docs
                    + ".";
        }
        if (!nativeJar) {
            return "no libtorch: the pytorch-native-cpu jar is not on the classpath (a build with"
                    + " -Pexternal-libtorch?) and PYTORCH_LIBRARY_PATH is not set. Build without the profile, or set"
                    + " PYTORCH_LIBRARY_PATH=<torch/lib of libtorch 2.7.1>, PYTORCH_FLAVOR=cpu|cu128 and"
                    + " PYTORCH_VERSION=2.7.1"
                    + docs
                    + ".";
        }
        return null;
    }
}
