//! `unbounded-parallelism`: `Promise.all` over a collection of unbounded size with I/O per
//! item. Docs: [`META`].

use super::concurrency::{callee_name, Reaches};
use super::{Context, Placement, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::latency;
use crate::model::{CallKind, FunctionId, Iteration, IterationKind, Program};
use crate::params::{Category, Severity};
use crate::syntax::parse_expr;
use std::collections::HashMap;
use swc_common::{Span, Spanned};
use swc_ecma_ast::Expr;

pub struct UnboundedParallelism;

static META: RuleMeta = RuleMeta {
    id: "unbounded-parallelism",
    category: Category::Concurrency,
    summary: "Promise.all over a collection of unbounded size, with I/O per item and no concurrency bound",
    docs: r#"## What it finds
`Promise.all(items.map(async (item) => …))` (or `allSettled`) where `items` comes from the
request (`req.body`, `req.query`, `ctx.request.body`, hapi's `request.payload`, a NestJS `@Body()`
parameter, …) or from a database query without a
limit, and each item starts an outbound HTTP request, a cache command or a file operation —
directly or through a user function — with no bound on how many run at once (`p-limit`,
`p-map`, a queue).

## Why is this bad
The number of requests in flight is whatever the client or the table decides: a body of
5,000 ids opens 5,000 sockets at once, exhausts file descriptors and the HTTP agent, trips the
remote service's rate limit, and holds every response in memory together. One large request
degrades every other one.

## Example
```js
app.post('/api/enrich', async (req, res) => {
  const results = await Promise.all(req.body.ids.map((id) => fetch(`${API}/items/${id}`)));
  res.json(results);
});
```
Use instead — at most 10 at a time (order is kept):
```js
const limit = pLimit(10); // import pLimit from 'p-limit'
const results = await Promise.all(req.body.ids.map((id) => limit(() => fetch(`${API}/items/${id}`))));
```

## What it leaves alone
- collections of known size: literal arrays, a query with `limit`/`take`/`LIMIT`, a slice;
- callbacks already bounded (`limit(…)`, `p-map` with `concurrency`, a queue or semaphore);
- database queries per item: those are `n-plus-one-query` findings (one defect, one finding);
- callbacks with no I/O."#,
    model: "latency",
};

impl Rule for UnboundedParallelism {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let mut reaches = Reaches::new(ctx.program, &ctx.profile);
        // Calls by their innermost iteration, and per-item callbacks by their iteration.
        let mut calls_in: HashMap<usize, Vec<usize>> = HashMap::new();
        for (c, call) in ctx.program.calls.iter().enumerate() {
            if let Some(&it) = call.iterations.last() {
                calls_in.entry(it).or_default().push(c);
            }
        }
        let mut calls_of: HashMap<FunctionId, Vec<usize>> = HashMap::new();
        for (c, call) in ctx.program.calls.iter().enumerate() {
            if let Some(f) = call.function {
                calls_of.entry(f).or_default().push(c);
            }
        }
        let callbacks: HashMap<usize, FunctionId> =
            ctx.program.functions.iter().enumerate().filter_map(|(f, func)| func.per_item.map(|it| (it, f))).collect();
        for (id, iteration) in ctx.program.iterations.iter().enumerate() {
            if !iteration.in_promise_all || !matches!(iteration.kind, IterationKind::Callback(_)) {
                continue;
            }
            let Some(collection) = iteration.collection.as_deref() else { continue };
            let Some(&callback) = callbacks.get(&id) else { continue };
            let file = ctx.program.file(iteration.file);
            let iteration_text = file.snippet(iteration.span);
            if bounded(iteration_text)
                || bounded(collection)
                || crate::model::values::constant_list(ctx.program, iteration)
            {
                continue;
            }
            // I/O per item, none of it a database query (those are N+1 findings).
            let mut io = None;
            let mut db = false;
            for &c in calls_in.get(&id).map(Vec::as_slice).unwrap_or(&[]) {
                let call = &ctx.program.calls[c];
                if matches!(call.kind, CallKind::Query(_)) {
                    db = true;
                    break;
                }
                let r = reaches.of_call(call);
                if r.db {
                    db = true;
                    break;
                }
                if r.io && io.is_none() {
                    io = Some((call, r));
                }
            }
            let Some((io_call, reach)) = io.filter(|_| !db) else { continue };
            let enclosing = ctx.program.functions[callback].parent;
            let Some(source) = unbounded_source(ctx.program, &calls_of, enclosing, collection) else { continue };
            let (endpoint, others) = match ctx.placement(Some(callback)) {
                Placement::Filtered => continue,
                Placement::Offline => (None, 0),
                Placement::Endpoint { label, others } => (Some(label), others),
            };
            let Some(all) = promise_all(ctx.program, &calls_of, enclosing, iteration) else { continue };
            let estimate = latency::bounded_fan_out(&ctx.profile, &reach.part());
            let severity = match endpoint {
                None => Severity::Low,
                Some(_) if ctx.profile.items.value >= 200.0 => Severity::High,
                Some(_) => Severity::Medium,
            };
            let callee = callee_name(file.snippet(io_call.span));
            let combinator = callee_name(file.snippet(all));
            let mut message = format!(
                "`{combinator}` starts `{callee}` for every item of `{collection}` at once, and {source} decides how many: nothing bounds the requests in flight. Bound it (`p-limit`, `p-map` with `concurrency`)."
            );
            if others > 0 {
                message.push_str(&format!(" Also on {others} other endpoint{}.", if others == 1 { "" } else { "s" }));
            }
            let before = ctx.lines(iteration.file, iteration.statement);
            let after = rewrite(ctx, iteration, callback, &before).unwrap_or_default();
            out.push(ctx.finding(&META, iteration.file, all, severity, endpoint, message, estimate, before, after));
        }
    }
}

