package io.sfastream.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class DirectInputTest {

    private static long directBuffers() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getCount();
            }
        }
        throw new AssertionError("no direct buffer pool");
    }

    @Test
    void tensorsAliasTheBufferWithoutAllocatingDirectMemory() {
        DjlRuntime.engine();
        DirectInput input = new DirectInput(64);
        FloatBuffer f = input.floats();
        for (int i = 0; i < 64; i++) {
            f.put(i, i);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            long before = directBuffers();
            for (int i = 0; i < 200; i++) {
                try (NDManager sub = m.newSubManager()) {
                    NDArray a = input.create(sub, 10, new Shape(2, 3));
                    assertThat(a.toFloatArray()).containsExactly(10, 11, 12, 13, 14, 15);
                }
            }
            assertThat(directBuffers() - before)
                    .as("direct buffers allocated by 200 creates")
                    .isZero();
            // the contrast that motivates the class: a FloatBuffer view is copied into a new direct
            // buffer each time
            long beforeCopy = directBuffers();
            try (NDManager sub = m.newSubManager()) {
                for (int i = 0; i < 5; i++) {
                    sub.create(f.duplicate().position(0).limit(6).slice(), new Shape(6));
                }
            }
            assertThat(directBuffers() - beforeCopy).isGreaterThanOrEqualTo(1);
        }
    }
}
