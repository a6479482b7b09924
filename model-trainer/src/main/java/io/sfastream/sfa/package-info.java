/**
 * SFA's per-class sample selection in plain Java (no Flink, no DJL types), with two faces over one
 * implementation.
 *
 * <p><b>Steps</b> ({@code shared/notes/sfa-algorithm.md} §2.2): confident samples (ABC confidence
 * &gt; τφ^e, {@link io.sfastream.sfa.loss.ConfidenceThreshold}) form each class's instant centroid
 * c_k of centred, L2-normalised features ({@link io.sfastream.sfa.Vectors#centreAndNormalise}); the
 * moments μ, s are updated ({@link io.sfastream.sfa.ClassCentroidBank}, in either {@link
 * io.sfastream.sfa.MomentMode}); a class with more than {@code minSampledCount} confident samples
 * is scored against a draw c̃ = μ + σ⊙ε of the diagonal {@link io.sfastream.sfa.CentroidGaussian},
 * the others against μ; each sample's raw score 2x̂·c̃ − ‖c̃‖² ({@link
 * io.sfastream.sfa.CentroidScore}) is min–max normalised within its labelled class and judged by
 * the class's two-component GMM, fitted exactly as scikit-learn 1.2 fits it ({@link
 * io.sfastream.sfa.CleanSampleSelector}, {@link io.sfastream.sfa.GaussianMixture1D}); clean =
 * posterior of the higher-mean component &gt; p_threshold; N̂_k = clean count, floored at 1 for the
 * Balanced Softmax.
 *
 * <p><b>Faces.</b> {@link io.sfastream.sfa.SfaBatchSelection} is the reference's {@code eval_train}
 * over a whole epoch's features (also behind {@code sfa score-features}). {@link
 * io.sfastream.sfa.SfaStreamingScorer} keeps one {@link io.sfastream.sfa.SfaClassState} per class
 * and network (plain data for Flink's POJO serializer), scores on arrival against the centroid and
 * GMM fixed at the last epoch boundary, and rolls at each boundary (§7).
 *
 * <p><b>Settings</b> are {@link io.sfastream.sfa.SfaParams}: the reference's CIFAR flags by
 * default, {@link io.sfastream.sfa.SfaParams#webVision()} for its WebVision script.
 *
 * <p><b>Where this differs from the reference</b>, only where the reference fails or is undefined,
 * or where §7 decides:
 *
 * <ul>
 *   <li>A class with no confident sample in an epoch keeps its μ and s and is not sampled (the
 *       reference's centroid is NaN); a class that never had one has no centroid and its samples
 *       pass as clean ({@link io.sfastream.sfa.SelectionBasis#NO_CENTROID}).
 *   <li>A class with fewer than {@code minScoresForGmm} (20) scores gets the tiny-class fallback
 *       ({@link io.sfastream.sfa.TinyClassFallback}); the reference fits every class with two or
 *       more samples ({@code minScoresForGmm = 2} reproduces that).
 *   <li>In intended-ema a class's moments start at its first centroid, whatever the epoch.
 *   <li>ε is drawn from a seed of (run seed, network, class, epoch, draw) ({@link
 *       io.sfastream.sfa.CentroidNoise}); the batch face can instead reproduce numpy's stream
 *       ({@link io.sfastream.sfa.NumpyLegacyNormal}).
 *   <li>Sample-rate R &gt; 1 scores against the mean of the R draws, which after the per-class
 *       min–max equals the reference's sum of the R draws' logits.
 *   <li>Arithmetic is double where the reference uses float32 torch/numpy; the scores handed to the
 *       GMM are float32, as in the reference, so the k-means initialisation sees the same kind of
 *       ties.
 * </ul>
 */
package io.sfastream.sfa;
