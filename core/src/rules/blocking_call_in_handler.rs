//! `blocking-call-in-handler`: synchronous I/O or CPU-bound library calls on a request path.
//! Docs: [`META`].

use super::{Context, Placement, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::latency;
use crate::model::{CallKind, CallSite};
use crate::params::Category;
use crate::syntax::{parse_expr, prop_name, unwrap};
use swc_common::Spanned;
use swc_ecma_ast::{CallExpr, Callee, Expr, Lit};

pub struct BlockingCallInHandler;

static META: RuleMeta = RuleMeta {
    id: "blocking-call-in-handler",
    category: Category::Concurrency,
    summary: "A synchronous file-system, crypto, compression or child-process call on a request path",
    docs: r#"## What it finds
A synchronous call that blocks Node's event loop, made while serving a request: `fs.*Sync`
(`readFileSync`, `writeFileSync`, `readdirSync`, `statSync`, …), `crypto.pbkdf2Sync`,
`crypto.scryptSync`, `generateKeyPairSync`, `zlib.*Sync` (`gzipSync`, `brotliCompressSync`,
…), `child_process.execSync`/`execFileSync`/`spawnSync`, and bcrypt's `hashSync`/`compareSync`
— in a route handler or in any helper a handler reaches, in any file.

## Why is this bad
Node runs all JavaScript of a process on one thread. While a synchronous call runs, no other
request is parsed, no response is written, no timer fires. A `pbkdf2Sync` of 50 ms caps the
whole process at 20 requests per second, whatever the number of cores, and every concurrent
request waits behind it: tail latency grows with traffic. The asynchronous forms do the same
work on libuv's thread pool (or in a child process) and leave the event loop free.

## Example
```js
app.post('/login', (req, res) => {
  const user = users.get(req.body.email);
  const hash = crypto.pbkdf2Sync(req.body.password, user.salt, 100000, 64, 'sha512');
  res.json({ ok: hash.toString('hex') === user.hash });
});
```
Use instead:
```js
app.post('/login', async (req, res) => {
  const user = users.get(req.body.email);
  const hash = await util.promisify(crypto.pbkdf2)(req.body.password, user.salt, 100000, 64, 'sha512');
  res.json({ ok: hash.toString('hex') === user.hash });
});
```
`await fs.promises.readFile(…)` for `fs.readFileSync(…)`, `await bcrypt.hash(…)` for
`bcrypt.hashSync(…)`, a promisified `execFile` for `execSync`.

## What it leaves alone
- start-up work: a template or a certificate read with `readFileSync` at module level, or in
  a function no route reaches (a script, a migration, the server's bootstrap); routes and
  helpers in code that runs once (`migrations/`, `seeds/`, `scripts/`, `bin/`, a set-up
  wizard's `setup.js`/`install.js`) and dev-only blocks
  (`if (process.env.NODE_ENV !== 'production')`): `model::once`;
- calls that block less than 10 µs per request (`cost::worth`);
- a value loaded once and kept (`template ??= fs.readFileSync(…)`, or
  `if (!template) template = fs.readFileSync(…)`), and every sync call inside such a guard's
  block (`if (!spec) { if (existsSync(file)) spec = readFileSync(file, 'utf8') }`) when what it
  tests is kept between requests (not a `let`/`const` of the handler);
- `genSaltSync` (random bytes: microseconds);
- CPU-bound loops written in JavaScript (`cpu-heavy-handler` finds those)."#,
    model: "latency",
};

impl Rule for BlockingCallInHandler {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for call in &ctx.program.calls {
            let op = match &call.kind {
                CallKind::Fs { op, sync: true } => op.as_str(),
                CallKind::Cpu { op } if op != "genSaltSync" => op.as_str(),
                _ => continue,
            };
            // Start-up work at module level is never on a request path.
            if call.function.is_none() {
                continue;
            }
            // Off a request path (start-up, scripts, set-up wizards, dev-only blocks): a
            // blocking call there costs once, not per request.
            let (endpoint, others) = match ctx.placement_at(call.file, call.span, call.function) {
                Placement::Endpoint { label, others } => (label, others),
                Placement::Offline | Placement::Filtered => continue,
            };
            let file = ctx.program.file(call.file);
            let before = ctx.lines(call.file, call.span);
            let function_text = call.function.map(|f| file.snippet(ctx.program.functions[f].span)).unwrap_or("");
            let function_start = call.function.map(|f| ctx.program.functions[f].span.lo.0).unwrap_or(call.span.lo.0);
            let at = call.span.lo.0.saturating_sub(function_start) as usize;
            if loaded_once(&before, file.snippet(call.span), function_text) || inside_once_guard(function_text, at) {
                continue;
            }
            let typescript = file.path.ends_with("ts") || file.path.ends_with("tsx");
            let text = file.snippet(call.span);
            let parsed = parse_expr(text, typescript);
            let inner = parsed.as_deref().and_then(|e| find_call(e, op));
            let (iterations, cost) = inner.map(|c| numeric_args(c, op)).unwrap_or((None, None));
            let blocked = latency::blocking_ms(op, iterations, cost);
            let off = if op.starts_with("exec") || op == "spawnSync" {
                latency::OffLoop::ChildProcess
            } else {
                latency::OffLoop::ThreadPool
            };
            let estimate = latency::event_loop(&ctx.profile, op, blocked, off);
            // Inclusion and severity: the event-loop time it blocks per request (cost::worth).
            let Some(severity) = crate::cost::worth::judge(&ctx.profile, true, blocked, crate::cost::worth::EVENT_LOOP)
            else {
                continue;
            };
            let rewrite = inner.and_then(|c| async_form(text, c, op));
            let callee = inner.map(|c| callee_text(text, c)).unwrap_or_else(|| op.to_string());
            let what = if matches!(call.kind, CallKind::Fs { .. }) {
                "synchronous file-system call"
            } else if op.starts_with("exec") || op == "spawnSync" {
                "synchronous child process"
            } else if op.ends_with("zipSync") || op.contains("flate") || op.contains("brotli") {
                "synchronous compression"
            } else {
                "synchronous CPU-bound call"
            };
            let mut message = format!(
                "`{callee}` is a {what} on a request path: it blocks the event loop ≈{} ms per request, and no other request is served meanwhile.",
                latency::fmt_ms(blocked)
            );
            match &rewrite {
                Some((_, advice)) => {
                    message.push(' ');
                    message.push_str(advice);
                }
                None => message.push_str(" Use its asynchronous form."),
            }
            if let Some(f) = call.function {
                if !ctx.program.functions[f].is_async {
                    let name = ctx.program.functions[f].name.as_deref().map(|n| format!("`{n}` ")).unwrap_or_default();
                    message
                        .push_str(&format!(" Make the enclosing function {name}`async` and await it in its callers."));
                }
            }
            if others > 0 {
                message.push_str(&format!(" Also on {others} other endpoint{}.", if others == 1 { "" } else { "s" }));
            }
            let after = rewrite
                .map(|(replacement, _)| {
                    let lines = replace_call(ctx, call, &before, &replacement);
                    // The call's lines may be part of a longer statement (`if (…) {`): then
                    // the rewritten expression alone.
                    if parses(&lines, &file.path) {
                        lines
                    } else {
                        replacement
                    }
                })
                .unwrap_or_default();
            out.push(ctx.finding(
                &META,
                call.file,
                call.span,
                severity,
                Some(endpoint),
                message,
                estimate,
                before,
                after,
            ));
        }
    }
}

/// Loaded once, then kept: `cache ??= fs.readFileSync(…)`, `cache ||= …`, or
/// `if (!cache) cache = fs.readFileSync(…)` (also `cache == null`, `=== undefined`,
/// `this.cache`), where the target is not a fresh `const`/`let`.
fn loaded_once(lines: &str, call: &str, function: &str) -> bool {
    if lines.contains("??=") || lines.contains("||=") {
        return true;
    }
    let Some(at) = lines.find(call) else { return false };
    let Some((target, _)) = lines[..at].rsplit_once('=') else { return false };
    let target = target.trim();
    if target.is_empty()
        || target.starts_with("const ")
        || target.starts_with("let ")
        || target.starts_with("var ")
        || target.ends_with(['=', '!', '<', '>'])
        || !target.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.')
    {
        return false;
    }
    if declared_in(function, target.split('.').next().unwrap_or(target)) {
        return false;
    }
    let compact: String = function.split_whitespace().collect();
    [
        format!("if(!{target})"),
        format!("if({target}==null)"),
        format!("if({target}===null)"),
        format!("if({target}===undefined)"),
        format!("if(typeof{target}==='undefined')"),
    ]
    .iter()
    .any(|guard| compact.contains(guard.as_str()))
}

/// Inside the block of a guard that runs once per process: `if (!spec) { … spec = … }` (also
/// `== null`, `=== null`, `=== undefined`), where the block assigns what its test checks
/// (`spec = …`, `build.sha = …` after `build = {…}`): growthbook's OpenAPI spec, robots.txt and
/// build info are read on the first request and kept, so the sync calls before the assignment
/// (`existsSync(file)`) run once too. `at` is the call's offset in `function`.
fn inside_once_guard(function: &str, at: usize) -> bool {
    let mut from = 0;
    while let Some(i) = function[from..].find("if") {
        let start = from + i;
        from = start + 2;
        let rest = &function[start + 2..];
        let Some(open) = rest.find('(') else { break };
        if !rest[..open].trim().is_empty() {
            continue;
        }
        let Some(close) = matching(rest, open, '(', ')') else { continue };
        let test: String = rest[open + 1..close].split_whitespace().collect();
        let target = test
            .strip_prefix('!')
            .or_else(|| test.strip_suffix("==null"))
            .or_else(|| test.strip_suffix("===null"))
            .or_else(|| test.strip_suffix("===undefined"))
            .unwrap_or("");
        if target.is_empty() || !target.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.') {
            continue;
        }
        let after = &rest[close + 1..];
        let Some(brace) = after.find('{') else { continue };
        if !after[..brace].trim().is_empty() {
            continue;
        }
        let block_start = start + 2 + close + 1 + brace;
        let Some(end) = matching(&function[block_start..], 0, '{', '}') else { continue };
        let block = &function[block_start..block_start + end];
        let root = target.split('.').next().unwrap_or(target);
        if at > block_start && at < block_start + end && assigns(block, target) && !declared_in(function, root) {
            return true;
        }
    }
    false
}

/// The offset of the bracket closing the one at `open` in `text` (strings not parsed).
fn matching(text: &str, open: usize, opening: char, closing: char) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text[open..].char_indices() {
        if c == opening {
            depth += 1;
        } else if c == closing {
            depth -= 1;
            if depth == 0 {
                return Some(open + i);
            }
        }
    }
    None
}

