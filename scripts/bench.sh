#!/usr/bin/env bash
# The analyzer benchmark: a generated Express/Sequelize project, full analyze vs parse-only.
# Extra arguments go to the benchmark, e.g. `scripts/bench.sh --files 400 --runs 25`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
section "cargo bench -p backlens-core --bench analyze"
cargo bench -p backlens-core --bench analyze --locked -- "$@"
