// The docs widget (public/widget/) in headless Chromium, as a documentation author uses it:
// the built demo page (dist/widget/demo.html, three snippets) served under a sub-path with the
// site's strict CSP.
//
//   trunk build --release && node --test tests/e2e/widget.test.mjs   (BACKLENS_DIST overrides dist/)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CSP, serve } from './static-server.mjs';
import { waitFor } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.BACKLENS_DIST ?? join(here, '..', '..', 'dist'));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PREFIX = '/docs/backlens/';
const WAIT = 20_000;

let server;
let browser;
let context;
let page;
const serverLog = [];
const browserRequests = [];
const problems = []; // page errors, CSP violations, console errors

const until = (fn, what, ms = WAIT) => waitFor(fn, what, ms);

/** What one widget shows: its status line and its findings as "rule@line". */
async function shown(id) {
  return page.evaluate((id) => {
    const root = document.getElementById(id)?.shadowRoot;
    if (!root) return null;
    return {
      status: root.querySelector('.status')?.textContent ?? '',
      findings: [...root.querySelectorAll('.finding')].map(
        (f) => `${f.querySelector('.rule').textContent}@${f.querySelector('.where').textContent.replace('line ', '')}`,
      ),
      analyses: window.__analyses?.[id] ?? 0,
    };
  }, id);
}

const wasmRequests = () => serverLog.filter((url) => url.endsWith('.wasm'));

