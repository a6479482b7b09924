package io.sfastream.pipeline.train;

import ai.djl.Device;
import io.sfastream.nn.SfaModel;
import io.sfastream.store.ModelStore;
import io.sfastream.store.StoredSnapshot;
import io.sfastream.time.EpochClock;
import io.sfastream.train.TrainingSnapshot;
import io.sfastream.train.stream.StreamTrainingParams;
import io.sfastream.train.stream.StreamingTrainer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The claim check of the trainer's checkpoints (DESIGN §1): the networks' snapshots go to the model
 * store, the checkpoint keeps their references and the trainer's small state ({@link
 * TrainerCheckpoint}). A network that took no step and passed no boundary since the last checkpoint
 * is not written again. Versions only grow (the next is one above the newest in the store), so a
 * restore, a fresh start or a savepoint of another run never collides with what is there and
 * nothing needs deleting then. Once a checkpoint completes, snapshots older than the ones it points
 * to are deleted beyond the newest {@code keep}: a savepoint or retained checkpoint within the last
 * {@code keep} trainer checkpoints can still be restored.
 */
final class TrainerCheckpoints {
    private final ModelStore store;
    private final String prefix;

    private final int keep;

    TrainerCheckpoints(ModelStore store, String prefix, int keep) {
        this.store = store;
        this.prefix = prefix;
        this.keep = keep;
    }

    /**
     * Writes what {@code trainer} needs to continue exactly, as checkpoint {@code checkpointId};
     * {@code last} is the previous checkpoint (or null).
     */
    TrainerCheckpoint write(StreamingTrainer trainer, long checkpointId, TrainerCheckpoint last)
            throws IOException {
        int networks = trainer.networks();
        TrainerCheckpoint c = new TrainerCheckpoint();
        c.versions = new long[networks];
        c.sha256 = new String[networks];
        c.steps = new long[networks];
        c.openEpoch = trainer.openEpoch();
        for (int n = 0; n < networks; n++) {
            long steps = trainer.steps(n);
            if (last != null
                    && last.steps[n] == steps
                    && last.openEpoch == c.openEpoch
                    && last.versions[n] > 0) {
                c.versions[n] = last.versions[n];
                c.sha256[n] = last.sha256[n];
            } else {
                String name = ModelNames.checkpointOf(prefix, n);
                long version = store.latest(name).map(StoredSnapshot::version).orElse(0L) + 1;
                byte[] bytes = trainer.snapshot(n, version, Map.of()).toBytes();
                StoredSnapshot s = store.put(name, version, bytes);
                c.versions[n] = version;
                c.sha256[n] = s.sha256();
            }
            c.steps[n] = steps;
        }
        c.trainerState = trainer.exportState();
        return c;
    }

    /** A trainer that continues exactly where checkpoint {@code c} stopped. */
    StreamingTrainer restore(
            TrainerCheckpoint c, StreamTrainingParams params, EpochClock clock, Device device)
            throws IOException {
        List<TrainingSnapshot> snapshots = new ArrayList<>();
        List<SfaModel> models = new ArrayList<>();
        try {
            for (int n = 0; n < c.versions.length; n++) {
                String name = ModelNames.checkpointOf(prefix, n);
                long version = c.versions[n];
                StoredSnapshot s =
                        store.find(name, version)
                                .orElseThrow(
                                        () ->
                                                new IOException(
                                                        "the trainer's checkpoint snapshot "
                                                                + name
                                                                + " version "
                                                                + version
                                                                + " is missing from the store"));
                TrainingSnapshot snapshot =
                        TrainingSnapshot.fromBytes(store.get(s.uri(), c.sha256[n]));
                snapshots.add(snapshot);
                models.add(snapshot.restoreModel(device));
            }
        } catch (IOException | RuntimeException e) {
            models.forEach(SfaModel::close);
            throw e;
        }
        StreamingTrainer trainer = new StreamingTrainer(params, clock, models, snapshots);
        trainer.restoreState(c.trainerState);
        return trainer;
    }

    /**
     * After checkpoint {@code done} completed: deletes snapshots older than the ones it points to,
     * except the newest {@code keep} of each network.
     */
    void retain(TrainerCheckpoint done) throws IOException {
        for (int n = 0; n < done.versions.length; n++) {
            String name = ModelNames.checkpointOf(prefix, n);
            List<StoredSnapshot> all = store.list(name);
            for (int i = 0; i < all.size() - keep; i++) {
                StoredSnapshot s = all.get(i);
                if (s.version() < done.versions[n]) {
                    store.delete(name, s.version());
                }
            }
        }
    }
}
