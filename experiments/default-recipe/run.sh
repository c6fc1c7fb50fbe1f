#!/usr/bin/env bash
# The default recipe of `tfjs-skip train` (what `npm start` runs: ResNet-8 on
# the shipped Fashion-MNIST sample, 5 epochs, batch 64, Adam): a constant
# rate of 0.002 (the default until this experiment) against 0.003 decayed to
# 0 by a cosine over the run (the default since), seeds 1 to 3, every core.
# Writes runs/<variant>-s<seed>/{metrics.json,report.html} and run.log.
# Resumable: finished runs are skipped, interrupted ones go on (--resume).
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=experiments/default-recipe
echo "$(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), node $(node --version)" >> $HERE/hardware.txt
for seed in 1 2 3; do
  for variant in constant-0.002 cosine-0.003; do
    out=$HERE/runs/$variant-s$seed
    rate=${variant#*-}
    schedule=${variant%-*}
    args=(train --seed "$seed" --learning-rate "$rate" --schedule "$schedule" --out "$out")
    if [ -f "$out/metrics.json" ]; then echo "$variant seed $seed: finished"; continue; fi
    if [ -f "$out/model.json" ]; then args+=(--resume); fi
    echo "$(date -u +%FT%TZ) start: npx tfjs-skip ${args[*]}"
    t0=$SECONDS
    npx tfjs-skip "${args[@]}"
    echo "$(date -u +%FT%TZ) end: $((SECONDS - t0)) s wall"
  done
done
node -e '
const fs = require("fs");
const dir = process.argv[1];
for (const v of ["constant-0.002", "cosine-0.003"]) {
  const acc = [1, 2, 3].map((s) => JSON.parse(fs.readFileSync(`${dir}/runs/${v}-s${s}/metrics.json`)).testAccuracy);
  console.log(`${v}: test accuracy ${acc.map((a) => a.toFixed(3)).join(", ")}; mean ${(acc.reduce((a, b) => a + b) / 3).toFixed(4)}`);
}' "$HERE"
