//! Routing helpers the application defines (pass 1 side; `link` expands them per call).
//!
//! ```js
//! function registerRoute(router, method, path, middlewares, handler) {
//!   router[method](path, ...middlewares, handler);
//! }
//! registerRoute(router, 'get', '/api/users', [auth], controllers.users.list);
//! const route = (method, path, ...h) => router[method](path, ...h);
//! this.route('GET', '/users', (req) => this.handleFind(req)); // Parse Server's PromiseRouter
//! ```
//!
//! A registration inside a function whose method or path comes from the function's
//! parameters is a [`Template`]: its receiver, method, path and handler are literal parts or
//! parameter positions. Every call that passes string literals is a [`HelperCall`] (its
//! arguments as literals, references and route owners); `link` expands each call of a
//! template's function into one route, the call's arguments in the parameters' places, at
//! the call's position. A call of a function the model cannot see that *reads* as a
//! registration — named like a route (`route`, `addRoute`, `registerRoute`) with an HTTP
//! method literal followed by a path literal and a handler — is a route as written.

use super::{Collector, FunctionId, Owner, Ref, HTTP_METHODS};
use crate::syntax::{prop_name, unwrap};
use swc_common::Span;
use swc_ecma_ast::*;

/// One piece of a template's method, path or receiver.
#[derive(Clone, Debug, PartialEq)]
pub enum Slot {
    Lit(String),
    /// The call's argument at this position.
    Param(usize),
}

/// A template's handler.
#[derive(Clone, Debug, PartialEq)]
pub enum HandlerSlot {
    Param(usize),
    /// `...handlers` from this position: the call's last argument.
    Rest(usize),
    Fixed(Ref),
}

/// A registration inside `function` whose method or path are its parameters.
#[derive(Clone, Debug)]
pub struct Template {
    pub function: FunctionId,
    pub receiver: Result<Owner, usize>,
    pub method: Slot,
    pub path: Vec<Slot>,
    pub handler: Option<HandlerSlot>,
}

/// An argument of a call that may be a routing helper's.
#[derive(Clone, Debug, Default)]
pub struct Arg {
    pub text: Option<String>,
    pub handler: Option<Ref>,
    pub owner: Option<Owner>,
}

/// A call passing string literals: `registerRoute(router, 'get', '/x', mws, handler)`.
#[derive(Clone, Debug)]
pub struct HelperCall {
    /// The call site's index in the file's calls.
    pub call: usize,
    pub span: Span,
    pub args: Vec<Arg>,
    /// Named like a registration (`route`, `addRoute`): expanded as written when its callee
    /// is not a template.
    pub route_like: bool,
    /// The receiver of a method call (`router.route(…)`, `None` for `this` or a plain call).
    pub receiver: Option<Owner>,
}

fn method_literal(s: &str) -> bool {
    HTTP_METHODS.contains(&s.to_ascii_lowercase().as_str())
}

