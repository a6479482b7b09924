package io.sfastream.data.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LongTailSubsamplerTest {
    /**
     * A balanced CIFAR-10-like training set: 50,000 labels, class i % 10 (interleaved, as real
     * batches are).
     */
    private static int[] balancedLabels() {
        int[] labels = new int[50_000];
        Arrays.setAll(labels, i -> i % 10);
        return labels;
    }

    @Test
    void keepsExactCountsClassOrderedAndDistinct() {
        int[] labels = balancedLabels();
        int[] counts = LongTailProfile.exponential(5000, 0.01, 10);
        int[] kept = LongTailSubsampler.select(labels, counts, 123);

        assertThat(kept).hasSize(12406).doesNotHaveDuplicates();
        int at = 0;
        for (int k = 0; k < 10; k++) {
            for (int j = 0; j < counts[k]; j++, at++) {
                assertThat(labels[kept[at]]).as("position %d", at).isEqualTo(k);
            }
        }
        // Not simply the first n_k of each class: the within-class order is shuffled.
        int[] tail = Arrays.copyOfRange(kept, 12406 - 50, 12406);
        assertThat(tail)
                .isNotEqualTo(
                        java.util.stream.IntStream.range(0, 50).map(i -> 10 * i + 9).toArray());
        assertThat(Arrays.stream(tail).max().getAsInt()).isGreaterThan(10 * 50 + 9);
    }

    @Test
    void deterministicPerSeed() {
        int[] labels = balancedLabels();
        int[] counts = LongTailProfile.exponential(5000, 0.1, 10);
        assertThat(LongTailSubsampler.select(labels, counts, 5))
                .isEqualTo(LongTailSubsampler.select(labels, counts, 5));
        assertThat(LongTailSubsampler.select(labels, counts, 5))
                .isNotEqualTo(LongTailSubsampler.select(labels, counts, 6));
    }

    @Test
    void failsWhenAClassIsTooSmall() {
        int[] labels = {0, 0, 1, 2, 2};
        assertThatThrownBy(() -> LongTailSubsampler.select(labels, new int[] {2, 2, 1}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("class 1 has 1 samples but 2 were asked for");
        assertThatThrownBy(() -> LongTailSubsampler.select(labels, new int[] {1, 1}, 1))
                .hasMessageContaining("label 2 of sample 3 is outside [0, 2)");
        assertThat(LongTailSubsampler.select(labels, new int[] {0, 1, 2}, 1))
                .satisfiesAnyOf(
                        a -> assertThat(a).containsExactly(2, 3, 4),
                        a -> assertThat(a).containsExactly(2, 4, 3));
    }
}
