#!/usr/bin/env bash
# Builds the npm package in bindings-wasm/npm/ from source:
#   1. the cdylib for wasm32 with the `wasm` profile (opt-level s, 3 for the hot crates; LTO, panic abort),
#      by the toolchain route of scripts/lib.sh (rustup target, else Debian rustc-web, which also
#      builds std without panic messages and size-optimised: see TARGET_RUSTFLAGS);
#   2. wasm-bindgen glue for Node (CommonJS, npm/node/) and for browsers/bundlers (ESM, npm/web/);
#      the same for each codec built alone (npm/sse/, npm/ws/, npm/longpoll/, npm/sdp/: the
#      package's subpath exports; WASM_SUBSETS=0 leaves them out);
#   3. wasm-opt (-Oz, or -O3 with WASM_OPT_LEVEL 2 or 3) when binaryen is installed (before
#      wasm-bindgen, see below);
#   4. prints the gzipped size of the .wasm and the JS glue of each target.
# With --pack it also runs `npm pack` and prints the tarball path on the last line.
# With --sizes it builds each codec alone (cargo features) and prints what each costs.
# WASM_OPT_LEVEL (s, z, 2, 3) sets one opt-level for every crate instead of the default mix
# (see PROFILE_ARGS below): measured here, 3 is 7% larger, z 5% smaller and about 10% slower.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

PACK=0 SIZES=0
for arg in "$@"; do
  case $arg in
    --pack) PACK=1 ;;
    --sizes) SIZES=1 ;;
    *) echo "usage: $0 [--pack] [--sizes]" >&2; exit 2 ;;
  esac
done

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

PROFILE_ARGS=(--profile wasm)
WASM_OPT_PASS=-Oz
case ${WASM_OPT_LEVEL:-} in
  "")
    # The hot loops (WebSocket unmasking, SSE line scanning, the batch builders of the
    # bindings) at opt-level 3, everything else at the profile's "s". Measured here: +2% gzipped
    # size for 3-9x faster WebSocket frame decoding and 1.4-1.6x faster SSE.
    for pkg in codec-ws codec-sse bindings-wasm; do
      PROFILE_ARGS+=(--config "profile.wasm.package.$pkg.opt-level=3")
    done
    ;;
  s | z) PROFILE_ARGS+=(--config "profile.wasm.opt-level=\"$WASM_OPT_LEVEL\"") ;;
  0 | 1 | 2 | 3)
    PROFILE_ARGS+=(--config "profile.wasm.opt-level=$WASM_OPT_LEVEL")
    WASM_OPT_PASS=-O3
    ;;
  *) echo "error: WASM_OPT_LEVEL must be s, z, 0, 1, 2 or 3" >&2; exit 2 ;;
esac

# Rust flags for the wasm32 build (one --config entry: RUSTFLAGS in the environment would
# replace it, so leave that unset).
TARGET_RUSTFLAGS=()
OPT_FEATURES=()
# WebAssembly SIMD (simd128) is on by default: every engine the package supports has it (Node
# 16.4+, Chrome 91+, Firefox 89+, Safari 16.4+), and it makes the line and mask scans of SSE and
# WebSocket vector code (measured here: SSE 1.4x faster, +0.7 KB gzipped). WASM_SIMD=0 builds
# without it, for an engine that has WebAssembly but not its SIMD.
if [ "${WASM_SIMD:-1}" = 1 ]; then
  TARGET_RUSTFLAGS+=('"-Ctarget-feature=+simd128"')
  OPT_FEATURES+=(--enable-simd)
fi
# The Debian rustc-web route builds std from source (scripts/lib.sh), so it can also build it
# without panic messages and with its size-optimised variants: -Cpanic=immediate-abort (every
# panic is a bare trap, as `panic = "abort"` already makes it, minus the message formatting and
# the file/line tables) and std's optimize_for_size (smaller sort, string and fmt code). A
# rustup target ships std prebuilt, so that route cannot. Measured here: 157 KB gzipped against
# 173 KB for the same sources by the rustup route.
if [ "${WASM_ROUTE:-}" = debian ] || ! wasm_rustup_ok; then
  TARGET_RUSTFLAGS+=('"-Zunstable-options"' '"-Cpanic=immediate-abort"')
  PROFILE_ARGS+=(-Z build-std-features=optimize_for_size)
