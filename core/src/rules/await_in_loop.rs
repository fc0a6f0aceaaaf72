//! `await-in-loop`: independent non-database async work awaited once per iteration.
//! Docs: [`META`].

use super::concurrency::{callee_name, wait_severity, Reaches};
use super::{Context, Placement, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::latency;
use crate::model::{CallKind, FileId, IterationKind};
use crate::params::Category;
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

pub struct AwaitInLoop;

static META: RuleMeta = RuleMeta {
    id: "await-in-loop",
    category: Category::Concurrency,
    summary: "Independent HTTP, cache or file reads awaited one item at a time in a loop",
    docs: r#"## What it finds
A loop over items (`for`, `for…of`, `for…in`) that awaits, for each item, an
outbound HTTP request, a cache command or a file read — directly or through a user function
that does (in any file) — when no iteration needs the previous one's result.

## Why is this bad
Each iteration waits for its round trip before the next one starts: 50 items × 50 ms of HTTP
is 2.5 s, where ten requests in flight at a time take 250 ms. Cache reads have a batch form
(`MGET`, a pipeline) that fetches every key in one round trip.

## Example
```js
for (const user of users) {
  user.avatar = await fetchAvatar(user.email);
}
```
Use instead — a bounded `Promise.all` (results stay in order):
```js
const limit = pLimit(10); // import pLimit from 'p-limit'
await Promise.all(users.map((user) => limit(async () => {
  user.avatar = await fetchAvatar(user.email);
})));
```
or `redis.mget(keys)` / a pipeline for cache reads.

## What it leaves alone
- database queries: a query per item is an `n-plus-one-query`, reported once, by that rule;
- loops whose iterations depend on each other: cursor or page pagination, polling, queue
  draining, retries (the loop's condition uses what the body awaits, or the body leaves the
  loop on an awaited value), and every `while`/`do…while` loop;
- loops that wait on purpose (`await sleep(ms)`), and `for await` over a stream;
- writes that must stay ordered: HTTP `POST`/`PUT`/`DELETE` and file writes per item;
- work that does not depend on the item (hoist it), and iterations over a literal array;
- per-item callbacks that already run together (`Promise.all(items.map(…))`)."#,
    model: "latency",
};

impl Rule for AwaitInLoop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let mut reaches = Reaches::new(ctx.program, &ctx.profile);
        let mut reported: std::collections::HashSet<usize> = std::collections::HashSet::new();
        for call in &ctx.program.calls {
            let Some(&id) = call.iterations.last() else { continue };
            if reported.contains(&id) || !call.awaited {
                continue;
            }
            let iteration = &ctx.program.iterations[id];
            // `while`/`do…while` loops drain queues and poll: their iterations are rarely a
            // fixed list of independent items.
            if !matches!(iteration.kind, IterationKind::Loop("for" | "for…of" | "for…in"))
                || iteration.dependent
                || iteration.throttled
            {
                continue;
            }
            if crate::model::values::constant_list(ctx.program, iteration) {
                continue;
            }
            // The await runs in the loop's own function, not in a callback started by it.
            if let Some(f) = call.function {
                let fs = ctx.program.functions[f].span;
                if !(fs.lo <= iteration.span.lo && iteration.span.hi <= fs.hi) {
                    continue;
                }
            }
            if !call.mentions.iter().any(|m| iteration.item_names.contains(m)) {
                continue;
            }
            let reach = reaches.of_call(call);
            let cache = matches!(call.kind, CallKind::Cache { .. });
            if !reach.io || reach.db || (reach.write && !cache) {
                continue;
            }
            let (endpoint, others) = match ctx.placement(call.function) {
                Placement::Filtered => continue,
                Placement::Offline => (None, 0),
                Placement::Endpoint { label, others } => (Some(label), others),
            };
            reported.insert(id);
            let estimate = latency::per_item_awaits(&ctx.profile, &reach.part(), false);
            let saved = estimate.before[0].value - estimate.after[0].value;
            let Some(severity) = wait_severity(ctx, &endpoint, saved) else { continue };
            let file = ctx.program.file(call.file);
            let callee = callee_name(file.snippet(call.span));
            let collection = iteration.collection.clone().unwrap_or_else(|| "the collection".into());
            let kind = match &iteration.kind {
                IterationKind::Loop(k) => *k,
                _ => "",
            };
            let mut message = format!(
                "`{callee}` is awaited once per item of `{collection}` ({kind} loop), one item at a time, though no iteration needs the previous one's result. Run them together with a bounded `Promise.all` (`p-limit`, `p-map`)."
            );
            if cache {
                message.push_str(
                    " For cache commands, one `MGET`/`mget` or a pipeline fetches every key in one round trip.",
                );
            }
            if others > 0 {
                message.push_str(&format!(" Also on {others} other endpoint{}.", if others == 1 { "" } else { "s" }));
            }
            let before = ctx.lines(call.file, iteration.statement);
            let after = rewrite(ctx, call.file, iteration.span, &iteration.item_names, &before)
                .or_else(|| prefetch_rewrite(ctx, call.file, iteration.span, call.span, &before))
                .unwrap_or_default();
            out.push(ctx.finding(&META, call.file, call.span, severity, endpoint, message, estimate, before, after));
        }
    }
}

