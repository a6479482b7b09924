package io.sfastream.sfa.loss;

/** Shape checks for {@code double[][]} batches (rows × classes). Package-private plumbing. */
final class Batches {

    private Batches() {}

    /** Number of classes of a non-empty batch, taken from its first row. */
    static int classes(double[][] batch) {
        if (batch == null || batch.length == 0) {
            throw new IllegalArgumentException("batch has no rows");
        }
        if (batch[0] == null || batch[0].length == 0) {
            throw new IllegalArgumentException("batch rows have no classes");
        }
        return batch[0].length;
    }

    static void checkRow(double[][] batch, int i, int classes) {
        if (batch[i] == null || batch[i].length != classes) {
            throw new IllegalArgumentException(
                    "row "
                            + i
                            + " has "
                            + (batch[i] == null ? "no" : batch[i].length)
                            + " classes, expected "
                            + classes);
        }
    }

    /** Checks {@code 0 <= from < to <= rows} (a non-empty row range). */
    static void checkRange(double[][] batch, int from, int to) {
        if (from < 0 || to > batch.length || from >= to) {
            throw new IllegalArgumentException(
                    "row range ["
                            + from
                            + ", "
                            + to
                            + ") is empty or outside a batch of "
                            + batch.length);
        }
    }

    /** Checks that two batches have the same rows and classes; returns the class count. */
    static int sameShape(double[][] a, String aName, double[][] b, String bName) {
        int classes = classes(a);
        if (b == null || b.length != a.length) {
            throw new IllegalArgumentException(
                    bName
                            + " has "
                            + (b == null ? 0 : b.length)
                            + " rows, "
                            + aName
                            + " has "
                            + a.length);
        }
        for (int i = 0; i < a.length; i++) {
            checkRow(a, i, classes);
            checkRow(b, i, classes);
        }
        return classes;
    }

    static void checkShift(double[] shift, int classes) {
        if (shift != null && shift.length != classes) {
            throw new IllegalArgumentException(
                    "shift has " + shift.length + " classes, batch has " + classes);
        }
    }
}
