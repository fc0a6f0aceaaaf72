//! `sequential-awaits`: independent awaited operations run one after another. Docs: [`META`].

use super::concurrency::{and_list, callee_name, log_call, wait_severity, Reach, Reaches};
use super::{Context, Placement, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::latency;
use crate::model::{CallId, FileId, IterationKind};
use crate::params::Category;
use crate::syntax::mentions;
use crate::syntax::unwrap;
use std::collections::HashMap;
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

pub struct SequentialAwaits;

static META: RuleMeta = RuleMeta {
    id: "sequential-awaits",
    category: Category::Concurrency,
    summary: "Independent awaited operations run one after another instead of together",
    docs: r#"## What it finds
Two or more awaits in a row, each binding its result (`const x = await …`), where each awaits
I/O — a database query, a cache command, an outbound HTTP request, a file read, or a user
function that reaches one of those (in any file) — and no await uses what an earlier one
returned. One finding per group, spanning its awaits. In a co-style generator
(`co.wrap(function* …)`, Koa v1 middleware) each `yield` is such an await.

## Why is this bad
Each `await` waits for its operation to finish before the next one starts, so the request
takes the *sum* of their latencies. Started together, they take the *longest* one: the seed's
50 + 80 + 60 ms = 190 ms becomes 80 ms, 57.9 % faster, with the same queries.

## Example
```js
async function getUserData(userId) {
  const user = await User.findByPk(userId);
  const posts = await Post.findAll({ where: { userId } });
  const comments = await Comment.findAll({ where: { userId } });
  return { user, posts, comments };
}
```
Use instead:
```js
async function getUserData(userId) {
  const [user, posts, comments] = await Promise.all([
    User.findByPk(userId),
    Post.findAll({ where: { userId } }),
    Comment.findAll({ where: { userId } }),
  ]);
  return { user, posts, comments };
}
```

## What it leaves alone
- an await that uses an earlier one's result (`const posts = await Post.findAll({ where:
  { userId: user.id } })` after `const user = await …`);
- writes: a write stays where it is, and nothing is moved across it — a read after a write
  of the same resource, create-then-use, and "do B only if A succeeded" all keep their order;
- anything inside a transaction (`sequelize.transaction(async (t) => …)`,
  `prisma.$transaction`, `knex.transaction`, a TypeORM `queryRunner`, `BEGIN`…`COMMIT`);
- an await whose result is not kept (`await audit(…)`): it runs for its effect;
- awaits of anything backlens cannot tie to I/O, and awaits in a loop body (`await-in-loop`
  and `n-plus-one-query` own those)."#,
    model: "latency",
};

/// One `const x = await call(…)` / `x = await call(…)` statement.
struct AwaitStmt {
    stmt: Span,
    /// The `await` expression.
    span: Span,
    /// The awaited call's text span.
    call_span: Span,
    call: CallId,
    binding: Binding,
    /// Names (or member targets) the statement binds.
    bound: Vec<String>,
    /// Names the awaited expression mentions.
    mentions: Vec<String>,
    reach: Reach,
    /// `await`, or `yield` in a co-style generator (the model marks its call awaited).
    keyword: &'static str,
}

enum Binding {
    /// `const`/`let`/`var` and the pattern's text without its type annotation.
    Decl(VarDeclKind, String),
    /// The assignment target's text.
    Assign(String),
}

impl Rule for SequentialAwaits {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let mut by_span: HashMap<(FileId, u32, u32), CallId> = HashMap::new();
        for (id, c) in ctx.program.calls.iter().enumerate() {
            by_span.insert((c.file, c.span.lo.0, c.span.hi.0), id);
        }
        let mut reaches = Reaches::new(ctx.program, &ctx.profile);
        for (file_id, file) in ctx.program.files.iter().enumerate() {
            let Some(program) = &file.program else { continue };
            let mut blocks = Blocks {
                ctx,
                file: file_id,
                text: &file.text,
                transaction: 0,
                by_span: &by_span,
                reaches: &mut reaches,
                out,
            };
            program.visit_with(&mut blocks);
        }
    }
}

/// Groups the awaits of one statement list and reports each group of two or more.
///
/// Plain statements between the awaits (`const ids = users.map((u) => u.id);`, a log line)
/// do not end a group: a declaration that uses a group's result is *derived* from it (an
/// await that uses a derived name depends on the group), one that does not can run before
/// the group's `Promise.all`. Any other statement — control flow (`if (!user) throw …`, a
/// guard must keep its order), a loop, an expression with effects, a write — ends it.
fn check_list(
    ctx: &Context,
    file: FileId,
    stmts: &[&Stmt],
    by_span: &HashMap<(FileId, u32, u32), CallId>,
    reaches: &mut Reaches,
    out: &mut Vec<Finding>,
) {
    let mut run = Run::default();
    for s in stmts {
        // Awaits inside one object or array literal run one after another too.
        super::literal_awaits::check(ctx, file, s, by_span, reaches, out);
        match await_stmt(ctx, file, s, by_span, reaches) {
            Some(a) if !a.reach.write => {
                // Greedy: join the group unless it uses what the group binds.
                let depends = run.awaits.iter().any(|g| {
                    g.bound.iter().any(|b| {
                        a.mentions.contains(b) || (b.contains('.') && a_text(ctx, file, &a).contains(b.as_str()))
                    })
                }) || run.derived.iter().any(|d| a.mentions.contains(d));
                if depends {
                    std::mem::take(&mut run).report(ctx, file, out);
                }
                run.awaits.push(a);
            }
            Some(_) => std::mem::take(&mut run).report(ctx, file, out),
            None => match (run.awaits.is_empty(), plain_statement(s, |span| ctx.program.file(file).snippet(span))) {
                (false, Some(plain)) => {
                    let uses_group = plain.uses.iter().any(|u| {
                        run.derived.contains(u) || run.awaits.iter().any(|g| g.bound.iter().any(|b| b == u))
                    });
                    if uses_group {
                        run.derived.extend(plain.bound);
                    }
                    run.between.push((s.span(), uses_group));
                }
                _ => std::mem::take(&mut run).report(ctx, file, out),
            },
        }
    }
    run.report(ctx, file, out);
}

/// The awaits of a group in the making and the plain statements among them.
#[derive(Default)]
struct Run {
    awaits: Vec<AwaitStmt>,
    /// Statements after the group's first await that are not awaits, and whether each uses
    /// the group's results (then it runs after the `Promise.all`, else before).
    between: Vec<(Span, bool)>,
    /// Names declared by statements that use the group's results.
    derived: Vec<String>,
}

impl Run {
    fn report(mut self, ctx: &Context, file: FileId, out: &mut Vec<Finding>) {
        let Some(last) = self.awaits.last() else { return };
        let end = last.stmt.hi;
        self.between.retain(|(span, _)| span.hi <= end);
        report(ctx, file, self.awaits, &self.between, out);
    }
}

/// A statement that can sit among a group's awaits: a declaration or a log line, with no
/// await, no control flow and no assignment — the names it declares and mentions.
struct Plain {
    bound: Vec<String>,
    uses: Vec<String>,
}

fn plain_statement<'t>(stmt: &Stmt, text: impl Fn(Span) -> &'t str) -> Option<Plain> {
    let mut awaits = HasAwait(false);
    stmt.visit_with(&mut awaits);
    if awaits.0 {
        return None;
    }
    match stmt {
        Stmt::Decl(Decl::Var(v)) => {
            let mut b = Bound::default();
            let mut uses = Vec::new();
            for d in &v.decls {
                d.name.visit_with(&mut b);
                if let Some(init) = &d.init {
                    uses.extend(mentions(init));
                }
            }
            Some(Plain { bound: b.0, uses })
        }
        // `logger.debug('…', { payload })`, `console.log(…)`: no effect on the data.
        Stmt::Expr(e) => {
            let Expr::Call(c) = unwrap(&e.expr) else { return None };
            log_call(text(c.span)).then(|| Plain { bound: Vec::new(), uses: mentions(c) })
        }
        _ => None,
    }
}

struct HasAwait(bool);
impl Visit for HasAwait {
    fn visit_await_expr(&mut self, _: &AwaitExpr) {
        self.0 = true;
    }
    fn visit_yield_expr(&mut self, _: &YieldExpr) {
        self.0 = true;
    }
    // An await inside a nested function runs when that function is called.
    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
}

fn a_text<'a>(ctx: &'a Context, file: FileId, a: &AwaitStmt) -> &'a str {
    ctx.program.file(file).snippet(a.call_span)
}

/// Walks a file's statement lists, skipping lists inside transactions and lists that open a
/// transaction themselves.
struct Blocks<'c, 'p, 'r> {
    ctx: &'c Context<'p>,
    file: FileId,
    text: &'c str,
    transaction: u32,
    by_span: &'c HashMap<(FileId, u32, u32), CallId>,
    reaches: &'r mut Reaches<'p>,
    out: &'r mut Vec<Finding>,
}

impl Blocks<'_, '_, '_> {
    /// Checks one list; returns whether it opens a transaction (then nested lists are inside it).
    fn list(&mut self, stmts: &[&Stmt], span: Span) -> bool {
        let text =
            self.text.get((span.lo.0.saturating_sub(1)) as usize..(span.hi.0.saturating_sub(1)) as usize).unwrap_or("");
        let opens_transaction = text.contains("startTransaction")
            || text.contains("withTransaction")
            || text.contains("queryRunner")
            || ["'begin", "\"begin", "`begin", "start transaction"].iter().any(|k| contains_ignore_case(text, k));
        if self.transaction == 0 && !opens_transaction {
            check_list(self.ctx, self.file, stmts, self.by_span, self.reaches, self.out);
        }
        opens_transaction
    }

    fn nested(&mut self, opens: bool, visit: impl FnOnce(&mut Self)) {
        if opens {
            self.transaction += 1;
        }
        visit(self);
        if opens {
            self.transaction -= 1;
        }
    }
}

