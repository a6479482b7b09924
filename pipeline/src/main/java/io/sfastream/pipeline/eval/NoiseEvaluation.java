package io.sfastream.pipeline.eval;

import io.sfastream.eval.DetectionMetrics;
import io.sfastream.eval.ShotGroups;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a run found, in the field's terms: for every rule, detection quality overall, per shot group
 * and per class on the final verdicts (each sample's verdict from the latest epoch the rule judged
 * it in), and per virtual epoch; per class, the true noise rate beside SFA's estimate and each
 * rule's flagged rate; the confusion of given against suggested labels.
 *
 * @param rules in report order, the first is the run's own scorer
 * @param classes number of classes (from the labels and probabilities seen)
 * @param samples distinct sample ids
 * @param mislabelled distinct ids whose given label differs from the true one
 * @param classCounts distinct ids per given label (what the shot groups are cut on)
 * @param givenVsSuggested [given][suggested] counts over each sample's latest score
 * @param versionByEpoch the newest model version among each epoch's scores
 */
public record NoiseEvaluation(
        List<String> rules,
        int classes,
        int samples,
        int mislabelled,
        int epochs,
        int[] classCounts,
        ShotGroups groups,
        Map<String, Detection> overall,
        Map<String, Map<ShotGroups.Group, Detection>> byGroup,
        Map<String, SortedMap<Integer, Detection>> byClass,
        Map<String, SortedMap<Integer, Detection>> byEpoch,
        Map<String, DetectionMetrics.Curve> curves,
        List<ClassNoise> classNoise,
        SortedMap<Integer, EpochNoise> noiseEstimateByEpoch,
        long[][] givenVsSuggested,
        SortedMap<Integer, Long> versionByEpoch,
        Map<String, List<Verdict>> finalVerdicts) {

    /**
     * One class on the final verdicts.
     *
     * @param sfaEstimate SFA's estimated noise rate at the last boundary (network 0), NaN if none
     * @param flaggedRate per rule, the share of the class's final verdicts flagged
     */
    public record ClassNoise(
            int label,
            int samples,
            double trueRate,
            double sfaEstimate,
            Map<String, Double> flaggedRate) {}

    /**
     * SFA's noise-rate estimates of one epoch against the truth of the same epoch (class
     * statistics, network 0).
     *
     * @param meanAbsoluteError over the classes with an estimate
     */
    public record EpochNoise(int epoch, int classesEstimated, double meanAbsoluteError) {}

    /**
     * @param scorer the run's own scorer name (e.g. "SFA")
     * @param scores the run's committed scores
     * @param otherRuns other runs on the same stream (e.g. the centroid baseline), by name
     * @param classStats the run's class statistics (may be empty)
     * @param manyAbove a class is many-shot above this many samples
     * @param fewBelow few-shot below this many
     * @param probabilityBaselines compute small-loss and confident learning from the probabilities
     */
    public static NoiseEvaluation of(
            String scorer,
            List<ScoreRow> scores,
            Map<String, List<ScoreRow>> otherRuns,
            List<ClassStatsRow> classStats,
            int manyAbove,
            int fewBelow,
            boolean probabilityBaselines) {
        Map<String, List<Verdict>> verdicts = new LinkedHashMap<>();
        verdicts.put(scorer, DetectionRules.ofScorer(scores));
        otherRuns.forEach((name, rows) -> verdicts.put(name, DetectionRules.ofScorer(rows)));
        if (probabilityBaselines && scores.stream().anyMatch(ScoreRow::hasProbabilities)) {
            verdicts.put(DetectionRules.SMALL_LOSS, DetectionRules.smallLoss(scores));
            verdicts.put(
                    DetectionRules.CONFIDENT_LEARNING, DetectionRules.confidentLearning(scores));
        }

        Map<String, ScoreRow> latest = latestById(scores);
        int classes =
                Math.max(
                        scores.stream()
                                        .mapToInt(r -> Math.max(r.label(), r.trueLabel()))
                                        .max()
                                        .orElse(-1)
                                + 1,
                        scores.stream().mapToInt(r -> r.probabilities().length).max().orElse(0));
        int[] counts = new int[classes];
        int mislabelled = 0;
        long[][] confusion = new long[classes][classes];
        for (ScoreRow r : latest.values()) {
            counts[r.label()]++;
            mislabelled += r.mislabelled() ? 1 : 0;
            if (r.predictedLabel() >= 0 && r.predictedLabel() < classes) {
                confusion[r.label()][r.predictedLabel()]++;
            }
        }
        ShotGroups groups = ShotGroups.byCount(counts, manyAbove, fewBelow);
        int epochs = scores.stream().mapToInt(ScoreRow::epoch).max().orElse(0);

        Map<String, Detection> overall = new LinkedHashMap<>();
        Map<String, Map<ShotGroups.Group, Detection>> byGroup = new LinkedHashMap<>();
        Map<String, SortedMap<Integer, Detection>> byClass = new LinkedHashMap<>();
        Map<String, SortedMap<Integer, Detection>> byEpoch = new LinkedHashMap<>();
        Map<String, DetectionMetrics.Curve> curves = new LinkedHashMap<>();
        Map<String, List<Verdict>> finals = new LinkedHashMap<>();
        for (var e : verdicts.entrySet()) {
            List<Verdict> fin = finalVerdicts(e.getValue());
            finals.put(e.getKey(), fin);
            overall.put(e.getKey(), Detection.of(fin));
            Map<ShotGroups.Group, Detection> g = new EnumMap<>(ShotGroups.Group.class);
            for (ShotGroups.Group group : ShotGroups.Group.values()) {
                g.put(
                        group,
                        Detection.of(
                                fin.stream()
                                        .filter(v -> groups.of(v.row().label()) == group)
                                        .toList()));
            }
            byGroup.put(e.getKey(), g);
            byClass.put(e.getKey(), grouped(fin, v -> v.row().label()));
            byEpoch.put(e.getKey(), grouped(e.getValue(), v -> v.row().epoch()));
            List<Verdict> known = fin.stream().filter(v -> v.row().hasTruth()).toList();
            double[] s = known.stream().mapToDouble(Verdict::noiseScore).toArray();
            boolean[] noisy = new boolean[known.size()];
            for (int i = 0; i < noisy.length; i++) {
                noisy[i] = known.get(i).row().mislabelled();
            }
            curves.put(e.getKey(), DetectionMetrics.precisionRecallCurve(s, noisy));
        }

        Map<Integer, ClassStatsRow> lastStats = new HashMap<>();
        SortedMap<Integer, List<ClassStatsRow>> statsByEpoch = new TreeMap<>();
        for (ClassStatsRow s : classStats) {
            if (s.network() != 0) {
                continue;
            }
            lastStats.merge(s.label(), s, (a, b) -> a.epoch() >= b.epoch() ? a : b);
            statsByEpoch.computeIfAbsent(s.epoch(), k -> new ArrayList<>()).add(s);
        }
        List<ClassNoise> classNoise = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            Map<String, Double> flagged = new LinkedHashMap<>();
            for (String rule : verdicts.keySet()) {
                Detection d = byClass.get(rule).get(k);
                flagged.put(rule, d == null ? Double.NaN : d.flaggedRate());
            }
            int kk = k;
            long truthN =
                    latest.values().stream().filter(r -> r.label() == kk && r.hasTruth()).count();
            long noisyN =
                    latest.values().stream()
                            .filter(r -> r.label() == kk && r.mislabelled())
                            .count();
            ClassStatsRow st = lastStats.get(k);
            classNoise.add(
                    new ClassNoise(
                            k,
                            counts[k],
                            truthN == 0 ? Double.NaN : (double) noisyN / truthN,
                            st == null ? Double.NaN : st.estimatedNoiseRate(),
                            flagged));
        }
        SortedMap<Integer, EpochNoise> noiseByEpoch = new TreeMap<>();
        for (var e : statsByEpoch.entrySet()) {
            double err = 0;
            int n = 0;
            for (ClassStatsRow s : e.getValue()) {
                if (!Double.isNaN(s.estimatedNoiseRate()) && !Double.isNaN(s.trueNoiseRate())) {
                    err += Math.abs(s.estimatedNoiseRate() - s.trueNoiseRate());
                    n++;
                }
            }
            noiseByEpoch.put(
                    e.getKey(), new EpochNoise(e.getKey(), n, n == 0 ? Double.NaN : err / n));
        }
        return new NoiseEvaluation(
                List.copyOf(verdicts.keySet()),
                classes,
                latest.size(),
                mislabelled,
                epochs,
                counts,
                groups,
                overall,
                byGroup,
                byClass,
                byEpoch,
                curves,
                classNoise,
                noiseByEpoch,
                confusion,
                scores.stream()
                        .collect(
                                Collectors.toMap(
                                        ScoreRow::epoch,
                                        ScoreRow::modelVersion,
                                        Math::max,
                                        TreeMap::new)),
                finals);
    }

    /** Each sample's score from the latest epoch (the latest model version within it). */
    static Map<String, ScoreRow> latestById(List<ScoreRow> rows) {
        Comparator<ScoreRow> order =
                Comparator.comparingInt(ScoreRow::epoch).thenComparingLong(ScoreRow::modelVersion);
        Map<String, ScoreRow> out = new LinkedHashMap<>();
        for (ScoreRow r : rows) {
            out.merge(r.id(), r, (a, b) -> order.compare(a, b) >= 0 ? a : b);
        }
        return out;
    }

    /** Each sample's verdict from the latest epoch the rule judged it in. */
    static List<Verdict> finalVerdicts(List<Verdict> verdicts) {
        Map<String, Verdict> out = new LinkedHashMap<>();
        for (Verdict v : verdicts) {
            out.merge(v.row().id(), v, (a, b) -> a.row().epoch() >= b.row().epoch() ? a : b);
        }
        return List.copyOf(out.values());
    }

    private static SortedMap<Integer, Detection> grouped(
            List<Verdict> verdicts, java.util.function.ToIntFunction<Verdict> key) {
        SortedMap<Integer, Detection> out = new TreeMap<>();
        verdicts.stream()
                .collect(Collectors.groupingBy(key::applyAsInt, TreeMap::new, Collectors.toList()))
                .forEach((k, v) -> out.put(k, Detection.of(v)));
        return out;
    }

    /**
     * The rules that beat the run's own scorer on the final verdicts, with what they beat it on.
     */
    public List<String> whereTheScorerLoses() {
        String own = rules.get(0);
        Detection o = overall.get(own);
        List<String> out = new ArrayList<>();
        for (String rule : rules.subList(1, rules.size())) {
            Detection d = overall.get(rule);
            List<String> on = new ArrayList<>();
            if (d.auroc() > o.auroc()) {
                on.add(
                        String.format(
                                java.util.Locale.ROOT, "AUROC %.4f vs %.4f", d.auroc(), o.auroc()));
            }
            if (d.averagePrecision() > o.averagePrecision()) {
                on.add(
                        String.format(
                                java.util.Locale.ROOT,
                                "AP %.4f vs %.4f",
                                d.averagePrecision(),
                                o.averagePrecision()));
            }
            if (d.flag().f1() > o.flag().f1()) {
                on.add(
                        String.format(
                                java.util.Locale.ROOT,
                                "F1 of the flag %.3f vs %.3f",
                                d.flag().f1(),
                                o.flag().f1()));
            }
            if (!on.isEmpty()) {
                out.add(rule + " beats " + own + " on " + String.join(", ", on));
            }
        }
        return out;
    }
}
