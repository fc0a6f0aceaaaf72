//! Next.js endpoints, found from the files' places and exports (run by `link`).
//!
//! - App router: `app/**/route.{ts,js,…}` (also `src/app/…`) exporting `GET`, `POST`, … —
//!   functions, `export const GET = handler`, `export { handler as GET }`. The path is the
//!   folders under `app/`: `[id]` → `:id`, `[...slug]` and `[[...slug]]` → `*`, route groups
//!   `(group)` and parallel-route slots `@slot` are not segments, and a `_private` folder
//!   holds no routes.
//! - Pages router: `pages/api/**` default exports (`pages/api/users/[id].ts` →
//!   `/api/users/:id`, `index` is its folder). The method is `ALL` unless the handler
//!   compares `req.method` with literals (`if (req.method === 'POST')`, `switch
//!   (req.method) { case 'GET': … }`): then one endpoint per method.
//! - Server actions: in a file whose first statement is `'use server'`, each exported async
//!   function; anywhere, a function whose body starts with `'use server'`. Each is an
//!   endpoint `ACTION name` (a POST to the page, named by the function).

use super::{Linker, Resolved};
use crate::model::{FileId, Framework, FunctionId, Route};
use crate::syntax::{prop_name, str_lit, unwrap};
use std::collections::HashMap;
use swc_common::Span;
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// Where a file sits in a Next.js project: an app-router route file (its URL path), a
/// pages-router API route (its URL path), or neither.
#[derive(Debug, PartialEq)]
enum Place {
    AppRoute(String),
    PagesApi(String),
}

/// A folder or file name as a URL segment: `Some("")` when it is not one (a route group,
/// a slot), `None` when the folder holds no routes (`_private`).
fn segment(name: &str) -> Option<String> {
    if name.starts_with('_') {
        return None;
    }
    if (name.starts_with('(') && name.ends_with(')')) || name.starts_with('@') {
        return Some(String::new());
    }
    if let Some(inner) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        let inner = inner.trim_start_matches('[').trim_end_matches(']');
        if inner.starts_with("...") {
            return Some("*".into());
        }
        return Some(format!(":{inner}"));
    }
    Some(name.to_string())
}

fn url(segments: &[&str]) -> Option<String> {
    let mut out = String::new();
    for s in segments {
        let s = segment(s)?;
        if !s.is_empty() {
            out.push('/');
            out.push_str(&s);
        }
    }
    Some(if out.is_empty() { "/".into() } else { out })
}

fn place(path: &str) -> Option<Place> {
    let path = path.replace('\\', "/");
    let parts: Vec<&str> = path.split('/').collect();
    let (file, dirs) = parts.split_last()?;
    let (stem, ext) = file.rsplit_once('.')?;
    if !crate::source::SOURCE_EXTENSIONS.contains(&ext) {
        return None;
    }
    if stem == "route" {
        let app = dirs.iter().rposition(|d| *d == "app")?;
        return url(&dirs[app + 1..]).map(Place::AppRoute);
    }
    let pages = dirs.iter().rposition(|d| *d == "pages")?;
    if dirs.get(pages + 1) != Some(&"api") {
        return None;
    }
    let mut segments: Vec<&str> = dirs[pages + 1..].to_vec();
    if stem != "index" {
        segments.push(stem);
    }
    url(&segments).map(Place::PagesApi)
}

/// Whether a block or module starts with the directive `'use server'`.
/// (The directive prologue: the leading string-literal statements.)
fn directive<'a>(stmts: impl Iterator<Item = &'a Stmt>) -> bool {
    stmts
        .map_while(|s| match s {
            Stmt::Expr(e) => str_lit(&e.expr),
            _ => None,
        })
        .any(|d| d == "use server")
}

