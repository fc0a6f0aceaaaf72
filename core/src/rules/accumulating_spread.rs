//! `accumulating-spread`: an accumulator copied with a spread on every iteration. Docs: [`META`].

use super::scan::{self, lines_of, Hooks, State};
use super::{Context, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::{complexity, fmt_num};
use crate::params::Category;
use crate::parse::Parsed;
use crate::syntax::{prop_name, unwrap};
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

pub struct AccumulatingSpread;

static META: RuleMeta = RuleMeta {
    id: "accumulating-spread",
    category: Category::Algorithms,
    summary: "An accumulator copied with a spread on every iteration (O(n²) copying)",
    docs: r#"## What it finds
A spread of the accumulator that rebuilds it on every iteration:
- in a `.reduce`/`.reduceRight` callback, a spread of its first parameter
  (`(acc, x) => ({ ...acc, [x.id]: x })`, `(acc, x) => [...acc, x]`);
- in a loop or per-item callback, a variable reassigned with a spread of itself
  (`result = { ...result, [k]: v }`, `list = [...list, item]`).

## Why is this bad
A spread copies every key or element accumulated so far. Iteration `i` copies `i` of them,
so `n` items cost `n·(n+1)/2` copies — 1,275 for 50 items, 20,100 for 200, half a million
for 1,000 — plus as many short-lived objects for the garbage collector. Writing into the
accumulator costs one operation per item.

## Example
```js
const usersById = users.reduce((acc, user) => ({ ...acc, [user.id]: user }), {});
```
Use instead — the accumulator is a fresh object owned by the `reduce`, so mutating it is
safe:
```js
const usersById = users.reduce((acc, user) => { acc[user.id] = user; return acc; }, {});
```
or `Object.fromEntries(users.map((user) => [user.id, user]))`, or a `Map`. For arrays,
`acc.push(x)`; in a loop, `result[k] = v` / `list.push(item)`.

## What it leaves alone
- spreads of anything but the accumulator (`(acc, x) => ({ ...x })`, `users.map((u) => ({ ...u }))`);
- a `reduce` over a small constant array (`['a', 'b'].reduce(…)`);
- a reassignment with a spread outside any loop, or of a variable declared inside the loop
  body (a fresh copy each iteration, not an accumulation)."#,
    model: "complexity",
};

impl Rule for AccumulatingSpread {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for file in 0..ctx.program.files.len() {
            let mut finder = Finder { ctx, file, out: Vec::new() };
            scan::walk(ctx.program, file, &mut finder);
            out.extend(finder.out);
        }
    }
}

struct Finder<'c, 'p> {
    ctx: &'c Context<'p>,
    file: usize,
    out: Vec<Finding>,
}

/// The span of `...name` in an object or array literal, if it spreads `name`.
fn spread_of(lit: &Expr, name: &str) -> Option<Span> {
    let is_name = |e: &Expr| matches!(unwrap(e), Expr::Ident(i) if &*i.sym == name);
    match unwrap(lit) {
        Expr::Object(o) => o.props.iter().find_map(|p| match p {
            PropOrSpread::Spread(s) if is_name(&s.expr) => Some(Span::new(s.dot3_token.lo, s.expr.span().hi)),
            _ => None,
        }),
        Expr::Array(a) => a.elems.iter().flatten().find_map(|e| match e.spread {
            Some(dots) if is_name(&e.expr) => Some(Span::new(dots.lo, e.expr.span().hi)),
            _ => None,
        }),
        _ => None,
    }
}

/// Object or array literals spreading `name` in a callback body (not in nested functions).
struct Spreads<'n> {
    name: &'n str,
    found: Vec<(Span, Span)>,
    depth: u32,
}

impl Visit for Spreads<'_> {
    fn visit_expr(&mut self, e: &Expr) {
        if let Some(s) = matches!(e, Expr::Object(_) | Expr::Array(_)).then(|| spread_of(e, self.name)).flatten() {
            self.found.push((s, e.span()));
        }
        e.visit_children_with(self);
    }
    fn visit_function(&mut self, f: &Function) {
        if self.depth == 0 {
            self.depth += 1;
            f.visit_children_with(self);
            self.depth -= 1;
        }
    }
    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        if self.depth == 0 {
            self.depth += 1;
            a.visit_children_with(self);
            self.depth -= 1;
        }
    }
}

