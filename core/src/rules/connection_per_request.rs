//! `connection-per-request`: a database connection or pool created inside a function on a
//! request path. Docs: [`META`].

use super::scan;
use super::{Context, Placement, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::connections;
use crate::params::{Category, LoadProfile, Severity};
use crate::syntax::str_lit;
use std::collections::BTreeSet;
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

pub struct ConnectionPerRequest;

static META: RuleMeta = RuleMeta {
    id: "connection-per-request",
    category: Category::Api,
    summary: "A new database connection or pool created for every request",
    docs: r#"## What it finds
A database connection or pool created inside a function that runs on a request path (the
handler or a helper it calls, in any file):
- `new Client(…)` / `new Pool(…)` of `pg`;
- `mysql.createConnection(…)` / `mysql.createPool(…)` of `mysql` / `mysql2`;
- `mongoose.connect(…)` / `mongoose.createConnection(…)`, `new MongoClient(…)`,
  `MongoClient.connect(…)`;
- `new PrismaClient()`, `new Sequelize(…)`, `knex({ client: … })`.

The finding is on the constructor or factory call; the `connect()` / `end()` that go with it
are part of the same defect.

## Why is this bad
Opening a connection costs a TCP handshake, often TLS, and the database's authentication and
session set-up — typically 20–50 ms, against well under a millisecond to check a connection
out of a warm pool. Every request pays it, and under load the database's connection limit
runs out (each connection is a process or thread on the server), so requests fail instead of
queueing. A pool created per request is worse: it is never reused and its connections leak
until it is ended. Estimate: the `connections` model, connection set-up vs pool checkout.

Severity: high; critical under the `high` load profile (the connection limit is reached).

## Example
```js
app.get('/api/users', async (req, res) => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const result = await client.query('SELECT id, name FROM users LIMIT 50');
  await client.end();
  res.json(result.rows);
});
```
Use instead:
```js
// module scope: created once at start-up
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

app.get('/api/users', async (req, res) => {
  const result = await pool.query('SELECT id, name FROM users LIMIT 50');
  res.json(result.rows);
});
```

## What it leaves alone
- creation at module level, or in start-up code no route reaches (`bootstrap()`, a
  `connectDb()` called before `listen`): that is the correct place;
- `pool.connect()` / `pool.getConnection()` in a handler: a checkout from a pool, not a new
  connection (the seed's section 8 calls it slow; with the release in place it costs a
  pool checkout — `pool.query` is shorter, not faster);
- `knex('table')`, a query builder on an existing pool."#,
    model: "connections",
};

/// What a creation call creates, and the rewrite's module-scope line.
struct Creation {
    span: Span,
    what: String,
    /// The module-scope declaration replacing it.
    hoisted: String,
}

impl Rule for ConnectionPerRequest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for (file, parsed) in ctx.program.files.iter().enumerate() {
            let Some(program) = &parsed.program else { continue };
            let mut imports = Imports(BTreeSet::new());
            program.visit_with(&mut imports);
            let mut finder = Finder { parsed, imports: imports.0, found: Vec::new(), declared: None };
            program.visit_with(&mut finder);
            for c in finder.found {
                let Some(function) = scan::function_at(ctx, file, c.span) else { continue };
                let (endpoint, others) = match ctx.placement(Some(function)) {
                    Placement::Endpoint { label, others } => (label, others),
                    _ => continue,
                };
                let severity =
                    if ctx.params.load_profile == LoadProfile::High { Severity::Critical } else { Severity::High };
                let message = format!(
                    "{} is created on every request to `{endpoint}`: each request pays the connection set-up and holds a database connection of its own. Create it once at module scope (a pool) and run the handler's queries through it; drop the per-request connect()/end().{}",
                    c.what,
                    scan::also_on(others)
                );
                let (lines, _) = scan::lines_of(parsed, c.span);
                let after = format!("// module scope: created once at start-up\n{}", c.hoisted);
                out.push(ctx.finding(
                    &META,
                    file,
                    c.span,
                    severity,
                    Some(endpoint),
                    message,
                    connections::connection_per_request(&ctx.profile),
                    lines,
                    after,
                ));
            }
        }
    }
}

struct Imports(BTreeSet<String>);

impl Visit for Imports {
    fn visit_import_decl(&mut self, d: &ImportDecl) {
        self.0.insert(d.src.value.to_string_lossy().into_owned());
    }
    fn visit_call_expr(&mut self, c: &CallExpr) {
        if let Callee::Expr(e) = &c.callee {
            if matches!(&**e, Expr::Ident(i) if &*i.sym == "require") {
                if let Some(s) = c.args.first().and_then(|a| str_lit(&a.expr)) {
                    self.0.insert(s);
                }
            }
        }
        c.visit_children_with(self);
    }
}

struct Finder<'f> {
    parsed: &'f crate::parse::Parsed,
    imports: BTreeSet<String>,
    found: Vec<Creation>,
    /// The name the current declarator binds.
    declared: Option<String>,
}

impl Finder<'_> {
    fn has(&self, module: &str) -> bool {
        // `module` itself, or a path inside it (`module/…`): the first import at or after
        // `module/` in the sorted set says.
        let inside = format!("{module}/");
        self.imports.contains(module) || self.imports.range(inside.clone()..).next().is_some_and(|m| m.starts_with(&inside))
    }

    fn args(&self, args: Option<&[ExprOrSpread]>) -> String {
        args.unwrap_or(&[]).iter().map(|a| self.parsed.snippet(a.span())).collect::<Vec<_>>().join(", ")
    }

    fn name(&self, default: &str) -> String {
        self.declared.clone().unwrap_or_else(|| default.to_string())
    }
}