/// Is `name` declared in `function` (`let name`, `const name`, `var name`): a value of this
/// call, not one kept between requests.
fn declared_in(function: &str, name: &str) -> bool {
    ["let ", "const ", "var "].iter().any(|kw| {
        function.match_indices(&format!("{kw}{name}")).any(|(i, m)| {
            !function[i + m.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$')
        })
    })
}

/// Does `block` assign `target` (`target = …`, not `==`)?
fn assigns(block: &str, target: &str) -> bool {
    block.match_indices(target).any(|(i, _)| {
        let before = block[..i].chars().next_back();
        let after = block[i + target.len()..].trim_start();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.')
            && after.starts_with('=')
            && !after.starts_with("==")
    })
}

/// The call in a chain whose callee is `op` (`crypto.pbkdf2Sync(…)` in
/// `crypto.pbkdf2Sync(…).toString('hex')`).
fn find_call<'e>(expr: &'e Expr, op: &str) -> Option<&'e CallExpr> {
    match unwrap(expr) {
        Expr::Call(c) => {
            let Callee::Expr(callee) = &c.callee else { return None };
            match unwrap(callee) {
                Expr::Ident(i) if &*i.sym == op => Some(c),
                Expr::Member(m) if prop_name(&m.prop).as_deref() == Some(op) => Some(c),
                Expr::Member(m) => find_call(&m.obj, op),
                other => find_call(other, op),
            }
        }
        Expr::Member(m) => find_call(&m.obj, op),
        _ => None,
    }
}

