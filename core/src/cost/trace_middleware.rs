//! The middleware on an endpoint's request path, as steps of its trace ([`super::trace`]).
//!
//! Read from the model's app facts (`Program::app_facts`: every `x.use(…)` in order, with the
//! package each argument comes from) and the route's own registration:
//!
//! - `use` registrations on the route's own app or router, in its file, before the route, with
//!   no path or a path the route's path starts with;
//! - `use` registrations on an app of another file (or of the same file, when the route is on a
//!   router) that run before the route's router is mounted: with no path or a path the route's
//!   full path starts with, registered before the first registration that mounts the route's
//!   router (its name, or the module of the route's file); all of them when no such mount is
//!   found (`require('./routes')(app)`);
//! - the route's own middleware arguments (`app.get('/x', auth, validate, handler)`).
//!
//! Each middleware is a span: a function of the project (inline, by name, imported, or the
//! function a factory call returns, `authenticate('admin')`) is walked like a handler, so an
//! authentication middleware's user lookup is a query of every request it guards; a session
//! with a store or `passport.session()` is a store round trip (`cache_ms`); static files are a
//! file-system check; other packages' middleware (body and cookie parsers, `cors()`,
//! `helmet()`) cost [`PARSER_MS`](super::latency::PARSER_MS) of the event loop each.
//! Routers mounted with `use`, Koa's `router.routes()`, and Fastify/hapi/NestJS (plugins and
//! guards are not walked here) add none.

use super::trace::{Kind, Op, Step};
use super::trace_walk::{seq, Walk};
use crate::model::index::Index;
use crate::model::{FileId, Framework, FunctionId, Program, Route};
use std::collections::HashMap;
use crate::rules::global_heavy_middleware::{heavy_weight, Weight};
use crate::syntax::unwrap;
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

/// What [`steps`] reads for every route, computed once per program: the `use` registrations
/// per receiver, where each app first mounts each file, and each argument's step.
pub struct Mounts<'p> {
    index: crate::model::index::Index<'p>,
    /// The `use` registrations on each (file, receiver), in order (indexes into
    /// `app_facts.registrations`).
    uses: HashMap<(FileId, &'p str), Vec<usize>>,
    /// Per app with a name: for each file, the position (in the app's `use` registrations) of
    /// the first one whose argument's module leads to it.
    first_mount: Vec<HashMap<FileId, usize>>,
    /// Per app: for each argument root, the position of the first registration that has it.
    first_root: Vec<HashMap<&'p str, usize>>,
    /// The step of a middleware argument, by (file, span).
    arg_steps: HashMap<(FileId, Span), Option<Step>>,
    /// Per app, once asked: its `use` registrations that add steps, with their position among
    /// the app's `use` registrations and the steps of their arguments.
    effective: Vec<Option<Vec<(usize, usize, Vec<Step>)>>>,
}

impl<'p> Mounts<'p> {
    pub fn new(program: &'p Program<'p>) -> Mounts<'p> {
        let index = crate::model::index::Index::new(program);
        let mut uses: HashMap<(FileId, &str), Vec<usize>> = HashMap::new();
        for (i, r) in program.app_facts.registrations.iter().enumerate() {
            if let (Some(name), "use") = (r.receiver.as_deref(), r.method.as_str()) {
                uses.entry((r.file, name)).or_default().push(i);
            }
        }
        // The files reachable from each module through relative imports (`leads_to`).
        let mut reach: HashMap<FileId, Vec<FileId>> = HashMap::new();
        let mut first_mount = Vec::with_capacity(program.apps.len());
        let mut first_root = Vec::with_capacity(program.apps.len());
        for app in &program.apps {
            let mut mounts: HashMap<FileId, usize> = HashMap::new();
            let mut roots: HashMap<&str, usize> = HashMap::new();
            if let Some(name) = app.name.as_deref() {
                let regs = uses.get(&(app.file, name)).map(Vec::as_slice).unwrap_or(&[]);
                for (pos, &r) in regs.iter().enumerate() {
                    for a in &program.app_facts.registrations[r].args {
                        if let Some(root) = a.root.as_deref() {
                            roots.entry(root).or_insert(pos);
                        }
                        let Some(m) = a.module.as_deref().and_then(|m| index.modules.resolve(app.file, m)) else {
                            continue;
                        };
                        let files = reach.entry(m).or_insert_with(|| reachable(program, &index, m));
                        for &f in files.iter() {
                            mounts.entry(f).or_insert(pos);
                        }
                    }
                }
            }
            first_mount.push(mounts);
            first_root.push(roots);
        }
        let effective = vec![None; program.apps.len()];
        Mounts { index, uses, first_mount, first_root, arg_steps: HashMap::new(), effective }
    }

    fn arg_step(
        &mut self,
        program: &Program,
        walk: &mut Walk,
        file: FileId,
        span: Span,
        root: Option<&str>,
        module: Option<&str>,
    ) -> Option<Step> {
        if let Some(s) = self.arg_steps.get(&(file, span)) {
            return s.clone();
        }
        let s = arg_step(program, &self.index, walk, file, span, root, module);
        self.arg_steps.insert((file, span), s.clone());
        s
    }

    /// The steps of registration `r`'s arguments (`None` for what adds none).
    fn reg_steps(&mut self, program: &Program, walk: &mut Walk, r: usize) -> Vec<Step> {
        let reg = &program.app_facts.registrations[r];
        let mut found = Vec::new();
        for arg in &reg.args {
            found.extend(self.arg_step(program, walk, reg.file, arg.span, arg.root.as_deref(), arg.module.as_deref()));
        }
        found
    }
}

