# Shared by the backlens scripts: `source scripts/lib.sh`, then `setup`.
# Installs what building and testing needs. Idempotent: every step checks first and is
# skipped when its tool is already there at the right version, so a second run takes seconds.
#
#   - Rust target wasm32-unknown-unknown (rustup)
#   - trunk 0.21.14 (cargo install --locked)
#   - wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock (cargo install)
#   - tests/e2e/node_modules (npm ci): playwright-core, and binaryen whose wasm-opt is put
#     FIRST on PATH (never Debian's binaryen)
#   - web/editor/node_modules (npm ci): CodeMirror 6 and esbuild, for the editor bundle
#   - Debian's chromium (apt-get) for the browser test, when /usr/bin/chromium is missing
#
# Trunk never downloads anything: Trunk.toml has offline = true, and TRUNK_OFFLINE is set here.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"

export PATH="$ROOT/tests/e2e/node_modules/binaryen/bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export TRUNK_OFFLINE=true
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

section() {
  printf '\n==== %s ====\n' "$*"
}

step() {
  printf -- '-- %s\n' "$*"
}

die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Another `cargo install` (of anything) on this machine: wait for it instead of racing it
# for the same ~/.cargo/bin and registry locks.
wait_for_other_cargo_install() {
  local waited=0
  command -v pgrep >/dev/null 2>&1 || return 0
  while pgrep -f "cargo install" >/dev/null 2>&1; do
    if [ $((waited % 60)) -eq 0 ]; then
      step "waiting for a running 'cargo install' to finish ($(pgrep -af 'cargo install' | head -1))"
    fi
    sleep 5
    waited=$((waited + 5))
  done
}

# The version of the wasm-bindgen crate that Cargo.lock pins (the CLI must match it exactly).
locked_wasm_bindgen_version() {
  awk '
    $0 == "[[package]]" { name = "" }
    $1 == "name" && $3 == "\"wasm-bindgen\"" { name = "wasm-bindgen" }
    $1 == "version" && name == "wasm-bindgen" { gsub(/"/, "", $3); print $3; exit }
  ' "$ROOT/Cargo.lock"
}

setup_rust_target() {
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    step "rust target wasm32-unknown-unknown: present"
  else
    step "rust target wasm32-unknown-unknown: installing"
    rustup target add wasm32-unknown-unknown
  fi
}

setup_trunk() {
  local have
  have="$(trunk --version 2>/dev/null || true)"
  if [ "$have" = "trunk $TRUNK_VERSION" ]; then
    step "trunk $TRUNK_VERSION: present"
    return
  fi
  wait_for_other_cargo_install
  have="$(trunk --version 2>/dev/null || true)"
  if [ "$have" = "trunk $TRUNK_VERSION" ]; then
    step "trunk $TRUNK_VERSION: present"
    return
  fi
  step "trunk $TRUNK_VERSION: installing (found: ${have:-none}); this takes several minutes"
  cargo install --locked "trunk@$TRUNK_VERSION"
}

setup_wasm_bindgen() {
  local want have
  want="$(locked_wasm_bindgen_version)"
  [ -n "$want" ] || die "no wasm-bindgen in Cargo.lock"
  have="$(wasm-bindgen --version 2>/dev/null || true)"
  if [ "$have" = "wasm-bindgen $want" ]; then
    step "wasm-bindgen-cli $want: present"
    return
  fi
  wait_for_other_cargo_install
  have="$(wasm-bindgen --version 2>/dev/null || true)"
  if [ "$have" = "wasm-bindgen $want" ]; then
    step "wasm-bindgen-cli $want: present"
    return
  fi
  step "wasm-bindgen-cli $want: installing (found: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$want" --force
}

# `npm ci` in a test folder unless its node_modules already matches its lock file.
npm_ci() {
  local dir="$1" marker="$2"
  if [ ! -f "$dir/package.json" ]; then
    step "$dir/package.json: missing, skipping npm ci"
    return
  fi
  # npm writes node_modules/.package-lock.json on every install; newer than the lock file
  # means node_modules is what the lock file asks for.
  if [ -f "$dir/node_modules/.package-lock.json" ] && [ ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ] \
     && [ -e "$dir/node_modules/$marker" ]; then
    step "${dir#"$ROOT"/}/node_modules: up to date"
  else
    step "${dir#"$ROOT"/}: npm ci"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

setup_npm() {
  local dir="$ROOT/tests/e2e"
  npm_ci "$dir" binaryen/bin/wasm-opt
  npm_ci "$ROOT/tests/outputs" markdownlint/package.json
  # The playground's code editor (CodeMirror 6 + esbuild), bundled by Trunk's pre_build hook.
  npm_ci "$ROOT/web/editor" esbuild/package.json
  local opt
  opt="$(command -v wasm-opt || true)"
  case "$opt" in
    "$dir/node_modules/binaryen/bin/wasm-opt") step "wasm-opt: $("$opt" --version) ($opt)" ;;
    *) die "wasm-opt should come from tests/e2e/node_modules/binaryen, found: ${opt:-none}" ;;
  esac
}

setup_chromium() {
  if [ -x /usr/bin/chromium ]; then
    step "chromium: present ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
    return
  fi
  step "chromium: installing Debian's package"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends chromium </dev/null
}

# Trunk runs cargo with --offline (Trunk.toml: offline = true): every crate of the
# workspace, the web crate's included, must be in cargo's cache before it runs.
setup_crates() {
  step "crates: cargo fetch --locked"
  (cd "$ROOT" && cargo fetch --locked --quiet)
}

setup() {
  section "setup"
  command -v cargo >/dev/null || die "cargo is not on PATH"
  setup_rust_target
  setup_trunk
  setup_wasm_bindgen
  setup_npm
  setup_chromium
  setup_crates
}
