package io.sfastream.sfa;

/** The few vector operations the SFA math needs, on float[] features with double accumulation. */
public final class Vectors {
    private Vectors() {}

    public static double dot(float[] a, float[] b) {
        checkSameLength(a, b);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    public static double squaredNorm(float[] a) {
        double s = 0;
        for (float v : a) {
            s += (double) v * v;
        }
        return s;
    }

    public static double squaredDistance(float[] a, float[] b) {
        checkSameLength(a, b);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    /**
     * (f − m)/‖f − m‖₂: the "cl2n" feature of the reference's KNN classifier. A zero vector stays
     * zero (it has no direction; the reference would divide by zero).
     */
    public static float[] centreAndNormalise(float[] f, float[] m) {
        float[] x = new float[f.length];
        if (m == null) {
            System.arraycopy(f, 0, x, 0, f.length);
        } else {
            checkSameLength(f, m);
            for (int i = 0; i < f.length; i++) {
                x[i] = f[i] - m[i];
            }
        }
        double norm = Math.sqrt(squaredNorm(x));
        if (norm > 0) {
            float inv = (float) (1.0 / norm);
            for (int i = 0; i < x.length; i++) {
                x[i] *= inv;
            }
        }
        return x;
    }

    /**
     * The exact column mean of a feature matrix (what the reference centres with), accumulated in
     * double.
     */
    public static float[] mean(float[][] rows) {
        double[] s = new double[rows[0].length];
        for (float[] row : rows) {
            for (int j = 0; j < s.length; j++) {
                s[j] += row[j];
            }
        }
        float[] m = new float[s.length];
        for (int j = 0; j < s.length; j++) {
            m[j] = (float) (s[j] / rows.length);
        }
        return m;
    }

    /** Throws when any value is NaN or infinite, naming what was checked. */
    public static void requireFinite(float[] v, String what) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(
                        what + " has a non-finite value (" + v[i] + ") at index " + i);
            }
        }
    }

    private static void checkSameLength(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "dimension mismatch: " + a.length + " vs " + b.length);
        }
    }
}
