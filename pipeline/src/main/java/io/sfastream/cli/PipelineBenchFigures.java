package io.sfastream.cli;

import io.sfastream.data.protocol.LongTailProfile;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The pure parts of {@code sfa bench pipeline} ({@link PipelineBenchCommand}): the long-tailed
 * class counts of a pass, the figures of one run, the Markdown table, and how thread names are
 * grouped in the CPU breakdown. No Kafka, no Flink.
 */
final class PipelineBenchFigures {
    private PipelineBenchFigures() {}

    /**
     * Exponential long-tail counts (the reference's {@code get_img_num_per_cls}, {@link
     * LongTailProfile#exponential}) that add up to exactly {@code total}: the largest head size
     * n_max whose profile fits, then one more sample for each of the first classes until the total
     * is reached (fewer than {@code classes} of them, so the counts stay non-increasing).
     *
     * @throws IllegalArgumentException when {@code total} is too small to give every class at least
     *     one sample at this ρ
     */
    static int[] longTailCounts(int total, int classes, double rho) {
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        if (total < classes) {
            throw new IllegalArgumentException(
                    total + " samples per pass cannot cover " + classes + " classes");
        }
        int lo = 1;
        int hi = total;
        while (lo < hi) {
            int mid = (int) (((long) lo + hi + 1) >>> 1);
            if (LongTailProfile.total(LongTailProfile.exponential(mid, rho, classes)) <= total) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int[] counts = LongTailProfile.exponential(lo, rho, classes);
        int rest = total - LongTailProfile.total(counts);
        for (int k = 0; rest > 0; k = (k + 1) % classes, rest--) {
            counts[k]++;
        }
        if (counts[classes - 1] < 1) {
            throw new IllegalArgumentException(
                    total
                            + " samples per pass leave the tail class empty at ρ = "
                            + rho
                            + " with "
                            + classes
                            + " classes (head "
                            + counts[0]
                            + "); use more samples, fewer epochs or a larger ρ");
        }
        return counts;
    }

    /**
     * When the committed scores were made ({@code NoiseScore.scoredAt}, the scorer's processing
     * time): the span from the first to the last and the longest pause between two consecutive
     * scores (an epoch boundary's wait for the model version shows up here).
     */
    record ScoreTimes(int count, long firstMillis, long lastMillis, long longestPauseMillis) {

        static ScoreTimes of(long[] scoredAtMillis) {
            if (scoredAtMillis.length == 0) {
                return new ScoreTimes(0, 0, 0, 0);
            }
            long[] t = scoredAtMillis.clone();
            Arrays.sort(t);
            long pause = 0;
            for (int i = 1; i < t.length; i++) {
                pause = Math.max(pause, t[i] - t[i - 1]);
            }
            return new ScoreTimes(t.length, t[0], t[t.length - 1], pause);
        }

        double spanSeconds() {
            return (lastMillis - firstMillis) / 1000.0;
        }

        /** (count − 1) scores per span: the rate once the job runs; NaN with no span. */
        double steadyRate() {
            return lastMillis > firstMillis ? (count - 1) / spanSeconds() : Double.NaN;
        }
    }

    /**
     * One run of the job.
     *
     * @param samples records in (= committed scores expected)
     * @param wallSeconds {@code execute()} from submission to the end: MiniCluster start, job
     *     start, the run, the final checkpoint and its commits
     * @param cpuSeconds CPU time of this whole JVM (job, broker, clients, GC, JIT) over that time
     * @param cores the machine's cores (what the broker, Flink and the job all share)
     * @param otherCores the average number of cores other processes kept busy meanwhile (NaN if
     *     unknown): a run with much of it was measured on a shared machine
     */
    record Run(
            int parallelism,
            String guarantee,
            int samples,
            double wallSeconds,
            double cpuSeconds,
            ScoreTimes times,
            int cores,
            double otherCores) {

        double rateInclStartUp() {
            return samples / wallSeconds;
        }

        double steadyPerCore() {
            return times.steadyRate() / cores;
        }

        /**
         * Samples per CPU-second of the JVM during the job (what a core would do if it were busy).
         */
        double perCpuSecond() {
            return cpuSeconds > 0 ? samples / cpuSeconds : Double.NaN;
        }

        /** Average number of busy cores during the job. */
        double busyCores() {
            return cpuSeconds / wallSeconds;
        }
    }

    static void printTable(List<Run> runs, PrintStream out) {
        out.println(
                "| p | guarantee | samples | job wall s (incl. start-up) | samples/s incl. start-up"
                        + " | steady samples/s | steady samples/s per core | samples per CPU-s"
                        + " | busy cores | longest pause s | other processes' cores |");
        out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Run r : runs) {
            out.printf(
                    Locale.ROOT,
                    "| %d | %s | %d | %.1f | %s | %s | %s | %s | %.2f | %.2f | %.2f |%n",
                    r.parallelism(),
                    r.guarantee(),
                    r.samples(),
                    r.wallSeconds(),
                    thousands(r.rateInclStartUp()),
                    thousands(r.times().steadyRate()),
                    thousands(r.steadyPerCore()),
                    thousands(r.perCpuSecond()),
                    r.busyCores(),
                    r.times().longestPauseMillis() / 1000.0,
                    r.otherCores());
        }
    }

    /** 12345.6 → "12.3 k"; NaN → "-". */
    static String thousands(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f k", v / 1000);
    }

    private static final Pattern FLINK_SUBTASK = Pattern.compile(" \\(\\d+/\\d+\\)(#\\d+)?");
    private static final Pattern TRAILING_NUMBER = Pattern.compile("[-_# ]*\\d+$");

    /**
     * The group a thread's CPU time is counted under: its name without what distinguishes one of a
     * kind from another, i.e. Flink's subtask suffix {@code (1/2)#0}, the client id after {@code "
     * | "} and trailing numbers ({@code data-plane-kafka-request-handler-3} → {@code
     * data-plane-kafka-request-handler}).
     */
    static String threadGroup(String threadName) {
        String n = threadName;
        int bar = n.indexOf(" | ");
        if (bar >= 0) {
            n = n.substring(0, bar);
        }
        n = FLINK_SUBTASK.matcher(n).replaceAll("");
        String before;
        do {
            before = n;
            n = TRAILING_NUMBER.matcher(n).replaceAll("");
        } while (!n.equals(before));
        return n.isBlank() ? threadName : n.trim();
    }
}
