#!/usr/bin/env bash
# Installs what is missing, then builds and serves the app on http://127.0.0.1:${PORT:-8080}/
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
. tools/env.sh
exec trunk serve --release --address 127.0.0.1 --port "${PORT:-8080}"
