//! What the model understood, and what it could not see.
//!
//! A static analyser that finds nothing has either found a clean program or not understood
//! it; the user must be able to tell which. [`coverage`] reads the built [`Program`] and says:
//! which files were analysed, skipped (tests, browser code, assets: with why) or failed to
//! parse; how many routes were found and which route handlers resolved to a function body —
//! those that did not with their registration and why (the result of a call, a name imported
//! from a package, a member the program does not define); how many functions run on a request
//! path; the data-access calls by library; and the awaited calls on a request path that reach
//! nothing backlens knows (neither a library it classifies nor a function it can follow), the
//! places where I/O could hide unseen.
//!
//! Nothing here changes what is found: it only describes the model.

use super::{CallKind, FileRole, Program};
use crate::analysis::{Coverage, CoveredCall, LibraryCalls, SkippedFile, UnresolvedHandler};
use swc_common::{Span, Spanned};
use swc_ecma_ast::{CallExpr, Callee, Expr, MemberProp, ObjectLit, Prop, PropName, PropOrSpread};
use swc_ecma_visit::{Visit, VisitWith};

/// How many unclassified calls are listed by place (all are counted).
const LISTED_CALLS: usize = 50;

/// The model's coverage of the analysed program.
pub fn coverage(program: &Program) -> Coverage {
    // Why each file that is not the server is skipped comes from `roles` (tests, assets,
    // browser code with its evidence).
    let skipped: Vec<SkippedFile> = program
        .skipped
        .iter()
        .map(|(id, why)| SkippedFile { path: program.file(*id).path.clone(), reason: why.clone() })
        .collect();
    let failed = program.files.iter().filter(|f| f.error.is_some()).count();
    let analysed = program
        .files
        .iter()
        .zip(&program.roles)
        .filter(|(f, role)| f.error.is_none() && **role == FileRole::Source)
        .count();

    let mut unresolved = Vec::new();
    for route in &program.routes {
        if route.handler.is_some() {
            continue;
        }
        let file = program.file(route.file);
        unresolved.push(UnresolvedHandler {
            endpoint: route.label(),
            file: file.path.clone(),
            line: file.position(route.span.lo).0,
            reason: unresolved_because(program, route.file, route.span),
        });
    }

    let on_path = program.reached_by.iter().filter(|r| !r.is_empty()).count();
    let mut libraries: Vec<LibraryCalls> = Vec::new();
    let mut unclassified = Vec::new();
    let mut unclassified_count = 0;
    for call in &program.calls {
        if program.roles[call.file] != FileRole::Source {
            continue;
        }
        match &call.kind {
            CallKind::Query(q) => match libraries.iter_mut().find(|l| l.library == q.library.as_str()) {
                Some(l) => l.calls += 1,
                None => libraries.push(LibraryCalls { library: q.library.as_str().into(), calls: 1 }),
            },
            CallKind::Other if call.awaited && call.callees.is_empty() && !call.data_access => {
                if program.routes_reaching(call.function).is_empty() {
                    continue;
                }
                let file = program.file(call.file);
                let callee = callee_text(file.snippet(call.span));
                if is_known_harmless(&callee) {
                    continue;
                }
                unclassified_count += 1;
                if unclassified.len() < LISTED_CALLS {
                    unclassified.push(CoveredCall { file: file.path.clone(), line: file.position(call.span.lo).0, call: callee });
                }
            }
            _ => {}
        }
    }
    libraries.sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| a.library.cmp(&b.library)));

    Coverage {
        files_analysed: analysed,
        files_failed: failed,
        files_skipped: skipped,
        routes: program.routes.len(),
        handlers_resolved: program.routes.len() - unresolved.len(),
        unresolved_handlers: unresolved,
        functions: program.functions.len(),
        functions_on_request_path: on_path,
        data_access: libraries,
        unclassified_calls: unclassified_count,
        unclassified,
        one_off_files: (0..program.files.len())
            .filter(|&f| program.roles[f] == FileRole::Source && program.once.file_once(f))
            .count(),
        rules_not_run: Vec::new(),
        background_jobs: program.job_roots,
        background_files: (0..program.files.len())
            .filter(|&f| program.roles[f] == FileRole::Source && program.once.file_background(f))
            .count(),
    }
}

/// The callee of a call as written, up to its first argument list: `db.fetchThing`.
fn callee_text(snippet: &str) -> String {
    let text = snippet.trim_start_matches("await").trim();
    let end = text.find('(').unwrap_or(text.len());
    let callee: String = text[..end].split_whitespace().collect();
    match callee.chars().count() {
        0 => "(call)".into(),
        n if n > 80 => callee.chars().take(80).chain("…".chars()).collect(),
        _ => callee,
    }
}

/// Awaited calls that are no I/O of their own: promise plumbing and the response objects of
/// the frameworks (`Promise.all`, `next()`, `res.json`).
fn is_known_harmless(callee: &str) -> bool {
    let mut parts = callee.split(['.', '?', '[']).filter(|p| !p.is_empty());
    let root = parts.next().unwrap_or("");
    // A method of the framework's own objects (`ctx.render`, `res.json`, `reply.send`,
    // `Promise.all`); a deeper chain is something hung on them (`ctx.db.user.get`, flossbank's
    // Fastify-decorated data layer): not understood, so it is counted.
    parts.count() <= 1
        && matches!(root, "Promise" | "next" | "res" | "reply" | "ctx" | "h" | "super" | "JSON" | "Object" | "Array" | "resolve" | "reject")
        || callee.starts_with("new Promise")
}

