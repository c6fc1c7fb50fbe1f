#!/usr/bin/env bash
# ResNet-20 on the full Fashion-MNIST (60,000 training, 10,000 test images)
# with the one-cycle recipe: SGD with Nesterov momentum 0.9, one learning-rate
# cycle peaking at 0.2 after 30% of the run, L2 weight decay 5e-4 on kernels,
# batch 128, random crop (2-pixel padding) and horizontal flip, label
# smoothing 0.1. EPOCHS sets the length (the schedule is laid out over it).
#
# Resumable: run it again after an interruption; it continues from the last
# checkpoint with --resume. Needs: apt-get install dataset-fashion-mnist
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=experiments/accuracy
EPOCHS=${EPOCHS:-5}
OUT=$HERE/runs/resnet-20-one-cycle-${EPOCHS}ep
args=(train --model resnet-20 --data fashion-mnist --epochs "$EPOCHS" --recipe one-cycle --seed 1 --backend wasm --out "$OUT")
if [ -f "$OUT/metrics.json" ]; then echo "finished: $OUT/metrics.json"; exit 0; fi
if [ -f "$OUT/model.json" ]; then args+=(--resume); fi
echo "$(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), node $(node --version)" >> $HERE/hardware.txt
echo "$(date -u +%FT%TZ) start: npx tfjs-skip ${args[*]}"
t0=$SECONDS
npx tfjs-skip "${args[@]}"
echo "$(date -u +%FT%TZ) end: $((SECONDS - t0)) s wall"
