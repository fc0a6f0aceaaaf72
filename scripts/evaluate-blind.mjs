// Scores backlens on the blind evaluation set (docs/evaluation/blind/): recall against labels
// written by reviewers who never saw backlens's output, tempting spots flagged, and precision
// from a review of the findings written without the labels.
//
//   node scripts/evaluate-blind.mjs <docs/evaluation/blind> <work dir> [--record DIR]
//   node scripts/evaluate-blind.mjs <docs/evaluation/blind> --from-record DIR
//   ... --show-labels   also list the missed and the flagged labels with their text
//
// Without --show-labels only counts are printed: whoever changes the rules must not read the
// labels (they would tune the tool to them and the next figure would no longer be blind).
// --show-labels is for auditing the scoring itself.
//
// The work dir holds <owner+name>.json (`backlens analyze <owner+name> --format json`, run
// from the directory that holds the exported checkout). With --record DIR, each repository's
// findings are also written to DIR/<owner+name>.tsv (rule, location, end_line, endpoint,
// severity, message): the record of a run, which --from-record scores again without running
// anything (first-contact/ is the run before any fix for these repositories).
//
// A label is found when a finding of the same rule is reported in the same file on a line
// range that covers the label's line, or starts within LINE_SLACK lines of it (a labeller
// and the tool may pick different lines of one multi-line call). Found under another rule is
// counted apart, never as found. A finding's verdict is looked up in review/<owner+name>.tsv
// by (rule, file:line); a finding with no verdict is listed as unreviewed.
import { readFileSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const LINE_SLACK = 3;
const args = process.argv.slice(2);
const recordAt = args.indexOf('--record');
const recordDir = recordAt >= 0 ? args.splice(recordAt, 2)[1] : null;
const fromAt = args.indexOf('--from-record');
const fromDir = fromAt >= 0 ? args.splice(fromAt, 2)[1] : null;
const showAt = args.indexOf('--show-labels');
const showLabels = showAt >= 0 && args.splice(showAt, 1).length > 0;
const [blindDir, work] = args;

// A recorded run read back as the parts of an analysis this script uses.
function fromRecord(key) {
  const path = join(fromDir, `${key}.tsv`);
  if (!existsSync(path)) return null;
  const findings = tsv(path).map((r) => {
    const { file, line } = location(r.location);
    return { rule: r.rule, file, line, end_line: Number(r.end_line) || line, endpoint: r.endpoint === '-' ? null : r.endpoint, severity: r.severity, message: r.message };
  });
  return { findings, endpoints: [] };
}

function tsv(path) {
  if (!existsSync(path)) return [];
  const rows = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.split('\t'));
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), (r[i] ?? '').trim()])));
}

function location(loc) {
  const i = loc.lastIndexOf(':');
  return { file: loc.slice(0, i), line: Number(loc.slice(i + 1)) };
}

