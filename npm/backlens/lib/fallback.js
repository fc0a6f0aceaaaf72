// `backlens analyze` on the WebAssembly build, for platforms without a native package.
// JavaScript does what needs the file system — the options, the walk, reading the files,
// backlens.toml, package.json and the baseline — and the WebAssembly module does the rest
// with the native CLI's own code: parameters, analysis, baseline matching, every format.
//
// Differences from the native CLI, by design of a fallback: `--fix`, `--fix-suggestions` and
// `--fail-on-budget` are not available (unknown options here); `.gitignore` files are not read
// (hidden directories, node_modules, dist, build, out, coverage, .next, .nuxt and
// bower_components are skipped as natively), and only `analyze` is available (`model`,
// `lsp` and `completions` need the native binary).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { run, version } = require('./wasm.js');

const SKIPPED_DIRS = new Set(['node_modules', 'bower_components', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt']);
const SOURCE = /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx)$/;
const FORMATS = ['markdown', 'json', 'sarif', 'text', 'github'];
const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const VALUE_OPTIONS = new Set(['--format', '--target', '--endpoints', '--load-profile', '--load_profile', '--priority', '--args', '--set', '--docs-url', '--config', '--fail-on', '-o', '--output', '--baseline', '--write-baseline']);

class UsageError extends Error {}

function usage() {
  return `usage: backlens analyze [OPTIONS] PATH...

This is backlens's WebAssembly build (no native package for ${process.platform}-${process.arch});
it runs the same analysis. Options: --format markdown|json|sarif|text|github, --target,
--endpoints, --load-profile, --priority, --args, --set NAME=VALUE, --docs-url, --config FILE,
--no-config, --fail-on SEVERITY, --baseline FILE, --write-baseline FILE, -o FILE, -v.
See https://github.com/backlens/backlens#command-line for what each does.
`;
}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('no command given (usage: backlens analyze [OPTIONS] PATH...; see `backlens --help`)');
  if (command === '-h' || command === '--help' || command === 'help') return { print: usage() };
  if (command === '-V' || command === '--version' || command === 'version') return { print: `backlens ${version()}\n` };
  if (command !== 'analyze' && command !== 'analyse') {
    if (['model', 'lsp', 'completions'].includes(command)) {
      throw new UsageError(`\`${command}\` needs the native backlens binary (no @backlens/cli-${process.platform}-${process.arch} package is installed)`);
    }
    throw new UsageError(`unknown command \`${command}\` (expected \`analyze\`, \`model\` or \`completions\`; see \`backlens --help\`)`);
  }
  const o = { paths: [], args: [], settings: [], flags: {} };
  for (let i = 0; i < rest.length; i++) {
    let arg = rest[i];
    if (arg === '--') { o.paths.push(...rest.slice(i + 1)); break; }
    if (arg === '-' || !arg.startsWith('-')) { o.paths.push(arg); continue; }
    if (arg === '-h' || arg === '--help') return { print: usage() };
    if (arg === '-V' || arg === '--version') return { print: `backlens ${version()}\n` };
    if (arg === '-v' || arg === '--verbose') { o.verbose = true; continue; }
    if (arg === '--no-config') { o.noConfig = true; continue; }
    let value;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { value = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    if (!VALUE_OPTIONS.has(arg)) throw new UsageError(`unknown option \`${arg}\` (see \`backlens --help\`)`);
    if (value === undefined) {
      if (i + 1 >= rest.length) throw new UsageError(`option \`${arg}\` needs a value (see \`backlens --help\`)`);
      value = rest[++i];
    }
    switch (arg) {
      case '--format':
        if (!FORMATS.includes(value.toLowerCase())) throw new UsageError(`invalid value ${JSON.stringify(value)} for option \`--format\`: expected one of ${FORMATS.join(', ')}`);
        o.format = value.toLowerCase(); break;
      case '--fail-on':
        if (!SEVERITIES.includes(value.trim().toLowerCase())) throw new UsageError(`invalid value ${JSON.stringify(value)} for option \`--fail-on\`: expected one of ${SEVERITIES.join(', ')}`);
        o.failOn = value.trim().toLowerCase(); break;
      case '--set': {
        const at = value.indexOf('=');
        if (at <= 0) throw new UsageError(`option \`--set\` takes NAME=VALUE, got ${JSON.stringify(value)}`);
        o.settings.push([value.slice(0, at).trim(), value.slice(at + 1).trim()]); break;
      }
      case '--args': o.args.push(value); break;
      case '--load_profile': case '--load-profile': o.flags.load_profile = value; break;
      case '-o': case '--output': o.output = value; break;
      default: o.flags[arg.slice(2).replace(/-/g, '_')] = value;
    }
  }
  if (o.paths.length === 0) throw new UsageError('no PATH given (usage: backlens analyze [OPTIONS] PATH...)');
  return o;
}

/** `./src//a.js` → `src/a.js`, as the native CLI shows paths. */
function display(p) {
  const parts = p.replace(/\\/g, '/').split('/');
  const kept = parts.filter((part, i) => part !== '' || i === 0).filter((part, i) => !(part === '.' && i < parts.length - 1 && parts.length > 1));
  const shown = kept.join('/');
  return shown === '' ? '.' : shown;
}

function walk(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) walk(full, out);
    } else if (entry.isFile() && SOURCE.test(entry.name) && !/\.d\.[mc]?ts$/.test(entry.name)) {
      out.push(full);
    }
  }
}

