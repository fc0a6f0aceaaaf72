//! `memoization-candidate`: a recursion that recomputes overlapping sub-problems. Docs: [`META`].

use super::scan::{self, lines_of};
use super::{Context, Placement, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::complexity;
use crate::params::Category;
use crate::syntax::unwrap;
use swc_common::Spanned;
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

pub struct MemoizationCandidate;

static META: RuleMeta = RuleMeta {
    id: "memoization-candidate",
    category: Category::Algorithms,
    summary: "A recursion that recomputes the same sub-problems (exponential calls)",
    docs: r#"## What it finds
Two shapes of work done again and again on the same input:
- a call, inside a loop or per-item callback, of a pure function of the analysed code that
  does work of its own (it iterates) with arguments that do not change between iterations
  (`for (const o of orders) { const rates = buildRateTable(config); … }`): compute it once,
  before the loop;
- a function declaration that calls itself two or more times with arguments that step a
parameter by a constant (`fib(n - 1) + fib(n - 2)`, `paths(i + 1, j) + paths(i, j + 1)`,
`best(i - 1, w)` / `best(i - 1, w - weight[i])`) and keeps no cache: the recursion tree
solves the same sub-problems over and over.

## Why is this bad
Each call spawns two or more calls on almost the same input, so the number of calls grows
exponentially with the input — at least like the Fibonacci numbers: ≈2.7 million calls
for `n = 30` — although there are only about `n` distinct sub-problems. Cached by its
arguments, each sub-problem is computed once.

## Example
```js
function fib(n) {
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}
```
Use instead — the same function behind a cache of its results (the seed's 4.2 memoization):
```js
const fibCache = new Map();
function fib(n) {
  if (fibCache.has(n)) return fibCache.get(n);
  const result = fibUncached(n);
  fibCache.set(n, result);
  return result;
}
function fibUncached(n) {
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}
```
The cache lives as long as the module: bound it (an LRU) if the inputs are unbounded.

## What it leaves alone
- calls whose arguments use the item or anything the loop changes (assigns, pushes to);
  functions that are not pure as far as one can tell (they await, touch the database, the
  network, the file system or a cache, assign outside their own locals, mutate an object,
  use `this`, `Math.random` or the clock, consume or mutate a parameter in place:
  `queue.shift()`, `ids.sort()`, `list.push(…)`) or that do no iteration of their own;
- closures declared inside the iteration, or reading what it binds (a `get(type)` that
  searches the current item's parts): the same arguments give a different answer per item;
- recursion with a single self-call (a loop in disguise) or over different parts of the
  input (`walk(node.left)`, `walk(node.right)`, merge sort's halves): no sub-problem repeats;
- functions that already cache (a `memo`/`cache` name, a `Map` lookup), `async` functions,
  methods using `this`;
- the rewrite is offered only when every parameter is stepped by the recursion (then the
  cache key is the whole input); otherwise the finding advises a cache keyed by the inputs."#,
    model: "complexity",
};

/// The sample problem size: the profile's `items`, at most 30 (the naive count is
/// astronomical beyond, and the estimate says nothing more).
const MAX_N: f64 = complexity::MAX_RECURSION_N;

impl Rule for MemoizationCandidate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for (file, parsed) in ctx.program.files.iter().enumerate() {
            let Some(program) = &parsed.program else { continue };
            let mut v = Checker { ctx, file, out: Vec::new() };
            program.visit_with(&mut v);
            out.extend(v.out);
            let mut calls = InvariantCalls { ctx, file, out: Vec::new() };
            scan::walk(ctx.program, file, &mut calls);
            out.extend(calls.out);
        }
    }
}

struct Checker<'c, 'p> {
    ctx: &'c Context<'p>,
    file: usize,
    out: Vec<Finding>,
}

impl Visit for Checker<'_, '_> {
    fn visit_fn_decl(&mut self, f: &FnDecl) {
        if let Some(finding) = check_fn(self.ctx, self.file, f) {
            self.out.push(finding);
        }
        f.visit_children_with(self);
    }
}

/// Calls of pure user functions with loop-invariant arguments.
struct InvariantCalls<'c, 'p> {
    ctx: &'c Context<'p>,
    file: usize,
    out: Vec<Finding>,
}

/// Does the loop text change `name` (assign, update, push to it)?
fn changed_in(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = &text[..i];
        let after = &text[i + name.len()..];
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '.'));
        if word(before.chars().next_back()) || after.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$')
        {
            return false;
        }
        let a = after.trim_start();
        (a.starts_with('=') && !a.starts_with("==") && !a.starts_with("=>"))
            || ["+=", "-=", "*=", "/=", "++", "--", "||=", "&&=", "??="].iter().any(|op| a.starts_with(op))
            || before.trim_end().ends_with("++")
            || before.trim_end().ends_with("--")
            || [".push(", ".pop(", ".shift(", ".unshift(", ".splice(", ".sort(", ".set(", ".add(", ".delete("]
                .iter()
                .any(|m| after.starts_with(m))
            || (after.starts_with('.') && {
                // `name.field = …`
                let rest = &after[1..];
                let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).unwrap_or(rest.len());
                let t = rest[end..].trim_start();
                t.starts_with('=') && !t.starts_with("==")
            })
    })
}

