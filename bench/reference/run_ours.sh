#!/usr/bin/env bash
# Our side of the side-by-side: `sfa train-offline` on the same images and the same split files as the
# reference (make_data.py), with the reference's flags, pinned to one core with one libtorch thread
# (the reference runs at the same time on the other core, see run_reference.sh).
#
#   bench/reference/run_ours.sh W E [moment-mode] [out]
#
# moment-mode: reference-faithful (the reference as run: centroid moments restart every epoch) or
# intended-ema (our default, the paper's EMA across epochs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
W=${1:?warm-up epochs}
E=${2:?epochs in all}
MODE=${3:-reference-faithful}
DATA=${DATA:-/tmp/sfa-ref-data}
OUT=${4:-/tmp/sfa-ours-runs/w${W}-e${E}-${MODE}}
CORE=${CORE:-1}
mkdir -p "$OUT"
export SFA_TORCH_THREADS=1
taskset -c "$CORE" bin/sfa train-offline \
  --dataset cifar10 --data-path "$DATA/cifar-10-batches-bin" --reference-split "$DATA/split" \
  --imb-type exp --imb-factor 0.1 --noise-mode imb --noise-ratio 0.3 \
  --warm-up "$W" --num-epochs "$E" --seed 123 --moment-mode "$MODE" \
  --threads 1 --interop-threads 1 --data-threads 1 \
  --output "$OUT" --no-progress 2>&1 | tee "$OUT/stdout.log"
