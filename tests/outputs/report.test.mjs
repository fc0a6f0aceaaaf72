// The Markdown report is valid Markdown: markdownlint's rules, raw HTML included (MD033),
// on real projects. Run after `cargo test` (which builds target/debug/backlens) or set BACKLENS_BIN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  return execFileSync(binary(), ['analyze', '--rules', 'all', ...args], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
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

// core/tests/hostile/project.json: script tags, event handlers, `javascript:` links, Markdown
// link and image syntax, backtick runs and table pipes in file paths, route paths, handler
// names, strings, comments and package.json (core/tests/hostile.rs renders the same project
// with pulldown-cmark, raw HTML on). Written to a temporary folder so its file names are real.
test('the report of a hostile project passes markdownlint, raw HTML (MD033) included', () => {
  const project = JSON.parse(readFileSync(join(root, 'core/tests/hostile/project.json'), 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'backlens-hostile-'));
  try {
    for (const { path, text } of project.files) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const markdown = report(dir, '--no-config', '--priority', 'low');
    assert.match(markdown, /## Suppressed Findings/);
    assert.match(markdown, /## Files Not Analysed/);
    assert.ok(markdown.includes('src/&lt;img src=x onerror=alert(1)\\>.js'), markdown);
    assertClean('hostile', markdown);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
