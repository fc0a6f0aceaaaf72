// The offline static site in headless Chromium: the built dist/ served under a sub-path with
// the strict CSP (docs/deploy/), its service worker (public/sw.js), a reload with the network
// off (CDP Network.emulateNetworkConditions) and the server gone, a new build replacing the
// cached one, and dist/backlens.html opened from file:// on its own.
//
//   trunk build --release && node --test tests/e2e/offline.test.mjs   (BACKLENS_DIST overrides dist/)

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CSP, serve } from './static-server.mjs';
import { waitFor } from './support.mjs';
import { cspProblems, stampServiceWorker } from '../../scripts/post-build.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.BACKLENS_DIST ?? join(here, '..', '..', 'dist'));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PREFIX = '/some/path/';
const WAIT = 30_000;

let browser;
let work; // a copy of dist/ this test may change
let problems = []; // this test's page errors, console errors and CSP reports

const until = (fn, what, ms = WAIT) => waitFor(fn, what, ms);

/** The playground's page text once it shows the N+1 finding of its first example. */
const playgroundAnalysed = (page) =>
  until(async () => {
    const text = await page.locator('body').innerText();
    return /n-plus-one-query/.test(text) ? text : null;
  }, 'the playground shows the N+1 finding of its first example');

const widgetAnalysed = (page) =>
  until(
    () =>
      page.evaluate(() => {
        const root = document.getElementById('n-plus-one')?.shadowRoot;
        return [...(root?.querySelectorAll('.finding .rule') ?? [])].some((r) => r.textContent === 'n-plus-one-query');
      }),
    'the first widget of the demo page shows its N+1 finding',
  );

function watch(page, label) {
  page.on('pageerror', (e) => problems.push(`${label}: page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`${label}: console ${m.type()}: ${m.text()}`);
  });
}

async function newContext(log) {
  const context = await browser.newContext();
  context.on('request', (r) => log.push(r.url()));
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return context;
}

describe('offline static site', { timeout: 240_000 }, () => {
  before(async () => {
    assert.ok(existsSync(join(dist, 'sw.js')), `no build at ${dist}: run \`trunk build --release\` first`);
    work = mkdtempSync(join(tmpdir(), 'backlens-offline-'));
    cpSync(dist, work, { recursive: true });
    browser = await chromium.launch({ executablePath });
  });

  beforeEach(() => {
    problems = [];
  });

  after(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the build has no inline script or style for the CSP to block', () => {
    for (const page of ['index.html', 'widget/demo.html']) {
      assert.deepEqual(cspProblems(readFileSync(join(dist, page), 'utf8')), [], page);
    }
    const sw = readFileSync(join(dist, 'sw.js'), 'utf8');
    const version = sw.match(/^const VERSION = "([0-9a-f]{16})";$/m)?.[1];
    assert.ok(version, 'sw.js carries a build version');
    const assets = JSON.parse(sw.match(/^const ASSETS = (.*);$/m)[1]);
    for (const file of ['./index.html', './widget/demo.html', './widget/backlens-widget.js', './analysis-worker.js', './backlens-worker_bg.wasm']) {
      assert.ok(assets.includes(file), `${file} is precached`);
    }
    for (const file of assets) assert.ok(existsSync(join(dist, file)), `${file} exists`);
  });

  test('served under a sub-path: works, then works again offline from the service worker', async () => {
    const log = [];
    const serverLog = [];
    const server = await serve(work, { prefix: PREFIX, csp: CSP, log: serverLog });
    const context = await newContext(log);
    let closed = false;
    try {
      const page = await context.newPage();
      watch(page, 'playground');
      await page.goto(server.url);
      await playgroundAnalysed(page);
      // The service worker installs (precaching everything) and takes control of the page.
      await until(() => page.evaluate(() => navigator.serviceWorker.controller !== null), 'the service worker controls the page');
      const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
      assert.equal(scope, server.url, 'its scope is the sub-path the site is served under');
      const version = readFileSync(join(work, 'sw.js'), 'utf8').match(/^const VERSION = "(.*)";$/m)[1];
      assert.deepEqual(await page.evaluate(() => caches.keys()), [`backlens-${version}`]);

      // Network off: CDP for the page, and the server itself gone.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await server.close();
      closed = true;
      const before = serverLog.length;

      await page.reload();
      const text = await playgroundAnalysed(page);
      assert.match(text, /backlens playground/);
      await page.goto(`${server.url}widget/demo.html`);
      await widgetAnalysed(page);
      assert.equal(serverLog.length, before, 'nothing reached the server');

      const origin = new URL(server.url).origin;
      assert.deepEqual(log.filter((u) => !u.startsWith(origin) && !/^(data|blob):/.test(u)), [], 'no other origin, ever');
      assert.ok(serverLog.every((u) => u.startsWith(PREFIX)), `only under ${PREFIX}: ${serverLog.filter((u) => !u.startsWith(PREFIX))}`);
      assert.deepEqual(await page.evaluate(() => window.__csp), []);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
      if (!closed) await server.close();
    }
  });

  test('a new build replaces the cached one: new cache version, old cache deleted', async () => {
    const log = [];
    const server = await serve(work, { prefix: PREFIX, csp: CSP });
    const context = await newContext(log);
    try {
      const page = await context.newPage();
      watch(page, 'update');
      await page.goto(`${server.url}widget/demo.html`);
      await until(() => page.evaluate(() => navigator.serviceWorker.controller !== null), 'the service worker controls the page');
      const first = await page.evaluate(() => caches.keys());
      assert.equal(first.length, 1);

      // "Deploy" a new build: a changed file, re-stamped by the post-build step.
      appendFileSync(join(work, 'widget', 'demo.css'), '\n/* new build */\n');
      const { version } = await stampServiceWorker(work);
      assert.notEqual(`backlens-${version}`, first[0]);

      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
      const keys = await until(async () => {
        const k = await page.evaluate(() => caches.keys());
        return k.length === 1 && k[0] !== first[0] ? k : null;
      }, 'the new cache replaces the old one');
      assert.deepEqual(keys, [`backlens-${version}`]);
      const css = await page.evaluate(async () => (await caches.match(new URL('demo.css', location.href).href))?.text());
      assert.match(css, /new build/, 'the new build is what is cached');
      await page.reload();
      await widgetAnalysed(page);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
      await server.close();
    }
  });

  test('backlens.html works opened from file://, on its own', async () => {
    const lone = mkdtempSync(join(tmpdir(), 'backlens-single-'));
    const log = [];
    const context = await newContext(log);
    try {
      writeFileSync(join(lone, 'backlens.html'), readFileSync(join(dist, 'backlens.html')));
      const page = await context.newPage();
      watch(page, 'backlens.html');
      await page.goto(pathToFileURL(join(lone, 'backlens.html')).href);
      await playgroundAnalysed(page);
      const fetched = log.filter((u) => !/^(data|blob):/.test(u));
      assert.deepEqual(fetched, [pathToFileURL(join(lone, 'backlens.html')).href], 'nothing but the file itself is loaded');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
      rmSync(lone, { recursive: true, force: true });
    }
  });
});
