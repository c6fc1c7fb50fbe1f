#!/usr/bin/env bash
# Degradation on conv nets (He et al. 2016, Fig. 1 and 6) on Fashion-MNIST:
# plain-20 and plain-56 against ResNet-20 and ResNet-56, one recipe, one
# class-balanced subset of the full training set (EXAMPLES images), one seed.
#
#   RECIPE=he2016 run.sh   # SGD 0.1, momentum 0.9, L2 1e-4, x0.1 at 50%/75%, crop+flip, batch 128
#   RECIPE=adam run.sh     # Adam 0.001 (compare's default), constant, batch 64, no augmentation
#   RECIPE=adam-cosine run.sh  # the same with a cosine decay of the rate to 0 over the run
#
# Resumable: run it again after an interruption and every unfinished run
# continues from its last checkpoint (--resume); finished runs are skipped.
# Two chains run side by side (plain nets, residual nets), one per core.
# Writes runs/$RECIPE/<net>/{metrics.json,report.html}, $RECIPE-*.log and
# figure-$RECIPE.svg. Needs the full data set: apt-get install dataset-fashion-mnist
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=experiments/degradation
RECIPE=${RECIPE:-he2016}
EXAMPLES=${EXAMPLES:-4000}   # 400 per class, from the 60,000 training images
EPOCHS=${EPOCHS:-10}
BACKEND=${BACKEND:-wasm}
EXTRA=()
NAMED=$RECIPE
if [ "$RECIPE" = adam ]; then EXTRA=(--learning-rate 0.001 --schedule constant); fi
if [ "$RECIPE" = adam-cosine ]; then NAMED=adam; EXTRA=(--learning-rate 0.001 --schedule cosine); fi
# Two chains share the machine's cores, one thread each (a run is deterministic for its thread count).
THREADS=${THREADS:-1}

train() { # model
  local out=$HERE/runs/$RECIPE/$1
  local args=(train --model "$1" --data fashion-mnist --examples "$EXAMPLES" --epochs "$EPOCHS" --recipe "$NAMED" "${EXTRA[@]}" --seed 1 --backend "$BACKEND" --threads "$THREADS" --out "$out")
  if [ -f "$out/metrics.json" ]; then echo "$1: finished"; return; fi
  if [ -f "$out/model.json" ]; then args+=(--resume); fi
  echo "$(date -u +%FT%TZ) start: npx tfjs-skip ${args[*]}"
  local t0=$SECONDS
  npx tfjs-skip "${args[@]}"
  echo "$(date -u +%FT%TZ) end: $1, $((SECONDS - t0)) s wall"
}

chain() { for m in "$@"; do train "$m"; done; }

echo "$(date -u +%FT%TZ) $RECIPE: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), node $(node --version)" >> $HERE/hardware.txt
chain plain-56 plain-20 >> $HERE/$RECIPE-plain.log 2>&1 &
chain resnet-56 resnet-20 >> $HERE/$RECIPE-resnet.log 2>&1 &
wait
node $HERE/figure.mjs "$RECIPE"
