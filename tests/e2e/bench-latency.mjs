#!/usr/bin/env node
// Keystroke-to-findings latency of the playground, in headless Chromium (a benchmark, not a
// test: it measures and prints, it does not pass or fail on a threshold).
//
//   trunk build --release && node tests/e2e/bench-latency.mjs [--samples 30] [--lines 1000,5000]
//
// For each file size, the page gets a generated Express file (tests/e2e/big-file.mjs: a route
// with an N+1 query every 8 lines), then for each sample one key is typed inside a handler
// (alternately a character and Backspace, so the file stays the same size) and two times are
// taken from the key event's timestamp:
//   - to the next frame: how long typing itself takes to show (the main thread is never busy
//     with the analysis, which runs in the Web Worker);
//   - to findings: until the findings panel shows the analysis of the text that includes this
//     key (the 150 ms debounce + the worker's analysis + rendering the panel and diagnostics).
// BACKLENS_DIST overrides the build served (default: dist/).

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { serve } from './static-server.mjs';
import { bigFile, pasteCode } from './big-file.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.BACKLENS_DIST ?? join(here, '..', '..', 'dist'));
const { values } = parseArgs({
  options: { samples: { type: 'string', default: '30' }, lines: { type: 'string', default: '1000,5000' } },
});
const samples = Number(values.samples);
const sizes = values.lines.split(',').map(Number);
if (!existsSync(join(dist, 'index.html'))) {
  console.error(`no build at ${dist}: run \`trunk build --release\` first`);
  process.exit(1);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const summary = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: percentile(s, 50), p95: percentile(s, 95), min: s[0], max: s[s.length - 1] };
};

const server = await serve(dist);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const rows = [];
try {
  for (const lines of sizes) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(60_000);
    await page.goto(server.url);
    await page.locator('#code .cm-content').waitFor();
    await pasteCode(page, bigFile(lines));
    const idle = () =>
      page.waitForFunction(() => {
        const status = document.querySelector('#findings-status');
        return Number(status?.dataset.shown) > 0 && document.querySelector('.findings-head')?.getAttribute('aria-busy') === 'false';
      });
    await page.waitForTimeout(300);
    await idle();
    const findings = await page.locator('#findings-status').innerText();
    await page.evaluate(() => {
      // Record each key's timestamp, the next frame after it, and when the findings panel
      // shows an analysis requested after it.
      window.__bench = { key: 0, frame: 0, shownAfter: 0, shownAt: 0 };
      document.addEventListener(
        'keydown',
        (e) => {
          window.__bench = { key: e.timeStamp, frame: 0, shownAt: 0, before: Number(document.querySelector('#findings-status').dataset.shown) };
          requestAnimationFrame(() => requestAnimationFrame((t) => (window.__bench.frame = t)));
        },
        true,
      );
      const status = document.querySelector('#findings-status');
      const head = document.querySelector('.findings-head');
      new MutationObserver(() => {
        const b = window.__bench;
        if (b.key && !b.shownAt && Number(status.dataset.shown) > b.before && head.getAttribute('aria-busy') === 'false') {
          b.shownAt = performance.now();
        }
      }).observe(document.querySelector('#panel-findings'), { attributes: true, subtree: true, childList: true, characterData: true });
    });
    // The caret in the middle of the file: on the middle finding (a click on its location
    // selects its range), then at the end of that line.
    const cards = page.locator('li.finding');
    await cards.nth(Math.floor((await cards.count()) / 2)).locator('.location').click();
    await page.keyboard.press('End');
    await idle();
    const toFrame = [];
    const toFindings = [];
    for (let i = 0; i < samples + 3; i++) {
      await page.keyboard.press(i % 2 === 0 ? 'x' : 'Backspace');
      await page.waitForFunction(() => window.__bench.shownAt > 0 && window.__bench.frame > 0);
      const b = await page.evaluate(() => window.__bench);
      if (i >= 3) {
        // The first keys warm the page up (JIT, first layouts).
        toFrame.push(b.frame - b.key);
        toFindings.push(b.shownAt - b.key);
      }
      await page.waitForTimeout(250);
    }
    rows.push({ lines, findings, frame: summary(toFrame), findingsLatency: summary(toFindings) });
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}

const ms = (x) => `${x.toFixed(0)} ms`;
console.log(`keystroke latency, ${samples} keys per file, headless Chromium (${dist})`);
console.log('| file | findings | key → next frame (median / p95) | key → findings shown (median / p95) |');
console.log('|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.lines.toLocaleString('en')} lines | ${r.findings} | ${ms(r.frame.median)} / ${ms(r.frame.p95)} | ${ms(r.findingsLatency.median)} / ${ms(r.findingsLatency.p95)} |`,
  );
}
