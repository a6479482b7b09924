package io.sfastream.pipeline.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sfastream.eval.ShotGroups;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream small enough to check by hand: two classes, two virtual epochs (the first all warm-up),
 * two mislabelled samples (a3 is truly 1, b2 truly 0), flags fixed by the rows.
 */
public class NoiseEvaluationTest {

    static ScoreRow row(
            String id, int label, int truth, int epoch, boolean judged, double noise, float p0) {
        return new ScoreRow(
                id,
                label,
                truth,
                epoch,
                judged,
                noise,
                noise < 0.5,
                p0 >= 0.5f ? 0 : 1,
                Math.max(p0, 1 - p0),
                epoch - 1,
                "sfa",
                new float[] {p0, 1 - p0});
    }

    /** SFA flags a2 (wrongly), a3 and b2 in epoch 2; epoch 1 is warm-up (no verdict). */
    public static List<ScoreRow> handStream() {
        List<ScoreRow> rows = new ArrayList<>();
        String[] ids = {"a0", "a1", "a2", "a3", "b0", "b1", "b2"};
        int[] label = {0, 0, 0, 0, 1, 1, 1};
        int[] truth = {0, 0, 0, 1, 1, 1, 0};
        double[] noise = {0.1, 0.2, 0.7, 0.9, 0.1, 0.3, 0.8};
        float[] p0 = {0.9f, 0.8f, 0.7f, 0.2f, 0.1f, 0.3f, 0.9f};
        for (int i = 0; i < ids.length; i++) {
            rows.add(row(ids[i], label[i], truth[i], 1, false, 0, 0.5f));
        }
        for (int i = 0; i < ids.length; i++) {
            rows.add(row(ids[i], label[i], truth[i], 2, true, noise[i], p0[i]));
        }
        return rows;
    }

    /** Another rule on the same stream: flags a1 and a3, ranks badly. */
    public static List<ScoreRow> handBaseline() {
        List<ScoreRow> rows = new ArrayList<>();
        String[] ids = {"a0", "a1", "a2", "a3", "b0", "b1", "b2"};
        int[] label = {0, 0, 0, 0, 1, 1, 1};
        int[] truth = {0, 0, 0, 1, 1, 1, 0};
        double[] noise = {0.1, 0.8, 0.2, 0.6, 0.4, 0.3, 0.2};
        for (int i = 0; i < ids.length; i++) {
            rows.add(row(ids[i], label[i], truth[i], 2, true, noise[i], 0.5f));
        }
        return rows;
    }

    public static List<ClassStatsRow> handStats() {
        return List.of(
                new ClassStatsRow(0, 0, 2, 4, 3, 2, 2, 0.5, 0.3, false, false, 0.1, 1, 4, 1),
                new ClassStatsRow(1, 0, 2, 3, 2, 2, 2, 1 / 3.0, 0.4, false, false, 0.1, 1, 3, 1),
                // network 1 is not what the report reads
                new ClassStatsRow(0, 1, 2, 4, 3, 2, 2, 0.5, 0.9, false, false, 0.1, 1, 4, 1));
    }

    public static NoiseEvaluation handEvaluation() {
        return NoiseEvaluation.of(
                "SFA",
                handStream(),
                Map.of("centroid baseline", handBaseline()),
                handStats(),
                3,
                2,
                true);
    }