/// The writes that replace a literal whose first entry spreads `acc`: `acc[k] = v`,
/// `Object.assign(acc, o)`, `acc.push(x, y)`. `None` when the literal has another shape.
fn writes(parsed: &Parsed, lit: &Expr, acc: &str) -> Option<Vec<String>> {
    let text = |s: Span| parsed.snippet(s).trim().to_string();
    match unwrap(lit) {
        Expr::Object(o) => {
            let (first, rest) = o.props.split_first()?;
            if !matches!(first, PropOrSpread::Spread(s) if matches!(unwrap(&s.expr), Expr::Ident(i) if &*i.sym == acc))
            {
                return None;
            }
            let mut out = Vec::new();
            for p in rest {
                match p {
                    PropOrSpread::Spread(s) => out.push(format!("Object.assign({acc}, {})", text(s.expr.span()))),
                    PropOrSpread::Prop(p) => match &**p {
                        Prop::Shorthand(i) => out.push(format!("{acc}.{} = {}", i.sym, i.sym)),
                        Prop::KeyValue(kv) => {
                            let target = match &kv.key {
                                PropName::Ident(i) => format!("{acc}.{}", i.sym),
                                PropName::Computed(c) => format!("{acc}[{}]", text(c.expr.span())),
                                k @ (PropName::Str(_) | PropName::Num(_)) => format!("{acc}[{}]", text(k.span())),
                                _ => return None,
                            };
                            out.push(format!("{target} = {}", text(kv.value.span())));
                        }
                        _ => return None,
                    },
                }
            }
            Some(out)
        }
        Expr::Array(a) => {
            let (first, rest) = a.elems.split_first()?;
            let first = first.as_ref()?;
            if first.spread.is_none() || !matches!(unwrap(&first.expr), Expr::Ident(i) if &*i.sym == acc) {
                return None;
            }
            let items: Option<Vec<String>> = rest
                .iter()
                .map(|e| {
                    e.as_ref().map(|e| {
                        if e.spread.is_some() {
                            format!("...{}", text(e.expr.span()))
                        } else {
                            text(e.expr.span())
                        }
                    })
                })
                .collect();
            let items = items?;
            Some(if items.is_empty() { Vec::new() } else { vec![format!("{acc}.push({})", items.join(", "))] })
        }
        _ => None,
    }
}

/// Replaces byte ranges (file offsets, non-overlapping) in the lines starting at `start`.
fn splice(lines: &str, start: usize, mut edits: Vec<(usize, usize, String)>) -> String {
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = lines.to_string();
    for (lo, hi, text) in edits {
        out.replace_range(lo - start..hi - start, &text);
    }
    out
}

impl Finder<'_, '_> {
    #[allow(clippy::too_many_arguments)]
    fn report(
        &mut self,
        spread: Span,
        state: &State,
        collection: Option<String>,
        how: String,
        advice: &str,
        before: String,
        after: String,
    ) {
        let Some((endpoint, others)) = scan::place(self.ctx, self.file, spread) else { return };
        let n = self.ctx.profile.items.value.max(0.0).round();
        let ops = complexity::accumulating_spread_ops(n);
        let shape = format!("n·(n+1)/2 vs n, n = {}", fmt_num(n));
        let estimate = complexity::estimate(&self.ctx.profile, ops, "copies", &shape);
        let Some(severity) = scan::severity(self.ctx, &endpoint, ops) else { return };
        let parsed = self.ctx.program.file(self.file);
        let spread_text = parsed.snippet(spread);
        let of = collection.map(|c| format!(" over `{c}`")).unwrap_or_default();
        let message = format!(
            "`{spread_text}` copies everything accumulated so far on every iteration of the {how}{of}: n·(n+1)/2 copies, O(n²). {advice}{}",
            scan::also_on(others)
        );
        let _ = state;
        self.out.push(self.ctx.finding(&META, self.file, spread, severity, endpoint, message, estimate, before, after));
    }
}

