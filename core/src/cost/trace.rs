//! The static trace of an endpoint: what its request path does, priced, before and after the
//! fixes of its findings.
//!
//! [`trace_walk`](super::trace_walk) reads the structure (sequence, `Promise.all`, per-item
//! repeats, cache-hit alternatives, helpers in other files) from the program model and the
//! handlers' syntax. Each operation is priced by the profile:
//!
//! | operation | wall time | database connection held | event loop | database CPU |
//! |---|---|---|---|---|
//! | query returning `r` rows | `query_ms + r·row_us` | `query_ms` | `query_cpu_ms + r·row_us` | `db_cpu_ms` |
//! | cache / HTTP call | `cache_ms` / `http_ms` | — | `query_cpu_ms` (the client's work) | — |
//! | asynchronous file access | [`FS_MS`] | — | — | — |
//! | blocking call (`*Sync`, CPU-bound library) | `latency::blocking_ms` | — | the same (0 once moved off the loop) | — |
//! | new connection (connection-per-request) | `connect_ms` | — | — | `connect_cpu_ms` |
//! | pool checkout | `checkout_ms` | — | — | — |
//! | the response, `kb` of JSON | `stringify + gzip + transfer` | — | `stringify + gzip` | — |
//! | the request itself (parsing, routing) | `request_cpu_ms` | — | `request_cpu_ms` | — |
//! | a package's middleware (`express.json()`, `cors()`) | [`PARSER_MS`] | — | the same | — |
//!
//! `query_ms` is the round trip as Node sees it, so the driver's own CPU (`query_cpu_ms`) is
//! part of it, not added to it. A response weighs the rows its reads returned
//! (`rows · response_kb / items`, at least [`MIN_RESPONSE_KB`]); gzip costs
//! [`GZIP_US_PER_KB`] and leaves `1 − compression_ratio` of the bytes; zlib runs on libuv's
//! threads, but on the few cores of an app server it takes CPU the event loop needs, so it
//! counts as the loop's.
//!
//! Combining: a sequence adds up; parts run together take the longest part, but no less than
//! their database time over the pool (`Σ db / pool_size`) nor their event-loop time (`Σ cpu`:
//! JavaScript runs on one thread) — `Promise.all` of 51 queries over 10 connections is six
//! rounds, not one; a repeat of `n` items is `n` times its body, or, together, that same
//! bound; a cache hit with probability `hit_rate` costs `hit·t_hit + (1−hit)·t_miss`; of
//! alternative branches, the costlier counts.
//!
//! The request's service time is the trace's duration; what saturates first bounds its
//! throughput: `max_rps = min(pool_size · 1000 / db_ms, 1000 / cpu_ms, db_cores · 1000 / db_cpu_ms)`
//! — the pool, the event loop, or the database's processors.
//!
//! **After the fixes** the same trace is rewritten the way the findings' rewrites change the
//! code: a query per item (`n-plus-one-query`) becomes one batched query before the loop,
//! returning all the items' rows; independent awaits (`sequential-awaits`) run together;
//! awaits per item (`await-in-loop`) run together; a new connection per request becomes a
//! pool checkout; a blocking call leaves the event loop; a list without a limit
//! (`unbounded-query`) returns a page; `missing-response-cache` puts a cache lookup in front
//! (hit: the cached response; miss: the whole path plus a cache write); `missing-compression`
//! gzips the response; `slow-json-serialization` serialises `SCHEMA_SPEEDUP` times faster.
//! CPU findings of the algorithm rules add their own model's CPU time before and after.

use super::latency::{FS_MS, PARSER_MS};
use super::serialization::{row_kb, stringify_ms, SCHEMA_SPEEDUP};
use super::trace_walk::{seq, Walk};
use super::transfer::{transfer_ms, PAGE};
use super::Profile;
use crate::analysis::Finding;
use crate::model::{FileId, Program};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The smallest response, KB: headers and a small JSON object.
pub const MIN_RESPONSE_KB: f64 = 0.5;

/// gzip level 6 CPU per KB of JSON: ≈1–5 ms per 100 KB (`transfer.rs`), the middle.
pub const GZIP_US_PER_KB: f64 = 25.0;

