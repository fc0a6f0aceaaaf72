// Browser tests of the playground's layout, the Trace tab's waterfall and measurements brought
// in, in headless Chromium against the built dist/ (BACKLENS_DIST to override):
//
//   at 1280×800 the editor starts near the top with the results beside it at full height, on a
//   phone the editor comes first, no lint tooltip before the user moves; the waterfall of the
//   seed's N+1 (a sequence, repeats counted, the batch after), Promise.all overlapping, a bar
//   selecting its line, the data table; a k6 summary dropped on the page, read in the browser
//   (no request leaves the page), measured beside estimated in the Trace tab and the report.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { serve } from './static-server.mjs';
import { openSettings, waitForText } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.BACKLENS_DIST ?? join(here, '..', '..', 'dist'));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WAIT = 20_000;

const PARALLEL = [
  "const app = require('express')();",
  "app.get('/api/dashboard', async (req, res) => {",
  '  const [users, posts, comments] = await Promise.all([',
  "    pool.query('SELECT count(*) FROM users'),",
  "    pool.query('SELECT count(*) FROM posts'),",
  "    pool.query('SELECT count(*) FROM comments'),",
  '  ]);',
  '  res.json({ users, posts, comments });',
  '});',
].join('\n');

const K6 = JSON.stringify({
  metrics: {
    'http_req_duration{name:GET /api/users}': { med: 22, 'p(95)': 48, 'p(99)': 77.5 },
    'http_reqs{name:GET /api/users}': { count: 1500, rate: 49.9 },
    http_req_duration: { med: 22, 'p(95)': 48 },
    http_reqs: { count: 1500, rate: 49.9 },
  },
});

let server;
let browser;
const pageErrors = [];

