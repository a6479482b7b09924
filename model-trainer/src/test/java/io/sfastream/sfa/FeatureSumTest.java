package io.sfastream.sfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureSumTest {

    @Test
    void partialSumsMergeToTheBatchFacesMean() {
        Random rnd = new Random(5);
        float[][] rows = new float[101][16];
        for (float[] r : rows) {
            for (int j = 0; j < r.length; j++) {
                r[j] = (float) rnd.nextGaussian();
            }
        }
        FeatureSum a = new FeatureSum(0, 3);
        FeatureSum b = new FeatureSum(0, 3);
        for (int i = 0; i < rows.length; i++) {
            (i % 3 == 0 ? a : b).add(rows[i]);
        }
        FeatureSum total = new FeatureSum(0, 3);
        total.merge(b);
        total.merge(a);
        assertThat(total.count).isEqualTo(101);
        float[] expected = Vectors.mean(rows);
        float[] m = total.mean();
        for (int j = 0; j < m.length; j++) {
            // double sums in another order: equal after the cast to float, or one ulp away
            assertThat(m[j])
                    .isCloseTo(
                            expected[j],
                            org.assertj.core.data.Offset.offset(Math.ulp(expected[j])));
        }
    }

    @Test
    void emptySumsHaveNoMeanAndMismatchesAreErrors() {
        FeatureSum s = new FeatureSum(1, 2);
        assertThat(s.mean()).isNull();
        s.merge(new FeatureSum(1, 2));
        assertThat(s.count).isZero();
        s.add(new float[] {1, 2});
        assertThatThrownBy(() -> s.add(new float[] {1})).hasMessageContaining("dimension 1");
        assertThatThrownBy(() -> s.merge(new FeatureSum(0, 2))).hasMessageContaining("network 0");
        assertThat(s.copy().mean()).containsExactly(1f, 2f);
    }
}