/// Does `text` (a function's source) consume or mutate one of `params` in place
/// (`queue.shift()`, `list.sort()`, `items.splice(…)`, `Object.assign(target, …)`)? Such a
/// function is not pure: caching it would skip the mutation, and its arguments are not the
/// same input on the next call.
fn mutates_params(text: &str, params: &[String]) -> bool {
    const MUTATORS: &[&str] = &[
        ".push(", ".pop(", ".shift(", ".unshift(", ".splice(", ".sort(", ".reverse(", ".fill(", ".copyWithin(",
        ".set(", ".add(", ".delete(", ".clear(",
    ];
    params.iter().any(|p| {
        MUTATORS.iter().any(|m| text.match_indices(&format!("{p}{m}")).any(|(i, _)| !scan::word_char_before(text, i)))
            || text.contains(&format!("Object.assign({p},"))
    })
}

/// Is the function at `span` pure as far as its text tells, and does it iterate?
fn pure_and_working(ctx: &Context, target: crate::model::FunctionId) -> bool {
    let f = &ctx.program.functions[target];
    if f.is_async {
        return false;
    }
    let parsed = ctx.program.file(f.file);
    let text = parsed.snippet(f.span);
    if ["this", "await", "yield", "Math.random", "Date.now", "new Date(", "delete ", "console."]
        .iter()
        .any(|t| text.contains(t))
    {
        return false;
    }
    if mutates_params(text, &f.params) {
        return false;
    }
    let inside = |s: swc_common::Span| s.lo >= f.span.lo && s.hi <= f.span.hi;
    // No I/O: every call the model classified inside is plain code.
    if ctx.index.calls_in_file[f.file]
        .iter()
        .map(|&c| &ctx.program.calls[c])
        .any(|c| inside(c.span) && !matches!(c.kind, crate::model::CallKind::Other))
    {
        return false;
    }
    // Work of its own: an iteration inside.
    if !ctx.index.iterations_in_file[f.file].iter().any(|&it| inside(ctx.program.iterations[it].span)) {
        return false;
    }
    // Assignments only to its own locals (declared in it, or its parameters are not written).
    let Some(program) = &parsed.program else { return false };
    let mut check =
        Assigns { target: f.span, inside: false, locals: Vec::new(), writes: Vec::new(), member_write: false };
    program.visit_with(&mut check);
    !check.member_write && check.writes.iter().all(|w| check.locals.contains(w) && !f.params.contains(w))
}

struct Assigns {
    target: swc_common::Span,
    inside: bool,
    locals: Vec<String>,
    writes: Vec<String>,
    member_write: bool,
}

