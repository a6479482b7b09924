package io.sfastream.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How well a clean/noisy selection matches the truth, overall and per shot group, as the reference's stats log
 * reports it: AUROC of the noise probability (1 − clean probability) against the mislabelled indicator, and
 * precision (truly clean among the selected) and recall (selected among the truly clean) of the clean
 * selection. Shot groups by the class's noisy-label count, CIFAR-100's rule: many > 100, few < 20, medium
 * otherwise.
 */
public final class SelectionEvaluation {
  /** A class with more noisy labels than this is many-shot. */
  public static final int MANY_ABOVE = 100;
  /** A class with fewer noisy labels than this is few-shot. */
  public static final int FEW_BELOW = 20;

  private SelectionEvaluation() {}

  /** The metrics of one group of samples. */
  public record Group(String name, int classes, int samples, int mislabelled, int selected, double auroc,
      DetectionMetrics.PrecisionRecall cleanSelection) {}

  /** Overall, then many, medium and few shot (groups without classes are left out). */
  public record Report(List<Group> groups) {
    public Group overall() {
      return groups.get(0);
    }

    /** A fixed-width table, one line per group. */
    public String format() {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-8s %7s %8s %11s %8s %7s %9s %7s%n",
          "group", "classes", "samples", "mislabelled", "selected", "AUROC", "precision", "recall"));
      for (Group g : groups) {
        b.append(String.format(Locale.ROOT, "%-8s %7d %8d %11d %8d %7.4f %9.4f %7.4f%n", g.name(), g.classes(),
            g.samples(), g.mislabelled(), g.selected(), g.auroc(), g.cleanSelection().precision(),
            g.cleanSelection().recall()));
      }
      return b.toString();
    }
  }

  /**
   * Evaluates a selection.
   *
   * @param labels noisy labels in [0, numClasses)
   * @param trueLabels true labels (a sample is mislabelled when they differ)
   * @param cleanProbability each sample's clean probability
   * @param clean each sample's decision
   */
  public static Report evaluate(int[] labels, int[] trueLabels, double[] cleanProbability, boolean[] clean,
      int numClasses) {
    int n = labels.length;
    if (trueLabels.length != n || cleanProbability.length != n || clean.length != n) {
      throw new IllegalArgumentException("arrays differ in length");
    }
    int[] counts = new int[numClasses];
    for (int y : labels) {
      counts[y]++;
    }
    String[] groupOf = new String[numClasses];
    for (int k = 0; k < numClasses; k++) {
      groupOf[k] = counts[k] > MANY_ABOVE ? "many" : counts[k] < FEW_BELOW ? "few" : "medium";
    }
    List<Group> groups = new ArrayList<>();
    groups.add(group("overall", null, labels, trueLabels, cleanProbability, clean, groupOf, counts));
    for (String g : new String[] {"many", "medium", "few"}) {
      Group r = group(g, g, labels, trueLabels, cleanProbability, clean, groupOf, counts);
      if (r.classes() > 0) {
        groups.add(r);
      }
    }
    return new Report(groups);
  }

  private static Group group(String name, String which, int[] labels, int[] trueLabels, double[] p,
      boolean[] clean, String[] groupOf, int[] counts) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      if (which == null || groupOf[labels[i]].equals(which)) {
        idx.add(i);
      }
    }
    int classes = 0;
    for (int k = 0; k < groupOf.length; k++) {
      classes += counts[k] > 0 && (which == null || groupOf[k].equals(which)) ? 1 : 0;
    }
    double[] noise = new double[idx.size()];
    boolean[] mislabelled = new boolean[idx.size()];
    boolean[] selected = new boolean[idx.size()];
    boolean[] trulyClean = new boolean[idx.size()];
    int bad = 0;
    int sel = 0;
    for (int t = 0; t < noise.length; t++) {
      int i = idx.get(t);
      noise[t] = 1 - p[i];
      mislabelled[t] = labels[i] != trueLabels[i];
      trulyClean[t] = !mislabelled[t];
      selected[t] = clean[i];
      bad += mislabelled[t] ? 1 : 0;
      sel += clean[i] ? 1 : 0;
    }
    double auroc = noise.length == 0 ? Double.NaN : DetectionMetrics.auroc(noise, mislabelled);
    return new Group(name, classes, noise.length, bad, sel, auroc,
        DetectionMetrics.precisionRecall(selected, trulyClean));
  }
}