fn range(span: swc_common::Span) -> std::ops::Range<usize> {
    span.lo.0.saturating_sub(1) as usize..span.hi.0.saturating_sub(1) as usize
}

fn number(expr: &Expr) -> Option<f64> {
    match unwrap(expr) {
        Expr::Lit(Lit::Num(n)) => Some(n.value),
        _ => None,
    }
}

/// pbkdf2's iteration count (third argument) and bcrypt's cost (second argument of
/// `hashSync`), when written as numbers.
fn numeric_args(c: &CallExpr, op: &str) -> (Option<f64>, Option<f64>) {
    match op {
        "pbkdf2Sync" => (c.args.get(2).and_then(|a| number(&a.expr)), None),
        "hashSync" => (None, c.args.get(1).and_then(|a| number(&a.expr))),
        _ => (None, None),
    }
}

/// `crypto.pbkdf2Sync`, `readFileSync`.
fn callee_text(text: &str, c: &CallExpr) -> String {
    match &c.callee {
        Callee::Expr(e) => text[range(e.span())].split_whitespace().collect(),
        _ => String::new(),
    }
}

/// The asynchronous form of the call `c` (inside the call site's text), with the user's own
/// receiver and arguments, and one sentence of advice.
fn async_form(text: &str, c: &CallExpr, op: &str) -> Option<(String, String)> {
    let Callee::Expr(callee) = &c.callee else { return None };
    let receiver = match unwrap(callee) {
        Expr::Member(m) => Some(text[range(m.obj.span())].to_string()),
        _ => None,
    };
    let args_start = c.args.first().map(|a| range(a.expr.span()).start);
    let args_end = c.args.last().map(|a| range(a.span()).end);
    let args = match (args_start, args_end) {
        (Some(s), Some(e)) => {
            // Include a leading spread (`...args`).
            let s = if text[..s].trim_end().ends_with("...") { text[..s].trim_end().len() - 3 } else { s };
            &text[s..e]
        }
        _ => "",
    };
    let base = op.strip_suffix("Sync")?;
    let module = if op.starts_with("exec") || op == "spawnSync" {
        "node:child_process"
    } else if op.contains("zip") || op.contains("flate") || op.contains("brotli") {
        "node:zlib"
    } else if op == "hashSync" || op == "compareSync" {
        "bcrypt"
    } else {
        "node:crypto"
    };
    let qualified = |name: &str| match &receiver {
        Some(r) => format!("{r}.{name}"),
        None => name.to_string(),
    };
    // For a named import, say where the asynchronous function comes from.
    let from = |name: &str| match &receiver {
        Some(r) => format!("`{r}.{name}`"),
        None => format!("`{name}` from `{module}`"),
    };
    let (expr, advice) = match op {
        "existsSync" => {
            let promises = match &receiver {
                Some(r) => format!("{r}.promises.access"),
                None => "access".to_string(),
            };
            (
                format!("await {promises}({args}).then(() => true, () => false)"),
                "Check with `fs.promises.access` instead (or just open the file and handle `ENOENT`).".to_string(),
            )
        }
        "hashSync" | "compareSync" => (
            format!("await {}({args})", qualified(base)),
            format!("Use {}, which hashes on libuv's thread pool.", from(base)),
        ),
        "pbkdf2Sync" | "scryptSync" | "generateKeyPairSync" | "generatePrimeSync" | "gzipSync" | "gunzipSync"
        | "deflateSync" | "inflateSync" | "deflateRawSync" | "inflateRawSync" | "unzipSync" | "brotliCompressSync"
        | "brotliDecompressSync" => (
            format!("await util.promisify({})({args})", qualified(base)),
            format!(
                "Use {} promisified (`util` is `require('node:util')`): the same work on libuv's thread pool.",
                from(base)
            ),
        ),
        "execSync" | "execFileSync" => (
            format!("(await util.promisify({})({args})).stdout", qualified(base)),
            format!(
                "Use {} promisified (`util` is `require('node:util')`): the command runs while the event loop serves other requests.",
                from(base)
            ),
        ),
        "spawnSync" => return None,
        _ => {
            // The file system: `fs.readFileSync` → `fs.promises.readFile`.
            match &receiver {
                Some(r) => (
                    format!("await {r}.promises.{base}({args})"),
                    format!("Use `{r}.promises.{base}`."),
                ),
                None => (
                    format!("await {base}({args})"),
                    format!("Use `{base}` from `node:fs/promises`."),
                ),
            }
        }
    };
    // The call is the start of a longer chain (`….toString('hex')`): parenthesise.
    let whole = 0..text.len();
    let r = range(c.span);
    let replacement = if r != whole && !expr.starts_with('(') { format!("({expr})") } else { expr };
    let mut out = text.to_string();
    out.replace_range(r, &replacement);
    Some((out, advice))
}

