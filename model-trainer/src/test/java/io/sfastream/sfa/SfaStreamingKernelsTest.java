package io.sfastream.sfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The streaming scorer's two implementations of its passes over the feature (scalar loops, and
 * {@code jdk.incubator.vector} when the JVM has the module: surefire starts this module's tests
 * with it) give the same bits, so which one a JVM picks changes nothing but speed; and a JVM
 * without the module picks the scalar loops by itself.
 */
class SfaStreamingKernelsTest {
    private static final int[] DIMS = {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 61, 64, 67, 127, 512, 1031, 2048
    };

    private static boolean vectorModule() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    @Test
    void theVectorKernelsRunWhereTheModuleIsAndTheHardwareHasThem() {
        assumeTrue(vectorModule(), "JVM started without --add-modules jdk.incubator.vector");
        assertThat(SfaStreamingScorer.VECTOR_KERNELS)
                .isEqualTo(SfaStreamingScorer.VectorKernels.usable());
    }

    @Test
    void vectorAndScalarKernelsGiveTheSameBits() {
        assumeTrue(vectorModule(), "JVM started without --add-modules jdk.incubator.vector");
        Random r = new Random(20261203);
        double[] scales = {1e-30, 1e-3, 1, 1e3, 1e15};
        int cases = 0;
        for (int d : DIMS) {
            for (double scale : scales) {
                for (int variant = 0; variant < 4; variant++) {
                    boolean withMean = (variant & 1) != 0;
                    boolean withSum = (variant & 2) != 0;
                    float[] f = values(r, d, scale);
                    float[] m = withMean ? values(r, d, scale) : null;
                    double[] c = new double[d];
                    for (int j = 0; j < d; j++) {
                        c[j] = r.nextGaussian() * (j % 5 == 0 ? 1e-6 : 0.1);
                    }
                    double sq = SfaStreamingScorer.scalarSquaredDistance(f, m);
                    assertThat(bits(SfaStreamingScorer.VectorKernels.squaredDistance(f, m)))
                            .as("‖f − m‖², d = %d, scale %s, mean %s", d, scale, withMean)
                            .isEqualTo(bits(sq));
                    float inv = sq > 0 ? (float) (1.0 / Math.sqrt(sq)) : 1f;
                    double[] scalarSum = withSum ? randomSum(r, d) : null;
                    double[] vectorSum = scalarSum == null ? null : scalarSum.clone();
                    double scalar =
                            SfaStreamingScorer.scalarScoreAndAccumulate(f, m, c, scalarSum, inv);
                    double vector =
                            SfaStreamingScorer.VectorKernels.scoreAndAccumulate(
                                    f, m, c, vectorSum, inv);
                    assertThat(bits(vector))
                            .as("score, d = %d, scale %s, variant %d", d, scale, variant)
                            .isEqualTo(bits(scalar));
                    if (withSum) {
                        assertThat(bits(vectorSum)).containsExactly(bits(scalarSum));
                    }

                    double[] a = randomSum(r, d);
                    double[] b = a.clone();
                    SfaStreamingScorer.scalarAccumulate(f, m, a, inv);
                    SfaStreamingScorer.VectorKernels.accumulate(f, m, b, inv);
                    assertThat(bits(b)).containsExactly(bits(a));
                    cases++;
                }
            }
        }
        assertThat(cases).isEqualTo(DIMS.length * scales.length * 4);
    }

    @Test
    void nonFiniteFeaturesGiveTheSameNonFiniteNormInBoth() {
        assumeTrue(vectorModule(), "JVM started without --add-modules jdk.incubator.vector");
        for (float bad :
                new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int at : new int[] {0, 5, 10}) {
                float[] f = new float[11];
                f[at] = bad;
                double scalar = SfaStreamingScorer.scalarSquaredDistance(f, null);
                assertThat(Double.isFinite(scalar)).isFalse();
                assertThat(bits(SfaStreamingScorer.VectorKernels.squaredDistance(f, null)))
                        .isEqualTo(bits(scalar));
            }
        }
    }

    @Test
    void aJvmWithoutTheModuleFallsBackToScalarLoopsWithIdenticalVerdictsAndState()
            throws IOException, InterruptedException {
        String out = runProbeWithoutVectorModule();
        assertThat(out).contains("vector=false");
        for (MomentMode mode : MomentMode.values()) {
            assertThat(out)
                    .as("%s digest of a JVM without the module", mode)
                    .contains(mode + "=" + StreamingDigestProbe.digest(mode));
        }
    }

    /** The bits of a double, NaN canonical (Java does not specify NaN payloads). */
    private static long bits(double v) {
        return Double.doubleToLongBits(v);
    }

    private static long[] bits(double[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToLongBits(v[i]);
        }
        return b;
    }

    /** Gaussian values times scale, with some exact zeros, negative zeros and subnormals. */
    private static float[] values(Random r, int d, double scale) {
        float[] v = new float[d];
        for (int j = 0; j < d; j++) {
            switch (r.nextInt(20)) {
                case 0 -> v[j] = 0f;
                case 1 -> v[j] = -0f;
                case 2 -> v[j] = Float.MIN_VALUE * (1 + r.nextInt(1000));
                default -> v[j] = (float) (r.nextGaussian() * scale);
            }
        }
        return v;
    }

    /** A confident sum part-way through an epoch. */
    private static double[] randomSum(Random r, int d) {
        double[] s = new double[d];
        for (int j = 0; j < d; j++) {
            s[j] = r.nextGaussian() * 30;
        }
        return s;
    }

    private static String runProbeWithoutVectorModule() throws IOException, InterruptedException {
        String classpath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                java.toString(),
                                "-Xmx256m",
                                "-cp",
                                classpath,
                                StreamingDigestProbe.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("probe finished").isTrue();
        String out = new String(output, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("probe exit status; output:%n%s", out).isZero();
        return out;
    }
}
