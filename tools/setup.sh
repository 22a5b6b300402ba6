#!/usr/bin/env bash
# Installs what building and testing need, skipping what is already there.
# Only package registries are used (crates.io, npm, Debian); nothing downloads
# a prebuilt binary from anywhere else.
#   tools/setup.sh          build tools (wasm target, trunk, wasm-bindgen-cli, wasm-opt)
#   tools/setup.sh browser  also Chromium, Firefox ESR, WebKitGTK, poppler-utils and their drivers for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\n== %s\n' "$*"; }

command -v cargo >/dev/null || { echo "Rust is missing: install it with rustup (https://rustup.rs) first." >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.'; then
  say "installing trunk 0.21.14 (about 11 minutes)"
  cargo install trunk --version 0.21.14 --locked
fi

# trunk uses wasm-bindgen from PATH only when it matches Cargo.lock exactly.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $bindgen_version"; then
  say "installing wasm-bindgen-cli $bindgen_version (about 4 minutes)"
  # --locked fails to resolve a dependency of this version today; the plain install works.
  cargo install wasm-bindgen-cli --version "=$bindgen_version"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing Node.js and npm (Debian)"
  apt_install nodejs npm
fi

if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ ! -d tools/node_modules/terser ] || [ ! -d tools/node_modules/eslint ]; then
  say "installing wasm-opt (npm package binaryen), terser and eslint"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "${1:-}" = browser ] && [ ! -d tests/server/node_modules/express-pouchdb ]; then
  say "installing the CouchDB test server (npm express-pouchdb over PouchDB in memory)"
  (cd tests/server && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "${1:-}" = browser ]; then
  if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null || [ ! -d /usr/share/fonts/truetype/wqy ]; then
    say "installing Chromium, poppler-utils and a CJK font (Debian)"
    apt_install chromium chromium-driver poppler-utils fonts-wqy-microhei
  fi
  if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ] || [ ! -d tests/browser/node_modules/jsqr ]; then
    say "installing playwright-core (npm; it uses Debian's Chromium, no browser download) and axe-core"
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
  fi
  # The core flows in two more engines (tests/engines): Firefox ESR over
  # WebDriver BiDi, and WebKitGTK's MiniBrowser through WebKitWebDriver, which
  # needs a display (xvfb-run).
  if [ ! -x /usr/bin/firefox-esr ] || [ ! -x /usr/bin/WebKitWebDriver ] || ! command -v xvfb-run >/dev/null || ! command -v xauth >/dev/null; then
    say "installing Firefox ESR, WebKitGTK's WebDriver and a virtual display (Debian)"
    apt_install firefox-esr webkit2gtk-driver xvfb xauth
  fi
  # nginx runs the shipped configuration (server/nginx/) in a browser test,
  # as its own unprivileged process on loopback ports: installed without
  # starting Debian's service (policy-rc.d says no, for this install only).
  if ! command -v nginx >/dev/null || ! command -v openssl >/dev/null; then
    say "installing nginx and openssl (Debian), without starting the nginx service"
    made_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
      as_root chmod +x /usr/sbin/policy-rc.d
      made_policy=1
    fi
    apt_install nginx-light openssl
    if [ "$made_policy" = 1 ]; then as_root rm -f /usr/sbin/policy-rc.d; fi
  fi
  if [ ! -d tests/engines/node_modules/puppeteer-core ] || [ ! -d tests/engines/node_modules/selenium-webdriver ]; then
    say "installing puppeteer-core and selenium-webdriver (npm; Debian's browsers, no download)"
    (cd tests/engines && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

# Trunk.toml runs cargo offline, so every crate must be here first.
cargo fetch --quiet
