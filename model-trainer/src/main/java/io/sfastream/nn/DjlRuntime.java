package io.sfastream.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * One place for the process-wide DJL settings sfa-stream relies on. Offline mode is on unless the user set
 * it explicitly: without it, engine start-up calls the EC2 metadata address (telemetry) and any missing
 * native library turns into a download attempt instead of a clear error.
 */
public final class DjlRuntime {
    private static volatile boolean configured;

    private DjlRuntime() {}

    public static synchronized Engine engine() {
        if (!configured) {
            if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
                System.setProperty("ai.djl.offline", "true");
            }
            if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
                System.setProperty("OPT_OUT_TRACKING", "true");
            }
            configured = true;
        }
        return Engine.getEngine("PyTorch");
    }

    /** The GPU when the engine sees one, the CPU otherwise. */
    public static Device defaultDevice() {
        Engine engine = engine();
        return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }
}
