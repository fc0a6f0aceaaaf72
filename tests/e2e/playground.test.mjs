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

async function replaceCode(text) {
  const editor = page.locator('#code');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  assert.equal(await editor.inputValue(), '', 'the editor is cleared');
  await page.keyboard.type(text);
  assert.equal(await editor.inputValue(), text, 'the editor holds what was typed');
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
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(WAIT);
    page.on('pageerror', (e) => pageErrors.push(e));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
    await page.goto(server.url);
    await page.locator('#code').waitFor();
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.close();
    }
  });

  test('loads with the seed example and takes a screenshot', async () => {
    const code = await page.locator('#code').inputValue();
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
    // The gutter marks the line, and the location button puts the caret on the call.
    await page.locator(`.gutter-line.mark:nth-child(${line})`).waitFor();
    const column = Number((await finding.locator('.location').innerText()).split(':')[1]);
    await finding.locator('.location').click();
    const caret = await page.locator('#code').evaluate((el) => [document.activeElement === el, el.selectionStart]);
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
    assert.ok(await page.evaluate(() => document.activeElement?.id === 'code'));
  });

  test('pathological input (deep nesting) is refused with an error, not a hang or crash', async () => {
    // Set in one go (typing 20 000 characters would only test the keyboard).
    await page.locator('#code').evaluate((el, text) => {
      el.value = text;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, '['.repeat(20_000));
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
    assert.equal(await page.evaluate(() => document.querySelectorAll('img, script:not([type="module"])').length), 0);
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

  test('no uncaught errors on the page', () => {
    assert.deepEqual(pageErrors.map(String), []);
  });
});
