// The analysis Web Worker's entry point (protocol: web/README.md). Loads the `backlens-worker`
// wasm module that Trunk builds next to this file (URLs relative to this script, so the site
// works from any sub-path) and answers each message with `wasm_bindgen.handle(request)`.
// Messages that arrive while the module loads wait for it, in order.
/* global wasm_bindgen */
importScripts("./backlens-worker.js");

const ready = wasm_bindgen({ module_or_path: "./backlens-worker_bg.wasm" });
// After a crash (a Rust panic aborts) the wasm instance is unusable: every later request is
// answered with `fatal: true`, and the page starts a new worker.
let broken = null;

self.onmessage = async (event) => {
  const request = event.data;
  const id = request !== null && typeof request === "object" && typeof request.id === "number" ? request.id : null;
  try {
    await ready;
  } catch (error) {
    self.postMessage({ id, error: `the analyzer could not start: ${error}`, fatal: true });
    return;
  }
  if (broken !== null) {
    self.postMessage({ id, error: broken, fatal: true });
    return;
  }
  try {
    self.postMessage(wasm_bindgen.handle(request));
  } catch (error) {
    broken = `internal error in the analyzer: ${error}`;
    self.postMessage({ id, error: broken, fatal: true });
  }
};
