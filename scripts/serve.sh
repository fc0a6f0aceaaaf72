#!/usr/bin/env bash
# Builds the CLI and serves the playground:
#   setup → cargo build --release --bin backlens → trunk serve --release on 127.0.0.1:8080
# ADDRESS and PORT override the defaults.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ADDRESS="${ADDRESS:-127.0.0.1}"
PORT="${PORT:-8080}"

setup

section "cargo build --release --bin backlens"
cargo build --release --bin backlens --locked
target_dir="$(cargo metadata --format-version 1 --no-deps 2>/dev/null | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
echo "CLI binary: ${target_dir:-$ROOT/target}/release/backlens"
echo "  try: ${target_dir:-$ROOT/target}/release/backlens analyze cli/tests/fixtures/express"

section "trunk serve --release"
echo "Playground: http://$ADDRESS:$PORT/  (Ctrl-C to stop)"
exec trunk serve --release --address "$ADDRESS" --port "$PORT"
