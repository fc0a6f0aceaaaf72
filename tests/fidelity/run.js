// scripts/fidelity.sh's measuring part: starts tests/fidelity/app.js, calibrates backlens from
// micro-measurements (calibrate.js), asks backlens for its predictions on app.js, load-tests
// each scenario with autocannon at 1, 10 and 50 connections, and prints predicted vs measured.
//
// BACKLENS: the binary to check (required). BACKLENS_BEFORE: an older binary whose
// predictions (from its Markdown report, which had no traces) are printed beside (optional).
const { spawn, execFileSync } = require('node:child_process');
const path = require('node:path');
const autocannon = require('autocannon');
const { Client } = require('pg');
const { calibrate, config } = require('./calibrate');

const PORT = Number(process.env.PORT || 3400);
const BASE = `http://127.0.0.1:${PORT}`;
const GZ = `http://127.0.0.1:${PORT + 1}`;
const DURATION = Number(process.env.FIDELITY_SECONDS || 3);
const CONNECTIONS = [1, 10, 50];
const ROUNDS = Number(process.env.FIDELITY_ROUNDS || 5);
const APP = path.join(__dirname, 'app.js');

// before → after pairs: the slow way and the seed's fix.
const SCENARIOS = [
  { name: 'N+1 over 50 users vs one batched query', before: '/n1', after: '/batched' },
  { name: 'three independent queries: in sequence vs Promise.all', before: '/sequential', after: '/parallel' },
  { name: 'a connection per request vs a pool', before: '/connect', after: '/pooled' },
  { name: 'a large JSON list without vs with compression', before: '/large', after: '/large-gz' },
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const url = (route) => (route.endsWith('-gz') ? GZ : BASE) + route;

async function waitFor(u) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(u)).ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`the app did not answer at ${u}`);
}

async function statements(c) {
  const { rows } = await c.query(
    'SELECT coalesce(sum(calls), 0) AS n FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())',
  );
  return Number(rows[0].n);
}

/** Queries per request: statements pg_stat_statements counted over 200 requests. */
async function queriesPerRequest(route) {
  const n = 200;
  const c = new Client(config);
  await c.connect();
  const before = await statements(c);
  await autocannon({ url: url(route), connections: 1, amount: n });
  const after = await statements(c);
  await c.end();
  // The first count is a statement of its own.
  return (after - before - 1) / n;
}

/** One closed loop of `connections` for `seconds`: mean latency (Little's law over the
 * measured throughput: autocannon's own latency histogram has millisecond buckets), p99, rps. */
async function run(route, connections, seconds) {
  const r = await autocannon({ url: url(route), connections, duration: seconds });
  const rps = r.requests.total / seconds;
  return { latency: (connections * 1000) / rps, p99: r.latency.p99, rps, errors: r.errors + r.non2xx };
}

/** A scenario's two routes: queries per request, then latency at one connection in
 * alternating rounds (the median; the machine's load drifts between runs), then 10 and 50
 * connections. */
async function measurePair(before, after) {
  const out = {};
  for (const r of [before, after]) {
    await autocannon({ url: url(r), connections: 10, duration: 1 }); // warm-up
    out[r] = { queries: await queriesPerRequest(r) };
  }
  const rounds = { [before]: [], [after]: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const r of [before, after]) rounds[r].push(await run(r, 1, 1));
  }
  for (const r of [before, after]) {
    const sorted = rounds[r].sort((a, b) => a.latency - b.latency);
    out[r][1] = sorted[Math.floor(sorted.length / 2)];
    for (const c of CONNECTIONS.slice(1)) out[r][c] = await run(r, c, DURATION);
  }
  return out;
}

function backlensJson(bin, sets) {
  const args = ['analyze', APP, '--format', 'json', '--no-config', '--rules', 'all'];
  for (const [k, v] of Object.entries(sets)) args.push('--set', `${k}=${v}`);
  return JSON.parse(execFileSync(bin, args, { encoding: 'utf8' }));
}

/** The new model: each endpoint's trace. */
function predictNew(bin, sets) {
  const a = backlensJson(bin, sets);
  const by = {};
  for (const e of a.endpoints) {
    const t = e.trace;
    if (!t || !t.before) continue;
    by[e.path] = {
      latency: t.before.duration_ms,
      after: t.after.duration_ms,
      queries: t.before.queries,
      rps: t.before.max_rps,
    };
  }
  return by;
}

/** The old model: its Markdown report's baseline and improvement tables (no traces then). */
function predictOld(bin, sets) {
  const args = ['analyze', APP, '--no-config'];
  for (const [k, v] of Object.entries(sets)) args.push('--set', `${k}=${v}`);
  const md = execFileSync(bin, args, { encoding: 'utf8' });
  const ms = (cell) => Number.parseFloat(cell);
  const by = {};
  let section = '';
  for (const line of md.split('\n')) {
    if (line.startsWith('#')) section = line;
    const cells = line.split('|').map((c) => c.trim());
    const m = /^GET (\S+)$/.exec(cells[1] || '');
    if (!m) continue;
    if (section.includes('API Performance') && cells.length >= 9) {
      by[m[1]] = { latency: ms(cells[5]), queries: ms(cells[4]), rps: ms(cells[8]) };
      by[m[1]].after = by[m[1]].latency;
    } else if (section.includes('Endpoint-Specific') && by[m[1]]) {
      by[m[1]].after = ms(cells[3]);
    }
  }
  return by;
}

const pct = (p, m) => ((p - m) / m) * 100;
const fmt = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const err = (p, m) => (Number.isFinite(p) && m > 0 ? `${pct(p, m) >= 0 ? '+' : ''}${pct(p, m).toFixed(0)} %` : '—');

