package io.sfastream.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cheap CPU profile by thread: samples every live thread's CPU time a few times a second (a
 * daemon thread, {@link ThreadMXBean}) and, at {@link #stop()}, tells how much CPU each group of
 * threads ({@link PipelineBenchFigures#threadGroup}) used since {@link #start()}, plus the JVM's
 * CPU time that no Java thread accounts for (GC and JIT compiler threads). A thread that ends
 * between two samples loses what it used since the last one (at most one period).
 */
final class ThreadCpuSampler {
    private static final long PERIOD_MILLIS = 200;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> baseline = new HashMap<>();
    private final Map<Long, Long> latest = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private Thread sampler;
    private volatile boolean running;
    private long processCpuAtStart;
    private long gcMillisAtStart;
    private long gcCountAtStart;
    private Map<String, Long> nativeAtStart = Map.of();

    static boolean supported() {
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        return t.isThreadCpuTimeSupported();
    }

    /** The CPU time of this JVM process so far, in nanoseconds (-1 if unknown). */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * CPU seconds the whole machine was busy so far (user, nice, system, irq, softirq, steal of
     * {@code /proc/stat}), or NaN where there is no /proc: with {@link #processCpuNanos()} it tells
     * how much other processes took during a run.
     */
    static double machineBusySeconds() {
        try {
            for (String line :
                    java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long busy = 0;
                    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                        busy += Long.parseLong(f[i]);
                    }
                    return busy / (double) CLOCK_TICKS;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return Double.NaN;
    }

    /** USER_HZ of Linux's /proc times; 100 on every common Linux build. */
    private static final int CLOCK_TICKS = 100;

    /**
     * CPU ticks (user + system) of this JVM's own native threads, keyed "tid name", from {@code
     * /proc/self/task}: the GC workers, the JIT compilers and the VM thread. Empty where there is
     * no /proc.
     */
    static Map<String, Long> nativeThreadTicks() {
        Map<String, Long> ticks = new HashMap<>();
        java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
        if (!java.nio.file.Files.isDirectory(tasks)) {
            return ticks;
        }
        try (var dirs = java.nio.file.Files.list(tasks)) {
            for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) dirs::iterator) {
                try {
                    String stat = java.nio.file.Files.readString(t.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close);
                    if (jvmThreadGroup(name) == null) {
                        continue;
                    }
                    String[] f = stat.substring(close + 2).split(" ");
                    // fields 14 and 15 of stat (utime, stime) are 11 and 12 after the name
                    long cpu = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    ticks.put(t.getFileName() + " " + name, cpu);
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return ticks;
        }
        return ticks;
    }

    /**
     * The group of one of HotSpot's own threads by its native name (GC, JIT, VM), or null for
     * anything else (Java threads, which {@link ThreadMXBean} counts).
     */
    static String jvmThreadGroup(String nativeName) {
        if (nativeName.startsWith("GC Thread")
                || nativeName.startsWith("G1 ")
                || nativeName.startsWith("VM Periodic")) {
            return nativeName.startsWith("VM") ? "(VM thread)" : "(GC threads)";
        }
        if (nativeName.contains("CompilerThre")) {
            return "(JIT compiler threads)";
        }
        if (nativeName.equals("VM Thread")) {
            return "(VM thread)";
        }
        return null;
    }

    private static long gcMillis() {
        long t = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    private static long gcCount() {
        long n = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    void start() {
        if (!threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        processCpuAtStart = processCpuNanos();
        nativeAtStart = nativeThreadTicks();
        gcMillisAtStart = gcMillis();
        gcCountAtStart = gcCount();
        synchronized (this) {
            for (long id : threads.getAllThreadIds()) {
                long cpu = threads.getThreadCpuTime(id);
                if (cpu >= 0) {
                    baseline.put(id, cpu);
                }
            }
        }
        running = true;
        sampler =
                new Thread(
                        () -> {
                            while (running) {
                                sample();
                                try {
                                    Thread.sleep(PERIOD_MILLIS);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "sfa-bench-cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private synchronized void sample() {
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] info = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = threads.getThreadCpuTime(ids[i]);
            if (cpu < 0 || info[i] == null) {
                continue;
            }
            latest.put(ids[i], cpu);
            names.putIfAbsent(ids[i], info[i].getThreadName());
        }
    }

    /**
     * Stops sampling; the CPU seconds per thread group since {@link #start()}, largest first, with
     * the JIT compiler threads' time, and the rest of the process CPU time that no Java thread
     * accounts for (GC threads mostly), with the GC pauses.
     */
    Map<String, Double> stop() throws InterruptedException {
        sample();
        running = false;
        sampler.interrupt();
        sampler.join(2000);
        long processCpu = processCpuNanos() - processCpuAtStart;
        Map<String, Double> byGroup = new TreeMap<>();
        double accounted = 0;
        synchronized (this) {
            for (var e : latest.entrySet()) {
                if (e.getKey() == sampler.getId()) {
                    continue;
                }
                double seconds = (e.getValue() - baseline.getOrDefault(e.getKey(), 0L)) / 1e9;
                if (seconds <= 0) {
                    continue;
                }
                accounted += seconds;
                byGroup.merge(
                        PipelineBenchFigures.threadGroup(names.get(e.getKey())),
                        seconds,
                        Double::sum);
            }
        }
        if (processCpu > 0) {
            // the JVM's own threads (GC, JIT compilers, VM thread) are no Java threads: /proc has
            // them
            Map<String, Long> nativeNow = nativeThreadTicks();
            double internal = 0;
            for (var e : nativeNow.entrySet()) {
                double seconds =
                        (e.getValue() - nativeAtStart.getOrDefault(e.getKey(), 0L))
                                / (double) CLOCK_TICKS;
                if (seconds > 0) {
                    String group =
                            jvmThreadGroup(e.getKey().substring(e.getKey().indexOf(' ') + 1));
                    if (group.startsWith("(GC")) {
                        group =
                                String.format(
                                        java.util.Locale.ROOT,
                                        "(GC threads; pauses %.2f s in %d collections)",
                                        (gcMillis() - gcMillisAtStart) / 1000.0,
                                        gcCount() - gcCountAtStart);
                    }
                    byGroup.merge(group, seconds, Double::sum);
                    internal += seconds;
                }
            }
            byGroup.put(
                    "(rest of the process CPU time)",
                    Math.max(0, processCpu / 1e9 - accounted - internal));
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        byGroup.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
