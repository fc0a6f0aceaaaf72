// The JavaScript API of backlens: the same analysis as the CLI, in process, through the
// WebAssembly build (no native binary, no child process, nothing leaves the machine).
//
//   const { analyze } = require('backlens');            // or: import { analyze } from 'backlens'
//   const result = analyze([{ path: 'src/app.js', text }], { load_profile: 'high' });
//   result.findings  // the JSON contract: version, framework, files, endpoints, findings, …
'use strict';
const { run, version } = require('./lib/wasm.js');

function toFiles(files) {
  if (Array.isArray(files)) {
    return files.map((f) => ({ path: String(f.path), text: String(f.text ?? f.source ?? '') }));
  }
  if (files && typeof files === 'object') {
    return Object.entries(files).map(([path, text]) => ({ path, text: String(text) }));
  }
  throw new TypeError('backlens: analyze(files) takes [{ path, text }] or { [path]: text }');
}

function request(files, params = {}, format) {
  const { args, target, endpoints, load_profile, loadProfile, priority, rules, settings, config, docs_url, baseline, title, date, package_json } = params;
  return {
    files: toFiles(files),
    args: args === undefined ? [] : [].concat(args),
    target,
    endpoints: Array.isArray(endpoints) ? endpoints.join(',') : endpoints,
    load_profile: load_profile ?? loadProfile,
    priority,
    rules: Array.isArray(rules) ? rules.join(',') : rules,
    settings,
    config: typeof config === 'string' ? { text: config } : config,
    docs_url,
    baseline: baseline && typeof baseline === 'object' ? JSON.stringify(baseline) : baseline,
    title,
    date,
    package_json,
    format,
  };
}

/**
 * Analyses the files as one program: the JSON contract of `backlens analyze --format json`.
 * `params`: the seed's parameters (`target`, `endpoints`, `load_profile`, `priority`, `args`),
 * `rules` (rule ids or `'all'`: also the rules off by default),
 * `settings` (cost-model parameters, `{ items: 50 }`), `config` (a backlens.toml's text),
 * `baseline` (a baseline file's text or object). Throws an Error with the CLI's message on a
 * bad parameter.
 */
function analyze(files, params) {
  return run(request(files, params, 'json')).analysis;
}

/** The output of `--format FORMAT` (markdown, json, sarif, text, github) for the files. */
function report(files, params, format = 'markdown') {
  return run(request(files, params, format)).output;
}

module.exports = { analyze, report, version, request };