impl Visit for Assigns {
    fn visit_function(&mut self, f: &Function) {
        let was = self.inside;
        self.inside |= f.span == self.target;
        f.visit_children_with(self);
        self.inside = was;
    }
    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        let was = self.inside;
        self.inside |= a.span == self.target;
        a.visit_children_with(self);
        self.inside = was;
    }
    fn visit_var_declarator(&mut self, d: &VarDeclarator) {
        if self.inside {
            let mut names = Vec::new();
            collect_pat(&d.name, &mut names);
            self.locals.extend(names);
        }
        d.visit_children_with(self);
    }
    fn visit_assign_expr(&mut self, a: &AssignExpr) {
        if self.inside {
            match &a.left {
                AssignTarget::Simple(SimpleAssignTarget::Ident(i)) => self.writes.push(i.id.sym.to_string()),
                // `table[key] = v` on an object the function created itself is still pure.
                AssignTarget::Simple(SimpleAssignTarget::Member(m)) => match root(&m.obj) {
                    Some(r) => self.writes.push(r),
                    None => self.member_write = true,
                },
                _ => self.member_write = true,
            }
        }
        a.visit_children_with(self);
    }
    fn visit_update_expr(&mut self, u: &UpdateExpr) {
        if self.inside {
            match unwrap(&u.arg) {
                Expr::Ident(i) => self.writes.push(i.sym.to_string()),
                _ => self.member_write = true,
            }
        }
        u.visit_children_with(self);
    }
}

/// The identifier a member chain starts from: `table` in `table[a].b`.
fn root(e: &Expr) -> Option<String> {
    match unwrap(e) {
        Expr::Ident(i) => Some(i.sym.to_string()),
        Expr::Member(m) => root(&m.obj),
        _ => None,
    }
}

fn collect_pat(p: &Pat, out: &mut Vec<String>) {
    match p {
        Pat::Ident(i) => out.push(i.id.sym.to_string()),
        Pat::Array(a) => a.elems.iter().flatten().for_each(|e| collect_pat(e, out)),
        Pat::Object(o) => o.props.iter().for_each(|pr| match pr {
            ObjectPatProp::KeyValue(kv) => collect_pat(&kv.value, out),
            ObjectPatProp::Assign(a) => out.push(a.key.sym.to_string()),
            ObjectPatProp::Rest(r) => collect_pat(&r.arg, out),
        }),
        Pat::Rest(r) => collect_pat(&r.arg, out),
        Pat::Assign(a) => collect_pat(&a.left, out),
        _ => {}
    }
}

/// `buildRateTable` → `rateTable`; `score` → `scoreResult`.
fn result_name(callee: &str) -> String {
    for prefix in ["get", "compute", "calculate", "calc", "build", "make", "create", "load", "parse", "find"] {
        if let Some(rest) = callee.strip_prefix(prefix) {
            if rest.starts_with(|c: char| c.is_uppercase()) {
                let mut c = rest.chars();
                return c.next().map(|f| f.to_lowercase().collect::<String>() + c.as_str()).unwrap_or_default();
            }
        }
    }
    format!("{callee}Result")
}

