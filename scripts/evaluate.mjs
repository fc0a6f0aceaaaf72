// Compares backlens's findings on the evaluated repositories with their reviewed verdicts.
// Called by scripts/evaluate.sh: node scripts/evaluate.mjs <docs/evaluation> <work dir>,
// where the work dir holds src/<owner+name>/ (the exported commit) and <owner+name>.json.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [evalDir, work] = process.argv.slice(2);

function tsv(path) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.split('\t'))
    .slice(1); // header
}

const repos = tsv(join(evalDir, 'repos.tsv'));
const totals = new Map(); // rule → { tp, fp }
let allLines = 0;
let differences = 0;
const diffLines = [];

for (const [repo, commit, stack, routesExpected] of repos) {
  const key = repo.replace('/', '+');
  const analysis = JSON.parse(readFileSync(join(work, `${key}.json`), 'utf8'));
  const strip = (p) => (p.startsWith(`${key}/`) ? p.slice(key.length + 1) : p);

  let lines = 0;
  for (const f of analysis.files) {
    if (f.error) continue;
    const text = readFileSync(join(work, 'src', f.path), 'utf8');
    lines += text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  }
  allLines += lines;

  const verdictsPath = join(evalDir, `${key}.tsv`);
  const verdicts = existsSync(verdictsPath) ? tsv(verdictsPath) : [];
  // (rule, location) → verdict rows still unmatched, for repeated findings on one line.
  const open = new Map();
  for (const [rule, location, verdict, status, reason] of verdicts) {
    const k = `${rule}\t${location}`;
    if (!open.has(k)) open.set(k, []);
    open.get(k).push({ verdict, status, reason });
  }

  const perRule = new Map();
  for (const f of analysis.findings) {
    const location = `${strip(f.file)}:${f.line}`;
    const k = `${f.rule}\t${location}`;
    const rows = open.get(k) || [];
    const i = rows.findIndex((r) => r.status === 'current');
    const counts = perRule.get(f.rule) || { tp: 0, minor: 0, fp: 0 };
    perRule.set(f.rule, counts);
    if (i >= 0) {
      const [row] = rows.splice(i, 1);
      tally(counts, row.verdict);
    } else if (rows.some((r) => r.status === 'fixed')) {
      const row = rows.splice(rows.findIndex((r) => r.status === 'fixed'), 1)[0];
      diffLines.push(`back  ${repo}  ${f.rule}  ${location}  (recorded as fixed: ${row.reason})`);
      differences += 1;
      tally(counts, row.verdict);
    } else {
      diffLines.push(`new   ${repo}  ${f.rule}  ${location}  ${f.endpoint ?? '-'}  ${f.message.slice(0, 120)}`);
      differences += 1;
    }
  }
  for (const [k, rows] of open) {
    for (const r of rows.filter((r) => r.status === 'current')) {
      diffLines.push(`gone  ${repo}  ${k.replace('\t', '  ')}  (${r.verdict}: ${r.reason})`);
      differences += 1;
    }
  }
  const routes = analysis.endpoints.length;
  if (routesExpected !== undefined && String(routes) !== routesExpected.trim()) {
    diffLines.push(`routes ${repo}: ${routes} found, ${routesExpected.trim()} recorded`);
    differences += 1;
  }

  const found = analysis.findings.length;
  console.log(`\n${repo} @ ${commit.slice(0, 12)} — ${stack}`);
  console.log(`  ${analysis.files.length} files, ${lines} lines, ${routes} routes, ${found} findings`);
  for (const [rule, c] of [...perRule].sort()) {
    console.log(`  ${rule.padEnd(26)} ${String(c.tp).padStart(4)} true ${String(c.minor).padStart(4)} minor ${String(c.fp).padStart(4)} false`);
    const t = totals.get(rule) || { tp: 0, minor: 0, fp: 0 };
    t.tp += c.tp;
    t.minor += c.minor;
    t.fp += c.fp;
    totals.set(rule, t);
  }
}

// A verdict: TP (true), minor (true but not worth a developer's time; the blind reviews since
// 2026-12-03 say which), FP (false).
function tally(counts, verdict) {
  if (verdict === 'TP') counts.tp += 1;
  else if (verdict === 'minor') counts.minor += 1;
  else counts.fp += 1;
}

const pct = (good, all) => (all ? `${((100 * good) / all).toFixed(1)} %` : '-');
let tp = 0;
let minor = 0;
let fp = 0;
console.log('\nAll repositories — per rule: true, minor, false, precision strict / with minor');
for (const [rule, c] of [...totals].sort()) {
  const all = c.tp + c.minor + c.fp;
  console.log(`  ${rule.padEnd(26)} ${String(c.tp).padStart(4)} ${String(c.minor).padStart(4)} ${String(c.fp).padStart(4)}  ${pct(c.tp, all)} / ${pct(c.tp + c.minor, all)}`);
  tp += c.tp;
  minor += c.minor;
  fp += c.fp;
}
const per10k = (n) => ((10000 * n) / allLines).toFixed(2);
const all = tp + minor + fp;
console.log(`  ${'total'.padEnd(26)} ${String(tp).padStart(4)} ${String(minor).padStart(4)} ${String(fp).padStart(4)}  ${pct(tp, all)} / ${pct(tp + minor, all)}`);
console.log(`  ${allLines} lines; ${per10k(all)} findings and ${per10k(tp)} true findings per 10,000 lines`);

if (differences) {
  console.log(`\n${differences} difference(s) from the reviewed verdicts:`);
  for (const l of diffLines) console.log(`  ${l}`);
  process.exit(1);
}
console.log('\nEvery finding matches its reviewed verdict.');
