#!/usr/bin/env bash
# Installs what is missing, then runs every test: formatting and lints, native
# domain tests, the release build and its size budget, the browser tests in
# headless Chromium, and the core flows in Chromium, Firefox ESR and WebKitGTK.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh browser
. tools/env.sh

echo "== habits: formatting and lints, for the host and for wasm"
cargo fmt --all -- --check
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo clippy --locked --workspace --target wasm32-unknown-unknown --lib --bins -- -D warnings
echo "== habits: every JavaScript file through ESLint (the apps' adapters, tools, server, tests)"
tools/node_modules/.bin/eslint --config tools/eslint.config.mjs .

echo "== native tests"
cargo test --locked --workspace

echo "== the storage contract against IndexedDB: wasm-bindgen-test in headless Chromium"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON=tests/wasm/webdriver.json \
  cargo test --locked --target wasm32-unknown-unknown --test backend_contract_idb

echo "== the server's access rules (design document), as a function and over HTTP in both test-server flavours"
node --test --test-concurrency=1 tests/server/

echo "== release build"
bash tools/build.sh

echo "== size of the first load"
node tools/size.mjs dist

echo "== browser tests (headless Chromium)"
node --test --test-concurrency=1 tests/browser/

echo "== the core flows in three engines: Chromium, Firefox ESR, WebKitGTK (under a virtual display)"
xvfb-run -a node --test --test-concurrency=1 tests/engines/

echo "== soak (short): every acknowledged edit stored and shown, at full speed and with the CPU 4x slower"
node tests/browser/soak.mjs 60 1 1
node tests/browser/soak.mjs 60 2 4
