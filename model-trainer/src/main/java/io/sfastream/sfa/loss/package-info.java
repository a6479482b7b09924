/**
 * SFA's network-free losses, targets, MixUp and schedules, over plain arrays, so the trainer (DJL)
 * and the tests share one definition of the math.
 *
 * <p><b>Reference.</b> {@code HotanLee/SFA}, {@code Train_cifar.py} as of commit {@code 6ff85a6}
 * ({@code train()}, {@code warmup()}, {@code eval_train()}'s threshold, {@code SemiLoss}, {@code
 * linear_rampup}, {@code balanced_softmax_loss}, {@code balanced_softmax_loss_Semi} and the main
 * loop's learning rate) and {@code Train_webvision.py}. Each class quotes the lines it mirrors.
 * Spec: {@code shared/notes/sfa-algorithm.md} §2.1, §2.4, §2.6, §2.7.
 *
 * <p><b>Layout.</b> A batch is {@code double[][]}, rows × classes; network inputs for MixUp are
 * {@code float[][]}, one flattened sample per row. Everything is computed in {@code double}; the
 * reference runs in float32, so expect agreement to about 1e-6 relative, not bit-for-bit.
 *
 * <p><b>Epochs.</b> Schedules take the reference's 1-based epoch (and {@code epoch +
 * batch_idx/num_iter} for the λ_u ramp); {@link io.sfastream.sfa.loss.ReferenceEpoch} maps a
 * stream's 0-based virtual epoch to them.
 *
 * <p><b>Where this deliberately differs from the reference</b> (only where the reference is
 * non-finite):
 *
 * <ul>
 *   <li>Balanced-Softmax counts are floored at 1 ({@link io.sfastream.sfa.loss.BalancedSoftmax});
 *       the reference gives NaN/inf for an empty class.
 *   <li>The uniform-prior penalty takes {@code log p̂} in the log domain, so it stays finite when a
 *       class's probability underflows to 0 in every row (the reference gives +inf).
 *   <li>A mixed batch with no unlabelled rows gives {@code Lu = Lbu = 0} (the reference would
 *       average over zero rows).
 * </ul>
 */
package io.sfastream.sfa.loss;
