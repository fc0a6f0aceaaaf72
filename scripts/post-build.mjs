#!/usr/bin/env node
// Finishes a Trunk build of the static site. Trunk runs it after every build (Trunk.toml,
// [[hooks]] stage = "post_build") on its staging directory ($TRUNK_STAGING_DIR); it can also
// be run by hand on a built directory: `node scripts/post-build.mjs dist`.
//
//   1. Strict CSP: Trunk writes its module loader inline into index.html; it moves into a
//      file (`boot-<hash>.js`) loaded by `<script type="module" src>`. Release builds then
//      fail if any page still holds an inline script, an inline event handler or a style
//      attribute (what `script-src 'self'; style-src 'self'` blocks).
//   2. backlens.html: the whole playground in one self-contained file (single-file.mjs).
//   3. sw.js: the list of files to cache for offline use and a cache version hashed from
//      their names and contents, so that a new build replaces the cached one.

import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSingleFile } from './single-file.mjs';

/** Files never precached: the service worker itself, the big single-file download, types. */
const NOT_PRECACHED = [/^sw\.js$/, /^backlens\.html$/, /\.d\.ts$/, /(^|\/)\./];

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** Every file under `dir`, as `/`-separated paths relative to it, sorted. */
export async function listFiles(dir) {
  const out = [];
  async function walk(sub) {
    for (const entry of await readdir(join(dir, sub), { withFileTypes: true })) {
      const path = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) out.push(path);
    }
  }
  await walk('');
  return out.sort();
}

/** Moves Trunk's inline module loader out of index.html; returns the new file's name. */
export async function externaliseLoader(dir) {
  const indexPath = join(dir, 'index.html');
  const html = await readFile(indexPath, 'utf8');
  const inline = /<script type="module"(?:\s+nonce="[^"]*")?>([\s\S]*?)<\/script>/;
  const match = html.match(inline);
  if (!match) return null;
  const code = `// Trunk's loader for the playground, moved out of index.html (strict CSP).\n${match[1].trim()}\n`;
  const name = `boot-${sha256(code).slice(0, 16)}.js`;
  await writeFile(join(dir, name), code);
  await writeFile(indexPath, html.replace(match[0], `<script type="module" src="./${name}"></script>`));
  return name;
}

/** What a strict CSP would block in `html`, one line per problem. */
export function cspProblems(html) {
  const problems = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    // `trunk serve` adds its live-reload client inline; that development server sends no CSP.
    if (m[2].includes('.well-known/trunk/ws')) continue;
    if (!/\bsrc\s*=/.test(m[1]) && !/type\s*=\s*"?application\/(ld\+)?json/i.test(m[1])) {
      problems.push(`inline <script${m[1]}>`);
    }
  }
  for (const m of html.matchAll(/<[a-z][\w-]*\b[^>]*?\s(style|on[a-z]+)\s*=/gi)) {
    problems.push(`inline ${m[1]}= attribute in ${m[0].slice(0, 60)}…`);
  }
  if (/<style\b/i.test(html)) problems.push('inline <style> element');
  return problems;
}

/** Writes the precache list and the cache version into sw.js; returns the version. */
export async function stampServiceWorker(dir) {
  const swPath = join(dir, 'sw.js');
  const files = (await listFiles(dir)).filter((f) => !NOT_PRECACHED.some((re) => re.test(f)));
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0${sha256(await readFile(join(dir, file)))}\n`);
  const version = hash.digest('hex').slice(0, 16);
  const sw = await readFile(swPath, 'utf8');
  const stamped = sw
    .replace(/^const VERSION = .*;$/m, `const VERSION = ${JSON.stringify(version)};`)
    .replace(/^const ASSETS = .*;$/m, `const ASSETS = ${JSON.stringify(files.map((f) => `./${f}`))};`);
  if (stamped === sw && !sw.includes(version)) throw new Error('sw.js has no `const VERSION = …;` / `const ASSETS = …;` lines');
  await writeFile(swPath, stamped);
  return { version, files };
}

export async function postBuild(dir, { release = true, log = console.log } = {}) {
  const loader = await externaliseLoader(dir);
  if (loader) log(`post-build: Trunk's inline loader → ${loader}`);

  const problems = [];
  for (const file of (await listFiles(dir)).filter((f) => f.endsWith('.html') && f !== 'backlens.html')) {
    for (const p of cspProblems(await readFile(join(dir, file), 'utf8'))) problems.push(`${file}: ${p}`);
  }
  if (problems.length) {
    const text = `pages a strict CSP would break:\n  ${problems.join('\n  ')}`;
    if (release) throw new Error(text);
    log(`post-build: warning: ${text}`);
  }

  const single = await buildSingleFile(dir);
  log(`post-build: backlens.html (${Math.round(single.bytes / 1024)} KB, single file)`);

  const { version, files } = await stampServiceWorker(dir);
  log(`post-build: sw.js caches ${files.length} files as backlens-${version}`);
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
  if (!dir) {
    console.error('usage: node scripts/post-build.mjs DIST_DIR (or run by Trunk with TRUNK_STAGING_DIR set)');
    process.exit(2);
  }
  const release = process.argv[2] ? true : process.env.TRUNK_PROFILE === 'release';
  postBuild(dir, { release }).catch((e) => {
    console.error(`post-build: error: ${e.message}`);
    process.exit(1);
  });
}

