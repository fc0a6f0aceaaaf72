#!/usr/bin/env bash
# Reruns the evaluation of docs/evaluation.md: backlens on real open-source backends, each
# finding compared with its hand-reviewed verdict.
#
#   scripts/evaluate.sh [CHECKOUTS]
#
# CHECKOUTS holds one git repository per evaluated project, named owner+name: a clone
# (owner+name/.git), a bare repository (owner+name), or a snapshot as the `fetch` tool leaves
# it (owner+name/repo). Default: /work/.mirror. Nothing is downloaded: a missing repository is
# reported with the command that clones it, and the run fails.
#
# For each project of docs/evaluation/repos.tsv, the recorded commit is exported to a
# temporary directory and analysed by target/release/backlens (built if missing, or set
# BACKLENS_BIN) with the default parameters. The findings are matched by (rule, file:line)
# with docs/evaluation/<owner+name>.tsv (rule, location, verdict TP/FP, status current/fixed,
# reason). Printed: per project the routes found and the lines analysed, per rule the true
# and false findings, precision and findings per 10,000 lines; then every difference: a
# finding with no verdict yet (new), a reviewed finding no longer reported (gone), a finding
# recorded as fixed that is reported again (back), a route count that changed. Exit status:
# 0 when nothing differs, 1 on a difference, 2 when a repository is missing.
#
# Not part of CI: it needs the repositories.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHECKOUTS="${1:-/work/.mirror}"
EVAL="$ROOT/docs/evaluation"
BIN="${BACKLENS_BIN:-$ROOT/target/release/backlens}"

if [[ ! -x "$BIN" ]]; then
  echo "-- building the CLI (cargo build --release -p backlens-cli)"
  (cd "$ROOT" && cargo build --release -p backlens-cli)
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Finds the git directory of owner+name under CHECKOUTS.
git_dir() {
  local base="$CHECKOUTS/$1"
  for g in "$base/repo" "$base/.git" "$base"; do
    if [[ -d "$g" ]] && git --git-dir="$g" rev-parse --git-dir >/dev/null 2>&1; then
      echo "$g"
      return 0
    fi
  done
  return 1
}

# Exports <commit> of git dir $1 into $3. A snapshot may lack a few large blobs: then every
# blob that is there is written one by one (the missing ones are listed).
export_commit() {
  local g="$1" commit="$2" into="$3"
  mkdir -p "$into"
  if git --git-dir="$g" archive "$commit" 2>/dev/null | tar -x -C "$into" 2>/dev/null; then
    return 0
  fi
  rm -rf "$into" && mkdir -p "$into"
  git --git-dir="$g" ls-tree -r "$commit" | while read -r _mode type sha path; do
    [[ "$type" == blob ]] || continue
    mkdir -p "$into/$(dirname "$path")"
    git --git-dir="$g" cat-file blob "$sha" >"$into/$path" 2>/dev/null || {
      rm -f "$into/$path"
      echo "   (blob missing in the snapshot: $path)" >&2
    }
  done
}

missing=0
while IFS=$'\t' read -r repo commit _stack _routes; do
  [[ -z "$repo" || "$repo" == repo || "$repo" == \#* ]] && continue
  key="${repo/\//+}"
  if ! g="$(git_dir "$key")"; then
    echo "missing: $repo — git clone https://github.com/$repo $CHECKOUTS/$key && git -C $CHECKOUTS/$key checkout $commit" >&2
    missing=1
    continue
  fi
  if ! git --git-dir="$g" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "missing: commit $commit of $repo in $g — git -C <clone> fetch origin $commit" >&2
    missing=1
    continue
  fi
  export_commit "$g" "$commit" "$WORK/src/$key"
  (cd "$WORK/src" && "$BIN" analyze "$key" --format json -o "$WORK/$key.json" 2>/dev/null) || {
    echo "backlens failed on $repo" >&2
    missing=1
  }
done <"$EVAL/repos.tsv"
[[ "$missing" == 0 ]] || exit 2

node "$ROOT/scripts/evaluate.mjs" "$EVAL" "$WORK"
