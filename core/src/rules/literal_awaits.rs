//! `sequential-awaits` inside one object or array literal: `res.json({ users: await
//! User.count(), posts: await Post.count() })`, `return [await a(), await b()]`. JavaScript
//! evaluates a literal's entries in order, so each `await` waits for the one before it; no
//! entry can use another's result (none is bound yet), so the awaits are independent unless
//! one of them writes or runs in a transaction (then the order is the point and the literal is
//! left alone).
//!
//! Rewrites: an array literal of awaits only becomes `await Promise.all([a(), b()])` (the same
//! array); in an object literal the awaits are started together in a
//! `const [users, posts] = await Promise.all([…])` before the statement and the entries read
//! those names (`{ users, posts }`), when the keys are plain names not used elsewhere in the
//! statement.

use super::concurrency::Reaches;
use super::sequential_awaits::{report_awaits, transactional, Await};
use super::Context;
use crate::analysis::Finding;
use crate::model::{CallId, FileId, IterationKind};
use crate::syntax::{key_name, unwrap};
use std::collections::HashMap;
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

/// One literal's entries that await a call: (key for object entries, the await, the call).
struct Literal {
    span: Span,
    is_array: bool,
    /// Every entry is an awaited call (arrays: the whole literal can be one `Promise.all`).
    only_awaits: bool,
    entries: Vec<(Option<String>, Span, Span)>,
}

/// Finds literals with two or more awaited entries in a statement, not entering nested
/// functions or blocks (their statement lists are checked on their own).
#[derive(Default)]
struct Finder(Vec<Literal>);

fn awaited_call(e: &Expr) -> Option<(Span, Span)> {
    let mut e = e;
    while let Expr::Paren(p) = e {
        e = &p.expr;
    }
    match e {
        Expr::Await(a) => match unwrap(&a.arg) {
            Expr::Call(c) => Some((a.span, c.span)),
            _ => None,
        },
        _ => None,
    }
}

impl Visit for Finder {
    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
    fn visit_block_stmt(&mut self, _: &BlockStmt) {}
    fn visit_class(&mut self, _: &Class) {}

    fn visit_object_lit(&mut self, o: &ObjectLit) {
        let mut entries = Vec::new();
        let mut only = true;
        for p in &o.props {
            match p {
                PropOrSpread::Prop(p) => match &**p {
                    Prop::KeyValue(kv) => match awaited_call(&kv.value) {
                        Some((a, c)) => entries.push((key_name(&kv.key), a, c)),
                        None => only = false,
                    },
                    _ => only = false,
                },
                PropOrSpread::Spread(_) => only = false,
            }
        }
        if entries.len() >= 2 {
            self.0.push(Literal { span: o.span, is_array: false, only_awaits: only, entries });
        }
        o.visit_children_with(self);
    }

    fn visit_array_lit(&mut self, a: &ArrayLit) {
        let mut entries = Vec::new();
        let mut only = true;
        for e in &a.elems {
            match e.as_ref().filter(|e| e.spread.is_none()).and_then(|e| awaited_call(&e.expr)) {
                Some((aw, c)) => entries.push((None, aw, c)),
                None => only = false,
            }
        }
        if entries.len() >= 2 {
            self.0.push(Literal { span: a.span, is_array: true, only_awaits: only, entries });
        }
        a.visit_children_with(self);
    }
}

/// Reports each literal of `stmt` whose awaited entries are independent I/O.
pub(super) fn check(
    ctx: &Context,
    file: FileId,
    stmt: &Stmt,
    by_span: &HashMap<(FileId, u32, u32), CallId>,
    reaches: &mut Reaches,
    out: &mut Vec<Finding>,
) {
    let mut finder = Finder::default();
    stmt.visit_with(&mut finder);
    let parsed = ctx.program.file(file);
    'literals: for lit in finder.0 {
        let mut group = Vec::new();
        for (_, await_span, call_span) in &lit.entries {
            let Some(&call) = by_span.get(&(file, call_span.lo.0, call_span.hi.0)) else { continue 'literals };
            let site = &ctx.program.calls[call];
            let in_loop = ctx
                .program
                .iterations_of(site)
                .next()
                .is_some_and(|i| matches!(i.kind, IterationKind::Loop(_) | IterationKind::ForAwait));
            if in_loop || transactional(parsed.snippet(*call_span)) {
                continue 'literals;
            }
            let reach = reaches.of_call(site);
            // A write keeps the literal's order; an await of nothing backlens knows as I/O
            // does not count (and does not break the others' independence).
            if reach.write {
                continue 'literals;
            }
            if reach.io {
                group.push(Await { span: *await_span, call_span: *call_span, call, reach });
            }
        }
        let stmt_span = stmt.span();
        report_awaits(ctx, file, &group, stmt_span, |before| rewrite(ctx, file, &lit, stmt_span, before), out);
    }
}

