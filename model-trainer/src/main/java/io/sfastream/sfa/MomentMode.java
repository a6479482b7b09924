package io.sfastream.sfa;

import java.util.Locale;

/**
 * How SFA's per-class centroid moments μ and s evolve across selection epochs ({@code
 * shared/notes/sfa-algorithm.md} §2.3, §7.3).
 */
public enum MomentMode {
    /**
     * The method as the paper describes it (default): μ and s persist across epochs. At a class's
     * first centroid μ = c, s = c²; afterwards μ ← βμ + (1−β)c and s ← βs + (1−β)c².
     */
    INTENDED_EMA("intended-ema"),
    /**
     * The code as run: the reference's {@code eval_train} never writes its moments back, so at
     * every selection epoch after the first the moments start again from zero: μ = (1−β)c, s =
     * (1−β)c², hence σ = sqrt(β(1−β))·|c|. At the first selection epoch (epoch ≤ warm-up + 1) μ =
     * c, s = c², σ = 1e-15.
     */
    REFERENCE_FAITHFUL("reference-faithful");

    private final String cliName;

    MomentMode(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in configuration files. */
    public String cliName() {
        return cliName;
    }

    /**
     * Parses {@code intended-ema} / {@code reference-faithful} (or the enum constant name),
     * case-insensitively.
     */
    public static MomentMode parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (MomentMode m : values()) {
            if (m.cliName.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown moment mode '" + s + "'; expected intended-ema or reference-faithful");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
