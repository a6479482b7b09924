package io.sfastream.sfa.loss;

/**
 * The 2×3 examples the loss tests compute by hand. Logits are logs of small integers so every
 * softmax is a simple fraction:
 *
 * <pre>
 *   row A: z = (0, ln 2, 0)  → exp = (1, 2, 1), sum 4 → softmax = (1/4, 1/2, 1/4)
 *   row B: z = (ln 3, 0, 0)  → exp = (3, 1, 1), sum 5 → softmax = (3/5, 1/5, 1/5)
 * </pre>
 *
 * Targets: {@code tA = (0, 1, 0)}, {@code tB = (1/2, 1/2, 0)}.
 */
final class HandExamples {

    static final double LN2 = Math.log(2.0);
    static final double LN3 = Math.log(3.0);

    static final double[] ROW_A = {0.0, LN2, 0.0};
    static final double[] ROW_B = {LN3, 0.0, 0.0};
    static final double[] T_A = {0.0, 1.0, 0.0};
    static final double[] T_B = {0.5, 0.5, 0.0};

    private HandExamples() {}

    static double[][] logits() {
        return new double[][] {ROW_A.clone(), ROW_B.clone()};
    }

    static double[][] targets() {
        return new double[][] {T_A.clone(), T_B.clone()};
    }
}