impl Visit for Blocks<'_, '_, '_> {
    fn visit_block_stmt(&mut self, b: &BlockStmt) {
        let stmts: Vec<&Stmt> = b.stmts.iter().collect();
        let opens = self.list(&stmts, b.span);
        self.nested(opens, |v| b.visit_children_with(v));
    }

    fn visit_module(&mut self, m: &Module) {
        let stmts: Vec<&Stmt> = m.body.iter().filter_map(|i| i.as_stmt()).collect();
        self.list(&stmts, m.span);
        m.visit_children_with(self);
    }

    fn visit_script(&mut self, s: &Script) {
        let stmts: Vec<&Stmt> = s.body.iter().collect();
        self.list(&stmts, s.span);
        s.visit_children_with(self);
    }

    fn visit_function_body(&mut self, b: &FunctionBody) {
        let stmts: Vec<&Stmt> = b.stmts.iter().collect();
        let opens = self.list(&stmts, b.span);
        self.nested(opens, |v| b.visit_children_with(v));
    }

    fn visit_call_expr(&mut self, c: &CallExpr) {
        let callee = match &c.callee {
            Callee::Expr(e) => self
                .text
                .get((e.span().lo.0.saturating_sub(1)) as usize..(e.span().hi.0.saturating_sub(1)) as usize)
                .unwrap_or(""),
            _ => "",
        };
        let inside = callee.to_ascii_lowercase().ends_with("transaction");
        if inside {
            self.transaction += 1;
        }
        c.visit_children_with(self);
        if inside {
            self.transaction -= 1;
        }
    }
}