describe('backlens docs widget', { timeout: 180_000 }, () => {
  before(async () => {
    assert.ok(existsSync(join(dist, 'widget', 'demo.html')), `no widget demo in ${dist}: run \`trunk build --release\` first`);
    server = await serve(dist, { prefix: PREFIX, csp: CSP, log: serverLog });
    browser = await chromium.launch({ executablePath });
    // No service worker here: its precaching would fetch every file, and this test counts
    // what the widget itself loads (offline.test.mjs covers the service worker).
    context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 900, height: 700 } });
    context.on('request', (r) => browserRequests.push(r.url()));
    await context.addInitScript(() => {
      window.__csp = [];
      window.__analyses = {};
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
      document.addEventListener('backlens-analysis', (e) => {
        const id = e.target.id;
        window.__analyses[id] = (window.__analyses[id] ?? 0) + 1;
      }, true);
    });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.goto(`${server.url}widget/demo.html`);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the first snippet shows its findings: rule, line, message, estimate and fix', async () => {
    const first = await until(async () => {
      const s = await shown('n-plus-one');
      return s && s.findings.length ? s : null;
    }, 'findings in the first snippet');
    assert.ok(first.findings.includes('n-plus-one-query@6'), `N+1 at line 6: ${first.findings}`);
    const card = await page.evaluate(() => {
      const f = [...document.getElementById('n-plus-one').shadowRoot.querySelectorAll('.finding')].find(
        (x) => x.querySelector('.rule').textContent === 'n-plus-one-query',
      );
      return {
        message: f.querySelector('.message')?.textContent,
        estimate: f.querySelector('.estimate')?.textContent,
        fix: f.querySelector('.fix pre')?.textContent,
        flagged: [...document.getElementById('n-plus-one').shadowRoot.querySelectorAll('.ln.flagged')].map((l) => l.textContent),
      };
    });
    assert.match(card.message, /quer/i);
    assert.match(card.estimate, /\d/);
    assert.match(card.fix, /Post\.findAll/);
    assert.ok(card.flagged.includes('6'), `line 6 marked in the gutter: ${card.flagged}`);
  });

  test('snippets below the fold are analysed only when they scroll into view', async () => {
    const third = await shown('sequential');
    assert.equal(third.analyses, 0, 'not analysed before it is visible');
    assert.deepEqual(third.findings, []);
    await page.locator('#sequential').scrollIntoViewIfNeeded();
    const now = await until(async () => {
      const s = await shown('sequential');
      return s.findings.length ? s : null;
    }, 'findings in the third snippet');
    assert.ok(now.findings.some((f) => f.startsWith('sequential-awaits@')), `sequential awaits found: ${now.findings}`);
    await page.locator('#blocking').scrollIntoViewIfNeeded();
    const second = await until(async () => {
      const s = await shown('blocking');
      return s.findings.length ? s : null;
    }, 'findings in the second snippet');
    assert.ok(second.findings.some((f) => f.startsWith('blocking-call-in-handler@13')), `pbkdf2Sync at line 13: ${second.findings}`);
  });

  test('all three snippets share one worker: exactly one WebAssembly download', async () => {
    assert.deepEqual(wasmRequests(), [`${PREFIX}backlens-worker_bg.wasm`]);
    assert.equal(serverLog.filter((u) => u.endsWith('/analysis-worker.js')).length, 1, 'one worker script');
    assert.ok(!serverLog.some((u) => /backlens-web-/.test(u)), 'the playground itself is not loaded');
  });

  test('editing one snippet updates only that snippet', async () => {
    const before = { a: await shown('n-plus-one'), b: await shown('blocking'), c: await shown('sequential') };
    const area = page.locator('#n-plus-one .code');
    await area.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(
      "app.get('/api/users', async (req, res) => {\n" +
        '  const users = await User.findAll({ include: [Post], limit: 20 });\n' +
        '  res.json(users);\n});',
    );
    const a = await until(async () => {
      const s = await shown('n-plus-one');
      return s.analyses > before.a.analyses && !s.findings.includes('n-plus-one-query@6') ? s : null;
    }, 'the edited snippet re-analysed without its N+1');
    assert.ok(!a.findings.some((f) => f.startsWith('n-plus-one-query')), `no N+1 left: ${a.findings}`);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(await shown('blocking'), before.b, 'the second snippet did not change');
    assert.deepEqual(await shown('sequential'), before.c, 'the third snippet did not change');
    assert.equal(wasmRequests().length, 1, 'still one WebAssembly download');
  });

  test('broken code shows the parse error with its position; a bad attribute names the parameter', async () => {
    const area = page.locator('#n-plus-one .code');
    await area.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type("app.get('/x', (req, res) => {");
    await until(async () => /Parse error at line 1, column \d+/.test((await shown('n-plus-one')).status), 'parse error shown');
    await page.evaluate(() => document.getElementById('n-plus-one').setAttribute('load-profile', 'extreme'));
    const s = await until(async () => {
      const x = await shown('n-plus-one');
      return /Not analysed: .*load_profile/.test(x.status) ? x : null;
    }, 'bad load-profile reported');
    assert.deepEqual(s.findings, []);
    await page.evaluate(() => document.getElementById('n-plus-one').setAttribute('load-profile', 'high'));
    await until(async () => /Parse error/.test((await shown('n-plus-one')).status), 'valid again');
  });

  test('code never becomes markup', async () => {
    const area = page.locator('#n-plus-one .code');
    await area.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type("app.get('/<img src=x onerror=alert(1)>', async (req, res) => { for (const u of us) { await Post.findAll({ where: { id: u.id } }); } });");
    await until(async () => (await shown('n-plus-one')).findings.length > 0, 'findings for the hostile snippet');
    const images = await page.evaluate(() => document.getElementById('n-plus-one').shadowRoot.querySelectorAll('img').length);
    assert.equal(images, 0);
  });

  test('readonly, height and theme attributes', async () => {
    const look = await page.evaluate(() => {
      const root = document.getElementById('blocking').shadowRoot;
      const area = root.querySelector('.code');
      return {
        readOnly: area.readOnly,
        height: root.querySelector('.editor').getBoundingClientRect().height,
        fontSize: parseFloat(getComputedStyle(root.querySelector('.editor')).fontSize),
        theme: root.querySelector('.bl').dataset.theme,
        background: getComputedStyle(root.querySelector('.bl')).backgroundColor,
      };
    });
    assert.equal(look.readOnly, true);
    assert.ok(Math.abs(look.height - 18 * look.fontSize) < 2, `height 18em: ${look.height}px at ${look.fontSize}px`);
    assert.equal(look.theme, 'dark');
    const [r, g, b] = look.background.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 150, `dark background: ${look.background}`);
    const area = page.locator('#blocking .code');
    const text = await area.inputValue();
    await area.click();
    await page.keyboard.type('xyz');
    assert.equal(await area.inputValue(), text, 'read-only code cannot be edited');
  });

  test('"Open in playground" carries the code and parameters in the share format', async () => {
    const code = "app.get('/a', async (req, res) => {\n  for (const u of users) {\n    await Post.findAll({ where: { userId: u.id } });\n  }\n});";
    await page.evaluate((code) => {
      document.getElementById('n-plus-one').code = code;
    }, code);
    const href = await until(async () => {
      const h = await page.locator('#n-plus-one .open').getAttribute('href');
      if (!h.includes('#v1.')) return null;
      const json = JSON.parse(inflateRawSync(Buffer.from(h.split('#v1.')[1], 'base64url')).toString());
      return json.code === code ? h : null;
    }, 'a share link with the new code');
    assert.ok(href.startsWith(server.url), `the playground of this site: ${href}`);
    const snapshot = JSON.parse(inflateRawSync(Buffer.from(href.split('#v1.')[1], 'base64url')).toString());
    assert.deepEqual(snapshot, { code, file: 'playground.js', args: 'target:"api" load_profile:"high"', cost: [] });
    const tab = await context.newPage();
    try {
      await tab.goto(href);
      const text = await until(async () => {
        const t = await tab.locator('body').innerText();
        return /n-plus-one-query/.test(t) ? t : null;
      }, 'the playground analyses the shared code');
      assert.doesNotMatch(text, /damaged/i);
    } finally {
      await tab.close();
    }
  });

  test('nothing of the analyzer loads before a widget comes into view', async () => {
    const log = [];
    const lazy = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 900, height: 100 } });
    lazy.on('request', (r) => log.push(new URL(r.url()).pathname));
    try {
      const tab = await lazy.newPage();
      await tab.goto(`${server.url}widget/demo.html`);
      await tab.waitForLoadState('load');
      await new Promise((r) => setTimeout(r, 1000));
      const analyzer = () => log.filter((p) => /worker|\.wasm$/.test(p));
      assert.deepEqual(analyzer(), [], 'no worker or WebAssembly while every widget is below the fold');
      await tab.locator('#n-plus-one').scrollIntoViewIfNeeded();
      await until(() => tab.evaluate(() => document.getElementById('n-plus-one').shadowRoot.querySelectorAll('.finding').length > 0), 'findings after scrolling');
      assert.equal(analyzer().filter((p) => p.endsWith('.wasm')).length, 1, 'the WebAssembly loads once the first widget is visible');
    } finally {
      await lazy.close();
    }
  });

  test('no request to another origin, no CSP violation, no error', async () => {
    const origin = new URL(server.url).origin;
    const foreign = browserRequests.filter((u) => !u.startsWith(origin) && !/^(data|blob):/.test(u));
    assert.deepEqual(foreign, []);
    assert.ok(serverLog.every((u) => u.startsWith(PREFIX)), `everything under ${PREFIX}: ${serverLog}`);
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(problems, []);
  });
});
