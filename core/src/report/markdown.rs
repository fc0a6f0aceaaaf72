//! The "Backend Optimization Report", in the structure of the seed's Output Format.
//!
//! Every figure comes from the findings' estimates; every piece of the user's code goes into
//! a fenced block whose fence is longer than any backtick run inside it, and every other piece
//! of user-derived text (route paths, names, file paths, messages quoting code, reasons) goes
//! through `escape` (`text`, `inline`), so user code can never change the document's
//! structure or become HTML, whatever renders it.

use crate::analysis::{Analysis, Finding, Metric};
use crate::cost::trace::TraceSide;
use crate::cost::{fmt_num, queueing, Profile};
use crate::params::{Params, Severity};
use super::escape::{cell_code, code, fenced, inline, text};
use crate::rules;
use std::fmt::Write;

/// What the report needs that the analysis does not know.
#[derive(Clone, Debug, Default)]
pub struct ReportContext {
    /// What was analysed, for the title: a project name, a path, or "pasted code".
    pub title: String,
    /// The report's date, `YYYY-MM-DD` (core has no clock).
    pub date: String,
    /// The project's `package.json`, when known: framework versions and `engines.node`.
    pub package_json: Option<String>,
}

/// What a `package.json` says about the backend: dependency versions and the Node.js range.
struct Package {
    dependencies: Vec<(String, String)>,
    node: Option<String>,
}

impl Package {
    fn parse(text: &str) -> Option<Package> {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let mut dependencies = Vec::new();
        for section in ["dependencies", "devDependencies", "peerDependencies"] {
            if let Some(map) = v.get(section).and_then(|d| d.as_object()) {
                for (name, version) in map {
                    if let Some(version) = version.as_str() {
                        dependencies.push((name.clone(), version.to_string()));
                    }
                }
            }
        }
        let node = v.get("engines").and_then(|e| e.get("node")).and_then(|n| n.as_str()).map(str::to_string);
        Some(Package { dependencies, node })
    }

    /// The declared version of a framework, by its package names.
    fn version_of(&self, framework: &str) -> Option<&str> {
        let packages: &[&str] = match framework {
            "express" => &["express"],
            "fastify" => &["fastify"],
            "koa" => &["koa"],
            "nestjs" => &["@nestjs/core", "@nestjs/common"],
            "hapi" => &["@hapi/hapi", "hapi"],
            _ => &[],
        };
        packages.iter().find_map(|p| self.dependencies.iter().find(|(n, _)| n == p).map(|(_, v)| v.as_str()))
    }
}

fn framework_name(id: &str) -> &str {
    match id {
        "express" => "Express",
        "fastify" => "Fastify",
        "koa" => "Koa",
        "nestjs" => "NestJS",
        "hapi" => "hapi",
        other => other,
    }
}

/// Which rules are off by default and why, and which of them this report ran by name.
fn rules_run(out: &mut String, params: &Params) {
    let off: Vec<_> = crate::rules::catalog()
        .into_iter()
        .filter_map(|m| crate::rules::off_by_default(m.id).map(|why| (m, why)))
        .collect();
    if off.is_empty() {
        return;
    }
    out.push_str("## Rules Off by Default\n\nThese rules did not reach 80 % precision in a blind review on code nobody here tuned for; they run only by name (`--rules`) or when their category is the target.\n\n| Rule | Why | In this report |\n| --- | --- | --- |\n");
    for (m, why) in off {
        let ran = if params.runs_rule(m.id, m.category) { "run" } else { "not run" };
        let _ = writeln!(out, "| {} | {} | {ran} |", code(m.id), inline(&why, true));
    }
    out.push('\n');
}

/// How far to trust this report's findings: the blind precision of each rule that reported
/// here and is under the 80 % bar (`rules::BLIND_REVIEW`), so that a reader weighs them.
fn rule_precision(out: &mut String, analysis: &Analysis) {
    let mut rows: Vec<(&str, u32, u32, usize)> = Vec::new();
    for m in crate::rules::catalog() {
        let here = analysis.findings.iter().filter(|f| f.rule == m.id).count();
        match crate::rules::blind_precision(m.id) {
            Some((p, n)) if here > 0 && p < crate::rules::DEFAULT_BAR => rows.push((m.id, p, n, here)),
            _ => {}
        }
    }
    if rows.is_empty() {
        return;
    }
    out.push_str("## Rule Precision on Unseen Code

In a blind review of their findings on open-source backends nobody here tuned for, these rules were right (the defect is there, worth fixing or minor) less often than 80 % of the time: read their findings with that in mind (docs/evaluation.md).

| Rule | Findings here | Blind precision | Reviewed findings |
| --- | --- | --- | --- |
");
    for (id, p, n, here) in rows {
        let _ = writeln!(out, "| {} | {here} | {p} % | {n} |", code(id));
    }
    out.push('\n');
}

/// How many rows a coverage table lists before it says how many more the JSON holds.
const COVERAGE_ROWS: usize = 20;

/// "What backlens Could Not See": the model's coverage, so that finding nothing is never read
/// as nothing to find. Lists are cut at [`COVERAGE_ROWS`] with the count of the rest.
fn coverage_section(out: &mut String, c: &crate::analysis::Coverage) {
    out.push_str("## What backlens Could Not See\n\n");
    let _ = writeln!(out, "Coverage: {}.\n", text(&c.summary()));
    let more = |out: &mut String, shown: usize, all: usize| {
        if all > shown {
            let _ = writeln!(out, "\n… and {} more (all are in `--format json`, `coverage`).\n", all - shown);
        } else {
            out.push('\n');
        }
    };
    if !c.unresolved_handlers.is_empty() {
        out.push_str("### Route handlers not resolved to a function body\n\nTheir request paths are not analysed: a problem there is not reported.\n\n| Endpoint | Location | Why |\n| --- | --- | --- |\n");
        for u in c.unresolved_handlers.iter().take(COVERAGE_ROWS) {
            let _ = writeln!(out, "| {} | {}:{} | {} |", text(&u.endpoint), text(&u.file), u.line, inline(&u.reason, true));
        }
        more(out, COVERAGE_ROWS.min(c.unresolved_handlers.len()), c.unresolved_handlers.len());
    }
    if c.unclassified_calls > 0 {
        out.push_str("### Awaited calls not understood\n\nOn a request path, reaching no library backlens classifies and no function it can follow: I/O there is not seen.\n\n| Call | Location |\n| --- | --- |\n");
        for u in c.unclassified.iter().take(COVERAGE_ROWS) {
            let _ = writeln!(out, "| {} | {}:{} |", cell_code(&u.call), text(&u.file), u.line);
        }
        more(out, COVERAGE_ROWS.min(c.unclassified.len()), c.unclassified_calls);
    }
    if c.one_off_files > 0 {
        let _ = writeln!(
            out,
            "### Code that runs once\n\n{} analysed file{} sit in migration, seed, script or set-up folders: they run once per deployment, not per request, so the per-request rules report nothing there.\n",
            c.one_off_files,
            if c.one_off_files == 1 { "" } else { "s" }
        );
    }
    if c.background_jobs + c.background_files > 0 {
        let _ = writeln!(
            out,
            "### Background jobs\n\n{} background job{} (scheduler or queue callbacks: `agenda.define`, `queue.process`, `cron.schedule`, `setInterval`, `@Cron()`) and {} file{} in job folders (`jobs/`, `queues/`, `workers/`, `processors/`, …): what only they run is no request path, so the per-request rules report nothing there.\n",
            c.background_jobs,
            if c.background_jobs == 1 { "" } else { "s" },
            c.background_files,
            if c.background_files == 1 { "" } else { "s" }
        );
    }
    if !c.rules_not_run.is_empty() {
        let names: Vec<String> = c.rules_not_run.iter().map(|r| code(r)).collect();
        let _ = writeln!(
            out,
            "### Rules not run\n\nOff by default (blind precision under 80 %, see \"Rules Off by Default\"), so what they would find is not above: {}. `--rules all` (or `rules:\"all\"`, or a target naming their category) runs them.\n",
            names.join(", ")
        );
    }
    if !c.files_skipped.is_empty() {
        out.push_str("### Files skipped\n\nRead, but not analysed as the server.\n\n| File | Why |\n| --- | --- |\n");
        for f in c.files_skipped.iter().take(COVERAGE_ROWS) {
            let _ = writeln!(out, "| {} | {} |", text(&f.path), inline(&f.reason, true));
        }
        more(out, COVERAGE_ROWS.min(c.files_skipped.len()), c.files_skipped.len());
    }
}

fn metric<'f>(metrics: &'f [Metric], name: &str) -> Option<&'f Metric> {
    metrics.iter().find(|m| m.name == name)
}

