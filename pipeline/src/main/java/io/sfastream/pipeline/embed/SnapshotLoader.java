package io.sfastream.pipeline.embed;

import ai.djl.Device;
import io.sfastream.nn.ModelSpec;
import io.sfastream.nn.SfaModel;
import io.sfastream.pipeline.train.ModelNames;
import io.sfastream.schemas.ModelSnapshotRef;
import io.sfastream.sfa.ClassSelectionModel;
import io.sfastream.store.ModelStore;
import io.sfastream.store.SnapshotIntegrityException;
import io.sfastream.train.TrainingSnapshot;
import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;

/**
 * Turns a {@link ModelSnapshotRef} into a {@link ModelVersion}: reads the bytes from the model
 * store, checks the SHA-256 the reference names, decodes the snapshot and builds a fresh model from
 * it (never loading into a live one). Everything that can be wrong with a snapshot is a {@link
 * Problem} with a code and a reason; the caller keeps the model it has. Pure Java.
 */
public final class SnapshotLoader {
    private final ModelStore store;
    private final Device device;
    private final ModelSpec expected;
    private final boolean withNetwork;

    /**
     * @param expected what the job's network looks like (its seed aside); null when the job runs no
     *     network (features input)
     */
    public SnapshotLoader(ModelStore store, Device device, ModelSpec expected) {
        this.store = store;
        this.device = device;
        this.expected = expected;
        this.withNetwork = expected != null;
    }

    /** A snapshot that cannot be used. */
    public static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;

        Problem(String code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public ModelVersion load(ModelSnapshotRef ref) throws Problem {
        String what = ref.getModelName() + " version " + ref.getVersion();
        byte[] bytes;
        try {
            bytes = store.get(URI.create(ref.getUri()), ref.getSha256());
        } catch (SnapshotIntegrityException e) {
            throw new Problem("snapshot-hash", what + ": " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new Problem("snapshot-missing", what + ": no snapshot at " + ref.getUri(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new Problem(
                    "snapshot-unreadable",
                    what + ": cannot read " + ref.getUri() + ": " + e.getMessage(),
                    e);
        }
        TrainingSnapshot snapshot;
        try {
            snapshot = TrainingSnapshot.fromBytes(bytes);
        } catch (IllegalArgumentException e) {
            throw new Problem("snapshot-corrupt", what + ": " + e.getMessage(), e);
        }
        if (snapshot.hasNetwork() != withNetwork) {
            throw new Problem(
                    "snapshot-mismatch",
                    what
                            + (withNetwork
                                    ? " carries no network, but this job runs one"
                                    : " carries a network, but this job scores given features"),
                    null);
        }
        if (withNetwork && !sameShape(snapshot.spec(), expected)) {
            throw new Problem(
                    "snapshot-mismatch",
                    what + " is a " + snapshot.spec() + ", this job runs a " + expected,
                    null);
        }
        ClassSelectionModel pooled = null;
        byte[] pooledBytes = snapshot.extras().get(ModelNames.POOLED_SELECTION);
        if (pooledBytes != null) {
            try {
                pooled = ClassSelectionModel.fromBytes(pooledBytes);
            } catch (IllegalArgumentException e) {
                throw new Problem("snapshot-corrupt", what + ": " + e.getMessage(), e);
            }
        }
        float[] m = snapshot.centringMean();
        SfaModel model = null;
        if (withNetwork) {
            try {
                model = snapshot.restoreModel(device);
            } catch (RuntimeException e) {
                throw new Problem("snapshot-mismatch", what + ": " + e.getMessage(), e);
            }
        }
        return new ModelVersion(
                ref.getNetwork(),
                ref.getVersion(),
                ref.getEpoch(),
                model,
                m.length == 0 ? null : m,
                pooled);
    }

    private static boolean sameShape(ModelSpec a, ModelSpec b) {
        return a.architecture() == b.architecture()
                && a.width() == b.width()
                && a.height() == b.height()
                && a.channels() == b.channels()
                && a.numClasses() == b.numClasses()
                && java.util.Arrays.equals(a.mean(), b.mean())
                && java.util.Arrays.equals(a.std(), b.std());
    }
}
