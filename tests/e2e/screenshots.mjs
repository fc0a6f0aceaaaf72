// Screenshots of the playground's main views for the README, at desktop (1280×800) and
// phone (390×844) widths, written to docs/screenshots/:
//
//   trunk build --release && node tests/e2e/screenshots.mjs
//
// BACKLENS_DIST overrides the build served (default: <repo>/dist), CHROMIUM the browser.
// Views: findings (the seed's N+1 example), its trace waterfall, the report with its charts, a project's file
// tree (the seed-style Express project below, opened as a folder), the rules reference.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const dist = resolve(process.env.BACKLENS_DIST ?? join(repo, 'dist'));
const out = join(repo, 'docs', 'screenshots');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const PROJECT = {
  'src/app.js': [
    "const express = require('express');",
    "const users = require('./routes/users');",
    "const products = require('./routes/products');",
    '',
    'const app = express();',
    'app.use(express.json());',
    "app.use('/api/users', users);",
    "app.use('/api/products', products);",
    'app.listen(3000);',
    '',
  ].join('\n'),
  'src/routes/users.js': [
    "const router = require('express').Router();",
    "const { User, Post } = require('../models');",
    '',
    "router.get('/', async (req, res) => {",
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
  'src/routes/products.js': [
    "const router = require('express').Router();",
    "const crypto = require('crypto');",
    "const { Product } = require('../models');",
    '',
    "router.get('/:id', async (req, res) => {",
    '  const product = await Product.findByPk(req.params.id);',
    "  const etag = crypto.createHash('sha256').update(JSON.stringify(product)).digest('hex');",
    '  res.set({ ETag: etag }).json(product);',
    '});',
    '',
    'module.exports = router;',
    '',
  ].join('\n'),
  'src/models.js': "module.exports = require('./db').models;\n",
  'node_modules/express/index.js': 'module.exports = () => {};\n',
};

const server = await serve(dist);
const browser = await chromium.launch({ executablePath, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const work = mkdtempSync(join(tmpdir(), 'backlens-shots-'));
mkdirSync(out, { recursive: true });
try {
  for (const [size, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ]) {
    const context = await browser.newContext({ viewport, colorScheme: 'light', deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator('#panel-findings li.finding').first().waitFor();
    const shot = async (name, locator) => {
      // No hover tooltip in the picture.
      await page.mouse.move(0, 0);
      await page.waitForTimeout(300);
      const path = join(out, `${name}-${size}.png`);
      if (size === 'phone' && locator) {
        await locator.scrollIntoViewIfNeeded();
      }
      await page.screenshot({ path });
      console.log(`wrote ${path}`);
    };
    // The first screen: on a phone, the editor first, the findings after it.
    await shot('findings', null);

    await page.locator('#tab-trace').click();
    await page.locator('#waterfall').waitFor();
    await shot('trace', page.locator('#waterfall'));

    await page.locator('#tab-report').click();
    await page.locator('#chart-load').waitFor();
    await page.locator('#charts').scrollIntoViewIfNeeded();
    if (size === 'desktop') await page.evaluate(() => document.querySelector('#charts').scrollIntoView());
    await shot('report-charts', page.locator('#charts'));

    await page.locator('#tab-rules').click();
    await page.locator('#rule-n-plus-one-query').waitFor();
    await page.evaluate(() => document.querySelector('#rule-n-plus-one-query').scrollIntoView());
    await shot('rules', page.locator('#rule-n-plus-one-query'));

    const root = join(work, `shop-${size}`);
    for (const [path, text] of Object.entries(PROJECT)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    await page.locator('#tab-findings').click();
    await page.locator('#open-folder').setInputFiles(root);
    await page.locator('.file-tree').waitFor();
    await page.locator('.file-button[data-path="src/routes/users.js"]').click();
    await page.locator('#project-skipped summary').click();
    await page.evaluate(() => document.querySelector('.project').scrollIntoView());
    await shot('project', page.locator('.project'));
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
