//! Routes registered in a loop over a literal (pass 1 side; `loops_link.rs` unrolls them).
//!
//! ```js
//! const routes = { users: require('./routes/users'), orchestras: require('./routes/orchestras') };
//! for (const [name, controller] of Object.entries(routes)) {
//!   if (controller.getAll) app.get(`/api/${name}`, wrap(controller.getAll));
//! }
//! [{ method: 'get', path: '/a', handler: a }].forEach((r) => router[r.method](r.path, r.handler));
//! ```
//!
//! The collector records the literals a file binds to names (`const routes = {…}`/`[…]`,
//! `module.exports = {…}`) as [`Entry`]s, and a registration inside a loop over one
//! (`for…of` over `Object.entries/keys/values(x)` or over an array, `.forEach`/`.map` of
//! them) as a [`LoopRoute`] whose method, path and handler are [`Part`]s: literal text, the
//! entry's key, the entry's value, or a field of the value. `link` looks the literal up (in
//! this file or the module it is imported from) and makes one route per entry.

use super::{Collector, Owner, Ref, HTTP_METHODS};
use crate::model::Framework;
use crate::syntax::{key_name, pat_names, prop_name, str_lit, unwrap};
use std::collections::HashMap;
use swc_common::Span;
use swc_ecma_ast::*;

/// A value written in a literal that routes are registered from.
#[derive(Clone, Debug)]
pub enum Value {
    Str(String),
    /// A function, a name, `module.member`, or a module (`require('./users')` as the name
    /// `require:./users`).
    Ref(Ref),
    /// An object literal's properties.
    Object(Vec<(String, Value)>),
    Other,
}

/// One property of an object literal (`key`) or one element of an array literal (no key).
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: Option<String>,
    pub value: Value,
}

/// A piece of a looped registration, computed per entry.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Lit(String),
    /// The entry's key (`Object.entries`/`Object.keys`).
    Key,
    /// The entry's value.
    Value,
    /// A field of the entry's value (`route.path`, `controller.getAll`, `{ path }`).
    Field(String),
    /// A reference that does not depend on the entry.
    Ref(Ref),
}

/// The literal a loop runs over.
#[derive(Clone, Debug)]
pub enum Source {
    /// Written in the loop's head (`for (const r of [{…}, {…}])`).
    Inline(Vec<Entry>),
    /// A name: a literal bound in this file, or one exported by the module it is imported from.
    Name(String),
}

/// A registration (`app.get(path, handler)`) inside a loop over a literal.
#[derive(Clone, Debug)]
pub struct LoopRoute {
    pub source: Source,
    pub framework: Option<Framework>,
    /// `Lit("GET")`, or the field holding the method (`router[r.method](…)`).
    pub method: Part,
    pub path: Vec<Part>,
    pub owner: Option<Owner>,
    pub span: Span,
    pub handler: Option<Part>,
}

/// A mount (`app.use(prefix, router)`) inside a loop over a literal.
#[derive(Clone, Debug)]
pub struct LoopMount {
    pub source: Source,
    pub owner: Owner,
    /// Empty when the mount has no path.
    pub prefix: Vec<Part>,
    pub child: Part,
}

/// An open loop over a literal: which names hold the entry's key, value and value's fields.
#[derive(Clone, Debug)]
pub(super) struct LoopBind {
    pub(super) source: Source,
    /// The literal's own name (`routes[name]` reads the value).
    source_name: Option<String>,
    key: Option<String>,
    pub(super) value: Option<String>,
    /// Names destructured from the value (`{ path, handler: h }`): local → field.
    fields: HashMap<String, String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Entries,
    Keys,
    Values,
}

