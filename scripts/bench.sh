#!/usr/bin/env bash
# Benchmarks. Not part of CI (they take minutes and need quiet cores); quote `uptime` with
# every figure.
#
#   scripts/bench.sh corpus DIR [--set reviewed|blind|heldout|all]
#       Exports the evaluation repositories (docs/evaluation/**/repos.tsv, at their recorded
#       commits) from the checkouts under $CHECKOUTS (default /work/.mirror, as
#       scripts/evaluate.sh finds them) into DIR/<owner+name>. Default set: reviewed + blind.
#   scripts/bench.sh DIR [--runs N] [--quick]
#       On the corpus DIR: backlens vs oxlint, then analyze vs parse, then the growth table.
#   scripts/bench.sh compare DIR [--runs N]
#       `backlens analyze DIR --format json` (release) and `oxlint DIR` (npm oxlint, default
#       rules, tests/bench/) alternated N times (default 7) after one warm-up each; medians
#       and the wall-time ratio. The parse phase of the same backlens runs (`--verbose`
#       phases) against the whole analysis: analyze / parse.
#   scripts/bench.sh growth [--quick]
#       Generated inputs (tests/bench/generate.mjs): Express projects of 1k/4k/16k route
#       files, one file with 2.5k/5k/10k/20k routes, `else if` chains of 5k/10k/20k
#       branches. Wall time and peak memory (max RSS) of one run each, and the ratio to the
#       input a quarter the size. --quick: a quarter of each size. BENCH_TIMEOUT=SECONDS
#       stops a run that takes longer (shown as >SECONDS).
#   scripts/bench.sh memory [ARGS]
#       The in-memory benchmark, `cargo bench -p backlens-core --bench analyze -- ARGS`
#       (a generated project, analyze vs parse in one process).
#
# RAYON_NUM_THREADS (or BACKLENS_THREADS, passed as --threads) sets backlens's threads;
# default: all cores, as oxlint.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

BIN="${BACKLENS_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/backlens}"
OXLINT="$ROOT/tests/bench/node_modules/.bin/oxlint"
CHECKOUTS="${CHECKOUTS:-/work/.mirror}"
THREADS_ARGS=()
[[ -n "${BACKLENS_THREADS:-}" ]] && THREADS_ARGS=(--threads "$BACKLENS_THREADS")

usage() {
  sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
}

# Builds the release binary, unless BACKLENS_BIN names one (e.g. a build of another commit,
# for before/after figures).
build() {
  if [[ -n "${BACKLENS_BIN:-}" ]]; then
    [[ -x "$BIN" ]] || die "BACKLENS_BIN=$BIN is not an executable"
    return 0
  fi
  section "cargo build --release -p backlens-cli"
  cargo build --release -p backlens-cli --locked
  [[ -x "$BIN" ]] || die "no binary at $BIN (set BACKLENS_BIN)"
}

oxlint_ready() {
  if [[ ! -x "$OXLINT" ]]; then
    step "installing oxlint (npm ci in tests/bench)"
    (cd "$ROOT/tests/bench" && npm ci --no-audit --no-fund >/dev/null)
  fi
  [[ -x "$OXLINT" ]] || die "oxlint did not install in tests/bench"
}

# git_dir and export_commit: the checkouts of the evaluated repositories.
source "$(dirname "${BASH_SOURCE[0]}")/checkouts.sh"