/// Whether `text` contains `needle` (ASCII lowercase) in any case, without allocating.
fn contains_ignore_case(text: &str, needle: &str) -> bool {
    let (t, n) = (text.as_bytes(), needle.as_bytes());
    t.len() >= n.len() && t.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

#[derive(Default)]
struct Bound(Vec<String>);
impl Visit for Bound {
    fn visit_binding_ident(&mut self, i: &BindingIdent) {
        self.0.push(i.id.sym.to_string());
    }
    fn visit_expr(&mut self, _: &Expr) {}
}

/// A call's text without its string and template-literal arguments (their contents are data,
/// not names): the callee and every other argument.
fn code_text(parsed: &crate::parse::Parsed, call: &CallExpr) -> String {
    let mut out = match &call.callee {
        Callee::Expr(e) => parsed.snippet(e.span()).to_string(),
        _ => String::new(),
    };
    for a in &call.args {
        if matches!(unwrap(&a.expr), Expr::Lit(Lit::Str(_)) | Expr::Tpl(_)) {
            continue;
        }
        out.push_str(", ");
        out.push_str(parsed.snippet(a.expr.span()));
    }
    out
}

/// Words that mark an operation as part of a transaction or session.
pub(super) fn transactional(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("transaction") || lower.contains("queryrunner") || root_word(text, &["trx", "tx", "session"])
}

/// Whether one of `words` appears as a name of its own, not as a property (`{ session }`,
/// `tx.user.find` — but not `prisma.session.findFirst`).
fn root_word(text: &str, words: &[&str]) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    words.iter().any(|w| {
        text.match_indices(w).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + w.len()..].chars().next();
            !before.is_some_and(|c| ident(c) || c == '.') && !after.is_some_and(ident)
        })
    })
}

