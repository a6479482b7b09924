package io.sfastream.train.stream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounded per-class FIFO queues with one arrival order across classes: {@link #takeOldest} takes
 * the n oldest samples whatever their class, and a full class evicts its own oldest sample (counted
 * per class), so a burst of one class cannot push out another's.
 */
final class ClassQueues {
    private record Entry(long seq, TrainingExample example) {}

    private final ArrayDeque<Entry>[] queues;
    private final int perClass;
    private final long[] evictions;
    private long seq;
    private int size;

    @SuppressWarnings("unchecked")
    ClassQueues(int numClasses, int perClass) {
        this.queues = new ArrayDeque[numClasses];
        for (int k = 0; k < numClasses; k++) {
            queues[k] = new ArrayDeque<>();
        }
        this.perClass = perClass;
        this.evictions = new long[numClasses];
    }

    /** Adds {@code e}; returns true when a sample of its class was evicted to make room. */
    boolean add(TrainingExample e) {
        ArrayDeque<Entry> q = queues[e.label];
        boolean evicted = false;
        if (q.size() == perClass) {
            q.poll();
            evictions[e.label]++;
            size--;
            evicted = true;
        }
        q.add(new Entry(seq++, e));
        size++;
        return evicted;
    }

    int size() {
        return size;
    }

    int size(int label) {
        return queues[label].size();
    }

    long evictions(int label) {
        return evictions[label];
    }

    /**
     * Removes and returns the {@code n} oldest samples (fewer when there are fewer), oldest first.
     */
    List<TrainingExample> takeOldest(int n) {
        List<TrainingExample> out = new ArrayList<>(Math.min(n, size));
        while (out.size() < n && size > 0) {
            ArrayDeque<Entry> oldest = null;
            for (ArrayDeque<Entry> q : queues) {
                if (!q.isEmpty() && (oldest == null || q.peek().seq < oldest.peek().seq)) {
                    oldest = q;
                }
            }
            out.add(oldest.poll().example);
            size--;
        }
        return out;
    }

    /** The sample at position {@code i} of all queues in class order (for uniform draws). */
    TrainingExample get(int i) {
        for (ArrayDeque<Entry> q : queues) {
            if (i < q.size()) {
                int j = 0;
                for (Entry e : q) {
                    if (j++ == i) {
                        return e.example;
                    }
                }
            }
            i -= q.size();
        }
        throw new IndexOutOfBoundsException(i);
    }

    /** Every sample in arrival order (for checkpoints: adding them again restores the queues). */
    List<TrainingExample> all() {
        List<Entry> entries = new ArrayList<>(size);
        for (ArrayDeque<Entry> q : queues) {
            entries.addAll(q);
        }
        entries.sort((a, b) -> Long.compare(a.seq, b.seq));
        List<TrainingExample> out = new ArrayList<>(size);
        entries.forEach(e -> out.add(e.example));
        return out;
    }
}