/// The middleware that runs before `route`'s handler, in order.
pub fn steps(program: &Program, walk: &mut Walk, mounts: &mut Mounts, route: &Route) -> Step {
    if !matches!(route.framework, Framework::Express | Framework::Koa) || route.is_named_operation() {
        return Step::Seq(Vec::new());
    }
    let mut out = Vec::new();
    let file = route.file;
    let receiver = receiver_of(program.file(file).snippet(route.span));
    let registrations = &program.app_facts.registrations;
    // App-level middleware registered before the route's router is mounted: before the first
    // registration with an argument named like the route's receiver (an app of the route's
    // own file) or from a module that leads to the route's file.
    for (a, app) in program.apps.iter().enumerate() {
        let Some(name) = app.name.as_deref() else { continue };
        if app.file == file && receiver.as_deref() == Some(name) {
            continue; // the route is on the app itself: the next loop has it
        }
        let count = mounts.uses.get(&(app.file, name)).map_or(0, Vec::len);
        let by_root = match receiver.as_deref() {
            Some(r) if app.file == file => mounts.first_root[a].get(r).copied(),
            _ => None,
        };
        let by_module = mounts.first_mount[a].get(&file).copied();
        let mount = match (by_root, by_module) {
            (Some(x), Some(y)) => x.min(y),
            (x, y) => x.or(y).unwrap_or(count),
        };
        if mounts.effective[a].is_none() {
            let regs = mounts.uses.get(&(app.file, name)).cloned().unwrap_or_default();
            let mut effective = Vec::new();
            for (pos, r) in regs.into_iter().enumerate() {
                let found = mounts.reg_steps(program, walk, r);
                if !found.is_empty() {
                    effective.push((pos, r, found));
                }
            }
            mounts.effective[a] = Some(effective);
        }
        for (_, r, found) in mounts.effective[a].iter().flatten().take_while(|(pos, _, _)| *pos < mount) {
            let r = &registrations[*r];
            if applies(r.path.as_deref(), r.path_list, &route.path) {
                out.extend(found.iter().cloned());
            }
        }
    }
    // Middleware on the route's own app or router, before it.
    if let Some(name) = receiver.as_deref() {
        let regs = mounts.uses.get(&(file, name)).cloned().unwrap_or_default();
        for r in regs {
            let reg = &registrations[r];
            if reg.span.hi > route.span.lo || !applies(reg.path.as_deref(), reg.path_list, &route.path) {
                continue;
            }
            out.extend(mounts.reg_steps(program, walk, r));
        }
    }
    // The route's own middleware arguments.
    if let Some(args) = route_args(program, file, route.span) {
        for span in args {
            let text = program.file(file).snippet(span);
            let root = text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).next().unwrap_or("");
            let module = imported_module(program, file, root);
            out.extend(mounts.arg_step(program, walk, file, span, (!root.is_empty()).then_some(root), module.as_deref()));
        }
    }
    seq(out)
}

/// The files `from` leads to: itself and what it imports through relative imports, on and on
/// (a router module mounting the route's router: `app.use(routes)`, `routes` using `api`).
fn reachable(program: &Program, index: &Index, from: FileId) -> Vec<FileId> {
    let mut seen = vec![false; program.files.len()];
    let mut out = Vec::new();
    let mut stack = vec![from];
    while let Some(f) = stack.pop() {
        if std::mem::replace(&mut seen[f], true) {
            continue;
        }
        out.push(f);
        for i in program.app_facts.imports.get(f).into_iter().flatten() {
            if let Some(next) = index.modules.resolve(f, &i.module) {
                stack.push(next);
            }
        }
    }
    out
}

