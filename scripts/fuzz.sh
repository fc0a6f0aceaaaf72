#!/usr/bin/env bash
# The fuzzing run (docs/robustness.md): builds the cargo-fuzz targets in fuzz/ and runs each
# for SECONDS (default 300), one after the other, under `nice -n 10` (BACKLENS_FUZZ_NICE), with
# no input allowed more than 2 s (-timeout=2) or 1 GiB (-rss_limit_mb=1024). Seeds come from
# the fixtures (core/tests/specs, core/tests/hostile), dictionaries from fuzz/dict. Any crash
# stops the run with its input in fuzz/artifacts/<target>/; make it a regression test, fix it,
# rerun. Each run's log (libFuzzer's final stats at its end) is fuzz/logs/<target>-<time>.log.
#
#   scripts/fuzz.sh [SECONDS] [TARGET…]      e.g. scripts/fuzz.sh 600 analyze_file
#
# Only stable Rust is installed: RUSTC_BOOTSTRAP=1 lets it take the flags cargo-fuzz needs.
# AddressSanitizer is off (-s none): the analyzer is safe Rust, and a sanitized build runs
# several times fewer inputs a second; debug assertions (overflow checks) are on (-a).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

seconds="${1:-300}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(analyze_file analyze_project params share_link)

export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/fuzz"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  section "cargo install cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
flags=(-O -a -s none)
niceness="${BACKLENS_FUZZ_NICE:-10}"

section "seed corpora from the fixtures (fuzz/seeds/)"
seeds="$ROOT/fuzz/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"/{analyze_file,analyze_project,params,share_link}
export SEEDS="$seeds/share_link"
extensions=(js ts tsx jsx mjs cjs mts cts)
n=0
while IFS= read -r -d '' file; do
  ext="${file##*.}"
  for i in "${!extensions[@]}"; do
    if [ "${extensions[$i]}" = "$ext" ]; then
      { printf "\\x$(printf %02x "$i")"; cat "$file"; } >"$seeds/analyze_file/$n"
      n=$((n + 1))
    fi
  done
done < <(find core/tests/specs cli/tests/fixtures -type f ! -name '*.snap' -print0 | sort -z)
# Every multi-file case (a directory of a valid/ or invalid/ folder) is one project input.
m=0
while IFS= read -r -d '' dir; do
  out="$seeds/analyze_project/$m"
  : >"$out"
  while IFS= read -r -d '' file; do
    [ -s "$out" ] && printf '\xff\xfe' >>"$out"
    { printf '%s\n' "${file#"$dir"/}"; cat "$file"; } >>"$out"
  done < <(find "$dir" -type f ! -name '*.snap' -print0 | sort -z)
  m=$((m + 1))
done < <(find core/tests/specs -mindepth 3 -maxdepth 3 -type d -print0 | sort -z; find cli/tests/fixtures -mindepth 1 -maxdepth 1 -type d -print0 | sort -z)
node -e '
  const p = require("./core/tests/hostile/project.json");
  process.stdout.write(Buffer.concat(p.files.flatMap((f, i) => [i ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(f.path + "\n" + f.text)])));
' >"$seeds/analyze_project/hostile"
printf 'target:"api" endpoints:"/api/users,GET /api/posts/:id" load_profile:"high" priority:"critical"\nquery_ms=8\nitems=500\n=priority=low' >"$seeds/params/0"
printf 'backend target:all load_profile:low\nhit_rate=0.82\n' >"$seeds/params/1"
printf "endpoints:'QUERY posts,MUTATION *' priority:'medium'\nrps=1e3\n=endpoints=/a/*,PUT /b/{id}" >"$seeds/params/2"
# Share links (the part after `#v1.`: raw deflate of the snapshot's JSON, base64url) of the
# fixtures' files, as the playground makes them (core/src/share.rs).
node -e '
  const { deflateRawSync } = require("zlib"), fs = require("fs"), path = require("path");
  const files = process.argv.slice(2).filter((f) => !f.endsWith(".snap")).slice(0, 200);
  files.forEach((f, i) => {
    const args = i % 2 ? "target:\"all\" endpoints:\"/api/users,GET /api/posts/:id\" priority:\"low\"" : "target:\"api\" load_profile:\"high\"";
    const snapshot = { code: fs.readFileSync(f, "utf8"), file: path.basename(f), args, cost: i % 3 ? [] : [["items", 250]] };
    fs.writeFileSync(path.join(process.env.SEEDS, String(i)), deflateRawSync(JSON.stringify(snapshot), { level: 9 }).toString("base64url"));
  });
' $(find core/tests/specs -type f -name "*.js" | sort)
step "$n single files, $m projects + the hostile project, 3 argument strings, $(ls "$seeds/share_link" | wc -l) share links"

[ "${BACKLENS_FUZZ_SEEDS_ONLY:-}" = 1 ] && exit 0

section "cargo fuzz build ${flags[*]}"
(cd fuzz && nice -n "$niceness" cargo fuzz build "${flags[@]}")

mkdir -p fuzz/logs
for target in "${targets[@]}"; do
  section "fuzzing $target for ${seconds} s"
  dict=(); case "$target" in
    analyze_file | analyze_project) dict=(-dict=dict/js.dict) ;;
    params) dict=(-dict=dict/params.dict) ;;
  esac
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  log="$target-$(date -u +%Y%m%dT%H%M%SZ).log"
  # The built binary itself (not `cargo fuzz run`, which would rebuild on every edit).
  (cd fuzz && nice -n "$niceness" "$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/release/$target" "corpus/$target" "seeds/$target" \
    "${dict[@]}" -artifact_prefix="artifacts/$target/" -max_total_time="$seconds" -timeout=2 -rss_limit_mb=1024 \
    -print_final_stats=1 2>&1 | tee "logs/$log" | grep -E '^#[0-9]+ +(INITED|DONE|pulse)|^stat::|ERROR|panicked|SUMMARY' || true)
  if grep -qE 'ERROR: libFuzzer|panicked|deadly signal' "fuzz/logs/$log"; then
    die "$target: crash, see fuzz/logs/$log and fuzz/artifacts/$target/"
  fi
done
