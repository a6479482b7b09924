// Reproducer, not part of the build: DJL 0.36's PyTorch engine (libtorch 2.7.1, CPU) cannot cast an
// NDArray to bf16 — the JVM dies with "terminate called without an active exception" (2026-12-04).
// Run from the repository root after `mvn -q -DskipTests package`:
//   DJL_OFFLINE=true DJL_CACHE_DIR=$PWD/.cache/djl java -Dai.djl.offline=true \
//     -cp "$(cat pipeline/target/runtime-classpath.txt):$(cat pipeline/target/provided-classpath.txt)" \
//     bench/speed/Bf16Cast.java
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

public class Bf16Cast {
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.randomNormal(new Shape(64, 3, 32, 32));
            System.out.println("fp32 " + x.getShape() + ", casting to bf16 ...");
            NDArray b = x.toType(DataType.BFLOAT16, true);
            System.out.println("cast: " + b.getDataType());
        }
    }
}
