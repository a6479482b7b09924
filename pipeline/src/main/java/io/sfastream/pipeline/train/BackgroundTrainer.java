package io.sfastream.pipeline.train;

import io.sfastream.train.TrainingSnapshot;
import io.sfastream.train.stream.StreamingTrainer;
import io.sfastream.train.stream.TrainingExample;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The {@code evict} policy: a {@link StreamingTrainer} that trains on its own thread, so that the
 * caller (the stream) never waits for a training step. The caller hands over samples and watermarks
 * ({@link #offer}, {@link #watermark}: constant time, into an inbox bounded per class that drops a
 * class's oldest sample when that class is full, counted, so a burst of a head class never pushes
 * out the tail's); the thread moves them into the trainer's bounded class queues ({@link
 * StreamingTrainer#enqueue}) and trains one batch at a time ({@link StreamingTrainer#trainStep}).
 * At every boundary the thread snapshots each network at once (its weights and the m of those
 * weights together) and leaves the epoch for the caller to publish ({@link #takeClosed}).
 *
 * <p>A failure of the thread is kept and thrown to the caller by its next call.
 */
final class BackgroundTrainer implements AutoCloseable {
    /** A closed epoch: per network, its snapshot at the boundary (version 0: the caller's). */
    record ClosedEpoch(int epoch, List<TrainingSnapshot> snapshots) {}

    private final StreamingTrainer trainer;
    private final int perClassCapacity;
    private final int pendingCapacity;

    /** Fair: a paused() caller (a checkpoint) gets it between two steps, not after the queues. */
    private final ReentrantLock trainerLock = new ReentrantLock(true);

    private final ReentrantLock inboxLock = new ReentrantLock();
    private final Condition work = inboxLock.newCondition();
    private final Condition idle = inboxLock.newCondition();
    private final ArrayDeque<TrainingExample>[] inbox;
    private int inboxSize;
    private final List<ClosedEpoch> closed = new ArrayList<>();
    private final Thread thread;

    private long watermark = Long.MIN_VALUE;

    /** The watermark the thread has applied to the trainer. */
    private long appliedWatermark = Long.MIN_VALUE;

    private long inboxDrops;

    /** Whether the thread is (or may be) in an iteration: true until it first waits. */
    private boolean busy = true;

    private volatile boolean stopped;
    private volatile Throwable failure;

    @SuppressWarnings("unchecked")
    BackgroundTrainer(StreamingTrainer trainer, int numClasses, int perClassCapacity, String name) {
        this.trainer = trainer;
        this.perClassCapacity = perClassCapacity;
        this.pendingCapacity = Math.max(1, perClassCapacity * numClasses);
        this.inbox = new ArrayDeque[numClasses];
        for (int k = 0; k < numClasses; k++) {
            inbox[k] = new ArrayDeque<>();
        }
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Hands over a sample; when its class's inbox is full, that class's oldest sample is dropped
     * (counted).
     */
    void offer(TrainingExample e) {
        check();
        if (e.label < 0 || e.label >= inbox.length) {
            throw new IllegalArgumentException("label " + e.label + " outside [0, C)");
        }
        inboxLock.lock();
        try {
            ArrayDeque<TrainingExample> q = inbox[e.label];
            if (q.size() >= perClassCapacity) {
                q.pollFirst();
                inboxDrops++;
                inboxSize--;
            }
            q.addLast(e);
            inboxSize++;
            work.signal();
        } finally {
            inboxLock.unlock();
        }
    }

    void watermark(long w) {
        check();
        inboxLock.lock();
        try {
            watermark = Math.max(watermark, w);
            work.signal();
        } finally {
            inboxLock.unlock();
        }
    }

    /** The epochs closed since the last call, in order. */
    List<ClosedEpoch> takeClosed() {
        check();
        synchronized (closed) {
            List<ClosedEpoch> out = new ArrayList<>(closed);
            closed.clear();
            return out;
        }
    }

    /**
     * Runs {@code f} on the trainer while its thread waits, after everything handed over has
     * reached it (so the trainer's own state, with its pending samples, is the whole state).
     */
    <T> T paused(Function<StreamingTrainer, T> f) {
        check();
        trainerLock.lock();
        try {
            drainInbox();
            return f.apply(trainer);
        } finally {
            trainerLock.unlock();
        }
    }

    /** Blocks until everything handed over is queued and no queue holds a full batch. */
    void awaitIdle() throws InterruptedException {
        inboxLock.lock();
        try {
            while ((busy || pendingWork()) && failure == null) {
                work.signal();
                idle.await();
            }
        } finally {
            inboxLock.unlock();
        }
        check();
    }

    /** Samples the inbox dropped because the trainer thread fell behind. */
    long inboxDrops() {
        inboxLock.lock();
        try {
            return inboxDrops;
        } finally {
            inboxLock.unlock();
        }
    }

    private void check() {
        Throwable t = failure;
        if (t != null) {
            throw new IllegalStateException("the trainer thread failed: " + t.getMessage(), t);
        }
    }

    /** Under {@link #inboxLock}. */
    private boolean pendingWork() {
        return inboxSize > 0 || watermark > appliedWatermark;
    }

    /** Under {@link #trainerLock}: moves the inbox into the trainer; returns the watermark. */
    private long drainInbox() {
        List<TrainingExample> batch;
        long w;
        inboxLock.lock();
        try {
            batch = new ArrayList<>(inboxSize);
            for (ArrayDeque<TrainingExample> q : inbox) {
                batch.addAll(q);
                q.clear();
            }
            inboxSize = 0;
            w = watermark;
        } finally {
            inboxLock.unlock();
        }
        for (TrainingExample e : batch) {
            trainer.add(e);
        }
        // what waits for the watermark is bounded too: a lagging watermark must not grow memory
        trainer.dropPendingBeyond(pendingCapacity);
        return w;
    }

    private void run() {
        try {
            while (!stopped) {
                boolean trained;
                long w;
                trainerLock.lock();
                try {
                    w = drainInbox();
                    trainer.enqueue(
                            w,
                            e -> {
                                List<TrainingSnapshot> s = new ArrayList<>();
                                for (int n = 0; n < trainer.networks(); n++) {
                                    s.add(trainer.snapshot(n, 0, Map.of()));
                                }
                                synchronized (closed) {
                                    closed.add(new ClosedEpoch(e, s));
                                }
                            });
                    trained = trainer.trainStep();
                } finally {
                    trainerLock.unlock();
                }
                inboxLock.lock();
                try {
                    // only now is w applied: the epochs it closed are in the closed list
                    appliedWatermark = Math.max(appliedWatermark, w);
                    busy = trained || pendingWork();
                    if (!busy) {
                        idle.signalAll();
                        work.await(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                        busy = true;
                    }
                } finally {
                    inboxLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            inboxLock.lock();
            try {
                idle.signalAll();
            } finally {
                inboxLock.unlock();
            }
        }
    }

    /** Stops the thread (after its current step); the trainer is the caller's to close. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        inboxLock.lock();
        try {
            work.signalAll();
        } finally {
            inboxLock.unlock();
        }
        thread.join(60_000);
    }

    /** Whether the thread has ended (only then may the caller close the trainer). */
    boolean stoppedRunning() {
        return !thread.isAlive();
    }
}