impl Collector<'_> {
    /// The parameter position of `name` in the function being walked.
    fn param_position(&self, e: &Expr) -> Option<usize> {
        let Expr::Ident(i) = unwrap(e) else { return None };
        let f = &self.facts.functions[self.function?];
        f.params.iter().position(|p| *p == *i.sym)
    }

    fn slots(&self, e: &Expr, out: &mut Vec<Slot>) -> bool {
        if let Some(p) = self.param_position(e) {
            out.push(Slot::Param(p));
            return true;
        }
        match unwrap(e) {
            Expr::Tpl(t) => {
                for (i, q) in t.quasis.iter().enumerate() {
                    out.push(Slot::Lit(q.raw.to_string()));
                    if let Some(e) = t.exprs.get(i) {
                        if !self.slots(e, out) {
                            return false;
                        }
                    }
                }
                true
            }
            Expr::Bin(b) if b.op == BinaryOp::Add => self.slots(&b.left, out) && self.slots(&b.right, out),
            other => match self.const_string(other) {
                Some(s) => {
                    out.push(Slot::Lit(s));
                    true
                }
                None => false,
            },
        }
    }

    /// `router[method](path, ...middlewares, handler)` inside a helper: records a template.
    /// Returns whether the call was one.
    pub(super) fn route_template(&mut self, call: &CallExpr, fn_args: &[Option<FunctionId>]) -> bool {
        let Some(function) = self.function else { return false };
        let Callee::Expr(callee) = &call.callee else { return false };
        let Expr::Member(m) = unwrap(callee) else { return false };
        if call.args.len() < 2 || call.args[0].spread.is_some() {
            return false;
        }
        let method = match &m.prop {
            MemberProp::Computed(c) => match self.param_position(&c.expr) {
                Some(p) => Slot::Param(p),
                None => return false,
            },
            p => match prop_name(p) {
                Some(name) if HTTP_METHODS.contains(&name.as_str()) => Slot::Lit(name),
                _ => return false,
            },
        };
        let mut path = Vec::new();
        if !self.slots(&call.args[0].expr, &mut path) {
            return false;
        }
        let varies = |s: &Slot| matches!(s, Slot::Param(_));
        if !varies(&method) && !path.iter().any(varies) {
            return false;
        }
        let receiver = match self.param_position(&m.obj) {
            Some(p) => Err(p),
            None => match self.server_owner(&m.obj) {
                Some((_, owner)) => Ok(owner),
                None => return false,
            },
        };
        let last = call.args.len() - 1;
        let handler = match (&call.args[last].spread, self.param_position(&call.args[last].expr)) {
            (Some(_), Some(p)) => Some(HandlerSlot::Rest(p)),
            (None, Some(p)) => Some(HandlerSlot::Param(p)),
            _ => match fn_args.get(last).copied().flatten() {
                Some(f) => Some(HandlerSlot::Fixed(Ref::Function(f))),
                None => self.handler_ref(&call.args[last].expr).map(HandlerSlot::Fixed),
            },
        };
        self.facts.templates.push(Template { function, receiver, method, path, handler });
        true
    }

    /// After a call's arguments are walked: a call passing a path or method literal is kept
    /// with its arguments, for the helper it may call.
    pub(super) fn note_helper_call(&mut self, call: &CallExpr, fn_args: &[Option<FunctionId>]) {
        let Callee::Expr(callee) = &call.callee else { return };
        let texts: Vec<Option<String>> = call.args.iter().map(|a| self.const_string(&a.expr)).collect();
        let pathy = texts.iter().flatten().any(|t| t.starts_with('/'));
        if !pathy {
            return;
        }
        let (name, receiver) = match unwrap(callee) {
            Expr::Ident(i) => (i.sym.to_string(), None),
            Expr::Member(m) => match prop_name(&m.prop) {
                Some(p) => (p, self.receiver_owner(&m.obj).map(|o| o.1)),
                None => return,
            },
            _ => return,
        };
        let Some(index) = self.facts.calls.iter().rposition(|c| c.span == call.span) else { return };
        let args = call
            .args
            .iter()
            .enumerate()
            .map(|(i, a)| Arg {
                text: texts[i].clone(),
                handler: match fn_args.get(i).copied().flatten() {
                    Some(f) => Some(Ref::Function(f)),
                    None => self.handler_ref(&a.expr),
                },
                owner: self.receiver_owner(&a.expr).map(|o| o.1),
            })
            .collect::<Vec<_>>();
        // `route('GET', '/users', handler)`: a method literal, then a path literal, then more.
        let reads_as_route = texts.windows(2).enumerate().any(|(i, w)| {
            matches!(w, [Some(m), Some(p)] if method_literal(m) && p.starts_with('/')) && i + 2 < args.len()
        });
        let route_like = reads_as_route && name.to_ascii_lowercase().contains("route");
        self.facts.helper_calls.push(HelperCall { call: index, span: call.span, args, route_like, receiver });
    }
}
