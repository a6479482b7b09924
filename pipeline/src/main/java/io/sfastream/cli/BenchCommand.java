package io.sfastream.cli;

import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.sfa.bench.SelectionBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Benchmarks that print figures. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks that print figures.",
        subcommands = {
            BenchCommand.Selection.class,
            PipelineBenchCommand.class,
            TrainingBenchCommand.class
        })
final class BenchCommand {

    @Command(
            name = "selection",
            mixinStandardHelpOptions = true,
            description =
                    "Selection quality on synthetic class-cluster features (no network): SFA intended-ema, "
                            + "reference-faithful and streaming, centroid distance without sampling, and DivideMix's "
                            + "small-loss GMM; prints a Markdown table averaged over seeds.")
    static final class Selection implements Callable<Integer> {
        @Option(
                names = "--profiles",
                split = ",",
                defaultValue = "cifar10,cifar100",
                description =
                        "cifar10 and/or cifar100 long-tail counts at ρ = 0.01 (default: ${DEFAULT-VALUE}).")
        List<String> profiles;

        @Option(
                names = "--dims",
                split = ",",
                defaultValue = "64,512",
                description = "Feature dimensions (default: ${DEFAULT-VALUE}).")
        List<Integer> dims;

        @Option(
                names = "--noise",
                split = ",",
                defaultValue = "0.2,0.5",
                description = "Noise ratios r (default: ${DEFAULT-VALUE}).")
        List<Double> noise;

        @Option(
                names = "--noise-mode",
                defaultValue = "IMB",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        NoiseMode noiseMode;

        @Option(
                names = "--seeds",
                defaultValue = "3",
                description = "Seeds 1..n (default: ${DEFAULT-VALUE}).")
        int seeds;

        @Option(
                names = "--spread",
                defaultValue = "3.0",
                description =
                        "Norm of a sample's deviation from its unit-norm class mean (default: ${DEFAULT-VALUE}).")
        double spread;

        @Option(
                names = "--drift",
                defaultValue = "0.3",
                description = "Per-epoch feature drift norm (default: ${DEFAULT-VALUE}).")
        double drift;

        @Option(
                names = "--epochs",
                defaultValue = "5",
                description = "Selection epochs after warm-up (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Override
        public Integer call() {
            SelectionBenchmark.Settings d = SelectionBenchmark.Settings.defaults();
            SelectionBenchmark bench =
                    new SelectionBenchmark(
                            new SelectionBenchmark.Settings(
                                    spread,
                                    d.offsetNorm(),
                                    drift,
                                    epochs,
                                    d.warmUp(),
                                    d.headEpochs(),
                                    noiseMode));
            List<SelectionBenchmark.Row> rows = new ArrayList<>();
            long t0 = System.nanoTime();
            for (String p : profiles) {
                SelectionBenchmark.Profile profile =
                        switch (p.trim().toLowerCase()) {
                            case "cifar10" -> SelectionBenchmark.CIFAR10_LT;
                            case "cifar100" -> SelectionBenchmark.CIFAR100_LT;
                            default ->
                                    throw new IllegalArgumentException(
                                            "unknown profile '" + p + "' (cifar10, cifar100)");
                        };
                for (int dim : dims) {
                    for (double r : noise) {
                        for (long seed = 1; seed <= seeds; seed++) {
                            rows.addAll(bench.run(profile, dim, r, seed));
                            System.err.printf(
                                    "done: %s d=%d r=%.1f seed=%d (%.0f s)%n",
                                    profile.name(), dim, r, seed, (System.nanoTime() - t0) / 1e9);
                        }
                    }
                }
            }
            System.out.printf(
                    "Synthetic features: spread %.2f, drift %.2f, %d selection epochs after warm-up %d, "
                            + "%s noise, seeds 1..%d; AUROC of the clean probability vs the truly clean; P = precision, "
                            + "R = recall of the clean selection.%n%n",
                    spread, drift, epochs, d.warmUp(), noiseMode, seeds);
            SelectionBenchmark.printTable(rows, System.out);
            return 0;
        }
    }
}
