package io.sfastream.sfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Expected values were printed by numpy 1.24.2 (Debian bookworm {@code python3-numpy}), e.g. {@code
 * r = np.random.RandomState(0); r.randint(10), r.uniform(size=3)}.
 */
class NumpyMt19937Test {

    @Test
    void rawOutputsMatchRandomStateZero() {
        // np.random.RandomState(0).randint(0, 2**32, size=5, dtype=np.uint64)
        NumpyMt19937 r = new NumpyMt19937(0);
        long[] expected = {2357136044L, 2546248239L, 3071714933L, 3626093760L, 2588848963L};
        for (long e : expected) {
            assertThat(r.nextUint32()).isEqualTo(e);
        }
    }

    @Test
    void randintThenUniformLikeKMeansPlusPlus() {
        NumpyMt19937 r = new NumpyMt19937(0);
        assertThat(r.randint(10)).isEqualTo(5);
        assertThat(r.uniform(3))
                .containsExactly(0.8442657485810173, 0.8579456176227568, 0.8472517387841254);
    }

    @Test
    void otherSeedsIncludingMaximum() {
        long[] seeds = {1L, 12345L, 4294967295L};
        long[] ints = {235, 4578, 2467};
        double[] u1 = {0.7203244934421581, 0.8901547142593231, 0.11160667175339789};
        double[] u2 = {0.00011437481734488664, 0.13070729511915746, 0.5626933782475836};
        for (int i = 0; i < seeds.length; i++) {
            NumpyMt19937 r = new NumpyMt19937(seeds[i]);
            assertThat(r.randint(5000)).as("seed %d", seeds[i]).isEqualTo(ints[i]);
            assertThat(r.uniform(1)[0]).isEqualTo(u1[i]);
            assertThat(r.randomSample()).isEqualTo(u2[i]);
        }
    }

    @Test
    void boundedIntegersAcrossRanges() {
        // [int(r.randint(h)) for h in [2,3,7,20,50,500,5000,2**31,2**32]] with RandomState(0)
        NumpyMt19937 r = new NumpyMt19937(0);
        long[] highs = {2, 3, 7, 20, 50, 500, 5000, 1L << 31, 1L << 32};
        long[] expected = {0, 1, 0, 3, 3, 359, 1033, 530702035L, 2774094101L};
        for (int i = 0; i < highs.length; i++) {
            assertThat(r.randint(highs[i])).as("high %d", highs[i]).isEqualTo(expected[i]);
        }
    }

    @Test
    void highOfOneConsumesNoDraw() {
        NumpyMt19937 r = new NumpyMt19937(0);
        assertThat(r.randint(1)).isZero();
        assertThat(r.nextUint32()).isEqualTo(2357136044L);
    }

    @Test
    void streamSurvivesStateRegeneration() {
        // RandomState(7).random_sample(1000)[[0, 623, 999]]: crosses several 624-word refills
        NumpyMt19937 r = new NumpyMt19937(7);
        double[] v = r.uniform(1000);
        assertThat(v[0]).isEqualTo(0.07630828937395717);
        assertThat(v[623]).isEqualTo(0.06993906408407957);
        assertThat(v[999]).isEqualTo(0.016448753231374513);
    }

    @Test
    void rejectsSeedsNumpyRejects() {
        assertThatThrownBy(() -> new NumpyMt19937(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NumpyMt19937(1L << 32))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