/// An endpoint's trace in the JSON contract (`endpoints[].trace`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Trace {
    /// Why the endpoint could not be simulated (its handler was not resolved); then
    /// `before` and `after` are null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unresolved: Option<String>,
    /// Calls on the path whose work is not known (a function passed in, a project module
    /// the analysis does not resolve): the figures leave them out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_calls: Vec<String>,
    pub before: Option<TraceSide>,
    pub after: Option<TraceSide>,
}

/// One request's estimated work, before or after the fixes.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TraceSide {
    /// The request's service time, ms.
    pub duration_ms: f64,
    /// Database round trips per request, repeats included.
    pub queries: f64,
    /// The throughput at which the endpoint saturates, requests/s.
    pub max_rps: f64,
    /// Time a request holds a database connection, ms (the pool's demand).
    pub db_ms: f64,
    /// Time a request holds the event loop, ms.
    pub cpu_ms: f64,
    /// The database's CPU per request, ms.
    #[serde(default)]
    pub db_cpu_ms: f64,
    /// A cache answers `hit_rate` of requests (the spans show the miss).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hit_rate: Option<f64>,
    pub spans: Vec<TraceSpan>,
}

/// One operation of the trace; repeats are collapsed into one span with their count.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TraceSpan {
    /// `request`, `db`, `cache`, `http`, `fs`, `cpu`, `connect`, `respond`.
    pub kind: String,
    /// `Post.findAll`, `axios.get`, `res.json (100 KB)`.
    pub label: String,
    pub file: String,
    pub line: u32,
    /// How many times it runs per request.
    pub count: f64,
    pub start_ms: f64,
    /// All its repeats together, ms.
    pub duration_ms: f64,
}

/// What an operation is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Request,
    Db {
        write: bool,
    },
    Cache,
    Http,
    Fs,
    /// Blocking work of this many ms.
    Cpu(f64),
    /// `new Client()`, `createConnection()`: a connection set-up if connection-per-request
    /// flags it, otherwise nothing.
    MaybeConnect,
    Connect,
    Checkout,
    Respond,
    /// A package's middleware on the request path (`express.json()`, `cors()`): parsing on
    /// the event loop, [`PARSER_MS`].
    Middleware,
    /// A call of a function passed in as a parameter (`fn(...args)` in a wrapper): what runs
    /// there is not known.
    Opaque,
}

#[derive(Clone, Debug)]
pub struct Op {
    pub kind: Kind,
    pub label: String,
    pub file: FileId,
    pub line: u32,
    pub column: u32,
    /// Rows a read returns.
    pub rows: f64,
    /// Started without `await`, its promise kept: runs together with the next deferred ones.
    pub deferred: bool,
    /// Moved off the event loop (after `blocking-call-in-handler`'s fix).
    pub offloaded: bool,
}

/// The structure of a request path.
#[derive(Clone, Debug)]
pub enum Step {
    Op(Op),
    Seq(Vec<Step>),
    Par(Vec<Step>),
    Repeat {
        n: f64,
        parallel: bool,
        body: Box<Step>,
    },
    /// A cache hit (probability `hit_rate`) or the miss.
    Alt {
        hit: Box<Step>,
        miss: Box<Step>,
    },
    /// Branches of which one runs: the costliest counts.
    Choice(Vec<Step>),
}

impl Step {
    pub fn is_empty(&self) -> bool {
        match self {
            Step::Op(_) => false,
            Step::Seq(v) | Step::Par(v) | Step::Choice(v) => v.iter().all(Step::is_empty),
            Step::Repeat { body, n, .. } => *n <= 0.0 || body.is_empty(),
            Step::Alt { hit, miss } => hit.is_empty() && miss.is_empty(),
        }
    }

    fn ops<'s>(&'s self, out: &mut Vec<&'s Op>) {
        match self {
            Step::Op(o) => out.push(o),
            Step::Seq(v) | Step::Par(v) | Step::Choice(v) => v.iter().for_each(|s| s.ops(out)),
            Step::Repeat { body, .. } => body.ops(out),
            Step::Alt { hit, miss } => {
                hit.ops(out);
                miss.ops(out);
            }
        }
    }

    fn any_op(&self, f: &dyn Fn(&Op) -> bool) -> bool {
        let mut ops = Vec::new();
        self.ops(&mut ops);
        ops.into_iter().any(f)
    }
}

