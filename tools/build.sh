#!/usr/bin/env bash
# The release build: the office app (src/office.html → target/office-dist), the
# sync engine (src/engine.html → target/engine-dist, unhashed names: the apps
# import it by name), then the field app (index.html → dist/), whose post_build
# hook (tools/precache.mjs) puts the other two under dist/office/ and
# dist/engine/ and writes the service worker for all.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/env.sh
rm -rf target/office-dist target/engine-dist
trunk build --release --dist target/office-dist src/office.html
trunk build --release --filehash false --dist target/engine-dist src/engine.html
trunk build --release
