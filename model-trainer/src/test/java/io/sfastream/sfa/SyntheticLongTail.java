package io.sfastream.sfa;

import java.util.Random;

/**
 * Synthetic features for selection tests (§6.7 of shared/notes/sfa-algorithm.md): Gaussian clusters around
 * random unit class directions in d dimensions plus a common offset (so centring matters), long-tailed class
 * counts, and the reference's {@code imb} label noise: exactly int(r·N) samples, chosen uniformly, get a new
 * label j ≠ y with probability ∝ n_j. A noisy sample keeps its true class's feature. Each epoch's features are
 * the base features plus a small epoch-specific drift (the network changes between epochs), and an "ABC"
 * confidence is the softmax, at the noisy label, of noisy logits κ·(f − b)·μ_j.
 */
final class SyntheticLongTail {
  /** CIFAR-10 with imbalance ratio 100 (ρ = 0.01), §3. */
  static final int[] CIFAR10_RHO_001 = {5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50};

  final int numClasses;
  final int dim;
  final int[] trueLabels;
  final int[] labels;
  final boolean[] noisy;
  private final double[][] directions;
  private final double[] offset;
  private final float[][] base;
  private final long seed;

  private SyntheticLongTail(int[] counts, int dim, double spread, double noiseRate, long seed) {
    this.numClasses = counts.length;
    this.dim = dim;
    this.seed = seed;
    Random r = new Random(seed);
    directions = new double[numClasses][dim];
    for (double[] u : directions) {
      double norm = 0;
      for (int j = 0; j < dim; j++) {
        u[j] = r.nextGaussian();
        norm += u[j] * u[j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < dim; j++) {
        u[j] /= norm;
      }
    }
    offset = new double[dim];
    for (int j = 0; j < dim; j++) {
      offset[j] = 2.0 * r.nextGaussian() / Math.sqrt(dim);
    }
    int n = 0;
    for (int c : counts) {
      n += c;
    }
    trueLabels = new int[n];
    base = new float[n][dim];
    int at = 0;
    double perDim = spread / Math.sqrt(dim);
    for (int k = 0; k < numClasses; k++) {
      for (int t = 0; t < counts[k]; t++) {
        trueLabels[at] = k;
        for (int j = 0; j < dim; j++) {
          base[at][j] = (float) (directions[k][j] + offset[j] + perDim * r.nextGaussian());
        }
        at++;
      }
    }
    labels = trueLabels.clone();
    noisy = new boolean[n];
    int flips = (int) (noiseRate * n);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (int f = 0; f < flips; f++) {
      int i = order[f];
      int y = trueLabels[i];
      double total = n - counts[y];
      double u = r.nextDouble() * total;
      int j = -1;
      for (int k = 0; k < numClasses; k++) {
        if (k == y) {
          continue;
        }
        u -= counts[k];
        j = k;
        if (u < 0) {
          break;
        }
      }
      labels[i] = j;
      noisy[i] = true;
    }
  }

  static SyntheticLongTail generate(int[] counts, int dim, double spread, double noiseRate, long seed) {
    return new SyntheticLongTail(counts, dim, spread, noiseRate, seed);
  }

  int size() {
    return labels.length;
  }

  /** The features of one epoch: base plus an epoch-specific drift of the given total scale. */
  float[][] features(int epoch, double drift) {
    Random r = new Random(seed * 1_000_003L + epoch);
    double perDim = drift / Math.sqrt(dim);
    float[][] f = new float[base.length][dim];
    for (int i = 0; i < base.length; i++) {
      for (int j = 0; j < dim; j++) {
        f[i][j] = (float) (base[i][j] + perDim * r.nextGaussian());
      }
    }
    return f;
  }

  /** An ABC-like confidence at each sample's noisy label. */
  double[] confidences(float[][] features, double kappa, double logitNoise, int epoch) {
    Random r = new Random(seed * 7_919L + epoch);
    double[] conf = new double[features.length];
    double[] logits = new double[numClasses];
    for (int i = 0; i < features.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < numClasses; k++) {
        double dot = 0;
        for (int j = 0; j < dim; j++) {
          dot += (features[i][j] - offset[j]) * directions[k][j];
        }
        logits[k] = kappa * dot + logitNoise * r.nextGaussian();
        max = Math.max(max, logits[k]);
      }
      double z = 0;
      for (int k = 0; k < numClasses; k++) {
        z += Math.exp(logits[k] - max);
      }
      conf[i] = Math.exp(logits[labels[i]] - max) / z;
    }
    return conf;
  }

  /** Exact mean of a feature matrix (what the reference centres with). */
  static float[] mean(float[][] f) {
    double[] s = new double[f[0].length];
    for (float[] row : f) {
      for (int j = 0; j < s.length; j++) {
        s[j] += row[j];
      }
    }
    float[] m = new float[s.length];
    for (int j = 0; j < s.length; j++) {
      m[j] = (float) (s[j] / f.length);
    }
    return m;
  }

  /** Counts of noisy labels per class. */
  int[] labelCounts() {
    int[] n = new int[numClasses];
    for (int y : labels) {
      n[y]++;
    }
    return n;
  }
}
