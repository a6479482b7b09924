package io.sfastream.train.stream;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * One scored sample as the trainer receives it: the image (8-bit HWC pixels at the model's input
 * size), its given label, event time and virtual epoch, and per network the scorer's decision and
 * clean probability. A plain class with public fields, so that a stream processor can carry and
 * checkpoint it as a POJO.
 */
public class TrainingExample {
    public String id;
    public int label;
    public long eventTime;

    /** The virtual epoch of {@link #eventTime} (1-based). */
    public int epoch;

    public byte[] pixels;

    /** Per network: whether the scorer judged the label clean (true during warm-up). */
    public boolean[] clean;

    /** Per network: the clean probability, the labelled weight w of the SSL step. */
    public double[] cleanProbability;

    public TrainingExample() {}

    public TrainingExample(
            String id,
            int label,
            long eventTime,
            int epoch,
            byte[] pixels,
            boolean[] clean,
            double[] cleanProbability) {
        this.id = id;
        this.label = label;
        this.eventTime = eventTime;
        this.epoch = epoch;
        this.pixels = pixels;
        this.clean = clean;
        this.cleanProbability = cleanProbability;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeUTF(id);
        out.writeInt(label);
        out.writeLong(eventTime);
        out.writeInt(epoch);
        out.writeInt(pixels.length);
        out.write(pixels);
        out.writeInt(clean.length);
        for (int n = 0; n < clean.length; n++) {
            out.writeBoolean(clean[n]);
            out.writeDouble(cleanProbability[n]);
        }
    }

    static TrainingExample read(DataInputStream in) throws IOException {
        TrainingExample e = new TrainingExample();
        e.id = in.readUTF();
        e.label = in.readInt();
        e.eventTime = in.readLong();
        e.epoch = in.readInt();
        e.pixels = in.readNBytes(in.readInt());
        int n = in.readInt();
        e.clean = new boolean[n];
        e.cleanProbability = new double[n];
        for (int i = 0; i < n; i++) {
            e.clean[i] = in.readBoolean();
            e.cleanProbability[i] = in.readDouble();
        }
        return e;
    }

    /** Event-time order, ties by id: the order in which the trainer consumes its input. */
    static int compare(TrainingExample a, TrainingExample b) {
        int c = Long.compare(a.eventTime, b.eventTime);
        return c != 0 ? c : a.id.compareTo(b.id);
    }
}