/// Why the route registered at `span` in `file` has no handler body, read from the
/// registration's own syntax: the handler is the call's last argument (`app.get(path,
/// …, handler)`) or a route object's `handler`.
fn unresolved_because(program: &Program, file: usize, span: Span) -> String {
    let parsed = program.file(file);
    let Some(ast) = &parsed.program else { return "the file did not parse".into() };
    let mut finder = Explain { program, file, span, reason: None };
    ast.visit_with(&mut finder);
    finder.reason.unwrap_or_else(|| "no handler backlens can read in the registration".into())
}

/// Finds the registration whose span is exactly the route's and explains its handler.
struct Explain<'p, 'a> {
    program: &'p Program<'a>,
    file: usize,
    span: Span,
    reason: Option<String>,
}

impl Explain<'_, '_> {
    fn explain(&self, handler: &Expr) -> String {
        let parsed = self.program.file(self.file);
        let text = |s: Span| callee_text(parsed.snippet(s));
        match handler.unwrap_parens() {
            Expr::Call(call) => match &call.callee {
                Callee::Expr(callee) => format!(
                    "the handler is the result of a call (`{}(…)`): backlens does not follow what the call returns",
                    text(callee.span())
                ),
                _ => "the handler is the result of a call".into(),
            },
            Expr::Ident(name) => {
                let name = name.sym.to_string();
                match import_of(self.program, self.file, &name) {
                    Some(module) if !module.starts_with('.') && !module.starts_with('/') => {
                        format!("`{name}` is imported from the package `{module}`, which is not analysed")
                    }
                    Some(module) => {
                        format!("`{name}` is imported from `{module}`, where no function by that name was found")
                    }
                    None => format!("`{name}` is not bound to a function backlens can find"),
                }
            }
            Expr::Member(m) => match &m.prop {
                MemberProp::Computed(_) => {
                    format!("the handler is a computed member (`{}`) backlens does not resolve", text(handler.span()))
                }
                _ => format!("`{}` is not a function backlens can find in the program", text(handler.span())),
            },
            Expr::Array(_) => "the handlers are an array backlens does not read".into(),
            other => format!("the handler is an expression backlens does not follow (`{}`)", text(other.span())),
        }
    }
}

impl Visit for Explain<'_, '_> {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        if self.reason.is_none() && call.span == self.span {
            self.reason = Some(match call.args.last() {
                Some(arg) if call.args.len() > 1 || !matches!(*arg.expr, Expr::Object(_)) => self.explain(&arg.expr),
                Some(arg) => self.explain_object(&arg.expr),
                None => "the registration has no handler argument".into(),
            });
            return;
        }
        call.visit_children_with(self);
    }

    fn visit_object_lit(&mut self, object: &ObjectLit) {
        if self.reason.is_none() && object.span == self.span {
            self.reason = Some(self.explain_object_lit(object));
            return;
        }
        object.visit_children_with(self);
    }
}

impl Explain<'_, '_> {
    fn explain_object(&self, expr: &Expr) -> String {
        match expr {
            Expr::Object(o) => self.explain_object_lit(o),
            other => self.explain(other),
        }
    }

    /// A route object (`{ method, path, handler }`, `{ options: { handler } }`).
    fn explain_object_lit(&self, object: &ObjectLit) -> String {
        for prop in &object.props {
            let PropOrSpread::Prop(prop) = prop else { continue };
            let Prop::KeyValue(kv) = &**prop else { continue };
            let key = match &kv.key {
                PropName::Ident(i) => i.sym.to_string(),
                PropName::Str(s) => s.value.to_string_lossy().into_owned(),
                _ => continue,
            };
            match (key.as_str(), &*kv.value) {
                ("handler", value) => return self.explain(value),
                ("options" | "config", Expr::Object(inner)) => return self.explain_object_lit(inner),
                _ => {}
            }
        }
        "the route object has no `handler` backlens can read".into()
    }
}

/// The module `name` is imported from in `file`, if it is imported.
fn import_of<'p>(program: &'p Program, file: usize, name: &str) -> Option<&'p str> {
    let imports = program.app_facts.imports.get(file)?;
    imports.iter().find(|i| i.bound.iter().any(|(local, _)| local == name)).map(|i| i.module.as_str())
}

#[cfg(test)]
mod tests {
    use super::is_known_harmless;
    use crate::{analyze, Params, SourceFile};

    #[test]
    fn framework_methods_are_understood_what_hangs_on_them_is_not() {
        for call in ["res.json", "ctx.render", "reply.send", "Promise.all", "next", "h.response"] {
            assert!(is_known_harmless(call), "{call}");
        }
        for call in ["ctx.db.user.get", "ctx.services.orders.list", "req.app.locals.db.find"] {
            assert!(!is_known_harmless(call), "{call}");
        }
    }

    /// Services hung on a Fastify instance (`fastify.decorate('services', …)`, handlers called
    /// as `handler(req, res, fastify)`) are out of the model's sight: coverage must say so
    /// rather than count them as understood.
    #[test]
    fn awaits_into_a_decorated_context_are_counted_as_not_understood() {
        let app = "const fastify = require('fastify')();\nconst getThing = require('./get-thing');\nfastify.get('/thing', (req, res) => getThing(req, res, fastify));\nfastify.listen({ port: 3000 });\n";
        let handler = "module.exports = async (req, res, ctx) => {\n  const orders = await ctx.services.orders.list({ userId: req.session.userId });\n  res.send({ orders });\n};\n";
        let a = analyze(&[SourceFile::new("app.js", app), SourceFile::new("get-thing.js", handler)], &Params::default());
        assert_eq!(a.coverage.unclassified_calls, 1, "{:?}", a.coverage.unclassified);
        assert_eq!(a.coverage.unclassified[0].call, "ctx.services.orders.list");
    }
}
