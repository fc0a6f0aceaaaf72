//! Fastify and hapi plugins in their own files (pass 1 side; `link` resolves them).
//!
//! ```js
//! fastify.register(import('./routes/users'), { prefix: '/users' });
//! await server.register([require('./status'), { plugin: require('./api'), routes: { prefix: '/api' } }]);
//! exports.plugin = { name: 'api', register(server, options) { server.route({ … }) } };
//! module.exports = createRoutes([...routes, ...more]); // route tables passed through a helper
//! routes.forEach((route) => server.route(route));    // a table registered entry by entry
//! ```
//!
//! A plugin registration's children are the plugins of its arguments: a module
//! (`require('./x')`, `import('./x')`), a name, or a hapi `{ plugin, routes: { prefix } }`
//! object, in arrays too. `link` takes a module's plugin function from its default export
//! (Fastify), its `register` export or its `plugin` object's `register` (hapi), so the routes
//! the plugin registers on its first parameter get the registration's prefix.

use super::{Collector, Mount, Owner, Ref, RouteTable};
use crate::syntax::{object_value, str_lit, unwrap};
use swc_ecma_ast::*;

/// A module named by `require('./x')`, `import('./x')` or `await import('./x')`.
pub(super) fn module_ref(e: &Expr) -> Option<Ref> {
    let e = match unwrap(e) {
        Expr::Await(a) => unwrap(&a.arg),
        e => e,
    };
    let Expr::Call(c) = e else { return None };
    let required = match &c.callee {
        Callee::Import(_) => true,
        Callee::Expr(callee) => matches!(unwrap(callee), Expr::Ident(i) if &*i.sym == "require"),
        Callee::Super(_) => false,
    };
    if !required {
        return None;
    }
    c.args.first().and_then(|a| str_lit(&a.expr)).map(|s| Ref::Name(format!("require:{s}")))
}

impl Collector<'_> {
    /// `server.register([a, { plugin: b, routes: { prefix: '/api' } }])`, `fastify.register(import('./x'))`:
    /// mounts for the plugins the simple argument forms of `use`/`register` do not cover.
    /// Returns whether it recorded any.
    pub(super) fn plugin_mounts(&mut self, owner: &Owner, call: &CallExpr) -> bool {
        let mut found = Vec::new();
        let prefix = match call.args.get(1).map(|a| unwrap(&a.expr)) {
            Some(Expr::Object(o)) => route_prefix(o),
            _ => String::new(),
        };
        match call.args.first().map(|a| unwrap(&a.expr)) {
            Some(Expr::Array(a)) => {
                for e in a.elems.iter().flatten() {
                    found.extend(self.plugin_of(&e.expr, &prefix));
                }
            }
            Some(e @ Expr::Object(_)) => found.extend(self.plugin_of(e, &prefix)),
            Some(e) => found.extend(module_ref(e).map(|r| (r, prefix))),
            None => {}
        }
        let any = !found.is_empty();
        for (child, prefix) in found {
            self.facts.mounts.push(Mount { parent: owner.clone(), child, prefix });
        }
        any
    }

    /// One plugin of a registration: a module, a name, or `{ plugin, routes: { prefix } }`.
    fn plugin_of(&self, e: &Expr, prefix: &str) -> Option<(Ref, String)> {
        match unwrap(e) {
            Expr::Object(o) => {
                let plugin = object_value(o, "plugin").or_else(|| object_value(o, "register"))?;
                let own = route_prefix(o);
                let prefix = if own.is_empty() { prefix.to_string() } else { own };
                self.plugin_of(plugin, &prefix)
            }
            Expr::Ident(i) => Some((Ref::Name(i.sym.to_string()), prefix.to_string())),
            other => module_ref(other).map(|r| (r, prefix.to_string())),
        }
    }

    /// `module.exports = createRoutes(routes)`: a route table of this file passed through a
    /// helper that maps its entries is still that table.
    /// Returns whether it was one.
    pub(super) fn table_through_call(&mut self, name: &str, value: &Expr) -> bool {
        let Expr::Call(c) = unwrap(value) else { return false };
        let mut table = RouteTable::default();
        for a in &c.args {
            match unwrap(&a.expr) {
                Expr::Ident(i) if self.facts.route_tables.contains_key(&*i.sym) => {
                    table.includes.push(Ref::Name(i.sym.to_string()))
                }
                // `createRoutes([...routes, ...adminRoutes])`
                Expr::Array(arr) => {
                    if let Some(t) = self.route_table(arr) {
                        table.entries.extend(t.entries);
                        table.includes.extend(t.includes);
                    }
                }
                _ => {}
            }
        }
        if table.entries.is_empty() && table.includes.is_empty() {
            return false;
        }
        self.facts.route_tables.insert(name.to_string(), table);
        true
    }

    /// `routes.forEach((route) => server.route(route))`: the table the loop runs over.
    pub(super) fn looped_table(&self, e: &Expr) -> Option<Ref> {
        let Expr::Ident(i) = unwrap(e) else { return None };
        let b = self.loops.last()?;
        if b.value.as_deref() != Some(&*i.sym) {
            return None;
        }
        match &b.source {
            super::loops::Source::Name(n) => Some(Ref::Name(n.clone())),
            super::loops::Source::Inline(_) => None,
        }
    }
}

/// `{ routes: { prefix: '/api' } }` (hapi) or `{ prefix: '/api' }` (Fastify).
fn route_prefix(o: &ObjectLit) -> String {
    if let Some(Expr::Object(routes)) = object_value(o, "routes").map(unwrap) {
        if let Some(p) = object_value(routes, "prefix").and_then(str_lit) {
            return p;
        }
    }
    object_value(o, "prefix").and_then(str_lit).unwrap_or_default()
}

/// `_id` → `:id`: @fastify/autoload's folder parameters.
pub(crate) fn autoload_segment(folder: &str) -> String {
    match folder.strip_prefix('_') {
        Some(p) if !p.is_empty() => format!(":{p}"),
        _ => folder.to_string(),
    }
}
