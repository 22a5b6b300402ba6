#!/usr/bin/env bash
# The release build: the office app (src/office.html → target/office-dist), the
# sync engine (src/engine.html → target/engine-dist, unhashed names: the apps
# import it by name), the spreadsheet module (src/sheets.html →
# target/sheets-dist, likewise), then the field app (index.html → dist/),
# whose post_build hook (tools/precache.mjs) puts the other three under
# dist/office/, dist/engine/ and dist/sheets/ and writes the service worker.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/env.sh
rm -rf target/office-dist target/engine-dist target/sheets-dist
trunk build --release --dist target/office-dist src/office.html
trunk build --release --filehash false --dist target/engine-dist src/engine.html
trunk build --release --filehash false --dist target/sheets-dist src/sheets.html
trunk build --release