/// The `for…of` statement at `span`, found by descending only into nodes that contain it.
fn find_for_of(program: &Program, span: Span) -> Option<&ForOfStmt> {
    match program {
        Program::Module(m) => m.body.iter().find_map(|item| match item {
            ModuleItem::Stmt(s) => find_in_stmt(s, span),
            ModuleItem::ModuleDecl(d) => find_in_decl(d, span),
        }),
        Program::Script(s) => s.body.iter().find_map(|st| find_in_stmt(st, span)),
    }
}

/// The search's state: the span sought and the node, once found.
struct Collect<'a> {
    span: Span,
    found: Option<&'a ForOfStmt>,
}

fn find_in_stmt(s: &Stmt, span: Span) -> Option<&ForOfStmt> {
    let mut c = Collect { span, found: None };
    collect_stmt(&mut c, s);
    c.found
}

fn find_in_decl(d: &ModuleDecl, span: Span) -> Option<&ForOfStmt> {
    let mut c = Collect { span, found: None };
    match d {
        ModuleDecl::ExportDecl(e) => collect_decl(&mut c, &e.decl),
        ModuleDecl::ExportDefaultDecl(e) => match &e.decl {
            DefaultDecl::Fn(f) => collect_function(&mut c, &f.function),
            DefaultDecl::Class(k) => collect_class(&mut c, &k.class),
            _ => {}
        },
        ModuleDecl::ExportDefaultExpr(e) => collect_expr(&mut c, &e.expr),
        _ => {}
    }
    c.found
}

fn collect_decl<'a>(c: &mut Collect<'a>, d: &'a Decl) {
    match d {
        Decl::Fn(f) => collect_function(c, &f.function),
        Decl::Class(k) => collect_class(c, &k.class),
        Decl::Var(v) => {
            for d in &v.decls {
                if let Some(init) = &d.init {
                    collect_expr(c, init);
                }
            }
        }
        _ => {}
    }
}

fn collect_class<'a>(c: &mut Collect<'a>, k: &'a Class) {
    for m in &k.body {
        match m {
            ClassMember::Method(m) => collect_function(c, &m.function),
            ClassMember::PrivateMethod(m) => collect_function(c, &m.function),
            ClassMember::Constructor(k) => {
                if let Some(b) = &k.body {
                    collect_stmts(c, &b.stmts);
                }
            }
            ClassMember::ClassProp(p) => {
                if let Some(v) = &p.value {
                    collect_expr(c, v);
                }
            }
            _ => {}
        }
    }
}

