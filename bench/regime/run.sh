#!/usr/bin/env bash
# The regime study of issue 11: SFA (warm-up, then selection + semi-supervised co-training) against
# plain CE + Balanced Softmax on every noisy label (the same trainer with warm-up = all epochs), on a
# long-tailed noisy Fashion-MNIST subset, several seeds, one run per core (pinned, one libtorch thread).
#
#   bench/regime/run.sh [PLAN] [OUT]      # PLAN default bench/regime/plan.txt, OUT default /tmp/sfa-regime
#   CORES="0 1" bench/regime/run.sh       # which cores to use (default: all)
#
# PLAN: one run per line, "<name> <seed> <train-offline flags...>" ('#' comments). A run whose
# epochs.csv already has all its epochs is skipped, so an interrupted study continues where it stopped.
# Then: /usr/bin/python3 bench/regime/summarise.py OUT > table.md
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PLAN=${1:-bench/regime/plan.txt}
OUT=${2:-/tmp/sfa-regime}
CORES=${CORES:-$(seq -s ' ' 0 $(($(nproc) - 1)))}
mkdir -p "$OUT"
bin/sfa --version > /dev/null   # builds the jar once, before the workers start
QUEUE="$OUT/.queue"
grep -v '^\s*#' "$PLAN" | grep -v '^\s*$' > "$QUEUE"

epochs_of() { # the --num-epochs of a flag list
  local prev=""; for a in "$@"; do [[ $prev == --num-epochs ]] && echo "$a"; prev=$a; done
}

worker() {
  local core=$1 line name seed dir want have
  while true; do
    line=$(flock "$QUEUE.lock" bash -c "head -1 '$QUEUE'; sed -i 1d '$QUEUE'")
    [[ -z $line ]] && return
    read -r name seed rest <<< "$line"
    dir="$OUT/$name-s$seed"
    # shellcheck disable=SC2086
    want=$(epochs_of $rest)
    have=$([[ -f $dir/epochs.csv ]] && tail -n +2 "$dir/epochs.csv" | wc -l || echo 0)
    if [[ -n $want && $have -ge $want ]]; then echo "skip $name seed $seed (done)"; continue; fi
    rm -rf "$dir"; mkdir -p "$dir"
    echo "$(date +%T) core $core: $name seed $seed"
    # shellcheck disable=SC2086
    SFA_TORCH_THREADS=1 taskset -c "$core" bin/sfa train-offline --seed "$seed" $rest \
      --threads 1 --interop-threads 1 --data-threads 1 --output "$dir" --no-progress \
      > "$dir/stdout.log" 2>&1 || echo "FAILED $name seed $seed: $dir/stdout.log"
    echo "$(date +%T) core $core: $name seed $seed done"
  done
}

for c in $CORES; do worker "$c" & done
wait
echo "all runs in $OUT; table: /usr/bin/python3 bench/regime/summarise.py $OUT"
