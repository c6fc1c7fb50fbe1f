#!/usr/bin/env bash
# Measures the distributed example on this machine: ResNet-20 composed in
# TF.js, trained in Keras 3 for 3 epochs on the 6,000-image Fashion-MNIST
# sample (global batch 128) without a strategy and under MirroredStrategy
# over 2 logical CPU devices, alternating, ROUNDS times (default 2: the
# machine is shared, so compare medians of runs made side by side), then each
# trained model read back and evaluated in TF.js.
#   bash examples/keras-distributed/measure.sh   (from the repository root)
# Writes examples/keras-distributed/results/: the reports of both runs and
# the TF.js evaluations, with the machine's load before and after.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${TFJS_SKIP_PYTHON:-.venv/bin/python}"
OUT=examples/keras-distributed/results
TMP="$(mktemp -d)"
mkdir -p "$OUT"
{ echo "date: $(date -u +%FT%TZ)"; echo "cpus: $(nproc)"; echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"; } > "$OUT/machine.txt"
start=$(date +%s%N)
node --import tsx examples/keras-distributed/compose.ts "$TMP/resnet20.keras" 20 > "$OUT/compose.json"
echo "compose + write .keras: $(( ($(date +%s%N) - start) / 1000000 )) ms" >> "$OUT/machine.txt"
for round in $(seq "${ROUNDS:-2}"); do
  for strategy in none mirrored; do
    run="$strategy-$round"
    KERAS_BACKEND=tensorflow TF_CPP_MIN_LOG_LEVEL=3 "$PY" examples/keras-distributed/train.py \
      --model "$TMP/resnet20.keras" --out "$TMP/trained-$run.keras" --strategy "$strategy" --devices 2 \
      --epochs 3 --batch-size 128 --metrics "$OUT/train-$run.json" > "$OUT/train-$run.log" 2>&1
    node --import tsx examples/keras-distributed/evaluate.ts "$TMP/trained-$run.keras" > "$OUT/evaluate-$run.json"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
rm -rf "$TMP"
cat "$OUT/machine.txt"
