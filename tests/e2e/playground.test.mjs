// End-to-end test of the backlens playground in headless Chromium.
//
//   trunk build --release          # builds dist/
//   node --test tests/e2e/         # serves dist/ on a loopback port and drives the page
//
// BACKLENS_DIST overrides the directory served (default: <repo>/dist). CHROMIUM overrides
// the browser (default: Debian's /usr/bin/chromium). A screenshot of the page is written to
// tests/e2e/artifacts/ (not committed).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './static-server.mjs';
import { openSettings, waitForText } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.BACKLENS_DIST ?? join(here, '..', '..', 'dist'));
const artifacts = join(here, 'artifacts');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const WAIT = 15_000;

// The seed's section 3.1 N+1 handler.
const N_PLUS_ONE = [
  "app.get('/api/users', async (req, res) => {",
  '  const users = await User.findAll(); // 1 query',
  '',
  '  for (const user of users) {',
  '    // N additional queries (1 per user)',
  '    user.posts = await Post.findAll({ where: { userId: user.id } });',
  '  }',
  '',
  '  res.json(users);',
  '});',
].join('\n');
const BROKEN = "app.get('/x', (req, res) => {";
const XSS = '<img src=x onerror=alert(1)>';

let server;
let browser;
let context;
let page;
const pageErrors = [];
const dialogs = [];

