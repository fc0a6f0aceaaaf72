// The composite GitHub Action in action.yml, run step by step as a runner would: its `run:`
// scripts under bash with the `env:` each step declares, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY
// files, `if:` conditions and `${{ … }}` expressions of the few kinds the action uses.
// `uses:` steps (actions/cache, the SARIF upload) cannot run here: the test checks that the
// upload would get a valid SARIF file. Needs a built backlens (BACKLENS_BIN or target/debug).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'));

function binary() {
  const candidates = [process.env.BACKLENS_BIN, join(root, 'target/debug/backlens'), join(root, 'target/release/backlens')];
  const found = candidates.find((p) => p && existsSync(p));
  assert.ok(found, `no backlens binary; build it first (tried ${candidates.filter(Boolean).join(', ')})`);
  return found;
}

/** Reads `name=value` lines of a GITHUB_OUTPUT file. */
function outputsOf(file) {
  const out = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

/** Runs the action with `with` inputs; returns what each step did. */
function runAction(withInputs) {
  const temp = mkdtempSync(join(tmpdir(), 'backlens-action-'));
  try {
    const inputs = {};
    for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = String(withInputs[name] ?? spec.default ?? '');
    const steps = {};
    const context = { inputs, github: { action_path: root }, runner: { temp, os: 'Linux', arch: 'X64' }, steps };
    const value = (expr) => {
      expr = expr.trim();
      const literal = /^'(.*)'$/.exec(expr);
      if (literal) return literal[1];
      let v = context;
      for (const key of expr.split('.')) v = v?.[key];
      return v ?? '';
    };
    const evaluate = (cond) =>
      cond.split('&&').every((part) => {
        const m = /^(.*?)\s*(==|!=)\s*(.*)$/.exec(part.trim());
        assert.ok(m, `condition the test cannot evaluate: ${cond}`);
        return (value(m[1]) === value(m[3])) === (m[2] === '==');
      });
    const expand = (text) => String(text).replace(/\$\{\{(.*?)\}\}/g, (_, e) => value(e));
    const summary = join(temp, 'summary.md');
    writeFileSync(summary, '');
    const ran = [];
    for (const step of action.runs.steps) {
      if (step.if && !evaluate(step.if)) continue;
      if (step.uses) {
        ran.push({ uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(v)])) });
        continue;
      }
      const output = join(temp, `output-${ran.length}`);
      writeFileSync(output, '');
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary };
      for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(v);
      const r = spawnSync(step.shell, ['-c', step.run], { cwd: root, env, encoding: 'utf8' });
      const outputs = outputsOf(output);
      if (step.id) steps[step.id] = { outputs };
      ran.push({ name: step.name, status: r.status, stdout: r.stdout, stderr: r.stderr, outputs });
      if (r.status !== 0) break;
    }
    return { ran, summary: readFileSync(summary, 'utf8'), sarif: steps.run?.outputs.sarif && readFileSync(steps.run.outputs.sarif, 'utf8') };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

test('action.yml is a composite action that uploads SARIF to code scanning', () => {
  assert.equal(action.runs.using, 'composite');
  assert.ok(action.runs.steps.some((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@')));
  for (const step of action.runs.steps.filter((s) => s.run)) {
    assert.equal(step.shell, 'bash', step.name);
    // Inputs reach scripts through env only (no expression expanded into shell code).
    assert.doesNotMatch(step.run, /\$\{\{/, step.name);
  }
});

test('on a project with findings: annotations, the report in the job summary, SARIF for the upload, and fail-on fails the job', () => {
  const { ran, summary, sarif } = runAction({ path: 'cli/tests/fixtures/express', args: '--rules all', 'fail-on': 'high', binary: binary() });
  const run = ran.find((s) => s.name === 'Run backlens');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^::error file=cli\/tests\/fixtures\/express\/src\/routes\/users\.js,line=7,col=\d+,endLine=7,endColumn=\d+,title=backlens n-plus-one-query \(high\)::/m);
  assert.equal(run.outputs.status, '1');
  assert.equal(run.outputs.findings, '7');
  assert.match(summary, /^# Backend Optimization Report/);
  const upload = ran.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
  assert.ok(upload, 'the SARIF upload runs');
  assert.equal(upload.with.sarif_file, run.outputs.sarif);
  assert.equal(JSON.parse(sarif).version, '2.1.0');
  const last = ran.at(-1);
  assert.equal(last.name, 'Fail on findings at or above fail-on');
  assert.equal(last.status, 1);
  assert.match(last.stdout, /::error title=backlens::findings at or above severity high/);
});

test('on a clean project nothing fails and no summary is written when summary is false', () => {
  const { ran, summary } = runAction({ path: 'cli/tests/fixtures/clean', 'fail-on': 'low', summary: 'false', 'upload-sarif': 'false', binary: binary() });
  const run = ran.find((s) => s.name === 'Run backlens');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.outputs.findings, '0');
  assert.equal(run.outputs.status, '0');
  assert.equal(summary, '');
  assert.ok(!ran.some((s) => s.uses?.startsWith('github/codeql-action')));
  assert.ok(!ran.some((s) => s.name?.startsWith('Fail')));
});

test('a usage error fails the run step with exit 2', () => {
  const { ran } = runAction({ path: 'cli/tests/fixtures/clean', args: '--load-profile extreme', binary: binary() });
  const run = ran.find((s) => s.name === 'Run backlens');
  assert.equal(run.status, 2);
  assert.match(run.stderr, /invalid value "extreme" for parameter `load_profile`/);
});