fn await_stmt(
    ctx: &Context,
    file: FileId,
    stmt: &Stmt,
    by_span: &HashMap<(FileId, u32, u32), CallId>,
    reaches: &mut Reaches,
) -> Option<AwaitStmt> {
    let parsed = ctx.program.file(file);
    let (await_expr, binding, bound) = match stmt {
        Stmt::Decl(Decl::Var(v)) if v.decls.len() == 1 => {
            let d = &v.decls[0];
            let a = awaiting(d.init.as_ref()?)?;
            let mut b = Bound::default();
            d.name.visit_with(&mut b);
            let pattern = match &d.name {
                Pat::Ident(i) => i.id.sym.to_string(),
                Pat::Object(o) => pattern_text(parsed.snippet(o.span), o.type_ann.as_ref().map(|t| t.span), o.span),
                Pat::Array(o) => pattern_text(parsed.snippet(o.span), o.type_ann.as_ref().map(|t| t.span), o.span),
                _ => return None,
            };
            (a, Binding::Decl(v.kind, pattern), b.0)
        }
        Stmt::Expr(e) => {
            let Expr::Assign(assign) = &*e.expr else { return None };
            if assign.op != AssignOp::Assign {
                return None;
            }
            let a = awaiting(&assign.right)?;
            let target = parsed.snippet(assign.left.span()).to_string();
            let bound = match &assign.left {
                AssignTarget::Simple(SimpleAssignTarget::Ident(i)) => vec![i.id.sym.to_string()],
                AssignTarget::Simple(SimpleAssignTarget::Member(_)) => vec![target.clone()],
                _ => return None,
            };
            (a, Binding::Assign(target), bound)
        }
        _ => return None,
    };
    let (await_span, arg, keyword) = await_expr;
    let Expr::Call(call_expr) = unwrap(arg) else { return None };
    let call = *by_span.get(&(file, call_expr.span.lo.0, call_expr.span.hi.0))?;
    let site = &ctx.program.calls[call];
    // A `yield` awaits only in a coroutine (`co.wrap(function* …)`), where the model marks
    // the yielded call awaited; a plain generator's `yield` hands a value out.
    if keyword == "yield" && !site.awaited {
        return None;
    }
    // Per-iteration awaits in a loop body belong to the loop rules.
    if ctx
        .program
        .iterations_of(site)
        .next()
        .is_some_and(|i| matches!(i.kind, IterationKind::Loop(_) | IterationKind::ForAwait))
    {
        return None;
    }
    // The code of the call, without the text of its string arguments: SQL that joins a
    // `session` table is no session (umami's report queries).
    let code = code_text(parsed, call_expr);
    if transactional(&code) {
        return None;
    }
    let reach = reaches.of_call(site);
    if !reach.io {
        return None;
    }
    let mentioned = mentions(call_expr);
    Some(AwaitStmt {
        stmt: stmt.span(),
        span: await_span,
        call_span: call_expr.span,
        call,
        binding,
        bound,
        mentions: mentioned,
        reach,
        keyword,
    })
}

/// `await x`, or `yield x` (not `yield* x`): the whole expression's span, `x` and the keyword.
fn awaiting(e: &Expr) -> Option<(Span, &Expr, &'static str)> {
    match e {
        Expr::Await(a) => Some((a.span, &*a.arg, "await")),
        Expr::Yield(YieldExpr { span, arg: Some(arg), delegate: false, .. }) => Some((*span, &**arg, "yield")),
        _ => None,
    }
}