/// A step's price.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Cost {
    wall: f64,
    db: f64,
    cpu: f64,
    /// The database's CPU.
    dbcpu: f64,
    queries: f64,
    /// Rows read, for the response's size.
    rows: f64,
}

impl Cost {
    fn add(self, o: Cost) -> Cost {
        Cost {
            wall: self.wall + o.wall,
            db: self.db + o.db,
            cpu: self.cpu + o.cpu,
            dbcpu: self.dbcpu + o.dbcpu,
            queries: self.queries + o.queries,
            rows: self.rows + o.rows,
        }
    }
    fn times(self, n: f64) -> Cost {
        Cost {
            wall: self.wall * n,
            db: self.db * n,
            cpu: self.cpu * n,
            dbcpu: self.dbcpu * n,
            queries: self.queries * n,
            rows: self.rows * n,
        }
    }
    fn mix(self, o: Cost, p: f64) -> Cost {
        self.times(p).add(o.times(1.0 - p))
    }
}

/// Prices steps under a profile; `response_kb` is the response's size for this side.
struct Pricer<'a> {
    profile: &'a Profile,
    /// Counting the rows a full response carries: a cache hit sends the same rows.
    probe: bool,
    response_kb: f64,
    compressed: bool,
    speedup: f64,
}

impl Pricer<'_> {
    fn op(&self, op: &Op) -> Cost {
        let p = self.profile;
        let row_ms = op.rows * p.row_us.value / 1000.0;
        let client = p.query_cpu_ms.value;
        match op.kind {
            Kind::Request => Cost { wall: p.request_cpu_ms.value, cpu: p.request_cpu_ms.value, ..Cost::default() },
            Kind::Db { .. } => Cost {
                wall: p.query_ms.value + row_ms,
                db: p.query_ms.value,
                cpu: client.min(p.query_ms.value) + row_ms,
                dbcpu: p.db_cpu_ms.value,
                queries: 1.0,
                rows: op.rows,
            },
            Kind::Cache => Cost { wall: p.cache_ms.value, cpu: client.min(p.cache_ms.value), ..Cost::default() },
            Kind::Http => Cost { wall: p.http_ms.value, cpu: client.min(p.http_ms.value), ..Cost::default() },
            Kind::Fs => Cost { wall: FS_MS, ..Cost::default() },
            Kind::Cpu(ms) => Cost { wall: ms, cpu: if op.offloaded { 0.0 } else { ms }, ..Cost::default() },
            Kind::MaybeConnect | Kind::Opaque => Cost::default(),
            Kind::Connect => Cost { wall: p.connect_ms.value, dbcpu: p.connect_cpu_ms.value, ..Cost::default() },
            Kind::Checkout => Cost { wall: p.checkout_ms.value, ..Cost::default() },
            Kind::Middleware => Cost { wall: PARSER_MS, cpu: PARSER_MS, ..Cost::default() },
            Kind::Respond => {
                let kb = self.response_kb;
                let json = stringify_ms(kb, p.stringify_us_per_kb.value) / self.speedup;
                // The compression middleware leaves responses under 1 KB alone (its threshold).
                let (gzip, sent) = if self.compressed && kb >= 1.0 {
                    (kb * GZIP_US_PER_KB / 1000.0, kb * (1.0 - p.compression_ratio.value))
                } else {
                    (0.0, kb)
                };
                Cost {
                    wall: json + gzip + transfer_ms(sent, p.bandwidth_mbps.value),
                    cpu: json + gzip,
                    ..Cost::default()
                }
            }
        }
    }

    /// Parts run together: the longest, bounded below by the pool and the event loop.
    fn together(&self, parts: Cost, longest: f64) -> Cost {
        let pool = self.profile.pool_size.value.max(1.0);
        Cost { wall: longest.max(parts.db / pool).max(parts.cpu), ..parts }
    }

    fn cost(&self, s: &Step) -> Cost {
        match s {
            Step::Op(op) => self.op(op),
            Step::Seq(v) => v.iter().fold(Cost::default(), |a, s| a.add(self.cost(s))),
            Step::Par(v) => {
                let costs: Vec<Cost> = v.iter().map(|s| self.cost(s)).collect();
                let longest = costs.iter().map(|c| c.wall).fold(0.0, f64::max);
                self.together(costs.into_iter().fold(Cost::default(), Cost::add), longest)
            }
            Step::Repeat { n, parallel, body } => {
                let one = self.cost(body);
                if *parallel {
                    self.together(one.times(*n), one.wall)
                } else {
                    one.times(*n)
                }
            }
            Step::Alt { .. } if self.probe => match s {
                Step::Alt { miss, .. } => self.cost(miss),
                _ => Cost::default(),
            },
            Step::Alt { hit, miss } => self.cost(hit).mix(self.cost(miss), self.profile.hit_rate.value.clamp(0.0, 1.0)),
            Step::Choice(v) => {
                v.iter().map(|s| self.cost(s)).fold(Cost::default(), |a, c| if c.wall > a.wall { c } else { a })
            }
        }
    }

    /// Lays the spans out on a time axis: `scale` stretches a repeated body to the repeat's
    /// duration, `count` is how many times it runs.
    fn layout(&self, program: &Program, s: &Step, start: f64, count: f64, scale: f64, out: &mut Vec<TraceSpan>) {
        match s {
            Step::Op(op) => {
                if matches!(op.kind, Kind::MaybeConnect | Kind::Opaque) {
                    return;
                }
                let c = self.op(op);
                let label = match op.kind {
                    Kind::Respond => {
                        format!("{} ({} KB)", op.label, super::fmt_num((self.response_kb * 10.0).round() / 10.0))
                    }
                    _ => op.label.clone(),
                };
                out.push(TraceSpan {
                    kind: kind_name(op.kind).into(),
                    label,
                    file: program.file(op.file).path.clone(),
                    line: op.line,
                    count,
                    start_ms: round(start),
                    duration_ms: round(c.wall * scale),
                });
            }
            Step::Seq(v) => {
                let mut t = start;
                for s in v {
                    self.layout(program, s, t, count, scale, out);
                    t += self.cost(s).wall * scale;
                }
            }
            Step::Par(v) => v.iter().for_each(|s| self.layout(program, s, start, count, scale, out)),
            Step::Repeat { n, body, .. } => {
                let (whole, one) = (self.cost(s).wall, self.cost(body).wall);
                let stretch = if one > 0.0 { whole / one } else { *n };
                self.layout(program, body, start, count * n, scale * stretch, out);
            }
            Step::Alt { miss, .. } => self.layout(program, miss, start, count, scale, out),
            Step::Choice(v) => {
                if let Some(best) = v.iter().max_by(|a, b| self.cost(a).wall.total_cmp(&self.cost(b).wall)) {
                    self.layout(program, best, start, count, scale, out);
                }
            }
        }
    }
}

