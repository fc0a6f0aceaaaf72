#!/usr/bin/env bash
# Reruns the evaluation of docs/evaluation.md: backlens on real open-source backends.
#
#   scripts/evaluate.sh [--set reviewed|blind|heldout|all] [--rules all|default] [--record DIR] [CHECKOUTS]
#
# Two sets (default: all):
# - reviewed: the twelve repositories of docs/evaluation/repos.tsv, each finding compared
#   with its hand-reviewed verdict (docs/evaluation/<owner+name>.tsv: rule, location, verdict
#   TP/FP, status current/fixed, reason). Printed: per project the routes found and the lines
#   analysed, per rule the true and false findings, precision and findings per 10,000 lines;
#   then every difference: a finding with no verdict yet (new), a reviewed finding no longer
#   reported (gone), a finding recorded as fixed that is reported again (back), a route count
#   that changed. This set fails (exit 1) on any difference.
# - blind: the repositories of docs/evaluation/blind/repos.tsv, scored by
#   scripts/evaluate-blind.mjs against labels written by reviewers who never saw backlens's
#   output (recall, tempting spots flagged) and against a review of the findings written
#   without the labels (precision strict and counting minor). --record DIR writes each
#   repository's findings to DIR/<owner+name>.tsv for a review.
#
# - heldout: docs/evaluation/heldout/, three more repositories labelled blind on 2026-12-03
#   and never looked at by whoever changed the rules: scored like blind (no review yet, so
#   recall and tempting flagged only). Its labels are the honest check that fixes made while
#   looking at the blind set's counts generalise.
#
# CHECKOUTS holds one git repository per evaluated project, named owner+name: a clone
# (owner+name/.git), a bare repository (owner+name), or a snapshot as the `fetch` tool leaves
# it (owner+name/repo). Default: /work/.mirror. Nothing is downloaded: a missing repository is
# reported with the command that clones it, and the run fails (exit 2).
#
# Each recorded commit is exported to a temporary directory and analysed by
# target/release/backlens (built if missing, or set BACKLENS_BIN) with the default
# parameters and, unless `--rules default` is given, every rule on (`--rules all`): the labels
# and the reviews cover every rule, including those off by default until their blind precision
# reaches 80 % (rules::off_by_default). `--rules default` scores what a user gets by default.
#
# Not part of CI: it needs the repositories.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SET=all
RECORD=
RULES=all
while [[ $# -gt 0 ]]; do
  case "$1" in
    --set) SET="$2"; shift 2 ;;
    --rules) RULES="$2"; shift 2 ;;
    --record) RECORD="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    *) break ;;
  esac
done
case "$RULES" in all | default) ;; *) echo "--rules takes all or default" >&2; exit 2 ;; esac
RULE_ARGS=()
[[ "$RULES" == all ]] && RULE_ARGS=(--rules all)
case "$SET" in reviewed | blind | heldout | all) ;; *) echo "--set takes reviewed, blind, heldout or all" >&2; exit 2 ;; esac
CHECKOUTS="${1:-/work/.mirror}"
EVAL="$ROOT/docs/evaluation"
BIN="${BACKLENS_BIN:-$ROOT/target/release/backlens}"

if [[ ! -x "$BIN" ]]; then
  echo "-- building the CLI (cargo build --release -p backlens-cli)"
  (cd "$ROOT" && cargo build --release -p backlens-cli)
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# git_dir and export_commit: the checkouts of the evaluated repositories.
source "$(dirname "${BASH_SOURCE[0]}")/checkouts.sh"

# Exports and analyses every repository of the list $1 into $WORK/<owner+name>.json.
analyse_set() {
  local list="$1" missing=0
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
    (cd "$WORK/src" && "$BIN" analyze "$key" "${RULE_ARGS[@]}" --format json -o "$WORK/$key.json" 2>/dev/null) || {
      echo "backlens failed on $repo" >&2
      missing=1
    }
  done <"$list"
  [[ "$missing" == 0 ]] || exit 2
}

status=0
if [[ "$SET" == reviewed || "$SET" == all ]]; then
  analyse_set "$EVAL/repos.tsv"
  node "$ROOT/scripts/evaluate.mjs" "$EVAL" "$WORK" || status=$?
fi
if [[ "$SET" == heldout || "$SET" == all ]]; then
  analyse_set "$EVAL/heldout/repos.tsv"
  node "$ROOT/scripts/evaluate-blind.mjs" "$EVAL/heldout" "$WORK" ${RECORD:+--record "$RECORD/heldout"}
fi
if [[ "$SET" == blind || "$SET" == all ]]; then
  analyse_set "$EVAL/blind/repos.tsv"
  node "$ROOT/scripts/evaluate-blind.mjs" "$EVAL/blind" "$WORK" ${RECORD:+--record "$RECORD"}
fi
exit "$status"
