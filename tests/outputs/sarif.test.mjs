// `backlens analyze --format sarif` against the official SARIF 2.1.0 JSON schema.
// Run after `cargo test` (which builds target/debug/backlens) or set BACKLENS_BIN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('@microsoft/sarif-multitool-linux/sarif-2.1.0.json'), 'utf8'));

function binary() {
  const candidates = [process.env.BACKLENS_BIN, join(root, 'target/debug/backlens'), join(root, 'target/release/backlens')];
  const found = candidates.find((p) => p && existsSync(p));
  assert.ok(found, `no backlens binary; build it first (tried ${candidates.filter(Boolean).join(', ')})`);
  return found;
}

function sarifOf(...paths) {
  const out = execFileSync(binary(), ['analyze', '--rules', 'all', ...paths, '--format', 'sarif'], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}

function validate(log) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const check = ajv.compile(schema);
  const ok = check(log);
  assert.ok(ok, JSON.stringify(check.errors, null, 2));
}

test('a project with findings and a file that does not parse is a valid SARIF 2.1.0 log', () => {
  const log = sarifOf('cli/tests/fixtures/express');
  validate(log);
  const run = log.runs[0];
  assert.ok(run.results.some((r) => r.ruleId === 'n-plus-one-query'), 'the N+1 finding is a result');
  assert.ok(run.invocations[0].toolExecutionNotifications.length > 0, 'the broken file is a notification');
  assert.ok(run.tool.driver.rules.every((r) => r.help.text.length > 0 && r.help.markdown.length > 0), 'every rule has help');
  for (const r of run.tool.driver.rules) {
    const uri = new URL(r.helpUri); // absolute, or this throws
    assert.equal(uri.hash, `#${r.id}`, `${r.id}: the help URI points at the rule's section`);
    assert.ok(uri.pathname.endsWith('/docs/rules.md'), r.helpUri);
  }
});

test('findings silenced by backlens-ignore comments are suppressed results, and a bad comment a warning', () => {
  const log = sarifOf('cli/tests/fixtures/suppressed');
  validate(log);
  const run = log.runs[0];
  const silenced = run.results.filter((r) => r.suppressions);
  assert.deepEqual(silenced.map((r) => r.ruleId).sort(), ['missing-compression', 'missing-metrics', 'missing-rate-limit']);
  assert.ok(silenced.every((r) => r.suppressions[0].kind === 'inSource' && r.suppressions[0].justification.length > 0));
  assert.deepEqual(run.results.filter((r) => !r.suppressions).map((r) => r.ruleId), ['n-plus-one-query']);
  const warnings = run.invocations[0].toolExecutionNotifications.filter((n) => n.level === 'warning');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0].message.text, /unknown rule `n-plus-one-querry`/);
});

test('every fixture of the rule specs is a valid SARIF 2.1.0 log', () => {
  validate(sarifOf('core/tests/specs'));
});

test('the validator itself rejects a log that breaks the schema', () => {
  const log = sarifOf('cli/tests/fixtures/express');
  log.runs[0].results[0].level = 'fatal';
  assert.throws(() => validate(log));
});
