package io.sfastream.sfa.bench;

import io.sfastream.data.protocol.LongTailProfile;
import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.eval.SelectionReport;
import io.sfastream.eval.ShotGroups;
import io.sfastream.sfa.MomentMode;
import io.sfastream.sfa.SfaBatchSelection;
import io.sfastream.sfa.SfaClassState;
import io.sfastream.sfa.SfaParams;
import io.sfastream.sfa.SfaStreamingScorer;
import io.sfastream.sfa.SfaVerdict;
import io.sfastream.sfa.Vectors;
import io.sfastream.sfa.loss.BalancedSoftmax;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * The synthetic-feature benchmark of sfa-algorithm.md §6.7: selection quality without a network.
 * For each dataset profile, feature dimension, noise rate and seed it builds {@link
 * SyntheticFeatures}, simulates a few selection epochs (the network "moves": each epoch's features
 * are the base features plus a small drift), trains two linear heads on the noisy labels — one with
 * Balanced Softmax, whose softmax confidence stands in for the ABC's in SFA's confident mask, one
 * with plain cross-entropy for DivideMix's small-loss rule — and compares:
 *
 * <ul>
 *   <li>SFA {@code intended-ema} and {@code reference-faithful} (batch face, epochs warm-up+1 ..
 *       warm-up+E),
 *   <li>SFA streaming (intended-ema, epoch by epoch over the same data in a shuffled arrival order;
 *       its decisions use the previous boundary's centroid and GMM),
 *   <li>centroid distance without sampling (intended-ema with no class sampled: the deterministic
 *       μ),
 *   <li>DivideMix's small-loss GMM on the cross-entropy head.
 * </ul>
 *
 * Everything is seeded; the same arguments print the same table.
 */
public final class SelectionBenchmark {
    /** Methods, in table order. */
    public enum Method {
        SFA_INTENDED_EMA("SFA intended-ema"),
        SFA_REFERENCE_FAITHFUL("SFA reference-faithful"),
        SFA_STREAMING("SFA streaming (intended-ema)"),
        CENTROID_NO_SAMPLING("centroid distance, no sampling"),
        DIVIDEMIX_SMALL_LOSS("DivideMix small-loss GMM");

        final String label;

        Method(String label) {
            this.label = label;
        }
    }

    /** A dataset profile: CIFAR-10 or CIFAR-100 counts at an imbalance ratio. */
    public record Profile(String name, int numClasses, int nMax, double rho) {
        int[] counts() {
            return LongTailProfile.exponential(nMax, rho, numClasses);
        }

        ShotGroups groups(int[] givenCounts) {
            return numClasses == 10 ? ShotGroups.cifar10() : ShotGroups.byCount(givenCounts);
        }
    }

    public static final Profile CIFAR10_LT = new Profile("CIFAR-10 ρ=0.01", 10, 5000, 0.01);
    public static final Profile CIFAR100_LT = new Profile("CIFAR-100 ρ=0.01", 100, 500, 0.01);

    /** Knobs of the simulation. */
    public record Settings(
            double spread,
            double offsetNorm,
            double drift,
            int selectionEpochs,
            int warmUp,
            int headEpochs,
            NoiseMode noiseMode) {
        public static Settings defaults() {
            return new Settings(3.0, 2.0, 0.3, 5, 30, 5, NoiseMode.IMB);
        }
    }

    /** One cell of the table: a method on one (profile, d, r, seed). */
    public record Row(
            Profile profile,
            int dim,
            double noiseRatio,
            long seed,
            Method method,
            SelectionReport report) {}

    private final Settings settings;

    public SelectionBenchmark(Settings settings) {
        this.settings = settings;
    }

    public List<Row> run(Profile profile, int dim, double noiseRatio, long seed) {
        SyntheticFeatures data =
                SyntheticFeatures.generate(
                        profile.counts(),
                        dim,
                        settings.spread(),
                        settings.offsetNorm(),
                        noiseRatio,
                        settings.noiseMode(),
                        seed);
        int c = profile.numClasses();
        int[] labels = data.givenLabels();
        boolean[] clean = data.trulyClean();
        ShotGroups groups = profile.groups(data.givenCounts());

        double[] logPrior = BalancedSoftmax.fromCounts(data.givenCounts()).logPrior();
        LinearHead abc =
                LinearHead.train(
                        data.features(),
                        labels,
                        c,
                        logPrior,
                        settings.headEpochs(),
                        64,
                        0.1,
                        seed + 11);
        LinearHead ce =
                LinearHead.train(
                        data.features(),
                        labels,
                        c,
                        null,
                        settings.headEpochs(),
                        64,
                        0.1,
                        seed + 12);

        int first = settings.warmUp() + 1;
        int last = settings.warmUp() + settings.selectionEpochs();
        float[][][] epochFeatures = new float[last + 1][][];
        double[][] epochConfidence = new double[last + 1][];
        for (int e = settings.warmUp(); e <= last; e++) {
            epochFeatures[e] = drifted(data.features(), e, seed);
            epochConfidence[e] = abc.confidence(epochFeatures[e], labels);
        }

        SfaParams base = SfaParams.builder(c).warmUpEpochs(settings.warmUp()).seed(seed).build();
        Map<Method, double[]> prob = new EnumMap<>(Method.class);
        Map<Method, boolean[]> sel = new EnumMap<>(Method.class);
        for (Method m :
                List.of(
                        Method.SFA_INTENDED_EMA,
                        Method.SFA_REFERENCE_FAITHFUL,
                        Method.CENTROID_NO_SAMPLING)) {
            SfaParams.Builder b = base.toBuilder();
            if (m == Method.SFA_REFERENCE_FAITHFUL) {
                b.momentMode(MomentMode.REFERENCE_FAITHFUL);
            }
            if (m == Method.CENTROID_NO_SAMPLING) {
                b.minSampledCount(Integer.MAX_VALUE);
            }
            SfaBatchSelection selection = new SfaBatchSelection(b.build());
            SfaBatchSelection.Result r = null;
            for (int e = first; e <= last; e++) {
                r = selection.select(epochFeatures[e], labels, epochConfidence[e], e);
            }
            prob.put(m, r.cleanProbability());
            sel.put(m, r.clean());
        }

        SfaVerdict[] verdicts = stream(base, epochFeatures, epochConfidence, labels, seed);
        double[] sp = new double[labels.length];
        boolean[] ss = new boolean[labels.length];
        for (int i = 0; i < sp.length; i++) {
            sp[i] = verdicts[i].cleanProbability();
            ss[i] = verdicts[i].clean();
        }
        prob.put(Method.SFA_STREAMING, sp);
        sel.put(Method.SFA_STREAMING, ss);

        double[] small =
                SmallLossSelection.cleanProbability(ce.losses(epochFeatures[last], labels));
        boolean[] smallSel = new boolean[small.length];
        for (int i = 0; i < small.length; i++) {
            smallSel[i] = small[i] > 0.5;
        }
        prob.put(Method.DIVIDEMIX_SMALL_LOSS, small);
        sel.put(Method.DIVIDEMIX_SMALL_LOSS, smallSel);

        List<Row> rows = new ArrayList<>();
        for (Method m : Method.values()) {
            rows.add(
                    new Row(
                            profile,
                            dim,
                            noiseRatio,
                            seed,
                            m,
                            SelectionReport.of(prob.get(m), sel.get(m), clean, labels, groups)));
        }
        return rows;
    }

    /** The streaming face over epochs warm-up .. last; returns the verdicts of the last epoch. */
    private SfaVerdict[] stream(
            SfaParams params,
            float[][][] features,
            double[][] confidence,
            int[] labels,
            long seed) {
        SfaStreamingScorer scorer = new SfaStreamingScorer(params);
        SfaClassState[] states = new SfaClassState[params.numClasses()];
        for (int k = 0; k < states.length; k++) {
            states[k] = scorer.newState(k, 0);
        }
        SfaVerdict[] verdicts = new SfaVerdict[labels.length];
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed + 21);
        int last = features.length - 1;
        for (int e = settings.warmUp(); e <= last; e++) {
            float[] mean = Vectors.mean(features[e]);
            int[] order = PermutationSampler.natural(labels.length);
            PermutationSampler.shuffle(rng, order);
            for (int i : order) {
                verdicts[i] =
                        scorer.observe(
                                states[labels[i]], features[e][i], mean, confidence[e][i], e);
            }
            if (e < last) {
                for (SfaClassState s : states) {
                    scorer.roll(s, e);
                }
            }
        }
        return verdicts;
    }

    private float[][] drifted(float[][] base, int epoch, long seed) {
        UniformRandomProvider rng =
                RandomSource.XO_RO_SHI_RO_128_PP.create(seed * 1_000_003L + epoch);
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        int d = base[0].length;
        double scale = settings.drift() / Math.sqrt(d);
        float[][] out = new float[base.length][d];
        for (int i = 0; i < base.length; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = (float) (base[i][j] + scale * g.sample());
            }
        }
        return out;
    }

    /**
     * Prints one Markdown table, averaged over seeds: AUROC mean ± sd, precision/recall overall and
     * per group.
     */
    public static void printTable(List<Row> rows, PrintStream out) {
        out.println(
                "| data | d | r | method | AUROC | P all | R all | P many | R many | P med | R med | P few | R few |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            groups.computeIfAbsent(
                            r.profile().name()
                                    + "|"
                                    + r.dim()
                                    + "|"
                                    + r.noiseRatio()
                                    + "|"
                                    + r.method(),
                            k -> new ArrayList<>())
                    .add(r);
        }
        for (List<Row> g : groups.values()) {
            Row f = g.get(0);
            double[] auc = g.stream().mapToDouble(r -> r.report().auroc()).toArray();
            out.printf(
                    "| %s | %d | %.1f | %s | %.4f ± %.4f | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    f.profile().name(),
                    f.dim(),
                    f.noiseRatio(),
                    f.method().label,
                    mean(auc),
                    sd(auc),
                    fmt(g, r -> r.report().overall().precision()),
                    fmt(g, r -> r.report().overall().recall()),
                    fmt(g, r -> r.report().byGroup().get(ShotGroups.Group.MANY).precision()),
                    fmt(g, r -> r.report().byGroup().get(ShotGroups.Group.MANY).recall()),
                    fmt(g, r -> r.report().byGroup().get(ShotGroups.Group.MEDIUM).precision()),
                    fmt(g, r -> r.report().byGroup().get(ShotGroups.Group.MEDIUM).recall()),
                    fmt(g, r -> r.report().byGroup().get(ShotGroups.Group.FEW).precision()),
                    fmt(g, r -> r.report().byGroup().get(ShotGroups.Group.FEW).recall()));
        }
    }

    private static String fmt(List<Row> g, java.util.function.ToDoubleFunction<Row> f) {
        return String.format("%.3f", mean(g.stream().mapToDouble(f).toArray()));
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double sd(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