fn lang_of(path: &str) -> &'static str {
    if path.ends_with(".ts") || path.ends_with(".tsx") || path.ends_with(".mts") || path.ends_with(".cts") {
        "typescript"
    } else {
        "javascript"
    }
}

/// A finding's title as Markdown: the rule's summary, and the endpoint it is on as code (a
/// route is code, and a heading that ends with a user's `;` or `.` stays lint-clean).
fn title_of(f: &Finding) -> String {
    let what = rules::catalog().into_iter().find(|m| m.id == f.rule).map(|m| m.summary).unwrap_or(f.rule);
    match &f.endpoint {
        Some(e) => format!("{} in {}", inline(what, false), code(e)),
        None => inline(what, false),
    }
}

/// What a kind of fix costs, for the report's "Trade-offs and Considerations".
struct TradeOff {
    rules: &'static [&'static str],
    title: &'static str,
    benefit: &'static str,
    trade_off: &'static str,
    mitigation: &'static str,
}

const TRADE_OFFS: &[TradeOff] = &[
    TradeOff {
        rules: &["n-plus-one-query", "unbounded-query"],
        title: "Batching, eager loading and pagination",
        benefit: "a constant number of queries per request instead of one per item, and responses of a bounded size.",
        trade_off: "one larger result held in memory; a JOIN repeats the parent's columns per child row; clients must page.",
        mitigation: "select only the columns you need and keep lists paginated.",
    },
    TradeOff {
        rules: &["sequential-awaits", "await-in-loop", "unbounded-parallelism"],
        title: "Running independent work together",
        benefit: "a request waits for the slowest operation instead of the sum of them.",
        trade_off: "more operations in flight at once: more connections, sockets and load on the services called.",
        mitigation: "bound the concurrency (p-limit, a pool's size) and keep ordered or transactional work sequential.",
    },
    TradeOff {
        rules: &["missing-response-cache", "cache-without-invalidation", "unbounded-memory-cache"],
        title: "Caching Strategy",
        benefit: "most reads never reach the database.",
        trade_off: "cache invalidation complexity and eventual consistency; memory for the cached values.",
        mitigation: "a TTL that the data can tolerate, deleting keys on every write, and a size bound.",
    },
    TradeOff {
        rules: &["missing-compression"],
        title: "Response Compression",
        benefit: "JSON shrinks to about a fifth on the wire.",
        trade_off: "a few milliseconds of CPU per large response.",
        mitigation: "compress only above a threshold (1 KB) and let a proxy or CDN compress static files.",
    },
    TradeOff {
        rules: &["quadratic-lookup", "top-k-full-sort", "sort-in-loop", "accumulating-spread", "json-deep-clone", "memoization-candidate"],
        title: "Algorithm Optimization",
        benefit: "work that grows linearly (or by n log k) with the data instead of quadratically.",
        trade_off: "an index (Map, Set, memo table) costs memory for the life of the computation.",
        mitigation: "build indexes per request, not globally, and bound memo tables.",
    },
    TradeOff {
        rules: &["blocking-call-in-handler", "cpu-heavy-handler"],
        title: "Keeping the event loop free",
        benefit: "one slow request no longer stalls every other request of the process.",
        trade_off: "libuv's thread pool (4 threads by default) and worker threads are shared and can queue; workers add start-up and messaging cost.",
        mitigation: "size UV_THREADPOOL_SIZE or a worker pool for the load, and move only the heavy work off the loop.",
    },
    TradeOff {
        rules: &["missing-rate-limit"],
        title: "Rate Limiting",
        benefit: "one client cannot exhaust the server or the database.",
        trade_off: "legitimate bursts are rejected; per-process counters are not shared across instances.",
        mitigation: "limit by user or API key where possible and keep the counters in a shared store (Redis).",
    },
    TradeOff {
        rules: &["connection-per-request"],
        title: "Connection Pooling",
        benefit: "a pool checkout (≈0.5 ms) instead of a new connection per request.",
        trade_off: "every process holds its pool's connections open.",
        mitigation: "size the pool so that processes × pool size stays under the database's connection limit.",
    },
    TradeOff {
        rules: &["global-heavy-middleware", "slow-json-serialization"],
        title: "A lighter request path",
        benefit: "light routes skip parsing, sessions and generic serialisation.",
        trade_off: "middleware scoped per router and response schemas are more code to keep in sync.",
        mitigation: "group routes by what they need, and generate schemas from the types you already have.",
    },
];

/// The seed's "Monitoring Recommendations" and "Alerts to Configure", for what was found.
fn monitoring(out: &mut String, analysis: &Analysis, profile: &Profile) {
    let has = |rules: &[&str]| analysis.findings.iter().any(|f| rules.contains(&f.rule));
    out.push_str("## Monitoring Recommendations\n\n**Key Metrics to Track**:\n\n");
    out.push_str("**1. Response times** per endpoint (p50, p95, p99), to confirm the estimates above:\n\n");
    let framework = analysis.framework.as_deref().unwrap_or("express");
    let snippet = match framework {
        "fastify" => "fastify.addHook('onResponse', async (request, reply) => {\n  metrics.histogram('response_time', reply.elapsedTime, {\n    route: request.routeOptions.url,\n    method: request.method,\n    status: reply.statusCode,\n  });\n});",
        "hapi" => "server.events.on('response', (request) => {\n  const duration = Date.now() - request.info.received;\n  metrics.histogram('response_time', duration, {\n    route: request.route.path,\n    method: request.method,\n    status: request.response.statusCode,\n  });\n});",
        "koa" => "app.use(async (ctx, next) => {\n  const start = Date.now();\n  await next();\n  metrics.histogram('response_time', Date.now() - start, {\n    route: ctx._matchedRoute,\n    method: ctx.method,\n    status: ctx.status,\n  });\n});",
        _ => "app.use((req, res, next) => {\n  const start = Date.now();\n  res.on('finish', () => {\n    metrics.histogram('response_time', Date.now() - start, {\n      endpoint: req.route?.path ?? req.path,\n      method: req.method,\n      status: res.statusCode,\n    });\n  });\n  next();\n});",
    };
    fenced(out, "javascript", snippet);
    out.push('\n');
    let mut n = 2;
    if has(&["n-plus-one-query", "unbounded-query", "connection-per-request"]) {
        let _ = writeln!(out, "**{n}. Database queries per request** and pool wait time (queries per request should stay constant as lists grow).\n");
        n += 1;
    }
    if has(&["missing-response-cache", "cache-without-invalidation", "unbounded-memory-cache"]) {
        let _ = writeln!(out, "**{n}. Cache hit rate** and stale reads after writes.\n");
        n += 1;
    }
    if has(&["blocking-call-in-handler", "cpu-heavy-handler"]) {
        let _ = writeln!(out, "**{n}. Event loop lag**:\n");
        fenced(
            out,
            "javascript",
            "const { monitorEventLoopDelay } = require('perf_hooks');\nconst h = monitorEventLoopDelay({ resolution: 20 });\nh.enable();\nsetInterval(() => metrics.gauge('event_loop_delay_ms', h.mean / 1e6), 60000);",
        );
        out.push('\n');
        n += 1;
    }
    if has(&["unbounded-memory-cache", "unbounded-query", "accumulating-spread"]) {
        let _ = writeln!(out, "**{n}. Memory**: heap used over time (`process.memoryUsage().heapUsed`).\n");
    }
    // p95 alert: twice the worst estimated p95 after the fixes, at least 200 ms.
    let worst_p95 = analysis
        .endpoints
        .iter()
        .map(|e| {
            let l = endpoint_load(analysis, &e.label(), profile, true);
            match outcome(&l, profile) {
                queueing::Outcome::Stable { p95, .. } => p95 + l.extra_ms,
                queueing::Outcome::Saturated { .. } => 0.0,
            }
        })
        .fold(0.0, f64::max);
    let threshold = ((worst_p95 * 2.0 / 50.0).ceil() * 50.0).max(200.0);
    out.push_str("### Alerts to Configure\n\n");
    let _ = writeln!(
        out,
        "- Response time p95 > {} ms (twice the worst estimated p95 after the fixes)",
        fmt_num(threshold)
    );
    out.push_str("- Error rate > 1%\n");
    if has(&["missing-response-cache", "cache-without-invalidation", "unbounded-memory-cache"]) {
        out.push_str("- Cache hit rate < 70%\n");
    }
    if has(&["blocking-call-in-handler", "cpu-heavy-handler"]) {
        out.push_str("- Event loop lag > 50 ms\n");
    }
    if has(&["n-plus-one-query", "unbounded-query", "connection-per-request"]) {
        let _ = writeln!(
            out,
            "- Database pool: waiting requests > 0 for more than a minute (pool of {})",
            fmt_num(profile.pool_size.value)
        );
    }
    out.push_str("- Memory usage > 80%\n\n");
}

