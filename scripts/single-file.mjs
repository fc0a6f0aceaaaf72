#!/usr/bin/env node
// backlens.html: the playground as ONE self-contained file that works opened from file://
// (no server, no network): every stylesheet, icon, script, ES module and WebAssembly module
// of a built site inlined into its index.html.
//
//   node scripts/single-file.mjs [DIST_DIR]      # default dist/; writes DIST_DIR/backlens.html
//
// (scripts/post-build.mjs runs it after every Trunk build.) How:
//   - stylesheets become <style>, the icon a data: URL, preload hints are dropped;
//   - ES modules (Trunk's loader, wasm-bindgen's JS, its snippets) are rewritten to import
//     each other by bare names (`backlens-inline/<path>`), which an import map resolves to
//     data: URLs, since file:// pages cannot fetch modules;
//   - `.wasm` paths in the loader become bytes decoded from base64 embedded in the page;
//   - Web Workers the page starts (by file name) are created from Blob URLs whose code
//     holds the worker's scripts and WebAssembly, since file:// pages cannot start workers
//     from files (see workerShim).
//   - the service worker registration is dropped (file:// has none).

import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, posix } from 'node:path';

const PREFIX = 'backlens-inline/';
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"\n]+)\2/g;

/** `text` safe inside a <script> element (`<\/` is `</` in JS strings, regexes and templates). */
const scriptSafe = (text) => text.replace(/<\/(script)/gi, '<\\/$1');

const MIME = { '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon' };

