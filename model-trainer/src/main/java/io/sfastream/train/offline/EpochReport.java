package io.sfastream.train.offline;

import io.sfastream.eval.SelectionReport;
import java.util.List;

/**
 * What one epoch of an offline run did and measured: per network its training (steps, images, mean
 * loss terms) and, after warm-up, the selection it produced (clean count and, when the truth is
 * known, AUROC and precision/recall per shot group); then the test accuracy of the ensemble,
 * overall and per class.
 *
 * @param phase {@code warmup} or {@code sfa}
 * @param skippedImages images reported unavailable so far in the run
 */
public record EpochReport(
        int epoch,
        String phase,
        double learningRate,
        double seconds,
        PhaseSeconds phases,
        List<NetEpoch> nets,
        double testAccuracy,
        double[] perClassAccuracy,
        int testImages,
        int skippedImages) {

    /**
     * One network's epoch.
     *
     * @param steps SGD steps taken
     * @param images images trained on (labelled rows; for SSL steps the selected ones)
     * @param losses mean loss terms over the epoch's steps, by name ({@code ce}, {@code bce} in
     *     warm-up; {@code lx}, {@code lu}, {@code lbx}, {@code lbu}, {@code penalty} after)
     * @param lambdaU λ_u at the epoch's last step (0 in warm-up)
     * @param selected the samples this network's selection marked clean (−1 in warm-up)
     * @param selection its quality against the truth, or {@code null} in warm-up or when the truth
     *     is unknown
     */
    /**
     * Where the epoch's wall time went (the reference's phases, for a side-by-side): the training
     * steps of every network (warm-up or SSL, data preparation included), the selection passes
     * (feature pass plus SFA, 0 in warm-up) and the test pass.
     */
    public record PhaseSeconds(double train, double selection, double test) {}

    public record NetEpoch(
            int network,
            long steps,
            long images,
            java.util.Map<String, Double> losses,
            double lambdaU,
            int selected,
            SelectionReport selection) {}
}