function ioMessage(e) {
  return e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
}

function collect(paths, warnings) {
  const files = [];
  for (const given of paths) {
    let stat;
    try { stat = fs.statSync(given); } catch (e) { throw new UsageError(`cannot read ${given}: ${ioMessage(e)}`); }
    if (stat.isDirectory()) {
      const found = [];
      walk(given, found);
      if (found.length === 0) warnings.push(`warning: no JavaScript or TypeScript files found in ${given}`);
      files.push(...found);
    } else {
      files.push(given);
    }
  }
  const byName = new Map(files.map((f) => [display(f), f]));
  return [...byName.keys()].sort().map((shown) => {
    try {
      return { path: shown, text: fs.readFileSync(byName.get(shown), 'utf8') };
    } catch (e) {
      throw new UsageError(`cannot read ${shown}: ${ioMessage(e)}`);
    }
  });
}

function findUpward(start, name) {
  let dir = path.resolve(start);
  try { if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir); } catch { return null; }
  for (;;) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function readText(file, what) {
  try { return fs.readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`cannot read ${what}${display(file)}: ${ioMessage(e)}`); }
}

function today() {
  const epoch = Number.parseInt(process.env.SOURCE_DATE_EPOCH ?? '', 10);
  return new Date(Number.isFinite(epoch) ? epoch * 1000 : Date.now()).toISOString().slice(0, 10);
}

function title(paths) {
  const shown = paths.map(display);
  let t = shown.length === 1 ? shown[0] : '';
  if (shown.length > 1) {
    const split = shown.map((p) => p.split('/'));
    let n = 0;
    while (split.every((parts) => parts.length > n + 1 && parts[n] === split[0][n])) n++;
    t = split[0].slice(0, n).join('/');
  }
  if (t === '' || t === '.' || t.endsWith('..')) return path.basename(path.resolve(t || '.')) || 'project';
  return t;
}

function main(argv) {
  const warnings = [];
  try {
    const o = parseArgs(argv);
    if (o.print) { process.stdout.write(o.print); return 0; }
    const configFile = o.flags.config ?? (o.noConfig ? null : findUpward(o.paths[0], 'backlens.toml'));
    const config = configFile ? { text: readText(configFile, ''), name: display(configFile) } : undefined;
    const baseline = o.flags.baseline ? readText(o.flags.baseline, 'baseline ') : undefined;
    const format = o.format ?? (!o.output && process.stdout.isTTY ? 'text' : 'markdown');
    const packageJson = format === 'markdown' ? findUpward(o.paths[0], 'package.json') : null;
    const request = {
      args: o.args, settings: o.settings, config, docs_url: o.flags.docs_url,
      target: o.flags.target, endpoints: o.flags.endpoints, load_profile: o.flags.load_profile, priority: o.flags.priority,
      title: title(o.paths), date: today(), package_json: packageJson ? readText(packageJson, '') : undefined,
    };
    // A bad parameter is reported before any path is read, as natively.
    run({ ...request, files: [] });
    const files = collect(o.paths, warnings);
    if (files.length === 0) throw new UsageError(`no JavaScript or TypeScript files found in ${o.paths.join(', ')}`);
    if (o.verbose) process.stderr.write(`backlens: reading ${files.length} file${files.length === 1 ? '' : 's'} (WebAssembly build)\n`);
    const response = run({ ...request, files, format, baseline, write_baseline: Boolean(o.flags.write_baseline) });
    const { analysis, output } = response;
    if (o.flags.write_baseline) {
      try { fs.writeFileSync(o.flags.write_baseline, response.baseline_file); } catch (e) { throw new UsageError(`cannot write baseline ${display(o.flags.write_baseline)}: ${ioMessage(e)}`); }
    }
    const text = output.endsWith('\n') ? output : output + '\n';
    if (o.output) {
      try { fs.writeFileSync(o.output, text); } catch (e) { throw new UsageError(`cannot write ${display(o.output)}: ${ioMessage(e)}`); }
    } else {
      process.stdout.write(text);
    }
    for (const f of analysis.files) {
      if (f.error) warnings.push(`warning: ${f.path}:${f.error.line}:${f.error.column}: ${f.error.message.split(/\s+/).join(' ')} (file not analysed)`);
    }
    for (const n of analysis.notices) warnings.push(`warning: ${n.file}:${n.line}:${n.column}: ${n.message}`);
    warnings.push(...response.baseline_lines);
    for (const w of warnings) process.stderr.write(`backlens: ${w}\n`);
    if (o.failOn) {
      const at = SEVERITIES.indexOf(o.failOn);
      const failing = analysis.findings.filter((f) => SEVERITIES.indexOf(f.severity) >= at).length;
      if (failing > 0) {
        process.stderr.write(`backlens: ${failing} finding${failing === 1 ? '' : 's'} at or above severity ${o.failOn} (--fail-on ${o.failOn})\n`);
        return 1;
      }
    }
    return 0;
  } catch (e) {
    const message = e instanceof UsageError || !(e instanceof Error) ? String(e.message ?? e) : e.message;
    process.stderr.write(`backlens: ${message.split(/\s+/).join(' ')}\n`);
    return 2;
  }
}

module.exports = { main, parseArgs, display };