impl scan::Hooks for InvariantCalls<'_, '_> {
    fn call(&mut self, call: &CallExpr, state: &scan::State) {
        if state.frames.is_empty() || call.args.is_empty() {
            return;
        }
        let Callee::Expr(callee) = &call.callee else { return };
        let Expr::Ident(callee_id) = unwrap(callee) else { return };
        let Some(site) = self.ctx.index.call_at.get(&(self.file, call.span)).map(|&c| &self.ctx.program.calls[c]) else {
            return;
        };
        let Some(&target) = site.callees.first() else { return };
        if call.args.iter().any(|a| a.spread.is_some()) {
            return;
        }
        let arg_names: Vec<String> = call.args.iter().flat_map(|a| scan::mentions(&*a.expr)).collect();
        // The outermost growing iteration the arguments do not depend on.
        let mut chosen = None;
        for i in (0..state.frames.len()).rev() {
            let f = &state.frames[i];
            if f.names.iter().any(|n| arg_names.contains(n)) {
                break;
            }
            let text = state.text(f.span);
            if arg_names.iter().any(|n| changed_in(text, n)) {
                break;
            }
            if !f.small {
                chosen = Some(i);
            }
        }
        let Some(i) = chosen else { return };
        // The call must not sit in the function it calls (recursion) and the callee must be pure.
        let callee_fn = &self.ctx.program.functions[target];
        if callee_fn.span.lo <= call.span.lo && call.span.hi <= callee_fn.span.hi {
            return;
        }
        if !pure_and_working(self.ctx, target) {
            return;
        }
        // A closure declared inside the iteration, or one that reads what the iteration binds
        // (umami's `const get = (type) => parts.find(…)` per item): its result changes per
        // item even when its arguments do not.
        let frame = &state.frames[i];
        if callee_fn.file == self.file && frame.span.lo <= callee_fn.span.lo && callee_fn.span.hi <= frame.span.hi {
            return;
        }
        let callee_text = self.ctx.program.file(callee_fn.file).snippet(callee_fn.span);
        // (A name the callee declares itself — its own `i`, its parameters — is not a read.)
        let declares = |n: &str| {
            callee_fn.params.iter().any(|p| p == n)
                || ["let ", "const ", "var "].iter().any(|k| callee_text.contains(&format!("{k}{n} ")) || callee_text.contains(&format!("{k}{n}=")))
        };
        if state.names_from(i).iter().any(|n| scan::word_in(callee_text, n) && !declares(n)) {
            return;
        }
        let Some((endpoint, others)) = scan::place(self.ctx, self.file, call.span) else { return };
        let parsed = self.ctx.program.file(self.file);
        let call_text = parsed.snippet(call.span).trim().to_string();
        let n = self.ctx.profile.items.value.max(0.0).round();
        // The callee iterates: its work is taken as `m = items` operations per call.
        let ops = complexity::invariant_call_ops(n, n);
        let shape = format!("n calls × m vs 1 call × m, n = m = {}", crate::cost::fmt_num(n));
        let estimate = complexity::estimate(&self.ctx.profile, ops, "operations", &shape);
        let Some(severity) = scan::severity(self.ctx, &endpoint, ops) else { return };
        let name = callee_id.sym.to_string();
        let message = format!(
            "`{call_text}` runs on every iteration of the {} over `{}` with arguments that do not change, and `{name}` is pure: the same result is computed n times. Compute it once, before the iteration.{}",
            frame.describe(),
            state.collection_text(frame),
            scan::also_on(others)
        );
        let after = match frame.statement {
            Some(statement) => {
                let (lines, start) = lines_of(parsed, statement);
                let var = scan::fresh_name(&parsed.text, &result_name(&name));
                let lo = parsed.offset(call.span.lo) as usize - start;
                let hi = parsed.offset(call.span.hi) as usize - start;
                let mut body = lines.clone();
                body.replace_range(lo..hi, &var);
                let indent = scan::indent_at(parsed, statement.lo);
                format!("{indent}const {var} = {call_text};\n{body}")
            }
            None => String::new(),
        };
        let before = frame.statement.map(|s| self.ctx.lines(self.file, s)).unwrap_or_default();
        self.out
            .push(self.ctx.finding(&META, self.file, call.span, severity, endpoint, message, estimate, before, after));
    }
}

/// Calls of `name` in a body (not in nested functions), and whether it caches or uses `this`.
struct SelfCalls<'n> {
    name: &'n str,
    call_args: Vec<Vec<Expr>>,
    caches: bool,
    depth: u32,
}

impl Visit for SelfCalls<'_> {
    fn visit_call_expr(&mut self, c: &CallExpr) {
        if let Callee::Expr(e) = &c.callee {
            if matches!(unwrap(e), Expr::Ident(i) if &*i.sym == self.name) {
                self.call_args.push(c.args.iter().map(|a| (*a.expr).clone()).collect());
            }
        }
        c.visit_children_with(self);
    }
    fn visit_ident(&mut self, i: &Ident) {
        let n = i.sym.to_ascii_lowercase();
        if n.contains("memo") || n.contains("cache") {
            self.caches = true;
        }
    }
    fn visit_this_expr(&mut self, _: &ThisExpr) {
        self.caches = true;
    }
    fn visit_function(&mut self, f: &Function) {
        if self.depth == 0 {
            self.depth += 1;
            f.visit_children_with(self);
            self.depth -= 1;
        }
    }
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
}

/// `p - 1`, `p + 2`, `i + 1` for a parameter `p`: the parameter stepped by a constant.
fn stepped(e: &Expr, params: &[String]) -> Option<String> {
    let Expr::Bin(b) = unwrap(e) else { return None };
    if !matches!(b.op, BinaryOp::Sub | BinaryOp::Add) {
        return None;
    }
    let (Expr::Ident(p), Expr::Lit(Lit::Num(_))) = (unwrap(&b.left), unwrap(&b.right)) else { return None };
    params.contains(&p.sym.to_string()).then(|| p.sym.to_string())
}