fi
if [ ${#TARGET_RUSTFLAGS[@]} -gt 0 ]; then
  flags=$(IFS=,; echo "${TARGET_RUSTFLAGS[*]}")
  PROFILE_ARGS+=(--config "target.wasm32-unknown-unknown.rustflags=[$flags]")
fi

step "cargo build -p bindings-wasm ${PROFILE_ARGS[*]} (wasm32)"
wasm_cargo build --quiet -p bindings-wasm "${PROFILE_ARGS[@]}"
WASM="$(wasm_out_dir wasm)/bindings_wasm.wasm"
[ -f "$WASM" ] || { echo "error: $WASM was not built" >&2; exit 1; }

# wasm-opt runs on cargo's output, before wasm-bindgen: binaryen 108 (Debian bookworm) writes
# wasm-bindgen's externref table back as `anyref`, which engines reject. The flags are the features
# rustc enables by default for wasm32-unknown-unknown; wasm-opt must use no others.
OPT_FEATURES+=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-multivalue --enable-reference-types)
# wasm-opt's output for cargo's last build ($WASM) at $1 (a copy when binaryen is missing).
optimise() {
  if command -v wasm-opt >/dev/null 2>&1; then
    wasm-opt "$WASM_OPT_PASS" "${OPT_FEATURES[@]}" "$WASM" -o "$1"
  else
    cp "$WASM" "$1"
  fi
}
command -v wasm-opt >/dev/null 2>&1 ||
  echo "notice: wasm-opt (Debian package binaryen) not found: .wasm left unoptimised" >&2
mkdir -p target
step "wasm-opt $WASM_OPT_PASS"
optimise target/bindings_wasm.opt.wasm

# The codecs one by one, for the package's subpath exports (`realtime-codecs/sse`, ...): an app
# that needs one codec loads that codec's .wasm alone. WASM_SUBSETS=0 skips them (quicker
# rebuilds while working on the code; the tests need them).
SUBSETS=(sse ws longpoll sdp)
if [ "${WASM_SUBSETS:-1}" != 1 ]; then
  # package.json exports them: a tarball without them would be broken.
  [ "$PACK" = 0 ] || { echo "error: --pack needs the subpath builds (unset WASM_SUBSETS)" >&2; exit 2; }
  SUBSETS=()
fi
for codec in "${SUBSETS[@]}"; do
  step "cargo build -p bindings-wasm --no-default-features --features $codec (wasm32)"
  wasm_cargo build --quiet -p bindings-wasm "${PROFILE_ARGS[@]}" --no-default-features --features "$codec"
  optimise "target/bindings_wasm.$codec.opt.wasm"
done
if [ ${#SUBSETS[@]} -gt 0 ]; then
  # Leave the whole build in place for what reads $WASM later (--sizes, profiling).
  wasm_cargo build --quiet -p bindings-wasm "${PROFILE_ARGS[@]}"
fi

# wasm-bindgen glue for Node and browsers from the optimised module $1 into $2/node and $2/web.
bindgen() {
  local input=$1 root=$2 target dir type snippet classes pair
  for target in nodejs web; do
    case $target in
      nodejs) dir=$root/node type=commonjs ;;
      web) dir=$root/web type=module ;;
    esac
    step "wasm-bindgen --target $target -> $dir"
    rm -rf "$dir"
    wasm-bindgen --target "$target" --out-dir "$dir" --out-name "$NAME" "$input"
    # The JS fast path of `feed` (install_feeds in bindings-wasm/js/objects.js), installed once
    # when the glue loads, on the classes the build has (`typeof` tells without throwing).
    snippet=$(cd "$dir" && find snippets -name objects.js)
    [ -n "$snippet" ] || { echo "error: objects.js snippet missing in $dir" >&2; exit 1; }
    classes=
    for pair in SseParser:sse SseClient:sse WsConnection:ws WsFrameDecoder:frames; do
      classes+="[typeof ${pair%%:*} === \"function\" ? ${pair%%:*} : null, \"${pair#*:}\"], "
    done
    classes="[${classes%, }]"
    if [ "$target" = nodejs ]; then
      printf '\nrequire("./%s").install_feeds(%s);\n' "$snippet" "$classes" >>"$dir/$NAME.js"
    else
      printf '\nimport { install_feeds } from "./%s";\ninstall_feeds(%s);\n' "$snippet" "$classes" >>"$dir/$NAME.js"
    fi
    # Node decides CJS vs ESM for .js files by the nearest package.json.
    printf '{ "type": "%s" }\n' "$type" >"$dir/package.json"
    if [ "$target" = nodejs ] && [ -d "$dir/snippets" ]; then
      # The CommonJS glue require()s the JS snippets (bindings-wasm/js/*.js): make them CommonJS
      # too, so any Node 20 loads them (require of ES modules needs 20.19 or later).
      find "$dir/snippets" -name '*.js' -exec sed -i -E \
        's/^export function ([A-Za-z0-9_]+)\(/exports.\1 = function \1(/' {} +
      if grep -rqE '^(export|import) ' "$dir/snippets"; then
        echo "error: a JS snippet uses ES module syntax other than 'export function'" >&2
        exit 1
      fi
    fi
  done
}

bindgen target/bindings_wasm.opt.wasm "$NPM"
for codec in sse ws longpoll sdp; do
  rm -rf "${NPM:?}/$codec"
done
for codec in "${SUBSETS[@]}"; do
  bindgen "target/bindings_wasm.$codec.opt.wasm" "$NPM/$codec"
  # The Node ESM entry and its types, as for the whole package (same relative paths).
  cp "$NPM/node.mjs" "$NPM/node.d.mts" "$NPM/$codec/"
done

gz() { gzip -9 -c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }
echo
echo "package sizes (gzip -9):"
for dir in $NPM/node $NPM/web "${SUBSETS[@]/#/$NPM/}"; do
  [ -d "$dir/node" ] && dir=$dir/web
  w=$dir/${NAME}_bg.wasm
  # The JS glue: wasm-bindgen's module plus the object builders (bindings-wasm/js/).
  js=$(find "$dir" -name '*.js' | sort)
  # shellcheck disable=SC2086
  printf '  %-22s wasm %9s (raw %s)   js glue %8s (raw %s)\n' "$dir:" \
    "$(kb "$(gz "$w")")" "$(kb "$(wc -c <"$w")")" "$(kb "$(cat $js | gzip -9 | wc -c)")" "$(kb "$(cat $js | wc -c)")"
done

if [ "$SIZES" = 1 ]; then
  # One module per feature set (the subpath builds above where there are); the baseline is the
  # glue and runtime without any codec.
  echo
  echo "cost per codec (web target, .wasm gzip -9; each alone, and over the baseline):"
  tmp=$(mktemp -d)
  base=0
  for features in "" sse sdp ws longpoll "sse sdp ws longpoll"; do
    w="$tmp/f.wasm"
    if [ "$features" = "sse sdp ws longpoll" ]; then
      cp target/bindings_wasm.opt.wasm "$w" # the whole package, built above
    elif [ -n "$features" ] && [[ " ${SUBSETS[*]} " == *" $features "* ]]; then
      cp "target/bindings_wasm.$features.opt.wasm" "$w" # its subpath build, above
    else
      wasm_cargo build --quiet -p bindings-wasm "${PROFILE_ARGS[@]}" --no-default-features --features "$features"
      optimise "$w"
    fi
    rm -rf "$tmp/out"
    wasm-bindgen --target web --out-dir "$tmp/out" --out-name f "$w"
    n=$(gz "$tmp/out/f_bg.wasm")
    [ -z "$features" ] && base=$n
    printf '  %-24s %9s  (+%s)   js glue %s\n' "${features:-baseline}" "$(kb "$n")" "$(kb $((n - base)))" \
      "$(kb "$(gz "$tmp/out/f.js")")"
  done
  rm -rf "$tmp"
  # Leave the default build in place for what follows.
  wasm_cargo build --quiet -p bindings-wasm "${PROFILE_ARGS[@]}"
fi

if [ "$PACK" = 1 ]; then
  need_cmd npm "install Node.js 20 or later"
  step "npm pack"
  tgz=$(cd "$NPM" && npm pack --silent --pack-destination "$PWD/../../target" 2>/dev/null | tail -1)
  echo "$PWD/target/$tgz"
fi
