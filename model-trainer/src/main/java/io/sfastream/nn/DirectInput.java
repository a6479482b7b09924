package io.sfastream.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * One reusable direct buffer for network inputs, handed to PyTorch without a copy.
 *
 * <p>DJL's PyTorch engine wraps a buffer in a tensor without copying ({@code from_blob}) <b>only
 * when it is a direct {@link ByteBuffer}</b>. Any other buffer, including a direct {@link
 * FloatBuffer} view of a direct byte buffer, is copied into a freshly allocated direct buffer that
 * only the GC frees (PtNDManager.create in DJL 0.36) — the native-memory growth described in {@code
 * shared/notes/djl-offline.md} §5. {@link #create} therefore slices the byte buffer itself.
 *
 * <p>The tensor aliases this buffer: do not rewrite the region it covers while the tensor is alive
 * (close it, or its manager, first). Not thread-safe: one per thread.
 */
public final class DirectInput {
    private ByteBuffer bytes;
    private FloatBuffer floats;

    public DirectInput(int capacityFloats) {
        allocate(Math.max(1, capacityFloats));
    }

    private void allocate(int capacityFloats) {
        bytes =
                ByteBuffer.allocateDirect(Math.multiplyExact(capacityFloats, Float.BYTES))
                        .order(ByteOrder.nativeOrder());
        floats = bytes.asFloatBuffer();
    }

    /**
     * Grows the buffer (dropping its contents) when it holds fewer than {@code capacityFloats}
     * floats.
     */
    public void ensureCapacity(int capacityFloats) {
        if (capacityFloats > floats.capacity()) {
            allocate(capacityFloats);
        }
    }

    public int capacity() {
        return floats.capacity();
    }

    /**
     * A view for absolute {@code put(index, value)} writes; valid until the next {@link
     * #ensureCapacity} growth.
     */
    public FloatBuffer floats() {
        return floats;
    }

    /**
     * A float32 tensor of {@code shape} over the floats starting at {@code offsetFloats}, without a
     * copy.
     */
    public NDArray create(NDManager manager, int offsetFloats, Shape shape) {
        int count = Math.toIntExact(shape.size());
        if (offsetFloats < 0 || offsetFloats + count > floats.capacity()) {
            throw new IllegalArgumentException(
                    "region ["
                            + offsetFloats
                            + ", "
                            + (offsetFloats + count)
                            + ") is outside a buffer of "
                            + floats.capacity()
                            + " floats");
        }
        ByteBuffer region =
                bytes.duplicate()
                        .position(offsetFloats * Float.BYTES)
                        .limit((offsetFloats + count) * Float.BYTES)
                        .slice()
                        .order(ByteOrder.nativeOrder());
        return manager.create(region, shape, DataType.FLOAT32);
    }
}