/// A destructuring pattern's text without its TypeScript annotation.
fn pattern_text(text: &str, type_ann: Option<Span>, span: Span) -> String {
    match type_ann {
        Some(t) if t.lo > span.lo => {
            let cut = (t.lo.0 - span.lo.0) as usize;
            text.get(..cut).unwrap_or(text).trim_end().trim_end_matches(':').trim_end().to_string()
        }
        _ => text.to_string(),
    }
}

fn report(ctx: &Context, file: FileId, group: Vec<AwaitStmt>, between: &[(Span, bool)], out: &mut Vec<Finding>) {
    if group.len() < 2 {
        return;
    }
    let awaits: Vec<Await> =
        group.iter().map(|a| Await { span: a.span, call_span: a.call_span, call: a.call, reach: a.reach.clone() }).collect();
    let stmts = Span::new(group[0].stmt.lo, group[group.len() - 1].stmt.hi);
    report_awaits(ctx, file, &awaits, stmts, |before| rewrite(ctx, file, &group, between, before), out);
}

/// One awaited operation of a group.
pub(super) struct Await {
    /// The `await` expression.
    pub span: Span,
    /// The awaited call.
    pub call_span: Span,
    pub call: CallId,
    pub reach: Reach,
}

/// Reports a group of two or more independent awaits over the statements `stmts`;
/// `after` rewrites the statements' lines.
pub(super) fn report_awaits(
    ctx: &Context,
    file: FileId,
    group: &[Await],
    stmts: Span,
    after: impl FnOnce(&str) -> Option<String>,
    out: &mut Vec<Finding>,
) {
    if group.len() < 2 {
        return;
    }
    let first = &group[0];
    let last = &group[group.len() - 1];
    let site = &ctx.program.calls[first.call];
    let (endpoint, others) = match ctx.placement(site.function) {
        Placement::Filtered => return,
        Placement::Offline => (None, 0),
        Placement::Endpoint { label, others } => (Some(label), others),
    };
    let parsed = ctx.program.file(file);
    let parts: Vec<latency::Part> = group.iter().map(|a| a.reach.part()).collect();
    let estimate = latency::parallel_awaits(&ctx.profile, &parts);
    let saved = estimate.before[0].value - estimate.after[0].value;
    let Some(severity) = wait_severity(ctx, &endpoint, saved) else { return };
    let mut counted: Vec<(String, usize)> = Vec::new();
    for a in group {
        let name = callee_name(parsed.snippet(a.call_span));
        match counted.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => counted.push((name, 1)),
        }
    }
    let names: Vec<String> = counted
        .into_iter()
        .map(|(n, count)| if count == 1 { format!("`{n}`") } else { format!("{count} × `{n}`") })
        .collect();
    let mut message = format!(
        "{} are awaited one after another, but none uses another's result: the request waits for the sum of their latencies. Start them together with `Promise.all`.",
        and_list(&names)
    );
    if others > 0 {
        message.push_str(&format!(" Also on {others} other endpoint{}.", if others == 1 { "" } else { "s" }));
    }
    let span = Span::new(first.span.lo, last.span.hi);
    let before = ctx.lines(file, stmts);
    let after = after(&before).unwrap_or_default();
    out.push(ctx.finding(&META, file, span, severity, endpoint, message, estimate, before, after));
}