make_corpus() {
  local dir="${1:-}" set=both
  [[ -n "$dir" ]] || usage
  shift
  [[ "${1:-}" == --set ]] && set="$2"
  local lists=()
  case "$set" in
    both) lists=(docs/evaluation/repos.tsv docs/evaluation/blind/repos.tsv) ;;
    reviewed) lists=(docs/evaluation/repos.tsv) ;;
    blind) lists=(docs/evaluation/blind/repos.tsv) ;;
    heldout) lists=(docs/evaluation/heldout/repos.tsv) ;;
    all) lists=(docs/evaluation/repos.tsv docs/evaluation/blind/repos.tsv docs/evaluation/heldout/repos.tsv) ;;
    *) die "--set takes reviewed, blind, heldout or all" ;;
  esac
  mkdir -p "$dir"
  local missing=0
  for list in "${lists[@]}"; do
    while IFS=$'\t' read -r repo commit _rest; do
      [[ -z "$repo" || "$repo" == repo || "$repo" == \#* ]] && continue
      local key="${repo/\//+}" g
      if ! g="$(git_dir "$key")"; then
        echo "missing: $repo (git clone https://github.com/$repo $CHECKOUTS/$key)" >&2
        missing=1
        continue
      fi
      step "$repo @ ${commit:0:12}"
      rm -rf "${dir:?}/$key"
      export_commit "$g" "$commit" "$dir/$key"
    done <"$list"
  done
  corpus_size "$dir"
  return $missing
}

# The files backlens analyses in DIR, and their lines.
corpus_size() {
  local n lines
  n=$("$BIN" analyze "$1" --format json --verbose 2>&1 >/dev/null | sed -n 's/^backlens:   //p' | wc -l)
  lines=$("$BIN" analyze "$1" --format json --verbose 2>&1 >/dev/null | sed -n 's/^backlens:   //p' |
    (cd "$1" && tr '\n' '\0' | xargs -0 cat 2>/dev/null | wc -l))
  echo "corpus $1: $n files, $lines lines (as backlens walks it)"
}

median() {
  sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

now() { date +%s.%N; }

compare() {
  local dir="${1:-}" runs=7
  [[ -n "$dir" && -d "$dir" ]] || {
    echo "no corpus directory: make one with  scripts/bench.sh corpus /tmp/corpus" >&2
    exit 2
  }
  shift
  [[ "${1:-}" == --runs ]] && runs="$2"
  oxlint_ready
  section "backlens vs oxlint on $dir ($runs alternated runs after a warm-up; $(nproc) cores)"
  corpus_size "$dir"
  "$OXLINT" --version
  local work
  work="$(mktemp -d)"
  # Warm-up: the page cache, and a check that both run.
  "$BIN" analyze "$dir" --format json "${THREADS_ARGS[@]}" >"$work/out.json" 2>/dev/null
  "$OXLINT" "$dir" >"$work/oxlint.txt" 2>&1 || true
  grep -q "^Found" "$work/oxlint.txt" || die "oxlint did not run: $(tail -3 "$work/oxlint.txt")"
  step "oxlint: $(grep '^Found' "$work/oxlint.txt"); $(grep -o 'Finished in [^ ]* on [0-9]* files' "$work/oxlint.txt" || true)"
  step "backlens: $(grep -c '"rule":' "$work/out.json") findings"
  local t0 t1
  for ((i = 1; i <= runs; i++)); do
    t0=$(now)
    "$BIN" analyze "$dir" --format json --verbose "${THREADS_ARGS[@]}" 2>"$work/err" >/dev/null
    t1=$(now)
    echo "$t1 - $t0" | bc -l >>"$work/backlens"
    # `phases: parse 0.41 s, collect 1.20 s, …`: the parse phase and the sum of all phases.
    sed -n 's/^backlens: phases: //p' "$work/err" | tr ',' '\n' |
      awk '{ if ($1 == "parse") p = $2; t += $(NF - 1) } END { print p + 0, t }' >>"$work/phases"
    t0=$(now)
    "$OXLINT" "$dir" >/dev/null 2>&1 || true
    t1=$(now)
    echo "$t1 - $t0" | bc -l >>"$work/oxlint"
  done
  local b o p a
  b=$(median <"$work/backlens")
  o=$(median <"$work/oxlint")
  p=$(cut -d' ' -f1 "$work/phases" | median)
  a=$(cut -d' ' -f2 "$work/phases" | median)
  printf '\n| tool | median wall | runs |\n|---|---:|---|\n'
  printf '| backlens analyze --format json | %.3f s | %s |\n' "$b" "$(sort -g "$work/backlens" | xargs printf '%.2f ')"
  printf '| oxlint (default rules) | %.3f s | %s |\n' "$o" "$(sort -g "$work/oxlint" | xargs printf '%.2f ')"
  printf '\nbacklens / oxlint wall: %.2fx\n' "$(echo "$b / $o" | bc -l)"
  printf 'analyze / parse (the same runs'"'"' phases, medians): %.3f s / %.3f s = %.2fx\n' "$a" "$p" "$(echo "$a / $p" | bc -l)"
  printf 'uptime: %s\n' "$(uptime)"
  rm -rf "$work"
}

# One run of backlens on DIR: "seconds peak-MiB", or "timeout peak-MiB" past $BENCH_TIMEOUT
# seconds (default: none).
timed_run() {
  local stats
  stats="$(mktemp)"
  local t0 t1
  t0=$(now)
  /usr/bin/time -o "$stats" -f '%x %e %M' timeout "${BENCH_TIMEOUT:-0}" \
    "$BIN" analyze "$1" --format json "${THREADS_ARGS[@]}" >/dev/null 2>&1 || true
  t1=$(now)
  tail -1 "$stats" | awk -v limit="${BENCH_TIMEOUT:-0}" -v wall="$(echo "$t1 - $t0" | bc -l)" '{
    if ($1 == 124) printf ">%s %.0f\n", limit, $3 / 1024; else printf "%.3f %.0f\n", wall, $3 / 1024 }'
  rm -f "$stats"
}

growth() {
  local quick=1
  [[ "${1:-}" == --quick ]] && quick=4
  local work
  work="$(mktemp -d)"
  section "growth: one run per input ($(nproc) cores)"
  printf '| input | size | lines | time | peak RSS | time / time at ¼ size |\n|---|---:|---:|---:|---:|---:|\n'
  local -A seen_time=()
  for spec in "express 1000 4000 16000" "routes 2500 5000 10000 20000" "elseif 5000 10000 20000"; do
    read -r kind sizes <<<"$spec"
    for size in $sizes; do
      size=$((size / quick))
      rm -rf "$work/in"
      local made
      made=$(node "$ROOT/tests/bench/generate.mjs" "$kind" "$size" "$work/in")
      local lines=${made#*files, }
      lines=${lines% lines}
      read -r secs mib < <(timed_run "$work/in")
      local ratio="-"
      local quarter=$((size / 4))
      if [[ -n "${seen_time[$kind.$quarter]:-}" && "$secs" != \>* && "${seen_time[$kind.$quarter]}" != \>* ]] &&
        [[ "$(echo "${seen_time[$kind.$quarter]} > 0" | bc)" == 1 ]]; then
        ratio=$(printf '%.2fx' "$(echo "$secs / ${seen_time[$kind.$quarter]}" | bc -l 2>/dev/null || echo 0)")
      fi
      seen_time[$kind.$size]=$secs
      local what
      case "$kind" in
        express) what="Express project, files" ;;
        routes) what="one file, routes" ;;
        elseif) what="else-if chain, branches" ;;
      esac
      printf '| %s | %s | %s | %s s | %s MiB | %s |\n' "$what" "$size" "$lines" "$secs" "$mib" "$ratio"
    done
  done
  printf '\nuptime: %s\n' "$(uptime)"
  rm -rf "$work"
}

case "${1:-}" in
  "" | -h | --help) usage ;;
  memory)
    shift
    section "cargo bench -p backlens-core --bench analyze"
    cargo bench -p backlens-core --bench analyze --locked -- "$@"
    ;;
  corpus)
    shift
    [[ -x "$BIN" ]] || build
    make_corpus "$@"
    ;;
  compare)
    shift
    build
    compare "$@"
    ;;
  growth)
    shift
    build
    growth "$@"
    ;;
  *)
    dir="$1"
    shift
    runs=()
    quick=()
    while [[ $# -gt 0 ]]; do
      case "$1" in
        --runs) runs=(--runs "$2"); shift 2 ;;
        --quick) quick=(--quick); shift ;;
        *) usage ;;
      esac
    done
    build
    compare "$dir" "${runs[@]}"
    growth "${quick[@]}"
    ;;
esac