fn collect_function<'a>(c: &mut Collect<'a>, f: &'a Function) {
    if let Some(b) = &f.body {
        collect_stmts(c, &b.stmts);
    }
}

fn collect_stmts<'a>(c: &mut Collect<'a>, list: &'a [Stmt]) {
    for s in list {
        if c.found.is_some() {
            return;
        }
        collect_stmt(c, s);
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.lo <= inner.lo && inner.hi <= outer.hi
}

fn collect_stmt<'a>(c: &mut Collect<'a>, s: &'a Stmt) {
    if c.found.is_some() || !contains(s.span(), c.span) {
        return;
    }
    match s {
        Stmt::ForOf(x) if x.span == c.span => c.found = Some(x),
        Stmt::ForOf(x) => collect_stmt(c, &x.body),
        Stmt::Block(b) => collect_stmts(c, &b.stmts),
        Stmt::For(x) => collect_stmt(c, &x.body),
        Stmt::ForIn(x) => collect_stmt(c, &x.body),
        Stmt::While(x) => collect_stmt(c, &x.body),
        Stmt::DoWhile(x) => collect_stmt(c, &x.body),
        Stmt::If(x) => {
            collect_stmt(c, &x.cons);
            if let Some(alt) = &x.alt {
                collect_stmt(c, alt);
            }
        }
        Stmt::Try(t) => {
            collect_stmts(c, &t.block.stmts);
            if let Some(h) = &t.handler {
                collect_stmts(c, &h.body.stmts);
            }
            if let Some(f) = &t.finalizer {
                collect_stmts(c, &f.stmts);
            }
        }
        Stmt::Labeled(l) => collect_stmt(c, &l.body),
        Stmt::Switch(sw) => {
            for case in &sw.cases {
                collect_stmts(c, &case.cons);
            }
        }
        Stmt::Decl(d) => collect_decl(c, d),
        Stmt::Expr(e) => collect_expr(c, &e.expr),
        Stmt::Return(r) => {
            if let Some(a) = &r.arg {
                collect_expr(c, a);
            }
        }
        _ => {}
    }
}

fn collect_expr<'a>(c: &mut Collect<'a>, e: &'a Expr) {
    if c.found.is_some() || !contains(e.span(), c.span) {
        return;
    }
    match e {
        Expr::Fn(f) => collect_function(c, &f.function),
        Expr::Arrow(a) => match &*a.body {
            ArrowFunctionBody::FunctionBody(b) => collect_stmts(c, &b.stmts),
            ArrowFunctionBody::Expr(x) => collect_expr(c, x),
        },
        Expr::Call(call) => {
            if let Callee::Expr(x) = &call.callee {
                collect_expr(c, x);
            }
            for a in &call.args {
                collect_expr(c, &a.expr);
            }
        }
        Expr::New(n) => {
            for a in n.args.iter().flatten() {
                collect_expr(c, &a.expr);
            }
        }
        Expr::Member(m) => collect_expr(c, &m.obj),
        Expr::Paren(p) => collect_expr(c, &p.expr),
        Expr::Await(a) => collect_expr(c, &a.arg),
        Expr::Assign(a) => collect_expr(c, &a.right),
        Expr::Object(o) => {
            for p in &o.props {
                if let PropOrSpread::Prop(p) = p {
                    match &**p {
                        Prop::KeyValue(kv) => collect_expr(c, &kv.value),
                        Prop::Method(m) => collect_function(c, &m.function),
                        _ => {}
                    }
                }
            }
        }
        Expr::Array(a) => {
            for el in a.elems.iter().flatten() {
                collect_expr(c, &el.expr);
            }
        }
        Expr::Class(k) => collect_class(c, &k.class),
        Expr::Seq(s) => {
            for x in &s.exprs {
                collect_expr(c, x);
            }
        }
        _ => {}
    }
}

