package io.sfastream.train.offline;

import io.sfastream.data.protocol.Rngs;
import java.util.Arrays;
import java.util.function.IntFunction;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The reference's unlabelled loader as {@code train()} cycles it: a {@code DataLoader(shuffle=True,
 * drop_last=False)} over the unlabelled rows, so each pass is a fresh permutation cut into batches
 * of B with a short last batch, and when a pass is used up the loop starts a new pass ({@code
 * unlabeled_train_iter = iter(unlabeled_trainloader)}). A labelled batch is therefore paired with
 * the short remainder of a pass once per pass, never with rows of two passes mixed in one batch.
 */
final class UnlabelledLoader {
    private final int[] rows;
    private final int batch;
    private final IntFunction<UniformRandomProvider> passRandom;
    private int pass = -1;
    private int at;

    /**
     * @param rows the unlabelled rows (copied; shuffled per pass)
     * @param batch B
     * @param passRandom the shuffle of pass p (0-based)
     */
    UnlabelledLoader(int[] rows, int batch, IntFunction<UniformRandomProvider> passRandom) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        this.rows = rows.clone();
        this.batch = batch;
        this.passRandom = passRandom;
    }

    boolean isEmpty() {
        return rows.length == 0;
    }

    /** The pass (0-based) the last batch came from. */
    int pass() {
        return pass;
    }

    /** The next batch: B rows, or what is left of the pass. */
    int[] next() {
        if (rows.length == 0) {
            return new int[0];
        }
        if (pass < 0 || at == rows.length) {
            pass++;
            at = 0;
            Rngs.shuffle(rows, passRandom.apply(pass));
        }
        int end = Math.min(rows.length, at + batch);
        int[] out = Arrays.copyOfRange(rows, at, end);
        at = end;
        return out;
    }
}
