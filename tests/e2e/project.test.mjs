// Browser tests of the playground's project, picture, print, rules and accessibility parts,
// in headless Chromium against the built dist/ (BACKLENS_DIST to override):
//
//   folder upload (with node_modules, build output, .gitignore, binary, too-large files),
//   dropping files, cancelling a large folder, the file tree's finding counts, multi-file
//   analysis, the endpoints picker ↔ argument string, the charts' numbers against the
//   report's, the print stylesheet, the rules page and its links, keyboard use, axe-core in
//   light and dark themes at desktop and phone widths, no horizontal scroll at 360 px.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

let server;
let browser;
let work;
const pageErrors = [];

/** Writes `files` ({ relative path: text or Buffer }) under a new directory; returns its path. */
function makeFolder(name, files) {
  const root = join(work, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const untilText = (locator, pattern, ms = WAIT) => waitForText(locator, pattern, ms);

/** The editor's text (CodeMirror's bridge, or a plain textarea). */
function codeOf(page) {
  return page.evaluate(() => {
    const el = document.getElementById('code');
    if (typeof BacklensEditor !== 'undefined' && typeof BacklensEditor.textOf === 'function') {
      return BacklensEditor.textOf(el);
    }
    const lines = el.querySelectorAll('.cm-content .cm-line');
    return lines.length ? [...lines].map((l) => l.textContent).join('\n') : el.value;
  });
}

async function openPage({ width = 1280, height = 800, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.on('pageerror', (e) => pageErrors.push(e));
  await page.goto(server.url);
  await page.locator('#findings-status').waitFor();
  await untilText(page.locator('#findings-status'), /\d+ findings?|No findings/);
  return page;
}

/** A small Express project: the N+1 handler in a router file mounted under /api. */
const PROJECT = {
  'package.json': '{ "name": "shop", "dependencies": { "express": "^4.19.0" } }\n',
  '.gitignore': '# local output\ngenerated/\n*.log\n',
  'src/app.js': [
    "const express = require('express');",
    "const users = require('./routes/users');",
    '',
    'const app = express();',
    "app.use('/api', users);",
    'app.listen(3000);',
    '',
  ].join('\n'),
  'src/routes/users.js': [
    "const express = require('express');",
    "const { User, Post } = require('../models');",
    '',
    'const router = express.Router();',
    '',
    "router.get('/users', async (req, res) => {",
    '  const users = await User.findAll();',
    '  for (const user of users) {',
    '    user.posts = await Post.findAll({ where: { userId: user.id } });',
    '  }',
    '  res.json(users);',
    '});',
    '',
    'module.exports = router;',
    '',
  ].join('\n'),
  'src/models.js': "module.exports = require('./db').models;\n",
  'node_modules/express/index.js': 'module.exports = function express() {};\n',
  'node_modules/express/lib/router.js': 'module.exports = {};\n',
  'dist/bundle.js': 'console.log("built");\n',
  'generated/client.js': 'export const x = 1;\n',
  'README.md': '# shop\n',
  'debug.log': 'GET /api/users 200\n',
  'src/blob.js': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02, 0x00]),
  'src/huge.js': 'x'.repeat(2 * 1024 * 1024 + 10),
};

describe('backlens playground: projects, pictures, print, rules, accessibility', { timeout: 300_000 }, () => {
  before(async () => {
    assert.ok(existsSync(join(dist, 'index.html')), `no build at ${dist}: run \`trunk build --release\` first`);
    work = mkdtempSync(join(tmpdir(), 'backlens-e2e-'));
    server = await serve(dist);
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    }
    assert.deepEqual(pageErrors.map(String), [], 'no uncaught errors in the page');
  });

  test('a picked folder opens as one program; skipped files are listed with their reason', async () => {
    const page = await openPage();
    try {
      const root = makeFolder('shop', PROJECT);
      await page.locator('#open-folder').setInputFiles(root);
      await untilText(page.locator('#project-message'), /Opened 3 files; \d+ skipped/);
      // The tree: the three sources, nothing from node_modules, dist or generated/.
      const paths = await page.locator('.file-tree .file-button').evaluateAll((els) => els.map((e) => e.dataset.path));
      assert.deepEqual(paths.sort(), ['src/app.js', 'src/models.js', 'src/routes/users.js']);
      assert.match(await page.locator('#project-heading').innerText(), /Project: 3 files/);
      // Every skip has its reason.
      const skipped = await page.locator('#project-skipped').innerText({ timeout: WAIT }).catch(() => '');
      await page.locator('#project-skipped summary').click();
      const list = await page.locator('#project-skipped ul').innerText();
      assert.match(skipped + list, /node_modules\/ — in node_modules\/ \(dependencies or build output\): 2 files/);
      assert.match(list, /dist\/ — in dist\/ .*: 1 file/);
      assert.match(list, /generated\/ — excluded by \.gitignore: 1 file/);
      assert.match(list, /\*\.log — excluded by \.gitignore: 1 file/);
      assert.match(list, /README\.md — not a JavaScript or TypeScript source/);
      assert.match(list, /src\/blob\.js — binary or not UTF-8 text/);
      assert.match(list, /src\/huge\.js — too large: 2\.0 MB/);
      // One program: the handler in routes/users.js is on GET /api/users, mounted in app.js.
      const finding = page.locator('#panel-findings li.finding[data-rule="n-plus-one-query"]').first();
      await finding.waitFor();
      assert.match(await finding.innerText(), /GET \/api\/users/);
      // Per-file counts: the router file has the N+1 finding.
      const users = page.locator('.file-button[data-path="src/routes/users.js"] .file-count');
      await untilText(users, /^[1-9]\d*$/);
      assert.ok(Number(await users.getAttribute('data-count')) >= 1);
      assert.equal(await page.locator('.file-button[data-path="src/models.js"] .file-count').getAttribute('data-count'), '0');
      // Choosing a file opens it in the editor.
      await page.locator('.file-button[data-path="src/routes/users.js"]').click();
      await page.waitForFunction(() => document.querySelector('.file-button[aria-current="true"]')?.dataset.path === 'src/routes/users.js');
      assert.match(await codeOf(page), /Post\.findAll\(\{ where: \{ userId: user\.id \} \}\)/);
      // Edits to one file are kept when another is opened and back.
      await page.locator('.file-button[data-path="src/app.js"]').click();
      assert.match(await codeOf(page), /app\.use\('\/api', users\)/);
      await page.locator('.file-button[data-path="src/routes/users.js"]').click();
      assert.match(await codeOf(page), /router\.get\('\/users'/);
      // Closing the project keeps the open file as a snippet.
      await page.locator('#close-project').click();
      assert.equal(await page.locator('.file-tree').count(), 0);
      assert.match(await codeOf(page), /router\.get\('\/users'/);
    } finally {
      await page.context().close();
    }
  });

  test('files dropped on the page are opened; non-sources are listed as skipped', async () => {
    const page = await openPage();
    try {
      await page.evaluate(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(["app.get('/api/a', (req, res) => res.json([]));\n"], 'a.js'));
        transfer.items.add(new File(["export const b = 1;\n"], 'b.ts'));
        transfer.items.add(new File(['hello'], 'notes.txt'));
        for (const type of ['dragover', 'drop']) {
          document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }
      });
      await untilText(page.locator('#project-message'), /Opened 2 files; 1 skipped/);
      const paths = await page.locator('.file-tree .file-button').evaluateAll((els) => els.map((e) => e.dataset.path));
      assert.deepEqual(paths, ['a.js', 'b.ts']);
      await page.locator('#project-skipped summary').click();
      assert.match(await page.locator('#project-skipped ul').innerText(), /notes\.txt — not a JavaScript or TypeScript source/);
      assert.match(await codeOf(page), /\/api\/a/);
    } finally {
      await page.context().close();
    }
  });

  test('a large folder shows progress with counts and can be cancelled', async () => {
    const page = await openPage();
    try {
      const files = {};
      const body = `// ${'padding '.repeat(8000)}\nexport const value = 1;\n`;
      for (let i = 0; i < 1500; i++) files[`src/m${String(i).padStart(4, '0')}.js`] = body;
      const root = makeFolder('big', files);
      await page.locator('#open-folder').setInputFiles(root);
      const progress = page.locator('#project-progress');
      await progress.waitFor();
      assert.equal(await progress.getAttribute('max'), '1500');
      assert.match(await page.locator('.project-progress').innerText(), /Reading \d+ of 1500 files/);
      await page.locator('#project-cancel').click();
      await untilText(page.locator('#project-message'), /cancelled/);
      assert.equal(await progress.count(), 0, 'the progress bar is gone');
      // Nothing was opened: still the snippet, and it does not change later.
      await page.waitForTimeout(1500);
      assert.equal(await page.locator('.file-tree').count(), 0);
      assert.equal(await progress.count(), 0, 'the progress bar stays gone');
      assert.match(await page.locator('#project-heading').innerText(), /Snippet/);
    } finally {
      await page.context().close();
    }
  });

  test('endpoints picked from the detected routes and the argument string stay in sync', async () => {
    const page = await openPage();
    try {
      // Two routes: the drop of one file with both.
      await page.evaluate(() => {
        const transfer = new DataTransfer();
        const code = [
          "app.get('/api/users', async (req, res) => {",
          '  const users = await User.findAll();',
          '  for (const user of users) {',
          '    user.posts = await Post.findAll({ where: { userId: user.id } });',
          '  }',
          '  res.json(users);',
          '});',
          "app.get('/api/health', (req, res) => res.json({ ok: true }));",
          '',
        ].join('\n');
        transfer.items.add(new File([code], 'routes.js'));
        document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      });
      // The route picker is in the parameters' drawer.
      await openSettings(page);
      const users = page.getByRole('checkbox', { name: 'GET /api/users' });
      const health = page.getByRole('checkbox', { name: 'GET /api/health' });
      await users.waitFor();
      assert.equal(await users.isChecked(), false);
      await users.check();
      await untilText(page.locator('#param-args'), /./).catch(() => {});
      assert.match(await page.locator('#param-args').inputValue(), /endpoints:"GET \/api\/users"/);
      assert.equal(await page.locator('#param-endpoints').inputValue(), 'GET /api/users');
      await health.check();
      assert.equal(await page.locator('#param-endpoints').inputValue(), 'GET /api/users, GET /api/health');
      await users.uncheck();
      assert.equal(await page.locator('#param-endpoints').inputValue(), 'GET /api/health');
      // The argument string drives the checkboxes; a wildcard shows what it matches.
      await page.locator('#param-args').fill('target:"all" endpoints:"/api/*" load_profile:"medium" priority:"low"');
      await page.waitForFunction(() => document.querySelector('#param-endpoints').value === '/api/*');
      assert.equal(await users.isChecked(), false);
      assert.match(await page.locator('.route-list').innerText(), /GET \/api\/users\s*matched by \/api\/\*/);
      await page.locator('#param-args').fill('target:"all" endpoints:"GET /api/users" load_profile:"medium" priority:"low"');
      await page.waitForFunction(() => document.querySelector('#param-endpoints').value === 'GET /api/users');
      assert.equal(await users.isChecked(), true);
      assert.equal(await health.isChecked(), false);
    } finally {
      await page.context().close();
    }
  });

  test('charts: latency, queries and the load test carry the report\'s numbers', async () => {
    const page = await openPage();
    try {
      await page.locator('#tab-report').click();
      const latency = page.locator('#chart-latency');
      await latency.waitFor();
      assert.equal(await latency.getAttribute('role'), 'img');
      assert.match(await page.locator('#chart-latency-title').textContent(), /p95 latency per endpoint at 50 requests\/s/);
      const report = await page.locator('article.report').innerText();
      // The report's simulated load test for GET /api/users: "Before: …" and "After: …" lines.
      const block = report.slice(report.indexOf('GET /api/users\nBefore:'));
      const beforeLine = block.split('\n')[1];
      const afterLine = block.split('\n')[2];
      const p95Of = (line) => (/p95 ([\d.]+) ms/.exec(line) ?? [])[1] ?? (/saturated/.test(line) ? 'saturated' : null);
      const rows = await page.locator('#charts .chart-data').first().locator('tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [...tr.children].map((td) => td.textContent)),
      );
      const row = rows.find((r) => r[0] === 'GET /api/users');
      assert.ok(row, `a row for GET /api/users in ${JSON.stringify(rows)}`);
      const chartValue = (cell) => (cell === 'saturated' ? 'saturated' : cell.replace(' ms', ''));
      assert.equal(chartValue(row[1]), p95Of(beforeLine), `before: ${beforeLine}`);
      assert.equal(chartValue(row[2]), p95Of(afterLine), `after: ${afterLine}`);
      // Queries per request: the report's baseline table says 51 for the seed's N+1.
      const queries = await page.locator('#chart-queries-desc').textContent();
      assert.match(queries, /GET \/api\/users: 51 before, 2 after/);
      assert.match(report, /GET \/api\/users\t[^\t]+\t\d+\t51\t/);
      // The load test: curves for both, saturation marked where the report says.
      const load = page.locator('#chart-load');
      assert.equal(await load.getAttribute('role'), 'img');
      assert.ok((await load.locator('polyline.curve.after').count()) === 3, 'p50, p95, p99 after');
      const maxBefore = /at most ([\d.]+) requests\/s/.exec(beforeLine)[1];
      assert.match(await page.locator('#chart-load-desc').textContent(), new RegExp(`saturates at ${maxBefore.replace('.', '\\.')} requests/s`));
      assert.match(await load.locator('.sat-label.before').textContent(), new RegExp(`saturates \\(before\\): ${maxBefore.replace('.', '\\.')}`));
      // Changing a parameter redraws: a pool of 100 connections moves saturation.
      await openSettings(page);
      await page.locator('#cost-model summary').click();
      await page.locator('#cost-pool_size').fill('100');
      await page.waitForFunction(
        (old) => !document.querySelector('#chart-load .sat-label.before')?.textContent.includes(old),
        `: ${maxBefore}`,
      );
    } finally {
      await page.context().close();
    }
  });

  test('print: the report alone, no controls', async () => {
    const page = await openPage();
    try {
      // Whatever tab is open, printing (the browser fires beforeprint) shows the report.
      assert.equal(await page.locator('#tab-findings').getAttribute('aria-selected'), 'true');
      await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('#panel-report').isVisible(), true);
      await page.locator('article.report h1').waitFor();
      assert.equal(await page.locator('article.report h1').isVisible(), true);
      assert.equal(await page.locator('#chart-latency').isVisible(), true);
      for (const hidden of ['.pane-editor', '.settings', '.tabs', '.report-toolbar', '#panel-findings', '.site-header']) {
        assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is not printed`);
      }
      await page.emulateMedia({ media: 'screen' });
      await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
      assert.equal(await page.locator('.pane-editor').isVisible(), true);
      // Back on the tab that was open.
      await page.waitForFunction(() => document.querySelector('#tab-findings').getAttribute('aria-selected') === 'true');
      // A real print (Chromium's PDF) of the page from the Findings tab.
      const pdf = await page.pdf({ format: 'A4' });
      assert.ok(pdf.length > 10_000, 'a PDF is produced');
    } finally {
      await page.context().close();
    }
  });

  test('a finding\'s rule id opens the rules reference at that rule; the reference links work', async () => {
    const page = await openPage();
    try {
      const link = page.locator('#panel-findings li.finding[data-rule="n-plus-one-query"] a.rule').first();
      await link.click();
      await page.locator('#panel-rules').waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => location.hash), '#rule-n-plus-one-query');
      const section = page.locator('#rule-n-plus-one-query');
      assert.match(await section.locator('h2').innerText(), /^n-plus-one-query$/);
      assert.match(await section.innerText(), /per-item|N\+1|in a loop/i);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'rule-n-plus-one-query');
      assert.ok(await section.evaluate((el) => el.getBoundingClientRect().top < innerHeight), 'in view');
      assert.equal(await page.locator('#tab-rules').getAttribute('aria-selected'), 'true');
      // The table at the top lists every rule and links to its section.
      const targets = await page.locator('.rules-intro a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(targets.length >= 20, `${targets.length} rules listed`);
      for (const href of targets) assert.equal(await page.locator(href).count(), 1, `${href} exists`);
      // A link straight to a rule opens the page there.
      const other = await page.context().newPage();
      await other.goto(`${server.url}#rule-sequential-awaits`);
      await other.locator('#rule-sequential-awaits').waitFor({ state: 'visible' });
      await other.close();
    } finally {
      await page.context().close();
    }
  });

  test('keyboard only: tabs by arrow keys, the route picker and the file tree', async () => {
    const page = await openPage();
    try {
      await page.locator('#tab-findings').focus();
      // Findings, Trace, Report, Rules.
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-rules');
      assert.equal(await page.locator('#panel-rules').isVisible(), true);
      await page.keyboard.press('Home');
      // The route checkbox (in the parameters' drawer) toggles with Space.
      await page.locator('#settings-toggle').focus();
      await page.keyboard.press('Enter');
      const box = page.getByRole('checkbox', { name: 'GET /api/users' });
      await box.focus();
      await page.keyboard.press('Space');
      assert.equal(await page.locator('#param-endpoints').inputValue(), 'GET /api/users');
      // Files open from the tree with Enter; focus is visible.
      await page.evaluate(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['export const a = 1;\n'], 'a.js'));
        transfer.items.add(new File(['export const b = 2;\n'], 'b.js'));
        document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      });
      const b = page.locator('.file-button[data-path="b.js"]');
      await b.waitFor();
      await b.focus();
      const outline = await b.evaluate((el) => getComputedStyle(el).outlineStyle);
      assert.notEqual(outline, 'none', 'focus is visible');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('.file-button[aria-current="true"]')?.dataset.path === 'b.js');
      assert.match(await codeOf(page), /const b = 2/);
    } finally {
      await page.context().close();
    }
  });

  for (const [label, width, height] of [
    ['desktop', 1280, 800],
    ['phone', 390, 844],
  ]) {
    for (const scheme of ['light', 'dark']) {
      test(`axe-core: no critical or serious violations (${label}, ${scheme})`, async () => {
        const page = await openPage({ width, height, colorScheme: scheme });
        try {
          await page.evaluate(axeSource);
          // A project open, so that the tree, the skipped list and the route picker are checked too.
          await page.evaluate(() => {
            const transfer = new DataTransfer();
            transfer.items.add(
              new File(["app.get('/api/users', async (req, res) => { for (const u of await User.findAll()) { u.p = await Post.findAll({ where: { userId: u.id } }); } res.json([]); });\n"], 'src.js'),
            );
            transfer.items.add(new File(['x'], 'notes.txt'));
            document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
          });
          await untilText(page.locator('#project-message'), /Opened 1 file/);
          await page.locator('#project-skipped summary').click();
          await openSettings(page);
      await page.locator('#cost-model summary').click();
          const problems = [];
          for (const tab of ['#tab-findings', '#tab-trace', '#tab-report', '#tab-rules']) {
            await page.locator(tab).click();
            await page.waitForTimeout(200);
            const result = await page.evaluate(async () => {
              // eslint-disable-next-line no-undef
              const r = await axe.run(document, { resultTypes: ['violations'] });
              return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
            });
            for (const v of result) if (v.impact === 'critical' || v.impact === 'serious') problems.push({ tab, ...v });
          }
          assert.deepEqual(problems, [], JSON.stringify(problems, null, 1));
        } finally {
          await page.context().close();
        }
      });
    }
  }

  test('no horizontal scroll at 360 px, on every tab and with a project open', async () => {
    const page = await openPage({ width: 360, height: 740 });
    try {
      await page.evaluate(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['export const a = 1;\n'], 'a-rather-long-file-name-for-a-small-screen.controller.js'));
        document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      });
      await page.locator('.file-tree').waitFor();
      await openSettings(page);
      await page.locator('#cost-model summary').click();
      for (const tab of ['#tab-findings', '#tab-trace', '#tab-report', '#tab-rules']) {
        await page.locator(tab).click();
        await page.waitForTimeout(200);
        const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        assert.ok(scroll <= client, `${tab}: the page is ${scroll} px wide in a ${client} px window`);
      }
    } finally {
      await page.context().close();
    }
  });
});
