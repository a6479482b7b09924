package io.sfastream.nn;

import ai.djl.Device;
import java.io.Serializable;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the networks run and how many threads libtorch uses: the one typed form of the {@code
 * --device}, {@code --threads} and {@code --interop-threads} options, the {@code djl:} config block
 * and the system properties below, so that every entry point validates them the same way. Apply it
 * with {@link DjlRuntime#configure} before the engine starts: libtorch fixes its thread pools at
 * start-up, JVM-wide.
 *
 * @param device {@code auto} (a GPU when libtorch is a CUDA build and sees one, else the CPU),
 *     {@code cpu}, {@code gpu} (GPU 0; an error when there is none) or {@code gpu:N}; case and
 *     surrounding blanks are ignored
 * @param intraOpThreads libtorch's intra-op (OpenMP) threads, {@code 0} = leave as is (the {@value
 *     #INTRA_OP_PROPERTY} property if set, else libtorch's default: {@code OMP_NUM_THREADS} or the
 *     core count)
 * @param interOpThreads libtorch's inter-op pool size, {@code 0} = leave as is (the {@value
 *     #INTER_OP_PROPERTY} property if set, else libtorch's default)
 */
public record DeviceSettings(String device, int intraOpThreads, int interOpThreads)
        implements Serializable {

    /**
     * sfa-stream's own property for the device; the thread properties are DJL's, read by PtEngine
     * at start.
     */
    public static final String DEVICE_PROPERTY = "sfa.djl.device";

    public static final String INTRA_OP_PROPERTY = "ai.djl.pytorch.num_threads";
    public static final String INTER_OP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    /** A guard against typos: libtorch would start that many threads per pool. */
    public static final int MAX_THREADS = 1024;

    public static final DeviceSettings DEFAULTS = new DeviceSettings("auto", 0, 0);

    private static final Pattern GPU = Pattern.compile("gpu(?::(\\d{1,4}))?");

    public DeviceSettings {
        device = normaliseDevice(device);
        checkThreads("intraOpThreads", intraOpThreads);
        checkThreads("interOpThreads", interOpThreads);
    }

    /**
     * The settings the JVM was started with: {@value #DEVICE_PROPERTY} (default {@code auto}),
     * {@value #INTRA_OP_PROPERTY} and {@value #INTER_OP_PROPERTY} (default 0). Used when nobody
     * calls {@link DjlRuntime#configure}, so a launcher can choose the device without code changes.
     */
    public static DeviceSettings fromSystemProperties() {
        return fromProperties(System.getProperties());
    }

    /**
     * {@link #fromSystemProperties()} over any property set. Unlike DJL, rejects a thread count
     * that is no number.
     */
    public static DeviceSettings fromProperties(Properties properties) {
        String device = properties.getProperty(DEVICE_PROPERTY, "auto");
        return new DeviceSettings(
                device,
                threads(properties, INTRA_OP_PROPERTY),
                threads(properties, INTER_OP_PROPERTY));
    }

    /**
     * The device this setting means, given what libtorch reports ({@code
     * Engine.hasCapability("CUDA")} and {@code Engine.getGpuCount()}, which is 0 for a CPU build
     * whatever the hardware).
     *
     * @throws IllegalStateException for {@code gpu} / {@code gpu:N} when that GPU is not available,
     *     saying what the user has to provide
     */
    public Device resolve(boolean cudaBuild, int gpuCount) {
        if (device.equals("cpu")) {
            return Device.cpu();
        }
        if (device.equals("auto")) {
            return cudaBuild && gpuCount > 0 ? Device.gpu() : Device.cpu();
        }
        int index = gpuIndex();
        if (!cudaBuild) {
            throw new IllegalStateException(
                    "device "
                            + device
                            + " requested, but the loaded libtorch is a CPU-only"
                            + " build. Maven Central has no CUDA native jar for PyTorch 2.7.1: build with -Pexternal-libtorch"
                            + " and point PYTORCH_LIBRARY_PATH at the lib folder of a libtorch 2.7.1 built for CUDA 12.8, with"
                            + " PYTORCH_FLAVOR=cu128 and PYTORCH_VERSION=2.7.1 (README, \"Devices: CPU threads and GPU\")."
                            + " Or use device auto or cpu.");
        }
        if (gpuCount <= index) {
            throw new IllegalStateException(
                    "device "
                            + device
                            + " requested; libtorch is a CUDA build, but DJL"
                            + " finds "
                            + gpuCount
                            + " GPU(s)"
                            + (gpuCount == 0
                                    ? ": check the NVIDIA driver (it must support CUDA 12.8), CUDA_VISIBLE_DEVICES, and that"
                                            + " libcudart.so is on LD_LIBRARY_PATH (DJL counts GPUs through it, not through"
                                            + " libtorch)."
                                    : "; GPU indices start at 0.")
                            + " Or use device auto or cpu.");
        }
        return Device.gpu(index);
    }

    private int gpuIndex() {
        Matcher m = GPU.matcher(device);
        if (!m.matches()) {
            throw new IllegalStateException("not a GPU setting: " + device);
        }
        return m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
    }

    private static String normaliseDevice(String device) {
        if (device == null) {
            throw new IllegalArgumentException("device is required: auto, cpu, gpu or gpu:N");
        }
        String d = device.strip().toLowerCase(Locale.ROOT);
        if (d.equals("auto") || d.equals("cpu")) {
            return d;
        }
        Matcher m = GPU.matcher(d);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "device must be auto, cpu, gpu or gpu:N (N = 0, 1, ...), got '" + device + "'");
        }
        // gpu and gpu:0 name the same device; one spelling keeps comparisons simple.
        int index = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        return index == 0 ? "gpu" : "gpu:" + index;
    }

    private static void checkThreads(String name, int value) {
        if (value < 0 || value > MAX_THREADS) {
            throw new IllegalArgumentException(
                    name + " must be 0 (leave as is) or 1.." + MAX_THREADS + ", got " + value);
        }
    }

    private static int threads(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            return 0;
        }
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            // DJL's Integer.getInteger would silently ignore it and run with the default.
            throw new IllegalArgumentException(
                    key + " must be a whole number, got '" + value + "'", e);
        }
        if (n < 1 || n > MAX_THREADS) {
            // libtorch rejects 0 and negatives at engine start ("Expected positive number of
            // threads").
            throw new IllegalArgumentException(key + " must be 1.." + MAX_THREADS + ", got " + n);
        }
        return n;
    }
}
