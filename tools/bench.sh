#!/usr/bin/env bash
# Benchmarks (they print measurements; they are not pass/fail tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh browser
. tools/env.sh
trunk build --release
node tools/size.mjs dist
node tests/browser/bench-save.mjs
