package io.sfastream.train;

import ai.djl.Device;
import io.sfastream.nn.Architecture;
import io.sfastream.nn.ModelSpec;
import io.sfastream.nn.SfaModel;
import io.sfastream.store.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One network's training state, complete enough to continue exactly: the model's spec and
 * parameters (both heads, BatchNorm running statistics), the optimiser's momentum buffers by
 * parameter name, the step count and learning rate, and what the rest of the system needs with it:
 * a version, a sample counter, the centring mean m of the features (DESIGN §7.2: the embedder
 * centres with the mean that belongs to the model), and named extra sections (for example the
 * offline trainer's centroid moments).
 *
 * <p>{@link #toBytes()} is a self-describing binary format (magic {@code SFASNAP}, format 1,
 * big-endian) whose SHA-256 ({@link #sha256()}) is the snapshot's identity in the model store and
 * in {@code ModelSnapshotRef}. Encoding is deterministic: equal snapshots give equal bytes. No
 * wall-clock time is inside (the store records it).
 *
 * @param optimizerState momentum buffers by parameter name (as {@code Block.getParameters()} names
 *     them); empty before the first step
 * @param extras named opaque sections, kept in key order
 */
public record TrainingSnapshot(
        ModelSpec spec,
        long version,
        long steps,
        long samplesSeen,
        double learningRate,
        float[] centringMean,
        byte[] parameters,
        Map<String, MomentumSgd.State> optimizerState,
        Map<String, byte[]> extras) {

    private static final byte[] MAGIC = "SFASNAP".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT = 1;

    /** The architecture name written for a snapshot without a network (features input). */
    private static final String NO_NETWORK = "";

    public TrainingSnapshot {
        Objects.requireNonNull(parameters, "parameters");
        if (spec == null && parameters.length > 0) {
            throw new IllegalArgumentException("parameters without a spec cannot be restored");
        }
        if (spec != null && spec.architecture() == Architecture.TORCHSCRIPT) {
            // The encoder's file is not inside the parameters; a snapshot could not rebuild the
            // model.
            throw new IllegalArgumentException(
                    "snapshots of TorchScript-encoder models are not supported yet");
        }
        if (version < 0 || steps < 0 || samplesSeen < 0) {
            throw new IllegalArgumentException("version, steps and samplesSeen must be >= 0");
        }
        if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(
                    "learningRate must be finite and > 0, was " + learningRate);
        }
        centringMean = centringMean == null ? new float[0] : centringMean.clone();
        optimizerState =
                Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(optimizerState)));
        extras = Collections.unmodifiableMap(new TreeMap<>(extras == null ? Map.of() : extras));
    }

    /**
     * A snapshot without a network: the centring mean (and extras) of a job whose features come
     * from the user's own encoder.
     */
    public static TrainingSnapshot withoutNetwork(
            long version, long samplesSeen, float[] centringMean, Map<String, byte[]> extras) {
        return new TrainingSnapshot(
                null, version, 0, samplesSeen, 1.0, centringMean, new byte[0], Map.of(), extras);
    }

    /** This snapshot as version {@code version}, with {@code more} added to its extras. */
    public TrainingSnapshot as(long version, Map<String, byte[]> more) {
        Map<String, byte[]> all = new TreeMap<>(extras);
        all.putAll(more);
        return new TrainingSnapshot(
                spec,
                version,
                steps,
                samplesSeen,
                learningRate,
                centringMean,
                parameters,
                optimizerState,
                all);
    }

    /** Whether the snapshot holds a network (false: only the centring mean). */
    public boolean hasNetwork() {
        return spec != null;
    }

    @Override
    public float[] centringMean() {
        return centringMean.clone();
    }

    /**
     * A new model (its own native memory) with these parameters. Never load a snapshot into a live
     * model: DJL's {@code loadParameters} on a live block leaks the old arrays and leaves open
     * predictors on the old weights. Close the model you replace.
     */
    public SfaModel restoreModel(Device device) {
        if (spec == null) {
            throw new IllegalStateException(
                    "this snapshot has no network (it only carries a centring mean)");
        }
        return SfaModel.fromParameters(spec, parameters, version, device);
    }

    /** The encoded snapshot. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(parameters.length * 2 + 1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(spec == null ? NO_NETWORK : spec.architecture().configName());
            if (spec != null) {
                out.writeInt(spec.width());
                out.writeInt(spec.height());
                out.writeInt(spec.channels());
                out.writeInt(spec.numClasses());
                out.writeLong(spec.seed());
                writeFloats(out, spec.mean());
                writeFloats(out, spec.std());
            }
            out.writeLong(version);
            out.writeLong(steps);
            out.writeLong(samplesSeen);
            out.writeDouble(learningRate);
            writeFloats(out, centringMean);
            out.writeInt(parameters.length);
            out.write(parameters);
            out.writeInt(optimizerState.size());
            for (Map.Entry<String, MomentumSgd.State> e : optimizerState.entrySet()) {
                out.writeUTF(e.getKey());
                long[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                writeFloats(out, e.getValue().values());
            }
            out.writeInt(extras.size());
            for (Map.Entry<String, byte[]> e : extras.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes {@link #toBytes()} output.
     *
     * @throws IllegalArgumentException naming what is wrong when the bytes are not a snapshot, are
     *     of an unknown format, or are truncated
     */
    public static TrainingSnapshot fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException(
                        "not an sfa-stream training snapshot (bad magic)");
            }
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException(
                        "snapshot format "
                                + format
                                + " is not supported (this build reads "
                                + FORMAT
                                + ")");
            }
            String architectureName = in.readUTF();
            ModelSpec spec = null;
            if (!architectureName.equals(NO_NETWORK)) {
                Architecture architecture = Architecture.fromConfigName(architectureName);
                int width = in.readInt();
                int height = in.readInt();
                int channels = in.readInt();
                int classes = in.readInt();
                long seed = in.readLong();
                float[] mean = readFloats(in);
                float[] std = readFloats(in);
                spec =
                        new ModelSpec(
                                architecture, width, height, channels, classes, seed, mean, std);
            }
            long version = in.readLong();
            long steps = in.readLong();
            long samples = in.readLong();
            double lr = in.readDouble();
            float[] centring = readFloats(in);
            byte[] parameters = readBytes(in);
            int states = count(in.readInt());
            Map<String, MomentumSgd.State> optimizer = new LinkedHashMap<>();
            for (int i = 0; i < states; i++) {
                String name = in.readUTF();
                long[] shape = new long[count(in.readInt())];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                }
                optimizer.put(name, new MomentumSgd.State(shape, readFloats(in)));
            }
            int extraCount = count(in.readInt());
            Map<String, byte[]> extras = new LinkedHashMap<>();
            for (int i = 0; i < extraCount; i++) {
                extras.put(in.readUTF(), readBytes(in));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException(
                        in.available() + " unexpected bytes after the snapshot");
            }
            return new TrainingSnapshot(
                    spec, version, steps, samples, lr, centring, parameters, optimizer, extras);
        } catch (EOFException e) {
            throw new IllegalArgumentException(
                    "truncated snapshot (" + bytes.length + " bytes)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lower-case hex SHA-256 of {@link #toBytes()}. */
    public String sha256() {
        return Sha256.hex(toBytes());
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES);
        buf.asFloatBuffer().put(values);
        out.write(buf.array());
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        int n = count(in.readInt());
        byte[] raw = new byte[available(in, (long) n * Float.BYTES)];
        in.readFully(raw);
        float[] values = new float[n];
        ByteBuffer.wrap(raw).asFloatBuffer().get(values);
        return values;
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[available(in, count(in.readInt()))];
        in.readFully(b);
        return b;
    }

    /**
     * A length read from the input, checked against what is left (so a corrupt length cannot
     * allocate gigabytes).
     */
    private static int available(DataInputStream in, long length) throws IOException {
        if (length > in.available()) {
            throw new EOFException(
                    "a section of " + length + " bytes but only " + in.available() + " left");
        }
        return (int) length;
    }

    private static int count(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("corrupt snapshot: negative length " + n);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingSnapshot s && Arrays.equals(toBytes(), s.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        return "TrainingSnapshot["
                + spec
                + " version="
                + version
                + " steps="
                + steps
                + " samplesSeen="
                + samplesSeen
                + " lr="
                + learningRate
                + " parameters="
                + parameters.length
                + "B momentum="
                + optimizerState.size()
                + " extras="
                + extras.keySet()
                + "]";
    }
}
