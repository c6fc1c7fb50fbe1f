#!/usr/bin/env bash
# `compare --family conv` on the embedded 6,000-image sample (1,000 of it):
# plain-20, ResNet-20, plain-56, ResNet-56, same initial weights per depth,
# same data order. Two recipes:
#   adam:   the compare default (Adam 0.001, batch 64, constant rate), 3 epochs
#   he2016: SGD 0.1 + momentum + L2 + step schedule + crop/flip, batch 64,
#           one warm-up epoch, 4 epochs
# Each writes experiments/compare-sample/<recipe>/{metrics.json,report.html,run.log}.
# Usage: run.sh adam | run.sh he2016. No data to install (the sample ships with the CLI).
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=experiments/compare-sample
which=${1:-adam}
mkdir -p $HERE/$which
if [ "$which" = adam ]; then
  args=(compare --family conv --depth 20 56 --examples 1000 --epochs 3 --out $HERE/$which)
else
  args=(compare --family conv --depth 20 56 --examples 1000 --epochs 4 --recipe he2016 --batch-size 64 --warmup-epochs 1 --out $HERE/$which)
fi
t0=$SECONDS
{ echo "+ npx tfjs-skip ${args[*]}"; npx tfjs-skip "${args[@]}"; echo "wall $((SECONDS - t0)) s"; } 2>&1 | tee $HERE/$which/run.log