/// The names a module exports, with the span of each export's declaration, and whether
/// the exported value is an async function written there.
fn exported(module: &Module) -> Vec<(String, Span, bool)> {
    let mut out = Vec::new();
    for item in &module.body {
        let ModuleItem::ModuleDecl(decl) = item else { continue };
        match decl {
            ModuleDecl::ExportDecl(e) => match &e.decl {
                Decl::Fn(f) => out.push((f.ident.sym.to_string(), e.span, f.function.is_async)),
                Decl::Var(v) => {
                    for d in &v.decls {
                        let Pat::Ident(i) = &d.name else { continue };
                        let is_async = match d.init.as_deref().map(unwrap) {
                            Some(Expr::Arrow(a)) => a.is_async,
                            Some(Expr::Fn(f)) => f.function.is_async,
                            _ => false,
                        };
                        out.push((i.id.sym.to_string(), d.span, is_async));
                    }
                }
                _ => {}
            },
            ModuleDecl::ExportNamed(n) if n.src.is_none() => {
                for s in &n.specifiers {
                    let ExportSpecifier::Named(n) = s else { continue };
                    let name = match n.exported.as_ref().unwrap_or(&n.orig) {
                        ModuleExportName::Ident(i) => i.sym.to_string(),
                        ModuleExportName::Str(s) => s.value.to_string_lossy().into_owned(),
                    };
                    out.push((name, n.span, false));
                }
            }
            ModuleDecl::ExportDefaultDecl(d) => out.push(("default".into(), d.span, false)),
            ModuleDecl::ExportDefaultExpr(d) => out.push(("default".into(), d.span, false)),
            _ => {}
        }
    }
    out
}

/// The methods a pages-router handler tells apart by comparing `req.method` with literals.
#[derive(Default)]
struct MethodSwitch {
    within: Span,
    methods: Vec<String>,
}

fn is_method_read(e: &Expr) -> bool {
    matches!(unwrap(e), Expr::Member(m) if prop_name(&m.prop).as_deref() == Some("method"))
}

impl MethodSwitch {
    fn add(&mut self, e: &Expr) {
        if let Some(m) = str_lit(e).map(|m| m.to_ascii_uppercase()) {
            if METHODS.contains(&m.as_str()) && !self.methods.contains(&m) {
                self.methods.push(m);
            }
        }
    }
}

impl Visit for MethodSwitch {
    fn visit_bin_expr(&mut self, b: &BinExpr) {
        if self.within.contains(b.span) && matches!(b.op, BinaryOp::EqEqEq | BinaryOp::EqEq) {
            if is_method_read(&b.left) {
                self.add(&b.right);
            } else if is_method_read(&b.right) {
                self.add(&b.left);
            }
        }
        b.visit_children_with(self);
    }

    fn visit_switch_stmt(&mut self, s: &SwitchStmt) {
        if self.within.contains(s.span) && is_method_read(&s.discriminant) {
            for c in &s.cases {
                if let Some(t) = &c.test {
                    self.add(t);
                }
            }
        }
        s.visit_children_with(self);
    }
}

/// Functions whose body starts with `'use server'` (inline server actions), with the name
/// they are declared or bound as.
#[derive(Default)]
struct InlineActions {
    found: Vec<(String, Span)>,
    pending: Option<String>,
}

impl Visit for InlineActions {
    fn visit_fn_decl(&mut self, f: &FnDecl) {
        self.pending = Some(f.ident.sym.to_string());
        f.function.visit_with(self);
    }

    fn visit_var_declarator(&mut self, d: &VarDeclarator) {
        if let (Pat::Ident(i), Some(Expr::Arrow(_) | Expr::Fn(_))) = (&d.name, d.init.as_deref().map(unwrap)) {
            self.pending = Some(i.id.sym.to_string());
        }
        d.init.visit_with(self);
        self.pending = None;
    }

    fn visit_function(&mut self, f: &Function) {
        let name = self.pending.take();
        if let (Some(name), Some(body)) = (&name, &f.body) {
            if directive(body.stmts.iter()) {
                self.found.push((name.clone(), f.span));
            }
        }
        f.visit_children_with(self);
    }

    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        let name = self.pending.take();
        if let (Some(name), ArrowFunctionBody::FunctionBody(body)) = (&name, &*a.body) {
            if directive(body.stmts.iter()) {
                self.found.push((name.clone(), a.span));
            }
        }
        a.visit_children_with(self);
    }
}

