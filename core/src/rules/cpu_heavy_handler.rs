//! `cpu-heavy-handler`: a CPU-bound loop on a request path whose size the client decides.
//! Docs: [`META`].

use super::{Context, Placement, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::latency;
use crate::model::{CallId, FunctionId, Iteration, IterationKind};
use crate::params::{Category, Severity};

pub struct CpuHeavyHandler;

static META: RuleMeta = RuleMeta {
    id: "cpu-heavy-handler",
    category: Category::Concurrency,
    summary: "A CPU-bound loop on a request path whose iteration count comes from the request",
    docs: r#"## What it finds
A `for` or `while` loop that awaits nothing and whose condition compares against a number
the request supplies — `req.body.iterations`, `request.query.n`, a variable read from the
body, a NestJS `@Body()`/`@Query()` parameter, or the parameter of a helper that the handler calls with request data (the seed's
`cpuIntensiveTask(req.body)`) — on a request path.

## Why is this bad
The loop runs on the event loop: while it spins, the process serves nobody. Its length is
whatever the client sends, so one request with a large number blocks every other request
for as long as it likes — a denial of service as much as a slow endpoint. Worker threads run
the same code on another core and keep the event loop responsive.

## Example
```js
function cpuIntensiveTask(data) {
  let result = 0;
  for (let i = 0; i < data.iterations; i++) {
    result += Math.sqrt(i) * Math.sin(i);
  }
  return result;
}

app.post('/api/process', async (req, res) => {
  const result = cpuIntensiveTask(req.body); // Blocks for 500ms
  res.json({ result });
});
```
Use instead — the function in a worker (`worker_threads`, or a pool such as piscina), and a
cap on the size the request may ask for:
```js
app.post('/api/process', async (req, res) => {
  const result = await runWorker(req.body); // Non-blocking
  res.json({ result });
});
```

## What it leaves alone
- loops that await (I/O-bound loops are the other concurrency rules' concern);
- loops bounded by constants or by the server's own data;
- code no route reaches (scripts, start-up), and code already inside a worker file;
- `for…of` and per-item callbacks over request collections (their cost per item is usually
  small; nested searches inside them are `quadratic-lookup`'s)."#,
    model: "latency",
};

/// Roots of the request in each framework.
const REQUEST: &[&str] = &[
    "req.body",
    "req.query",
    "req.params",
    "request.body",
    "request.query",
    "request.payload",
    "request.params",
    "ctx.request.body",
    "ctx.query",
    "ctx.params",
];

/// Blocking time assumed for one request-sized CPU loop (`cost::latency::CPU_LOOP_MS`; the
/// seed's own example blocks for 500 ms); the real figure is whatever the client asks for.
const ASSUMED_BLOCK_MS: f64 = latency::CPU_LOOP_MS;

impl Rule for CpuHeavyHandler {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let mut flagged: Vec<&Iteration> = Vec::new();
        // Iterations that await something (at any depth inside them).
        let awaiting: std::collections::HashSet<usize> =
            ctx.program.calls.iter().filter(|c| c.awaited).flat_map(|c| c.iterations.iter().copied()).collect();
        for (id, iteration) in ctx.program.iterations.iter().enumerate() {
            let kind = match iteration.kind {
                IterationKind::Loop(k @ ("for" | "while")) => k,
                _ => continue,
            };
            // I/O-bound loops are not CPU-bound.
            if awaiting.contains(&id) {
                continue;
            }
            let file = ctx.program.file(iteration.file);
            let Some(test) = loop_test(file.snippet(iteration.span), kind) else { continue };
            // The innermost function holding the loop (`model::index`).
            let function = ctx.index.innermost_function(ctx.program, iteration.file, iteration.span);
            let Some((source, via)) = request_sized(ctx, function, &test) else { continue };
            let (endpoint, others) = match ctx.placement(function) {
                Placement::Endpoint { label, others } => (label, others),
                Placement::Offline | Placement::Filtered => continue,
            };
            // One finding per loop nest: the outermost request-sized loop (loops are visited
            // outermost first).
            if flagged
                .iter()
                .any(|o| o.file == iteration.file && o.span.lo <= iteration.span.lo && iteration.span.hi <= o.span.hi)
            {
                continue;
            }
            flagged.push(iteration);
            let estimate = latency::event_loop(
                &ctx.profile,
                "a request-sized CPU loop",
                ASSUMED_BLOCK_MS,
                latency::OffLoop::Workers,
            );
            let mut message = format!(
                "This {kind} loop runs on the event loop until `{}` — {source}: one large request blocks every other. Cap the size and move the work to a worker thread (`worker_threads`, piscina).",
                test.trim()
            );
            if others > 0 {
                message.push_str(&format!(" Also on {others} other endpoint{}.", if others == 1 { "" } else { "s" }));
            }
            let loop_lines = ctx.lines(iteration.file, iteration.statement);
            let cap = || cap_rewrite(ctx, function, &test, &loop_lines).unwrap_or_default();
            let (before, after) = match (via, function) {
                (Some(call), Some(f)) => match worker_rewrite(ctx, f, call) {
                    Some(pair) => pair,
                    None => (loop_lines.clone(), cap()),
                },
                _ => (loop_lines.clone(), cap()),
            };
            out.push(ctx.finding(
                &META,
                iteration.file,
                header_span(file.snippet(iteration.span), iteration.span),
                Severity::High,
                Some(endpoint),
                message,
                estimate,
                before,
                after,
            ));
        }
    }
}

/// For a loop in a named helper the handler calls with request data: the helper moved into a
/// worker file, and the handler's call replaced by `await runWorker(…)` (the seed's 5.2).
fn worker_rewrite(ctx: &Context, f: FunctionId, call: CallId) -> Option<(String, String)> {
    let func = &ctx.program.functions[f];
    let name = func.name.as_deref().filter(|n| !n.contains('.'))?;
    let site = &ctx.program.calls[call];
    let call_text = ctx.program.file(site.file).snippet(site.span);
    let args = call_text.strip_prefix(name)?.trim_start();
    if !args.starts_with('(') {
        return None;
    }
    let before = ctx.lines(func.file, func.span);
    let handler_file = &ctx.program.file(site.file).path;
    let handler_line = ctx.program.file(site.file).position(site.span.lo).0;
    let mut after = String::new();
    after.push_str("// cpu-worker.js: the same function, run on a worker thread\n");
    after.push_str("const { parentPort, workerData } = require('worker_threads');\n");
    after.push_str(before.trim_end());
    after.push_str(&format!("\nparentPort.postMessage({name}(workerData));\n"));
    after.push_str(&format!(
        "// {handler_file}:{handler_line}: `await runWorker{args}` instead of `{call_text}`, where runWorker\n// starts `new Worker('./cpu-worker.js', {{ workerData }})` and resolves with its message;\n// cap the size the request may ask for."
    ));
    Some((before, after))
}

/// The largest size a request may ask for in the cap rewrites: a placeholder the user tunes,
/// stated as such in the rewrite.
const CAP: &str = "10_000";

/// For a loop in the handler itself (or a helper no worker rewrite applies to): the size the
/// client controls capped before the loop, rejected with a 400 in the framework's own way
/// (`res.status(400)`, `ctx.throw(400)`, a `statusCode` error for Fastify, `h.response().code(400)`,
/// `BadRequestException`). The loop itself stays; moving it to a worker is the next step the
/// message names.
fn cap_rewrite(ctx: &Context, function: Option<FunctionId>, test: &str, loop_lines: &str) -> Option<String> {
    use crate::model::Framework;
    // `i < rounds`, `k <= n`, `n < ctx.query.n`: the side that is not the counter.
    let (left, right) = ["<=", ">=", "<", ">"].iter().find_map(|op| test.split_once(op))?;
    let chain = |s: &str| {
        let s = s.trim();
        !s.is_empty()
            && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.')
            && !s.starts_with(|c: char| c.is_ascii_digit())
    };
    let (left, right) = (left.trim(), right.trim().trim_start_matches('='));
    let bound = if chain(right) && (left.split('.').count() == 1 || !chain(left)) {
        right.trim()
    } else if chain(left) {
        left
    } else {
        return None;
    };
    let last = bound.rsplit('.').next().unwrap_or(bound);
    let constant = format!(
        "MAX_{}",
        last.chars().fold(String::new(), |mut out, c| {
            if c.is_uppercase() && !out.is_empty() {
                out.push('_');
            }
            out.extend(c.to_uppercase());
            out
        })
    );
    let f = function?;
    let route = ctx.program.routes_reaching(Some(f)).first().map(|&r| &ctx.program.routes[r])?;
    let params = &ctx.program.functions[f].params;
    let in_handler = route.handler == Some(f);
    let error = format!("'{last} must be at most ' + {constant}");
    let reject = match route.framework {
        Framework::Express if in_handler && params.len() >= 2 => {
            format!("return {}.status(400).json({{ error: {error} }});", params[1])
        }
        Framework::Express | Framework::Koa => format!("throw Object.assign(new Error({error}), {{ status: 400 }});"),
        Framework::Fastify => format!("throw Object.assign(new Error({error}), {{ statusCode: 400 }});"),
        Framework::Hapi if in_handler && params.len() >= 2 => {
            format!("return {}.response({{ error: {error} }}).code(400);", params[1])
        }
        Framework::NestJs => {
            format!("throw new BadRequestException({error}); // import {{ BadRequestException }} from '@nestjs/common'")
        }
        _ => return None,
    };
    let reject = match route.framework {
        Framework::Koa if in_handler && !params.is_empty() => format!("{}.throw(400, {error});", params[0]),
        _ => reject,
    };
    let indent: String = loop_lines.chars().take_while(|c| c.is_whitespace()).collect();
    Some(format!(
        "{indent}const {constant} = {CAP}; // the largest {last} a client legitimately needs\n{indent}if (Number({bound}) > {constant}) {{\n{indent}  {reject}\n{indent}}}\n{loop_lines}"
    ))
}

/// The loop's condition: the middle clause of `for (…; test; …)`, or `while (test)`.
fn loop_test(text: &str, kind: &str) -> Option<String> {
    let open = text.find('(')?;
    let mut depth = 0i32;
    let mut close = None;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i);
                    break;
                }
            }
            _ => {}
        }
    }
    let header = &text[open + 1..close?];
    if kind == "while" {
        return Some(header.to_string());
    }
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in header.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ';' if depth == 0 => {
                parts.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&header[start..]);
    (parts.len() == 3).then(|| parts[1].to_string()).filter(|t| !t.trim().is_empty())
}

