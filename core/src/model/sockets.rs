//! socket.io event handlers as endpoints (pass 1 side).
//!
//! ```js
//! io.on('connection', (socket) => { socket.on('chat:message', onMessage) });
//! io.of('/admin').on('connection', (socket) => socket.on('ban', ban));
//! Object.entries(handlers).forEach(([event, h]) => socket.on(event, h));
//! this.socket.on('refresh', this.refreshEventHandler.bind(this));
//! ```
//!
//! Each event a server socket listens to is an endpoint: method `EVENT`, path the event's
//! name, prefixed by its namespace (`EVENT /admin ban`); the handler's body is its request
//! path. A receiver is a server socket when it is the first parameter of a connection
//! callback (`io.on('connection', cb)`, `io.of('/ns').on('connection', cb)`, `io.sockets.on`,
//! a namespace bound to a name) or when its name says so (`socket`, `clientSocket`,
//! `this.socket`: the socket handed to a helper or a class). `link` keeps the events only in
//! a program that imports `socket.io`, so a `socket.on('data')` of another library in a
//! program without it registers nothing; a file that imports socket.io's client or a browser
//! UI framework (React, Vue, Angular, …) listens as a client and registers nothing either. Stream and server life-cycle events (`data`,
//! `error`, `close`, …) are not requests and are never endpoints. NestJS gateways count too: a
//! `@SubscribeMessage('events')` method of a `@WebSocketGateway({ namespace })` class.

use super::loops::{LoopBind, LoopRoute, Part};
use super::{Collector, Framework, RouteReg};
use crate::syntax::{object_string, prop_name, str_lit, unwrap};
use swc_common::Span;
use swc_ecma_ast::*;

/// Events a socket (socket.io's, a `net` socket, a `ws` client) emits about itself rather
/// than on a client's request.
const NOT_REQUESTS: &[&str] = &[
    "connection",
    "connect",
    "connect_error",
    "error",
    "data",
    "end",
    "close",
    "drain",
    "timeout",
    "listening",
    "finish",
    "readable",
    "open",
    "ping",
    "pong",
    "newListener",
    "removeListener",
];

/// The module whose import makes a program a socket.io server.
pub(super) fn is_socket_io_module(m: &str) -> bool {
    m == "socket.io"
}

/// Modules whose import makes a file a client (socket.io's client, a browser UI framework):
/// the sockets it listens on are the client's, not the server's.
pub(super) fn is_client_module(m: &str) -> bool {
    matches!(m, "socket.io-client" | "react" | "react-dom" | "preact" | "vue" | "svelte" | "solid-js" | "@angular/core")
}

/// A name or `this.field` that says it holds a socket.
fn socket_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "socket" || n.ends_with("socket") || n == "client_socket"
}

