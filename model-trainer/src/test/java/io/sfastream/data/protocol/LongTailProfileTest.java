package io.sfastream.data.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Counts from datasets.md §2 and sfa-algorithm.md §3 (the reference's get_img_num_per_cls). */
class LongTailProfileTest {

    @Test
    void cifar10Rho001() {
        int[] counts = LongTailProfile.exponential(5000, 0.01, 10);
        assertThat(counts).containsExactly(5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50);
        assertThat(LongTailProfile.total(counts)).isEqualTo(12406);
    }

    @Test
    void cifar10Rho01() {
        int[] counts = LongTailProfile.exponential(5000, 0.1, 10);
        assertThat(counts).containsExactly(5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500);
        assertThat(LongTailProfile.total(counts)).isEqualTo(20431);
    }

    @ParameterizedTest
    @CsvSource({
        "10, 0.01, 12406, 50",
        "10, 0.02, 13996, 100",
        "10, 0.05, 17023, 250",
        "10, 0.1, 20431, 500",
        "100, 0.01, 10847, 5",
        "100, 0.02, 12608, 10",
        "100, 0.05, 15907, 25",
        "100, 0.1, 19573, 50",
    })
    void totalsOfAllEightReferenceSettings(int classes, double rho, int total, int tail) {
        int[] counts = LongTailProfile.exponential(50_000 / classes, rho, classes);
        assertThat(counts).hasSize(classes);
        assertThat(counts[0]).isEqualTo(50_000 / classes);
        assertThat(counts[classes - 1]).isEqualTo(tail);
        assertThat(LongTailProfile.total(counts)).isEqualTo(total);
        for (int k = 1; k < classes; k++) {
            assertThat(counts[k]).isLessThanOrEqualTo(counts[k - 1]);
        }
    }

    @Test
    void stepProfile() {
        assertThat(LongTailProfile.step(5000, 0.01, 10))
                .containsExactly(5000, 5000, 5000, 5000, 5000, 50, 50, 50, 50, 50);
        assertThat(LongTailProfile.exponential(5000, 1.0, 4)).containsOnly(5000);
    }

    @Test
    void invalidArgumentsAreExplained() {
        assertThatThrownBy(() -> LongTailProfile.exponential(5000, 100, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rho (imbalance factor) must be in (0, 1], got 100.0")
                .hasMessageContaining("pass 0.01");
        assertThatThrownBy(() -> LongTailProfile.exponential(5000, 0, 10))
                .hasMessageContaining("got 0.0");
        assertThatThrownBy(() -> LongTailProfile.exponential(0, 0.1, 10))
                .hasMessageContaining("nMax");
        assertThatThrownBy(() -> LongTailProfile.exponential(5000, 0.1, 1))
                .hasMessageContaining("at least 2 classes");
        assertThatThrownBy(() -> LongTailProfile.step(5000, 0.1, 9))
                .hasMessageContaining("even number of classes");
    }
}