/// `a.b.c` as segments.
fn path_of(e: &Expr) -> Vec<String> {
    match e {
        Expr::Ident(i) => vec![i.sym.to_string()],
        Expr::Member(m) => {
            let mut v = path_of(&m.obj);
            if let MemberProp::Ident(p) = &m.prop {
                v.push(p.sym.to_string());
            }
            v
        }
        Expr::Paren(p) => path_of(&p.expr),
        _ => Vec::new(),
    }
}

impl Visit for Finder<'_> {
    fn visit_var_declarator(&mut self, d: &VarDeclarator) {
        let saved = self.declared.take();
        if let Pat::Ident(id) = &d.name {
            self.declared = Some(id.id.sym.to_string());
        }
        d.visit_children_with(self);
        self.declared = saved;
    }

    fn visit_function(&mut self, f: &Function) {
        let saved = self.declared.take();
        f.visit_children_with(self);
        self.declared = saved;
    }

    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        let saved = self.declared.take();
        a.visit_children_with(self);
        self.declared = saved;
    }

    fn visit_new_expr(&mut self, n: &NewExpr) {
        let path = path_of(&n.callee);
        let last = path.last().map(String::as_str).unwrap_or("");
        let args = self.args(n.args.as_deref());
        let found = match last {
            "Client" | "Pool" if self.has("pg") => {
                let pool = if last == "Client" { "pool".to_string() } else { self.name("pool") };
                let ctor =
                    if path.len() > 1 { format!("{}.Pool", path[..path.len() - 1].join(".")) } else { "Pool".into() };
                Some((format!("A pg `{last}`"), format!("const {pool} = new {ctor}({args});")))
            }
            "MongoClient" if self.has("mongodb") => Some((
                "A `MongoClient`".to_string(),
                format!(
                    "const {} = new MongoClient({args}); // await its connect() once, at start-up",
                    self.name("client")
                ),
            )),
            "PrismaClient" => Some((
                "A `PrismaClient`".to_string(),
                format!("const {} = new PrismaClient({args});", self.name("prisma")),
            )),
            "Sequelize" if self.has("sequelize") || self.has("sequelize-typescript") => Some((
                "A `Sequelize` instance (and its pool)".to_string(),
                format!("const {} = new Sequelize({args});", self.name("sequelize")),
            )),
            _ => None,
        };
        if let Some((what, hoisted)) = found {
            self.found.push(Creation { span: n.span, what, hoisted });
        }
        n.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, c: &CallExpr) {
        if let Callee::Expr(callee) = &c.callee {
            let path = path_of(callee);
            let last = path.last().map(String::as_str).unwrap_or("");
            let root = path.first().map(String::as_str).unwrap_or("");
            let args = self.args(Some(&c.args));
            let callee_text = self.parsed.snippet(callee.span()).to_string();
            let mysql = self.has("mysql") || self.has("mysql2");
            let found = match (path.len(), last) {
                (2.., "createConnection" | "createPool") if mysql => Some((
                    format!("A MySQL {}", if last == "createPool" { "pool" } else { "connection" }),
                    format!(
                        "const {} = {}({args});",
                        if last == "createPool" { self.name("pool") } else { "pool".into() },
                        callee_text.replace("createConnection", "createPool")
                    ),
                )),
                (2, "connect" | "createConnection") if root == "mongoose" => Some((
                    "A Mongoose connection".to_string(),
                    format!("await mongoose.connect({args}); // once, before listen(): models reuse its pool"),
                )),
                (2, "connect") if root == "MongoClient" && self.has("mongodb") => Some((
                    "A MongoDB connection (`MongoClient.connect`)".to_string(),
                    format!(
                        "const {} = await MongoClient.connect({args}); // once, before listen()",
                        self.name("client")
                    ),
                )),
                (1, "knex" | "Knex")
                    if self.has("knex") && matches!(c.args.first().map(|a| &*a.expr), Some(Expr::Object(_))) =>
                {
                    Some((
                        "A Knex instance (and its pool)".to_string(),
                        format!("const {} = {callee_text}({args});", self.name("db")),
                    ))
                }
                _ => None,
            };
            if let Some((what, hoisted)) = found {
                self.found.push(Creation { span: c.span, what, hoisted });
            }
        }
        c.visit_children_with(self);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_parses, rule_findings};
    use crate::Params;

    fn of(src: &str) -> Vec<crate::analysis::Finding> {
        rule_findings("connection-per-request", &[("a.js", src)], &Params::default())
    }

    #[test]
    fn a_pg_client_per_request_is_hoisted_into_a_pool() {
        let src = "const { Client } = require('pg');\napp.get('/u', async (req, res) => {\n  const client = new Client({ connectionString: url });\n  await client.connect();\n  res.json((await client.query('SELECT 1')).rows);\n});\n";
        let f = of(src);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].line, f[0].column), (3, 18));
        assert_eq!(f[0].endpoint.as_deref(), Some("GET /u"));
        assert_eq!(
            f[0].after,
            "// module scope: created once at start-up\nconst pool = new Pool({ connectionString: url });"
        );
        assert_parses(&f[0].after);
    }

    #[test]
    fn module_level_pools_and_checkouts_are_left_alone() {
        let src = "const { Pool } = require('pg');\nconst pool = new Pool();\napp.get('/u', async (req, res) => {\n  const client = await pool.connect();\n  const r = await client.query('SELECT 1');\n  client.release();\n  res.json(r.rows);\n});\n";
        assert!(of(src).is_empty());
    }
}