/// Statements that change what the loop does when its body becomes a callback
/// (`break`, `continue`, `return`, `yield`), outside nested functions.
#[derive(Default)]
struct ControlFlow(bool);
impl Visit for ControlFlow {
    fn visit_break_stmt(&mut self, _: &BreakStmt) {
        self.0 = true;
    }
    fn visit_continue_stmt(&mut self, _: &ContinueStmt) {
        self.0 = true;
    }
    fn visit_return_stmt(&mut self, _: &ReturnStmt) {
        self.0 = true;
    }
    fn visit_yield_expr(&mut self, _: &YieldExpr) {
        self.0 = true;
    }
    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
}

/// Names declared by the body's own statements.
#[derive(Default)]
struct Declared(Vec<String>);
impl Visit for Declared {
    fn visit_binding_ident(&mut self, i: &BindingIdent) {
        self.0.push(i.id.sym.to_string());
    }
    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
    fn visit_expr(&mut self, e: &Expr) {
        // Declarations only, not the names used in initialisers.
        if let Expr::Fn(_) | Expr::Arrow(_) = e {
            return;
        }
        e.visit_children_with(self);
    }
}

/// Roots of what the body changes: assignment and update targets, receivers of mutating
/// array/collection methods, and output (`console`, `process`).
#[derive(Default)]
struct Mutated(Vec<(String, Span)>);
impl Visit for Mutated {
    fn visit_assign_expr(&mut self, a: &AssignExpr) {
        if let Some(root) = target_root(&a.left) {
            self.0.push((root, a.span));
        }
        a.visit_children_with(self);
    }
    fn visit_update_expr(&mut self, u: &UpdateExpr) {
        if let Some(root) = expr_root(&u.arg) {
            self.0.push((root, u.span));
        }
        u.visit_children_with(self);
    }
    fn visit_call_expr(&mut self, c: &CallExpr) {
        if let Callee::Expr(e) = &c.callee {
            if let Expr::Member(m) = &**e {
                let method = crate::syntax::prop_name(&m.prop).unwrap_or_default();
                let root = expr_root(&m.obj);
                // Output is ordered too: `console.log`, `process.stdout.write`.
                let output = matches!(root.as_deref(), Some("console") | Some("process"));
                if output
                    || ["push", "unshift", "splice", "set", "add", "delete", "write", "concat"]
                        .contains(&method.as_str())
                {
                    if let Some(root) = root {
                        self.0.push((root, c.span));
                    }
                }
            }
        }
        c.visit_children_with(self);
    }
    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
}

fn expr_root(e: &Expr) -> Option<String> {
    match e {
        Expr::Ident(i) => Some(i.sym.to_string()),
        Expr::Member(m) => expr_root(&m.obj),
        Expr::This(_) => Some("this".into()),
        Expr::Paren(p) => expr_root(&p.expr),
        _ => None,
    }
}

fn target_root(t: &AssignTarget) -> Option<String> {
    match t {
        AssignTarget::Simple(SimpleAssignTarget::Ident(i)) => Some(i.id.sym.to_string()),
        AssignTarget::Simple(SimpleAssignTarget::Member(m)) => expr_root(&m.obj),
        _ => Some(String::new()),
    }
}

