package io.sfastream.sfa.loss;

import java.util.Arrays;

/**
 * One MixUp draw: λ ∈ [0.5, 1] and a permutation π of the rows. Row {@code i} of a mixed batch is
 * {@code λ·x_i + (1−λ)·x_{π(i)}}, for inputs and targets alike. Produced by {@link MixUp#next}.
 *
 * <p>The {@code first} argument of the mixing methods mixes only rows {@code [0, first)} while the
 * partners still range over all rows: that is {@code Train_webvision.py}, which permutes all 4B
 * rows but keeps only {@code l * input_a[:2B] + (1 - l) * input_b[:2B]}, so a labelled row can take
 * an unlabelled partner (and its co-guessed target).
 */
public final class MixPlan {

    private final double lambda;
    private final int[] permutation;

    MixPlan(double lambda, int[] permutation) {
        this.lambda = lambda;
        this.permutation = permutation;
    }

    /**
     * Builds a plan from explicit values (tests, replays); checks λ and that π is a permutation.
     */
    public static MixPlan of(double lambda, int[] permutation) {
        if (!(lambda >= 0.0 && lambda <= 1.0)) {
            throw new IllegalArgumentException("lambda must be in [0, 1], was " + lambda);
        }
        if (permutation == null || permutation.length == 0) {
            throw new IllegalArgumentException("permutation is empty");
        }
        boolean[] seen = new boolean[permutation.length];
        for (int p : permutation) {
            if (p < 0 || p >= permutation.length || seen[p]) {
                throw new IllegalArgumentException(
                        "not a permutation: " + Arrays.toString(permutation));
            }
            seen[p] = true;
        }
        return new MixPlan(lambda, permutation.clone());
    }

    public double lambda() {
        return lambda;
    }

    public int rows() {
        return permutation.length;
    }

    /** π(i): the partner row of row {@code i}. */
    public int partner(int i) {
        return permutation[i];
    }

    /** A copy of π. */
    public int[] permutation() {
        return permutation.clone();
    }

    /** Mixes every row of {@code inputs} into a new array. */
    public float[][] mixInputs(float[][] inputs) {
        return mixInputs(inputs, rows(), null);
    }

    /**
     * Mixes rows {@code [0, first)} of {@code inputs} (all {@link #rows()} rows are partners) into
     * {@code out} ({@code first} rows, allocated when {@code null}; must not be {@code inputs}).
     */
    public float[][] mixInputs(float[][] inputs, int first, float[][] out) {
        checkRows(inputs == null ? -1 : inputs.length, first);
        if (out == inputs) {
            throw new IllegalArgumentException(
                    "out must not be inputs: partners are read after rows are written");
        }
        int width = inputs[0].length;
        float[][] dst = out == null ? new float[first][width] : out;
        if (dst.length != first) {
            throw new IllegalArgumentException(
                    "out has " + dst.length + " rows, expected " + first);
        }
        double m = 1.0 - lambda;
        for (int i = 0; i < first; i++) {
            float[] a = inputs[i];
            float[] b = inputs[permutation[i]];
            float[] d = dst[i];
            if (a.length != width || b.length != width || d.length != width) {
                throw new IllegalArgumentException("input rows must all have " + width + " values");
            }
            for (int j = 0; j < width; j++) {
                d[j] = (float) (lambda * a[j] + m * b[j]);
            }
        }
        return dst;
    }

    /** Mixes every row of {@code targets} into a new array. */
    public double[][] mixTargets(double[][] targets) {
        return mixTargets(targets, rows(), null);
    }

    /** As {@link #mixInputs(float[][], int, float[][])}, for the {@code rows × C} targets. */
    public double[][] mixTargets(double[][] targets, int first, double[][] out) {
        checkRows(targets == null ? -1 : targets.length, first);
        if (out == targets) {
            throw new IllegalArgumentException(
                    "out must not be targets: partners are read after rows are written");
        }
        int classes = Batches.classes(targets);
        double[][] dst = out == null ? new double[first][classes] : out;
        if (dst.length != first) {
            throw new IllegalArgumentException(
                    "out has " + dst.length + " rows, expected " + first);
        }
        double m = 1.0 - lambda;
        for (int i = 0; i < first; i++) {
            double[] a = targets[i];
            double[] b = targets[permutation[i]];
            double[] d = dst[i];
            if (a.length != classes || b.length != classes || d.length != classes) {
                throw new IllegalArgumentException(
                        "target rows must all have " + classes + " classes");
            }
            for (int k = 0; k < classes; k++) {
                d[k] = lambda * a[k] + m * b[k];
            }
        }
        return dst;
    }

    private void checkRows(int given, int first) {
        if (given != permutation.length) {
            throw new IllegalArgumentException(
                    "plan is for " + permutation.length + " rows, batch has " + Math.max(given, 0));
        }
        if (first < 1 || first > permutation.length) {
            throw new IllegalArgumentException(
                    "first must be in [1, " + permutation.length + "], was " + first);
        }
    }

    @Override
    public String toString() {
        return "MixPlan[lambda=" + lambda + ", permutation=" + Arrays.toString(permutation) + "]";
    }
}
