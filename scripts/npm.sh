#!/usr/bin/env bash
# Builds the npm packages and writes their `npm pack` tarballs to target/npm/*.tgz:
#
#   backlens-VERSION.tgz                   the launcher (bin/backlens.js), the JavaScript API
#                                          and the WebAssembly build of backlens-core
#   backlens-cli-linux-x64-VERSION.tgz     the native binary for this machine's platform
#
# Layout as Biome and oxlint ship: the launcher lists the platform packages it was built
# with as optionalDependencies (npm installs the one matching `os`/`cpu`); on a platform
# without one it runs the WebAssembly build. Other platforms are a build matrix away: run
# this script on each (or cross-compile with --target) — see npm/README.md.
#
#   scripts/npm.sh                 build both, pack into target/npm/
#   NPM_SKIP_BUILD=1 scripts/npm.sh  pack what target/ already holds
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$ROOT/target/npm"
STAGE="$OUT/stage"
VERSION="$(awk -F'"' '/^\[workspace.package\]/ { p = 1 } p && $1 ~ /^version = / { print $2; exit }' Cargo.toml)"
[ -n "$VERSION" ] || die "no workspace version in Cargo.toml"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) PLATFORM=linux ARCH=x64 ;;
  Linux-aarch64) PLATFORM=linux ARCH=arm64 ;;
  Darwin-arm64) PLATFORM=darwin ARCH=arm64 ;;
  Darwin-x86_64) PLATFORM=darwin ARCH=x64 ;;
  *) die "no npm platform name for $(uname -s)-$(uname -m)" ;;
esac

if [ -z "${NPM_SKIP_BUILD:-}" ]; then
  section "cargo build --release --bin backlens (native, $PLATFORM-$ARCH)"
  cargo build --release --locked --bin backlens
  section "cargo build -p backlens-wasm (wasm32, profile wasm-release) + wasm-bindgen --target nodejs"
  command -v wasm-bindgen >/dev/null || setup_wasm_bindgen
  cargo build --locked -p backlens-wasm --lib --target wasm32-unknown-unknown --profile wasm-release
fi

rm -rf "$STAGE" "$OUT"/*.tgz
mkdir -p "$STAGE"

# The platform package: the binary and its package.json.
platform_dir="$STAGE/cli-$PLATFORM-$ARCH"
mkdir -p "$platform_dir"
cp "$TARGET_DIR/release/backlens" "$platform_dir/backlens"
chmod +x "$platform_dir/backlens"
sed -e "s/@PLATFORM@/$PLATFORM/g" -e "s/@ARCH@/$ARCH/g" -e "s/@VERSION@/$VERSION/g" -e "s/@EXE@/backlens/g" \
  npm/platform/package.json.in > "$platform_dir/package.json"
sed -e "s/PLATFORM-ARCH/$PLATFORM-$ARCH/g" npm/platform/README.md > "$platform_dir/README.md"

# The launcher: its sources, the WebAssembly build, the version and the platform packages.
launcher="$STAGE/backlens"
cp -r npm/backlens "$launcher"
cp npm/README.md "$launcher/README.md"
wasm-bindgen --target nodejs --out-dir "$launcher/wasm" --out-name backlens_wasm \
  "$TARGET_DIR/wasm32-unknown-unknown/wasm-release/backlens_wasm.wasm"
if command -v wasm-opt >/dev/null; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    "$launcher/wasm/backlens_wasm_bg.wasm" -o "$launcher/wasm/backlens_wasm_bg.wasm"
fi
node -e '
  const fs = require("fs");
  const [file, version, platformPackage] = process.argv.slice(1);
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  pkg.version = version;
  pkg.optionalDependencies = { [platformPackage]: version };
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
' "$launcher/package.json" "$VERSION" "@backlens/cli-$PLATFORM-$ARCH"

section "npm pack → target/npm/"
for dir in "$launcher" "$platform_dir"; do
  (cd "$dir" && npm pack --silent --pack-destination "$OUT" >/dev/null)
done
ls -l "$OUT"/*.tgz