/// The statement's lines with the literal's awaits started together.
fn rewrite(ctx: &Context, file: FileId, lit: &Literal, stmt: Span, before: &str) -> Option<String> {
    let parsed = ctx.program.file(file);
    let region_start = parsed.lines.line_start(parsed.position(stmt.lo).0) as usize;
    let at = |pos: swc_common::BytePos| (parsed.offset(pos) as usize).checked_sub(region_start);
    let calls: Vec<&str> = lit.entries.iter().map(|(_, _, c)| parsed.snippet(*c)).collect();
    let mut text = before.to_string();
    if lit.is_array && lit.only_awaits {
        let (lo, hi) = (at(lit.span.lo)?, at(lit.span.hi)?);
        let inner = calls.join(", ");
        text.replace_range(lo..hi, &format!("await Promise.all([{inner}])"));
        return Some(text);
    }
    if lit.is_array {
        return None;
    }
    // Object literal: hoist the awaits into one `Promise.all` named by the keys.
    let keys: Vec<&str> = lit.entries.iter().map(|(k, _, _)| k.as_deref()).collect::<Option<Vec<_>>>()?;
    let ident = |k: &str| {
        k.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
            && k.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    };
    let stmt_text = parsed.snippet(stmt);
    let used_once = |k: &str| {
        stmt_text
            .match_indices(k)
            .filter(|(i, _)| {
                let b = stmt_text[..*i].chars().next_back();
                let a = stmt_text[i + k.len()..].chars().next();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
                !word(b) && !word(a) && b != Some('.')
            })
            .count()
            == 1
    };
    let mut seen: Vec<&str> = Vec::new();
    for k in &keys {
        if !ident(k) || !used_once(k) || seen.contains(k) || ["await", "yield", "let", "const"].contains(k) {
            return None;
        }
        seen.push(k);
    }
    // Replace each entry's value (the await) with its key, from the last to the first.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for (k, await_span, _) in &lit.entries {
        edits.push((at(await_span.lo)?, at(await_span.hi)?, k.clone()?));
    }
    edits.sort_by_key(|(lo, _, _)| std::cmp::Reverse(*lo));
    for (lo, hi, k) in edits {
        text.replace_range(lo..hi, &k);
    }
    // `users: users` → `users`.
    for k in &keys {
        text = text.replace(&format!("{k}: {k}"), k);
    }
    let indent: String = before.chars().take_while(|c| c.is_whitespace() && *c != '\n').collect();
    let mut out = format!("{indent}const [{}] = await Promise.all([\n", keys.join(", "));
    for c in &calls {
        out.push_str(&format!("{indent}  {c},\n"));
    }
    out.push_str(&format!("{indent}]);\n"));
    out.push_str(&text);
    Some(out)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_parses, findings};
    use crate::{analyze, Params, SourceFile};

    #[test]
    fn awaits_in_an_object_literal_are_a_group_with_a_hoisted_rewrite() {
        let src = "app.get('/stats', async (req, res) => {\n  res.json({ users: await User.count(), posts: await Post.count() });\n});\n";
        let a = analyze(&[SourceFile::new("a.js", src)], &Params::all_rules());
        let f: Vec<_> = a.findings.iter().filter(|f| f.rule == "sequential-awaits").collect();
        assert_eq!(f.len(), 1, "{:?}", a.findings);
        assert_eq!(
            f[0].after,
            "  const [users, posts] = await Promise.all([\n    User.count(),\n    Post.count(),\n  ]);\n  res.json({ users, posts });"
        );
        assert_parses(&f[0].after);
    }

    #[test]
    fn an_array_of_awaits_becomes_one_promise_all() {
        let src = "async function f(id) {\n  return [await User.findByPk(id), await Post.findAll({ where: { userId: id } })];\n}\n";
        let a = analyze(&[SourceFile::new("a.js", src)], &Params::all_rules());
        let f: Vec<_> = a.findings.iter().filter(|f| f.rule == "sequential-awaits").collect();
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].after,
            "  return await Promise.all([User.findByPk(id), Post.findAll({ where: { userId: id } })]);"
        );
    }

    #[test]
    fn writes_and_single_awaits_keep_their_order() {
        let src = "async function f(d) {\n  const r = { a: await A.create(d), b: await B.findAll() };\n  const s = { a: await A.findAll(), n: 1 };\n  return r;\n}\n";
        assert!(findings(&[("a.js", src)], &Params::all_rules()).iter().all(|f| !f.contains("sequential-awaits")));
    }
}