impl Hooks for Finder<'_, '_> {
    fn call(&mut self, call: &CallExpr, state: &State) {
        let Callee::Expr(callee) = &call.callee else { return };
        let Expr::Member(m) = unwrap(callee) else { return };
        let method = prop_name(&m.prop).unwrap_or_default();
        if method != "reduce" && method != "reduceRight" {
            return;
        }
        if matches!(state.bindings.kind(&m.obj), scan::Kind::SmallConst | scan::Kind::Str) {
            return;
        }
        let Some(callback) = call.args.first().filter(|a| a.spread.is_none()).map(|a| unwrap(&a.expr)) else { return };
        let acc = match scan::param_names(callback).first() {
            Some(a) => a.clone(),
            None => return,
        };
        // The first parameter must be a plain name (not destructured).
        let plain = match callback {
            Expr::Arrow(a) => matches!(a.params.first(), Some(Pat::Ident(_))),
            Expr::Fn(f) => matches!(f.function.params.first().map(|p| &p.pat), Some(Pat::Ident(_))),
            _ => false,
        };
        if !plain {
            return;
        }
        let mut spreads = Spreads { name: &acc, found: Vec::new(), depth: 0 };
        match callback {
            Expr::Arrow(a) => a.body.visit_with(&mut spreads),
            Expr::Fn(f) => f.function.body.visit_with(&mut spreads),
            _ => return,
        }
        let parsed = self.ctx.program.file(self.file);
        let collection = parsed.snippet(m.obj.span()).trim().to_string();
        let init = call.args.get(1).map(|a| &*a.expr);
        for (spread, lit) in spreads.found {
            let object = parsed.snippet(spread).len() > 3
                && matches!(parsed.snippet(lit).trim_start().chars().next(), Some('(' | '{'));
            let owned = match init.map(unwrap) {
                Some(Expr::Object(_) | Expr::Array(_)) => {
                    format!("it is a fresh {} owned by the `{method}`", if object { "object" } else { "array" })
                }
                Some(i) => {
                    let t = parsed.snippet(i.span()).trim();
                    format!("start the `{method}` from a copy of `{t}` so that `{t}` itself is not changed")
                }
                None => "give the `{method}` a fresh initial value".replace("{method}", &method),
            };
            let advice = if object {
                format!("Write into `{acc}` (`{acc}[key] = value; return {acc};`): {owned}. Or build it in one pass with `Object.fromEntries(…)` or a `Map`.")
            } else {
                format!("Push into `{acc}` (`{acc}.push(item); return {acc};`): {owned}.")
            };
            let (lines, start) = lines_of(parsed, call.span);
            let after =
                self.rewrite_reduce(parsed, callback, lit, &acc, init).map(|edits| splice(&lines, start, edits));
            // Safe to apply unreviewed (fix::policy) when the spread is the accumulator's one use.
            let safe = after.is_some() && mentions(callback, &acc) == 1;
            let reported = self.out.len();
            self.report(
                spread,
                state,
                Some(collection.clone()),
                format!("`.{method}` callback"),
                &advice,
                lines.clone(),
                after.unwrap_or_default(),
            );
            if let Some(f) = self.out.get_mut(reported) {
                f.safe_fix = safe;
            }
        }
    }