impl Collector<'_> {
    /// The entries of an object or array literal (`None` for anything else).
    pub(super) fn literal_entries(&self, e: &Expr) -> Option<Vec<Entry>> {
        match unwrap(e) {
            Expr::Object(o) => {
                let mut out = Vec::new();
                for p in &o.props {
                    let PropOrSpread::Prop(p) = p else { return None };
                    let (key, value) = match &**p {
                        Prop::KeyValue(kv) => (key_name(&kv.key)?, self.literal_value(&kv.value)),
                        Prop::Shorthand(i) => (i.sym.to_string(), self.literal_value(&Expr::Ident(i.clone()))),
                        Prop::Method(m) => (key_name(&m.key)?, self.function_at(m.function.span)),
                        _ => return None,
                    };
                    out.push(Entry { key: Some(key), value });
                }
                Some(out)
            }
            Expr::Array(a) => a
                .elems
                .iter()
                .map(|e| match e {
                    Some(e) if e.spread.is_none() => Some(Entry { key: None, value: self.literal_value(&e.expr) }),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }

    fn function_at(&self, span: Span) -> Value {
        match self.facts.functions.iter().position(|f| f.span == span) {
            Some(f) => Value::Ref(Ref::Function(f)),
            None => Value::Other,
        }
    }

    fn literal_value(&self, e: &Expr) -> Value {
        if let Some(s) = self.const_string(e) {
            return Value::Str(s);
        }
        match unwrap(e) {
            Expr::Object(o) => {
                let mut fields = Vec::new();
                for p in &o.props {
                    let PropOrSpread::Prop(p) = p else { continue };
                    match &**p {
                        Prop::KeyValue(kv) => {
                            if let Some(k) = key_name(&kv.key) {
                                fields.push((k, self.literal_value(&kv.value)));
                            }
                        }
                        Prop::Shorthand(i) => {
                            fields.push((i.sym.to_string(), self.literal_value(&Expr::Ident(i.clone()))));
                        }
                        Prop::Method(m) => {
                            if let Some(k) = key_name(&m.key) {
                                fields.push((k, self.function_at(m.function.span)));
                            }
                        }
                        _ => {}
                    }
                }
                Value::Object(fields)
            }
            Expr::Arrow(a) => self.function_at(a.span),
            Expr::Fn(f) => self.function_at(f.function.span),
            Expr::Ident(i) => match self.facts.strings.get(&*i.sym) {
                Some(s) => Value::Str(s.clone()),
                None => self.handler_ref(e).map(Value::Ref).unwrap_or(Value::Other),
            },
            Expr::Call(c) if is_require(c) => match c.args.first().and_then(|a| str_lit(&a.expr)) {
                Some(spec) => Value::Ref(Ref::Name(format!("require:{spec}"))),
                None => Value::Other,
            },
            // `require('./routes/items').list`
            Expr::Member(m) => match (unwrap(&m.obj), prop_name(&m.prop)) {
                (Expr::Call(c), Some(p)) if is_require(c) => match c.args.first().and_then(|a| str_lit(&a.expr)) {
                    Some(spec) => Value::Ref(Ref::Member(format!("require:{spec}"), p)),
                    None => Value::Other,
                },
                _ => self.handler_ref(e).map(Value::Ref).unwrap_or(Value::Other),
            },
            other => self.handler_ref(other).map(Value::Ref).unwrap_or(Value::Other),
        }
    }

    /// The literal `e` iterates: `Object.entries(x)`, `Object.keys(x)`, `Object.values(x)`, or
    /// the array `x` itself, where `x` is a name or a literal.
    fn loop_source(&self, e: &Expr) -> Option<(Mode, Source, Option<String>)> {
        let (mode, target) = match unwrap(e) {
            Expr::Call(c) => {
                let Callee::Expr(callee) = &c.callee else { return None };
                let Expr::Member(m) = unwrap(callee) else { return None };
                let is_object = matches!(unwrap(&m.obj), Expr::Ident(o) if &*o.sym == "Object");
                let mode = match prop_name(&m.prop)?.as_str() {
                    "entries" if is_object => Mode::Entries,
                    "keys" if is_object => Mode::Keys,
                    "values" if is_object => Mode::Values,
                    _ => return None,
                };
                (mode, &*c.args.first()?.expr)
            }
            other => (Mode::Values, other),
        };
        match unwrap(target) {
            Expr::Ident(i) => Some((mode, Source::Name(i.sym.to_string()), Some(i.sym.to_string()))),
            lit @ Expr::Array(_) if mode == Mode::Values => {
                Some((mode, Source::Inline(self.literal_entries(lit)?), None))
            }
            lit @ Expr::Object(_) if mode != Mode::Values || matches!(unwrap(e), Expr::Call(_)) => {
                Some((mode, Source::Inline(self.literal_entries(lit)?), None))
            }
            _ => None,
        }
    }

    /// `for (const [k, v] of Object.entries(x))` and the like: the loop's bindings.
    pub(super) fn for_of_bind(&self, s: &ForOfStmt) -> Option<LoopBind> {
        if s.is_await {
            return None;
        }
        let (mode, source, source_name) = self.loop_source(&s.right)?;
        let pat = match &s.left {
            ForHead::VarDecl(v) if v.decls.len() == 1 => &v.decls[0].name,
            ForHead::Pat(p) => p,
            _ => return None,
        };
        bind(mode, source, source_name, pat)
    }

    /// `Object.entries(x).forEach(([k, v]) => …)`, `routes.forEach((r) => …)`: the bindings of
    /// the callback's first parameter.
    pub(super) fn callback_bind(&self, call: &CallExpr) -> Option<LoopBind> {
        let Callee::Expr(callee) = &call.callee else { return None };
        let Expr::Member(m) = unwrap(callee) else { return None };
        if !matches!(prop_name(&m.prop)?.as_str(), "forEach" | "map") {
            return None;
        }
        let (mode, source, source_name) = self.loop_source(&m.obj)?;
        let first = match unwrap(&call.args.first()?.expr) {
            Expr::Arrow(a) => a.params.first()?,
            Expr::Fn(f) => &f.function.params.first()?.pat,
            _ => return None,
        };
        bind(mode, source, source_name, first)
    }

    /// What an expression in a looped registration is, per entry; `None` when it depends on
    /// anything else.
    fn loop_part(&self, b: &LoopBind, e: &Expr) -> Option<Part> {
        match unwrap(e) {
            Expr::Ident(i) => {
                let n = &*i.sym;
                if b.key.as_deref() == Some(n) {
                    Some(Part::Key)
                } else if b.value.as_deref() == Some(n) {
                    Some(Part::Value)
                } else if let Some(f) = b.fields.get(n) {
                    Some(Part::Field(f.clone()))
                } else {
                    self.const_string(e).map(Part::Lit)
                }
            }
            Expr::Member(m) => match unwrap(&m.obj) {
                Expr::Ident(o) if b.value.as_deref() == Some(&*o.sym) => prop_name(&m.prop).map(Part::Field),
                // `routes[name].getAll`: a member of the entry's value.
                Expr::Member(_) if self.loop_part(b, &m.obj) == Some(Part::Value) => {
                    prop_name(&m.prop).map(Part::Field)
                }
                // `routes[name]`: the value of the entry `name` is the key of.
                Expr::Ident(o) if b.source_name.as_deref() == Some(&*o.sym) => match &m.prop {
                    MemberProp::Computed(c) if self.loop_part(b, &c.expr) == Some(Part::Key) => Some(Part::Value),
                    _ => None,
                },
                _ => None,
            },
            other => self.const_string(other).map(Part::Lit),
        }
    }

    /// A route path as parts: literal text, template literals and `+` joining parts.
    pub(super) fn path_parts(&self, b: &LoopBind, e: &Expr, out: &mut Vec<Part>) -> bool {
        match unwrap(e) {
            Expr::Tpl(t) => {
                for (i, q) in t.quasis.iter().enumerate() {
                    out.push(Part::Lit(q.raw.to_string()));
                    if let Some(e) = t.exprs.get(i) {
                        if !self.path_parts(b, e, out) {
                            return false;
                        }
                    }
                }
                true
            }
            Expr::Bin(bin) if bin.op == BinaryOp::Add => {
                self.path_parts(b, &bin.left, out) && self.path_parts(b, &bin.right, out)
            }
            other => match self.loop_part(b, other) {
                Some(p @ (Part::Lit(_) | Part::Key | Part::Value | Part::Field(_))) => {
                    out.push(p);
                    true
                }
                _ => false,
            },
        }
    }

    /// The handler of a looped registration: a part of the entry, through wrappers that pass
    /// a function through (`makeHandlerAwareOfAsyncErrors(controller.getAll)`), or a fixed
    /// reference.
    pub(super) fn handler_part(&self, b: &LoopBind, e: &Expr, inline: Option<usize>) -> Option<Part> {
        if let Some(f) = inline {
            return Some(Part::Ref(Ref::Function(f)));
        }
        match unwrap(e) {
            Expr::Call(c) => c.args.iter().rev().find_map(|a| self.handler_part(b, &a.expr, None)),
            other => match self.loop_part(b, other) {
                Some(p @ (Part::Value | Part::Field(_))) => Some(p),
                _ => self.handler_ref(other).map(Part::Ref),
            },
        }
    }

    /// `app.get(path, handler)` / `router[r.method](r.path, r.handler)` inside a loop over a
    /// literal, where the method, the path or the handler comes from the entry: recorded as a
    /// [`LoopRoute`]. Returns whether it was one.
    pub(super) fn loop_route(&mut self, call: &CallExpr, fn_args: &[Option<usize>]) -> bool {
        let Some(b) = self.loops.last().cloned() else { return false };
        let Callee::Expr(callee) = &call.callee else { return false };
        let Expr::Member(m) = unwrap(callee) else { return false };
        let method = match &m.prop {
            MemberProp::Computed(c) => match self.loop_part(&b, &c.expr) {
                Some(p @ (Part::Field(_) | Part::Value | Part::Key)) => p,
                Some(Part::Lit(l)) => Part::Lit(l.to_ascii_lowercase()),
                _ => return false,
            },
            p => match prop_name(p) {
                Some(name) => Part::Lit(name),
                None => return false,
            },
        };
        if method == Part::Lit("use".into()) {
            return self.loop_mount(&b, call, &m.obj, fn_args);
        }
        if method == Part::Lit("on".into()) {
            return self.socket_loop_event(&b, call, &m.obj, call.span);
        }
        if let Part::Lit(l) = &method {
            if !HTTP_METHODS.contains(&l.as_str()) {
                return false;
            }
        }
        if call.args.len() < 2 {
            return false;
        }
        let mut path = Vec::new();
        if !self.path_parts(&b, &call.args[0].expr, &mut path) {
            return false;
        }
        let last = call.args.len() - 1;
        let handler = self.handler_part(&b, &call.args[last].expr, fn_args.get(last).copied().flatten());
        let varies = |p: &Part| matches!(p, Part::Key | Part::Value | Part::Field(_));
        if !varies(&method) && !path.iter().any(varies) && !handler.as_ref().is_some_and(varies) {
            return false;
        }
        let Some((known_fw, owner)) = self.server_owner(&m.obj) else { return false };
        let method = match method {
            Part::Lit(l) if l == "del" => Part::Lit("DELETE".into()),
            Part::Lit(l) => Part::Lit(l.to_ascii_uppercase()),
            other => other,
        };
        let fw = known_fw.or_else(|| self.facts.frameworks.first().copied());
        self.facts.loop_routes.push(LoopRoute {
            source: b.source,
            framework: fw,
            method,
            path,
            owner: Some(owner),
            span: call.span,
            handler,
        });
        true
    }
}

impl Collector<'_> {
    /// `app.use(`/api/${name}`, routers[name])`, `routes.forEach((r) => app.use(r.path, r.router))`,
    /// `[users, posts].forEach((r) => app.use('/api', r))`: recorded as a [`LoopMount`] when
    /// the prefix or the mounted router comes from the entry.
    fn loop_mount(&mut self, b: &LoopBind, call: &CallExpr, receiver: &Expr, fn_args: &[Option<usize>]) -> bool {
        let Some(last) = call.args.len().checked_sub(1) else { return false };
        let mut prefix = Vec::new();
        if last > 0 && !self.path_parts(b, &call.args[0].expr, &mut prefix) {
            prefix.clear();
            if str_lit(&call.args[0].expr).is_none() && !matches!(unwrap(&call.args[0].expr), Expr::Tpl(_)) {
                // The first argument is middleware, not a path.
            } else {
                return false;
            }
        }
        // `app.use(r.routes())` (Koa): the router itself.
        let child_expr = match unwrap(&call.args[last].expr) {
            Expr::Call(c) if c.args.is_empty() => match &c.callee {
                Callee::Expr(e) => match unwrap(e) {
                    Expr::Member(mm) if matches!(prop_name(&mm.prop).as_deref(), Some("routes" | "middleware")) => {
                        &*mm.obj
                    }
                    _ => &*call.args[last].expr,
                },
                _ => &*call.args[last].expr,
            },
            _ => &*call.args[last].expr,
        };
        let Some(child) = self.handler_part(b, child_expr, fn_args.get(last).copied().flatten()) else {
            return false;
        };
        let varies = |p: &Part| matches!(p, Part::Key | Part::Value | Part::Field(_));
        if !varies(&child) && !prefix.iter().any(varies) {
            return false;
        }
        let Some((_, owner)) = self.server_owner(receiver) else { return false };
        self.facts.loop_mounts.push(LoopMount { source: b.source.clone(), owner, prefix, child });
        true
    }
}

fn bind(mode: Mode, source: Source, source_name: Option<String>, pat: &Pat) -> Option<LoopBind> {
    let mut b = LoopBind { source, source_name, key: None, value: None, fields: HashMap::new() };
    let value_pat = match (mode, pat) {
        (Mode::Entries, Pat::Array(a)) => {
            if let Some(Some(Pat::Ident(k))) = a.elems.first() {
                b.key = Some(k.id.sym.to_string());
            }
            a.elems.get(1).and_then(|v| v.as_ref())
        }
        (Mode::Entries, _) => return None,
        (Mode::Keys, Pat::Ident(k)) => {
            b.key = Some(k.id.sym.to_string());
            None
        }
        (Mode::Keys, _) => return None,
        (Mode::Values, p) => Some(p),
    };
    match value_pat {
        Some(Pat::Ident(v)) => b.value = Some(v.id.sym.to_string()),
        Some(Pat::Object(o)) => {
            for p in &o.props {
                match p {
                    ObjectPatProp::Assign(a) => {
                        b.fields.insert(a.key.sym.to_string(), a.key.sym.to_string());
                    }
                    ObjectPatProp::KeyValue(kv) => {
                        let mut names = Vec::new();
                        pat_names(&kv.value, &mut names);
                        if let (Some(k), [local]) = (key_name(&kv.key), names.as_slice()) {
                            b.fields.insert(local.clone(), k);
                        }
                    }
                    ObjectPatProp::Rest(_) => {}
                }
            }
        }
        _ => {}
    }
    Some(b)
}

fn is_require(c: &CallExpr) -> bool {
    matches!(&c.callee, Callee::Expr(e) if matches!(unwrap(e), Expr::Ident(i) if &*i.sym == "require"))
}

#[cfg(test)]
mod tests {
    use crate::model::Program;
    use crate::parse::parse;
    use crate::SourceFile;

    fn routes(files: &[(&str, &str)]) -> Vec<String> {
        let parsed: Vec<_> = files.iter().map(|(p, t)| parse(&SourceFile::new(*p, *t))).collect();
        let program = Program::build(&parsed);
        let mut out: Vec<String> = program
            .routes
            .iter()
            .map(|r| {
                let h = r.handler.and_then(|h| program.functions[h].name.clone()).unwrap_or_else(|| "?".into());
                format!("{} {} -> {h}", r.method, r.path)
            })
            .collect();
        out.sort();
        out
    }

    const USERS: &str = "async function getAll(req, res) {}\nasync function getById(req, res) {}\nmodule.exports = { getAll, getById };\n";
    const BANDS: &str = "exports.getById = async (req, res) => {};\n";

    #[test]
    fn object_entries_of_required_modules_unroll_per_module_and_member() {
        let app = "const express = require('express');\nconst routes = { users: require('./routes/users'), bands: require('./routes/bands') };\nconst app = express();\nconst wrap = (h) => async (req, res, next) => h(req, res).catch(next);\nfor (const [name, controller] of Object.entries(routes)) {\n  if (controller.getAll) app.get(`/api/${name}`, wrap(controller.getAll));\n  if (controller.getById) app.get('/api/' + name + '/:id', wrap(controller.getById));\n}\n";
        // `bands` has no `getAll`: the loop registers only its `/:id` route.
        assert_eq!(
            routes(&[("app.js", app), ("routes/users.js", USERS), ("routes/bands.js", BANDS)]),
            ["GET /api/bands/:id -> getById", "GET /api/users -> getAll", "GET /api/users/:id -> getById"]
        );
    }

    #[test]
    fn an_imported_object_and_object_keys_with_an_index_read() {
        let index = "module.exports = { users: require('./users'), bands: require('./bands') };\n";
        let app = "const express = require('express');\nconst routes = require('./routes');\nconst app = express();\nObject.keys(routes).forEach((name) => {\n  app.get(`/${name}/:id`, routes[name].getById);\n});\n";
        // `routes[name]` is the entry's value, `routes[name].getById` a member of it.
        let found = routes(&[
            ("app.js", app),
            ("routes/index.js", index),
            ("routes/users.js", USERS),
            ("routes/bands.js", BANDS),
        ]);
        assert_eq!(found, ["GET /bands/:id -> getById", "GET /users/:id -> getById"]);
    }

    #[test]
    fn arrays_of_route_objects_with_the_method_in_a_field() {
        let app = "const router = require('express').Router();\nconst list = async (req, res) => {};\nconst table = [\n  { method: 'get', path: '/items', handler: list },\n  { method: 'post', path: '/items', handler: async function create(req, res) {} },\n];\ntable.forEach((r) => router[r.method](r.path, r.handler));\nfor (const { method, path: p, handler } of table) router[method]('/v2' + p, handler);\n";
        assert_eq!(
            routes(&[("app.js", app)]),
            ["GET /items -> list", "GET /v2/items -> list", "POST /items -> handler", "POST /v2/items -> handler"]
        );
    }

    #[test]
    fn handlers_nested_in_an_exported_object_resolve_by_their_member_path() {
        // gothinkster/koa-knex-realworld-example: `router.post('/articles/:slug/favorite', auth, ctrl.favorite.post)`.
        let ctrl = "module.exports = {\n  async get(ctx) {},\n  favorite: {\n    async post(ctx) {},\n    del: async (ctx) => {},\n  },\n};\n";
        let router = "const Router = require('koa-router');\nconst ctrl = require('./ctrl');\nconst router = new Router();\nrouter.get('/articles', ctrl.get);\nrouter.post('/articles/:slug/favorite', ctrl.favorite.post);\nrouter.del('/articles/:slug/favorite', ctrl.favorite.del);\nrouter.get('/nothing', ctrl.favorite.missing);\n";
        assert_eq!(
            routes(&[("ctrl.js", ctrl), ("router.js", router)]),
            [
                "DELETE /articles/:slug/favorite -> del",
                "GET /articles -> get",
                "GET /nothing -> ?",
                "POST /articles/:slug/favorite -> post"
            ]
        );
    }

    #[test]
    fn routers_mounted_in_a_loop_take_the_entrys_prefix() {
        let app = "const express = require('express');\nconst app = express();\nconst routers = { users: require('./users'), posts: require('./posts') };\nfor (const [name, router] of Object.entries(routers)) app.use(`/api/${name}`, router);\n[require('./health')].forEach((r) => app.use(r));\n";
        let router = |h: &str| {
            format!("const router = require('express').Router();\nfunction {h}(req, res) {{}}\nrouter.get('/', {h});\nmodule.exports = router;\n")
        };
        let (users, posts, health) = (router("listUsers"), router("listPosts"), router("health"));
        assert_eq!(
            routes(&[("app.js", app), ("users.js", &users), ("posts.js", &posts), ("health.js", &health)]),
            ["GET / -> health", "GET /api/posts -> listPosts", "GET /api/users -> listUsers"]
        );
    }

    #[test]
    fn a_loop_over_what_the_model_cannot_see_keeps_a_fixed_registration() {
        let app = "const app = require('express')();\nfor (const h of getHandlers()) {\n  app.get('/health', h);\n}\nfor (const p of getPaths()) {\n  app.get(p, (req, res) => res.end());\n}\n";
        assert_eq!(routes(&[("app.js", app)]), ["GET /health -> ?"]);
    }
}
