#!/usr/bin/env node
// Bundles the code editor (src/editor.js: CodeMirror 6 from node_modules) into one minified
// classic script, dist/editor.js, that defines the global `BacklensEditor`. Trunk runs this
// before every build (Trunk.toml, [[hooks]] stage = "pre_build"); index.html includes the
// result with <script data-trunk>. Nothing is downloaded: `npm ci` (scripts/lib.sh setup) has
// installed the packages. Several builds may run at once in one tree: the bundle is written
// to a temporary file and renamed, so a reader never sees half a file.

import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
if (!existsSync(join(here, 'node_modules', 'esbuild'))) {
  console.error('web/editor/node_modules is missing: run `npm ci` in web/editor (scripts/setup.sh does).');
  process.exit(1);
}
const esbuild = await import('esbuild');

// Strict CSP (`style-src 'self'`): CodeMirror's style-mod puts its styles in a <style> element
// when the editor is in a document, and the CSP blocks that element. scripts/csp-codemirror.mjs
// patches style-mod to insert them through the CSSOM into index.html's empty, same-origin
// `codemirror-styles.css` (placed before style.css, so the playground's rules still win), and
// fails the build if style-mod changes the code this relies on or was not patched.
const { cspSafeCodeMirror } = await import('../../scripts/csp-codemirror.mjs');
const result = await esbuild.build({
  entryPoints: [join(here, 'src', 'editor.js')],
  bundle: true,
  format: 'iife',
  globalName: 'BacklensEditor',
  minify: true,
  target: ['es2020'],
  legalComments: 'eof',
  plugins: [cspSafeCodeMirror],
  write: false,
  logLevel: 'warning',
});
const out = join(here, 'dist', 'editor.js');
mkdirSync(dirname(out), { recursive: true });
const temporary = `${out}.${process.pid}.tmp`;
writeFileSync(temporary, result.outputFiles[0].contents);
renameSync(temporary, out);
console.log(`web/editor/dist/editor.js: ${(result.outputFiles[0].contents.length / 1024).toFixed(0)} KiB`);