    fn assign(&mut self, a: &AssignExpr, state: &State) {
        if a.op != AssignOp::Assign {
            return;
        }
        let AssignTarget::Simple(SimpleAssignTarget::Ident(target)) = &a.left else { return };
        let name = target.id.sym.to_string();
        let Some(spread) = spread_of(&a.right, &name) else { return };
        // Inside an iteration that grows with the data, declared outside it.
        let Some(frame) = state.frames.iter().rev().take_while(|f| !f.names.contains(&name)).find(|f| !f.small) else {
            return;
        };
        if state.frames.iter().any(|f| f.names.contains(&name)) {
            return;
        }
        let parsed = self.ctx.program.file(self.file);
        let object = matches!(unwrap(&a.right), Expr::Object(_));
        let advice = if object {
            format!(
                "Write into `{name}` instead (`{name}[key] = value`), or build it once with `Object.fromEntries(…)`."
            )
        } else {
            format!("Push into `{name}` instead (`{name}.push(item)`).")
        };
        let statement = state.statements.last().copied().unwrap_or(a.span);
        let (lines, start) = lines_of(parsed, statement);
        // Mutating is safe only when the variable starts as a fresh literal of its own.
        let fresh = state.bindings.get(&name).is_some_and(|b| b.fresh);
        let rest = &parsed.text[parsed.offset(a.span.hi) as usize..];
        let statement_end = rest.trim_start_matches([' ', '\t']).starts_with([';', '\n', '\r', '}']) || rest.is_empty();
        let after = match writes(parsed, &a.right, &name) {
            Some(w) if fresh && statement_end && !w.is_empty() => {
                let lo = parsed.offset(a.span.lo) as usize;
                let hi = parsed.offset(a.span.hi) as usize;
                splice(&lines, start, vec![(lo, hi, w.join("; "))])
            }
            _ => String::new(),
        };
        let how = frame.describe();
        let collection = frame.collection.map(|c| parsed.snippet(c).trim().to_string());
        self.report(spread, state, collection, how, &advice, lines, after);
    }
}

/// How many times the callback's body names `name`.
fn mentions(callback: &Expr, name: &str) -> usize {
    struct Count<'n>(&'n str, usize);
    impl Visit for Count<'_> {
        fn visit_ident(&mut self, i: &Ident) {
            self.1 += usize::from(i.sym == *self.0);
        }
    }
    let mut count = Count(name, 0);
    match callback {
        Expr::Arrow(a) => a.body.visit_with(&mut count),
        Expr::Fn(f) => f.function.body.visit_with(&mut count),
        _ => {}
    }
    count.1
}

impl Finder<'_, '_> {
    /// The edits that make the reduce write into its accumulator.
    fn rewrite_reduce(
        &self,
        parsed: &Parsed,
        callback: &Expr,
        lit: Span,
        acc: &str,
        init: Option<&Expr>,
    ) -> Option<Vec<(usize, usize, String)>> {
        let off = |p: swc_common::BytePos| parsed.offset(p) as usize;
        let lit_expr = find_lit(callback, lit)?;
        let writes = writes(parsed, lit_expr, acc)?;
        let mut body: String = writes.iter().map(|w| format!("{w}; ")).collect();
        body.push_str(&format!("return {acc};"));
        let mut edits = Vec::new();
        match callback {
            // `(acc, x) => ({ ...acc, k: v })`: the whole expression body becomes a block.
            Expr::Arrow(a) if matches!(&*a.body, ArrowFunctionBody::Expr(e) if e.span().contains(lit)) => {
                let ArrowFunctionBody::Expr(e) = &*a.body else { return None };
                if unwrap(e).span() != lit {
                    return None;
                }
                edits.push((off(e.span().lo), off(e.span().hi), format!("{{ {body} }}")));
            }
            // `return { ...acc, k: v };` in a block body.
            _ => {
                let ret = find_return(callback, lit)?;
                let indent = scan::indent_at(parsed, ret.lo);
                let stmts: Vec<String> =
                    writes.iter().map(|w| format!("{w};")).chain([format!("return {acc};")]).collect();
                edits.push((off(ret.lo), off(ret.hi), stmts.join(&format!("\n{indent}"))));
            }
        }
        // The initial value must be a fresh literal, or be copied once.
        let init = init?;
        match unwrap(init) {
            Expr::Object(_) | Expr::Array(_) => {}
            other => {
                let t = parsed.snippet(init.span()).trim();
                let copy = if matches!(unwrap(lit_expr), Expr::Array(_)) {
                    format!("[...{t}]")
                } else {
                    format!("{{ ...{t} }}")
                };
                if matches!(other, Expr::Ident(_) | Expr::Member(_)) {
                    edits.push((off(init.span().lo), off(init.span().hi), copy));
                } else {
                    return None;
                }
            }
        }
        Some(edits)
    }
}

