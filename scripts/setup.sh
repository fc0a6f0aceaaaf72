#!/usr/bin/env bash
# Installs everything `scripts/serve.sh` and `scripts/test.sh` need (they run it too).
# Idempotent and fast when everything is present.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup
