package io.sfastream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sfastream.data.protocol.LongTailProfile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PipelineBenchFiguresTest {

    @Test
    void longTailCountsAddUpExactlyAndStayALongTail() {
        for (int total : new int[] {2_500, 50_000, 100_000, 123_457}) {
            int[] c = PipelineBenchFigures.longTailCounts(total, 100, 0.01);
            assertThat(c).hasSize(100);
            assertThat(LongTailProfile.total(c)).as("total %d", total).isEqualTo(total);
            for (int k = 1; k < c.length; k++) {
                assertThat(c[k]).as("class %d of %d", k, total).isLessThanOrEqualTo(c[k - 1]);
            }
            assertThat(c[99]).isPositive();
        }
        int[] c = PipelineBenchFigures.longTailCounts(50_000, 100, 0.01);
        // within one sample of the reference's profile for that head size
        int[] reference = LongTailProfile.exponential(c[0], 0.01, 100);
        for (int k = 0; k < 100; k++) {
            assertThat(c[k] - reference[k]).isBetween(-1, 1);
        }
        assertThat((double) c[99] / c[0]).isCloseTo(0.01, within(0.002));
    }

    @Test
    void aPassTooSmallForTheTailIsRefusedWithAHint() {
        assertThatThrownBy(() -> PipelineBenchFigures.longTailCounts(99, 100, 0.01))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot cover 100 classes");
        assertThatThrownBy(() -> PipelineBenchFigures.longTailCounts(150, 100, 0.01))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tail class empty");
        assertThat(PipelineBenchFigures.longTailCounts(10, 10, 1.0)).containsOnly(1);
    }

    @Test
    void steadyRateIsFirstToLastScoredAtAndTheLongestPauseIsFound() {
        long[] t = {5_000, 1_000, 2_000, 2_000, 4_500, 3_000};
        var s = PipelineBenchFigures.ScoreTimes.of(t);
        assertThat(s.count()).isEqualTo(6);
        assertThat(s.spanSeconds()).isEqualTo(4.0);
        assertThat(s.steadyRate()).isEqualTo(5 / 4.0);
        assertThat(s.longestPauseMillis()).isEqualTo(1_500);
        assertThat(t[0]).as("input left alone").isEqualTo(5_000);
        assertThat(PipelineBenchFigures.ScoreTimes.of(new long[] {7, 7}).steadyRate()).isNaN();
        assertThat(PipelineBenchFigures.ScoreTimes.of(new long[0]).count()).isZero();
    }

    @Test
    void runFiguresAndTheTable() {
        var times = new PipelineBenchFigures.ScoreTimes(200_001, 10_000, 20_000, 1_200);
        var run =
                new PipelineBenchFigures.Run(
                        2, "exactly-once", 200_000, 25.0, 40.0, times, 2, 0.25);
        assertThat(run.rateInclStartUp()).isEqualTo(8_000.0);
        assertThat(times.steadyRate()).isEqualTo(20_000.0);
        assertThat(run.steadyPerCore()).isEqualTo(10_000.0);
        assertThat(run.perCpuSecond()).isEqualTo(5_000.0);
        assertThat(run.busyCores()).isEqualTo(1.6);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PipelineBenchFigures.printTable(
                List.of(run), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("| p | guarantee | samples |");
        assertThat(lines[1].chars().filter(ch -> ch == '|').count())
                .isEqualTo(lines[0].chars().filter(ch -> ch == '|').count());
        assertThat(lines[2])
                .isEqualTo(
                        "| 2 | exactly-once | 200000 | 25.0 | 8.0 k | 20.0 k | 10.0 k | 5.0 k |"
                                + " 1.60 | 1.20 | 0.25 |");
        assertThat(PipelineBenchFigures.thousands(Double.NaN)).isEqualTo("-");
    }

    @Test
    void threadNamesAreGroupedByKind() {
        assertThat(PipelineBenchFigures.threadGroup("Source: input -> decode-and-validate (2/2)#0"))
                .isEqualTo("Source: input -> decode-and-validate");
        assertThat(PipelineBenchFigures.threadGroup("embed (1/1)#3")).isEqualTo("embed");
        assertThat(
                        PipelineBenchFigures.threadGroup(
                                "kafka-producer-network-thread | producer-bench-p1-scores-0-1"))
                .isEqualTo("kafka-producer-network-thread");
        assertThat(PipelineBenchFigures.threadGroup("data-plane-kafka-request-handler-7"))
                .isEqualTo("data-plane-kafka-request-handler");
        assertThat(PipelineBenchFigures.threadGroup("flink-pekko.actor.default-dispatcher-12"))
                .isEqualTo("flink-pekko.actor.default-dispatcher");
        assertThat(PipelineBenchFigures.threadGroup("pool-3-thread-14")).isEqualTo("pool-3-thread");
        assertThat(PipelineBenchFigures.threadGroup("main")).isEqualTo("main");
        assertThat(PipelineBenchFigures.threadGroup("42")).isEqualTo("42");
    }

    @Test
    void theJvmsOwnThreadsAreFoundByTheirNativeNames() {
        assertThat(ThreadCpuSampler.jvmThreadGroup("GC Thread#1")).isEqualTo("(GC threads)");
        assertThat(ThreadCpuSampler.jvmThreadGroup("G1 Conc#0")).isEqualTo("(GC threads)");
        assertThat(ThreadCpuSampler.jvmThreadGroup("C2 CompilerThre"))
                .isEqualTo("(JIT compiler threads)");
        assertThat(ThreadCpuSampler.jvmThreadGroup("VM Thread")).isEqualTo("(VM thread)");
        assertThat(ThreadCpuSampler.jvmThreadGroup("embed (1/2)#0")).isNull();
        assertThat(ThreadCpuSampler.jvmThreadGroup("main")).isNull();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task")));
        assertThat(ThreadCpuSampler.nativeThreadTicks().keySet())
                .anySatisfy(k -> assertThat(k).contains("CompilerThre"))
                .allSatisfy(k -> assertThat(k).matches("\\d+ .+"));
        assertThat(ThreadCpuSampler.machineBusySeconds()).isPositive();
    }

    @Test
    void theCommandIsThereWithItsDefaultsAndRefusesBadArguments() {
        CommandLine bench = new CommandLine(new SfaCli()).getSubcommands().get("bench");
        assertThat(bench.getSubcommands()).containsKeys("selection", "pipeline");
        PipelineBenchCommand cmd = new PipelineBenchCommand();
        new CommandLine(cmd).parseArgs();
        assertThat(cmd.samples).isEqualTo(200_000);
        assertThat(cmd.dim).isEqualTo(512);
        assertThat(cmd.classes).isEqualTo(100);
        assertThat(cmd.parallelism).containsExactly(1, 2);
        assertThat(cmd.guarantees).containsExactly("exactly-once");
        assertThat(cmd.checkpointInterval).isEqualTo("1 s");

        CliRun run = CliRun.sfa("bench", "pipeline", "--guarantee", "twice");
        assertThat(run.code()).isEqualTo(2);
        CliRun small = CliRun.sfa("bench", "pipeline", "--samples", "10");
        assertThat(small.code()).isEqualTo(2);
    }
}