    @Test
    void theFinalVerdictsAreEachSamplesLatestJudgedScore() {
        NoiseEvaluation ev = handEvaluation();
        assertThat(ev.samples()).isEqualTo(7);
        assertThat(ev.mislabelled()).isEqualTo(2);
        assertThat(ev.epochs()).isEqualTo(2);
        assertThat(ev.rules())
                .containsExactly(
                        "SFA",
                        "centroid baseline",
                        DetectionRules.SMALL_LOSS,
                        DetectionRules.CONFIDENT_LEARNING);

        Detection sfa = ev.overall().get("SFA");
        assertThat(sfa.samples()).isEqualTo(7);
        assertThat(sfa.flagged()).isEqualTo(3);
        // both mislabelled (0.9, 0.8) above every clean one (0.1 … 0.7)
        assertThat(sfa.auroc()).isEqualTo(1.0);
        assertThat(sfa.averagePrecision()).isEqualTo(1.0);
        assertThat(sfa.flag().precision()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(sfa.flag().recall()).isEqualTo(1.0);
        assertThat(sfa.flag().f1()).isCloseTo(0.8, within(1e-12));

        Detection base = ev.overall().get("centroid baseline");
        assertThat(base.flagged()).isEqualTo(2); // a1 (0.8), a3 (0.6)
        assertThat(base.flag().precision()).isEqualTo(0.5);
        assertThat(base.flag().recall()).isEqualTo(0.5);
        // positives a3 0.6, b2 0.2 against 0.1, 0.8, 0.2, 0.4, 0.3: 4 + 1.5 of 10 pairs
        assertThat(base.auroc()).isCloseTo(0.55, within(1e-12));
    }

    @Test
    void warmUpIsNoVerdictButTheBaselinesJudgeEveryEpochFromTheProbabilities() {
        NoiseEvaluation ev = handEvaluation();
        assertThat(ev.byEpoch().get("SFA")).containsOnlyKeys(2);
        assertThat(ev.byEpoch().get(DetectionRules.CONFIDENT_LEARNING)).containsOnlyKeys(1, 2);
        // confident learning on epoch 2: t0 = 0.65, t1 = 0.567; a3 (p1 0.8) and b2 (p0 0.9) are the
        // issues
        Detection cl = ev.overall().get(DetectionRules.CONFIDENT_LEARNING);
        assertThat(cl.flagged()).isEqualTo(2);
        assertThat(cl.flag().precision()).isEqualTo(1.0);
        assertThat(cl.flag().recall()).isEqualTo(1.0);
        assertThat(ev.whereTheScorerLoses())
                .anySatisfy(
                        s ->
                                assertThat(s)
                                        .startsWith("confident learning beats SFA on")
                                        .contains("F1 of the flag 1.000 vs 0.800"))
                .noneSatisfy(s -> assertThat(s).startsWith("centroid baseline"));
        assertThat(ev.versionByEpoch()).containsEntry(1, 0L).containsEntry(2, 1L);
    }

    @Test
    void perClassAndPerGroupSplitTheFinalVerdicts() {
        NoiseEvaluation ev = handEvaluation();
        assertThat(ev.classCounts()).containsExactly(4, 3);
        // many above 3, few below 2: class 0 (4) many, class 1 (3) medium
        assertThat(ev.groups().of(0)).isEqualTo(ShotGroups.Group.MANY);
        assertThat(ev.groups().of(1)).isEqualTo(ShotGroups.Group.MEDIUM);
        assertThat(ev.byGroup().get("SFA").get(ShotGroups.Group.MANY).flag().precision())
                .isEqualTo(0.5);
        assertThat(ev.byGroup().get("SFA").get(ShotGroups.Group.FEW).samples()).isZero();

        NoiseEvaluation.ClassNoise c0 = ev.classNoise().get(0);
        assertThat(c0.trueRate()).isEqualTo(0.25);
        assertThat(c0.sfaEstimate()).isEqualTo(0.3);
        assertThat(c0.flaggedRate().get("SFA")).isEqualTo(0.5);
        assertThat(c0.flaggedRate().get("centroid baseline")).isEqualTo(0.5);
        NoiseEvaluation.ClassNoise c1 = ev.classNoise().get(1);
        assertThat(c1.trueRate()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(c1.flaggedRate().get("SFA")).isCloseTo(1 / 3.0, within(1e-12));

        // |0.3 - 1/4| and |0.4 - 1/3| over the two classes of network 0
        assertThat(ev.noiseEstimateByEpoch().get(2).meanAbsoluteError())
                .isCloseTo((0.05 + 0.4 - 1 / 3.0) / 2, within(1e-12));
        // suggested = argmax of the probabilities of each sample's last score
        assertThat(ev.givenVsSuggested()[0]).containsExactly(3, 1);
        assertThat(ev.givenVsSuggested()[1]).containsExactly(1, 2);
    }

    @Test
    void scoresAndClassStatsSurviveTheirCsvFiles(@TempDir Path dir) throws Exception {
        List<ScoreRow> rows = handStream();
        EvaluationCsv.writeScores(dir.resolve("s.csv"), rows);
        List<ScoreRow> back = EvaluationCsv.readScores(dir.resolve("s.csv"));
        assertThat(back).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(back.get(i))
                    .usingRecursiveComparison()
                    .withComparatorForType(Float::compare, Float.class)
                    .isEqualTo(rows.get(i));
        }
        EvaluationCsv.writeClassStats(dir.resolve("c.csv"), handStats());
        assertThat(EvaluationCsv.readClassStats(dir.resolve("c.csv")))
                .containsExactlyElementsOf(handStats());
        NoiseEvaluation again =
                NoiseEvaluation.of(
                        "SFA",
                        back,
                        Map.of("centroid baseline", handBaseline()),
                        EvaluationCsv.readClassStats(dir.resolve("c.csv")),
                        3,
                        2,
                        true);
        assertThat(again.overall()).isEqualTo(handEvaluation().overall());
    }

    @Test
    void aMalformedCsvNamesTheFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.csv");
        java.nio.file.Files.writeString(
                f,
                "id,label,trueLabel,epoch,judged,noiseProbability,clean,predictedLabel,"
                        + "predictedConfidence,modelVersion,scorer\n"
                        + "x,0,1,1,true,0.5,true,,,0,sfa\n"
                        + "y,zero,1,1,true,0.5,true,,,0,sfa\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EvaluationCsv.readScores(f))
                .hasMessageContaining("bad.csv line 3");
        java.nio.file.Files.writeString(f, "id,label\nx,0\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EvaluationCsv.readScores(f))
                .hasMessageContaining("missing columns");
    }
}
