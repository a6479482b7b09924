#!/usr/bin/env bash
# Runs the DJL and the PyTorch benchmark with 1 and 2 threads, one after the other. From the repository root:
#   bench/run.sh [batch=64] [warmup=3] [timedResNet=15] [timedCnn=50]
set -euo pipefail
cd "$(dirname "$0")/.."
BATCH=${1:-64}; WARMUP=${2:-3}; TR=${3:-15}; TC=${4:-50}
mvn -o -q -B -pl model-trainer -am test-compile
mvn -o -q -B -pl model-trainer dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
CP="model-trainer/target/test-classes:model-trainer/target/classes:$(cat model-trainer/target/bench.classpath)"
export DJL_OFFLINE=true DJL_CACHE_DIR="$PWD/.cache/djl" OMP_WAIT_POLICY=PASSIVE
for T in 1 2; do
  java -Xmx3g -XX:MaxDirectMemorySize=512m -Dai.djl.offline=true \
    -Dai.djl.pytorch.num_threads=$T -Dai.djl.pytorch.num_interop_threads=1 \
    -cp "$CP" io.sfastream.bench.TrainStepBench "$BATCH" "$WARMUP" "$TR" "$TC" 2>/dev/null | grep -v '^\[W'
  /usr/bin/python3 bench/torch_bench.py --threads $T --batch "$BATCH" --warmup "$WARMUP" \
    --timed-resnet "$TR" --timed-cnn "$TC"
done
