package io.sfastream.sfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VectorsTest {
    @Test
    void centresThenNormalises() {
        float[] x = Vectors.centreAndNormalise(new float[] {4, 6}, new float[] {1, 2}); // (3,4)/5
        assertThat(x[0]).isCloseTo(0.6f, within(1e-7f));
        assertThat(x[1]).isCloseTo(0.8f, within(1e-7f));
        assertThat(Vectors.centreAndNormalise(new float[] {1, 2}, new float[] {1, 2}))
                .containsExactly(0f, 0f);
        assertThat(Vectors.squaredDistance(new float[] {1, 1}, new float[] {4, 5})).isEqualTo(25.0);
        assertThat(Vectors.dot(new float[] {1, 2}, new float[] {3, 4})).isEqualTo(11.0);
    }
}
