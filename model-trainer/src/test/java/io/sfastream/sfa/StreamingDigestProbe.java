package io.sfastream.sfa;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Runs the streaming face over a fixed synthetic stream and prints a SHA-256 of every verdict and
 * of the final per-class state, bit for bit, plus which kernels ran. {@link
 * SfaStreamingKernelsTest} runs it in a child JVM without {@code jdk.incubator.vector} (scalar
 * loops) and compares with the same digest in the test JVM (vector kernels).
 */
public final class StreamingDigestProbe {
    private StreamingDigestProbe() {}

    public static void main(String[] args) {
        System.out.println("vector=" + SfaStreamingScorer.VECTOR_KERNELS);
        for (MomentMode mode : MomentMode.values()) {
            System.out.println(mode + "=" + digest(mode));
        }
    }

    /**
     * Five epochs (warm-up, first scores, then selection) at d = 67, so that both the 4-lane part
     * and the scalar tail of every pass are exercised, with a centring mean.
     */
    static String digest(MomentMode mode) {
        SyntheticLongTail data =
                SyntheticLongTail.generate(
                        new int[] {400, 240, 140, 80, 50, 30, 20, 12, 8, 5}, 67, 2.0, 0.5, 11);
        StreamRun run =
                new StreamRun(
                        data, SfaParams.builder(10).warmUpEpochs(2).momentMode(mode).build(), 0.1);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer b = ByteBuffer.allocate(64);
        for (int epoch = 1; epoch <= 5; epoch++) {
            run.epoch(epoch, true);
            for (SfaVerdict v : run.verdicts) {
                b.clear();
                b.putLong(Double.doubleToRawLongBits(v.score()));
                b.putLong(Double.doubleToRawLongBits(v.cleanProbability()));
                b.putInt(Float.floatToRawIntBits(v.normalisedScore()));
                b.put((byte) (v.clean() ? 1 : 0)).put((byte) (v.confident() ? 1 : 0));
                b.putInt(v.basis().ordinal()).putInt(v.epoch());
                sha.update(b.array(), 0, b.position());
            }
        }
        for (SfaClassState s : run.states) {
            putAll(sha, s.confidentSum);
            putAll(sha, s.centroid);
            putAll(sha, s.moments.mean);
            if (s.reservoir.values != null) {
                for (int i = 0; i < s.reservoir.size; i++) {
                    b.clear();
                    b.putInt(Float.floatToRawIntBits(s.reservoir.values[i]));
                    sha.update(b.array(), 0, b.position());
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void putAll(MessageDigest sha, double[] v) {
        if (v == null) {
            sha.update((byte) 0x55);
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(8 * v.length);
        for (double x : v) {
            b.putLong(Double.doubleToRawLongBits(x));
        }
        sha.update(b.array());
    }
}
