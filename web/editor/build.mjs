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
// when the editor is in a document (it uses constructable stylesheets only in shadow roots),
// and the CSP blocks that element. This build makes it adopt a constructable stylesheet in the
// document too (Chromium, Firefox ≥ 101, Safari ≥ 16.4), which no CSP restricts; browsers
// without `adoptedStyleSheets` keep the <style> element. The test below fails the build if a
// new style-mod changes the code this relies on.
let patched = false;
const ADOPT_IN_DOCUMENTS = {
  name: 'style-mod-adopt-in-documents',
  setup(build) {
    build.onLoad({ filter: /[\\/]style-mod[\\/]src[\\/]style-mod\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const source = await readFile(args.path, 'utf8');
      const from = 'if (!root.head && root.adoptedStyleSheets && win.CSSStyleSheet) {';
      if (!source.includes(from)) {
        throw new Error(`${args.path}: style-mod changed; update the strict-CSP patch in web/editor/build.mjs`);
      }
      patched = true;
      return { contents: source.replace(from, 'if (root.adoptedStyleSheets && win.CSSStyleSheet) {'), loader: 'js' };
    });
  },
};
const result = await esbuild.build({
  entryPoints: [join(here, 'src', 'editor.js')],
  bundle: true,
  format: 'iife',
  globalName: 'BacklensEditor',
  minify: true,
  target: ['es2020'],
  legalComments: 'eof',
  plugins: [ADOPT_IN_DOCUMENTS],
  write: false,
  logLevel: 'warning',
});
if (!patched) {
  console.error('web/editor/build.mjs: style-mod was not bundled from src/style-mod.js; the strict-CSP patch did not apply');
  process.exit(1);
}
const out = join(here, 'dist', 'editor.js');
mkdirSync(dirname(out), { recursive: true });
const temporary = `${out}.${process.pid}.tmp`;
writeFileSync(temporary, result.outputFiles[0].contents);
renameSync(temporary, out);
console.log(`web/editor/dist/editor.js: ${(result.outputFiles[0].contents.length / 1024).toFixed(0)} KiB`);
