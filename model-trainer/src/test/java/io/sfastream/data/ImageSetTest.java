package io.sfastream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSetTest {
    private static final List<String> ABC = List.of("a", "b", "c");

    private static ImageSet fourImages() {
        byte[][] pixels = {{0, 0}, {1, 1}, {2, 2}, {3, 3}};
        return new ImageSet("t", 2, 1, 1, pixels, new int[] {2, 0, 2, 1}, ABC);
    }

    @Test
    void countsAndSubsetKeepTheGivenOrder() {
        ImageSet set = fourImages();
        assertThat(set.size()).isEqualTo(4);
        assertThat(set.numClasses()).isEqualTo(3);
        assertThat(set.classCounts()).containsExactly(1, 1, 2);

        ImageSet sub = set.subset(new int[] {3, 0, 2});
        assertThat(sub.labels()).containsExactly(1, 2, 2);
        assertThat(sub.pixels()[0]).containsExactly(3, 3);
        assertThat(sub.pixels()[1]).containsExactly(0, 0);
    }

    @Test
    void withLabelsReplacesLabelsOnly() {
        ImageSet relabelled = fourImages().withLabels(new int[] {0, 0, 0, 0});
        assertThat(relabelled.classCounts()).containsExactly(4, 0, 0);
        assertThat(relabelled.pixels()[2]).containsExactly(2, 2);
        assertThatThrownBy(() -> fourImages().withLabels(new int[] {0}))
                .hasMessageContaining("1 new labels for 4 images");
    }

    @Test
    void constructorRejectsInconsistentShapes() {
        assertThatThrownBy(() -> new ImageSet("t", 2, 1, 1, new byte[][] {{0}}, new int[] {0}, ABC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("image 0 has 1 bytes, expected 2");
        assertThatThrownBy(() -> new ImageSet("t", 1, 1, 1, new byte[][] {{0}}, new int[] {3}, ABC))
                .hasMessageContaining("label 3 of image 0 is outside [0, 3)");
        assertThatThrownBy(() -> new ImageSet("t", 1, 1, 1, new byte[][] {{0}}, new int[0], ABC))
                .hasMessageContaining("1 images but 0 labels");
        assertThatThrownBy(() -> fourImages().subset(new int[] {4}))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