/// The literal at `span` inside `callback`.
fn find_lit(callback: &Expr, span: Span) -> Option<&Expr> {
    struct Find<'a> {
        span: Span,
        found: Option<&'a Expr>,
    }
    impl<'a> Find<'a> {
        fn visit(&mut self, e: &'a Expr) {
            if self.found.is_some() || !e.span().contains(self.span) {
                return;
            }
            if e.span() == self.span && matches!(e, Expr::Object(_) | Expr::Array(_) | Expr::Paren(_)) {
                self.found = Some(e);
                return;
            }
            match e {
                Expr::Paren(p) => self.visit(&p.expr),
                Expr::Arrow(a) => match &*a.body {
                    ArrowFunctionBody::Expr(b) => self.visit(b),
                    ArrowFunctionBody::FunctionBody(b) => self.stmts(&b.stmts),
                },
                Expr::Fn(f) => {
                    if let Some(b) = &f.function.body {
                        self.stmts(&b.stmts)
                    }
                }
                _ => {}
            }
        }
        fn stmts(&mut self, stmts: &'a [Stmt]) {
            for s in stmts {
                if let Stmt::Return(ReturnStmt { arg: Some(e), .. }) = s {
                    self.visit(e);
                }
            }
        }
    }
    let mut f = Find { span, found: None };
    f.visit(callback);
    f.found
}

/// The span of the top-level `return <literal>;` statement of a block-bodied callback.
fn find_return(callback: &Expr, lit: Span) -> Option<Span> {
    let stmts = match callback {
        Expr::Arrow(a) => match &*a.body {
            ArrowFunctionBody::FunctionBody(b) => &b.stmts,
            _ => return None,
        },
        Expr::Fn(f) => &f.function.body.as_ref()?.stmts,
        _ => return None,
    };
    stmts.iter().find_map(|s| match s {
        Stmt::Return(r) if r.arg.as_deref().is_some_and(|e| e.span() == lit || unwrap(e).span() == lit) => Some(r.span),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_parses, findings};
    use crate::{analyze, Params, SourceFile};

    fn only(src: &str) -> Vec<String> {
        findings(&[("a.js", src)], &Params::all_rules())
            .into_iter()
            .filter(|f| f.contains("accumulating-spread"))
            .collect()
    }

    #[test]
    fn reduce_spreads_are_flagged_and_rewritten_to_writes() {
        let src =
            "function index(users) {\n  return users.reduce((acc, user) => ({ ...acc, [user.id]: user }), {});\n}\n";
        assert_eq!(only(src), ["a.js:2:41 accumulating-spread [-] low"]);
        let a = analyze(&[SourceFile::new("a.js", src)], &Params::all_rules());
        assert_eq!(
            a.findings[0].after,
            "  return users.reduce((acc, user) => { acc[user.id] = user; return acc; }, {});"
        );
        assert_parses(&a.findings[0].after);
    }

    #[test]
    fn loop_reassignment_is_flagged_and_becomes_a_push() {
        let src = "function f(items) {\n  let out = [];\n  for (const item of items) {\n    out = [...out, item.id];\n  }\n  return out;\n}\n";
        assert_eq!(only(src), ["a.js:4:12 accumulating-spread [-] low"]);
        let a = analyze(&[SourceFile::new("a.js", src)], &Params::all_rules());
        assert_eq!(a.findings[0].after, "    out.push(item.id);");
    }

    #[test]
    fn other_spreads_are_left_alone() {
        let src = "function f(users, base) {\n  users.map((u) => ({ ...u, x: 1 }));\n  users.reduce((acc, u) => ({ ...u, acc }), {});\n  ['a', 'b'].reduce((acc, k) => ({ ...acc, [k]: 1 }), {});\n  let copy = { ...base };\n  copy = { ...copy, y: 2 };\n  for (const u of users) {\n    let row = {};\n    row = { ...row, id: u.id };\n  }\n}\n";
        assert!(only(src).is_empty(), "{:?}", only(src));
    }
}
