#!/bin/bash
# Run the SFA reference (HotanLee/SFA Train_cifar.py, unchanged) on CPU, one core, under cProfile.
#
# usage: run_reference.sh W E [RUN_NAME]
#   W = --warm_up, E = --num_epochs. Outputs in /tmp/sfa-ref/runs/RUN_NAME (default w<W>_e<E>):
#     stdout.log                 stdout + stderr of the reference
#     ref.prof                   cProfile output (python3 -m pstats ref.prof)
#     checkpoint/*_stats.txt     the reference's selection log (labelled count, AUC, per-shot P&R, per SSL epoch/net)
#     checkpoint/*_acc.txt       the reference's test log (accuracy + per-class accuracy per epoch)
#     checkpoint/model_*.pth     the reference's checkpoint at epoch == W
#     time.txt                   start/end timestamps and wall seconds
# env: CODE_DIR (default /tmp/sfa-ref/code), DATA_PATH (default /tmp/sfa-ref-data/cifar-10-batches-py),
#      CORE (default 0), EXTRA_ARGS (appended to the reference's flags, e.g. "--resume 2": the reference then loads
#      ./checkpoint/model_cifar10_resnet18_exp_0.1_imb_0.3_e2.pth from the run dir and starts at epoch 3)
# Seed: the run uses seed 123 = the reference's default. `--seed 123` is NOT passed on purpose: the reference
# declares `parser.add_argument('--seed', default=123)` without type=int, so a command-line value arrives as the
# string '123' and np.random.seed('123') raises TypeError in set_seed(). Leaving the flag out gives the int 123.
set -euo pipefail
W=${1:?usage: run_reference.sh W E [RUN_NAME]}
E=${2:?usage: run_reference.sh W E [RUN_NAME]}
NAME=${3:-w${W}_e${E}}
HERE=$(cd "$(dirname "$0")" && pwd)
CODE_DIR=${CODE_DIR:-/tmp/sfa-ref/code}
DATA_PATH=${DATA_PATH:-/tmp/sfa-ref-data/cifar-10-batches-py}
CORE=${CORE:-0}
RUN_DIR=/tmp/sfa-ref/runs/$NAME

mkdir -p "$RUN_DIR"
cd "$RUN_DIR"   # the reference writes ./checkpoint/ in its working directory
export PYTHONPATH="$HERE/refshim:$CODE_DIR"
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE PYTHONUNBUFFERED=1

start=$(date +%s.%N)
echo "start $(date -u +%FT%TZ)" > time.txt
set +e
taskset -c "$CORE" /usr/bin/python3 -m cProfile -o "$RUN_DIR/ref.prof" "$CODE_DIR/Train_cifar.py" \
    --dataset cifar10 --data_path "$DATA_PATH" --imb_type exp --imb_factor 0.1 \
    --noise_mode imb --noise_ratio 0.3 --warm_up "$W" --num_epochs "$E" ${EXTRA_ARGS:-} \
    > "$RUN_DIR/stdout.log" 2>&1
rc=$?
set -e
end=$(date +%s.%N)
{ echo "end $(date -u +%FT%TZ)"; echo "rc $rc"; echo "wall_s $(echo "$end - $start" | bc)"; } >> time.txt
cat time.txt
exit $rc
