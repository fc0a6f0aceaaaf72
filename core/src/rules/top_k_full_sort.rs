//! `top-k-full-sort`: a whole array sorted to keep its first few elements. Docs: [`META`].

use super::scan::{self, lines_of, Hooks, Kind, State};
use super::sort_in_loop::{array_sort, is_query, movable};
use super::{Context, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::{complexity, fmt_num};
use crate::params::Category;
use crate::syntax::{prop_name, unwrap};
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;

pub struct TopKFullSort;

static META: RuleMeta = RuleMeta {
    id: "top-k-full-sort",
    category: Category::Algorithms,
    summary: "A whole array sorted to keep only its first k elements",
    docs: r#"## What it finds
`items.sort(compare).slice(0, k)` (or `toSorted`) with a small constant `k` (a literal or a
`const` up to 100): the whole array is sorted to keep its first few elements — the seed's
`getTopUsers` (`….sort((a, b) => b.score - a.score).slice(0, 10)`).

## Why is this bad
Sorting `n` elements costs `n · log₂ n` comparisons, all of them calls of the comparator,
to order elements that are thrown away. Keeping a sorted buffer of `k` while walking the
array once costs `n · log₂ k` at most, and most elements are rejected with a single
comparison against the current k-th. For 10,000 users and a top 10 that is ≈133,000
comparisons against ≈33,000 at most.

## Example
```js
function getTopUsers(users) {
  return users
    .filter((u) => u.isActive)
    .map((u) => ({ ...u, score: calculateScore(u) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 10);
}
```
Use instead — one pass with a bounded, sorted buffer (stable, like `sort`):
```js
function topK(items, k, compare) {
  const top = [];
  for (const item of items) {
    if (top.length === k && compare(item, top[k - 1]) >= 0) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(item, top[mid]) < 0) hi = mid;
      else lo = mid + 1;
    }
    top.splice(lo, 0, item);
    if (top.length > k) top.pop();
  }
  return top;
}

return topK(users.filter((u) => u.isActive).map((u) => ({ ...u, score: calculateScore(u) })), 10, (a, b) => b.score - a.score);
```

## What it leaves alone
- a `k` that is not a small constant (`slice(0, limit)` from the request): the bound may
  be close to `n`;
- `sort()` without a comparator (no rewrite can keep its string ordering simply) is still
  reported, without a rewrite;
- database sorts (`.sort({ score: -1 }).limit(10)`), and a sort inside a loop that could
  move out of it — that is `sort-in-loop`, the bigger win."#,
    model: "complexity",
};

const MAX_K: i64 = 100;

impl Rule for TopKFullSort {
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

fn helper(typescript: bool) -> String {
    let (sig, top) = if typescript {
        (
            "function topK<T>(items: Iterable<T>, k: number, compare: (a: T, b: T) => number): T[] {",
            "const top: T[] = [];",
        )
    } else {
        ("function topK(items, k, compare) {", "const top = [];")
    };
    format!(
        "// The first k items in `compare` order, in one pass: O(n log k) instead of sorting all n.\n{sig}\n  {top}\n  for (const item of items) {{\n    if (top.length === k && compare(item, top[k - 1]) >= 0) continue;\n    let lo = 0;\n    let hi = top.length;\n    while (lo < hi) {{\n      const mid = (lo + hi) >> 1;\n      if (compare(item, top[mid]) < 0) hi = mid;\n      else lo = mid + 1;\n    }}\n    top.splice(lo, 0, item);\n    if (top.length > k) top.pop();\n  }}\n  return top;\n}}\n"
    )
}

impl Hooks for Finder<'_, '_> {
    fn call(&mut self, call: &CallExpr, state: &State) {
        // `<sort call>.slice(0, k)`
        let Callee::Expr(callee) = &call.callee else { return };
        let Expr::Member(slice) = unwrap(callee) else { return };
        if prop_name(&slice.prop).as_deref() != Some("slice") {
            return;
        }
        let [start, end] = call.args.as_slice() else { return };
        if start.spread.is_some() || end.spread.is_some() || state.bindings.kind(&start.expr) != Kind::Number(0) {
            return;
        }
        let Kind::Number(k) = state.bindings.kind(&end.expr) else { return };
        if !(1..=MAX_K).contains(&k) {
            return;
        }
        let Expr::Call(sort_call) = unwrap(&slice.obj) else { return };
        let Some((recv, member)) = array_sort(sort_call) else { return };
        if is_query(self.ctx, self.file, sort_call.span) || movable(state, recv).is_some() {
            return;
        }
        if matches!(state.bindings.kind(recv), Kind::SmallConst) {
            return;
        }
        let span = Span::new(member.prop.span().lo, sort_call.span.hi);
        let Some((endpoint, others)) = scan::place(self.ctx, self.file, span) else { return };
        let parsed = self.ctx.program.file(self.file);
        let n = self.ctx.profile.items.value.max(0.0).round();
        let ops = complexity::top_k_ops(n, k as f64);
        let shape = format!("n·log₂n vs n·log₂k, n = {}, k = {k}", fmt_num(n));
        let estimate = complexity::estimate(&self.ctx.profile, ops, "comparisons", &shape);
        let Some(severity) = scan::severity(self.ctx, &endpoint, ops) else { return };
        let recv_text = parsed.snippet(recv.span()).trim().to_string();
        let method = prop_name(&member.prop).unwrap_or_default();
        let in_place = method == "sort" && matches!(unwrap(recv), Expr::Ident(_) | Expr::Member(_));
        let note = if in_place {
            format!(" (`{method}` also reorders `{recv_text}` in place; if later code relies on that order, keep it sorted there.)")
        } else {
            String::new()
        };
        let short = if recv_text.contains('\n') || recv_text.len() > 40 {
            "the array".to_string()
        } else {
            format!("`{recv_text}`")
        };
        let message = format!(
            "Sorts all of {short} to keep the first {k}: n·log₂n comparisons where a bounded buffer of {k} needs n·log₂k at most. Select the top {k} in one pass (`topK(items, {k}, compare)`).{note}{}",
            scan::also_on(others)
        );
        let statement = state.statements.last().copied().unwrap_or(call.span);
        let (lines, start_off) = lines_of(parsed, statement);
        let after = match sort_call.args.first() {
            Some(cmp) if !parsed.text.contains("function topK") => {
                let typescript = [".ts", ".tsx", ".mts", ".cts"].iter().any(|e| parsed.path.ends_with(e));
                let lo = parsed.offset(recv.span().lo) as usize - start_off;
                let hi = parsed.offset(call.span.hi) as usize - start_off;
                let replacement = format!(
                    "topK({recv_text}, {}, {})",
                    parsed.snippet(end.expr.span()).trim(),
                    parsed.snippet(cmp.expr.span()).trim()
                );
                let mut body = lines.clone();
                body.replace_range(lo..hi, &replacement);
                let indent = scan::indent_at(parsed, statement.lo);
                let helper: String = helper(typescript)
                    .lines()
                    .map(|l| if l.is_empty() { "\n".to_string() } else { format!("{indent}{l}\n") })
                    .collect();
                format!("{helper}{body}")
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

    const SEED_BEFORE: &str = "function getTopUsers(users) {\n  return users\n    .filter(u => u.isActive) // O(n)\n    .map(u => ({ ...u, score: calculateScore(u) })) // O(n)\n    .sort((a, b) => b.score - a.score) // O(n log n)\n    .slice(0, 10); // O(1)\n}\n";

    /// A table-sized list (5,000 rows): at the profile's 50 a top-k saves ≈1 µs, not a finding.
    fn big() -> Params {
        let mut p = Params::default();
        p.set_cost("items", "5000", "test").unwrap();
        p
    }

    fn only(path: &str, src: &str) -> Vec<String> {
        findings(&[(path, src)], &big()).into_iter().filter(|f| f.contains("top-k-full-sort")).collect()
    }

    #[test]
    fn a_top_k_of_the_profiles_fifty_is_not_a_finding() {
        let defaults = findings(&[("a.js", SEED_BEFORE)], &Params::default());
        assert!(defaults.iter().all(|f| !f.contains("top-k-full-sort")), "{defaults:?}");
    }

    #[test]
    fn seed_get_top_users_is_flagged_at_the_sort() {
        assert_eq!(only("a.js", SEED_BEFORE), ["a.js:5:6 top-k-full-sort [-] low"]);
        let a = analyze(&[SourceFile::new("a.js", SEED_BEFORE)], &big());
        let f = &a.findings[0];
        assert!(f.after.contains("function topK(items, k, compare) {"), "{}", f.after);
        assert!(f.after.contains("  return topK(users\n    .filter(u => u.isActive) // O(n)\n"), "{}", f.after);
        assert_parses(&f.after);
    }

    #[test]
    fn typescript_helper_is_typed() {
        let src = "export function top(xs: number[]) {\n  return xs.toSorted((a, b) => b - a).slice(0, 3);\n}\n";
        let a = analyze(&[SourceFile::new("a.ts", src)], &big());
        let f = a.findings.iter().find(|f| f.rule == "top-k-full-sort").unwrap();
        assert!(f.after.contains("function topK<T>("), "{}", f.after);
        assert!(f.after.contains("return topK(xs, 3, (a, b) => b - a);"), "{}", f.after);
    }

    #[test]
    fn variable_k_and_database_sorts_are_left_alone() {
        let src = "async function f(xs, limit) {\n  xs.sort((a, b) => a - b).slice(0, limit);\n  xs.sort((a, b) => a - b).slice(1, 3);\n  await User.find().sort({ score: -1 }).limit(10);\n  xs.sort((a, b) => a - b).slice(0, 5000);\n}\n";
        assert!(only("a.js", src).is_empty(), "{:?}", only("a.js", src));
    }
}
