#!/usr/bin/env bash
# Where the bytes of the playground's WebAssembly go (issue 14, "Smaller downloads"): builds the
# analysis worker (default) or the page with function names kept, optimises it as Trunk does
# (wasm-bindgen, then wasm-opt -Oz; names kept, DWARF dropped) and prints the size of its code by module.
#
#   scripts/wasm-sizes.sh [worker|page] [--by crate|module|visitor|function] [--top N]
#
# The build goes to $CARGO_TARGET_DIR/sizes (or target/sizes): its flags (v0 symbol names,
# no stripping) differ from the release build's, and must not invalidate its cache.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

what="${1:-worker}"
shift || true
case "$what" in
  worker) bin=backlens-worker ;;
  page) bin=backlens-web ;;
  *) die "usage: scripts/wasm-sizes.sh [worker|page] [--by crate|module|visitor|function] [--top N]" ;;
esac

target="${CARGO_TARGET_DIR:-$ROOT/target}/sizes"
(cd "$ROOT" && CARGO_TARGET_DIR="$target" CARGO_PROFILE_WASM_RELEASE_STRIP=none \
  RUSTFLAGS="-C symbol-mangling-version=v0" \
  cargo build --quiet -p backlens-web --bin "$bin" --target wasm32-unknown-unknown --profile wasm-release)
raw="$target/wasm32-unknown-unknown/wasm-release/$bin.wasm"
# As Trunk does: wasm-bindgen (names kept), then wasm-opt -Oz (names kept, DWARF dropped).
wasm-bindgen --target no-modules --keep-debug --no-typescript --out-dir "$target/bindgen" --out-name "$bin" "$raw"
optimised="$target/$bin.named.wasm"
wasm-opt -Oz -g --strip-dwarf "$target/bindgen/${bin}_bg.wasm" -o "$optimised"
node "$ROOT/scripts/wasm-sizes.mjs" "$optimised" "$@"
