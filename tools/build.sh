#!/usr/bin/env bash
# The release build: the office app (src/office.html → target/office-dist), then
# the field app (index.html → dist/), whose post_build hook (tools/precache.mjs)
# puts the office app under dist/office/ and writes the service worker for both.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/env.sh
rm -rf target/office-dist
trunk build --release --dist target/office-dist src/office.html
trunk build --release
