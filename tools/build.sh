#!/usr/bin/env bash
# The release build: the office app (src/office.html → target/office-dist), the
# sync engine (src/sync_engine/index.html → target/engine-dist, unhashed names: the apps
# import it by name), the spreadsheet module (src/sheets/index.html →
# target/sheets-dist, likewise) and the field app (index.html → dist/), each
# finished by trunk's post_build hook (tools/release/finish-app.mjs); then
# tools/release/assemble.mjs puts the other three under dist/office/,
# dist/engine/ and dist/sheets/ and writes the service worker.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/env.sh
# A release names no folder of the machine that built it: panic locations of
# crates from the registry read `tachys-0.2.19/src/…`, not the builder's cargo
# folder (the same bytes from any machine; 0.05 KB less gzip in the field
# app). Added to .cargo/config.toml's flags, which cargo merges with this.
registry_paths=$(for d in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do printf -- '--remap-path-prefix=%s= ' "$d"; done)
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$registry_paths"
rm -rf target/office-dist target/engine-dist target/sheets-dist
trunk build --release --dist target/office-dist src/office.html
trunk build --release --filehash false --dist target/engine-dist src/sync_engine/index.html
trunk build --release --filehash false --dist target/sheets-dist src/sheets/index.html
trunk build --release
node tools/release/assemble.mjs