/// Turns `for (const item of items) { … }` into a bounded `Promise.all` over `items.map`,
/// keeping the body as written. When the body's only outside effect is a final
/// `results.push(value)`, the results are pushed in order once all are done. Other loops,
/// and bodies with `break`/`continue`/`return` or other outside effects, get no rewrite.
fn rewrite(ctx: &Context, file_id: FileId, span: Span, items: &[String], before: &str) -> Option<String> {
    let file = ctx.program.file(file_id);
    let program = file.program.as_ref()?;
    let for_of = find_for_of(program, span)?;
    if for_of.is_await {
        return None;
    }
    let ForHead::VarDecl(decl) = &for_of.left else { return None };
    let binding = file.snippet(decl.decls.first()?.name.span());
    let collection = file.snippet(for_of.right.span());
    let mut control = ControlFlow::default();
    for_of.body.visit_with(&mut control);
    if control.0 {
        return None;
    }
    let mut declared = Declared::default();
    for_of.body.visit_with(&mut declared);
    let mut mutated = Mutated::default();
    for_of.body.visit_with(&mut mutated);
    let outside: Vec<&(String, Span)> =
        mutated.0.iter().filter(|(root, _)| !declared.0.contains(root) && !items.contains(root)).collect();
    let indent: String = before.chars().take_while(|c| c.is_whitespace() && *c != '\n').collect();
    let line_start = file.lines.line_start(file.position(for_of.span.lo).0) as usize;
    let rel = |p: swc_common::BytePos| file.offset(p) as usize - line_start;
    let body_text = |stmt: &Stmt| -> String {
        match stmt {
            Stmt::Block(_) => before[rel(stmt.span().lo)..rel(stmt.span().hi)].to_string(),
            other => format!("{{ {} }}", &before[rel(other.span().lo)..rel(other.span().hi)]),
        }
    };
    let head = format!("{indent}const limit = pLimit(10); // import pLimit from 'p-limit'\n");
    match outside.as_slice() {
        [] => Some(format!(
            "{head}{indent}await Promise.all({collection}.map(({binding}) => limit(async () => {})));",
            body_text(&for_of.body)
        )),
        [(root, push_span)] => {
            // Only `results.push(value);` as the body's last statement.
            let Stmt::Block(block) = &*for_of.body else { return None };
            let Some(Stmt::Expr(last)) = block.stmts.last() else { return None };
            let Expr::Call(call) = &*last.expr else { return None };
            if call.span != *push_span || call.args.len() != 1 || call.args[0].spread.is_some() {
                return None;
            }
            let Callee::Expr(callee) = &call.callee else { return None };
            let Expr::Member(m) = &**callee else { return None };
            if crate::syntax::prop_name(&m.prop).as_deref() != Some("push") || !matches!(&*m.obj, Expr::Ident(_)) {
                return None;
            }
            let value = file.snippet(call.args[0].expr.span());
            let mut body = body_text(&for_of.body);
            let lo = rel(last.span.lo) - rel(block.span.lo);
            let hi = rel(last.span.hi) - rel(block.span.lo);
            body.replace_range(lo..hi, &format!("return {value};"));
            Some(format!(
                "{head}{indent}{root}.push(...(await Promise.all({collection}.map(({binding}) => limit(async () => {body})))));"
            ))
        }
        _ => None,
    }
}

/// Names mentioned anywhere in a node.
#[derive(Default)]
struct Names(Vec<String>);
impl Visit for Names {
    fn visit_ident(&mut self, i: &Ident) {
        self.0.push(i.sym.to_string());
    }
    fn visit_member_prop(&mut self, _: &MemberProp) {}
}

