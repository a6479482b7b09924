package io.sfastream.nn;

import ai.djl.pytorch.jni.JniUtils;

/** The child-JVM side of {@link DjlRuntimeFreshJvmTest}: prints {@code key=value} lines. */
public final class DjlRuntimeProbe {
    private DjlRuntimeProbe() {}

    public static void main(String[] args) {
        if (args[0].equals("configure")) {
            DeviceSettings s =
                    new DeviceSettings(
                            args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            DjlRuntime.configure(s);
            print("property.intra", System.getProperty(DeviceSettings.INTRA_OP_PROPERTY));
            print("property.inter", System.getProperty(DeviceSettings.INTER_OP_PROPERTY));
            DjlRuntime.engine();
            print("effective.intra", JniUtils.getNumThreads());
            print("effective.inter", JniUtils.getNumInteropThreads());
            print("device", DjlRuntime.defaultDevice());
            print("same", attempt(() -> DjlRuntime.configure(s)));
            print(
                    "zeros",
                    attempt(() -> DjlRuntime.configure(new DeviceSettings(s.device(), 0, 0))));
            print(
                    "other.intra",
                    attempt(
                            () ->
                                    DjlRuntime.configure(
                                            new DeviceSettings(
                                                    s.device(), s.intraOpThreads() + 1, 0))));
            print(
                    "other.inter",
                    attempt(
                            () ->
                                    DjlRuntime.configure(
                                            new DeviceSettings(
                                                    s.device(), 0, s.interOpThreads() + 1))));
        } else {
            print("settings", DjlRuntime.settings());
            print("gpus", DjlRuntime.engine().getGpuCount());
            print("effective.intra", JniUtils.getNumThreads());
            String device;
            try {
                device = DjlRuntime.defaultDevice().toString();
            } catch (IllegalStateException e) {
                device = "IllegalStateException: " + e.getMessage();
            }
            print("device", device);
        }
    }

    private static String attempt(Runnable r) {
        try {
            r.run();
            return "ok";
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static void print(String key, Object value) {
        System.out.println(key + "=" + value);
    }
}