/// An endpoint's load on the queueing model's stages, from its static trace
/// (`cost::trace`): the time a request holds a database connection and the event loop, and
/// the rest of its duration (`duration − db − cpu`; negative when work runs together), so
/// that a stage's percentile plus `extra_ms` is the request's duration plus its waits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Load {
    pub db_ms: f64,
    pub cpu_ms: f64,
    pub extra_ms: f64,
}

/// The trace of the endpoint labelled `label`, before or after its fixes; `None` when it
/// could not be simulated (its handler was not resolved).
pub fn endpoint_trace<'a>(analysis: &'a Analysis, label: &str, after: bool) -> Option<&'a TraceSide> {
    let e = analysis.endpoints.iter().find(|e| e.label() == label)?;
    let t = e.trace.as_ref()?;
    if after {
        t.after.as_ref()
    } else {
        t.before.as_ref()
    }
}

/// The load of the endpoint labelled `label` (`GET /api/users`) before or after its fixes: what
/// the report's tables and the playground's charts put through the queueing model. An
/// endpoint without a trace costs nothing here; the tables say it was not simulated.
pub fn endpoint_load(analysis: &Analysis, label: &str, _profile: &Profile, after: bool) -> Load {
    match endpoint_trace(analysis, label, after) {
        Some(t) => Load { db_ms: t.db_ms, cpu_ms: t.cpu_ms, extra_ms: t.duration_ms - t.db_ms - t.cpu_ms },
        None => Load { db_ms: 0.0, cpu_ms: 0.0, extra_ms: 0.0 },
    }
}

/// One request to each simulated endpoint: the sum of a trace figure, before or after.
fn traced_total(analysis: &Analysis, after: bool, figure: fn(&TraceSide) -> f64) -> f64 {
    analysis.endpoints.iter().filter_map(|e| endpoint_trace(analysis, &e.label(), after)).map(figure).sum()
}

fn outcome(l: &Load, profile: &Profile) -> queueing::Outcome {
    queueing::endpoint(profile.rps.value, l.db_ms, profile.pool_size.value, l.cpu_ms)
}

/// `p50`, `p95`, `p99` cells, or "saturated" three times.
fn percentile_cells(o: &queueing::Outcome, extra_ms: f64) -> [String; 3] {
    match o {
        queueing::Outcome::Stable { p50, p95, p99, .. } => {
            [*p50, *p95, *p99].map(|v| format!("{} ms", fmt_num(((v + extra_ms) * 10.0).round() / 10.0)))
        }
        queueing::Outcome::Saturated { .. } => {
            ["saturated".to_string(), "saturated".to_string(), "saturated".to_string()]
        }
    }
}

fn describe_outcome(o: &queueing::Outcome, extra_ms: f64) -> String {
    let util = fmt_num((o.utilization() * 1000.0).round() / 10.0);
    let max = fmt_num((o.max_throughput() * 10.0).round() / 10.0);
    match o {
        queueing::Outcome::Stable { .. } => {
            let [p50, p95, p99] = percentile_cells(o, extra_ms);
            format!("p50 {p50}, p95 {p95}, p99 {p99}; utilisation {util}%; at most {max} requests/s")
        }
        queueing::Outcome::Saturated { .. } => {
            format!("saturated: utilisation {util}%, the queue grows without bound; at most {max} requests/s")
        }
    }
}

fn percent_less(before: f64, after: f64) -> Option<f64> {
    (before > 0.0).then(|| (before - after) / before * 100.0)
}

/// ` (79% less)`, ` (4× more)`, or nothing when unchanged.
fn change_text(before: f64, after: f64) -> String {
    if after > before && before > 0.0 {
        format!(" ({}× more)", fmt_num(((after / before) * 10.0).round() / 10.0))
    } else if after < before {
        percent_less(before, after)
            .map(|p| format!(" ({}% less)", fmt_num((p * 10.0).round() / 10.0)))
            .unwrap_or_default()
    } else {
        String::new()
    }
}