const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)} %` : '-');
const add = (map, key, field, n = 1) => {
  const row = map.get(key) || { genuine: 0, found: 0, other: 0, tempting: 0, flagged: 0, t: 0, m: 0, f: 0, u: 0 };
  row[field] += n;
  map.set(key, row);
};

const byRule = new Map();
const byRepo = new Map();
const misses = [];
const flaggedTempting = [];
const unreviewed = [];
let routes = 0;
let resolved = 0;

for (const { repo } of tsv(join(blindDir, 'repos.tsv'))) {
  const key = repo.replace('/', '+');
  const jsonPath = fromDir ? join(fromDir, `${key}.tsv`) : join(work, `${key}.json`);
  const analysis = fromDir ? fromRecord(key) : existsSync(jsonPath) && JSON.parse(readFileSync(jsonPath, 'utf8'));
  if (!analysis) {
    console.error(`missing analysis: ${jsonPath}`);
    process.exit(2);
  }
  const strip = (p) => (p.startsWith(`${key}/`) ? p.slice(key.length + 1) : p);
  const findings = analysis.findings.map((f) => ({ ...f, file: strip(f.file) }));
  routes += analysis.endpoints.length;
  if (analysis.coverage) resolved += analysis.coverage.handlers_resolved ?? 0;

  if (recordDir) {
    mkdirSync(recordDir, { recursive: true });
    const lines = ['rule\tlocation\tend_line\tendpoint\tseverity\tmessage'];
    for (const f of findings) {
      const message = f.message.replace(/[\t\n]+/g, ' ');
      lines.push(`${f.rule}\t${f.file}:${f.line}\t${f.end_line}\t${f.endpoint ?? '-'}\t${f.severity}\t${message}`);
    }
    writeFileSync(join(recordDir, `${key}.tsv`), `${lines.join('\n')}\n`);
  }

  const covers = (f, label) =>
    f.file === label.file &&
    ((label.line >= f.line && label.line <= f.end_line) || Math.abs(f.line - label.line) <= LINE_SLACK);
  for (const l of tsv(join(blindDir, 'labels', `${key}.tsv`))) {
    const label = { ...l, ...location(l.location) };
    const hit = findings.some((f) => f.rule === label.rule && covers(f, label));
    if (label.kind === 'genuine') {
      add(byRule, label.rule, 'genuine');
      add(byRepo, repo, 'genuine');
      if (hit) {
        add(byRule, label.rule, 'found');
        add(byRepo, repo, 'found');
      } else {
        const other = findings.find((f) => covers(f, label));
        if (other) {
          add(byRule, label.rule, 'other');
          add(byRepo, repo, 'other');
        }
        misses.push(`${repo}  ${label.rule}  ${label.location}${other ? `  (reported as ${other.rule})` : ''}  — ${label.reason}`);
      }
    } else if (label.kind === 'tempting') {
      add(byRule, label.rule, 'tempting');
      add(byRepo, repo, 'tempting');
      const flagged = findings.find((f) => covers(f, label));
      if (flagged) {
        add(byRule, label.rule, 'flagged');
        add(byRepo, repo, 'flagged');
        flaggedTempting.push(`${repo}  ${flagged.rule}  ${label.location}  — ${label.reason}`);
      }
    }
  }

  const verdicts = new Map();
  for (const r of tsv(join(blindDir, 'review', `${key}.tsv`))) verdicts.set(`${r.rule}\t${r.location}`, r.verdict);
  for (const f of findings) {
    const v = verdicts.get(`${f.rule}\t${f.file}:${f.line}`);
    const field = v === 'true' ? 't' : v === 'minor' ? 'm' : v === 'false' ? 'f' : 'u';
    add(byRule, f.rule, field);
    add(byRepo, repo, field);
    if (field === 'u') unreviewed.push(`${repo}  ${f.rule}  ${f.file}:${f.line}  ${f.endpoint ?? '-'}`);
  }
}

function table(title, map) {
  console.log(`\n${title}`);
  console.log(
    `  ${''.padEnd(34)} recall (found/genuine)   tempting flagged   findings: true minor false unreviewed   precision strict / with minor`,
  );
  const total = { genuine: 0, found: 0, other: 0, tempting: 0, flagged: 0, t: 0, m: 0, f: 0, u: 0 };
  for (const [k, r] of [...map].sort()) {
    for (const f of Object.keys(total)) total[f] += r[f];
    line(k, r);
  }
  line('total', total);
  return total;
}
function line(name, r) {
  const reviewed = r.t + r.m + r.f;
  console.log(
    `  ${name.padEnd(34)} ${`${r.found}/${r.genuine}`.padStart(7)} ${pct(r.found, r.genuine).padStart(8)}` +
      `${r.other ? ` (+${r.other} other rule)` : ''.padEnd(0)}`.padEnd(22) +
      ` ${`${r.flagged}/${r.tempting}`.padStart(7)}      ` +
      `${String(r.t).padStart(5)} ${String(r.m).padStart(5)} ${String(r.f).padStart(5)} ${String(r.u).padStart(10)}   ` +
      `${pct(r.t, reviewed)} / ${pct(r.t + r.m, reviewed)}`,
  );
}

table('Blind set — per repository', byRepo);
const total = table('Blind set — per rule', byRule);
console.log(
  `\nRecall ${pct(total.found, total.genuine)} (${total.found} of ${total.genuine} genuine labels); ` +
    `tempting flagged ${pct(total.flagged, total.tempting)} (${total.flagged} of ${total.tempting}); ` +
    `precision ${pct(total.t, total.t + total.m + total.f)} strict, ${pct(total.t + total.m, total.t + total.m + total.f)} with minor ` +
    `(${total.t + total.m + total.f} reviewed findings, ${total.u} unreviewed); ` +
    `${fromDir ? '' : `${routes} routes`}${resolved ? `, ${resolved} handlers resolved (${pct(resolved, routes)})` : ''}`,
);
if (showLabels) {
  if (misses.length) console.log(`\nMissed genuine labels (${misses.length}):\n  ${misses.join('\n  ')}`);
  if (flaggedTempting.length) console.log(`\nTempting labels flagged (${flaggedTempting.length}):\n  ${flaggedTempting.join('\n  ')}`);
} else if (misses.length || flaggedTempting.length) {
  console.log(`\n${misses.length} genuine labels missed, ${flaggedTempting.length} tempting labels flagged (texts withheld: --show-labels)`);
}
if (unreviewed.length) console.log(`\nFindings with no review verdict (${unreviewed.length}):\n  ${unreviewed.join('\n  ')}`);