/// A loop whose body must stay sequential (it writes outside state, logs in order) but whose
/// awaited read depends only on the item: the reads start together, bounded by `p-limit`,
/// before the loop, and the loop reads their results in order —
/// `const texts = await Promise.all(names.map((name) => limit(() => readFile(name, 'utf8'))));`
/// then `for (const [index, name] of names.entries()) { const text = texts[index]; … }`.
/// Only when the awaited call is a whole statement's value (`const x = await f(item)`,
/// `obj[k] = await f(item)`), uses nothing the loop declares or changes, and the body has no
/// `break`/`continue`/`return` (every read would be made anyway).
fn prefetch_rewrite(ctx: &Context, file_id: FileId, span: Span, call_span: Span, before: &str) -> Option<String> {
    let file = ctx.program.file(file_id);
    let program = file.program.as_ref()?;
    let for_of = find_for_of(program, span)?;
    if for_of.is_await {
        return None;
    }
    let ForHead::VarDecl(decl) = &for_of.left else { return None };
    let binding_pat = &decl.decls.first()?.name;
    let binding = file.snippet(binding_pat.span());
    let collection = file.snippet(for_of.right.span());
    if !collection.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.') {
        return None;
    }
    let mut control = ControlFlow::default();
    for_of.body.visit_with(&mut control);
    if control.0 {
        return None;
    }
    let Stmt::Block(block) = &*for_of.body else { return None };
    // The statement holding the await: `const x = await CALL;` or `target = await CALL;`.
    let (stmt, name) = block.stmts.iter().find_map(|st| {
        if !(st.span().lo <= call_span.lo && call_span.hi <= st.span().hi) {
            return None;
        }
        let awaited = |e: &Expr| matches!(e, Expr::Await(a) if a.arg.span() == call_span);
        match st {
            Stmt::Decl(Decl::Var(v)) if v.decls.len() == 1 => {
                let d = &v.decls[0];
                let Pat::Ident(id) = &d.name else { return None };
                d.init.as_deref().filter(|e| awaited(e)).map(|_| (st, Some(id.id.sym.to_string())))
            }
            Stmt::Expr(e) => match &*e.expr {
                Expr::Assign(a) if a.op == AssignOp::Assign && awaited(&a.right) => Some((st, None)),
                _ => None,
            },
            _ => None,
        }
    })?;
    // The read may use the item and names from outside the loop that the loop leaves alone.
    let mut item_names = Names::default();
    binding_pat.visit_with(&mut item_names);
    let call = file.snippet(call_span);
    let call_expr = crate::syntax::parse_expr(call, file.path.ends_with("ts") || file.path.ends_with("tsx"))?;
    let mut used = Names::default();
    call_expr.visit_with(&mut used);
    if !used.0.iter().any(|n| item_names.0.contains(n)) {
        return None;
    }
    let mut declared = Declared::default();
    for_of.body.visit_with(&mut declared);
    let mut mutated = Mutated::default();
    for_of.body.visit_with(&mut mutated);
    if used
        .0
        .iter()
        .any(|n| !item_names.0.contains(n) && (declared.0.contains(n) || mutated.0.iter().any(|(root, _)| root == n)))
    {
        return None;
    }
    // Fresh names: no identifier of the file has them (the loop's scope may see any of them).
    let mut taken = Names::default();
    program.visit_with(&mut taken);
    let whole = |n: &str| taken.0.iter().any(|t| t == n);
    let fresh = |base: &str| {
        if !whole(base) {
            base.to_string()
        } else {
            (2..).map(|i| format!("{base}{i}")).find(|n| !whole(n)).unwrap()
        }
    };
    let results = fresh(&match &name {
        Some(n) if !n.ends_with('s') => format!("{n}s"),
        Some(n) => format!("{n}List"),
        None => "results".to_string(),
    });
    let index = fresh("index");
    let limit = fresh("limit");
    let line_start = file.lines.line_start(file.position(for_of.span.lo).0) as usize;
    let rel = |p: swc_common::BytePos| file.offset(p) as usize - line_start;
    let indent: String = before.chars().take_while(|c| c.is_whitespace() && *c != '\n').collect();
    // The loop as written, with the head over `.entries()` and the await replaced by the result.
    let mut body = before.to_string();
    let await_span = match stmt {
        Stmt::Decl(Decl::Var(v)) => v.decls[0].init.as_ref()?.span(),
        Stmt::Expr(e) => match &*e.expr {
            Expr::Assign(a) => a.right.span(),
            _ => return None,
        },
        _ => return None,
    };
    body.replace_range(rel(await_span.lo)..rel(await_span.hi), &format!("{results}[{index}]"));
    let head = rel(for_of.left.span().lo)..rel(for_of.right.span().hi);
    let kind = if decl.kind == VarDeclKind::Let { "let" } else { "const" };
    body.replace_range(head, &format!("{kind} [{index}, {binding}] of {collection}.entries()"));
    Some(format!(
        "{indent}const {limit} = pLimit(10); // import pLimit from 'p-limit'\n{indent}const {results} = await Promise.all({collection}.map(({binding}) => {limit}(() => {call})));\n{body}"
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_parses, findings};
    use crate::{analyze, Params, SourceFile};

    #[test]
    fn ordered_bodies_prefetch_the_reads_and_keep_the_loop() {
        let src = "app.get('/prices', async (req, res) => {\n  const prices = {};\n  for (const sku of req.query.skus) {\n    const quote = await fetch(`${PRICING}/quotes/${sku}`);\n    prices[sku] = (await quote.json()).amount;\n  }\n  res.json(prices);\n});\n";
        let a = analyze(&[SourceFile::new("p.js", src)], &Params::all_rules());
        let f = a.findings.iter().find(|f| f.rule == "await-in-loop").expect("the fetch per sku");
        assert_parses(&f.after);
        assert!(f.after.contains("  const quotes = await Promise.all(req.query.skus.map((sku) => limit(() => fetch(`${PRICING}/quotes/${sku}`))));\n"), "{}", f.after);
        assert!(
            f.after.contains(
                "  for (const [index, sku] of req.query.skus.entries()) {\n    const quote = quotes[index];\n"
            ),
            "{}",
            f.after
        );
        // A read that uses what the loop changes cannot start early.
        let chained = src
            .replace("${PRICING}/quotes/${sku}", "${PRICING}/quotes/${sku}?after=${last}")
            .replace("    prices[sku]", "    last = sku;\n    prices[sku]");
        let a = analyze(&[SourceFile::new("p.js", chained)], &Params::all_rules());
        if let Some(f) = a.findings.iter().find(|f| f.rule == "await-in-loop") {
            assert!(!f.after.contains("entries()"), "{}", f.after);
        }
    }

    #[test]
    fn http_per_item_is_flagged_with_a_bounded_rewrite() {
        let src = "app.get('/avatars', async (req, res) => {\n  const users = await User.findAll({ limit: 50 });\n  for (const user of users) {\n    user.avatar = await fetch(`${AVATARS}/${user.email}`);\n  }\n  res.json(users);\n});\n";
        let a = analyze(&[SourceFile::new("a.js", src)], &Params::all_rules());
        let f: Vec<_> = a.findings.iter().filter(|f| f.rule == "await-in-loop").collect();
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].line, f[0].column), (4, 25));
        assert_eq!(f[0].estimate.summary, "50 awaits in sequence ≈2500 ms → 10 at a time ≈250 ms (90 % faster)");
        assert!(f[0].after.contains("await Promise.all(users.map((user) => limit(async () => {"), "{}", f[0].after);
        assert_parses(&f[0].after);
    }

    #[test]
    fn pushes_become_ordered_results() {
        let src = "async function load(ids) {\n  const out = [];\n  for (const id of ids) {\n    const value = await redis.get(`k:${id}`);\n    out.push(JSON.parse(value));\n  }\n  return out;\n}\n";
        let a = analyze(&[SourceFile::new("a.js", src)], &Params::all_rules());
        assert_eq!(a.findings.len(), 1, "{:?}", a.findings);
        let after = &a.findings[0].after;
        assert!(after.contains("out.push(...(await Promise.all(ids.map((id) => limit(async () => {"), "{after}");
        assert!(after.contains("return JSON.parse(value);"), "{after}");
        assert!(a.findings[0].message.contains("MGET"));
        assert_parses(after);
    }

    #[test]
    fn queries_dependent_loops_and_writes_are_left_alone() {
        let src = "async function f(ids) {\n  for (const id of ids) await User.findByPk(id);\n  let page = await fetch(url);\n  while (page.next) { page = await fetch(page.next); }\n  for (const id of ids) await axios.post(`/x/${id}`);\n  for (const id of ids) { await fetch(`/y/${id}`); await sleep(100); }\n}\n";
        let found = findings(&[("f.js", src)], &Params::all_rules());
        assert!(found.iter().all(|f| !f.contains("await-in-loop")), "{found:?}");
    }
}