function table(title, predicted, measured) {
  const lines = [`### ${title}`, '', '| scenario | figure | predicted | measured | error |', '| --- | --- | ---: | ---: | ---: |'];
  const row = (s, f, p, m, d) => lines.push(`| ${s} | ${f} | ${fmt(p, d)} | ${fmt(m, d)} | ${err(p, m)} |`);
  for (const s of SCENARIOS) {
    const [pb, pa, mb, ma] = [predicted[s.before], predicted[s.after], measured[s.before], measured[s.after]];
    if (!pb || !mb || !ma) continue;
    row(s.name, `latency ${s.before} (ms, 1 connection)`, pb.latency, mb[1].latency);
    row('', `latency ${s.after} (ms, 1 connection)`, pa ? pa.latency : NaN, ma[1].latency);
    row('', `improvement ratio (${s.before} ÷ fixed, predicted from ${s.before}'s trace)`, pb.latency / pb.after, mb[1].latency / ma[1].latency);
    row('', `queries per request ${s.before}`, pb.queries, mb.queries, 1);
    row('', `queries per request ${s.after}`, pa ? pa.queries : NaN, ma.queries, 1);
    row('', `saturation throughput ${s.before} (requests/s, 50 connections)`, pb.rps, mb[50].rps, 0);
    row('', `saturation throughput ${s.after} (requests/s, 50 connections)`, pa ? pa.rps : NaN, ma[50].rps, 0);
  }
  return lines.join('\n');
}

async function main() {
  const bin = process.env.BACKLENS;
  if (!bin) throw new Error('set BACKLENS to the backlens binary');
  const app = spawn(process.execPath, [APP], { env: { ...process.env, PORT: String(PORT) }, stdio: 'inherit' });
  try {
    await waitFor(`${BASE}/health`);
    await waitFor(`${GZ}/large-gz`);
    // Each scenario is calibrated just before it is measured (the machine's load drifts);
    // calibration never looks at a scenario's own results.
    const predicted = {};
    const old = {};
    const measured = {};
    const calibrations = [];
    for (const s of SCENARIOS) {
      const cal = await calibrate(BASE);
      calibrations.push([s.name, cal]);
      // Loopback: no cache in front; the profile's rows per list are the seed's 50 users.
      const common = {
        items: 50,
        pool_size: 10,
        rps: 1,
        bandwidth_mbps: cal.bandwidth_mbps,
        hit_rate: 0,
        cache_ms: 0,
        query_ms: cal.query_ms,
        connect_ms: cal.connect_ms,
        response_kb: cal.response_kb,
        stringify_us_per_kb: cal.stringify_us_per_kb,
      };
      // The database shares this machine: one core for its queries beside Node's.
      const sets = {
        ...common,
        query_cpu_ms: cal.query_cpu_ms,
        row_us: cal.row_us,
        request_cpu_ms: cal.request_cpu_ms,
        db_cpu_ms: cal.db_cpu_ms,
        connect_cpu_ms: cal.connect_cpu_ms,
        checkout_ms: cal.checkout_ms,
        db_cores: Number(process.env.FIDELITY_DB_CORES || 1),
      };
      // backlens estimates the server's time; autocannon measures at the client, which adds
      // the round trip of a request to the server (measured on GET /health).
      const withRtt = (by) => {
        for (const v of Object.values(by)) {
          v.latency += cal.client_rtt_ms;
          v.after += cal.client_rtt_ms;
        }
        return by;
      };
      const p = withRtt(predictNew(bin, sets));
      const o = process.env.BACKLENS_BEFORE ? withRtt(predictOld(process.env.BACKLENS_BEFORE, common)) : null;
      Object.assign(measured, await measurePair(s.before, s.after));
      for (const r of [s.before, s.after]) {
        predicted[r] = p[r];
        if (o) old[r] = o[r];
      }
      process.stderr.write(`measured ${s.before} and ${s.after}\n`);
    }
    const routes = SCENARIOS.flatMap((s) => [s.before, s.after]);
    console.log('## Calibration (micro-measurements, before each scenario)\n');
    const names = Object.keys(calibrations[0][1]);
    console.log(`| parameter | ${calibrations.map(([n]) => n).join(' | ')} |`);
    console.log(`| --- | ${calibrations.map(() => '---:').join(' | ')} |`);
    for (const k of names) console.log(`| \`${k}\` | ${calibrations.map(([, c]) => fmt(c[k], 3)).join(' | ')} |`);
    console.log('');
    const load = require('node:os').loadavg();
    console.log(`## Measured (autocannon on 127.0.0.1; load average at the end ${load.map((l) => l.toFixed(1)).join(', ')} on ${require('node:os').cpus().length} cores)\n`);
    console.log('| route | queries/request | 1 conn: mean ms / rps | 10 conns: mean ms / rps | 50 conns: mean ms / p99 ms / rps | errors |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const r of routes) {
      const m = measured[r];
      const e = CONNECTIONS.reduce((a, c) => a + m[c].errors, 0);
      console.log(
        `| ${r} | ${fmt(m.queries, 1)} | ${fmt(m[1].latency)} / ${fmt(m[1].rps, 0)} | ${fmt(m[10].latency)} / ${fmt(m[10].rps, 0)} | ${fmt(m[50].latency)} / ${fmt(m[50].p99)} / ${fmt(m[50].rps, 0)} | ${e} |`,
      );
    }
    console.log('');
    if (process.env.BACKLENS_BEFORE) console.log(table('Before the model changes (report tables, no traces)', old, measured) + '\n');
    console.log(table('Static traces (this model)', predicted, measured));
  } finally {
    app.kill();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
