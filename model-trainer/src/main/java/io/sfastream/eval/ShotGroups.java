package io.sfastream.eval;

import java.util.Arrays;

/**
 * The reference's reporting groups: many-, medium- and few-shot classes. CIFAR-10 uses fixed
 * classes (many = {0, 1}, few = {7, 8, 9}); CIFAR-100 groups by noisy-label count (many > 100, few
 * < 20); the count rule is the general one.
 */
public final class ShotGroups {
    public enum Group {
        MANY,
        MEDIUM,
        FEW
    }

    private final Group[] byClass;

    private ShotGroups(Group[] byClass) {
        this.byClass = byClass;
    }

    /** SFA's CIFAR-10 groups: classes 0–1 many, 7–9 few, the rest medium. */
    public static ShotGroups cifar10() {
        Group[] g = new Group[10];
        Arrays.fill(g, Group.MEDIUM);
        g[0] = g[1] = Group.MANY;
        g[7] = g[8] = g[9] = Group.FEW;
        return new ShotGroups(g);
    }

    /** Many when a class has more than {@code manyAbove} samples, few below {@code fewBelow}. */
    public static ShotGroups byCount(int[] classCounts, int manyAbove, int fewBelow) {
        Group[] g = new Group[classCounts.length];
        for (int k = 0; k < g.length; k++) {
            g[k] =
                    classCounts[k] > manyAbove
                            ? Group.MANY
                            : classCounts[k] < fewBelow ? Group.FEW : Group.MEDIUM;
        }
        return new ShotGroups(g);
    }

    /** CIFAR-100's rule (many &gt; 100, few &lt; 20) on the given counts. */
    public static ShotGroups byCount(int[] classCounts) {
        return byCount(classCounts, 100, 20);
    }

    public Group of(int classIndex) {
        return byClass[classIndex];
    }

    public int numClasses() {
        return byClass.length;
    }
}
