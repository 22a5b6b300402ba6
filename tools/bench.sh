#!/usr/bin/env bash
# Benchmarks (they print measurements; they are not pass/fail tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh browser
. tools/env.sh
bash tools/build.sh
node tools/size.mjs dist
node tests/browser/bench-store.mjs
node tests/browser/bench-list.mjs
node tests/browser/bench-print.mjs
node tests/browser/bench-sync.mjs
node tests/browser/bench-first-visit.mjs
cargo bench --bench filter
cargo bench --bench memory