/// `const [a, b] = await Promise.all([callA, callB]);` with the user's names and calls; the
/// plain statements among them before it (those that do not use the group's results) or
/// after it (those that do), in their order.
fn rewrite(ctx: &Context, file: FileId, group: &[AwaitStmt], between: &[(Span, bool)], before: &str) -> Option<String> {
    let parsed = ctx.program.file(file);
    let indent: String = before.chars().take_while(|c| c.is_whitespace() && *c != '\n').collect();
    let mut kinds = Vec::new();
    let mut targets = Vec::new();
    for a in group {
        match &a.binding {
            Binding::Decl(kind, pattern) => {
                kinds.push(Some(*kind));
                targets.push(pattern.clone());
            }
            Binding::Assign(target) => {
                kinds.push(None);
                targets.push(target.clone());
            }
        }
    }
    let head = if kinds.iter().all(|k| k.is_none()) {
        String::new()
    } else if kinds.iter().all(|k| *k == Some(VarDeclKind::Const)) {
        "const ".to_string()
    } else if kinds.iter().all(|k| matches!(k, Some(VarDeclKind::Const) | Some(VarDeclKind::Let))) {
        "let ".to_string()
    } else {
        return None;
    };
    let keyword = group[0].keyword;
    let plain = |after: bool| -> String {
        between
            .iter()
            .filter(|(_, uses)| *uses == after)
            .map(|(span, _)| format!("{indent}{}\n", parsed.snippet(*span)))
            .collect()
    };
    let mut out = plain(false);
    out.push_str(&format!("{indent}{head}[{}] = {keyword} Promise.all([\n", targets.join(", ")));
    for a in group {
        out.push_str(&format!("{indent}  {},\n", parsed.snippet(a.call_span)));
    }
    out.push_str(&format!("{indent}]);"));
    let after = plain(true);
    if !after.is_empty() {
        out.push('\n');
        out.push_str(after.trim_end_matches('\n'));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_parses, findings};
    use crate::{analyze, Params, SourceFile};

    const SEED_BEFORE: &str = r#"async function getUserData(userId) {
  const user = await User.findByPk(userId); // 50ms
  const posts = await Post.findAll({ where: { userId } }); // 80ms
  const comments = await Comment.findAll({ where: { userId } }); // 60ms

  return { user, posts, comments };
}
"#;

    #[test]
    fn seed_before_is_one_finding_with_a_promise_all_rewrite() {
        let a = analyze(&[SourceFile::new("seed.js", SEED_BEFORE)], &Params::all_rules());
        let f: Vec<_> = a.findings.iter().filter(|f| f.rule == "sequential-awaits").collect();
        assert_eq!(f.len(), 1);
        let f = f[0];
        assert_eq!((f.line, f.end_line), (2, 4));
        assert_eq!(f.estimate.summary, "3 awaits in sequence ≈15 ms → together ≈5 ms (66.7 % faster)");
        assert_eq!(
            f.after,
            "  const [user, posts, comments] = await Promise.all([\n    User.findByPk(userId),\n    Post.findAll({ where: { userId } }),\n    Comment.findAll({ where: { userId } }),\n  ]);"
        );
        assert_parses(&f.after);
    }

    #[test]
    fn a_dependent_await_splits_the_group() {
        let src = "async function f(id) {\n  const user = await User.findByPk(id);\n  const posts = await Post.findAll({ where: { userId: user.id } });\n  const tags = await Tag.findAll();\n}\n";
        // `posts` depends on `user`; `posts` and `tags` are independent.
        assert_eq!(findings(&[("f.js", src)], &Params::all_rules()), ["f.js:3:17 sequential-awaits [-] low"]);
    }

    #[test]
    fn a_long_non_ascii_callee_between_awaits_is_no_panic() {
        // hoppscotch: a helper's name, cut with `…` for messages, whose byte 7 falls inside a
        // multi-byte character: named_write's 7-letter verbs (`approve`, `destroy`) must not
        // slice it there.
        let helper = "updateéééééééééééééééééééééééééééééééééééééééééééééééééééééééé";
        let code = format!(
            "async function {helper}(id) {{\n  return Post.findByPk(id);\n}}\n\
             async function h(req, res) {{\n  const a = await User.findByPk(1);\n  const b = await {helper}(2);\n  res.json({{ a, b }});\n}}\n"
        );
        let a = analyze(&[SourceFile::new("a.js", &code)], &Params::all_rules());
        assert!(a.files.iter().all(|f| f.error.is_none()));
        // The helper reaches a read, so the two awaits are one group: named_write judged it.
        assert!(a.findings.iter().any(|f| f.rule == "sequential-awaits"), "{:?}", a.findings);
    }

    #[test]
    fn writes_and_transactions_keep_their_order() {
        let src = "async function f(id, data) {\n  const user = await User.create(data);\n  const again = await User.findByPk(id);\n  await sequelize.transaction(async (t) => {\n    const a = await A.findAll({ transaction: t });\n    const b = await B.findAll({ transaction: t });\n  });\n}\n";
        assert!(findings(&[("f.js", src)], &Params::all_rules()).is_empty());
    }
}
