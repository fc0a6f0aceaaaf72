#!/usr/bin/env node
// The `backlens` command of the npm package: runs the native binary from the platform
// package npm installed (`@backlens/cli-<platform>-<arch>`, an optionalDependency, as Biome
// and oxlint ship theirs), or, where there is none, the WebAssembly build of the same
// analyzer (lib/fallback.js). BACKLENS_WASM=1 forces the fallback; BACKLENS_BINARY names a
// binary to run instead.
'use strict';
const { spawnSync } = require('node:child_process');

function nativeBinary() {
  if (process.env.BACKLENS_BINARY) return process.env.BACKLENS_BINARY;
  if (process.env.BACKLENS_WASM === '1') return null;
  const name = `@backlens/cli-${process.platform}-${process.arch}`;
  const exe = process.platform === 'win32' ? 'backlens.exe' : 'backlens';
  try {
    return require.resolve(`${name}/${exe}`);
  } catch {
    return null;
  }
}

const binary = nativeBinary();
if (binary) {
  const result = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit' });
  if (result.error) {
    process.stderr.write(`backlens: cannot run ${binary}: ${result.error.message}\n`);
    process.exit(2);
  }
  if (result.signal) process.kill(process.pid, result.signal);
  process.exit(result.status ?? 2);
} else {
  process.exitCode = require('../lib/fallback.js').main(process.argv.slice(2));
}
