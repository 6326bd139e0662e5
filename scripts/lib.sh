# Shared shell helpers for scripts/*.sh (sourced, not run).

step() { printf '\n==> %s\n' "$*" >&2; }

need_cmd() {
  command -v "$1" >/dev/null 2>&1 || { echo "error: '$1' not found: $2" >&2; exit 1; }
}

# True when the rustup toolchain has the wasm32 standard library.
wasm_rustup_ok() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown
}

# The exact wasm-bindgen version in Cargo.lock: the CLI must match it.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# Runs `cargo "$@"` for wasm32-unknown-unknown by the route setup.sh chose: the rustup target when
# it exists, else Debian's rustc-web with -Z build-std (a separate target dir so the two
# toolchains never share a cache). WASM_ROUTE=debian forces the second route.
wasm_cargo() {
  if [ "${WASM_ROUTE:-}" != debian ] && wasm_rustup_ok; then
    cargo "$@" --target wasm32-unknown-unknown
  else
    # Debian ships wasm-ld as wasm-ld-NN (lld-NN); rustc's default `rust-lld` may not exist.
    local linker=/usr/bin/rust-lld
    [ -x "$linker" ] || linker=$(ls /usr/bin/wasm-ld-* 2>/dev/null | sort -V | tail -n 1)
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="${linker:-rust-lld}" \
      RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc CARGO_TARGET_DIR="$PWD/target/debian-web" \
      /usr/bin/cargo "$@" \
      --target wasm32-unknown-unknown -Z build-std=std,panic_abort
  fi
}

# The folder where wasm_cargo puts wasm32 artifacts for PROFILE.
wasm_out_dir() {
  if [ "${WASM_ROUTE:-}" != debian ] && wasm_rustup_ok; then
    echo "${CARGO_TARGET_DIR:-$PWD/target}/wasm32-unknown-unknown/$1"
  else
    echo "$PWD/target/debian-web/wasm32-unknown-unknown/$1"
  fi
}
