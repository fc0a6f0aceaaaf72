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
A function declaration that calls itself two or more times with arguments that step a
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
const MAX_N: f64 = 30.0;

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
    let severity = scan::severity(ctx, &endpoint, ops);
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
        findings(&[("a.js", src)], &Params::default())
            .into_iter()
            .filter(|f| f.contains("memoization-candidate"))
            .collect()
    }

    #[test]
    fn fibonacci_is_flagged_and_memoized() {
        let src = "function fib(n) {\n  if (n < 2) return n;\n  return fib(n - 1) + fib(n - 2);\n}\n";
        assert_eq!(only(src), ["a.js:1:10 memoization-candidate [-] low"]);
        let a = analyze(&[SourceFile::new("a.js", src)], &Params::default());
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

    #[test]
    fn tree_walks_single_self_calls_and_caching_functions_are_left_alone() {
        let src = "function walk(node) {\n  if (!node) return 0;\n  return walk(node.left) + walk(node.right);\n}\nfunction count(n) {\n  return n <= 0 ? 0 : 1 + count(n - 1);\n}\nconst memo = new Map();\nfunction fib(n) {\n  if (memo.has(n)) return memo.get(n);\n  const r = n < 2 ? n : fib(n - 1) + fib(n - 2);\n  memo.set(n, r);\n  return r;\n}\n";
        assert!(only(src).is_empty(), "{:?}", only(src));
    }
}