/// A parameter's value as given: `0.79`, `0.5`, `450` (up to four decimals, no rounding to one).
fn fmt_exact(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// What the whole service uses at the profile's load: every endpoint at `rps`, sharing one
/// event loop and one database pool (the per-endpoint tables model each endpoint alone).
struct Utilization {
    /// Event-loop busy share, `Σ rps · cpu_ms / 1000`.
    event_loop: f64,
    /// Mean CPU time per request, ms.
    cpu_ms: f64,
    /// Pool busy share, `Σ rps · db_ms / 1000 / pool_size`.
    pool: f64,
    /// Heap growth from caches that only grow, MB a day.
    heap_mb_day: f64,
}

fn utilization(analysis: &Analysis, profile: &Profile, after: bool) -> Utilization {
    let rps = profile.rps.value.max(0.0);
    let (mut cpu, mut db) = (0.0, 0.0);
    for e in &analysis.endpoints {
        let l = endpoint_load(analysis, &e.label(), profile, after);
        cpu += l.cpu_ms;
        db += l.db_ms;
    }
    let n = analysis.endpoints.len().max(1) as f64;
    let heap = analysis
        .findings
        .iter()
        .filter_map(|f| metric(if after { &f.estimate.after } else { &f.estimate.before }, "heap_growth"))
        .map(|m| m.value)
        .sum();
    Utilization {
        event_loop: rps * cpu / 1000.0,
        cpu_ms: cpu / n,
        pool: rps * db / 1000.0 / profile.pool_size.value.max(1.0),
        heap_mb_day: heap,
    }
}

impl Utilization {
    fn share(v: f64) -> String {
        format!("{}%", fmt_num((v * 1000.0).round() / 10.0))
    }
    fn event_loop_text(&self) -> String {
        if self.event_loop >= 1.0 {
            format!(
                "saturated ({} of one core's time asked for; {} processes to keep each under 70%)",
                Self::share(self.event_loop),
                fmt_num((self.event_loop / 0.7).ceil())
            )
        } else {
            format!("{} busy", Self::share(self.event_loop))
        }
    }
    /// Mean wait for the event loop (M/M/1): `ρ / (1 − ρ) · S`.
    fn lag_ms(&self) -> Option<f64> {
        (self.event_loop < 1.0).then(|| self.event_loop / (1.0 - self.event_loop) * self.cpu_ms)
    }
    fn lag_text(&self) -> String {
        match self.lag_ms() {
            Some(ms) => format!("≈{} ms mean wait before a callback runs (M/M/1)", fmt_num((ms * 10.0).round() / 10.0)),
            None => "grows without bound (the event loop is saturated)".to_string(),
        }
    }
    fn pool_text(&self) -> String {
        if self.pool >= 1.0 {
            format!("saturated ({} of its connection time asked for)", Self::share(self.pool))
        } else {
            format!("{} of its connection time busy", Self::share(self.pool))
        }
    }
    fn memory_text(&self) -> String {
        if self.heap_mb_day > 0.0 {
            format!(
                "grows ≈{} MB a day in caches that never evict",
                crate::cost::complexity::fmt_count(self.heap_mb_day)
            )
        } else {
            "no cache that only grows was found".to_string()
        }
    }
}

/// The executive summary's last paragraph: what all the fixes together are worth under the
/// profile, in the queueing model's and the findings' own terms.
fn effect_paragraph(analysis: &Analysis, params: &Params) -> String {
    let profile = Profile::for_params(params);
    let mut parts = Vec::new();
    let saturated = |after: bool| {
        analysis
            .endpoints
            .iter()
            .filter(|e| {
                let l = endpoint_load(analysis, &e.label(), &profile, after);
                matches!(outcome(&l, &profile), queueing::Outcome::Saturated { .. })
            })
            .count()
    };
    let (sb, sa) = (saturated(false), saturated(true));
    if sb > 0 {
        parts.push(format!(
            "{sb} of {} endpoint{} cannot keep up with {} requests/s today; {} after the fixes",
            analysis.endpoints.len(),
            if analysis.endpoints.len() == 1 { "" } else { "s" },
            fmt_num(profile.rps.value),
            if sa == 0 { "none".to_string() } else { sa.to_string() }
        ));
    }
    let total = |after: bool, name: &str| -> f64 {
        analysis
            .findings
            .iter()
            .filter_map(|f| metric(if after { &f.estimate.after } else { &f.estimate.before }, name))
            .map(|m| m.value)
            .sum()
    };
    let queries = |after: bool| (traced_total(analysis, after, |t| t.queries) * 10.0).round() / 10.0;
    let (qb, qa) = (queries(false), queries(true));
    if qb > qa {
        parts.push(format!(
            "one request to each endpoint makes {} database queries instead of {}",
            fmt_num(qa),
            fmt_num(qb)
        ));
    }
    let (cb, ca) = (
        total(false, "event_loop_blocked") + total(false, "cpu_time"),
        total(true, "event_loop_blocked") + total(true, "cpu_time"),
    );
    if cb > ca && cb >= 1.0 {
        parts.push(format!(
            "and holds the event loop ≈{} ms instead of ≈{} ms",
            fmt_num(ca.round()),
            fmt_num(cb.round())
        ));
    }
    if parts.is_empty() {
        return String::new();
    }
    format!(
        "With every fix in this report, under the {} load profile: {}. These are model estimates; measure before and after (see Monitoring Recommendations).\n\n",
        params.load_profile.as_str(),
        parts.join("; ")
    )
}

/// The baseline table's measured cell of an endpoint: the first measurement matched to it.
fn measured_cell(analysis: &Analysis, label: &str) -> String {
    let Some(m) = analysis.measured.iter().find(|m| m.endpoint.as_deref() == Some(label)) else { return "—".into() };
    let ms = |v: Option<f64>| v.map(|v| format!("{} ms", fmt_num((v * 10.0).round() / 10.0))).unwrap_or_else(|| "—".into());
    let rps = m.rps.map(|r| fmt_num((r * 10.0).round() / 10.0)).unwrap_or_else(|| "—".into());
    format!("{} / {} / {rps} ({})", ms(m.p50_ms), ms(m.p95_ms), text(&m.source))
}

/// Endpoints with findings shown at most in the report's trace figures; the JSON has all.
const TRACE_FIGURES: usize = 10;

/// The simulated request of each endpoint with findings, before and after its fixes, as text
/// waterfalls (`waterfall.rs`), the largest saving first.
fn request_traces(out: &mut String, analysis: &Analysis) {
    let mut shown: Vec<(String, &crate::cost::trace::Trace, f64)> = analysis
        .endpoints
        .iter()
        .filter_map(|e| {
            let label = e.label();
            let t = e.trace.as_ref()?;
            let (b, a) = (t.before.as_ref()?, t.after.as_ref()?);
            analysis
                .findings
                .iter()
                .any(|f| f.endpoint.as_deref() == Some(label.as_str()))
                .then(|| (label, t, b.duration_ms - a.duration_ms))
        })
        .collect();
    if shown.is_empty() {
        return;
    }
    shown.sort_by(|a, b| b.2.total_cmp(&a.2));
    out.push_str("### Request Traces (simulated)\n\nEach endpoint with findings as its code runs one request, before and after its fixes, on one time axis: a bar per operation (repeats collapsed, `×50`), operations in sequence one after another, operations run together starting in the same column.\n\n");
    for (label, t, _) in shown.iter().take(TRACE_FIGURES) {
        super::waterfall::figure(out, label, t);
    }
    if shown.len() > TRACE_FIGURES {
        let _ = writeln!(
            out,
            "{} more endpoints with findings: their traces are in the JSON output (`endpoints[].trace`).\n",
            shown.len() - TRACE_FIGURES
        );
    }
}

/// Measured figures beside the estimates, and where they disagree by more than 2×.
fn measured_section(out: &mut String, analysis: &Analysis, profile: &Profile) {
    if analysis.measured.is_empty() {
        return;
    }
    out.push_str("### Measured (your measurements)\n\nMatched to endpoints by method and route. \"Estimated\" is the endpoint's simulated p50 at the profile's load.\n\n| Endpoint | Source | Measured p50 | p95 | p99 | RPS | Errors | Estimated p50 | Agreement |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    let ms =
        |v: Option<f64>| v.map(|v| format!("{} ms", fmt_num((v * 10.0).round() / 10.0))).unwrap_or_else(|| "—".into());
    for m in &analysis.measured {
        let Some(label) = m.endpoint.as_deref() else { continue };
        let estimate = endpoint_trace(analysis, label, false).map(|_| {
            let l = endpoint_load(analysis, label, profile, false);
            match outcome(&l, profile) {
                queueing::Outcome::Stable { p50, .. } => Some(p50 + l.extra_ms),
                queueing::Outcome::Saturated { .. } => None,
            }
        });
        let (estimated, agreement) = match (estimate, m.p50_ms) {
            (Some(Some(e)), Some(p)) if e > 0.0 && p > 0.0 => {
                let ratio = if e > p { e / p } else { p / e };
                let text = if ratio > 2.0 {
                    format!(
                        "**disagree**: {}× {}",
                        fmt_num((ratio * 10.0).round() / 10.0),
                        if e > p { "over" } else { "under" }
                    )
                } else {
                    format!("within {}×", fmt_num((ratio * 10.0).round() / 10.0))
                };
                (ms(Some(e)), text)
            }
            (Some(None), _) => ("saturated".into(), "—".into()),
            (None, _) => ("not simulated".into(), "—".into()),
            _ => ("—".into(), "—".into()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {estimated} | {agreement} |",
            text(label),
            text(&m.source),
            ms(m.p50_ms),
            ms(m.p95_ms),
            ms(m.p99_ms),
            m.rps.map(|r| fmt_num((r * 10.0).round() / 10.0)).unwrap_or_else(|| "—".into()),
            m.error_rate.map(|r| format!("{}%", fmt_num((r * 1000.0).round() / 10.0))).unwrap_or_else(|| "—".into()),
        );
    }
    out.push('\n');
    // Parameters calibrated by measured spans, against what the load profile assumed.
    let defaults = Profile::for_load(profile_load(profile));
    let mut any = false;
    for ((name, v, unit), (_, d, _)) in profile.parameters().iter().zip(defaults.parameters().iter()) {
        if !v.source.starts_with("measured") {
            continue;
        }
        any = true;
        let ratio = if v.value > 0.0 && d.value > 0.0 { (v.value / d.value).max(d.value / v.value) } else { 1.0 };
        let _ = writeln!(
            out,
            "- {} = {} {unit}, {} (the profile assumed {} {unit}{})",
            code(name),
            fmt_exact(v.value),
            text(&v.source),
            fmt_exact(d.value),
            if ratio > 2.0 {
                format!("; **{}× apart**", fmt_num((ratio * 10.0).round() / 10.0))
            } else {
                String::new()
            }
        );
    }
    if any {
        out.push('\n');
    }
}

/// The load profile a profile's defaults came from (its first profile-sourced parameter).
fn profile_load(profile: &Profile) -> crate::params::LoadProfile {
    use crate::params::LoadProfile;
    let named =
        profile.parameters().iter().find_map(|(_, v, _)| v.source.strip_prefix("load_profile:").map(str::to_string));
    match named.as_deref() {
        Some("low") => LoadProfile::Low,
        Some("high") => LoadProfile::High,
        _ => LoadProfile::Medium,
    }
}

/// Overall figures, per-endpoint improvements and resource utilisation, before and after
/// every fix: the queueing model's p50 and throughput, the traces' database figures.
fn results_summary(out: &mut String, analysis: &Analysis, profile: &Profile) {
    let improvement = |b: f64, a: f64| {
        if a > b && b > 0.0 {
            format!("{}% more", fmt_num(((a - b) / b * 1000.0).round() / 10.0))
        } else {
            percent_less(b, a)
                .filter(|p| *p > 0.0)
                .map(|p| format!("{}% less", fmt_num((p * 10.0).round() / 10.0)))
                .unwrap_or_else(|| "—".into())
        }
    };
    let rps = profile.rps.value.max(0.0);
    let outcomes: Vec<(String, queueing::Outcome, f64, queueing::Outcome, f64, Load, Load)> = analysis
        .endpoints
        .iter()
        .map(|e| {
            let label = e.label();
            let (b, a) =
                (endpoint_load(analysis, &label, profile, false), endpoint_load(analysis, &label, profile, true));
            (label, outcome(&b, profile), b.extra_ms, outcome(&a, profile), a.extra_ms, b, a)
        })
        .collect();
    if outcomes.is_empty() && analysis.findings.is_empty() {
        out.push_str("Nothing to summarise: no routes and no findings.\n\n");
        return;
    }
    let _ = writeln!(out, "### Overall API Performance (estimated)\n\nAt {} requests/s per endpoint, before and after every fix in this report.\n", fmt_num(rps));
    out.push_str("| Metric | Before | After | Improvement |\n| --- | --- | --- | --- |\n");
    if !outcomes.is_empty() {
        let saturated = |after: bool| {
            outcomes
                .iter()
                .filter(|o| matches!(if after { &o.3 } else { &o.1 }, queueing::Outcome::Saturated { .. }))
                .count()
        };
        let served = |after: bool| -> f64 {
            outcomes.iter().map(|o| rps.min((if after { &o.3 } else { &o.1 }).max_throughput())).sum()
        };
        let n = outcomes.len();
        let (sb, sa) = (saturated(false), saturated(true));
        let _ = writeln!(
            out,
            "| Endpoints saturated | {sb} of {n} | {sa} of {n} | {} |",
            if sb > sa { format!("{} fewer", sb - sa) } else { "—".into() }
        );
        let (tb, ta) = (served(false), served(true));
        let _ = writeln!(
            out,
            "| Throughput served (all endpoints) | {} requests/s | {} requests/s | {} |",
            fmt_num(tb.round()),
            fmt_num(ta.round()),
            improvement(tb, ta)
        );
        // Percentiles over the endpoints that are stable both before and after.
        let stable: Vec<_> = outcomes
            .iter()
            .filter_map(|o| match (&o.1, &o.3) {
                (
                    queueing::Outcome::Stable { p50: b50, p95: b95, .. },
                    queueing::Outcome::Stable { p50: a50, p95: a95, .. },
                ) => Some([b50 + o.2, b95 + o.2, a50 + o.4, a95 + o.4]),
                _ => None,
            })
            .collect();
        if !stable.is_empty() {
            // [before p50, before p95, after p50, after p95] per endpoint; the slowest of each.
            let worst = |k: usize| stable.iter().map(|s: &[f64; 4]| s[k]).fold(0.0, f64::max);
            let (b50, b95, a50, a95) = (worst(0), worst(1), worst(2), worst(3));
            let r = |v: f64| fmt_num((v * 10.0).round() / 10.0);
            let _ = writeln!(
                out,
                "| Slowest p50 (endpoints never saturated) | {} ms | {} ms | {} |",
                r(b50),
                r(a50),
                improvement(b50, a50)
            );
            let _ = writeln!(
                out,
                "| Slowest p95 (endpoints never saturated) | {} ms | {} ms | {} |",
                r(b95),
                r(a95),
                improvement(b95, a95)
            );
        }
    }
    let r1 = |v: f64| (v * 10.0).round() / 10.0;
    let (q_before, q_after) =
        (r1(traced_total(analysis, false, |t| t.queries)), r1(traced_total(analysis, true, |t| t.queries)));
    let (t_before, t_after) =
        (r1(traced_total(analysis, false, |t| t.db_ms)), r1(traced_total(analysis, true, |t| t.db_ms)));
    if q_before > 0.0 || t_before > 0.0 {
        let _ = writeln!(
            out,
            "| Database queries (one request to each endpoint) | {} | {} | {} |",
            fmt_num(q_before),
            fmt_num(q_after),
            improvement(q_before, q_after)
        );
        let _ = writeln!(
            out,
            "| Database time (one request to each endpoint) | {} ms | {} ms | {} |",
            fmt_num(t_before),
            fmt_num(t_after),
            improvement(t_before, t_after)
        );
    }
    out.push('\n');

    out.push_str("### Endpoint-Specific Improvements\n\n| Endpoint | Before (p50) | After (p50) | Improvement | Database time |\n| --- | --- | --- | --- | --- |\n");
    let mut any = false;
    for (label, b, b_extra, a, a_extra, bl, al) in &outcomes {
        if !analysis.findings.iter().any(|f| f.endpoint.as_deref() == Some(label.as_str())) {
            continue;
        }
        any = true;
        let p50 = |o: &queueing::Outcome, extra: f64| match o {
            queueing::Outcome::Stable { p50, .. } => Some(p50 + extra),
            queueing::Outcome::Saturated { .. } => None,
        };
        let show = |o: &queueing::Outcome, extra: f64| match p50(o, extra) {
            Some(v) => format!("{} ms", fmt_num((v * 10.0).round() / 10.0)),
            None => format!("saturated (≤ {} requests/s)", fmt_num((o.max_throughput() * 10.0).round() / 10.0)),
        };
        let imp = match (p50(b, *b_extra), p50(a, *a_extra)) {
            (Some(x), Some(y)) => percent_less(x, y)
                .filter(|p| *p > 0.0)
                .map(|p| format!("{}% faster", fmt_num((p * 10.0).round() / 10.0)))
                .unwrap_or_else(|| "—".into()),
            (None, Some(_)) => "no longer saturated".into(),
            (None, None) if a.max_throughput() > b.max_throughput() && b.max_throughput() > 0.0 => {
                format!("{}× the capacity", fmt_num((a.max_throughput() / b.max_throughput() * 10.0).round() / 10.0))
            }
            (None, None) => "—".into(),
            (Some(_), None) => "—".into(),
        };
        let db = if bl.db_ms != al.db_ms {
            format!("≈{} ms → ≈{} ms", fmt_num(bl.db_ms), fmt_num(al.db_ms))
        } else {
            "unchanged".into()
        };
        let _ = writeln!(out, "| {} | {} | {} | {imp} | {db} |", text(label), show(b, *b_extra), show(a, *a_extra));
    }
    if !any {
        out.push_str("| (no finding is on a detected endpoint) | — | — | — | — |\n");
    }
    out.push('\n');

    if !analysis.endpoints.is_empty() {
        let (b, a) = (utilization(analysis, profile, false), utilization(analysis, profile, true));
        out.push_str("### Resource Utilization Before and After (estimated)\n\n| Resource | Before | After |\n| --- | --- | --- |\n");
        let _ = writeln!(out, "| Event loop | {} | {} |", b.event_loop_text(), a.event_loop_text());
        let _ = writeln!(out, "| Event loop lag | {} | {} |", b.lag_text(), a.lag_text());
        let _ = writeln!(out, "| Database pool | {} | {} |", b.pool_text(), a.pool_text());
        let _ = writeln!(out, "| Memory | {} | {} |", b.memory_text(), a.memory_text());
        out.push('\n');
    }
}

/// The Backend Optimization Report, in the seed's "Output Format" structure.
pub fn markdown(analysis: &Analysis, params: &Params, ctx: &ReportContext) -> String {
    let mut out = String::new();
    let title = if ctx.title.trim().is_empty() { "analysed code" } else { ctx.title.as_str() };
    let _ = writeln!(out, "# Backend Optimization Report: {}\n", text(&title));
    let package = ctx.package_json.as_deref().and_then(Package::parse);
    let backend = if analysis.frameworks.is_empty() {
        "no web framework detected".to_string()
    } else {
        analysis.frameworks.iter().map(|f| framework_name(f)).collect::<Vec<_>>().join(", ")
    };
    let backend_versions = if analysis.frameworks.is_empty() {
        backend.clone()
    } else {
        analysis
            .frameworks
            .iter()
            .map(|f| match package.as_ref().and_then(|p| p.version_of(f)) {
                Some(v) => format!("{} {}", framework_name(f), text(v)),
                None => framework_name(f).to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let runtime = match package.as_ref().and_then(|p| p.node.as_deref()) {
        Some(range) => format!("Node.js {} (package.json `engines.node`)", text(range)),
        None => "Node.js (version not stated in the analysed code)".to_string(),
    };
    let _ = writeln!(out, "**Optimization Date**: {}  ", text(&ctx.date));
    let _ = writeln!(out, "**Backend**: {backend_versions}  ");
    let _ = writeln!(out, "**Runtime**: {runtime}  ");
    let _ = writeln!(out, "**Load Profile**: {}  ", params.load_profile.as_str());
    let _ = writeln!(out, "**Parameters**: {}\n", code(&params.to_args()));
    out.push_str("> Every figure in this report is an estimate from backlens's cost models with the parameters listed under \"Model Parameters\" — not a measurement. Change the parameters to match your system.\n\n");

    let shown: Vec<&Finding> = analysis.findings.iter().filter(|f| f.severity >= params.priority).collect();
    let below: Vec<&Finding> = analysis.findings.iter().filter(|f| f.severity < params.priority).collect();
    let failed: Vec<_> = analysis.files.iter().filter(|f| f.error.is_some()).collect();

    // Executive summary.
    out.push_str("## Executive Summary\n\n");
    let _ = write!(
        out,
        "backlens read {} file{} ({} with errors) and found {} endpoint{} ({backend}). ",
        analysis.files.len(),
        if analysis.files.len() == 1 { "" } else { "s" },
        failed.len(),
        analysis.endpoints.len(),
        if analysis.endpoints.len() == 1 { "" } else { "s" },
    );
    if analysis.findings.is_empty() {
        out.push_str("It found no performance problems for the selected target and endpoints.\n\n");
    } else {
        let counts: Vec<String> = Severity::ALL
            .iter()
            .rev()
            .filter_map(|s| {
                let n = analysis.findings.iter().filter(|f| f.severity == *s).count();
                (n > 0).then(|| format!("{n} {s}"))
            })
            .collect();
        let _ = writeln!(
            out,
            "It found {} performance problem{}: {}. {} at or above the report's priority ({}) {} described in full below.\n",
            analysis.findings.len(),
            if analysis.findings.len() == 1 { "" } else { "s" },
            counts.join(", "),
            shown.len(),
            params.priority,
            if shown.len() == 1 { "is" } else { "are" },
        );
        if let Some(worst) = analysis.findings.iter().max_by_key(|f| f.severity) {
            let _ = writeln!(out, "The most severe: {} — {}\n", title_of(worst), inline(&worst.estimate.summary, false));
        }
        out.push_str(&effect_paragraph(analysis, params));
    }
    if !failed.is_empty() {
        let _ = writeln!(
            out,
            "{} file{} could not be analysed; see \"Files Not Analysed\".\n",
            failed.len(),
            if failed.len() == 1 { "" } else { "s" }
        );
    }

    let profile = Profile::for_params(params);

    // Baseline metrics per endpoint.
    out.push_str("## Baseline Metrics\n\n### API Performance (estimated)\n\n");
    if analysis.endpoints.is_empty() {
        out.push_str("No routes were found in the analysed code.\n\n");
    } else {
        let _ = writeln!(
            out,
            "At {} requests/s per endpoint ({} profile), {} database connections, one event loop.\n",
            fmt_num(profile.rps.value),
            params.load_profile.as_str(),
            fmt_num(profile.pool_size.value)
        );
        // With measurements, what was measured stands beside each estimate.
        let measured = !analysis.measured.is_empty();
        out.push_str("| Endpoint | Location | Findings | Queries | p50 | p95 | p99 | Max RPS |");
        out.push_str(if measured { " Measured p50 / p95 / RPS |\n" } else { "\n" });
        out.push_str("| --- | --- | --- | --- | --- | --- | --- | --- |");
        out.push_str(if measured { " --- |\n" } else { "\n" });
        for e in &analysis.endpoints {
            let label = e.label();
            let on = analysis.findings.iter().filter(|f| f.endpoint.as_deref() == Some(label.as_str())).count();
            let beside = if measured { format!(" {} |", measured_cell(analysis, &label)) } else { String::new() };
            let Some(trace) = endpoint_trace(analysis, &label, false) else {
                let _ = writeln!(
                    out,
                    "| {} | {}:{} | {on} | — | not simulated: handler not resolved | — | — | — |{beside}",
                    text(&label),
                    text(&e.file),
                    e.line,
                );
                continue;
            };
            let before = endpoint_load(analysis, &label, &profile, false);
            let o = outcome(&before, &profile);
            let [p50, p95, p99] = percentile_cells(&o, before.extra_ms);
            let _ = writeln!(
                out,
                "| {} | {}:{} | {on} | {} | {p50} | {p95} | {p99} | {} |{beside}",
                text(&label),
                text(&e.file),
                e.line,
                fmt_num((trace.queries * 10.0).round() / 10.0),
                fmt_num((o.max_throughput().min(trace.max_rps) * 10.0).round() / 10.0),
            );
        }
        out.push('\n');
    }

    request_traces(&mut out, analysis);
    measured_section(&mut out, analysis, &profile);

    if !analysis.endpoints.is_empty() {
        let u = utilization(analysis, &profile, false);
        out.push_str("### Resource Utilization (estimated)\n\n");
        let _ = writeln!(
            out,
            "Every endpoint at {} requests/s sharing one event loop and one pool of {} connections.\n",
            fmt_num(profile.rps.value),
            fmt_num(profile.pool_size.value)
        );
        let _ = writeln!(out, "- **Event loop**: {}", u.event_loop_text());
        let _ = writeln!(out, "- **Event loop lag**: {}", u.lag_text());
        let _ = writeln!(out, "- **Database pool**: {}", u.pool_text());
        let _ = writeln!(out, "- **Memory**: {}\n", u.memory_text());
    }

    // Optimizations.
    out.push_str("## Optimizations\n\n");
    if shown.is_empty() {
        let _ = writeln!(out, "No finding at or above priority {}.\n", params.priority);
    }
    for (i, f) in shown.iter().enumerate() {
        let _ = writeln!(out, "### {}. {}\n", i + 1, title_of(f));
        let _ = writeln!(out, "**Rule**: {} ({}, {})  ", code(f.rule), f.category.as_str(), f.severity);
        let _ = writeln!(out, "**Where**: {}:{}:{}\n", text(&f.file), f.line, f.column);
        let _ = writeln!(out, "{}\n", inline(&f.message, false));
        out.push_str("**Before**:\n\n");
        fenced(&mut out, lang_of(&f.file), &f.before);
        out.push('\n');
        if !f.after.is_empty() {
            out.push_str("**After**:\n\n");
            fenced(&mut out, lang_of(&f.file), &f.after);
            out.push('\n');
        }
        out.push_str("**Impact** (estimated):\n\n");
        if f.estimate.before.is_empty() && f.estimate.after.is_empty() {
            // A model that states its result in words only.
            let _ = writeln!(out, "- {}", inline(&f.estimate.summary, false));
        }
        for m in &f.estimate.before {
            let after = metric(&f.estimate.after, m.name);
            match after {
                Some(a) => {
                    let change = change_text(m.value, a.value);
                    let _ = writeln!(
                        out,
                        "- **{}**: {} {} → {} {}{change}",
                        m.name.replace('_', " "),
                        fmt_num(m.value),
                        m.unit,
                        fmt_num(a.value),
                        a.unit
                    );
                }
                None => {
                    let _ = writeln!(out, "- **{}**: {} {}", m.name.replace('_', " "), fmt_num(m.value), m.unit);
                }
            }
        }
        for a in f.estimate.after.iter().filter(|a| metric(&f.estimate.before, a.name).is_none()) {
            let _ = writeln!(out, "- **{} (after)**: {} {}", a.name.replace('_', " "), fmt_num(a.value), a.unit);
        }
        out.push('\n');
    }
    if !below.is_empty() {
        let _ = writeln!(
            out,
            "### Below priority {} ({} finding{})\n",
            params.priority,
            below.len(),
            if below.len() == 1 { "" } else { "s" }
        );
        for f in &below {
            let _ = writeln!(
                out,
                "- {} {} at {}:{}:{} — {}",
                f.severity,
                code(f.rule),
                text(&f.file),
                f.line,
                f.column,
                inline(&f.estimate.summary, false)
            );
        }
        out.push('\n');
    }

    // Results summary.
    out.push_str("## Results Summary\n\n");
    results_summary(&mut out, analysis, &profile);

    // Simulated load test: the queueing model before and after the fixes.
    let affected: Vec<&crate::analysis::Endpoint> = analysis
        .endpoints
        .iter()
        .filter(|e| analysis.findings.iter().any(|f| f.endpoint.as_deref() == Some(e.label().as_str())))
        .collect();
    if !affected.is_empty() {
        out.push_str("## Load Testing Results (simulated)\n\n");
        let _ = writeln!(
            out,
            "The queueing model (M/D/c: near-constant service times, over the {}-connection pool and the event loop) at {} requests/s per endpoint, before and after every fix on that endpoint.\n",
            fmt_num(profile.pool_size.value),
            fmt_num(profile.rps.value)
        );
        for e in affected {
            let label = e.label();
            if endpoint_trace(analysis, &label, false).is_none() {
                continue;
            }
            let (b, a) =
                (endpoint_load(analysis, &label, &profile, false), endpoint_load(analysis, &label, &profile, true));
            let text = format!(
                "{label}\nBefore: {}\nAfter:  {}",
                describe_outcome(&outcome(&b, &profile), b.extra_ms),
                describe_outcome(&outcome(&a, &profile), a.extra_ms)
            );
            fenced(&mut out, "text", &text);
            out.push('\n');
        }
    }

    // Trade-offs, one paragraph per kind of fix that the findings call for.
    let present: Vec<&TradeOff> =
        TRADE_OFFS.iter().filter(|t| analysis.findings.iter().any(|f| t.rules.contains(&f.rule))).collect();
    if !present.is_empty() {
        out.push_str("## Trade-offs and Considerations\n\n");
        for t in present {
            let _ = writeln!(
                out,
                "**{}**:\n\n- **Benefit**: {}\n- **Trade-off**: {}\n- **Mitigation**: {}\n",
                t.title, t.benefit, t.trade_off, t.mitigation
            );
        }
    }

    // Findings silenced in the code, and suppression comments to fix.
    if !analysis.suppressed.is_empty() {
        let n = analysis.suppressed.len();
        let _ = writeln!(
            out,
            "## Suppressed Findings\n\n{n} finding{} silenced by `backlens-ignore` comments in the code (not counted above).\n\n| Rule | Location | Comment | Reason |\n| --- | --- | --- | --- |",
            if n == 1 { " was" } else { "s were" }
        );
        for s in &analysis.suppressed {
            let f = &s.finding;
            let _ = writeln!(
                out,
                "| {} | {}:{} | line {} | {} |",
                code(f.rule),
                text(&f.file),
                f.line,
                s.comment_line,
                s.reason.as_deref().map(text).unwrap_or_else(|| "(none given)".to_string())
            );
        }
        out.push('\n');
    }
    if !analysis.notices.is_empty() {
        out.push_str(
            "## Suppression Comments to Check\n\n| File | Line | Column | Notice |\n| --- | --- | --- | --- |\n",
        );
        for n in &analysis.notices {
            let _ = writeln!(out, "| {} | {} | {} | {} |", text(&n.file), n.line, n.column, inline(&n.message, true));
        }
        out.push('\n');
    }

    coverage_section(&mut out, &analysis.coverage);

    // Files not analysed.
    if !failed.is_empty() {
        out.push_str("## Files Not Analysed\n\n| File | Line | Column | Error |\n| --- | --- | --- | --- |\n");
        for f in &failed {
            let e = f.error.as_ref().expect("filtered on errors");
            let _ = writeln!(out, "| {} | {} | {} | {} |", text(&f.path), e.line, e.column, inline(&e.message, true));
        }
        out.push('\n');
    }

    rules_run(&mut out, params);
    rule_precision(&mut out, analysis);

    // Model parameters.
    out.push_str("## Model Parameters\n\n| Parameter | Value | Unit | Source |\n| --- | --- | --- | --- |\n");
    for (name, v, unit) in profile.parameters() {
        let _ = writeln!(out, "| {} | {} | {unit} | {} |", code(name), fmt_exact(v.value), text(&v.source));
    }
    out.push('\n');
    // The models' own inputs that findings used (a page size, a TTL read from the code, a
    // limit of the rewrite), each distinct value once, with the rules that used it.
    let profile_names = profile.names();
    let mut inputs: Vec<(&str, String, &str, &str, Vec<&str>)> = Vec::new();
    for f in &analysis.findings {
        for p in f.estimate.parameters.iter().filter(|p| !profile_names.contains(&p.name)) {
            let value = fmt_exact(p.value);
            match inputs.iter_mut().find(|i| i.0 == p.name && i.1 == value && i.3 == p.source) {
                Some(i) if !i.4.contains(&f.rule) => i.4.push(f.rule),
                Some(_) => {}
                None => inputs.push((p.name, value, p.unit, p.source.as_str(), vec![f.rule])),
            }
        }
    }
    if !inputs.is_empty() {
        out.push_str("Inputs of the findings' models besides the profile:\n\n| Input | Value | Unit | Source | Used by |\n| --- | --- | --- | --- | --- |\n");
        for (name, value, unit, source, rules) in &inputs {
            let used: Vec<String> = rules.iter().map(|r| code(r)).collect();
            let _ =
                writeln!(out, "| {} | {value} | {} | {} | {} |", code(name), text(unit), inline(source, true), used.join(", "));
        }
        out.push('\n');
    }

    monitoring(&mut out, analysis, &profile);

    // Next steps.
    out.push_str("## Next Steps\n\n");
    if analysis.findings.is_empty() {
        out.push_str("1. **Keep** backlens in CI (`backlens analyze src --fail-on high`) so new hot spots are caught in review.\n");
    } else {
        let mut ordered: Vec<&Finding> = analysis.findings.iter().collect();
        ordered.sort_by_key(|f| std::cmp::Reverse(f.severity));
        for (i, f) in ordered.iter().take(5).enumerate() {
            let _ = writeln!(
                out,
                "{}. **Fix** {} at {}:{} ({}).",
                i + 1,
                title_of(f),
                text(&f.file),
                f.line,
                f.severity
            );
        }
        let _ = writeln!(
            out,
            "{}. **Measure** the fixed endpoints under load to confirm the estimates.",
            ordered.len().min(5) + 1
        );
    }
    out
}

/// One model's what-if result (`backlens model …`): parameters, before/after, summary.
pub fn estimate_markdown(rule: &str, load: crate::params::LoadProfile, e: &crate::analysis::Estimate) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# What-if: {}\n", code(rule));
    let _ = writeln!(out, "**Model**: {}  \n**Load profile**: {}\n", e.model, load.as_str());
    out.push_str("| Parameter | Value | Unit | Source |\n| --- | --- | --- | --- |\n");
    for p in &e.parameters {
        let _ = writeln!(out, "| {} | {} | {} | {} |", code(p.name), fmt_exact(p.value), p.unit, inline(&p.source, true));
    }
    out.push_str("\n| Metric | Before | After | Change |\n| --- | --- | --- | --- |\n");
    for b in &e.before {
        let a = metric(&e.after, b.name);
        let after = a.map(|a| format!("{} {}", fmt_num(a.value), a.unit)).unwrap_or_else(|| "—".into());
        let change = a
            .map(|a| change_text(b.value, a.value))
            .filter(|c| !c.is_empty())
            .map(|c| c.trim().trim_start_matches('(').trim_end_matches(')').to_string())
            .unwrap_or_else(|| "—".into());
        let _ =
            writeln!(out, "| {} | {} {} | {after} | {change} |", b.name.replace('_', " "), fmt_num(b.value), b.unit);
    }
    let _ = writeln!(out, "\n**Result**: {}\n", inline(&e.summary, false));
    out.push_str("> A model estimate from the parameters above, not a measurement.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyze, SourceFile};

    #[test]
    fn rules_under_the_blind_precision_bar_are_named_beside_their_findings() {
        let seed = "app.get('/api/users', async (req, res) => {\n  const users = await User.findAll({ limit: 20 });\n  \
                    for (const user of users) {\n    user.posts = await Post.findAll({ where: { userId: user.id } });\n  }\n  \
                    res.json(users);\n});\n";
        let md = report(&[("app.js", seed)], &Params::all_rules());
        let (p, n) = crate::rules::blind_precision("n-plus-one-query").expect("n-plus-one-query was reviewed");
        assert!(p < 80, "the table says n-plus-one-query is at {p} %");
        let section = md.split("## Rule Precision on Unseen Code").nth(1).expect("the section is there");
        assert!(section.contains(&format!("| `n-plus-one-query` | 1 | {p} % | {n} |")), "{section}");
        // A rule with no finding here is not listed.
        assert!(!section.split("## ").next().unwrap().contains("quadratic-lookup"), "{section}");
    }

    fn report(files: &[(&str, &str)], params: &Params) -> String {
        let sources: Vec<SourceFile> = files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect();
        let a = analyze(&sources, params);
        markdown(&a, params, &ReportContext { title: "test".into(), date: "2026-11-25".into(), package_json: None })
    }

    const SEED: &str = "app.get('/api/users', async (req, res) => {\n  const users = await User.findAll();\n  for (const user of users) {\n    user.posts = await Post.findAll({ where: { userId: user.id } });\n  }\n  res.json(users);\n});\n";

    #[test]
    fn increases_are_not_called_less_and_parameters_keep_their_decimals() {
        assert_eq!(change_text(180.0, 38.0), " (78.9% less)");
        assert_eq!(change_text(2.5, 10.0), " (4× more)");
        assert_eq!(change_text(5.0, 5.0), "");
        assert_eq!(fmt_exact(0.79), "0.79");
        assert_eq!(fmt_exact(450.0), "450");
        assert_eq!(fmt_exact(0.0005), "0.0005");
    }

    #[test]
    fn the_services_utilization_shares_one_event_loop_and_one_pool() {
        // The seed's N+1 at 50 requests/s: 51 × 5 ms of database time per request through
        // 10 connections asks for 127.5 % of the pool; batched (2 × 5 ms) behind a response
        // cache that answers 80 % of requests, 0.4 queries of 5 ms → 1 %.
        let md = report(&[("app.js", SEED)], &Params::all_rules());
        assert!(md.contains("- **Database pool**: saturated (127.5% of its connection time asked for)"), "{md}");
        assert!(md.contains("| Database pool | saturated (127.5% of its connection time asked for) | 1% of its connection time busy |"), "{md}");
        assert!(md.contains("| GET /api/users | saturated (≤ 39.2 requests/s) |"), "{md}");
        assert!(md.contains("| Endpoints saturated | 1 of 1 | 0 of 1 | 1 fewer |"), "{md}");
        assert!(
            md.contains("With every fix in this report, under the medium load profile: 1 of 1 endpoint cannot keep up with 50 requests/s today; none after the fixes; one request to each endpoint makes 0.4 database queries instead of 51."),
            "{md}"
        );
    }

    #[test]
    fn has_the_seeds_sections_in_order() {
        let md = report(&[("app.js", SEED)], &Params::all_rules());
        let sections = [
            "# Backend Optimization Report: test",
            "**Optimization Date**: 2026-11-25",
            "**Backend**: Express",
            "**Load Profile**: medium",
            "## Executive Summary",
            "## Baseline Metrics",
            "### API Performance (estimated)",
            "### Resource Utilization (estimated)",
            "## Optimizations",
            "### 1. ",
            "**Before**:",
            "**After**:",
            "**Impact** (estimated):",
            "## Results Summary",
            "### Overall API Performance (estimated)",
            "### Endpoint-Specific Improvements",
            "### Resource Utilization Before and After (estimated)",
            "## Load Testing Results (simulated)",
            "## Trade-offs and Considerations",
            "## Model Parameters",
            "## Monitoring Recommendations",
            "### Alerts to Configure",
            "## Next Steps",
        ];
        let mut at = 0;
        for s in sections {
            let pos = md[at..].find(s).unwrap_or_else(|| panic!("missing or out of order: {s}\n{md}"));
            at += pos;
        }
        // 51 queries × 5 ms through 10 connections cannot serve 50 requests/s.
        let row = md.lines().find(|l| l.starts_with("| GET /api/users | app.js:1 |")).expect("the endpoint's row");
        assert!(row.ends_with("| 51 | saturated | saturated | saturated | 39.2 |"), "{row}");
        assert!(md.contains("Before: saturated: utilisation 127.5%"), "{md}");
        assert!(md.contains("After:  p50 "), "{md}");
        assert!(md.contains("- **queries**: 51 queries → 2 queries (96.1% less)"), "{md}");
    }

    #[test]
    fn backend_and_runtime_versions_come_from_package_json() {
        let a = analyze(&[SourceFile::new("app.js", SEED)], &Params::all_rules());
        let pkg = r#"{ "dependencies": { "express": "^4.18.2", "sequelize": "^6" }, "engines": { "node": ">=20" } }"#;
        let ctx = ReportContext { title: "t".into(), date: "d".into(), package_json: Some(pkg.into()) };
        let md = markdown(&a, &Params::all_rules(), &ctx);
        assert!(md.contains("**Backend**: Express ^4.18.2"), "{md}");
        // `>` is escaped: it renders as `>=20`.
        assert!(md.contains("**Runtime**: Node.js \\>=20 (package.json `engines.node`)"), "{md}");
    }

    #[test]
    fn lower_priority_findings_are_listed_not_dropped() {
        let p = Params { priority: Severity::Critical, ..Params::all_rules() };
        let md = report(&[("app.js", SEED)], &p);
        assert!(md.contains("No finding at or above priority critical."));
        assert!(md.contains("### Below priority critical ("), "{md}");
        assert!(md.contains("high `n-plus-one-query` at app.js:4:24"), "{md}");
    }

    #[test]
    fn user_code_cannot_break_the_document() {
        let evil = "app.get('/x|y', async (req, res) => {\n  for (const u of users) {\n    u.p = await Post.findAll({ where: { userId: u.id, note: '```<img src=x onerror=alert(1)>' } });\n  }\n});\n";
        let md = report(&[("evil.js", evil)], &Params::all_rules());
        assert!(md.contains("| GET /x\\|y |"), "{md}");
        // The code block's fence is longer than the backtick run inside the user's code.
        assert!(md.contains("````javascript\n  for (const u of users) {"), "{md}");
    }

    #[test]
    fn suppressed_findings_and_comment_notices_are_listed() {
        let code = format!(
            "// backlens-ignore-file missing-compression -- nginx gzips\n// backlens-ignore no-such-rule\nconst express = require('express');\nconst app = express();\n{}",
            SEED
        );
        let md = report(&[("app.js", &code)], &Params::all_rules());
        assert!(md.contains("## Suppressed Findings\n\n1 finding was silenced"), "{md}");
        assert!(md.contains("| `missing-compression` | app.js:"), "{md}");
        assert!(md.contains("| nginx gzips |"), "{md}");
        assert!(md.contains("## Suppression Comments to Check"), "{md}");
        assert!(md.contains("| app.js | 2 | 1 | `backlens-ignore` names an unknown rule `no-such-rule`"), "{md}");
    }

    #[test]
    fn parse_errors_are_listed() {
        let md = report(&[("ok.js", SEED), ("bad.js", "app.get('/x', (req, res) => {\n")], &Params::all_rules());
        assert!(md.contains("## Files Not Analysed"));
        assert!(md.contains("| bad.js | 2 |"), "{md}");
    }
}