/** The local file an href/src of the page names (relative, no query), or null. */
function localPath(dir, ref) {
  if (!ref || /^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith('//')) return null;
  const clean = ref.split(/[?#]/)[0].replace(/^\.\//, '');
  const path = normalize(join(dir, clean));
  return path.startsWith(normalize(dir)) && existsSync(path) ? path : null;
}

const attr = (tag, name) => tag.match(new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, 'i'))?.[1] ?? null;

/**
 * Inlines the ES module graph reachable from `entrySpecifiers` (paths relative to `dir`).
 * Returns the import map ({ bare name → data: URL }).
 */
async function inlineModules(dir, entries) {
  const imports = {};
  const seen = new Set();
  async function visit(rel) {
    if (seen.has(rel)) return;
    seen.add(rel);
    const source = await readFile(join(dir, rel), 'utf8');
    const deps = [];
    const rewritten = source.replace(SPECIFIER, (all, lead, quote, spec) => {
      const target = posix.normalize(posix.join(posix.dirname(rel), spec));
      deps.push(target);
      return `${lead}${quote}${PREFIX}${target}${quote}`;
    });
    imports[`${PREFIX}${rel}`] = `data:text/javascript;base64,${Buffer.from(rewritten).toString('base64')}`;
    for (const dep of deps) await visit(dep);
  }
  for (const entry of entries) await visit(entry);
  return imports;
}

/**
 * The code that makes `new Worker('…/name.js')` work from file://: for each worker file of
 * the build, a Blob holding its script(s) with every importScripts() of a sibling file and
 * every `.wasm` path replaced by inlined content.
 */
async function workerShim(dir, workerFiles) {
  if (!workerFiles.length) return '';
  const sources = {};
  const wasm = {};
  for (const name of workerFiles) {
    let code = await readFile(join(dir, name), 'utf8');
    // importScripts("./x.js") of a sibling → its text, inlined in place.
    code = await replaceAsync(code, /importScripts\(\s*(['"])\.\/([^'"]+)\1\s*\)/g, async (all, q, file) => {
      const path = localPath(dir, file);
      return path ? `\n${await readFile(path, 'utf8')}\n` : all;
    });
    // "./x_bg.wasm" → the bytes, decoded in the worker.
    code = code.replace(/(['"])\.\/([^'"]+\.wasm)\1/g, (all, q, file) => {
      const path = localPath(dir, file);
      if (!path) return all;
      wasm[file] = path;
      return `__backlensWasm(${JSON.stringify(file)})`;
    });
    sources[name] = code;
  }
  const wasmData = {};
  for (const [file, path] of Object.entries(wasm)) wasmData[file] = (await readFile(path)).toString('base64');
  return `
// Workers from Blob URLs: file:// pages cannot start workers from files.
(() => {
  const sources = ${JSON.stringify(sources)};
  const wasm = ${JSON.stringify(wasmData)};
  const prelude = 'const __backlensWasmData = ' + JSON.stringify(wasm) + ';\\n' +
    'function __backlensWasm(name) { const s = atob(__backlensWasmData[name]); const b = new Uint8Array(s.length);' +
    ' for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i); return b; }\\n';
  const urls = {};
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(url, options) {
      const name = String(new URL(String(url), location.href).pathname).split('/').pop();
      if (name in sources) {
        urls[name] ??= URL.createObjectURL(new Blob([prelude + sources[name]], { type: 'text/javascript' }));
        url = urls[name];
      }
      super(url, options);
    }
  };
})();
`;
}

async function replaceAsync(text, re, fn) {
  const parts = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    parts.push(text.slice(last, m.index), await fn(...m));
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

/** Builds `dir/backlens.html` from `dir/index.html`; returns { path, bytes }. */
export async function buildSingleFile(dir, { out = join(dir, 'backlens.html') } = {}) {
  let html = await readFile(join(dir, 'index.html'), 'utf8');
  const wasmFiles = new Map();

  // Stylesheets → <style>; icons → data: URLs; preload hints → gone.
  html = await replaceAsync(html, /<link\b[^>]*>/gi, async (tag) => {
    const rel = (attr(tag, 'rel') ?? '').toLowerCase();
    const path = localPath(dir, attr(tag, 'href'));
    if (rel === 'stylesheet' && path) {
      // data-* attributes stay (data-codemirror-styles marks the editor's stylesheet).
      const data = (tag.match(/\sdata-[\w-]+(?:="[^"]*")?/g) ?? []).join('');
      return `<style${data}>\n${(await readFile(path, 'utf8')).replace(/<\/style/gi, '<\\/style')}\n</style>`;
    }
    if (rel === 'icon' && path) {
      const type = MIME[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';
      return `<link rel="icon" href="data:${type};base64,${(await readFile(path)).toString('base64')}">`;
    }
    if (rel === 'modulepreload' || rel === 'preload') return '';
    return tag;
  });

  // Scripts: module entry points → import map + inline modules; classic scripts inlined;
  // the service worker's registration dropped.
  const moduleEntries = [];
  const workerFiles = [];
  html = await replaceAsync(html, /<script\b([^>]*)><\/script>/gi, async (all, attrs) => {
    const src = attr(all, 'src');
    const path = localPath(dir, src);
    if (!path) return all;
    const rel = src.split(/[?#]/)[0].replace(/^\.\//, '');
    if (/(^|\/)sw-register\.js$/.test(rel)) return '';
    if (/type\s*=\s*"module"/i.test(attrs)) {
      let code = await readFile(path, 'utf8');
      code = code.replace(/(['"])\.\/([^'"]+\.wasm)\1/g, (m, q, file) => {
        const wasmPath = localPath(dir, file);
        if (!wasmPath) return m;
        wasmFiles.set(file, wasmPath);
        return `__backlensWasm(${JSON.stringify(file)})`;
      });
      code = code.replace(SPECIFIER, (m, lead, quote, spec) => {
        const target = posix.normalize(posix.join(posix.dirname(rel), spec));
        moduleEntries.push(target);
        return `${lead}${quote}${PREFIX}${target}${quote}`;
      });
      return `<script type="module">\n${scriptSafe(code)}\n</script>`;
    }
    return `<script>\n${scriptSafe(await readFile(path, 'utf8'))}\n</script>`;
  });

  // Workers: every worker entry script of the build (a top-level script that loads a
  // sibling with importScripts, e.g. analysis-worker.js or a Trunk loader shim) is started
  // from a Blob.
  for (const f of await readdir(dir)) {
    if (f.endsWith('.js') && /importScripts\(\s*['"]\.\//.test(await readFile(join(dir, f), 'utf8'))) workerFiles.push(f);
  }
  const shim = await workerShim(dir, workerFiles);

  const imports = await inlineModules(dir, moduleEntries);
  const wasmData = {};
  for (const [file, path] of wasmFiles) wasmData[file] = (await readFile(path)).toString('base64');
  const head = [
    `<script type="importmap">\n${scriptSafe(JSON.stringify({ imports }))}\n</script>`,
    '<script>',
    scriptSafe(`// WebAssembly of the page, base64 (file:// pages cannot fetch it).
const __backlensWasmData = ${JSON.stringify(wasmData)};
function __backlensWasm(name) {
  const s = atob(__backlensWasmData[name]);
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}
${shim}`),
    '</script>',
  ].join('\n');
  // The import map must come before any module script.
  html = html.replace(/<head>/i, `<head>\n<!-- backlens single-file build: everything is inline; open it from disk. -->\n${head}`);
  await writeFile(out, html);
  return { path: out, bytes: Buffer.byteLength(html) };
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const dir = process.argv[2] ?? join(dirname(new URL(import.meta.url).pathname), '..', 'dist');
  buildSingleFile(dir).then(
    ({ path, bytes }) => console.log(`${path}: ${Math.round(bytes / 1024)} KB`),
    (e) => {
      console.error(`single-file: error: ${e.message}`);
      process.exit(1);
    },
  );
}
