// Micro-measurements that calibrate backlens for scripts/fidelity.sh — never the scenarios'
// own results: a trivial query's round trip and its CPU in the driver, a connection's set-up,
// the driver's CPU per row, JSON.stringify's CPU per KB, the size of the list response, and
// the CPU of a request that does nothing (GET /health).
const { Pool, Client } = require('pg');
const fs = require('node:fs');
const http = require('node:http');
const autocannon = require('autocannon');

/** CPU time a process has run, ms (`/proc/PID/schedstat`, nanoseconds). */
function processCpuMs(pid) {
  return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

/** CPU time of a process's exited and reaped children, ms (`/proc/PID/stat` cutime + cstime). */
function childrenCpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields from the third on: cutime and cstime are fields 16 and 17 of stat(5).
  const ticks = Number(fields[13]) + Number(fields[14]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

function parentOf(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

const config = {
  host: '127.0.0.1',
  port: Number(process.env.PGPORT || 5432),
  user: 'backlens',
  password: 'backlens',
  database: 'backlens_fidelity',
};

function cpuMs(start) {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

async function calibrate(base) {
  const pool = new Pool({ ...config, max: 1 });
  for (let i = 0; i < 300; i++) await pool.query('SELECT 1');
  const backend = (await pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const postmaster = parentOf(backend);
  const n = 5000;
  let cpu = process.cpuUsage();
  const dbCpu = processCpuMs(backend);
  let t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await pool.query('SELECT 1');
  const query_ms = Number(process.hrtime.bigint() - t) / 1e6 / n;
  const query_cpu_ms = cpuMs(cpu) / n;
  const db_cpu_ms = (processCpuMs(backend) - dbCpu) / n;

  const list = 'SELECT id, user_id, title, body FROM posts ORDER BY id LIMIT 50';
  for (let i = 0; i < 50; i++) await pool.query(list);
  const m = 400;
  cpu = process.cpuUsage();
  let rows = [];
  for (let i = 0; i < m; i++) rows = (await pool.query(list)).rows;
  const row_us = Math.max(0, (cpuMs(cpu) / m - query_cpu_ms) / rows.length) * 1000;

  const k = 500;
  let text = '';
  cpu = process.cpuUsage();
  for (let i = 0; i < k; i++) text = JSON.stringify(rows);
  const stringify_us_per_kb = (cpuMs(cpu) / k / (Buffer.byteLength(text) / 1000)) * 1000;

  // Taking an idle connection from the pool and giving it back (what a pooled request pays
  // instead of a connection's set-up).
  const h = 2000;
  t = process.hrtime.bigint();
  for (let i = 0; i < h; i++) (await pool.connect()).release();
  const checkout_ms = Number(process.hrtime.bigint() - t) / 1e6 / h;
  await pool.end();

  const c = 60;
  const reaped = childrenCpuMs(postmaster);
  t = process.hrtime.bigint();
  for (let i = 0; i < c; i++) {
    const client = new Client(config);
    await client.connect();
    await client.end();
  }
  const connect_ms = Number(process.hrtime.bigint() - t) / 1e6 / c;
  await new Promise((r) => setTimeout(r, 200)); // the postmaster reaps the last backends
  const connect_cpu_ms = (childrenCpuMs(postmaster) - reaped) / c;

  const res = await fetch(`${base}/large`);
  const response_kb = (await res.arrayBuffer()).byteLength / 1000;

  // What a large response costs to send and receive on this machine: a plain HTTP server
  // answering 1 KB and 500 KB bodies, one request at a time; the difference per KB is the
  // effective bandwidth (on a loaded loopback it is CPU, not the wire).
  const server = http.createServer((req, res) => res.end(req.url === '/big' ? big : small));
  const big = Buffer.alloc(500_000, 'x');
  const small = Buffer.alloc(1_000, 'x');
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const raw = `http://127.0.0.1:${server.address().port}`;
  const timed = async (u) => 2000 / (await autocannon({ url: u, connections: 1, duration: 2 })).requests.total;
  await timed(`${raw}/big`);
  const [tBig, tSmall] = [await timed(`${raw}/big`), await timed(`${raw}/small`)];
  server.close();
  const bandwidth_mbps = (499 * 8) / Math.max(tBig - tSmall, 0.01); // kbit per ms = Mbit/s

  // A request that does nothing, on one core: its CPU is what bounds its throughput.
  await autocannon({ url: `${base}/health`, connections: 10, duration: 1 });
  const health = await autocannon({ url: `${base}/health`, connections: 10, duration: 3 });
  const request_cpu_ms = 1000 / health.requests.average;
  // The same request alone: the client's round trip to the server (what a client-side
  // latency adds to the server's own time).
  const alone = await autocannon({ url: `${base}/health`, connections: 1, duration: 2 });
  const client_rtt_ms = Math.max(0, 2000 / alone.requests.total - request_cpu_ms);

  return {
    query_ms,
    query_cpu_ms,
    db_cpu_ms,
    row_us,
    stringify_us_per_kb,
    connect_ms,
    checkout_ms,
    connect_cpu_ms,
    response_kb,
    request_cpu_ms,
    bandwidth_mbps,
    client_rtt_ms,
  };
}

module.exports = { calibrate, config };
