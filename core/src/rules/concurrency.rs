//! Facts the concurrency rules share: what an awaited call reaches (I/O of which kind, reads
//! or writes, how long), through user functions across files.
//!
//! These are computed here, from the model's call sites and call edges, until they move into
//! `model/` (see the report of issue 4): `Reach` per function belongs next to `reached_by`.

use crate::cost::latency::{Part, FS_MS};
use crate::cost::Profile;
use crate::model::{CallId, CallKind, CallSite, FunctionId, Program};
use crate::params::Severity;
use std::collections::HashMap;

/// What a call (or everything a function runs) reaches.
#[derive(Clone, Debug, Default)]
pub struct Reach {
    /// Any database, cache, HTTP or asynchronous file-system call.
    pub io: bool,
    /// A database query among them.
    pub db: bool,
    /// A write among them (database write, cache write, file write, non-GET HTTP). Calls
    /// backlens cannot classify count as nothing: they neither make a helper I/O nor a write.
    pub write: bool,
    /// The latency of that I/O run one after another.
    pub ms: f64,
    /// The profile parameter of the dominant kind of I/O.
    pub source: &'static str,
}

impl Reach {
    pub fn part(&self) -> Part {
        Part { ms: self.ms, source: self.source }
    }
}

pub(crate) const CACHE_READS: &[&str] = &[
    "get",
    "mget",
    "mGet",
    "hget",
    "hGet",
    "hgetall",
    "hGetAll",
    "hmget",
    "exists",
    "ttl",
    "lrange",
    "smembers",
    "sismember",
    "zrange",
    "zrangebyscore",
];
const FS_READS: &[&str] = &[
    "readFile",
    "readdir",
    "stat",
    "lstat",
    "access",
    "realpath",
    "readlink",
    "opendir",
    "exists",
    "pathExists",
    "readJson",
    "readJSON",
];

/// Whether an HTTP call only reads: `fetch(url)`, `axios.get`, `got(url)` — not `post`,
/// `put`, `patch`, `delete`, nor a `method:` other than GET.
fn http_read(text: &str) -> bool {
    let head = text.split('(').next().unwrap_or("");
    let op = head.rsplit('.').next().unwrap_or("").trim();
    if ["post", "put", "patch", "delete", "request"].contains(&op.to_ascii_lowercase().as_str()) {
        return false;
    }
    match text.find("method") {
        Some(i) => {
            let rest = text[i..].to_ascii_uppercase();
            rest.chars().take(30).collect::<String>().contains("GET")
        }
        None => true,
    }
}

/// The I/O of one call site, not following user functions.
fn direct(program: &Program, call: &CallSite, profile: &Profile) -> Option<Reach> {
    let text = program.file(call.file).snippet(call.span);
    let r = |db: bool, write: bool, ms: f64, source: &'static str| Some(Reach { io: true, db, write, ms, source });
    // A data layer the model cannot follow (`ctx.db.user.get`: `model::link`'s data-layer
    // calls): a query, a write when its name says so.
    if call.data_access && call.callees.is_empty() {
        return r(true, named_write(&callee_name(text)), profile.query_ms.value, "query_ms");
    }
    match &call.kind {
        CallKind::Query(q) => r(true, q.write, profile.query_ms.value, "query_ms"),
        CallKind::Cache { op } => r(false, !CACHE_READS.contains(&op.as_str()), profile.cache_ms.value, "cache_ms"),
        CallKind::Http { .. } => r(false, !http_read(text), profile.http_ms.value, "http_ms"),
        CallKind::Fs { op, sync: false } => r(false, !FS_READS.contains(&op.as_str()), FS_MS, "fs_ms"),
        _ => None,
    }
}

/// Reaches of user functions, memoised.
pub struct Reaches<'p> {
    program: &'p Program<'p>,
    profile: &'p Profile,
    calls_by_function: HashMap<FunctionId, Vec<CallId>>,
    children: HashMap<FunctionId, Vec<FunctionId>>,
    memo: HashMap<FunctionId, Reach>,
}

impl<'p> Reaches<'p> {
    pub fn new(program: &'p Program<'p>, profile: &'p Profile) -> Self {
        let (calls_by_function, children) = program.calls_and_children();
        Reaches { program, profile, calls_by_function, children, memo: HashMap::new() }
    }

    /// What `call` reaches: its own I/O, or what the user functions it calls reach.
    pub fn of_call(&mut self, call: &CallSite) -> Reach {
        if let Some(r) = direct(self.program, call, self.profile) {
            return r;
        }
        let mut total = Reach::default();
        for &f in &call.callees {
            let r = self.of_function(f, 0);
            merge(&mut total, &r);
        }
        // A helper named for a write (`OrderResourceAccess.updateById`,
        // `ScheduleFunctions.cancelUserSchedule`) writes, even when the write inside is out of
        // the model's sight (chaunnt/TemplateNodeJS_HapiAndMySQL's knex instance is exported
        // from a config file): nothing may move across it.
        if total.io && !total.write {
            let text = self.program.file(call.file).snippet(call.span);
            total.write = named_write(&callee_name(text));
        }
        total
    }

