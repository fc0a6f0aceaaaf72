// An esbuild plugin that makes the CodeMirror bundle (web/editor/build.mjs) run under the
// site's strict CSP (`default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src
// 'self'`, README.md), by patching style-mod as it is bundled:
//
//   - style-mod puts CodeMirror's generated CSS in a <style> element when the editor lives in
//     the document (constructable, adopted stylesheets only in shadow roots); `style-src
//     'self'` blocks that element. Patched: the rules are inserted through the CSSOM (which
//     CSP does not govern) into the page's own, empty stylesheet
//     `<link rel="stylesheet" href="codemirror-styles.css" data-codemirror-styles>`, placed
//     before the page's stylesheet so that the page's rules still win as they did over the
//     <style> element (adopted sheets would come last in the cascade). Without that link:
//     adopted stylesheets; without those: the <style> element, as before.
//
// (@codemirror/lint's data: SVG underlines and markers, which `img-src` would block, are
// overridden by the playground's style.css, so they are never loaded.)
//
// Each patch checks that the text it replaces is still there and fails the build otherwise
// (a dependency update must be looked at, not silently break the CSP).

import { readFile } from 'node:fs/promises';

/** [file pattern, [[search, replacement, expected count]…]] */
const PATCHES = [
  [
    /[\\/]style-mod[\\/]src[\\/]style-mod\.js$/,
    [
      [
        'if (!root.head && root.adoptedStyleSheets && win.CSSStyleSheet) {',
        'let slot = root.head && root.querySelector("[data-codemirror-styles]");\n' +
          '    if (slot && slot.sheet) {\n' +
          '      this.sheet = slot.sheet\n' +
          '      this.slot = true\n' +
          '    } else if (root.adoptedStyleSheets && win.CSSStyleSheet) {',
        1,
      ],
      [
        'if (root.adoptedStyleSheets.indexOf(this.sheet) < 0)',
        'if (!this.slot && root.adoptedStyleSheets.indexOf(this.sheet) < 0)',
        1,
      ],
    ],
  ],
];

function count(source, search) {
  if (typeof search === 'string') return source.split(search).length - 1;
  return [...source.matchAll(search.global ? search : new RegExp(search.source, `${search.flags}g`))].length;
}

export const cspSafeCodeMirror = {
  name: 'csp-safe-codemirror',
  setup(build) {
    const patched = new Set();
    build.onStart(() => patched.clear());
    // A bundle without style-mod from its source file would silently keep the <style> element.
    build.onEnd((result) => {
      if (!result.errors.length && patched.size !== PATCHES.length) {
        throw new Error('style-mod was not bundled from style-mod/src/style-mod.js: the strict-CSP patch did not apply');
      }
    });
    for (const [filter, replacements] of PATCHES) {
      build.onLoad({ filter }, async (args) => {
        patched.add(filter);
        let source = await readFile(args.path, 'utf8');
        for (const [search, replacement, expected] of replacements) {
          const found = count(source, search);
          if (found !== expected) {
            throw new Error(`${args.path}: expected ${expected} × ${search}, found ${found}: update scripts/csp-codemirror.mjs`);
          }
          source = typeof search === 'string' ? source.split(search).join(replacement) : source.replace(search, replacement);
        }
        return { contents: source, loader: 'js' };
      });
    }
  },
};