impl Linker<'_> {
    /// The Next.js endpoints of the program (`functions`: the program's, by global id).
    pub(super) fn nextjs_routes(&self, functions: &[crate::model::Function]) -> Vec<Route> {
        let by_span: HashMap<(FileId, u32, u32), FunctionId> =
            functions.iter().enumerate().map(|(id, f)| ((f.file, f.span.lo.0, f.span.hi.0), id)).collect();
        let mut out = Vec::new();
        for (file, parsed) in self.files.iter().enumerate() {
            let Some(Program::Module(module)) = &parsed.program else { continue };
            let place = place(&parsed.path);
            let file_actions = directive(module.body.iter().map_while(|i| match i {
                ModuleItem::Stmt(s) => Some(s),
                _ => None,
            }));
            if place.is_none() && !file_actions && !parsed.text.contains("use server") {
                continue;
            }
            let handler = |name: &str| match self.resolve_export(file, name, 0) {
                Resolved::Function(g) => Some(g),
                _ => None,
            };
            let mut push = |method: &str, path: &str, span: Span, handler: Option<FunctionId>| {
                out.push(Route {
                    framework: Framework::NextJs,
                    method: method.to_string(),
                    path: path.to_string(),
                    file,
                    span,
                    handler,
                });
            };
            let exports = exported(module);
            match &place {
                Some(Place::AppRoute(path)) => {
                    for (name, span, _) in exports.iter().filter(|(n, _, _)| METHODS.contains(&n.as_str())) {
                        push(name, path, *span, handler(name));
                    }
                }
                Some(Place::PagesApi(path)) => {
                    if let Some((_, span, _)) = exports.iter().find(|(n, _, _)| n == "default") {
                        let h = handler("default");
                        let mut switch = MethodSwitch::default();
                        if let Some(g) = h.filter(|&g| functions[g].file == file) {
                            switch.within = functions[g].span;
                            module.visit_with(&mut switch);
                        }
                        if switch.methods.is_empty() {
                            switch.methods.push("ALL".into());
                        }
                        for m in &switch.methods {
                            push(m, path, *span, h);
                        }
                    }
                }
                None => {}
            }
            if file_actions {
                for (name, span, is_async) in &exports {
                    let h = handler(name);
                    let async_fn = *is_async || h.is_some_and(|g| functions[g].is_async);
                    if name != "default" && async_fn {
                        push("ACTION", name, *span, h);
                    }
                }
            } else if parsed.text.contains("use server") {
                let mut inline = InlineActions::default();
                module.visit_with(&mut inline);
                for (name, span) in inline.found {
                    let h = by_span.get(&(file, span.lo.0, span.hi.0)).copied();
                    push("ACTION", &name, span, h);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_become_the_url_path() {
        assert_eq!(place("src/app/api/users/[id]/route.ts"), Some(Place::AppRoute("/api/users/:id".into())));
        assert_eq!(place("app/(marketing)/api/[...slug]/route.js"), Some(Place::AppRoute("/api/*".into())));
        assert_eq!(place("app/docs/[[...slug]]/route.ts"), Some(Place::AppRoute("/docs/*".into())));
        assert_eq!(place("app/@modal/api/route.ts"), Some(Place::AppRoute("/api".into())));
        assert_eq!(place("app/route.ts"), Some(Place::AppRoute("/".into())));
        assert_eq!(place("app/_lib/route.ts"), None);
        assert_eq!(place("app/api/users/page.tsx"), None);
        assert_eq!(place("pages/api/users/[id].ts"), Some(Place::PagesApi("/api/users/:id".into())));
        assert_eq!(place("src/pages/api/index.js"), Some(Place::PagesApi("/api".into())));
        assert_eq!(place("pages/about.tsx"), None);
        assert_eq!(place("server/routes/users.js"), None);
    }
}
