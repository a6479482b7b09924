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
 * TrainerCheckpoint}). A network that took no step since the last checkpoint is not written again.
 * Once a checkpoint completes, the snapshots older than the ones it points to are deleted; on a
 * restore, the ones written after the restored checkpoint are.
 */
final class TrainerCheckpoints {
    private final ModelStore store;
    private final String prefix;

    TrainerCheckpoints(ModelStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
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
        for (int n = 0; n < networks; n++) {
            long steps = trainer.steps(n);
            if (last != null && last.steps[n] == steps && last.versions[n] > 0) {
                c.versions[n] = last.versions[n];
                c.sha256[n] = last.sha256[n];
            } else {
                byte[] bytes = trainer.snapshot(n, checkpointId, Map.of()).toBytes();
                StoredSnapshot s =
                        store.put(ModelNames.checkpointOf(prefix, n), checkpointId, bytes);
                c.versions[n] = checkpointId;
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

    /** Deletes the checkpoint snapshots other than those {@code keep} points to and newer ones. */
    void retain(TrainerCheckpoint keep, boolean dropNewer) throws IOException {
        for (int n = 0; n < keep.versions.length; n++) {
            String name = ModelNames.checkpointOf(prefix, n);
            for (StoredSnapshot s : store.list(name)) {
                boolean older = s.version() < keep.versions[n];
                boolean newer = s.version() > keep.versions[n];
                if (older || (dropNewer && newer)) {
                    store.delete(name, s.version());
                }
            }
        }
    }

    /** Deletes every checkpoint snapshot of {@code networks} networks (a fresh start). */
    void clear(int networks) throws IOException {
        for (int n = 0; n < networks; n++) {
            String name = ModelNames.checkpointOf(prefix, n);
            for (StoredSnapshot s : store.list(name)) {
                store.delete(name, s.version());
            }
        }
    }
}
