#!/usr/bin/env bash
# Installs everything the test command needs on a fresh Debian bookworm machine (run as root, or
# with sudo available). Idempotent: every step checks first, so a second run takes seconds.
#
#   bash scripts/setup.sh            # everything
#   SETUP_SKIP="browser autobahn"    # space-separated parts to leave out (rust wasm node python browser fuzz autobahn)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/lib.sh

skip() { [[ " ${SETUP_SKIP:-} " == *" $1 "* ]]; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

APT_UPDATED=0
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "apt-get install ${missing[*]}"
  if [ $APT_UPDATED = 0 ]; then
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# --- Rust: the toolchain itself comes from rustup (the machine's); we add components we use.
if ! skip rust; then
  need_cmd cargo "install Rust with rustup first"
  for c in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || { step "rustup component add $c"; rustup component add "$c"; }
  done
  apt_install pkg-config curl ca-certificates
fi

# --- WebAssembly: prefer a rustup wasm32 target (a normal laptop); fall back to Debian's rustc-web
# with the std sources and -Z build-std (see ../shared/notes/wasm-toolchain.md).
if ! skip wasm; then
  if [ "${WASM_ROUTE:-}" = debian ]; then
    apt_install rustc-web cargo-web rust-web-src lld-22
  elif ! wasm_rustup_ok; then
    step "rustup target add wasm32-unknown-unknown"
    if ! timeout 120 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || ! wasm_rustup_ok; then
      echo "rustup cannot provide wasm32 here; using Debian's rustc-web route"
      apt_install rustc-web cargo-web rust-web-src lld-22
    fi
  fi
  apt_install binaryen
  WBG_VERSION=$(wasm_bindgen_version)
  if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WBG_VERSION" ]; then
    step "cargo install wasm-bindgen-cli $WBG_VERSION"
    # --locked first (reproducible); without it when a locked dependency has left the registry.
    cargo install --locked --quiet wasm-bindgen-cli --version "$WBG_VERSION" 2>/dev/null \
      || cargo install --quiet wasm-bindgen-cli --version "$WBG_VERSION"
  fi
fi

# --- Node packages: the real peers (ws, eventsource, sdp-transform, engine.io-client,
# playwright-core), from the committed lockfile.
if ! skip node; then
  need_cmd node "install Node.js 20 (apt-get install nodejs npm)"
  stamp=interop/node_modules/.lock-stamp
  want=$(sha256sum interop/package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    step "npm ci (interop/)"
    (cd interop && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi
fi

# --- Python `websockets` (PyPI), a real peer for the codec-ws interop tests.
if ! skip python; then
  bash interop/ws/setup-python.sh
fi

# --- A real browser: Debian's chromium, never a downloaded one.
if ! skip browser; then
  apt_install chromium chromium-driver
fi

# --- Fuzzing: cargo-fuzz on the nightly toolchain.
if ! skip fuzz; then
  if ! rustup toolchain list | grep -q '^nightly'; then
    step "rustup toolchain install nightly"
    rustup toolchain install nightly --profile minimal
  fi
  command -v cargo-fuzz >/dev/null || { step "cargo install cargo-fuzz"; cargo install --locked --quiet cargo-fuzz 2>/dev/null || cargo install --quiet cargo-fuzz; }
fi

# --- Autobahn|Testsuite (wstest) in a Python 2.7 virtualenv, when pyenv has 2.7.
if ! skip autobahn && [ -f scripts/autobahn/setup.sh ]; then
  bash scripts/autobahn/setup.sh
fi

step "setup done"
