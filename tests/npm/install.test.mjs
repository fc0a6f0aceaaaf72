// The npm packages as a Node developer meets them: the tarballs of scripts/npm.sh
// (target/npm/*.tgz) installed into a fresh project in a temporary directory — offline,
// nothing from the source tree on the path — then `npx backlens analyze` there, the
// WebAssembly fallback (BACKLENS_WASM=1) giving the same JSON as the native binary, and the
// JavaScript API imported as an ES module and required as CommonJS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const packs = join(root, 'target', 'npm');
let project;

function npx(args, env = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync('npx', ['--no-install', 'backlens', ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, BACKLENS_WASM: '', BACKLENS_BINARY: '', ...env },
  });
  return { ...r, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

before(() => {
  const tarballs = existsSync(packs) ? readdirSync(packs).filter((f) => f.endsWith('.tgz')).map((f) => join(packs, f)) : [];
  assert.ok(tarballs.length >= 2, `run scripts/npm.sh first (found ${tarballs.length} tarballs in ${packs})`);
  project = mkdtempSync(join(tmpdir(), 'backlens-npm-'));
  // No dependencies of its own: installing is offline, and only the tarballs are at hand.
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', private: true }));
  // Every rule, also those off by default (n-plus-one-query among them), as a user opts in.
  writeFileSync(join(project, 'backlens.toml'), '[params]\nrules = "all"\n');
  cpSync(join(root, 'cli/tests/fixtures/shop/src'), join(project, 'src'), { recursive: true });
  const out = execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--save-dev', ...tarballs], {
    cwd: project,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  console.log(`npm install --offline ${tarballs.map((t) => t.slice(packs.length + 1)).join(' ')}: ${out.trim()}`);
});

after(() => rmSync(project, { recursive: true, force: true }));

test('npx backlens runs the native binary from the platform package', () => {
  assert.ok(existsSync(join(project, 'node_modules/@backlens/cli-linux-x64/backlens')), 'platform package installed');
  const version = npx(['--version']);
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^backlens \d+\.\d+\.\d+\n$/);
  const r = npx(['analyze', '.', '--format', 'text']);
  assert.equal(r.status, 0, r.stderr);
  console.log(`$ npx backlens analyze . --format text   (${r.ms.toFixed(0)} ms)\n${r.stdout}`);
  assert.match(r.stdout, /^src\/routes\/users\.js:10:\d+ \w+ n-plus-one-query /m);
  assert.match(r.stdout.trim().split('\n').at(-1), /^\d+ findings \(.*\) in 4 files$/);
  // Exit codes pass through the launcher.
  assert.equal(npx(['analyze', '.', '--fail-on', 'low']).status, 1);
  const bad = npx(['analyze', '.', '--load-profile', 'extreme']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^backlens: invalid value "extreme" for parameter `load_profile`/);
});

test('the WebAssembly fallback gives the native JSON, byte for byte', () => {
  const native = npx(['analyze', '.', '--format', 'json', '--load-profile', 'high']);
  const wasm = npx(['analyze', '.', '--format', 'json', '--load-profile', 'high'], { BACKLENS_WASM: '1' });
  assert.equal(wasm.status, 0, wasm.stderr);
  assert.equal(wasm.stdout, native.stdout);
  console.log(`native ${native.ms.toFixed(0)} ms, WebAssembly ${wasm.ms.toFixed(0)} ms (npx included)`);
  const text = npx(['analyze', 'src', '--format', 'text', '--fail-on', 'high'], { BACKLENS_WASM: '1' });
  assert.equal(text.status, 1, text.stderr);
  assert.match(text.stderr, /at or above severity high/);
  const bad = npx(['analyze', '.', '--colour'], { BACKLENS_WASM: '1' });
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, 'backlens: unknown option `--colour` (see `backlens --help`)\n');
  // A baseline written by the fallback is the native one.
  assert.equal(npx(['analyze', '.', '--write-baseline', 'wasm-baseline.json', '--format', 'json'], { BACKLENS_WASM: '1' }).status, 0);
  assert.equal(npx(['analyze', '.', '--write-baseline', 'native-baseline.json', '--format', 'json']).status, 0);
  const read = (f) => execFileSync('cat', [join(project, f)], { encoding: 'utf8' });
  assert.equal(read('wasm-baseline.json'), read('native-baseline.json'));
  const known = npx(['analyze', '.', '--baseline', 'native-baseline.json', '--format', 'text'], { BACKLENS_WASM: '1' });
  assert.match(known.stdout, /^0 findings in 4 files; \d+ more findings in the baseline$/m);
});

test('the JavaScript API: import { analyze } from "backlens", and require', () => {
  const script = `
    import { analyze, report } from 'backlens';
    import { readFileSync } from 'node:fs';
    const files = ['src/app.js', 'src/models.js', 'src/routes/users.js'].map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    const a = analyze(files, { load_profile: 'high', rules: 'all', settings: { items: 10 } });
    const n1 = a.findings.find((f) => f.rule === 'n-plus-one-query');
    console.log(JSON.stringify({ version: a.version, framework: a.framework, endpoints: a.endpoints.length, n1: [n1.file, n1.line, n1.estimate.before[0].value], text: report(files, {}, 'text').split('\\n').at(-2) }));
    try { analyze(files, { load_profile: 'extreme' }); } catch (e) { console.log(e.message); }
  `;
  const out = execFileSync('node', ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' }).trim().split('\n');
  const result = JSON.parse(out[0]);
  assert.deepEqual(result.n1, ['src/routes/users.js', 10, 11]);
  assert.equal(result.version, 1);
  assert.equal(result.framework, 'express');
  assert.ok(result.endpoints >= 3);
  assert.match(result.text, /^\d+ findings? (\(.*\) )?in 3 files; \d+ rules off by default not run \(--rules all\)$/);
  assert.match(out[1], /invalid value "extreme" for parameter `load_profile`/);
  const cjs = execFileSync('node', ['-e', "const { analyze } = require('backlens'); console.log(analyze({ 'a.js': 'app.get(\\'/s\\', (req, res) => res.json(JSON.parse(JSON.stringify(req.body))));' }, { settings: { items: 5000 } }).findings[0].rule)"], { cwd: project, encoding: 'utf8' });
  assert.equal(cjs.trim(), 'json-deep-clone');
});