impl Collector<'_> {
    /// `X.on('connection', cb)`: the namespace the connected sockets belong to (`"/"` for the
    /// main one), when X is `io`, `io.sockets`, `io.of('/ns')` or a name bound to one.
    fn connection_namespace(&self, call: &CallExpr) -> Option<String> {
        let Callee::Expr(callee) = &call.callee else { return None };
        let Expr::Member(m) = unwrap(callee) else { return None };
        if prop_name(&m.prop).as_deref() != Some("on") {
            return None;
        }
        if call.args.first().and_then(|a| str_lit(&a.expr)).as_deref() != Some("connection") {
            return None;
        }
        Some(self.namespace_of(&m.obj).unwrap_or_else(|| "/".into()))
    }

    /// `io.of('/admin')`, or a name bound to it.
    fn namespace_of(&self, e: &Expr) -> Option<String> {
        match unwrap(e) {
            Expr::Call(c) => {
                let Callee::Expr(callee) = &c.callee else { return None };
                let Expr::Member(m) = unwrap(callee) else { return None };
                if prop_name(&m.prop).as_deref() != Some("of") {
                    return None;
                }
                c.args.first().and_then(|a| str_lit(&a.expr))
            }
            Expr::Ident(i) => self.facts.socket_namespaces.get(&*i.sym).cloned(),
            _ => None,
        }
    }

    /// `const admin = io.of('/admin')`: the name holds that namespace.
    pub(super) fn note_socket_namespace(&mut self, name: &str, init: &Expr) {
        if let Some(ns) = self.namespace_of(init) {
            self.facts.socket_namespaces.insert(name.to_string(), ns);
        }
    }

    /// Before a call's arguments are walked: a connection callback written inline (found by
    /// its span) or named (by its name) is noted with its namespace.
    pub(super) fn note_socket_connection(&mut self, call: &CallExpr) {
        let Some(ns) = self.connection_namespace(call) else { return };
        match call.args.get(1).map(|a| unwrap(&a.expr)) {
            Some(Expr::Arrow(a)) => self.facts.socket_connections.push((a.span, ns)),
            Some(Expr::Fn(f)) => self.facts.socket_connections.push((f.function.span, ns)),
            Some(Expr::Ident(i)) => {
                self.facts.socket_connection_names.insert(i.sym.to_string(), ns);
            }
            Some(Expr::Member(m)) => {
                if let Some(p) = prop_name(&m.prop) {
                    self.facts.socket_connection_names.insert(p, ns);
                }
            }
            _ => {}
        }
    }

    /// The namespace of the connection callback enclosing the walk whose first parameter is
    /// `name` (`Some(None)` when `name` only says it is a socket), or `None` when `receiver`
    /// is not a server socket.
    fn socket_receiver(&self, receiver: &Expr) -> Option<Option<String>> {
        let name = match unwrap(receiver) {
            Expr::Ident(i) => i.sym.to_string(),
            Expr::Member(m) if matches!(unwrap(&m.obj), Expr::This(_)) => {
                return prop_name(&m.prop).filter(|p| socket_name(p)).map(|_| None);
            }
            _ => return None,
        };
        let mut cur = self.function;
        while let Some(fid) = cur {
            let f = &self.facts.functions[fid];
            let ns = self.facts.socket_connections.iter().find(|(s, _)| *s == f.span).map(|(_, ns)| ns).or_else(|| {
                let short = f.name.as_deref().map(|n| n.rsplit('.').next().unwrap_or(n));
                short.and_then(|n| self.facts.socket_connection_names.get(n))
            });
            if let Some(ns) = ns {
                if f.params.first() == Some(&name) {
                    return Some((ns != "/").then(|| ns.clone()));
                }
            }
            cur = f.parent;
        }
        socket_name(&name).then_some(None)
    }

    /// `socket.on('chat:message', handler)`: records the event as a route. Returns whether
    /// the call was one.
    pub(super) fn socket_event(&mut self, call: &CallExpr, fn_args: &[Option<usize>]) -> bool {
        let Callee::Expr(callee) = &call.callee else { return false };
        let Expr::Member(m) = unwrap(callee) else { return false };
        if !matches!(prop_name(&m.prop).as_deref(), Some("on" | "once")) || call.args.len() < 2 {
            return false;
        }
        let Some(event) = call.args.first().and_then(|a| self.const_string(&a.expr)) else { return false };
        if NOT_REQUESTS.contains(&event.as_str()) {
            return false;
        }
        if self.facts.socket_client {
            return false;
        }
        let Some(ns) = self.socket_receiver(&m.obj) else { return false };
        let last = call.args.len() - 1;
        let handler = match fn_args.get(last).copied().flatten() {
            Some(f) => Some(super::Ref::Function(f)),
            None => self.handler_ref(&call.args[last].expr),
        };
        self.facts.routes.push(RouteReg {
            framework: Some(Framework::SocketIo),
            method: "EVENT".into(),
            path: event_label(ns.as_deref(), &event),
            owner: None,
            span: call.span,
            handler,
        });
        true
    }

    /// `Object.entries(handlers).forEach(([event, h]) => socket.on(event, h))`: one event per
    /// entry of the literal, unrolled by `link`.
    pub(super) fn socket_loop_event(&mut self, b: &LoopBind, call: &CallExpr, receiver: &Expr, span: Span) -> bool {
        if call.args.len() < 2 || self.facts.socket_client {
            return false;
        }
        let Some(ns) = self.socket_receiver(receiver) else { return false };
        let mut path = Vec::new();
        if let Some(ns) = ns {
            path.push(Part::Lit(format!("{ns} ")));
        }
        if !self.path_parts(b, &call.args[0].expr, &mut path) {
            return false;
        }
        let last = call.args.len() - 1;
        let Some(handler) = self.handler_part(b, &call.args[last].expr, None) else { return false };
        let varies = |p: &Part| matches!(p, Part::Key | Part::Value | Part::Field(_));
        if !path.iter().any(varies) && !varies(&handler) {
            return false;
        }
        self.facts.loop_routes.push(LoopRoute {
            source: b.source.clone(),
            framework: Some(Framework::SocketIo),
            method: Part::Lit("EVENT".into()),
            path,
            owner: None,
            span,
            handler: Some(handler),
        });
        true
    }
}

impl Collector<'_> {
    /// `@SubscribeMessage('events') handle(…)` in a `@WebSocketGateway(…)` class (NestJS).
    pub(super) fn gateway_event(&mut self, class: &Class, method: &ClassMethod, fid: usize) {
        let Some(options) = class.decorators.iter().find_map(|d| decorator_args(d, "WebSocketGateway")) else {
            return;
        };
        let ns = options.iter().find_map(|a| match unwrap(&a.expr) {
            Expr::Object(o) => object_string(o, "namespace"),
            _ => None,
        });
        let ns = ns.map(|n| if n.starts_with('/') { n } else { format!("/{n}") });
        for d in &method.function.decorators {
            let Some(args) = decorator_args(d, "SubscribeMessage") else { continue };
            let Some(event) = args.first().and_then(|a| str_lit(&a.expr)) else { continue };
            self.facts.routes.push(RouteReg {
                framework: Some(Framework::SocketIo),
                method: "EVENT".into(),
                path: event_label(ns.as_deref(), &event),
                owner: None,
                span: method.span,
                handler: Some(super::Ref::Function(fid)),
            });
        }
    }
}

/// The arguments of decorator `@name(…)`.
fn decorator_args<'a>(d: &'a Decorator, name: &str) -> Option<&'a [ExprOrSpread]> {
    let Expr::Call(c) = unwrap(&d.expr) else { return None };
    let Callee::Expr(e) = &c.callee else { return None };
    matches!(unwrap(e), Expr::Ident(i) if &*i.sym == name).then_some(c.args.as_slice())
}

/// `EVENT chat:message`'s path, with its namespace: `/admin chat:message`.
fn event_label(ns: Option<&str>, event: &str) -> String {
    match ns {
        Some(ns) => format!("{ns} {event}"),
        None => event.to_string(),
    }
}

/// Whether an unrolled event's name is one a client can send.
pub(crate) fn is_request_event(label: &str) -> bool {
    let event = match label.strip_prefix('/') {
        Some(rest) => rest.split_once(' ').map_or("", |(_, e)| e),
        None => label,
    };
    !event.is_empty() && !NOT_REQUESTS.contains(&event)
}