fn round(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Request => "request",
        Kind::Db { .. } => "db",
        Kind::Cache => "cache",
        Kind::Http => "http",
        Kind::Fs => "fs",
        Kind::Cpu(_) => "cpu",
        Kind::MaybeConnect | Kind::Connect | Kind::Checkout => "connect",
        Kind::Respond => "respond",
        Kind::Middleware => "middleware",
        Kind::Opaque => "unknown",
    }
}

/// The findings' rewrites, by where they are.
struct Fixes<'f> {
    /// Rules by (path, line, column) and by (path, line).
    at: HashMap<(&'f str, u32, u32), Vec<&'static str>>,
    on_line: HashMap<(&'f str, u32), Vec<&'static str>>,
    /// `sequential-awaits` groups: (path, first line, last line).
    groups: Vec<(&'f str, u32, u32)>,
    compression: bool,
}

impl<'f> Fixes<'f> {
    fn new(findings: &'f [Finding]) -> Fixes<'f> {
        let mut fx = Fixes { at: HashMap::new(), on_line: HashMap::new(), groups: Vec::new(), compression: false };
        for f in findings {
            fx.at.entry((f.file.as_str(), f.line, f.column)).or_default().push(f.rule);
            fx.on_line.entry((f.file.as_str(), f.line)).or_default().push(f.rule);
            match f.rule {
                "sequential-awaits" => fx.groups.push((f.file.as_str(), f.line, f.end_line)),
                "missing-compression" => fx.compression = true,
                _ => {}
            }
        }
        fx
    }

    fn flags(&self, program: &Program, op: &Op, rule: &str) -> bool {
        let path = program.file(op.file).path.as_str();
        match self.at.get(&(path, op.line, op.column)) {
            Some(rules) => rules.contains(&rule),
            None => self.on_line.get(&(path, op.line)).is_some_and(|r| r.contains(&rule)),
        }
    }

    fn in_group(&self, program: &Program, s: &Step) -> Option<usize> {
        let mut ops = Vec::new();
        s.ops(&mut ops);
        let first = ops.first()?;
        let path = program.file(first.file).path.as_str();
        self.groups.iter().position(|(p, lo, hi)| {
            ops.iter().all(|o| program.file(o.file).path == *p && *p == path && (*lo..=*hi).contains(&o.line))
        })
    }
}

/// Resolves what only a finding can say (a constructor is a connection set-up).
fn prepare(program: &Program, s: Step, fx: &Fixes) -> Step {
    map_ops(s, &|op| {
        if op.kind == Kind::MaybeConnect {
            if !fx.flags(program, &op, "connection-per-request") {
                return None;
            }
            return Some(Op { kind: Kind::Connect, label: format!("connect ({})", op.label), ..op });
        }
        Some(op)
    })
}

fn map_ops(s: Step, f: &dyn Fn(Op) -> Option<Op>) -> Step {
    match s {
        Step::Op(op) => f(op).map(Step::Op).unwrap_or(Step::Seq(Vec::new())),
        Step::Seq(v) => seq(v.into_iter().map(|s| map_ops(s, f)).collect()),
        Step::Par(v) => Step::Par(v.into_iter().map(|s| map_ops(s, f)).filter(|s| !s.is_empty()).collect()),
        Step::Choice(v) => Step::Choice(v.into_iter().map(|s| map_ops(s, f)).collect()),
        Step::Repeat { n, parallel, body } => Step::Repeat { n, parallel, body: Box::new(map_ops(*body, f)) },
        Step::Alt { hit, miss } => Step::Alt { hit: Box::new(map_ops(*hit, f)), miss: Box::new(map_ops(*miss, f)) },
    }
}

/// Takes the ops `pick` selects out of `s` (not inside nested repeats), returns them and what is left.
fn extract(s: Step, pick: &dyn Fn(&Op) -> bool, out: &mut Vec<Op>) -> Step {
    match s {
        Step::Op(op) if pick(&op) => {
            out.push(op);
            Step::Seq(Vec::new())
        }
        Step::Seq(v) => seq(v.into_iter().map(|s| extract(s, pick, out)).collect()),
        Step::Par(v) => Step::Par(v.into_iter().map(|s| extract(s, pick, out)).filter(|s| !s.is_empty()).collect()),
        Step::Choice(v) => Step::Choice(v.into_iter().map(|s| extract(s, pick, out)).collect()),
        Step::Alt { hit, miss } => {
            Step::Alt { hit: Box::new(extract(*hit, pick, out)), miss: Box::new(extract(*miss, pick, out)) }
        }
        other => other,
    }
}

/// The trace after the fixes: each finding's rewrite applied to the structure.
fn fix(program: &Program, s: Step, fx: &Fixes) -> Step {
    match s {
        Step::Op(op) => Step::Op(fix_op(program, op, fx)),
        Step::Seq(v) => {
            let v: Vec<Step> = v.into_iter().map(|s| fix(program, s, fx)).collect();
            group(program, v, fx)
        }
        Step::Par(v) => Step::Par(v.into_iter().map(|s| fix(program, s, fx)).collect()),
        Step::Choice(v) => Step::Choice(v.into_iter().map(|s| fix(program, s, fx)).collect()),
        Step::Alt { hit, miss } => {
            Step::Alt { hit: Box::new(fix(program, *hit, fx)), miss: Box::new(fix(program, *miss, fx)) }
        }
        Step::Repeat { n, parallel, body } => {
            let body = fix(program, *body, fx);
            let mut batched = Vec::new();
            let rest = extract(
                body,
                &|op| matches!(op.kind, Kind::Db { .. }) && fx.flags(program, op, "n-plus-one-query"),
                &mut batched,
            );
            let parallel = parallel || rest.any_op(&|op| fx.flags(program, op, "await-in-loop"));
            let mut out: Vec<Step> = batched
                .into_iter()
                .map(|op| {
                    let rows = if matches!(op.kind, Kind::Db { write: true }) { 0.0 } else { n * op.rows.max(1.0) };
                    Step::Op(Op { rows, label: format!("{} (batched)", op.label), ..op })
                })
                .collect();
            if !rest.is_empty() {
                out.push(Step::Repeat { n, parallel, body: Box::new(rest) });
            }
            seq(out)
        }
    }
}

fn fix_op(program: &Program, mut op: Op, fx: &Fixes) -> Op {
    match op.kind {
        Kind::Connect => {
            op.kind = Kind::Checkout;
            op.label = "pool checkout".into();
        }
        Kind::Cpu(_) if fx.flags(program, &op, "blocking-call-in-handler") => op.offloaded = true,
        Kind::Db { write: false } if fx.flags(program, &op, "unbounded-query") => op.rows = op.rows.min(PAGE),
        _ => {}
    }
    op
}

/// Runs of a sequence that a `sequential-awaits` finding covers run together.
fn group(program: &Program, v: Vec<Step>, fx: &Fixes) -> Step {
    let mut out: Vec<Step> = Vec::new();
    let mut run: Vec<Step> = Vec::new();
    let mut run_group = None;
    let flush = |run: &mut Vec<Step>, out: &mut Vec<Step>| {
        if run.len() > 1 {
            out.push(Step::Par(std::mem::take(run)));
        } else {
            out.append(run);
        }
    };
    for s in v {
        let g = fx.in_group(program, &s);
        if g.is_some() && g == run_group {
            run.push(s);
            continue;
        }
        flush(&mut run, &mut out);
        run_group = g;
        if g.is_some() {
            run.push(s);
        } else {
            out.push(s);
        }
    }
    flush(&mut run, &mut out);
    seq(out)
}

/// Algorithm findings' CPU time on an endpoint, before or after: extra CPU spans.
const CPU_RULES: &[&str] = &[
    "quadratic-lookup",
    "top-k-full-sort",
    "sort-in-loop",
    "accumulating-spread",
    "json-deep-clone",
    "memoization-candidate",
    "cpu-heavy-handler",
];

fn cpu_findings(program: &Program, findings: &[&Finding], after: bool) -> Vec<Step> {
    findings
        .iter()
        .filter(|f| CPU_RULES.contains(&f.rule))
        .filter_map(|f| {
            let metrics = if after { &f.estimate.after } else { &f.estimate.before };
            let ms: f64 =
                metrics.iter().filter(|m| matches!(m.name, "cpu_time" | "event_loop_blocked")).map(|m| m.value).sum();
            let file = program.files.iter().position(|p| p.path == f.file)?;
            (ms > 0.0).then(|| {
                Step::Op(Op {
                    kind: Kind::Cpu(ms),
                    label: f.rule.to_string(),
                    file,
                    line: f.line,
                    column: f.column,
                    rows: 0.0,
                    deferred: false,
                    offloaded: false,
                })
            })
        })
        .collect()
}

/// The traces of every route of `program`, in the order of `Program::endpoints`.
pub fn traces(program: &Program, findings: &[Finding], profile: &Profile) -> Vec<Trace> {
    let mut walk = Walk::new(program, profile.items.value.max(0.0));
    let mut mounts = super::trace_middleware::Mounts::new(program);
    let fx = Fixes::new(findings);
    // The findings on each endpoint, in the findings' order.
    let mut by_endpoint: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in findings {
        if let Some(e) = f.endpoint.as_deref() {
            by_endpoint.entry(e).or_default().push(f);
        }
    }
    program
        .routes
        .iter()
        .map(|route| {
            let Some(handler) = route.handler else {
                return Trace {
                    unresolved: Some(
                        "the route's handler could not be resolved to a function in the analysed code".into(),
                    ),
                    unknown_calls: Vec::new(),
                    before: None,
                    after: None,
                };
            };
            let label = route.label();
            let on: &[&Finding] = by_endpoint.get(label.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            let file = route.file;
            let (line, column) = program.file(file).position(route.span.lo);
            let at = |kind: Kind, label: &str| Op {
                kind,
                label: label.into(),
                file,
                line,
                column,
                rows: 0.0,
                deferred: false,
                offloaded: false,
            };
            // The middleware on its path (`trace_middleware`), then the handler.
            let middleware = super::trace_middleware::steps(program, &mut walk, &mut mounts, route);
            let body = prepare(program, seq(vec![middleware, walk.function(handler)]), &fx);
            // A handler that only hands the request to a function passed in (a wrapper such
            // as `asyncHandler(fn)`) does what that function does, which is not known here.
            let io = body.any_op(&|o| !matches!(o.kind, Kind::Opaque | Kind::Respond | Kind::MaybeConnect));
            let mut opaque = Vec::new();
            body.ops(&mut opaque);
            let mut unknown_calls: Vec<String> = opaque
                .iter()
                .filter(|o| o.kind == Kind::Opaque)
                .map(|o| format!("{} ({}:{})", o.label, program.file(o.file).path, o.line))
                .collect();
            unknown_calls.dedup();
            if !io && !unknown_calls.is_empty() {
                return Trace {
                    unresolved: Some(format!(
                        "the request path makes no call the analysis can price, and {} it does not resolve: {}",
                        if unknown_calls.len() == 1 {
                            "one call".to_string()
                        } else {
                            format!("{} calls", unknown_calls.len())
                        },
                        unknown_calls.join(", ")
                    )),
                    unknown_calls,
                    before: None,
                    after: None,
                };
            }
            let respond = if body.any_op(&|o| o.kind == Kind::Respond) {
                Step::Seq(Vec::new())
            } else {
                Step::Op(at(Kind::Respond, "response"))
            };
            let request = Step::Op(at(Kind::Request, "request (parsing, routing)"));
            let mut before_steps = vec![request.clone(), body.clone(), respond.clone()];
            before_steps.extend(cpu_findings(program, &on, false));
            let before = seq(before_steps);
            let mut after_body = fix(program, body, &fx);
            let cached = on.iter().any(|f| f.rule == "missing-response-cache");
            if cached {
                let get = Step::Op(at(Kind::Cache, "cache.get"));
                let set = Step::Op(at(Kind::Cache, "cache.set"));
                let hit = Step::Op(at(Kind::Respond, "cached response"));
                after_body = Step::Alt {
                    hit: Box::new(seq(vec![get.clone(), hit])),
                    miss: Box::new(seq(vec![get, after_body, set])),
                };
            }
            let mut after_steps = vec![request, after_body, respond];
            after_steps.extend(cpu_findings(program, &on, true));
            let after = seq(after_steps);
            let speedup = if on.iter().any(|f| f.rule == "slow-json-serialization") { SCHEMA_SPEEDUP } else { 1.0 };
            Trace {
                unresolved: None,
                unknown_calls,
                before: Some(side(program, &before, profile, false, 1.0, None)),
                after: Some(side(
                    program,
                    &after,
                    profile,
                    fx.compression,
                    speedup,
                    cached.then_some(profile.hit_rate.value),
                )),
            }
        })
        .collect()
}

fn side(
    program: &Program,
    s: &Step,
    profile: &Profile,
    compressed: bool,
    speedup: f64,
    hit_rate: Option<f64>,
) -> TraceSide {
    // The response's size from the rows read (priced once without it to count them).
    let probe = Pricer { profile, probe: true, response_kb: 0.0, compressed, speedup };
    let rows = probe.cost(s).rows;
    let response_kb = (rows * row_kb(profile)).max(MIN_RESPONSE_KB);
    let pricer = Pricer { profile, probe: false, response_kb, compressed, speedup };
    let c = pricer.cost(s);
    let mut spans = Vec::new();
    pricer.layout(program, s, 0.0, 1.0, 1.0, &mut spans);
    TraceSide {
        duration_ms: round(c.wall),
        queries: round(c.queries),
        max_rps: round(max_rps(c.db, c.cpu, profile.pool_size.value).min(if c.dbcpu > 0.0 {
            profile.db_cores.value.max(1.0) * 1000.0 / c.dbcpu
        } else {
            f64::INFINITY
        })),
        db_ms: round(c.db),
        cpu_ms: round(c.cpu),
        db_cpu_ms: round(c.dbcpu),
        hit_rate,
        spans,
    }
}

/// Requests per second at which the pool or the event loop is busy all the time.
pub fn max_rps(db_ms: f64, cpu_ms: f64, pool_size: f64) -> f64 {
    let pool = if db_ms > 0.0 { pool_size.max(1.0) * 1000.0 / db_ms } else { f64::INFINITY };
    let lp = if cpu_ms > 0.0 { 1000.0 / cpu_ms } else { f64::INFINITY };
    let m = pool.min(lp);
    if m.is_finite() {
        m
    } else {
        1.0e9
    }
}
