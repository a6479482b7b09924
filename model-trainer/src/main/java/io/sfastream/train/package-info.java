/**
 * The networks' training steps in DJL, as the reference runs them ({@code HotanLee/SFA}, {@code
 * Train_cifar.py}: {@code warmup()}, {@code train()}, {@code test()}; spec {@code
 * shared/notes/sfa-algorithm.md} §2.1, §2.4, §2.5).
 *
 * <ul>
 *   <li>{@link io.sfastream.train.NetTrainer}: one network's warm-up step (CE + Balanced-Softmax CE
 *       on the noisy labels) and SSL step (label refinement, co-/self-guessing, sharpening, MixUp
 *       over {@code [x1, x2, u1, u2]}, {@code Lx + λu·Lu + Lbx + λu·Lbu + penalty}), SGD 0.9 / 5e-4
 *       with a settable learning rate;
 *   <li>{@link io.sfastream.train.NdLosses}: the tensor twins of {@code io.sfastream.sfa.loss},
 *       which stays the definition (tests compare the two on the same arrays);
 *   <li>{@link io.sfastream.train.Augmenter}: seeded pad-4 random crop, optional flip,
 *       normalisation;
 *   <li>{@link io.sfastream.train.Ensemble}: inference as the sum of both heads' logits over the
 *       networks.
 * </ul>
 *
 * Everything is seeded: initial weights ({@link io.sfastream.nn.SeededInit}), augmentation and
 * MixUp (Commons RNG). Sample selection, schedules per stream epoch and snapshots live elsewhere.
 */
package io.sfastream.train;
