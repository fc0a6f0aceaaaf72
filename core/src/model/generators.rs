//! Co-style generators: `yield` as `await`.
//!
//! Before `async`/`await`, Express and Koa code ran generator functions through `co`:
//!
//! ```js
//! const { wrap: async } = require('co');
//! exports.index = async(function* (req, res) {
//!   const articles = yield Article.list(options);   // waits for the promise, like `await`
//!   const count = yield Article.countDocuments();
//! });
//! ```
//!
//! A generator function passed straight to such a runner — `co(fn)`, `co.wrap(fn)` under any
//! local name (`const { wrap: async } = require('co')`), `co-express`, Bluebird's
//! `Promise.coroutine`, or a Koa v1 app or router (`app.use(function* (next) {…})`) — is
//! recorded as asynchronous, and each `yield x` in it (not `yield* x`) as an `await x`: the
//! model marks the yielded call awaited and binds its result, so every rule that looks at
//! awaits sees it. A plain `function*` iterated by a `for…of` yields values, not I/O: its
//! `yield`s are left alone.

use super::{Collector, Import, HTTP_METHODS};
use crate::model::Framework;
use crate::syntax::{prop_name, unwrap};
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;

/// Packages whose default export (or `wrap`) runs a generator as a coroutine.
const CO_PACKAGES: &[&str] = &["co", "co-express", "express-co", "koa-co"];

impl Collector<'_> {
    /// Whether `call` runs the generator functions passed to it as coroutines.
    pub(super) fn runs_coroutines(&self, call: &CallExpr) -> bool {
        let Callee::Expr(callee) = &call.callee else { return false };
        match unwrap(callee) {
            Expr::Ident(i) => match self.facts.imports.get(&*i.sym) {
                Some(Import::Whole(m)) => CO_PACKAGES.contains(&m.as_str()),
                Some(Import::Named(m, export)) => {
                    (m == "co" && export == "wrap") || (m == "bluebird" && export == "coroutine")
                }
                None => &*i.sym == "co",
            },
            Expr::Member(m) => {
                let Some(prop) = prop_name(&m.prop) else { return false };
                let Expr::Ident(o) = unwrap(&m.obj) else { return false };
                let whole = match self.facts.imports.get(&*o.sym) {
                    Some(Import::Whole(pkg)) => Some(pkg.as_str()),
                    _ => None,
                };
                match prop.as_str() {
                    "wrap" => whole == Some("co") || (whole.is_none() && &*o.sym == "co"),
                    "coroutine" => whole == Some("bluebird") || (whole.is_none() && &*o.sym == "Promise"),
                    // Koa v1: generator middleware and routes (`app.use(function* (next) {…})`).
                    p if p == "use" || HTTP_METHODS.contains(&p) => {
                        self.facts.frameworks.contains(&Framework::Koa)
                            && self.server_owner(&m.obj).is_some_and(|(fw, _)| fw.is_none_or(|f| f == Framework::Koa))
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// Whether the function being walked is a coroutine (its `yield`s await).
    pub(super) fn in_coroutine(&self) -> bool {
        self.function.is_some_and(|f| self.co_functions.contains(&f))
    }

    /// The value an initialiser produces once awaited: `await x` and, in a coroutine,
    /// `yield x` are `x`.
    pub(super) fn value_expr<'e>(&self, e: &'e Expr) -> &'e Expr {
        match unwrap(e) {
            Expr::Yield(y) if !y.delegate && self.in_coroutine() => match &y.arg {
                Some(arg) => unwrap(arg),
                None => unwrap(e),
            },
            other => other,
        }
    }

    /// The spans of the expressions whose value `e` binds: `e` once awaited, and both
    /// branches of a conditional (`const rows = q ? await A.findAll(x) : await A.findAll()`).
    fn result_spans(&self, e: &Expr, out: &mut Vec<Span>) {
        match self.value_expr(e) {
            Expr::Cond(c) => {
                self.result_spans(&c.cons, out);
                self.result_spans(&c.alt, out);
            }
            other => out.push(other.span()),
        }
    }

    /// Names the result of the calls recorded since `before` that `init` binds.
    pub(super) fn bind_result(&mut self, before: usize, init: &Expr, name: Option<String>) {
        let mut spans = Vec::new();
        self.result_spans(init, &mut spans);
        for call in &mut self.facts.calls[before..] {
            if spans.contains(&call.span) {
                call.result_name = name.clone();
            }
        }
        self.note_rows(before, &name);
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Program;
    use crate::parse::parse;
    use crate::SourceFile;

    /// The text of every awaited call, and which functions are asynchronous.
    fn awaited(src: &str) -> (Vec<String>, Vec<bool>) {
        let parsed = vec![parse(&SourceFile::new("a.js", src))];
        let program = Program::build(&parsed);
        let calls = program.calls.iter().filter(|c| c.awaited).map(|c| parsed[0].snippet(c.span).to_string()).collect();
        (calls, program.functions.iter().map(|f| f.is_async).collect())
    }

    #[test]
    fn yield_awaits_in_generators_run_by_co() {
        let src = "const { wrap: run } = require('co');\nconst co = require('co');\nexports.a = run(function* (req, res) { const x = yield A.find(); yield* other(); });\nexports.b = co.wrap(function* () { yield B.find(); });\nco(function* () { yield C.find(); });\n";
        let (calls, asyncs) = awaited(src);
        assert_eq!(calls, ["A.find()", "B.find()", "C.find()"]);
        assert_eq!(asyncs, [true, true, true]);
    }

    #[test]
    fn koa_v1_generator_middleware_awaits_and_plain_generators_do_not() {
        let src = "const koa = require('koa');\nconst app = koa();\napp.use(function* (next) { this.user = yield User.findOne(); yield next; });\nfunction* ids() { yield fetchIds(); }\nfor (const id of ids()) log(id);\n";
        let (calls, asyncs) = awaited(src);
        assert_eq!(calls, ["User.findOne()"]);
        assert_eq!(asyncs, [true, false]);
    }
}
