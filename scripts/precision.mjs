// Per-rule precision of a recorded run over blind reviews: what decides which rules are on by
// default (core/src/rules/mod.rs, rules::off_by_default; a test checks BLIND_REVIEW against this table).
//
//   node scripts/precision.mjs SET_DIR=RECORD_DIR [SET_DIR=RECORD_DIR …] > docs/evaluation/precision.tsv
//
// SET_DIR is an evaluation set (docs/evaluation/blind, docs/evaluation/heldout) whose review/
// holds one <owner+name>.tsv of verdicts per repository (true / minor / false, written by
// reviewers who never saw the labels); RECORD_DIR holds the findings of one run of
// `scripts/evaluate.sh --record` for that set. A finding counts under its rule when a review
// has a verdict for its (rule, file:line); findings without one are counted as unreviewed.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';

function tsv(path) {
  if (!existsSync(path)) return [];
  const rows = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split('\t'));
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), (r[i] ?? '').trim()])));
}

const pairs = process.argv.slice(2).map((a) => a.split('='));
if (!pairs.length || pairs.some((p) => p.length !== 2)) {
  console.error('usage: node scripts/precision.mjs SET_DIR=RECORD_DIR [...]');
  process.exit(2);
}
const counts = new Map();
const count = (rule, field) => {
  if (!counts.has(rule)) counts.set(rule, { true: 0, minor: 0, false: 0, unreviewed: 0 });
  counts.get(rule)[field] += 1;
};
const sets = [];
for (const [setDir, recordDir] of pairs) {
  sets.push(basename(setDir));
  for (const file of readdirSync(recordDir).filter((f) => f.endsWith('.tsv')).sort()) {
    const verdicts = new Map(tsv(join(setDir, 'review', file)).map((r) => [`${r.rule}\t${r.location}`, r.verdict]));
    for (const f of tsv(join(recordDir, file))) {
      const v = verdicts.get(`${f.rule}\t${f.location}`);
      count(f.rule, ['true', 'minor', 'false'].includes(v) ? v : 'unreviewed');
    }
  }
}
console.log(`# blind review verdicts of the findings of one run, sets: ${sets.join(', ')}`);
console.log('rule\ttrue\tminor\tfalse\tunreviewed');
for (const rule of [...counts.keys()].sort()) {
  const c = counts.get(rule);
  console.log(`${rule}\t${c.true}\t${c.minor}\t${c.false}\t${c.unreviewed}`);
}
