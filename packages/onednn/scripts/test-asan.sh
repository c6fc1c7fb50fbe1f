#!/usr/bin/env bash
# Runs the onednn suites against an AddressSanitizer build of the addon (any read or write outside the
# buffers it was given aborts the run with ASan's report), then rebuilds the normal addon.
# node itself is not instrumented, so libasan is preloaded; leak checks are off (V8 and oneDNN keep
# process-lifetime allocations) and the quarantine is 0 so the RSS test measures the addon, not ASan.
set -euo pipefail
cd "$(dirname "$0")/.."
trap 'rm -rf build && node scripts/build.mjs' EXIT
rm -rf build
TFJS_SKIP_ONEDNN_SANITIZE=1 node scripts/build.mjs
TFJS_SKIP_ONEDNN_ASAN=1 LD_PRELOAD="$(g++ -print-file-name=libasan.so)" ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:quarantine_size_mb=0 \
  npx vitest run --root ../.. packages/onednn
