//! `sort-in-loop`: an array sorted once per iteration when once would do. Docs: [`META`].

use super::scan::{self, lines_of, mentions, word_in, Hooks, Kind, State};
use super::{Context, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::{complexity, fmt_num};
use crate::model::CallKind;
use crate::params::Category;
use crate::syntax::{prop_name, unwrap};
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;

pub struct SortInLoop;

static META: RuleMeta = RuleMeta {
    id: "sort-in-loop",
    category: Category::Algorithms,
    summary: "An array sorted on every iteration of a loop instead of once",
    docs: r#"## What it finds
A `sort`/`toSorted` inside a loop or per-item callback (`.map`, `.forEach`, …) that could
run once instead:
- the sorted array does not depend on the iteration (the same array is sorted every time):
  sort it once, before the loop;
- the array grows inside the loop (`results.push(x); results.sort(cmp)`): sort it once,
  after the loop.

## Why is this bad
A sort costs `m · log₂ m` comparisons. Inside a loop of `n` iterations that is
`n · m · log₂ m` where `m · log₂ m` would do: for 50 iterations over 50 elements, about
14,000 comparisons instead of 280, each one a call of the comparator on the event loop.

## Example
```js
for (const order of orders) {
  const ranked = products.sort((a, b) => b.sales - a.sales);
  order.top = ranked[0];
}
```
Use instead:
```js
const sortedProducts = products.sort((a, b) => b.sales - a.sales);
for (const order of orders) {
  const ranked = sortedProducts;
  order.top = ranked[0];
}
```

## What it leaves alone
- sorting each item's own array (`group.items.sort(…)`, an array declared in the loop
  body): that work is per item;
- a bounded buffer: an array the loop truncates to a constant size (`top.length = 10`,
  `top.splice(10)`), as in the seed's "keep only the top 10" loop — each sort is on at most
  k + 1 elements, linear in the number of items overall;
- database sorts (`User.find().sort({ createdAt: -1 })`, `.sort('-date')`), loops over a
  small constant collection, and `for await` loops."#,
    model: "complexity",
};

/// Why a sort inside an iteration can run once.
pub(super) enum Case {
    /// The sorted array does not depend on the iteration: sort before it.
    Invariant,
    /// The array grows in the iteration: sort after it.
    Growing,
}

/// The array method call `recv.sort(cmp)`/`recv.toSorted(cmp)`: (receiver, method).
pub(super) fn array_sort(call: &CallExpr) -> Option<(&Expr, &MemberExpr)> {
    let Callee::Expr(callee) = &call.callee else { return None };
    let Expr::Member(m) = unwrap(callee) else { return None };
    let method = prop_name(&m.prop)?;
    if method != "sort" && method != "toSorted" {
        return None;
    }
    // Database and query-builder sorts take an object or a string.
    match call.args.as_slice() {
        [] => {}
        [a] if a.spread.is_none()
            && matches!(unwrap(&a.expr), Expr::Arrow(_) | Expr::Fn(_) | Expr::Ident(_) | Expr::Member(_)) => {}
        _ => return None,
    }
    Some((&m.obj, m))
}

/// Is the sort a database query (by the model's classification)?
pub(super) fn is_query(ctx: &Context, file: usize, span: Span) -> bool {
    ctx.program
        .calls
        .iter()
        .any(|c| c.file == file && c.span.lo <= span.lo && span.hi <= c.span.hi && matches!(c.kind, CallKind::Query(_)))
}