/// Whether `code` parses as statements of an async function.
fn parses(code: &str, path: &str) -> bool {
    let wrapped = format!("async function rewritten() {{\n{code}\n}}");
    crate::parse::parse(&crate::SourceFile::new(path, wrapped)).error.is_none()
}

/// The call site's lines with the call replaced.
fn replace_call(ctx: &Context, call: &CallSite, lines: &str, replacement: &str) -> String {
    let file = ctx.program.file(call.file);
    let start = file.lines.line_start(file.position(call.span.lo).0) as usize;
    let lo = file.offset(call.span.lo) as usize - start;
    let hi = file.offset(call.span.hi) as usize - start;
    let mut out = lines.to_string();
    if hi <= out.len() {
        out.replace_range(lo..hi, replacement);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_parses, findings};
    use crate::{analyze, LoadProfile, Params, SourceFile};

    const LOGIN: &str = r#"const crypto = require('crypto');
const fs = require('fs');
const template = fs.readFileSync('./login.html', 'utf8');

app.post('/login', (req, res) => {
  const hash = crypto.pbkdf2Sync(req.body.password, salt, 100000, 64, 'sha512').toString('hex');
  res.send(template.replace('{{ok}}', String(hash === stored)));
});
"#;

    #[test]
    fn flags_the_handler_call_not_the_start_up_read() {
        assert_eq!(
            findings(&[("login.js", LOGIN)], &Params::all_rules()),
            ["login.js:6:16 blocking-call-in-handler [POST /login] critical"]
        );
        let low = Params { load_profile: LoadProfile::Low, ..Params::all_rules() };
        assert_eq!(
            findings(&[("login.js", LOGIN)], &low),
            ["login.js:6:16 blocking-call-in-handler [POST /login] high"]
        );
    }

    #[test]
    fn rewrite_keeps_the_users_arguments_and_chain() {
        let a = analyze(&[SourceFile::new("login.js", LOGIN)], &Params::all_rules());
        let f = &a.findings[0];
        assert!(
            f.after.contains(
                "const hash = (await util.promisify(crypto.pbkdf2)(req.body.password, salt, 100000, 64, 'sha512')).toString('hex');"
            ),
            "{}",
            f.after
        );
        assert!(f.message.contains("Make the enclosing function `async`"), "{}", f.message);
        assert_parses(&f.after);
    }

    #[test]
    fn scripts_and_unrouted_helpers_are_left_alone() {
        let src = "const fs = require('fs');\nfunction loadConfig() { return JSON.parse(fs.readFileSync('c.json', 'utf8')); }\nconst config = loadConfig();\n";
        assert!(findings(&[("boot.js", src)], &Params::all_rules()).is_empty());
    }
}
