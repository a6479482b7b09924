package io.sfastream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The detection metrics against scikit-learn 1.2.1 on fixed arrays (fixtures written by {@code
 * src/test/resources/eval/make_fixtures.py}).
 */
class DetectionMetricsSklearnTest {

    static Stream<JsonNode> cases() throws Exception {
        try (InputStream in =
                DetectionMetricsSklearnTest.class.getResourceAsStream(
                        "/eval/sklearn_detection.json")) {
            List<JsonNode> out = new ArrayList<>();
            new ObjectMapper().readTree(in).get("cases").forEach(out::add);
            return out.stream();
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    private static boolean[] flags(JsonNode a) {
        boolean[] v = new boolean[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt() == 1;
        }
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesScikitLearn(JsonNode c) {
        double[] scores = doubles(c.get("scores"));
        boolean[] truth = flags(c.get("truth"));
        boolean[] flag = flags(c.get("flag"));

        assertThat(DetectionMetrics.auroc(scores, truth))
                .isCloseTo(c.get("auroc").asDouble(), within(1e-12));
        assertThat(DetectionMetrics.averagePrecision(scores, truth))
                .isCloseTo(c.get("averagePrecision").asDouble(), within(1e-12));

        DetectionMetrics.PrecisionRecall pr = DetectionMetrics.precisionRecall(flag, truth);
        assertThat(pr.precision()).isCloseTo(c.get("precision").asDouble(), within(1e-12));
        assertThat(pr.recall()).isCloseTo(c.get("recall").asDouble(), within(1e-12));
        assertThat(pr.f1()).isCloseTo(c.get("f1").asDouble(), within(1e-12));

        // sklearn 1.2 returns the curve with ascending thresholds and stops where recall first
        // reaches 1; ours runs from the highest threshold down to flagging everything.
        DetectionMetrics.Curve curve = DetectionMetrics.precisionRecallCurve(scores, truth);
        double[] t = doubles(c.get("curveThresholds"));
        double[] p = doubles(c.get("curvePrecision"));
        double[] r = doubles(c.get("curveRecall"));
        assertThat(curve.thresholds().length).isGreaterThanOrEqualTo(t.length);
        for (int i = 0; i < t.length; i++) {
            int k = t.length - 1 - i;
            assertThat(curve.thresholds()[i]).as("threshold %d", i).isEqualTo(t[k]);
            assertThat(curve.precision()[i]).as("precision %d", i).isCloseTo(p[k], within(1e-12));
            assertThat(curve.recall()[i]).as("recall %d", i).isCloseTo(r[k], within(1e-12));
        }
        assertThat(curve.recall()[t.length - 1]).isEqualTo(1.0);
    }
}