/// `app` in `app.get('/x', …)`, `router` in `router.route('/x').get(…)`.
fn receiver_of(text: &str) -> Option<String> {
    let name: String = text.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$').collect();
    (!name.is_empty() && text[name.len()..].starts_with('.')).then_some(name)
}

/// Does middleware mounted on `path` run for requests to `route_path`? No path: every request;
/// a path: when the route's path (or the part of it after the router's mount prefix) starts
/// with it, segment by segment.
fn applies(path: Option<&str>, path_list: bool, route_path: &str) -> bool {
    if path_list {
        return false;
    }
    let Some(p) = path.map(|p| p.trim_end_matches('/')) else { return true };
    if p.is_empty() {
        return true;
    }
    let p = if p.starts_with('/') { p.to_string() } else { format!("/{p}") };
    let r = route_path.trim_end_matches('/');
    r == p || r.starts_with(&format!("{p}/")) || r.contains(&format!("{p}/")) || r.ends_with(&p)
}

/// The package or relative module a name of `file` is imported from.
fn imported_module(program: &Program, file: FileId, name: &str) -> Option<String> {
    program
        .app_facts
        .imports
        .get(file)?
        .iter()
        .find(|i| i.bound.iter().any(|(local, _)| local == name))
        .map(|i| i.module.clone())
}

/// One middleware argument's step, or `None` for a path, a router, or what costs nothing.
fn arg_step(
    program: &Program,
    index: &Index,
    walk: &mut Walk,
    file: FileId,
    span: Span,
    root: Option<&str>,
    module: Option<&str>,
) -> Option<Step> {
    let parsed = program.file(file);
    let text = parsed.snippet(span).trim();
    if text.is_empty() || text.starts_with(['\'', '"', '`', '[', '{']) || text.ends_with(".routes()") {
        return None;
    }
    let (line, column) = parsed.position(span.lo);
    let op = |kind: Kind, label: String| {
        Step::Op(Op { kind, label, file, line, column, rows: 0.0, deferred: false, offloaded: false })
    };
    // A package's middleware by its call (`session()`, `passport.session()`), a function by its text.
    let label = match text.split_once('(') {
        Some((head, _)) if !head.contains(['=', ' ']) => format!("{}()", head.trim()),
        _ => short(text),
    };
    if text.starts_with("express.static(") || matches!(root, Some("serve" | "serveStatic")) {
        return Some(op(Kind::Fs, label));
    }
    let relative = module.is_some_and(|m| m.starts_with('.'));
    if let Some(m) = module.filter(|_| !relative) {
        if m == "express" && !text.starts_with("express.") {
            return None; // `express.Router()` instances are routers
        }
        return Some(match heavy_weight(text, Some(m)) {
            Some(Weight::Store) => op(Kind::Cache, format!("{label} (store round trip)")),
            _ => op(Kind::Middleware, label),
        });
    }
    if text.starts_with("express.json(") || text.starts_with("express.urlencoded(") {
        return Some(op(Kind::Middleware, label));
    }
    // A function of the project: walked like a handler.
    let function = project_function(program, index, file, span, text, root, module)?;
    let f = &program.functions[function];
    if index.routes_in_file[f.file].iter().map(|&r| &program.routes[r]).any(|r| f.span.lo <= r.span.lo && r.span.hi <= f.span.hi) {
        return None; // a function that registers routes is a router, not middleware
    }
    if f.params.len() == 4 {
        return None; // `(err, req, res, next)`: an error handler runs only when a request fails
    }
    Some(walk.function(function))
}

/// At most 40 characters of a middleware's source, on one line.
fn short(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 40 {
        one.chars().take(37).collect::<String>() + "…"
    } else {
        one
    }
}