fn bounded(text: &str) -> bool {
    ["limit(", "Limit(", "limiter", "pLimit", "pMap", "semaphore", "Semaphore", "queue.add", ".slice(", "chunk"]
        .iter()
        .any(|k| text.contains(k))
        || text.trim_start().starts_with('[')
}

/// Whether the collection comes from the request or from a list query without a limit;
/// returns who decides its size.
fn unbounded_source(
    program: &Program,
    calls_of: &HashMap<FunctionId, Vec<usize>>,
    function: Option<FunctionId>,
    collection: &str,
) -> Option<&'static str> {
    const REQUEST: &[&str] = &[
        "req.body",
        "req.query",
        "request.body",
        "request.query",
        "request.payload",
        "ctx.request.body",
        "ctx.query",
        "ctx.request.query",
    ];
    if REQUEST.iter().any(|r| collection.starts_with(r)) {
        return Some("the client");
    }
    let root: String = collection.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$').collect();
    if root.is_empty() {
        return None;
    }
    let f = function?;
    if super::concurrency::nest_request_param(program, f, &root) {
        return Some("the client");
    }
    let func = &program.functions[f];
    let text = program.file(func.file).snippet(func.span);
    // `const { ids } = req.body;`, `const ids = req.body.ids;`
    for line in text.lines() {
        if let Some((left, right)) = line.split_once('=') {
            let right = right.trim_start();
            if REQUEST.iter().any(|r| right.starts_with(r)) && has_word(left, &root) {
                return Some("the client");
            }
        }
    }
    // `const rows = await Model.findAll()` without a limit.
    for &c in calls_of.get(&f).map(Vec::as_slice).unwrap_or(&[]) {
        let call = &program.calls[c];
        if call.result_name.as_deref() != Some(root.as_str()) {
            continue;
        }
        if let CallKind::Query(q) = &call.kind {
            let t = program.file(call.file).snippet(call.span);
            let limited = [
                "limit",
                "take",
                "LIMIT",
                "first",
                "top",
                "perPage",
                "pageSize",
                "findOne",
                "findUnique",
                "findByPk",
                "findById",
            ]
            .iter()
            .any(|k| t.contains(k));
            if !q.write && !limited {
                return Some("the table's size");
            }
        }
    }
    None
}

fn has_word(text: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    text.match_indices(word).any(|(i, _)| {
        !text[..i].chars().next_back().is_some_and(ident) && !text[i + word.len()..].chars().next().is_some_and(ident)
    })
}