/** `promise`, or a rejection if it takes longer than `ms` (the page is not responding). */
function within(ms, promise) {
  let timer;
  const timeout = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`no answer within ${ms} ms: the page is not responsive`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Waits until the text of `locator` matches `pattern`. */
const untilText = (locator, pattern, ms = WAIT) => waitForText(locator, pattern, ms);

/** The text in the code editor (CodeMirror, web/editor/) of page `p`. */
function codeOf(p) {
  return p.evaluate(() => BacklensEditor.textOf(document.getElementById('code')));
}

/** Replaces the editor's text as a paste would (typing would auto-indent). */
async function replaceCode(text) {
  await page.locator('#code .cm-content').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  assert.equal(await codeOf(page), '', 'the editor is cleared');
  await page.keyboard.insertText(text);
  assert.equal(await codeOf(page), text, 'the editor holds what was pasted');
}

describe('backlens playground', { timeout: 180_000 }, () => {
  before(async () => {
    assert.ok(existsSync(join(dist, 'index.html')), `no build at ${dist}: run \`trunk build --release\` first`);
    mkdirSync(artifacts, { recursive: true });
    server = await serve(dist);
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on('pageerror', (e) => pageErrors.push(e));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
    await page.goto(server.url);
    await page.locator('#code .cm-content').waitFor();
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.close();
    }
  });

  test('loads with the seed example and takes a screenshot', async () => {
    await page.locator('#code .cm-content').waitFor();
    const code = await codeOf(page);
    assert.match(code, /Post\.findAll\(\{ where: \{ userId: user\.id \} \}\)/);
    await page.locator('#findings-status').waitFor();
    // Give the first analysis a moment, then record how the page looks.
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(artifacts, 'playground.png'), fullPage: true });
  });

  test('typing the N+1 handler shows an n-plus-one-query finding on the Post.findAll line', async () => {
    await replaceCode(N_PLUS_ONE);
    const line = N_PLUS_ONE.split('\n').findIndex((l) => l.includes('Post.findAll')) + 1;
    const finding = page.locator(`#panel-findings li.finding[data-rule="n-plus-one-query"]`).first();
    await finding.waitFor();
    assert.equal(await finding.getAttribute('data-line'), String(line));
    assert.match(await finding.locator('.location').innerText(), new RegExp(`^line ${line}:\\d+$`));
    assert.match(await finding.locator('.badge').innerText(), /^(low|medium|high|critical)$/i);
    assert.notEqual((await finding.locator('.message').innerText()).trim(), '');
    assert.match(await finding.locator('figure').first().innerText(), /Post\.findAll/);
    assert.match(await page.locator('#findings-status').innerText(), /\d+ findings?/);
    // The gutter marks a finding, and the location button selects the call from its column.
    await page.locator('#code .cm-gutter-lint .cm-lint-marker').first().waitFor();
    const column = Number((await finding.locator('.location').innerText()).split(':')[1]);
    await finding.locator('.location').click();
    const caret = await page.locator('#code').evaluate((el) => [
      el.contains(document.activeElement),
      BacklensEditor.selectionOf(el).from,
    ]);
    const lines = N_PLUS_ONE.split('\n');
    const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
    assert.deepEqual(caret, [true, offset]);
    assert.ok(lines[line - 1].slice(column - 1).includes('Post.findAll'), 'the column points at the query');
    await page.screenshot({ path: join(artifacts, 'findings.png'), fullPage: true });
  });

  test('a parse error shows its line, column and message, and the page stays responsive', async () => {
    await replaceCode(BROKEN);
    const error = page.locator('.parse-error').first();
    await error.waitFor();
    const text = await error.innerText();
    assert.match(text, /line \d+, column \d+/);
    assert.notEqual((await error.locator('.message').innerText()).trim(), '');
    assert.match(await page.locator('#findings-status').innerText(), /does not parse/);
    await page.screenshot({ path: join(artifacts, 'parse-error.png') });

    // Responsive: scripts run, and a click switches tabs promptly.
    assert.equal(await within(2_000, page.evaluate(() => 6 * 7)), 42);
    await page.locator('#tab-report').click({ timeout: 2_000 });
    assert.equal(await page.locator('#tab-report').getAttribute('aria-selected'), 'true');
    await page.locator('#tab-findings').click({ timeout: 2_000 });
    assert.equal(await page.locator('#tab-findings').getAttribute('aria-selected'), 'true');
    // The location button puts the caret there.
    await error.locator('button.location').click({ timeout: 2_000 });
    assert.ok(await page.evaluate(() => document.getElementById('code').contains(document.activeElement)));
  });

  test('pathological input (deep nesting) is refused with an error, not a hang or crash', async () => {
    // Pasted in one go (typing 20 000 characters would only test the keyboard).
    await replaceCode('['.repeat(20_000));
    const error = page.locator('.parse-error').first();
    await error.waitFor();
    assert.match(await error.innerText(), /line 1, column \d+/);
    assert.equal(await within(2_000, page.evaluate(() => 6 * 7)), 42);
    assert.ok(await page.locator('#fatal').isHidden(), 'no internal error');
  });

  test('the Report tab renders the Backend Optimization Report', async () => {
    await replaceCode(N_PLUS_ONE);
    await page.locator('#tab-report').click();
    const heading = page.locator('#panel-report .report h1').first();
    await heading.waitFor();
    assert.match(await heading.innerText(), /Backend Optimization Report/);
    // The report is of the code just typed: its optimisation section names the finding.
    await page.locator('#panel-report .report h3', { hasText: 'GET /api/users' }).first().waitFor({ timeout: 5_000 });
    assert.match(await page.locator('#panel-report .report').innerText(), /n-plus-one-query/);
    await page.screenshot({ path: join(artifacts, 'report.png'), fullPage: true });

    // "Download .md" saves the same report as Markdown.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-md').click()]);
    assert.match(download.suggestedFilename(), /\.md$/);
    const file = join(artifacts, download.suggestedFilename());
    await download.saveAs(file);
    const markdown = readFileSync(file, 'utf8');
    assert.match(markdown, /^# Backend Optimization Report/);
    assert.match(markdown, /Post\.findAll/);
    await page.locator('#tab-findings').click();
  });

  test('HTML typed as code never becomes markup in the report', async () => {
    const code = [
      `app.get('/${XSS}', async (req, res) => {`,
      `  // ${XSS}`,
      '  const users = await User.findAll();',
      '  for (const user of users) {',
      '    user.posts = await Post.findAll({ where: { userId: user.id } });',
      '  }',
      `  res.send('${XSS}');`,
      '});',
      XSS,
    ].join('\n');
    await replaceCode(code);
    await page.locator('#tab-report').click();
    await page.locator('#panel-report .report h1').first().waitFor();
    await page.waitForTimeout(400); // past the debounce: the report reflects this code
    assert.equal(await page.locator('#panel-report img').count(), 0, 'no <img> in the report');
    assert.equal(await page.evaluate(() => document.querySelectorAll('img, script:not([src^="./"])').length), 0);
    assert.deepEqual(dialogs, [], 'no script ran');
    // Also with the same code parsed (the last line removed): findings quote it.
    await page.locator('#tab-findings').click();
    await replaceCode(code.split('\n').slice(0, -1).join('\n'));
    await page.locator('#tab-report').click();
    await page.waitForTimeout(400);
    assert.equal(await page.locator('#panel-report img').count(), 0, 'no <img> in the report');
    assert.equal(await page.locator('img').count(), 0, 'no <img> anywhere');
    // The route's path is quoted in the report: as visible text, not as markup.
    assert.ok((await page.locator('#panel-report .report').innerText()).includes(XSS), 'the HTML shows as text');
    assert.deepEqual(dialogs, [], 'no script ran');
    await page.locator('#tab-findings').click();
  });

  test('form controls and the argument string stay in sync', async () => {
    const args = page.locator('#param-args');
    // The argument string is always in view; the form controls are in the parameters' drawer.
    assert.equal(await args.isVisible(), true);
    await openSettings(page);
    await page.locator('#param-load_profile').selectOption('high');
    assert.match(await args.inputValue(), /load_profile:"high"/);
    await page.locator('#param-target').selectOption('api');
    assert.match(await args.inputValue(), /target:"api"/);
    const nPlusOne = page.locator('#panel-findings li.finding[data-rule="n-plus-one-query"]');
    await nPlusOne.first().waitFor();

    // The argument string drives the form controls.
    await args.fill('');
    await args.type('target:"caching" load_profile:"low" priority:"critical"');
    assert.equal(await page.locator('#param-target').inputValue(), 'caching');
    assert.equal(await page.locator('#param-load_profile').inputValue(), 'low');
    assert.equal(await page.locator('#param-priority').inputValue(), 'critical');
    // The parameters reach the analysis: n-plus-one-query is an "api" rule.
    await nPlusOne.first().waitFor({ state: 'detached' });

    // A bad value shows the parameter's error and the allowed values.
    await args.fill('');
    await args.type('load_profile:"extreme"');
    const error = page.locator('#param-error');
    await assert.doesNotReject(error.getByText('load_profile').waitFor());
    assert.match(await error.innerText(), /low, medium, high/);
    assert.equal(await args.getAttribute('aria-invalid'), 'true');
  });

  test('dark colour scheme (screenshot)', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('button', { hasText: 'Load example' }).click();
    await page.locator('#param-args').fill('');
    await page.locator('#param-args').type('target:"all"');
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(artifacts, 'playground-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('cost model: items = 10 turns the N+1 estimate into 11 queries and the report says so', async () => {
    await page.locator('#example').selectOption('n-plus-one-express');
    await page.locator('#load-example').click();
    await page.locator('#param-args').fill('target:"all" load_profile:"medium" rules:"n-plus-one-query"');
    const summary = page.locator('#cost-model summary');
    await summary.focus();
    await page.keyboard.press('Enter'); // the section opens from the keyboard
    assert.equal(await page.locator('#cost-model').evaluate((d) => d.open), true);
    const items = page.locator('#cost-items');
    assert.equal(await items.getAttribute('placeholder'), '50', "the medium profile's default");
    assert.equal(await page.locator('label[for="cost-items"]').count(), 1, 'the input is labelled');
    const estimate = page.locator('#panel-findings li.finding[data-rule="n-plus-one-query"] .estimate').first();
    await untilText(estimate, /51 queries/);

    await items.fill('10');
    await untilText(estimate, /11 queries/);
    // Invalid input shows its error next to the field and is not applied.
    await items.fill('-3');
    assert.match(await page.locator('#cost-items-error').innerText(), /≥ 0/);
    assert.equal(await items.getAttribute('aria-invalid'), 'true');
    assert.match(await estimate.innerText(), /11 queries/);
    await items.fill('many');
    assert.match(await page.locator('#cost-items-error').innerText(), /must be a number/);
    await page.locator('#cost-hit_rate').fill('1.5');
    assert.match(await page.locator('#cost-hit_rate-error').innerText(), /0 to 1/);
    await page.locator('#cost-hit_rate').fill('');
    await items.fill('10');
    assert.equal(await page.locator('#cost-items-error').innerText(), '');
    assert.equal(await items.getAttribute('aria-invalid'), 'false');

    // The report's Model Parameters table lists the setting and its source.
    await page.locator('#tab-report').click();
    const row = await page.locator('#panel-report .report tr').evaluateAll((rows) =>
      rows.map((r) => [...r.cells].map((c) => c.innerText.trim())).find((cells) => cells[0] === 'items'),
    );
    assert.deepEqual(row, ['items', '10', 'rows', 'playground']);
    await page.locator('#tab-findings').click();
    await page.screenshot({ path: join(artifacts, 'cost-model.png'), fullPage: true });

    // Another load profile changes the defaults shown, not the user's value.
    await page.locator('#param-load_profile').selectOption('high');
    assert.equal(await items.getAttribute('placeholder'), '200');
    assert.match(await estimate.innerText(), /11 queries/);
    // Reset: back to the profile's default.
    await page.getByRole('button', { name: 'Reset items to the load profile\'s default' }).click();
    assert.equal(await items.inputValue(), '');
    await untilText(estimate, /201 queries/);
    await items.fill('10');
    await page.locator('#cost-reset-all').click();
    assert.equal(await items.inputValue(), '');
    await page.locator('#param-load_profile').selectOption('medium');
    await untilText(estimate, /51 queries/);
  });

  test('downloads: .json and .sarif of the analysis, and Copy report', async () => {
    await page.locator('#tab-report').click();
    const save = async (button) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
      const file = join(artifacts, download.suggestedFilename());
      await download.saveAs(file);
      return [download.suggestedFilename(), readFileSync(file, 'utf8')];
    };
    const [jsonName, jsonText] = await save('#download-json');
    assert.match(jsonName, /\.json$/);
    const json = JSON.parse(jsonText);
    assert.equal(json.version, 1);
    const finding = json.findings.find((f) => f.rule === 'n-plus-one-query');
    assert.ok(finding, 'the JSON has the N+1 finding');
    assert.equal(finding.line, 6);
    assert.equal(finding.endpoint, 'GET /api/users');

    const [sarifName, sarifText] = await save('#download-sarif');
    assert.match(sarifName, /\.sarif$/);
    const sarif = JSON.parse(sarifText);
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.some((r) => r.ruleId === 'n-plus-one-query'), 'the SARIF has the N+1 result');

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.locator('#copy-report').click();
    await page.locator('#copy-status').getByText('Report copied').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /^# Backend Optimization Report/);
    assert.match(copied, /Post\.findAll/);
    await page.locator('#tab-findings').click();
  });

  let shareUrl;
  const SHARED = N_PLUS_ONE.replace('/api/users', '/api/shared');

  test('a share link restores the code and every parameter in a new page', async () => {
    await replaceCode(SHARED);
    await page.locator('#param-args').fill('target:"api" load_profile:"high" priority:"medium"');
    await page.locator('#cost-query_ms').fill('7');
    await page.locator('#share-link').click();
    await page.locator('#share-url').waitFor();
    shareUrl = await page.locator('#share-url').inputValue();
    assert.ok(shareUrl.startsWith(server.url), shareUrl);
    assert.match(shareUrl, /#v1\.[A-Za-z0-9_-]+$/);
    assert.ok(new URL(shareUrl).hash.length <= 32 * 1024);
    // The status says "copying it…" until the clipboard answers.
    await untilText(page.locator('#share-status'), /copied|Copy the link/);

    const other = await browser.newPage(); // a fresh context: nothing in its localStorage
    try {
      const errors = [];
      other.on('pageerror', (e) => errors.push(e));
      await other.goto(shareUrl);
      await other.locator('#code .cm-content').waitFor();
      assert.equal(await codeOf(other), SHARED);
      assert.equal(await other.locator('#param-args').inputValue(), 'target:"api" load_profile:"high" priority:"medium"');
      assert.equal(await other.locator('#param-load_profile').inputValue(), 'high');
      assert.equal(await other.locator('#cost-query_ms').inputValue(), '7');
      const finding = other.locator('li.finding[data-rule="n-plus-one-query"]').first();
      await finding.waitFor();
      assert.match(await finding.innerText(), /GET \/api\/shared/);
      assert.equal(new URL(other.url()).hash, '', 'the fragment is dropped once read');
      assert.deepEqual(errors.map(String), []);
    } finally {
      await other.close();
    }
  });

  test('share: code too large for a link gets a clear message; a damaged link says so', async () => {
    // Random letters barely compress: 60 000 of them need ≈47 KB in a link.
    const big = Array.from({ length: 60_000 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
    await replaceCode(`// ${big}\n`);
    await page.locator('#share-link').click();
    const status = page.locator('#share-status');
    await status.getByText('too large for a link').waitFor();
    assert.match(await status.innerText(), /32 KB/);
    assert.equal(await page.locator('#share-url').count(), 0);
    await replaceCode(SHARED);

    const other = await browser.newPage();
    try {
      await other.goto(`${server.url}#v1.not-a-real-link`);
      await other.locator('#notice').getByText('damaged').waitFor();
      await other.locator('#code .cm-content').waitFor();
      assert.match(await codeOf(other), /Post\.findAll/, 'the default example shows');
    } finally {
      await other.close();
    }
  });

  test('examples picker: every example loads; findings only for rules that exist', async () => {
    const options = await page.locator('#example option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    assert.ok(options.length >= 7, `${options.length} examples`);
    const expected = {
      'n-plus-one-express': ['User.findAll', 'n-plus-one-query', 'playground.js'],
      'n-plus-one-fastify': ['prisma.post.findMany', 'n-plus-one-query', 'playground.js'],
      'n-plus-one-nestjs': ['Repository<Post>', 'n-plus-one-query', 'playground.ts'],
      'n-plus-one-koa': ['Post.find(', 'n-plus-one-query', 'playground.js'],
      'blocking-crypto': ['pbkdf2Sync', 'blocking-call-in-handler', 'playground.js'],
      'quadratic-find': ['userData.find', 'quadratic-lookup', 'playground.js'],
      'sequential-awaits': ['Comment.findAll', null, 'playground.js'],
    };
    await page.locator('#param-args').fill('target:"all"');
    for (const [id, [text, rule, file]] of Object.entries(expected)) {
      await page.locator('#example').selectOption(id);
      await page.locator('#load-example').click();
      assert.ok((await codeOf(page)).includes(text), `${id} loads its code`);
      assert.equal(await page.locator('#language').inputValue(), file, `${id} picks its language`);
      assert.equal(await page.locator('.parse-error').count(), 0, `${id} parses`);
      if (rule) {
        await page.locator(`li.finding[data-rule="${rule}"]`).first().waitFor();
      }
    }
    await page.screenshot({ path: join(artifacts, 'example-sequential.png') });
    await page.locator('#example').selectOption('n-plus-one-express');
    await page.locator('#load-example').click();
  });

  test('a reload restores the last code and parameters; a share link wins over them', async () => {
    const code = N_PLUS_ONE.replace('/api/users', '/api/stored');
    await replaceCode(code);
    await page.locator('#param-args').fill('target:"api" priority:"low"');
    await page.locator('#cost-items').fill('12');
    await page.waitForTimeout(400); // past the debounce
    await page.reload();
    await page.locator('#code .cm-content').waitFor();
    assert.equal(await codeOf(page), code);
    assert.equal(await page.locator('#param-args').inputValue(), 'target:"api" load_profile:"medium" priority:"low"');
    assert.equal(await page.locator('#cost-items').inputValue(), '12');
    await untilText(page.locator('#panel-findings li.finding[data-rule="n-plus-one-query"] .estimate').first(), /13 queries/);

    // Same browser storage, but a share link in the URL: the link's code shows.
    const other = await context.newPage();
    try {
      await other.goto(shareUrl);
      await other.locator('#code .cm-content').waitFor();
      assert.equal(await codeOf(other), SHARED);
    } finally {
      await other.close();
    }
    // A share link opened in this very tab (only the fragment changes) is read too.
    await page.evaluate((hash) => {
      location.hash = hash;
    }, new URL(shareUrl).hash);
    await page.waitForFunction(
      (code) => document.getElementById('code') && BacklensEditor.textOf(document.getElementById('code')) === code,
      SHARED,
    );
    assert.equal(await page.locator('#param-args').inputValue(), 'target:"api" load_profile:"high" priority:"medium"');
    await page.locator('#param-args').fill('target:"all"');
    await openSettings(page);
    await page.locator('#cost-reset-all').click();
  });

  test('theme switch: follows the system by default, a choice persists', async () => {
    const theme = () => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
    assert.equal(await page.locator('#theme').inputValue(), 'system');
    assert.equal(await theme(), null);
    await page.locator('#theme').selectOption('dark');
    assert.equal(await theme(), 'dark');
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(await background(), 'rgb(15, 18, 23)');
    await page.reload();
    await page.locator('#code .cm-content').waitFor();
    assert.equal(await theme(), 'dark');
    assert.equal(await page.locator('#theme').inputValue(), 'dark');
    await page.screenshot({ path: join(artifacts, 'theme-dark.png'), fullPage: true });
    await page.locator('#theme').selectOption('system');
    assert.equal(await theme(), null);
    await page.emulateMedia({ colorScheme: 'light' });
    assert.equal(await background(), 'rgb(246, 247, 249)');
  });

  test('no uncaught errors on the page', () => {
    assert.deepEqual(pageErrors.map(String), []);
  });
});
