//! Handlers that are the result of a call (pass 1 side; `link` resolves them).
//!
//! ```js
//! app.get('/orders', asyncHandler(listOrders()));          // listOrders() returns the handler
//! const ctrl = makeController(deps); router.get('/x', ctrl.list);
//! module.exports = (db) => ({ list: async (req, res) => … }); // a controller factory
//! app.use('/api', makeRouter(db));                          // a router factory
//! socket.on('refresh', this.refresh.bind(this));
//! ```
//!
//! A handler expression that is a call becomes [`Ref::Call`]: the callee and the arguments
//! a wrapper may pass through (`catchAsync(fn)`, `wrap(async (req, res) => …)`, through any
//! number of layers). A function's *return value* is recorded when it is a function, a
//! wrapped function, an object literal of functions (kept in `objects` as `return:<id>`), a
//! class instance or a name ([`super::FileFacts::returns`]); a name bound to a call
//! (`const ctrl = makeController(deps)`) is recorded in `call_results`. `link` resolves a
//! call to the wrapped function when an argument is one, else to what the callee returns.

use super::{Collector, Export, FunctionId, Ref};
use crate::syntax::{prop_name, unwrap};
use swc_ecma_ast::*;

impl Collector<'_> {
    /// The reference a call expression used as a handler or a mounted child stands for.
    pub(super) fn call_ref(&self, c: &CallExpr) -> Option<Ref> {
        let Callee::Expr(callee) = &c.callee else { return None };
        match unwrap(callee) {
            // `require('./handlers/vote')`: the module's export.
            // (require(`${base}/view-profile`) with `base` bound to a string, too)
            Expr::Ident(i) if &*i.sym == "require" => {
                return c
                    .args
                    .first()
                    .and_then(|a| self.const_string(&a.expr))
                    .map(|s| Ref::Name(format!("require:{s}")));
            }
            // `this.refresh.bind(this)`, `handler.bind(null, opts)`: the function itself.
            Expr::Member(m) if prop_name(&m.prop).as_deref() == Some("bind") => return self.handler_ref(&m.obj),
            _ => {}
        }
        // `asyncHandler(async (req, res) => …)`: the function written in the call.
        let inline = c.args.iter().rev().find_map(|a| match unwrap(&a.expr) {
            Expr::Arrow(f) => self.function_ref(f.span),
            Expr::Fn(f) => self.function_ref(f.function.span),
            _ => None,
        });
        if inline.is_some() {
            return inline;
        }
        let args: Vec<Ref> = c.args.iter().rev().filter_map(|a| self.handler_ref(&a.expr)).collect();
        match self.handler_ref(callee) {
            Some(callee) => Some(Ref::Call(Box::new(callee), args)),
            // `(await import('./x')).default(…)`, `fn()()`: nothing to name but the arguments.
            None => args.into_iter().next(),
        }
    }

    /// `const ctrl = makeController(deps)`: the name holds what the call returns.
    pub(super) fn note_call_result(&mut self, name: &str, init: &Expr) {
        if self.facts.function_names.contains_key(name) || self.facts.resources.contains_key(name) {
            return;
        }
        let init = match unwrap(init) {
            Expr::Await(a) => unwrap(&a.arg),
            e => e,
        };
        let Expr::Call(c) = init else { return };
        if let Some(r @ Ref::Call(..)) = self.call_ref(c) {
            self.facts.call_results.insert(name.to_string(), r);
        }
    }

    /// `return <value>` (or an arrow's expression body) of `function`, walked already: the
    /// first return whose value the model can name is what a call of `function` yields.
    pub(super) fn note_return(&mut self, function: FunctionId, value: &Expr, fn_before: FunctionId) {
        if self.facts.returns.contains_key(&function) {
            return;
        }
        let synthetic = format!("return:{function}");
        let r = match unwrap(value) {
            Expr::Arrow(a) => self.function_ref(a.span),
            Expr::Fn(f) => self.function_ref(f.function.span),
            Expr::Object(o) => {
                let refs = self.object_refs(o, fn_before);
                if refs.is_empty() {
                    return;
                }
                self.facts.objects.insert(synthetic.clone(), refs);
                if let Some(entries) = self.literal_entries(value) {
                    self.facts.literals.insert(synthetic.clone(), entries);
                }
                Some(Ref::Name(synthetic))
            }
            Expr::New(n) => match unwrap(&n.callee) {
                Expr::Ident(class) => {
                    self.facts.aliases.insert(synthetic.clone(), format!("new:{}", class.sym));
                    Some(Ref::Name(synthetic))
                }
                _ => None,
            },
            Expr::Await(a) => match unwrap(&a.arg) {
                Expr::Call(c) => self.call_ref(c),
                _ => None,
            },
            other => self.handler_ref(other),
        };
        if let Some(r) = r {
            self.facts.returns.insert(function, r);
        }
    }

    /// `module.exports = makeController(db)`, `export default withAuth(handler)`: the export
    /// is what the call returns, bound to a name of its own.
    pub(super) fn call_export(&mut self, export_name: &str, value: &Expr) -> Option<Export> {
        let Expr::Call(c) = unwrap(value) else { return None };
        let r = self.call_ref(c)?;
        let local = format!("export:{export_name}:call");
        match r {
            Ref::Function(f) => {
                self.facts.function_names.insert(local.clone(), f);
            }
            r => {
                self.facts.call_results.insert(local.clone(), r);
            }
        }
        Some(Export::Local(local))
    }
}
