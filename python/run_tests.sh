#!/usr/bin/env bash
# Installs tfjs-skip (Python) with its test extras into a venv and runs its tests
# on the TensorFlow backend, then on the torch backend when torch is installed.
#   bash python/run_tests.sh            # venv at python/.venv
#   VENV=/work/venv bash python/run_tests.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${VENV:-$here/.venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --retries 0 --timeout 5 -q "$here[test]"
cd "$here"
KERAS_BACKEND=tensorflow "$venv/bin/python" -m pytest -q -p no:warnings tests
if "$venv/bin/python" -c "import torch" 2>/dev/null; then
  KERAS_BACKEND=torch "$venv/bin/python" -m pytest -q -p no:warnings tests
fi