/// The loop's first line up to its body: `for (let i = 0; i < n; i++)`.
fn header_span(text: &str, span: swc_common::Span) -> swc_common::Span {
    let end = text.find('{').or_else(|| text.find('\n')).unwrap_or(text.len());
    let end = text[..end].trim_end().len();
    swc_common::Span::new(span.lo, span.lo + swc_common::BytePos(end as u32))
}

/// The innermost function whose span holds the loop.
fn has_word(text: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    text.match_indices(word).any(|(i, _)| {
        !text[..i].chars().next_back().is_some_and(|c| ident(c) || c == '.')
            && !text[i + word.len()..].chars().next().is_some_and(ident)
    })
}

/// Whether the condition's bound comes from the request: directly, through a variable read
/// from it in the same function, or through a parameter of a function that a call passes
/// request data to.
fn request_sized<'p>(
    ctx: &Context<'p>,
    function: Option<FunctionId>,
    test: &str,
) -> Option<(&'static str, Option<CallId>)> {
    let program = ctx.program;
    if REQUEST.iter().any(|r| test.contains(r)) {
        return Some(("a number the request sends", None));
    }
    let f = function?;
    let func = &program.functions[f];
    let text = program.file(func.file).snippet(func.span);
    for line in text.lines() {
        if let Some((left, right)) = line.split_once('=') {
            let right = right.trim_start();
            let raw =
                left.trim().trim_start_matches("const ").trim_start_matches("let ").trim_start_matches("var ").trim();
            let names: Vec<&str> = match raw.strip_prefix('{') {
                // `{ a, b: c }`: the bound names (after a rename's colon).
                Some(inner) => inner
                    .trim_end_matches(['}', ' '])
                    .split(',')
                    .map(|n| n.rsplit(':').next().unwrap_or(n).trim())
                    .collect(),
                // `n: number`: the name before its type.
                None => vec![raw.split(':').next().unwrap_or(raw).trim()],
            };
            if REQUEST.iter().any(|r| right.starts_with(r)) && names.iter().any(|n| !n.is_empty() && has_word(test, n))
            {
                return Some(("a number the request sends", None));
            }
        }
    }
    let params: Vec<&String> = func.params.iter().filter(|p| has_word(test, p)).collect();
    if params.iter().any(|p| super::concurrency::nest_request_param(program, f, p)) {
        return Some(("a number the request sends", None));
    }
    if params.is_empty() {
        return None;
    }
    // The first call of `f` (by id, as a search of every call would find it) that passes
    // something of the request.
    let call = ctx.index.callers[f].iter().copied().find(|&c| {
        let c = &program.calls[c];
        let t = program.file(c.file).snippet(c.span);
        REQUEST.iter().any(|r| t.contains(r))
    })?;
    Some(("a number the handler passes from the request", Some(call)))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings;
    use crate::Params;

    #[test]
    fn the_seeds_cpu_task_is_flagged_at_its_loop() {
        let src = "function cpuIntensiveTask(data) {\n  let result = 0;\n  for (let i = 0; i < data.iterations; i++) {\n    result += Math.sqrt(i) * Math.sin(i);\n  }\n  return result;\n}\napp.post('/api/process', async (req, res) => {\n  const result = cpuIntensiveTask(req.body);\n  res.json({ result });\n});\n";
        assert_eq!(
            findings(&[("seed.js", src)], &Params::default()),
            ["seed.js:3:3 cpu-heavy-handler [POST /api/process] high"]
        );
    }

    #[test]
    fn constant_bounds_awaiting_loops_and_scripts_are_left_alone() {
        let src = "function warm(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }\nwarm(1e6);\napp.get('/a', async (req, res) => {\n  let s = 0;\n  for (let i = 0; i < 1000; i++) s += i;\n  for (let i = 0; i < req.query.n; i++) await fetch(`/x/${i}`);\n  res.json({ s });\n});\n";
        let found = findings(&[("a.js", src)], &Params::default());
        assert!(found.iter().all(|f| !f.contains("cpu-heavy-handler")), "{found:?}");
    }
}