async function openPage({ width = 1280, height = 800, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.on('pageerror', (e) => pageErrors.push(e));
  await page.goto(server.url);
  await waitForText(page.locator('#findings-status'), /\d+ findings?|No findings/, WAIT);
  return page;
}

/** Replaces the editor's text as a user would (select all, type). */
async function setCode(page, text) {
  await page.locator('#code .cm-content').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** The waterfall's rows of one side: { label, start, line, kind }. */
function rowsOf(page, side) {
  return page.locator(`.waterfall-rows[data-side="${side}"] .span-row`).evaluateAll((rows) =>
    rows.map((r) => ({
      label: r.querySelector('.span-label').textContent,
      start: Number(r.dataset.start),
      line: Number(r.dataset.line),
      kind: r.dataset.kind,
    })),
  );
}

describe('backlens playground: layout, trace waterfall, measurements', { timeout: 240_000 }, () => {
  before(async () => {
    assert.ok(existsSync(join(dist, 'index.html')), `no build at ${dist}: run \`trunk build --release\` first`);
    server = await serve(dist);
    browser = await chromium.launch({ executablePath, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.close();
    }
    assert.deepEqual(pageErrors.map(String), [], 'no uncaught errors in the page');
  });

  test('desktop: the editor near the top, the results beside it at full height, no tooltip on load', async () => {
    const page = await openPage();
    try {
      await page.locator('#code .cm-content').waitFor();
      const code = await page.locator('#code').boundingBox();
      const results = await page.locator('.pane-results').boundingBox();
      assert.ok(code.y < 200, `the editor starts ${code.y} px down`);
      assert.ok(results.x >= code.x + code.width, 'the results are beside the editor');
      assert.ok(Math.abs(results.y - (await page.locator('.pane-editor').boundingBox()).y) < 2, 'both at the same height');
      const pane = await page.locator('.pane-editor').boundingBox();
      assert.ok(pane.y + pane.height > 740 && results.y + results.height > 740, 'both panes reach down the 800 px window');
      assert.ok(code.height > 400, `the editor takes the pane's height (${code.height} px)`);
      // The argument string is in view; the rest of the parameters are one click away.
      assert.equal(await page.locator('#param-args').isVisible(), true);
      assert.equal(await page.locator('#param-target').isVisible(), false);
      await openSettings(page);
      assert.equal(await page.locator('#param-target').isVisible(), true);
      // No lint tooltip opens by itself.
      await page.waitForTimeout(800);
      assert.equal(await page.locator('.cm-tooltip').count(), 0, 'no tooltip before the user moves');
    } finally {
      await page.context().close();
    }
  });

  test('phone: the editor first, then the findings', async () => {
    const page = await openPage({ width: 390, height: 844 });
    try {
      const code = await page.locator('#code').boundingBox();
      const results = await page.locator('.pane-results').boundingBox();
      assert.ok(code.y < 844 / 2, `the editor starts on the first screen (${code.y} px)`);
      assert.ok(results.y > code.y + code.height, 'the findings come after the editor');
    } finally {
      await page.context().close();
    }
  });

  test('the waterfall of the seed N+1: in sequence, repeats counted, one batch after; a bar selects its line', async () => {
    const page = await openPage();
    try {
      await page.locator('#tab-trace').click();
      await waitForText(page.locator('#trace-summary'), /Before: .*quer/, WAIT);
      assert.equal(await page.locator('#trace-endpoint').inputValue(), 'GET /api/users');
      const before = await rowsOf(page, 'before');
      const users = before.find((r) => r.label.startsWith('User.findAll'));
      const posts = before.find((r) => r.label.startsWith('Post.findAll'));
      assert.ok(users && posts, JSON.stringify(before));
      assert.match(posts.label, /×\d+/, 'the per-user query is one bar with its count');
      assert.ok(posts.start > users.start, 'it runs after the users query');
      const afterRows = await rowsOf(page, 'after');
      assert.ok(afterRows.some((r) => /\(batched\)/.test(r.label) && !/×/.test(r.label)), JSON.stringify(afterRows));
      // A bar selects its line.
      await page.locator('.waterfall-rows[data-side="before"] .span-row', { hasText: 'Post.findAll' }).click();
      await page.waitForFunction(() => /Post\.findAll/.test(document.getSelection().toString()));
      // The data table holds every span of both sides.
      await page.locator('#trace-table summary').click();
      const cells = await page.locator('#trace-table tbody tr').count();
      assert.equal(cells, before.length + afterRows.length);
    } finally {
      await page.context().close();
    }
  });

  test('Promise.all: the three queries start together', async () => {
    const page = await openPage();
    try {
      await setCode(page, PARALLEL);
      await page.locator('#tab-trace').click();
      await page.waitForFunction(() => document.querySelector('#trace-endpoint')?.value === 'GET /api/dashboard');
      const rows = (await rowsOf(page, 'before')).filter((r) => r.kind === 'db');
      assert.equal(rows.length, 3, JSON.stringify(rows));
      assert.ok(rows.every((r) => r.start === rows[0].start), JSON.stringify(rows));
    } finally {
      await page.context().close();
    }
  });

  test('a k6 summary dropped on the page is read here and shown beside the estimates', async () => {
    const page = await openPage();
    const requests = [];
    page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
    try {
      await page.evaluate((text) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], 'k6-summary.json', { type: 'application/json' }));
        document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }, K6);
      await page.locator('#tab-trace').click();
      await waitForText(page.locator('#trace-measured'), /Measured \(k6-summary\.json\): p50 22 ms · p95 48 ms · p99 77\.5 ms · 49\.9 requests\/s/, WAIT);
      await openSettings(page);
      await waitForText(page.locator('#measurement-files'), /k6-summary\.json[\s\S]*k6 · 2 of 2 measured endpoints matched/, WAIT);
      await page.locator('#tab-report').click();
      const report = page.locator('article.report');
      await waitForText(report, /Measured \(your measurements\)/, WAIT);
      const text = await report.innerText();
      assert.match(text, /Measured p50 \/ p95 \/ RPS/);
      assert.match(text, /22 ms \/ 48 ms \/ 49\.9 \(k6-summary\.json\)/);
      assert.match(text, /Request Traces \(simulated\)/);
      // Nothing was sent anywhere: no request but the page's own files.
      assert.deepEqual(requests.filter((r) => !r.startsWith(`GET ${server.url}`)), []);
      // A file that is not a measurement says so.
      await page.evaluate(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['{"hello": 1}'], 'other.json'));
        document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      });
      await waitForText(page.locator('#measurements-error'), /other\.json: not a measurement backlens reads/, WAIT);
      // Removing it takes the measured figures away.
      await page.locator('.measurement-file button').click();
      await page.locator('#tab-trace').click();
      await page.waitForFunction(() => !document.querySelector('#trace-measured'));
    } finally {
      await page.context().close();
    }
  });

  for (const scheme of ['light', 'dark']) {
    test(`axe-core on the Trace tab (${scheme})`, async () => {
      const page = await openPage({ colorScheme: scheme });
      try {
        await page.locator('#tab-trace').click();
        await page.locator('#waterfall').waitFor();
        await page.locator('#trace-table summary').click();
        await openSettings(page);
        await page.evaluate(axeSource);
        const result = await page.evaluate(async () => {
          // eslint-disable-next-line no-undef
          const r = await axe.run(document, { resultTypes: ['violations'] });
          return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
        });
        const problems = result.filter((v) => v.impact === 'critical' || v.impact === 'serious');
        assert.deepEqual(problems, [], JSON.stringify(problems, null, 1));
      } finally {
        await page.context().close();
      }
    });
  }
});
