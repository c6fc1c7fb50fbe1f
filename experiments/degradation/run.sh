#!/usr/bin/env bash
# Degradation on conv nets (He et al. 2016, Fig. 1 and 6) on Fashion-MNIST:
# plain-20 and plain-56 against ResNet-20 and ResNet-56, one recipe (he2016),
# one class-balanced subset of the full training set, one seed.
#
# Resumable: run it again after an interruption and every unfinished run
# continues from its last checkpoint (--resume); finished runs are skipped.
# Two chains run side by side (plain nets, residual nets), one per core.
# Needs the full data set: apt-get install dataset-fashion-mnist
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=experiments/degradation
EXAMPLES=${EXAMPLES:-4000}   # 400 per class, from the 60,000 training images
EPOCHS=${EPOCHS:-10}
BACKEND=${BACKEND:-wasm}

train() { # model
  local out=$HERE/runs/$1
  local args=(train --model "$1" --data fashion-mnist --examples "$EXAMPLES" --epochs "$EPOCHS" --recipe he2016 --seed 1 --backend "$BACKEND" --out "$out")
  if [ -f "$out/metrics.json" ]; then echo "$1: finished"; return; fi
  if [ -f "$out/model.json" ]; then args+=(--resume); fi
  echo "$(date -u +%FT%TZ) start: npx tfjs-skip ${args[*]}"
  local t0=$SECONDS
  npx tfjs-skip "${args[@]}"
  echo "$(date -u +%FT%TZ) end: $1, $((SECONDS - t0)) s wall"
}

chain() { for m in "$@"; do train "$m"; done; }

{ echo "$(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), node $(node --version)"; } >> $HERE/hardware.txt
chain plain-56 plain-20 > $HERE/plain.log 2>&1 &
chain resnet-56 resnet-20 > $HERE/resnet.log 2>&1 &
wait
node $HERE/figure.mjs
