package io.sfastream.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Batched inference (eval mode, no autograd) of an {@link SfaModel} on 8-bit HWC images. Not
 * thread-safe: one per thread (one per Flink subtask).
 *
 * <p>The input tensor is built in one reused direct buffer ({@link DirectInput}): DJL's {@code
 * create(float[])} (and {@code create} of anything but a direct {@code ByteBuffer}) allocates a
 * fresh direct buffer per call that only the GC frees, which is what makes native memory balloon
 * under load.
 */
public final class FeatureExtractor implements AutoCloseable {
    private final SfaModel model;
    private final int maxBatch;
    private final int pixels;
    private final float[] scale;
    private final float[] shift;
    private final DirectInput input;
    private final ParameterStore parameters;

    public FeatureExtractor(SfaModel model, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        this.model = model;
        this.maxBatch = maxBatch;
        ModelSpec spec = model.spec();
        this.pixels = spec.pixelsPerImage();
        float[] mean = spec.mean();
        float[] std = spec.std();
        this.scale = new float[spec.channels()];
        this.shift = new float[spec.channels()];
        for (int c = 0; c < spec.channels(); c++) {
            // (p/255 - mean) / std as one multiply-add per pixel
            scale[c] = 1f / (255f * std[c]);
            shift[c] = -mean[c] / std[c];
        }
        this.input = new DirectInput(maxBatch * pixels);
        this.parameters = new ParameterStore(model.djlModel().getNDManager(), false);
    }

    public SfaModel model() {
        return model;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Embeds up to {@link #maxBatch()} images, each {@code width*height*channels} bytes in HWC
     * order.
     */
    public Embeddings embed(List<byte[]> imagesHwc) {
        int n = imagesHwc.size();
        if (n == 0) {
            return new Embeddings(new float[0][], new float[0][], new float[0][]);
        }
        if (n > maxBatch) {
            throw new IllegalArgumentException("batch of " + n + " exceeds maxBatch " + maxBatch);
        }
        fillInput(imagesHwc);
        return forward(n);
    }

    /**
     * Embeds up to {@link #maxBatch()} images that are already transformed and normalised (CHW
     * floats, {@code pixelsPerImage} each), for datasets whose eval transform is more than
     * normalisation (resize, crop).
     */
    public Embeddings embedNormalised(float[][] rows) {
        int n = rows.length;
        if (n == 0) {
            return new Embeddings(new float[0][], new float[0][], new float[0][]);
        }
        if (n > maxBatch) {
            throw new IllegalArgumentException("batch of " + n + " exceeds maxBatch " + maxBatch);
        }
        FloatBuffer out = input.floats();
        for (int i = 0; i < n; i++) {
            if (rows[i].length != pixels) {
                throw new IllegalArgumentException(
                        "row "
                                + i
                                + " has "
                                + rows[i].length
                                + " floats, the model takes "
                                + pixels);
            }
            out.put(i * pixels, rows[i]);
        }
        return forward(n);
    }

    private Embeddings forward(int n) {
        ModelSpec spec = model.spec();
        boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try (NDManager batch = model.djlModel().getNDManager().newSubManager()) {
            NDArray x = input.create(batch, 0, SfaModel.inputShape(spec, n));
            NDList out = model.net().forward(parameters, new NDList(x), false);
            return new Embeddings(
                    rows(out.get(SfaNet.FEATURES), n),
                    rows(out.get(SfaNet.LOGITS), n),
                    rows(out.get(SfaNet.BALANCED_LOGITS), n));
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
        }
    }

    private void fillInput(List<byte[]> imagesHwc) {
        ModelSpec spec = model.spec();
        int channels = spec.channels();
        int plane = spec.width() * spec.height();
        FloatBuffer out = input.floats();
        int base = 0;
        for (byte[] image : imagesHwc) {
            if (image.length != pixels) {
                throw new IllegalArgumentException(
                        "image has "
                                + image.length
                                + " bytes, the model takes "
                                + spec.width()
                                + "x"
                                + spec.height()
                                + "x"
                                + channels
                                + " = "
                                + pixels);
            }
            for (int c = 0; c < channels; c++) {
                float s = scale[c];
                float t = shift[c];
                int dst = base + c * plane;
                for (int i = 0, src = c; i < plane; i++, src += channels) {
                    out.put(dst + i, (image[src] & 0xff) * s + t);
                }
            }
            base += pixels;
        }
    }

    private static float[][] rows(NDArray array, int n) {
        float[] flat = array.toFloatArray();
        int width = flat.length / n;
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return rows;
    }

    @Override
    public void close() {
        // The direct buffer is freed by the GC; the model belongs to the caller.
    }
}
