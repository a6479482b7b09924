package io.sfastream.sfa.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfidentLearningTest {

    // Three classes, worked by hand:
    //   labelled 0: p0 = 0.9, 0.7, 0.2  -> t0 = 0.6
    //   labelled 1: p1 = 0.8, 0.6       -> t1 = 0.7
    //   labelled 2: p2 = 0.5, 0.35      -> t2 = 0.425
    private static final float[][] P = {
        {0.9f, 0.05f, 0.05f}, // label 0: only 0 over its threshold -> clean
        {0.7f, 0.2f, 0.1f}, // label 0: clean
        {0.2f, 0.75f, 0.05f}, // label 0: 1 over t1 -> guessed 1, an issue
        {0.1f, 0.8f, 0.1f}, // label 1: clean
        {0.3f, 0.6f, 0.1f}, // label 1: no class reaches its threshold -> not judged, not flagged
        {0.45f, 0.05f, 0.5f}, // label 2: 2 reaches t2, 0 (0.45) does not reach t0 -> clean
        {0.65f, 0.0f, 0.35f}, // label 2: 0 over t0 -> an issue
    };
    private static final int[] LABELS = {0, 0, 0, 1, 1, 2, 2};

    @Test
    void flagsTheSamplesWhoseConfidentGuessDiffersFromTheirLabel() {
        ConfidentLearning.Result r = ConfidentLearning.find(P, LABELS);
        assertThat(r.thresholds()[0]).isCloseTo(0.6, within(1e-6));
        assertThat(r.thresholds()[1]).isCloseTo(0.7, within(1e-6));
        assertThat(r.thresholds()[2]).isCloseTo(0.425, within(1e-6));
        assertThat(r.guessedLabel()).containsExactly(0, 0, 1, 1, -1, 2, 0);
        assertThat(r.issue()).containsExactly(false, false, true, false, false, false, true);
        assertThat(r.noiseScore()[2]).isCloseTo(0.8, within(1e-6));
    }

    @Test
    void whenSeveralClassesAreConfidentTheMostProbableWins() {
        // labelled 0 twice (t0 = 0.5), labelled 1 twice (t1 = 0.325): rows 0 and 3 have both
        // classes over their thresholds and the more probable one (0) is the guess
        float[][] p = {{0.6f, 0.4f}, {0.4f, 0.6f}, {0.8f, 0.2f}, {0.55f, 0.45f}};
        ConfidentLearning.Result r = ConfidentLearning.find(p, new int[] {0, 0, 1, 1});
        assertThat(r.thresholds()).containsExactly(new double[] {0.5, 0.325}, within(1e-6));
        assertThat(r.guessedLabel()).containsExactly(0, 1, 0, 0);
        assertThat(r.issue()).containsExactly(false, true, true, true);
    }

    @Test
    void aClassNoSampleIsLabelledWithIsNeverTheGuess() {
        float[][] p = {{0.2f, 0.8f}, {0.9f, 0.1f}};
        ConfidentLearning.Result r = ConfidentLearning.find(p, new int[] {0, 0});
        assertThat(r.thresholds()[1]).isNaN();
        assertThat(r.guessedLabel()).containsExactly(-1, 0);
        assertThat(r.issue()).containsExactly(false, false);
    }

    @Test
    void rejectsRaggedInput() {
        assertThatThrownBy(
                        () ->
                                ConfidentLearning.find(
                                        new float[][] {{0.5f, 0.5f}, {1f}}, new int[] {0, 1}))
                .hasMessageContaining("sample 1 has 1 probabilities, expected 2");
        assertThatThrownBy(() -> ConfidentLearning.find(new float[][] {{1f}}, new int[] {3}))
                .hasMessageContaining("label 3");
    }
}
