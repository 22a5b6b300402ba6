#!/usr/bin/env bash
# Installs what is missing, builds the release (with its service worker) and
# serves it on http://127.0.0.1:${PORT:-8080}/ like any static host would.
# For development with live reload and no service worker: `trunk serve` (debug).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
. tools/env.sh
bash tools/build.sh
exec node tools/serve-dist.mjs
