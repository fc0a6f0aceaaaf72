// The Markdown report is valid Markdown: markdownlint's rules, raw HTML included (MD033),
// on real projects. Run after `cargo test` (which builds target/debug/backlens) or set BACKLENS_BIN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lint } from 'markdownlint/sync';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function binary() {
  const candidates = [process.env.BACKLENS_BIN, join(root, 'target/debug/backlens'), join(root, 'target/release/backlens')];
  const found = candidates.find((p) => p && existsSync(p));
  assert.ok(found, 'no backlens binary; build it first');
  return found;
}

function report(...args) {
  return execFileSync(binary(), ['analyze', ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// Long lines are the user's own code and full sentences; everything else is checked.
const config = { default: true, MD013: false };

function assertClean(name, markdown) {
  const result = lint({ strings: { [name]: markdown }, config });
  const problems = result[name].map((e) => `line ${e.lineNumber}: ${e.ruleNames.join('/')} ${e.ruleDescription} ${e.errorDetail ?? ''} ${e.errorContext ?? ''}`);
  assert.deepEqual(problems, [], problems.join('\n'));
}

test('the report of a project with findings and a parse error passes markdownlint', () => {
  assertClean('express', report('cli/tests/fixtures/express', '--priority', 'low'));
});

test('the report of a multi-route service at every load profile passes markdownlint', () => {
  for (const load of ['low', 'medium', 'high']) {
    assertClean(`shop-${load}`, report('cli/tests/fixtures/shop', '--no-config', '--priority', 'low', '--load-profile', load));
  }
});

test('the report of every rule fixture at every priority passes markdownlint', () => {
  for (const priority of ['low', 'critical']) {
    assertClean(`specs-${priority}`, report('core/tests/specs', '--priority', priority, '--load-profile', 'high'));
  }
});

test('a report with no findings passes markdownlint', () => {
  assertClean('clean', report('core/tests/specs/n-plus-one-query/valid/seed-3.1-after-eager-loading.js', '--target', 'api'));
});
