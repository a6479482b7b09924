package io.sfastream.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.sfastream.nn.Architecture;
import io.sfastream.nn.FeatureExtractor;
import io.sfastream.nn.ModelSpec;
import io.sfastream.nn.SfaModel;
import io.sfastream.sfa.loss.BalancedSoftmax;
import io.sfastream.train.NetTrainer;
import io.sfastream.train.SgdOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Train-step and forward throughput of the DJL networks on CPU, the Java half of {@code bench/}
 * (see {@code bench/README.md}; {@code bench/torch_bench.py} is the PyTorch half, same networks,
 * batch and loss).
 *
 * <ul>
 *   <li>train step = {@link NetTrainer#warmUpStep}: copy the batch into the direct input buffer,
 *       forward in train mode, CE(z1) + Balanced-Softmax CE(z2), backward, SGD (momentum 0.9,
 *       weight decay 5e-4);
 *   <li>forward = {@link FeatureExtractor#embed}: 8-bit pixels normalised into the direct buffer,
 *       eval mode, no autograd, features and both heads' logits copied back to Java.
 * </ul>
 *
 * Prints one line per (network, phase): best and median seconds per iteration over the timed
 * iterations and the corresponding samples/s. Threads: set {@code -Dai.djl.pytorch.num_threads}
 * (and {@code -Dai.djl.pytorch.num_interop_threads}) on the JVM.
 *
 * <p>Usage: {@code TrainStepBench [batch=64] [warmup=3] [timedResNet=15] [timedCnn=50]}
 */
public final class TrainStepBench {
    private TrainStepBench() {}

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int timedResNet = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        int timedCnn = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        Engine engine = io.sfastream.nn.DjlRuntime.engine();
        System.out.printf(
                Locale.ROOT,
                "# DJL %s, engine %s %s, threads=%s interop=%s, batch %d, warm-up %d%n",
                Engine.getDjlVersion(),
                engine.getEngineName(),
                engine.getVersion(),
                System.getProperty("ai.djl.pytorch.num_threads", "default"),
                System.getProperty("ai.djl.pytorch.num_interop_threads", "default"),
                batch,
                warmup);
        run(ModelSpec.cifarPreActResNet18(10, 1), "preact-resnet18", batch, warmup, timedResNet);
        run(
                new ModelSpec(
                        Architecture.SMALL_CNN,
                        28,
                        28,
                        1,
                        10,
                        1,
                        ModelSpec.FASHION_MNIST_MEAN,
                        ModelSpec.FASHION_MNIST_STD),
                "small-cnn",
                batch,
                warmup,
                timedCnn);
    }

    private static void run(ModelSpec spec, String name, int batch, int warmup, int timed) {
        Random r = new Random(1);
        float[][] x = new float[batch][spec.pixelsPerImage()];
        int[] y = new int[batch];
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = (float) r.nextGaussian();
            }
            y[i] = r.nextInt(spec.numClasses());
            byte[] b = new byte[spec.pixelsPerImage()];
            r.nextBytes(b);
            images.add(b);
        }
        int[] counts = new int[spec.numClasses()];
        Arrays.fill(counts, 100);
        counts[0] = 5000;
        BalancedSoftmax n = BalancedSoftmax.fromCounts(counts);
        try (SfaModel model = SfaModel.create(spec, Device.cpu());
                NetTrainer trainer = new NetTrainer(model, SgdOptions.cifar())) {
            double[] train = time(warmup, timed, () -> trainer.warmUpStep(x, y, n));
            FeatureExtractor fx = new FeatureExtractor(model, batch);
            double[] forward = time(warmup, timed, () -> fx.embed(images));
            report(name, "train", batch, timed, train);
            report(name, "forward", batch, timed, forward);
        }
    }

    private static double[] time(int warmup, int timed, Runnable step) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        double[] seconds = new double[timed];
        for (int i = 0; i < timed; i++) {
            long t0 = System.nanoTime();
            step.run();
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds;
    }

    private static void report(String name, String phase, int batch, int timed, double[] sorted) {
        double best = sorted[0];
        double median =
                sorted.length % 2 == 1
                        ? sorted[sorted.length / 2]
                        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        System.out.printf(
                Locale.ROOT,
                "djl %-16s %-8s iters=%d best=%.4fs median=%.4fs -> best %.1f, median %.1f "
                        + "samples/s%n",
                name,
                phase,
                timed,
                best,
                median,
                batch / best,
                batch / median);
    }
}
