#!/usr/bin/env bash
# The whole test suite, as CI runs it (`.ci/run` calls this):
#   setup → cargo test --workspace → node --test tests/outputs/ → trunk build --release (into dist/)
#   → node --test tests/e2e/
# Stops at the first failure with a non-zero exit status.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
started=$SECONDS

setup

section "cargo test --workspace (core, cli, web natively; benches in smoke mode)"
cargo test --workspace --all-targets --locked

section "node --test tests/outputs/ (SARIF against the official 2.1.0 schema; the report through markdownlint)"
node --test tests/outputs/

section "trunk build --release → dist/"
trunk build --release

section "node --test tests/e2e/ (headless Chromium against dist/)"
node --test tests/e2e/

section "all tests passed in $((SECONDS - started)) s"