    fn of_function(&mut self, f: FunctionId, depth: u32) -> Reach {
        if let Some(r) = self.memo.get(&f) {
            return r.clone();
        }
        // Cycles (recursion) and very deep chains contribute nothing more.
        self.memo.insert(f, Reach::default());
        if depth > 64 {
            return Reach::default();
        }
        let mut total = Reach::default();
        let mut kinds: HashMap<&'static str, f64> = HashMap::new();
        let mut stack = vec![f];
        while let Some(g) = stack.pop() {
            for &c in self.calls_by_function.get(&g).cloned().unwrap_or_default().iter() {
                let call = &self.program.calls[c];
                // A log line is no data I/O, whatever the logger does with it (hapi_app's
                // logger reports to Sentry over HTTP: every helper that logged became a write).
                if log_call(self.program.file(call.file).snippet(call.span)) {
                    continue;
                }
                let r = match direct(self.program, call, self.profile) {
                    Some(r) => r,
                    None => {
                        let mut sub = Reach::default();
                        for &callee in &call.callees {
                            let r = self.of_function(callee, depth + 1);
                            merge(&mut sub, &r);
                        }
                        sub
                    }
                };
                if r.io {
                    *kinds.entry(r.source).or_default() += r.ms;
                }
                merge(&mut total, &r);
            }
            stack.extend(self.children.get(&g).cloned().unwrap_or_default());
        }
        if let Some((source, _)) = kinds.into_iter().max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0))) {
            total.source = source;
        }
        self.memo.insert(f, total.clone());
        total
    }
}

/// `logger.debug(…)`, `this.logger.warn(…)`, `console.log(…)`, `log.info(…)`,
/// `appLogger.error(…)`: a call on a logger.
pub fn log_call(text: &str) -> bool {
    let callee = callee_name(text);
    let callee = callee.strip_prefix("this.").unwrap_or(&callee);
    let Some((root, method)) = callee.rsplit_once('.') else { return false };
    let root = root.rsplit('.').next().unwrap_or(root).to_ascii_lowercase();
    let logger = root == "console" || root == "log" || root.ends_with("logger");
    logger
        && matches!(method, "log" | "info" | "debug" | "warn" | "warning" | "error" | "trace" | "fatal" | "verbose" | "silly")
}

fn merge(total: &mut Reach, r: &Reach) {
    if !r.io {
        return;
    }
    if !total.io || r.ms > total.ms {
        total.source = r.source;
    }
    total.io = true;
    total.db |= r.db;
    total.write |= r.write;
    total.ms += r.ms;
}

/// Whether a callee's name (`Orders.updateById`, `cancelUserSchedule`) says it writes.
fn named_write(callee: &str) -> bool {
    let method = callee.rsplit('.').next().unwrap_or(callee);
    const VERBS: &[&str] = &[
        "update",
        "delete",
        "remove",
        "insert",
        "create",
        "save",
        "destroy",
        "upsert",
        "cancel",
        "increment",
        "decrement",
        "add",
        "set",
        "approve",
        "reject",
        "confirm",
    ];
    VERBS.iter().any(|v| {
        method.get(..v.len()).is_some_and(|head| head.eq_ignore_ascii_case(v))
            && method[v.len()..].chars().next().is_none_or(|c| c.is_ascii_uppercase() || c == '_')
    })
}

/// Severity of the waiting a fix saves per request (awaits run one after another), through the
/// shared [`crate::cost::worth::judge`]: on an endpoint ≥ 200 ms critical, ≥ 50 ms high, ≥ 5 ms
/// medium, else low; off request paths low; `None` under 1 ms saved (not a finding).
pub fn wait_severity(ctx: &super::Context, endpoint: &Option<String>, saved_ms: f64) -> Option<Severity> {
    crate::cost::worth::judge(&ctx.profile, endpoint.is_some(), saved_ms, crate::cost::worth::WAITING)
}

/// `Post.findAll`, `fetch`, `this.usersService.findOne` — the callee of a call's text,
/// shortened for messages.
pub fn callee_name(text: &str) -> String {
    let head: String = text.split('(').next().unwrap_or(text).split_whitespace().collect();
    if head.chars().count() > 50 {
        head.chars().take(50).collect::<String>() + "…"
    } else {
        head
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Whether `name` is a parameter of `function` that NestJS fills from the request
/// (`@Body() body`, `@Query('n') n`, `@Param() params`, `@Req() req`).
pub fn nest_request_param(program: &Program, function: FunctionId, name: &str) -> bool {
    let func = &program.functions[function];
    if !func.params.iter().any(|p| p == name) {
        return false;
    }
    let text = program.file(func.file).snippet(func.span);
    let header = &text[..text.find('{').unwrap_or(text.len())];
    ["@Body(", "@Query(", "@Param(", "@Req(", "@Request("].iter().any(|d| {
        header.match_indices(d).any(|(i, _)| {
            // The decorator's own parentheses, then the parameter's name.
            let rest = &header[i + d.len()..];
            let close = rest.find(')').map(|c| c + 1).unwrap_or(0);
            let after = rest[close..].trim_start();
            after.starts_with(name) && !after[name.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
        })
    })
}