/// The `Promise.all(…)` call around the iteration.
fn promise_all(
    program: &Program,
    calls_of: &HashMap<FunctionId, Vec<usize>>,
    function: Option<FunctionId>,
    iteration: &Iteration,
) -> Option<Span> {
    let file = program.file(iteration.file);
    // The `Promise.all` runs in the function that holds the callback (module level: any call).
    let candidates: Vec<usize> = match function {
        Some(f) => calls_of.get(&f).cloned().unwrap_or_default(),
        None => (0..program.calls.len()).collect(),
    };
    candidates
        .iter()
        .map(|&c| &program.calls[c])
        .filter(|c| c.file == iteration.file && c.span.lo <= iteration.span.lo && iteration.span.hi <= c.span.hi)
        .filter(|c| {
            let t = file.snippet(c.span);
            t.starts_with("Promise.all") || t.starts_with("Promise.allSettled")
        })
        .min_by_key(|c| c.span.hi.0.saturating_sub(c.span.lo.0))
        .map(|c| c.span)
}

/// `items.map((item) => limit(async () => { … }))` with the user's callback.
fn rewrite(ctx: &Context, iteration: &Iteration, callback: FunctionId, before: &str) -> Option<String> {
    let file = ctx.program.file(iteration.file);
    let func = &ctx.program.functions[callback];
    let cb_text = file.snippet(func.span);
    let typescript = file.path.ends_with("ts") || file.path.ends_with("tsx");
    let expr = parse_expr(cb_text, typescript)?;
    let Expr::Arrow(arrow) = &*expr else { return None };
    let r = |s: Span| s.lo.0.saturating_sub(1) as usize..s.hi.0.saturating_sub(1) as usize;
    let params: Vec<&str> = arrow.params.iter().map(|p| &cb_text[r(p.span())]).collect();
    let body = &cb_text[r(arrow.body.span())];
    let wrapped =
        format!("({}) => limit({}() => {body})", params.join(", "), if arrow.is_async { "async " } else { "" });
    let line_start = file.lines.line_start(file.position(iteration.statement.lo).0) as usize;
    let lo = file.offset(func.span.lo) as usize - line_start;
    let hi = file.offset(func.span.hi) as usize - line_start;
    let mut out = before.to_string();
    out.replace_range(lo..hi, &wrapped);
    let indent: String = before.chars().take_while(|c| c.is_whitespace() && *c != '\n').collect();
    Some(format!("{indent}const limit = pLimit(10); // import pLimit from 'p-limit'\n{out}"))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_parses, findings};
    use crate::{analyze, Params, SourceFile};

    #[test]
    fn request_sized_fan_out_is_flagged_at_promise_all() {
        let src = "app.post('/enrich', async (req, res) => {\n  const out = await Promise.all(req.body.ids.map((id) => fetch(`${API}/items/${id}`)));\n  res.json(out);\n});\n";
        let a = analyze(&[SourceFile::new("a.js", src)], &Params::default());
        let f: Vec<_> = a.findings.iter().filter(|f| f.rule == "unbounded-parallelism").collect();
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].line, f[0].column), (2, 21));
        assert!(
            f[0].after.contains("req.body.ids.map((id) => limit(() => fetch(`${API}/items/${id}`)))"),
            "{}",
            f[0].after
        );
        assert_parses(&f[0].after);
    }

    #[test]
    fn bounded_limited_and_database_fan_outs_are_left_alone() {
        let src = "app.post('/a', async (req, res) => {\n  const a = await Promise.all(req.body.ids.map((id) => limit(() => fetch(`/x/${id}`))));\n  const rows = await Item.findAll({ limit: 20 });\n  const b = await Promise.all(rows.map((r) => fetch(`/y/${r.id}`)));\n  const c = await Promise.all(req.body.ids.map((id) => User.findByPk(id)));\n  res.json({ a, b, c });\n});\n";
        let found = findings(&[("a.js", src)], &Params::default());
        assert!(found.iter().all(|f| !f.contains("unbounded-parallelism")), "{found:?}");
    }
}