/// The frame the sort can move out of, and how: `None` when it must stay.
pub(super) fn movable(state: &State, recv: &Expr) -> Option<(usize, Case)> {
    if state.frames.is_empty() || matches!(state.bindings.kind(recv), Kind::SmallConst | Kind::Str) {
        return None;
    }
    let recv_text = state.text(recv.span()).trim().to_string();
    let recv_names = mentions(recv);
    // The outermost growing iteration whose names the receiver does not use.
    let mut chosen = None;
    for i in (0..state.frames.len()).rev() {
        let f = &state.frames[i];
        if f.names.iter().any(|n| recv_names.contains(n)) {
            break;
        }
        // `this.items` mentions no identifier: compare the text too.
        if f.names.iter().any(|n| word_in(&recv_text, n)) {
            break;
        }
        if !f.small {
            chosen = Some(i);
        }
    }
    let i = chosen?;
    let frame = &state.frames[i];
    let body = state.text(frame.span);
    let path = simple_path(&recv_text).then_some(recv_text.as_str());
    let grows =
        path.is_some_and(|p| ["push(", "unshift(", "splice("].iter().any(|m| body.contains(&format!("{p}.{m}"))));
    if let Some(p) = path {
        // A bounded buffer: truncated to a constant size inside the loop.
        let bounded = body.contains(&format!("{p}.length =")) && !body.contains(&format!("{p}.length ==="))
            || body.contains(&format!("{p}.splice(")) && !body.contains(&format!("{p}.splice(0"))
            || body.contains(&format!("{p}.pop()"))
            || body.contains(&format!("{p} = {p}.slice(0,"));
        if bounded {
            return None;
        }
    }
    let reassigned = path
        .is_some_and(|p| body.match_indices(&format!("{p} =")).any(|(j, _)| !body[j + p.len() + 2..].starts_with('=')));
    // `parts = re.exec(types[k]) || []; (parts[2] || '').split('.').sort()`: a name the loop
    // assigns holds this iteration's value (jQuery's event namespaces, seen in
    // node-express-mongoose-demo's public/js).
    if reassigned || recv_names.iter().any(|n| assigns(body, n)) {
        return None;
    }
    Some((i, if grows { Case::Growing } else { Case::Invariant }))
}

/// Whether `text` assigns `name` (`name = …`, `name=…`, not `==`, not `obj.name =`).
fn assigns(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    text.match_indices(name).any(|(j, _)| {
        let before = text[..j].chars().next_back();
        if before.is_some_and(|c| ident(c) || c == '.') {
            return false;
        }
        let rest = text[j + name.len()..].trim_start_matches([' ', '\t']);
        rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>")
    })
}

/// `products`, `[...products]`, `products.slice()`: the path of the sorted array.
fn copied_path(text: &str) -> Option<&str> {
    let inner = text
        .strip_prefix("[...")
        .and_then(|t| t.strip_suffix(']'))
        .or_else(|| text.strip_suffix(".slice()"))
        .unwrap_or(text)
        .trim();
    simple_path(inner).then_some(inner)
}

fn simple_path(text: &str) -> bool {
    !text.is_empty()
        && text.split('.').all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$'))
}

