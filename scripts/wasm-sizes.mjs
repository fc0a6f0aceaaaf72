#!/usr/bin/env node
// Where the bytes of a WebAssembly module go: the size of every function body, grouped by the
// crate and module it comes from (`backlens_core::rules`, `swc_ecma_parser`, …), or by the
// swc visitor a function was monomorphised for, read from the module's `name` section.
// `scripts/wasm-sizes.sh` builds the worker or the page with names kept and runs this on it.
//
//   node scripts/wasm-sizes.mjs FILE.wasm [--by crate|module|visitor|function] [--top N]
//
// Names are demangled by `llvm-cxxfilt` when it is on PATH (Rust v0 and legacy symbols);
// without it the crate and module are still read from the mangled name.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

/** { code, data, functions: [{ name, size }] } of a module with a name section. */
export function functionSizes(bytes) {
  const decoder = new TextDecoder();
  let at = 8;
  let imported = 0;
  let code = 0;
  let data = 0;
  const bodies = [];
  const names = new Map();
  while (at < bytes.length) {
    const id = bytes[at++];
    let size;
    [size, at] = leb(bytes, at);
    const end = at + size;
    if (id === 2) {
      // Imports: only function imports take function indices.
      let [count, p] = leb(bytes, at);
      for (let i = 0; i < count; i++) {
        let len;
        [len, p] = leb(bytes, p);
        p += len;
        [len, p] = leb(bytes, p);
        p += len;
        const kind = bytes[p++];
        if (kind === 0) {
          [, p] = leb(bytes, p);
          imported++;
        } else if (kind === 1) {
          p++;
          const flags = bytes[p++];
          [, p] = leb(bytes, p);
          if (flags & 1) [, p] = leb(bytes, p);
        } else if (kind === 2) {
          const flags = bytes[p++];
          [, p] = leb(bytes, p);
          if (flags & 1) [, p] = leb(bytes, p);
        } else if (kind === 3) p += 2;
        else if (kind === 4) p += 2;
      }
    } else if (id === 10) {
      code = size;
      let [count, p] = leb(bytes, at);
      for (let i = 0; i < count; i++) {
        const start = p;
        let len;
        [len, p] = leb(bytes, p);
        p += len;
        bodies.push(p - start);
      }
    } else if (id === 11) {
      data = size;
    } else if (id === 0) {
      const [len, p0] = leb(bytes, at);
      if (decoder.decode(bytes.subarray(p0, p0 + len)) === 'name') {
        let p = p0 + len;
        while (p < end) {
          const sub = bytes[p++];
          let subSize;
          [subSize, p] = leb(bytes, p);
          if (sub === 1) {
            let [count, q] = leb(bytes, p);
            for (let i = 0; i < count; i++) {
              let index;
              let n;
              [index, q] = leb(bytes, q);
              [n, q] = leb(bytes, q);
              names.set(index, decoder.decode(bytes.subarray(q, q + n)));
              q += n;
            }
          }
          p += subSize;
        }
      }
    }
    at = end;
  }
  const functions = bodies.map((size, i) => ({ name: names.get(imported + i) ?? `function ${imported + i}`, size }));
  return { code, data, named: names.size > 0, functions };
}

/** Demangled names, through llvm-cxxfilt when it is installed (else the names as given). */
function demangle(names) {
  try {
    const out = execFileSync('llvm-cxxfilt', [], { input: names.join('\n'), maxBuffer: 1 << 28 }).toString().split('\n');
    if (out.length >= names.length) return out.slice(0, names.length);
  } catch {
    // not installed: group by the mangled names' identifiers below
  }
  return names;
}

/** Identifiers of a mangled or demangled path: `backlens_core::rules::scan::…` → parts. */
function crateAndModule(name, depth) {
  const text = (name.startsWith('_R') || name.startsWith('_ZN') ? [...name.matchAll(/\d+([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]).join('::') : name)
    // v0 names demangle with each crate's disambiguator: `alloc[3ca501edff3f0c7c]::…`.
    .replace(/\[[0-9a-f]+\]/g, '');
  const ours = text.match(/\b(backlens_[a-z_]+)((?:::[a-z_][a-z0-9_]*)*)/);
  const path = ours ? ours[1] + ours[2] : (text.match(/^[<&*\s]*(?:dyn\s+)?([a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)*)/) ?? [, text.slice(0, 40)])[1];
  return path.split('::').slice(0, depth).join('::');
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const args = process.argv.slice(2);
  const option = (flag, fallback) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : fallback);
  const file = args.find((a, i) => !a.startsWith('--') && !['--by', '--top'].includes(args[i - 1]));
  if (!file) {
    console.error('usage: node scripts/wasm-sizes.mjs FILE.wasm [--by crate|module|visitor|function] [--top N]');
    process.exit(2);
  }
  const by = option('--by', 'module');
  const top = Number(option('--top', 40));
  const { code, data, named, functions } = functionSizes(readFileSync(file));
  if (!named) {
    console.error(`${file} has no name section: build it with names kept (scripts/wasm-sizes.sh does)`);
    process.exit(1);
  }
  const demangled = demangle(functions.map((f) => f.name));
  const groups = new Map();
  functions.forEach((f, i) => {
    const name = demangled[i].replace(/\[[0-9a-f]+\]/g, '');
    let key;
    if (by === 'function') key = name;
    else if (by === 'visitor') {
      const v = name.includes('swc_ecma_visit') && name.match(/Visit(?:Mut)?(?:With)?<([^<>]*(?:<[^<>]*>)?)>/);
      key = v ? v[1] : '(not an swc visitor)';
    } else key = crateAndModule(name, by === 'crate' ? 1 : 2);
    groups.set(key, (groups.get(key) ?? 0) + f.size);
  });
  const kib = (n) => `${(n / 1024).toFixed(1).padStart(7)} KiB`;
  console.log(`${file}: code ${kib(code)}, data ${kib(data)}, ${functions.length} functions`);
  if (by === 'visitor') {
    const visitors = [...groups].filter(([key]) => !key.startsWith('('));
    const total = visitors.reduce((sum, [, size]) => sum + size, 0);
    console.log(`swc traversal code monomorphised per visitor: ${kib(total).trim()} (${((100 * total) / code).toFixed(1)} % of the code) in ${visitors.length} visitors`);
  }
  for (const [key, size] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${kib(size)} ${((100 * size) / code).toFixed(1).padStart(5)} %  ${key}`);
  }
}
