// Loads the WebAssembly build of backlens-core (wasm-bindgen `nodejs` target, synchronous)
// and wraps its one entry point.
'use strict';
const path = require('node:path');

let module_;
function wasm() {
  if (!module_) module_ = require(path.join(__dirname, '..', 'wasm', 'backlens_wasm.js'));
  return module_;
}

/** Runs one analysis request (see npm/wasm/src/lib.rs): `{ analysis, output }`. */
function run(request) {
  return JSON.parse(wasm().run(JSON.stringify(request)));
}

function version() {
  return wasm().version();
}

module.exports = { run, version };