impl Rule for SortInLoop {
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

impl Hooks for Finder<'_, '_> {
    fn call(&mut self, call: &CallExpr, state: &State) {
        let Some((recv, member)) = array_sort(call) else { return };
        let Some((i, case)) = movable(state, recv) else { return };
        if is_query(self.ctx, self.file, call.span) {
            return;
        }
        let span = Span::new(member.prop.span().lo, call.span.hi);
        let Some((endpoint, others)) = scan::place(self.ctx, self.file, span) else { return };
        let frame = &state.frames[i];
        let parsed = self.ctx.program.file(self.file);
        let recv_text = parsed.snippet(recv.span()).trim().to_string();
        let sort_text = parsed.snippet(span).to_string();
        let n = self.ctx.profile.items.value.max(0.0).round();
        let ops = complexity::sort_in_loop_ops(n, n);
        let shape = format!("n·m·log₂m vs m·log₂m, n = m = {}", fmt_num(n));
        let estimate = complexity::estimate(&self.ctx.profile, ops, "comparisons", &shape);
        let Some(severity) = scan::severity(self.ctx, &endpoint, ops) else { return };
        let collection = state.collection_text(frame);
        let (what, fix) = match case {
            Case::Invariant => ("the same array", "Sort it once, before the iteration."),
            Case::Growing => ("an array the loop is still filling", "Sort it once, after the loop."),
        };
        let message = format!(
            "`{recv_text}.{sort_text}` sorts {what} on every iteration of the {} over `{collection}`: n·m·log₂m comparisons. {fix}{}",
            frame.describe(),
            scan::also_on(others)
        );
        let Some(statement) = frame.statement else {
            self.out.push(self.ctx.finding(
                &META,
                self.file,
                span,
                severity,
                endpoint,
                message,
                estimate,
                String::new(),
                String::new(),
            ));
            return;
        };
        let (lines, start) = lines_of(parsed, statement);
        let indent = scan::indent_at(parsed, statement.lo);
        let after = match case {
            Case::Invariant if copied_path(&recv_text).is_some() => {
                let path = copied_path(&recv_text).unwrap_or_default();
                let base = path.rsplit('.').next().unwrap_or(path);
                let name = scan::fresh_name(&parsed.text, &format!("sorted{}", scan::capitalize(base)));
                let lo = parsed.offset(call.span.lo) as usize - start;
                let hi = parsed.offset(call.span.hi) as usize - start;
                let mut body = lines.clone();
                body.replace_range(lo..hi, &name);
                format!("{indent}const {name} = {};\n{body}", parsed.snippet(call.span).trim())
            }
            Case::Growing if frame.is_loop || frame.statement.is_some() => {
                // Only when the sort is a statement of its own and the loop reads the array nowhere else.
                let sort_stmt = state.statements.last().copied().filter(|s| {
                    let t = parsed.snippet(*s).trim().trim_end_matches(';').trim();
                    t == parsed.snippet(call.span).trim()
                });
                let body_text = parsed.snippet(frame.span);
                let uses = body_text.match_indices(&recv_text).filter(|(j, _)| {
                    let before = body_text[..*j].chars().next_back();
                    let after = body_text[j + recv_text.len()..].chars().next();
                    let word =
                        |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.');
                    !word(before) && !(after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$'))
                });
                let pushes = body_text.matches(&format!("{recv_text}.push(")).count();
                match sort_stmt {
                    Some(s) if uses.count() == pushes + 1 => {
                        let (l0, _) = parsed.position(s.lo);
                        let (l1, _) = parsed.position(s.hi);
                        let first_line = parsed.position(statement.lo).0;
                        let kept: Vec<&str> = lines
                            .split_inclusive('\n')
                            .enumerate()
                            .filter(|(k, _)| {
                                let line = first_line + *k as u32;
                                line < l0 || line > l1
                            })
                            .map(|(_, l)| l)
                            .collect();
                        // The statement fills its lines (a trailing `//` comment aside).
                        let whole = parsed.lines.lines(&parsed.text, l0, l1).trim().to_string();
                        let code = parsed.snippet(s).trim();
                        let only_line = whole
                            .strip_prefix(code)
                            .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with("//"));
                        if only_line {
                            format!(
                                "{}\n{indent}{};",
                                kept.concat().trim_end_matches('\n'),
                                parsed.snippet(call.span).trim()
                            )
                        } else {
                            String::new()
                        }
                    }
                    _ => String::new(),
                }
            }
            _ => String::new(),
        };
        self.out.push(self.ctx.finding(&META, self.file, span, severity, endpoint, message, estimate, lines, after));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_parses, findings};
    use crate::{analyze, Params, SourceFile};

    fn only(src: &str) -> Vec<String> {
        findings(&[("a.js", src)], &Params::default()).into_iter().filter(|f| f.contains("sort-in-loop")).collect()
    }

    #[test]
    fn invariant_sort_is_hoisted() {
        let src = "function f(orders, products) {\n  for (const order of orders) {\n    order.top = products.sort((a, b) => b.sales - a.sales)[0];\n  }\n}\n";
        assert_eq!(only(src), ["a.js:3:26 sort-in-loop [-] low"]);
        let a = analyze(&[SourceFile::new("a.js", src)], &Params::default());
        let f = &a.findings[0];
        assert!(f.after.starts_with("  const sortedProducts = products.sort((a, b) => b.sales - a.sales);\n  for (const order of orders) {\n    order.top = sortedProducts[0];"), "{}", f.after);
        assert_parses(&f.after);
    }

    #[test]
    fn growing_array_is_sorted_after_the_loop() {
        let src = "function f(items) {\n  const out = [];\n  for (const item of items) {\n    out.push(item);\n    out.sort((a, b) => a - b);\n  }\n  return out;\n}\n";
        assert_eq!(only(src), ["a.js:5:9 sort-in-loop [-] low"]);
        let a = analyze(&[SourceFile::new("a.js", src)], &Params::default());
        assert_eq!(
            a.findings[0].after,
            "  for (const item of items) {\n    out.push(item);\n  }\n  out.sort((a, b) => a - b);"
        );
    }

    #[test]
    fn per_item_arrays_bounded_buffers_and_database_sorts_are_left_alone() {
        let src = "async function f(groups, users) {\n  for (const g of groups) {\n    g.items.sort((a, b) => a - b);\n    const local = [3, 1];\n    local.sort();\n    await User.find({ group: g.id }).sort({ createdAt: -1 });\n  }\n  const top = [];\n  for (const u of users) {\n    top.push(u);\n    if (top.length > 10) {\n      top.sort((a, b) => b.score - a.score);\n      top.length = 10;\n    }\n  }\n}\n";
        assert!(only(src).is_empty(), "{:?}", only(src));
    }
}
