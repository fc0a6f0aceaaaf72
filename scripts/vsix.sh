#!/usr/bin/env bash
# Packages the VS Code extension (editors/vscode/) as a .vsix with npm's @vscode/vsce:
#
#   scripts/vsix.sh      → target/vscode/backlens-VERSION.vsix
#
# The extension starts `backlens lsp` (the workspace's node_modules/.bin/backlens from
# `npm i -D backlens`, else `backlens` on PATH, or the `backlens.path` setting). Install it with
# `code --install-extension target/vscode/backlens-VERSION.vsix`. Not part of scripts/test.sh:
# the extension has no code of its own to test beyond starting the server, which
# cli/tests/lsp.rs drives over JSON-RPC.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT/editors/vscode"

VERSION="$(node -p 'require("./package.json").version')"
OUT="$ROOT/target/vscode"
mkdir -p "$OUT"

section "npm ci (editors/vscode: vscode-languageclient, @vscode/vsce)"
npm_ci "$ROOT/editors/vscode" @vscode/vsce

section "vsce package → target/vscode/backlens-$VERSION.vsix"
npx --no-install vsce package --skip-license --out "$OUT/backlens-$VERSION.vsix"
ls -l "$OUT/backlens-$VERSION.vsix"