/// The project function a middleware argument runs: an inline function, a function named in
/// the file or imported from a project module (`auth`, `auth.required`), or the function a
/// factory of the project returns (`authenticate('admin')`).
fn project_function(
    program: &Program,
    index: &Index,
    file: FileId,
    span: Span,
    text: &str,
    root: Option<&str>,
    module: Option<&str>,
) -> Option<FunctionId> {
    if let Some(&f) = index.functions_in_file[file].iter().find(|&&f| program.functions[f].span == span) {
        return Some(f);
    }
    let root = root?;
    let called = text.ends_with(')');
    let head = text.split('(').next().unwrap_or(text).trim();
    let member = head.rsplit_once('.').map(|(_, m)| m);
    let (target, name) = match module.and_then(|m| index.modules.resolve(file, m)) {
        Some(target) => {
            let export = program.app_facts.imports[file]
                .iter()
                .flat_map(|i| i.bound.iter())
                .find(|(local, _)| local == root)
                .and_then(|(_, e)| e.clone());
            (target, member.map(str::to_string).or(export).unwrap_or_else(|| root.to_string()))
        }
        None => (file, member.unwrap_or(root).to_string()),
    };
    let named = |f: &&crate::model::Function| {
        f.file == target
            && f.name.as_deref().is_some_and(|n| n == name || n.rsplit_once('.').is_some_and(|(_, m)| m == name))
    };
    if target != file && !index.routes_in_file[target].is_empty() {
        return None; // a router module, not middleware
    }
    let mut found = index.functions_in_file[target].iter().copied().find(|&f| named(&&program.functions[f]));
    if found.is_none() && module.is_some() && member.is_none() {
        // `module.exports = function (req, res, next) {…}`: the module's one top-level function.
        let top: Vec<usize> =
            index.functions_in_file[target].iter().copied().filter(|&i| program.functions[i].parent.is_none()).collect();
        if top.len() == 1 {
            found = Some(top[0]);
        }
    }
    let f = found?;
    if !called {
        return Some(f);
    }
    // A factory: the middleware is the function it returns (its first inner function).
    index.children[f].first().copied()
}

/// The middleware arguments of the route's registration call: every argument but the path
/// and the handler (`app.get('/x', auth, [validate], handler)`).
fn route_args(program: &Program, file: FileId, span: Span) -> Option<Vec<Span>> {
    let ast = program.file(file).program.as_ref()?;
    let mut find = FindCall { span, args: None };
    // Only the top-level item holding the call can hold it: found by its position (the
    // items are in source order and apart), not by a walk over every item.
    let holding = |lo: swc_common::BytePos, hi: swc_common::BytePos| lo <= span.lo && span.hi <= hi;
    match ast {
        swc_ecma_ast::Program::Module(m) => {
            let i = m.body.partition_point(|item| item.span().hi < span.lo);
            if let Some(item) = m.body.get(i).filter(|item| holding(item.span().lo, item.span().hi)) {
                item.visit_with(&mut find);
            }
        }
        swc_ecma_ast::Program::Script(s) => {
            let i = s.body.partition_point(|stmt| stmt.span().hi < span.lo);
            if let Some(stmt) = s.body.get(i).filter(|stmt| holding(stmt.span().lo, stmt.span().hi)) {
                stmt.visit_with(&mut find);
            }
        }
    }
    let args = find.args?;
    let (_, rest) = args.split_last()?;
    let mut out = Vec::new();
    for a in rest {
        if a.spread.is_some() {
            continue;
        }
        match unwrap(&a.expr) {
            Expr::Lit(_) | Expr::Tpl(_) | Expr::Object(_) => {}
            Expr::Array(arr) => out.extend(arr.elems.iter().flatten().map(|e| e.expr.span())),
            e => out.push(e.span()),
        }
    }
    Some(out)
}

struct FindCall {
    span: Span,
    args: Option<Vec<ExprOrSpread>>,
}

impl Visit for FindCall {
    fn visit_call_expr(&mut self, c: &CallExpr) {
        if self.args.is_some() {
            return;
        }
        if c.span == self.span {
            self.args = Some(c.args.clone());
            return;
        }
        if c.span.lo <= self.span.lo && self.span.hi <= c.span.hi {
            c.visit_children_with(self);
        }
    }
    fn visit_module_item(&mut self, n: &ModuleItem) {
        if self.args.is_none() && n.span().lo <= self.span.lo && self.span.hi <= n.span().hi {
            n.visit_children_with(self);
        }
    }
    // A script's statements (CommonJS) as a module's items: only the one holding the call.
    fn visit_stmt(&mut self, n: &Stmt) {
        if self.args.is_none() && n.span().lo <= self.span.lo && self.span.hi <= n.span().hi {
            n.visit_children_with(self);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_apply_segment_by_segment() {
        assert!(applies(None, false, "/api/users"));
        assert!(applies(Some("/api"), false, "/api/users"));
        assert!(applies(Some("/admin"), false, "/api/admin/users"));
        assert!(!applies(Some("/api"), false, "/apis/users"));
        assert!(!applies(Some("/admin"), false, "/api/users"));
        assert_eq!(receiver_of("router.get('/x', h)").as_deref(), Some("router"));
        assert_eq!(receiver_of("get('/x')"), None);
    }
}
