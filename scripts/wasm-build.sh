#!/usr/bin/env bash
# Builds the npm package in bindings-wasm/npm/ from source:
#   1. the cdylib for wasm32 with the `wasm` profile (opt-level s, LTO, panic abort),
#      by the toolchain route of scripts/lib.sh (rustup target, else Debian rustc-web);
#   2. wasm-bindgen glue for Node (CommonJS, npm/node/) and for browsers/bundlers (ESM, npm/web/);
#   3. wasm-opt -Oz when binaryen is installed (before wasm-bindgen, see below);
#   4. prints the gzipped size of the .wasm and the JS glue of each target.
# With --pack it also runs `npm pack` and prints the tarball path on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

PACK=0
[ "${1:-}" = --pack ] && PACK=1

NAME=realtime_codecs
NPM=bindings-wasm/npm

need_cmd wasm-bindgen "install it with: cargo install wasm-bindgen-cli --version $(wasm_bindgen_version)"
want=$(wasm_bindgen_version)
have=$(wasm-bindgen --version | awk '{print $2}')
if [ "$want" != "$have" ]; then
  echo "error: wasm-bindgen CLI is $have but Cargo.lock has $want:" \
    "cargo install wasm-bindgen-cli --version $want" >&2
  exit 1
fi

step "cargo build -p bindings-wasm --profile wasm (wasm32)"
wasm_cargo build --quiet -p bindings-wasm --profile wasm
WASM="$(wasm_out_dir wasm)/bindings_wasm.wasm"
[ -f "$WASM" ] || { echo "error: $WASM was not built" >&2; exit 1; }

# wasm-opt runs on cargo's output, before wasm-bindgen: binaryen 108 (Debian bookworm) writes
# wasm-bindgen's externref table back as `anyref`, which engines reject. The flags are the features
# rustc enables by default for wasm32-unknown-unknown; wasm-opt must use no others.
OPT_FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-multivalue --enable-reference-types)
INPUT=$WASM
if command -v wasm-opt >/dev/null 2>&1; then
  step "wasm-opt -Oz"
  mkdir -p target
  INPUT=target/bindings_wasm.opt.wasm
  wasm-opt -Oz "${OPT_FEATURES[@]}" "$WASM" -o "$INPUT"
else
  echo "notice: wasm-opt (Debian package binaryen) not found: .wasm left unoptimised" >&2
fi

for target in nodejs web; do
  case $target in
    nodejs) dir=$NPM/node type=commonjs ;;
    web) dir=$NPM/web type=module ;;
  esac
  step "wasm-bindgen --target $target -> $dir"
  rm -rf "$dir"
  wasm-bindgen --target "$target" --out-dir "$dir" --out-name "$NAME" "$INPUT"
  # Node decides CJS vs ESM for .js files by the nearest package.json.
  printf '{ "type": "%s" }\n' "$type" >"$dir/package.json"
done

gz() { gzip -9 -c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }
echo
echo "package sizes (gzip -9):"
for dir in $NPM/node $NPM/web; do
  w=$dir/${NAME}_bg.wasm j=$dir/$NAME.js
  printf '  %-22s wasm %9s (raw %s)   js glue %8s (raw %s)\n' "$dir:" \
    "$(kb "$(gz "$w")")" "$(kb "$(wc -c <"$w")")" "$(kb "$(gz "$j")")" "$(kb "$(wc -c <"$j")")"
done

if [ "$PACK" = 1 ]; then
  need_cmd npm "install Node.js 20 or later"
  step "npm pack"
  tgz=$(cd "$NPM" && npm pack --silent --pack-destination "$PWD/../../target" 2>/dev/null | tail -1)
  echo "$PWD/target/$tgz"
fi