fn check_fn(ctx: &Context, file: usize, f: &FnDecl) -> Option<Finding> {
    let function = &f.function;
    if function.is_async || function.is_generator {
        return None;
    }
    let params: Vec<String> = function
        .params
        .iter()
        .map(|p| match &p.pat {
            Pat::Ident(i) => Some(i.id.sym.to_string()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let body = function.body.as_ref()?;
    let name = f.ident.sym.to_string();
    if mutates_params(ctx.program.file(file).snippet(function.span), &params) {
        return None;
    }
    let mut v = SelfCalls { name: &name, call_args: Vec::new(), caches: false, depth: 1 };
    body.visit_with(&mut v);
    if v.caches || v.call_args.len() < 2 {
        return None;
    }
    let parsed = ctx.program.file(file);
    // Self-calls that step a parameter by a constant, with different arguments.
    let mut stepped_params: Vec<String> = Vec::new();
    let mut shapes: Vec<String> = Vec::new();
    for args in &v.call_args {
        let steps: Vec<String> = args.iter().filter_map(|a| stepped(a, &params)).collect();
        if steps.is_empty() {
            continue;
        }
        stepped_params.extend(steps);
        shapes.push(
            args.iter()
                .map(|a| parsed.snippet(a.span()).split_whitespace().collect::<String>())
                .collect::<Vec<_>>()
                .join(","),
        );
    }
    shapes.sort();
    shapes.dedup();
    if shapes.len() < 2 {
        return None;
    }
    let (endpoint, others) = match ctx.placement(scan::function_at(ctx, file, body.span)) {
        Placement::Filtered => return None,
        Placement::Offline => (None, 0),
        Placement::Endpoint { label, others } => (Some(label), others),
    };
    let n = ctx.profile.items.value.max(1.0).round().min(MAX_N);
    let dims = stepped_params.iter().collect::<std::collections::BTreeSet<_>>().len().max(1) as i32;
    let mut ops = complexity::overlapping_recursion_ops(n);
    // Distinct sub-problems: one per combination of the stepped parameters.
    ops.after = (n + 1.0).powi(dims);
    let shape = format!("naive ≥ 2·F(n+1) − 1 calls vs (n + 1)^{dims} sub-problems, n = {}", crate::cost::fmt_num(n));
    let estimate = complexity::estimate(&ctx.profile, ops, "calls", &shape);
    let severity = scan::severity(ctx, &endpoint, ops)?;
    stepped_params.sort();
    stepped_params.dedup();
    let all_stepped = params.iter().all(|p| stepped_params.contains(p)) && !params.is_empty();
    let message = format!(
        "`{name}` calls itself {} times per call on overlapping inputs and caches nothing: the calls grow exponentially while there are only about n distinct sub-problems. Cache its results by {} (memoize).{}",
        v.call_args.len(),
        if all_stepped { format!("`{}`", params.join(", ")) } else { "its inputs".to_string() },
        scan::also_on(others)
    );
    let span = f.ident.span;
    let (lines, _) = lines_of(parsed, function.span);
    let decl_start = parsed.offset(function.span.lo) as usize;
    let line_start = parsed.lines.line_start(parsed.position(function.span.lo).0) as usize;
    let prefix = &parsed.text[line_start..decl_start];
    // (An exported declaration is left without a rewrite: the rewrite is checked as a
    // function body, where `export` cannot appear.)
    let after = if all_stepped && prefix.trim().is_empty() {
        let indent = prefix.to_string();
        let cache = scan::fresh_name(&parsed.text, &format!("{name}Cache"));
        let uncached = scan::fresh_name(&parsed.text, &format!("{name}Uncached"));
        let key = if params.len() == 1 {
            params[0].clone()
        } else {
            format!("`{}`", params.iter().map(|p| format!("${{{p}}}")).collect::<Vec<_>>().join("|"))
        };
        let args = params.join(", ");
        // The wrapper's signature as written (with its TypeScript types).
        let signature = function.params.iter().map(|p| parsed.snippet(p.span).trim()).collect::<Vec<_>>().join(", ");
        let returns = function.return_type.as_ref().map(|t| parsed.snippet(t.span).to_string()).unwrap_or_default();
        // The original, renamed: its self-calls now go through the cache.
        let ident_lo = parsed.offset(f.ident.span.lo) as usize - line_start;
        let ident_hi = parsed.offset(f.ident.span.hi) as usize - line_start;
        let mut original = lines.clone();
        original.replace_range(ident_lo..ident_hi, &uncached);
        format!(
            "{indent}const {cache} = new Map();\n{indent}function {name}({signature}){returns} {{\n{indent}  const key = {key};\n{indent}  if ({cache}.has(key)) return {cache}.get(key);\n{indent}  const result = {uncached}({args});\n{indent}  {cache}.set(key, result);\n{indent}  return result;\n{indent}}}\n{original}"
        )
    } else {
        String::new()
    };
    Some(ctx.finding(&META, file, span, severity, endpoint, message, estimate, lines, after))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_parses, findings};
    use crate::{analyze, Params, SourceFile};

    fn only(src: &str) -> Vec<String> {
        findings(&[("a.js", src)], &Params::all_rules())
            .into_iter()
            .filter(|f| f.contains("memoization-candidate"))
            .collect()
    }

    #[test]
    fn fibonacci_is_flagged_and_memoized() {
        let src = "function fib(n) {\n  if (n < 2) return n;\n  return fib(n - 1) + fib(n - 2);\n}\n";
        assert_eq!(only(src), ["a.js:1:10 memoization-candidate [-] low"]);
        let a = analyze(&[SourceFile::new("a.js", src)], &Params::all_rules());
        let f = &a.findings[0];
        assert!(
            f.after.starts_with("const fibCache = new Map();\nfunction fib(n) {\n  const key = n;\n"),
            "{}",
            f.after
        );
        assert!(
            f.after.contains("function fibUncached(n) {\n  if (n < 2) return n;\n  return fib(n - 1) + fib(n - 2);\n}"),
            "{}",
            f.after
        );
        assert_parses(&f.after);
    }

    const RATES: &str = "function buildRateTable(config) {\n  const table = {};\n  for (const zone of config.zones) {\n    table[zone.id] = zone.rate * config.factor;\n  }\n  return table;\n}\n";

    #[test]
    fn pure_call_with_invariant_arguments_is_hoisted() {
        let src = format!("{RATES}function price(orders, config) {{\n  for (const order of orders) {{\n    const rates = buildRateTable(config);\n    order.price = rates[order.zone] * order.weight;\n  }}\n}}\n");
        assert_eq!(only(&src), ["a.js:10:19 memoization-candidate [-] low"]);
        let a = analyze(&[SourceFile::new("a.js", src.as_str())], &Params::all_rules());
        let f = &a.findings[0];
        assert!(f.after.starts_with("  const rateTable = buildRateTable(config);\n  for (const order of orders) {\n    const rates = rateTable;"), "{}", f.after);
        assert_parses(&f.after);
    }

    #[test]
    fn per_item_arguments_changing_arguments_and_impure_functions_are_left_alone() {
        let src = format!("{RATES}async function load(id) {{\n  for (const x of [1, 2]) {{}}\n  return await db.find(id);\n}}\nfunction f(orders, config, seen) {{\n  for (const order of orders) {{\n    buildRateTable(order.config);\n    seen.push(order);\n    buildRateTable(seen);\n    load(config);\n  }}\n}}\n");
        assert!(only(&src).is_empty(), "{:?}", only(&src));
    }

    #[test]
    fn tree_walks_single_self_calls_and_caching_functions_are_left_alone() {
        let src = "function walk(node) {\n  if (!node) return 0;\n  return walk(node.left) + walk(node.right);\n}\nfunction count(n) {\n  return n <= 0 ? 0 : 1 + count(n - 1);\n}\nconst memo = new Map();\nfunction fib(n) {\n  if (memo.has(n)) return memo.get(n);\n  const r = n < 2 ? n : fib(n - 1) + fib(n - 2);\n  memo.set(n, r);\n  return r;\n}\n";
        assert!(only(src).is_empty(), "{:?}", only(src));
    }
}
