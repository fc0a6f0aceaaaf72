//! Pass 1: one walk over one file, recording facts with file-local ids.
//!
//! Nothing here looks at other files; names that point elsewhere are kept as names and
//! resolved by `link`.

use super::access::{self, CallKind, DbHandle, Resource, Segment};
use super::{CallSite, FileId, Framework, Function, FunctionId, Iteration, IterationId, IterationKind};
use crate::params::normalize_path;
use crate::parse::Parsed;
use crate::syntax::{
    key_name, mentions, object_string, object_value, pat_names, prop_name, str_lit, top_level_statements, unwrap,
};
use std::collections::{HashMap, HashSet};
use swc_common::{Span, Spanned};

#[path = "factories.rs"]
mod factories;
#[path = "generators.rs"]
mod generators;
#[path = "helpers.rs"]
pub(super) mod helpers;
#[path = "plugins.rs"]
mod plugins;
pub(crate) use plugins::autoload_segment;
#[path = "loops.rs"]
pub(super) mod loops;
#[path = "mongoose.rs"]
mod mongoose;
#[path = "sockets.rs"]
mod sockets;
#[path = "jobs.rs"]
pub(super) mod jobs;
pub(crate) use sockets::is_request_event;
#[path = "sql_calls.rs"]
mod sql_calls;
#[path = "lazy.rs"]
pub(super) mod lazy;
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

/// A call to user code, by name, resolved later.
#[derive(Clone, Debug, PartialEq)]
pub enum CallTarget {
    /// `helper(…)`
    Name(String),
    /// `service.method(…)` where `service` is a name in this file.
    Member(String, String),
    /// `this.method(…)` inside class `class`.
    ThisMethod(Option<String>, String),
    /// `this.field.method(…)` inside class `class` (NestJS injected services).
    ThisField(Option<String>, String, String),
}

/// What registers routes: an app/router bound to a name, or a plugin function's parameter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Owner {
    Binding(String),
    /// The first parameter of a (file-local) function: Fastify plugins, `module.exports = (app) => {…}`.
    Param(FunctionId),
}

/// A reference to a handler or a mounted child: what the handler expression was.
#[derive(Clone, Debug, PartialEq)]
pub enum Ref {
    Function(FunctionId),
    Name(String),
    Member(String, String),
    /// `this.method` (or `this.method.bind(this)`) inside class `class`.
    ThisMethod(String, String),
    /// The result of a call: `listOrders()`, `makeController(deps)`, `asyncHandler(fn)`.
    /// The callee (its returned function, object or router: a factory), and the arguments
    /// that may be the function a wrapper passes through, last first.
    Call(Box<Ref>, Vec<Ref>),
}

#[derive(Clone, Debug)]
pub struct RouteReg {
    /// `None` when neither the receiver nor the handler says; the program decides.
    pub framework: Option<Framework>,
    pub method: String,
    pub path: String,
    pub owner: Option<Owner>,
    pub span: Span,
    pub handler: Option<Ref>,
}

/// `app.use('/api', router)`, `fastify.register(plugin, { prefix })`, `require('./r')(app)`.
#[derive(Clone, Debug)]
pub struct Mount {
    pub parent: Owner,
    pub child: Ref,
    pub prefix: String,
}

#[derive(Clone, Debug)]
pub enum Import {
    /// `import x from 'm'`, `const x = require('m')`, `import * as x from 'm'`.
    Whole(String),
    /// `import { a as x } from 'm'`, `const { a: x } = require('m')`.
    Named(String, String),
}

/// What an exported name refers to in this file.
#[derive(Clone, Debug)]
pub enum Export {
    Local(String),
    Function(FunctionId),
    /// `module.exports = { a, b: c }`: the object's properties.
    Object(HashMap<String, Ref>),
}

#[derive(Clone, Debug, Default)]
pub struct ClassInfo {
    pub methods: HashMap<String, FunctionId>,
    /// Field → type name (`usersService: UsersService`) or resource.
    pub field_types: HashMap<String, String>,
    pub field_resources: HashMap<String, Resource>,
    /// `class A extends B`: `B`, whose methods `A` inherits.
    pub super_class: Option<String>,
}

#[derive(Default)]
pub struct FileFacts {
    pub functions: Vec<Function>,
    pub iterations: Vec<Iteration>,
    pub calls: Vec<CallSite>,
    pub apps: Vec<super::App>,
    pub routes: Vec<RouteReg>,
    pub mounts: Vec<Mount>,
    /// Names bound to functions (declarations, `const f = () => …`).
    pub function_names: HashMap<String, FunctionId>,
    pub resources: HashMap<String, Resource>,
    /// `const x = y` / `const x = new Y()`: the name's alias or class.
    pub aliases: HashMap<String, String>,
    pub imports: HashMap<String, Import>,
    pub exports: HashMap<String, Export>,
    pub classes: HashMap<String, ClassInfo>,
    pub frameworks: Vec<Framework>,
    /// Routers created with their own prefix: `new Router({ prefix: '/api' })` (Koa).
    pub router_prefixes: HashMap<String, String>,
    /// Arrays of route objects bound to a name (`const routes = [{ method, path, handler }]`,
    /// `module.exports = […]` as `module.exports`), registered elsewhere with
    /// `server.route(routes)` (hapi).
    pub route_tables: HashMap<String, RouteTable>,
    /// `server.route(table)`: a table by name or `require('./routes')`.
    pub table_uses: Vec<(Owner, Ref, Option<Framework>)>,
    /// Dispatchers made from a project module: `const Response = setup(Manager)`, called as
    /// `Response(req, h, 'find')` to run `Manager.find` (name → the module's local name).
    pub dispatchers: HashMap<String, String>,
    /// Names bound to string literals (`const moduleName = 'Users'`), for module specifiers
    /// built from them: require(`../manager/${moduleName}Manager`).
    pub strings: HashMap<String, String>,
    /// `fastify.register(autoload, { dir: path.join(__dirname, 'routes'), options: { prefix } })`:
    /// the owner, the directory relative to this file's, and the prefix.
    pub autoloads: Vec<(Owner, String, String)>,
    /// NestJS `app.setGlobalPrefix('api')`.
    pub global_prefix: Option<String>,
    /// Object and array literals bound to names (`const routes = { users: require('./users') }`,
    /// `module.exports = […]` as `module.exports`), for routes registered in loops over them.
    pub literals: HashMap<String, Vec<loops::Entry>>,
    /// Registrations inside loops over such literals, unrolled by `link`.
    pub loop_routes: Vec<loops::LoopRoute>,
    /// Mounts inside loops over such literals, unrolled by `link`.
    pub loop_mounts: Vec<loops::LoopMount>,
    /// Mongoose schemas' statics: schema name → method → function (`S.statics = {…}`).
    pub schema_statics: HashMap<String, HashMap<String, Ref>>,
    /// The program imports `socket.io` here: its sockets' events are endpoints.
    pub socket_io: bool,
    /// Registrations inside routing helpers, with parameters in their method or path.
    pub templates: Vec<helpers::Template>,
    /// Calls passing path literals, expanded by `link` when they call a routing helper.
    pub helper_calls: Vec<helpers::HelperCall>,
    /// The file imports socket.io's client or a browser UI framework: its sockets are clients.
    pub socket_client: bool,
    /// Names bound to a socket.io namespace (`const admin = io.of('/admin')`).
    pub socket_namespaces: HashMap<String, String>,
    /// Connection callbacks written inline (`io.on('connection', (socket) => …)`): span →
    /// namespace; and named ones (`io.on('connection', onConnection)`).
    pub socket_connections: Vec<(Span, String)>,
    pub socket_connection_names: HashMap<String, String>,
    /// Background jobs the file registers (`agenda.define(name, fn)`, `queue.process(fn)`,
    /// `cron.schedule(expr, fn)`, `setInterval(fn)`, `@Cron()` methods): the functions they
    /// run ([`jobs`]).
    pub jobs: Vec<Ref>,
    /// Names bound to the result of a call (`const ctrl = makeController(deps)`): what the
    /// callee returns, resolved by `link`.
    pub call_results: HashMap<String, Ref>,
    /// What each function returns, when it is a function, an object of functions (stored in
    /// `objects` as `return:<id>`), a class instance or a name (factories).
    pub returns: HashMap<FunctionId, Ref>,
    /// Mongoose models registered with a schema: model name → schema name.
    pub mongoose_models: HashMap<String, String>,
    /// Names bound to a Mongoose model by its name (`const Article = mongoose.model('Article')`;
    /// `module.exports` for an exported one): name → model name.
    pub model_names: HashMap<String, String>,
    /// Methods the file gives a local object or function: `const users = { list() {…} }`,
    /// `User.count = function (fn) {…}` (name → method → function).
    pub objects: HashMap<String, HashMap<String, Ref>>,
    /// Names bound to SQL text (`const sql = 'SELECT …'`), the literal's source.
    pub sql_texts: HashMap<String, String>,
    /// Names bound to the rows of a read query, and its library (`const users = await
    /// User.findAll()`): their methods may lazy-load ([`lazy`]).
    pub rows: HashMap<String, access::Library>,
    /// Associations the file declares (Sequelize `hasMany`/`belongsTo`/…, sequelize-typescript
    /// decorators).
    pub associations: Vec<lazy::Association>,
    /// TypeORM lazy relations the file's entities declare (`posts: Promise<Post[]>`).
    pub lazy_relations: Vec<String>,
}

/// An array of route objects and the tables joined into it (`[...other]`,
/// `routes = routes.concat(require('./users/routes'))`).
#[derive(Clone, Debug, Default)]
pub struct RouteTable {
    pub entries: Vec<RouteReg>,
    pub includes: Vec<Ref>,
}

pub fn collect(file: FileId, parsed: &Parsed) -> FileFacts {
    collect_with(file, parsed, HashMap::new())
}

/// [`collect`] with names already known to be clients (`imported`): a database, cache or
/// HTTP client another project file exports and this one imports (`const { DB } =
/// require('../config/database')`), found by [`super::link::imported_clients`].
pub fn collect_with(file: FileId, parsed: &Parsed, imported: HashMap<String, Resource>) -> FileFacts {
    let mut c = Collector {
        file,
        parsed,
        facts: FileFacts { resources: imported, ..FileFacts::default() },
        function: None,
        class: None,
        iterations: Vec::new(),
        pending_iteration: None,
        pending_name: None,
        awaited: Vec::new(),
        body_decls: Vec::new(),
        promise_all_spans: HashSet::new(),
        chain_inner: HashSet::new(),
        statements: Vec::new(),
        loops: Vec::new(),
        co_functions: HashSet::new(),
        pending_co: false,
        in_statics: false,
        exports_aliases: HashSet::new(),
        discarded: HashSet::new(),
    };
    if let Some(program) = &parsed.program {
        c.prescan(program);
        program.visit_with(&mut c);
    }
    c.facts
}

struct Collector<'a> {
    file: FileId,
    parsed: &'a Parsed,
    facts: FileFacts,
    function: Option<FunctionId>,
    class: Option<String>,
    /// Open iterations (through per-item callbacks), outermost first.
    iterations: Vec<IterationId>,
    /// The iteration a function about to be visited runs per item of.
    pending_iteration: Option<IterationId>,
    /// The name a function about to be visited is bound to.
    pending_name: Option<String>,
    /// Spans of expressions directly under `await`.
    awaited: Vec<Span>,
    /// Names declared in the body of each open iteration (parallel to `iterations`).
    body_decls: Vec<Vec<String>>,
    /// Calls that are direct arguments of `Promise.all`/`allSettled`/`race`/`any`.
    promise_all_spans: HashSet<(u32, u32)>,
    /// Inner links of call chains already recorded as part of their outermost call.
    chain_inner: HashSet<(u32, u32)>,
    /// Spans of the statements being visited, outermost first.
    statements: Vec<Span>,
    /// Open loops over literals (route registrations in them are unrolled per entry).
    loops: Vec<loops::LoopBind>,
    /// Generator functions run as coroutines (`co.wrap(function* …)`): their `yield` awaits.
    co_functions: HashSet<FunctionId>,
    /// The function about to be visited is passed to a coroutine runner.
    pending_co: bool,
    /// Walking a Mongoose schema's statics (`S.statics = {…}`): `this` is the model.
    in_statics: bool,
    /// Module-level names for the module's exports (`const Write = module.exports;`):
    /// `Write.categories = require('./categories')` exports `categories`.
    exports_aliases: HashSet<String>,
    /// Calls that are a whole expression statement: their value is thrown away.
    discarded: HashSet<(u32, u32)>,
}

/// `module.exports`, `exports`, `module.exports = {}`: the module's export object.
fn exports_object(init: &Expr) -> bool {
    let module_exports = |m: &MemberExpr| {
        matches!(unwrap(&m.obj), Expr::Ident(o) if &*o.sym == "module") && prop_name(&m.prop).as_deref() == Some("exports")
    };
    match unwrap(init) {
        Expr::Ident(i) => &*i.sym == "exports",
        Expr::Member(m) => module_exports(m),
        Expr::Assign(a) => match &a.left {
            AssignTarget::Simple(SimpleAssignTarget::Member(m)) => {
                module_exports(m) && matches!(unwrap(&a.right), Expr::Object(o) if o.props.is_empty())
            }
            _ => false,
        },
        _ => false,
    }
}

fn key(span: Span) -> (u32, u32) {
    (span.lo.0, span.hi.0)
}

/// Flattens a callee/object expression into chain segments; `None` when the root is not a
/// name, `this` or a call of a name.
fn segments(expr: &Expr, out: &mut Vec<Segment>) -> bool {
    match unwrap(expr) {
        Expr::Ident(i) => {
            out.push(Segment { name: i.sym.to_string(), called: false, first_string: None });
            true
        }
        Expr::This(_) => {
            out.push(Segment { name: "this".into(), called: false, first_string: None });
            true
        }
        Expr::Member(m) => member_segments(m, out),
        Expr::Call(call) => call_segments(call, out),
        Expr::OptChain(o) => match &*o.base {
            OptChainBase::Member(m) => member_segments(m, out),
            OptChainBase::Call(c) => {
                if !segments(&c.callee, out) {
                    return false;
                }
                if let Some(last) = out.last_mut() {
                    last.called = true;
                    last.first_string = c.args.first().and_then(|a| str_lit(&a.expr));
                }
                true
            }
        },
        _ => false,
    }
}

fn member_segments(m: &MemberExpr, out: &mut Vec<Segment>) -> bool {
    if !segments(&m.obj, out) {
        return false;
    }
    out.push(Segment { name: prop_name(&m.prop).unwrap_or_else(|| "[]".into()), called: false, first_string: None });
    true
}

fn call_segments(call: &CallExpr, out: &mut Vec<Segment>) -> bool {
    let Callee::Expr(callee) = &call.callee else {
        return false;
    };
    if !segments(callee, out) {
        return false;
    }
    if let Some(last) = out.last_mut() {
        if last.called {
            // `f()()`: a call of a call's result.
            out.push(Segment { name: "()".into(), called: true, first_string: None });
        } else {
            last.called = true;
            last.first_string = call.args.first().and_then(|a| str_lit(&a.expr));
        }
    }
    true
}

/// Per-element methods of async libraries (`async.each`, Bluebird's `mapSeries`), besides the
/// arrays' own ([`super::values::ITERATION_METHODS`]): their callback runs once per item too.
const ASYNC_ITERATION_METHODS: &[&str] = &["each", "mapSeries", "eachSeries", "forEachSeries"];

fn iteration_method(name: &str) -> bool {
    super::values::ITERATION_METHODS.contains(&name) || ASYNC_ITERATION_METHODS.contains(&name)
}

/// Names that frameworks export as types only.
const TYPE_NAMES: &[&str] = &[
    "Request",
    "Response",
    "NextFunction",
    "RequestHandler",
    "ErrorRequestHandler",
    "Application",
    "Express",
    "FastifyInstance",
    "FastifyRequest",
    "FastifyReply",
    "FastifyPluginAsync",
    "FastifyPluginCallback",
    "FastifyServerOptions",
    "Context",
    "Next",
    "ParameterizedContext",
    "DefaultState",
    "DefaultContext",
    "ResponseToolkit",
    "ServerRoute",
    "Lifecycle",
];
const HTTP_METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "del", "options", "head", "all"];
const PROMISE_COMBINATORS: &[&str] = &["all", "allSettled", "race", "any"];

/// Does `stmt` leave the loop (break, or a return that is not an error) under a condition that mentions `names`?
struct ExitsOn<'n> {
    names: &'n [String],
    found: bool,
    depth: u32,
}
impl Visit for ExitsOn<'_> {
    fn visit_if_stmt(&mut self, s: &IfStmt) {
        let test = mentions(&*s.test);
        if test.iter().any(|t| self.names.contains(t)) && (exits(&s.cons) || s.alt.as_deref().is_some_and(exits)) {
            self.found = true;
        }
        s.visit_children_with(self);
    }
    fn visit_function(&mut self, _: &swc_ecma_ast::Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
    fn visit_stmt(&mut self, s: &Stmt) {
        self.depth += 1;
        if self.depth < 200 {
            s.visit_children_with(self);
        }
        self.depth -= 1;
    }
}

/// Leaves the loop on its normal path. An error exit — `throw`, `return next(err)`,
/// `return res.status(404)…` — validates the awaited row (`if (!stock) throw …`): on success
/// the loop still runs once per item, so it does not make the iterations depend on each other.
fn exits(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Break(_) => true,
        Stmt::Return(r) => !r.arg.as_deref().is_some_and(is_error_response),
        Stmt::Block(b) => b.stmts.iter().any(exits),
        Stmt::If(i) => exits(&i.cons) || i.alt.as_deref().is_some_and(exits),
        _ => false,
    }
}

/// `next(err)`, or a response chain with an error status (`res.status(404).json(…)`).
fn is_error_response(e: &Expr) -> bool {
    let Expr::Call(call) = unwrap(e) else { return false };
    let Callee::Expr(callee) = &call.callee else { return false };
    match unwrap(callee) {
        Expr::Ident(i) => i.sym == *"next" && !call.args.is_empty(),
        Expr::Member(m) if prop_name(&m.prop).is_some_and(|p| p == "status" || p == "code") => {
            matches!(call.args.first().map(|a| unwrap(&a.expr)), Some(Expr::Lit(Lit::Num(n))) if n.value >= 400.0)
        }
        Expr::Member(m) => is_error_response(&m.obj),
        _ => false,
    }
}

/// Names assigned (not declared) inside a loop body: carried across iterations.
#[derive(Default)]
struct Assigned(Vec<String>);
impl Visit for Assigned {
    fn visit_assign_expr(&mut self, a: &AssignExpr) {
        if let AssignTarget::Simple(SimpleAssignTarget::Ident(i)) = &a.left {
            self.0.push(i.id.sym.to_string());
        }
        a.visit_children_with(self);
    }
    fn visit_update_expr(&mut self, u: &UpdateExpr) {
        if let Expr::Ident(i) = &*u.arg {
            self.0.push(i.sym.to_string());
        }
    }
    fn visit_function(&mut self, _: &swc_ecma_ast::Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
}

impl<'a> Collector<'a> {
    fn snippet(&self, span: Span) -> &'a str {
        self.parsed.snippet(span)
    }

    /// Records imports, resources, classes and app instances declared at module level before
    /// the walk, so that uses that come earlier in the file than a declaration still resolve.
    fn prescan(&mut self, program: &Program) {
        let items = top_level_statements(program);
        if let Program::Module(m) = program {
            for item in &m.body {
                if let ModuleItem::ModuleDecl(ModuleDecl::Import(import)) = item {
                    let src = import.src.value.to_string_lossy().into_owned();
                    // Importing only types (`import { Request } from 'express'` in a NestJS
                    // controller) does not make the code an app of that framework.
                    let types_only = import.type_only
                        || (!import.specifiers.is_empty()
                            && import.specifiers.iter().all(|s| match s {
                                ImportSpecifier::Named(n) => n.is_type_only || TYPE_NAMES.contains(&&*n.local.sym),
                                _ => false,
                            }));
                    if !types_only {
                        self.note_framework_import(&src);
                    }
                    for s in &import.specifiers {
                        match s {
                            ImportSpecifier::Default(d) => {
                                self.facts.imports.insert(d.local.sym.to_string(), Import::Whole(src.clone()));
                            }
                            ImportSpecifier::Namespace(n) => {
                                self.facts.imports.insert(n.local.sym.to_string(), Import::Whole(src.clone()));
                            }
                            ImportSpecifier::Named(n) => {
                                let imported = match &n.imported {
                                    Some(ModuleExportName::Ident(i)) => i.sym.to_string(),
                                    Some(ModuleExportName::Str(s)) => s.value.to_string_lossy().into_owned(),
                                    None => n.local.sym.to_string(),
                                };
                                self.facts
                                    .imports
                                    .insert(n.local.sym.to_string(), Import::Named(src.clone(), imported));
                            }
                        }
                    }
                }
            }
        }
        let _ = items;
    }

    /// `Glue.compose(manifest, options, (err, server) => { … })` (glue before v5, chaunnt/
    /// TemplateNodeJS_HapiAndMySQL's server.js): the callback's second parameter is a hapi app,
    /// created at the call.
    #[inline(never)]
    fn note_glue_callback(&mut self, call: &CallExpr) {
        let Callee::Expr(callee) = &call.callee else { return };
        let Expr::Member(m) = unwrap(callee) else { return };
        let Expr::Ident(glue) = unwrap(&m.obj) else { return };
        if prop_name(&m.prop).as_deref() != Some("compose")
            || !matches!(self.resource_of(&glue.sym), Some(Resource::Module(g)) if g == "glue" || g == "@hapi/glue")
        {
            return;
        }
        let server = match call.args.last().map(|a| unwrap(&a.expr)) {
            Some(Expr::Arrow(a)) => match a.params.get(1) {
                Some(Pat::Ident(i)) => i.id.sym.to_string(),
                _ => return,
            },
            Some(Expr::Fn(f)) => match f.function.params.get(1).map(|p| &p.pat) {
                Some(Pat::Ident(i)) => i.id.sym.to_string(),
                _ => return,
            },
            _ => return,
        };
        self.facts.apps.push(super::App {
            framework: Framework::Hapi,
            file: self.file,
            span: call.span,
            name: Some(server.clone()),
        });
        if !self.facts.frameworks.contains(&Framework::Hapi) {
            self.facts.frameworks.push(Framework::Hapi);
        }
        self.facts.resources.insert(server, Resource::App(Framework::Hapi));
    }

    fn note_framework_import(&mut self, src: &str) {
        if sockets::is_socket_io_module(src) || src == "@nestjs/websockets" {
            self.facts.socket_io = true;
        }
        if sockets::is_client_module(src) {
            self.facts.socket_client = true;
        }
        let fw = match src {
            "express" => Some(Framework::Express),
            "fastify" => Some(Framework::Fastify),
            "koa" | "@koa/router" | "koa-router" => Some(Framework::Koa),
            "@nestjs/common" | "@nestjs/core" => Some(Framework::NestJs),
            "@hapi/hapi" | "hapi" | "@hapi/glue" | "glue" => Some(Framework::Hapi),
            _ => None,
        };
        if let Some(fw) = fw {
            if !self.facts.frameworks.contains(&fw) {
                self.facts.frameworks.push(fw);
            }
        }
    }

    /// What a name is bound to in this file, following imports of well-known packages.
    fn resource_of(&self, name: &str) -> Option<Resource> {
        if let Some(r) = self.facts.resources.get(name) {
            return Some(r.clone());
        }
        match self.facts.imports.get(name)? {
            Import::Whole(m) => Some(access::module_resource(m)),
            Import::Named(m, n) => Some(Resource::Named(m.clone(), n.clone())),
        }
    }

    /// The resource an initialiser creates: `new PrismaClient()`, `express()`, `knex(cfg)`,
    /// `require('pg')`, `mongoose.model('User', s)`, `db.collection('u')`, `axios.create()`.
    fn resource_of_init(&mut self, init: &Expr) -> Option<Resource> {
        let init = unwrap(init);
        match init {
            Expr::Call(call) => {
                if let Callee::Expr(callee) = &call.callee {
                    if let Expr::Ident(i) = unwrap(callee) {
                        if &*i.sym == "require" {
                            let m = call.args.first().and_then(|a| self.const_string(&a.expr))?;
                            self.note_framework_import(&m);
                            return Some(Resource::Module(m));
                        }
                    }
                }
                let mut segs = Vec::new();
                let Callee::Expr(callee) = &call.callee else {
                    return None;
                };
                // `require('knex')(config)` (gothinkster/koa-knex-realworld-example's db module)
                if let Expr::Call(inner) = unwrap(callee) {
                    let is_require = matches!(&inner.callee, Callee::Expr(c) if matches!(unwrap(c), Expr::Ident(i) if &*i.sym == "require"));
                    if is_require {
                        if let Some(Resource::Module(m)) = self.resource_of_init(&Expr::Call(inner.clone())) {
                            return factory(&m, None);
                        }
                    }
                }
                if !segments(callee, &mut segs) {
                    // `require('knex')(config)`
                    if let Expr::Call(inner) = unwrap(callee) {
                        if let Some(Resource::Module(m)) = self.resource_of_init(&Expr::Call(inner.clone())) {
                            return factory(&m, None);
                        }
                    }
                    return None;
                }
                let root = segs[0].name.clone();
                let root_res = self.resource_of(&root);
                let last = segs.last().map(|s| s.name.as_str()).unwrap_or("");
                match (&root_res, segs.len()) {
                    (Some(Resource::Module(m)), 1) => factory(m, None),
                    (Some(Resource::Module(m)), 2) => factory(m, Some(last)),
                    (Some(Resource::Named(m, n)), 1) => factory(m, Some(n)),
                    (Some(Resource::Db(DbHandle::MongoClient)), _) if last == "db" => {
                        Some(Resource::Db(DbHandle::MongoDb))
                    }
                    (Some(Resource::Db(DbHandle::MongoDb)), _) if last == "collection" => {
                        Some(Resource::Db(DbHandle::MongoCollection))
                    }
                    (Some(Resource::Db(DbHandle::Sequelize)), _) if last == "define" => {
                        Some(Resource::Model(access::Library::Sequelize))
                    }
                    (Some(Resource::Db(DbHandle::Pg)), _) if last == "connect" => Some(Resource::Db(DbHandle::Pg)),
                    (Some(Resource::Db(DbHandle::Mysql2)), _) if last == "getConnection" => {
                        Some(Resource::Db(DbHandle::Mysql2))
                    }
                    (Some(Resource::Http), _) if last == "create" => Some(Resource::Http),
                    (_, _) if last == "getRepository" || last == "getMongoRepository" => {
                        Some(Resource::Db(DbHandle::TypeOrmRepository))
                    }
                    (_, _)
                        if last == "model"
                            && (root == "mongoose"
                                || matches!(&root_res, Some(Resource::Module(m)) if m == "mongoose")) =>
                    {
                        Some(Resource::Model(access::Library::Mongoose))
                    }
                    (_, 1) if root == "express" => Some(Resource::App(Framework::Express)),
                    (_, 1) if root == "fastify" || root == "Fastify" => Some(Resource::App(Framework::Fastify)),
                    (_, 2) if root == "express" && last == "Router" => Some(Resource::Router(Framework::Express)),
                    (_, 1) if root == "Router" => Some(Resource::Router(Framework::Express)),
                    (_, 2) if (root == "Hapi" || root == "hapi") && last == "server" => {
                        Some(Resource::App(Framework::Hapi))
                    }
                    (_, 2) if root == "NestFactory" && last == "create" => Some(Resource::App(Framework::NestJs)),
                    (_, 1) if root == "knex" || root == "Knex" => Some(Resource::Db(DbHandle::Knex)),
                    (_, 1) if root == "createClient" => Some(Resource::Redis),
                    _ => None,
                }
            }
            Expr::New(new) => {
                let mut segs = Vec::new();
                if !segments(&new.callee, &mut segs) {
                    return None;
                }
                let root = segs[0].name.clone();
                let last = segs.last().map(|s| s.name.clone()).unwrap_or_default();
                match self.resource_of(&root) {
                    Some(Resource::Module(m)) if segs.len() == 1 => factory(&m, Some("new")),
                    Some(Resource::Module(m)) => factory(&m, Some(&last)),
                    Some(Resource::Named(m, n)) => factory(&m, Some(&n)),
                    _ => match last.as_str() {
                        "PrismaClient" => Some(Resource::Db(DbHandle::Prisma)),
                        "Sequelize" => Some(Resource::Db(DbHandle::Sequelize)),
                        "MongoClient" => Some(Resource::Db(DbHandle::MongoClient)),
                        "DataSource" => Some(Resource::Db(DbHandle::TypeOrmDataSource)),
                        "DataLoader" => Some(Resource::Loader),
                        "Redis" | "IORedis" => Some(Resource::Redis),
                        "Koa" => Some(Resource::App(Framework::Koa)),
                        "Router" | "KoaRouter" if self.facts.frameworks.contains(&Framework::Koa) => {
                            Some(Resource::Router(Framework::Koa))
                        }
                        "Server" if root == "Hapi" || root == "hapi" => Some(Resource::App(Framework::Hapi)),
                        _ => None,
                    },
                }
            }
            Expr::Ident(i) => self.resource_of(&i.sym),
            Expr::Member(_) => {
                let mut segs = Vec::new();
                if segments(init, &mut segs) && segs.len() == 2 {
                    // `const { Pool } = require('pg')` is handled by destructuring; this is `pg.Pool`.
                    if let Some(Resource::Module(m)) = self.resource_of(&segs[0].name) {
                        return Some(Resource::Named(m, segs[1].name.clone()));
                    }
                }
                None
            }
            _ => None,
        }
    }

    fn new_function(&mut self, span: Span, is_async: bool, params: Vec<String>) -> FunctionId {
        let id = self.facts.functions.len();
        let name = self.pending_name.take().map(|n| match &self.class {
            Some(c) if !n.contains('.') => format!("{c}.{n}"),
            _ => n,
        });
        self.facts.functions.push(Function {
            file: self.file,
            span,
            name,
            parent: self.function,
            per_item: self.pending_iteration.take(),
            is_async,
            params,
        });
        id
    }

    /// Visits a function's body with the function as context. Iterations stay open through
    /// per-item callbacks and are closed off by any other function boundary.
    fn in_function(&mut self, id: FunctionId, body: impl FnOnce(&mut Self)) {
        let saved_fn = self.function.replace(id);
        let per_item = self.facts.functions[id].per_item.is_some();
        let saved_iters = if per_item {
            None
        } else {
            Some((std::mem::take(&mut self.iterations), std::mem::take(&mut self.body_decls)))
        };
        if per_item {
            let it = self.facts.functions[id].per_item.unwrap();
            self.iterations.push(it);
            self.body_decls.push(Vec::new());
        }
        body(self);
        if per_item {
            let it = self.iterations.pop().unwrap();
            let decls = self.body_decls.pop().unwrap_or_default();
            self.facts.iterations[it].item_names.extend(decls);
        }
        if let Some((iters, decls)) = saved_iters {
            self.iterations = iters;
            self.body_decls = decls;
        }
        self.function = saved_fn;
    }

    fn open_iteration(
        &mut self,
        kind: IterationKind,
        span: Span,
        collection: Option<String>,
        item_names: Vec<String>,
    ) -> IterationId {
        let id = self.facts.iterations.len();
        let statement = self.statements.last().copied().unwrap_or(span);
        self.facts.iterations.push(Iteration {
            file: self.file,
            kind,
            span,
            statement,
            collection,
            item_names,
            in_promise_all: false,
            dependent: false,
            throttled: false,
        });
        id
    }

    /// Runs a loop body with the loop open, then decides whether its iterations depend on
    /// each other: the loop's test mentions something the body assigns or awaits, or the
    /// body leaves the loop on an awaited value.
    fn in_loop(&mut self, id: IterationId, test: Option<&Expr>, body: &Stmt) {
        let first_call = self.facts.calls.len();
        self.iterations.push(id);
        self.body_decls.push(Vec::new());
        body.visit_with(self);
        self.iterations.pop();
        let decls = self.body_decls.pop().unwrap_or_default();
        let mut awaited_results: Vec<String> = Vec::new();
        let mut throttled = false;
        for call in &self.facts.calls[first_call..] {
            if call.iterations.last() == Some(&id) && call.awaited {
                if let Some(n) = &call.result_name {
                    awaited_results.push(n.clone());
                }
                if call.kind == CallKind::Delay {
                    throttled = true;
                }
            }
        }
        let mut assigned = Assigned::default();
        body.visit_with(&mut assigned);
        let mut dependent = false;
        if let Some(test) = test {
            let t = mentions(test);
            dependent = t.iter().any(|n| assigned.0.contains(n) || awaited_results.contains(n));
        }
        if !dependent && !awaited_results.is_empty() {
            let mut exits_on = ExitsOn { names: &awaited_results, found: false, depth: 0 };
            body.visit_with(&mut exits_on);
            dependent = exits_on.found;
        }
        let it = &mut self.facts.iterations[id];
        it.dependent |= dependent;
        it.throttled |= throttled;
        it.item_names.extend(decls);
    }

    fn route_framework_from_params(&self, handler: &Option<super::collect::Ref>) -> Option<Framework> {
        let Some(Ref::Function(f)) = handler else {
            return None;
        };
        let params = &self.facts.functions[*f].params;
        match params.first().map(String::as_str) {
            Some("ctx") | Some("context") => Some(Framework::Koa),
            Some("request") if params.get(1).map(String::as_str) == Some("reply") => Some(Framework::Fastify),
            Some("request") | Some("req") if params.get(1).map(String::as_str) == Some("h") => Some(Framework::Hapi),
            _ => None,
        }
    }

    /// The framework a route receiver belongs to, and who owns its routes.
    fn receiver_owner(&self, receiver: &Expr) -> Option<(Option<Framework>, Owner)> {
        let Expr::Ident(i) = unwrap(receiver) else {
            return None;
        };
        let name = i.sym.to_string();
        if let Some(f) = self.function {
            // A plugin/route-module parameter: `async function routes(fastify) { fastify.get(…) }`.
            let mut cur = Some(f);
            while let Some(fid) = cur {
                let func = &self.facts.functions[fid];
                if func.params.first() == Some(&name) {
                    return Some((None, Owner::Param(fid)));
                }
                cur = func.parent;
            }
        }
        let fw = match self.resource_of(&name) {
            Some(Resource::App(fw)) | Some(Resource::Router(fw)) => Some(fw),
            _ => None,
        };
        Some((fw, Owner::Binding(name)))
    }

    /// [`Self::receiver_owner`] of a receiver that is an app, a router or a server by what
    /// it is bound to or by its name (`app`, `apiRouter`, `server`, a plugin's `fastify`).
    fn server_owner(&self, receiver: &Expr) -> Option<(Option<Framework>, Owner)> {
        let (known_fw, owner) = self.receiver_owner(receiver)?;
        let receiver_name = match &owner {
            Owner::Binding(n) => n.to_ascii_lowercase(),
            Owner::Param(f) => self.facts.functions[*f].params[0].to_ascii_lowercase(),
        };
        let looks_like_server = known_fw.is_some()
            || ["app", "server", "router", "fastify", "api", "instance", "routes", "route", "r"]
                .contains(&receiver_name.as_str())
            || receiver_name.ends_with("router")
            || receiver_name.ends_with("app")
            || receiver_name.ends_with("server");
        looks_like_server.then_some((known_fw, owner))
    }

    /// The function recorded at `span` (walked already), as a reference.
    fn function_ref(&self, span: Span) -> Option<Ref> {
        self.facts.functions.iter().rposition(|f| f.span == span).map(Ref::Function)
    }

    fn handler_ref(&self, expr: &Expr) -> Option<Ref> {
        match unwrap(expr) {
            Expr::Ident(i) => Some(
                self.facts
                    .function_names
                    .get(&*i.sym)
                    .map(|&f| Ref::Function(f))
                    .unwrap_or(Ref::Name(i.sym.to_string())),
            ),
            // `this.list`: a method of the enclosing class.
            Expr::Member(m) if matches!(unwrap(&m.obj), Expr::This(_)) => {
                Some(Ref::ThisMethod(self.class.clone()?, prop_name(&m.prop)?))
            }
            Expr::Member(m) => match (unwrap(&m.obj), prop_name(&m.prop)) {
                (Expr::Ident(o), Some(p)) => Some(Ref::Member(o.sym.to_string(), p)),
                // `ctrl.comments.post`: a function in an object of the module's export, the
                // member path joined by dots (resolved by `link` through the literal).
                (Expr::Member(_), Some(p)) => match self.handler_ref(&m.obj)? {
                    Ref::Member(o, path) => Some(Ref::Member(o, format!("{path}.{p}"))),
                    _ => None,
                },
                _ => None,
            },
            Expr::Call(c) => self.call_ref(c),
            _ => None,
        }
    }

    /// Recognises route registrations and mounts on `receiver.method(args)`.
    fn routes_on_call(&mut self, call: &CallExpr, fn_args: &[Option<FunctionId>]) {
        let Callee::Expr(callee) = &call.callee else {
            return;
        };
        let Expr::Member(m) = unwrap(callee) else {
            return;
        };
        if !self.loops.is_empty() && self.loop_route(call, fn_args) {
            return;
        }
        if self.socket_event(call, fn_args) || self.route_template(call, fn_args) {
            return;
        }
        let Some(method) = prop_name(&m.prop) else {
            return;
        };
        let arg = |i: usize| call.args.get(i).map(|a| &*a.expr);
        let arg_ref = |this: &Self, i: usize| -> Option<Ref> {
            match fn_args.get(i).copied().flatten() {
                Some(f) => Some(Ref::Function(f)),
                None => arg(i).and_then(|e| this.handler_ref(e)),
            }
        };

        // `router.route('/p').get(h).post(h2)`
        if HTTP_METHODS.contains(&method.as_str()) {
            if let Expr::Call(inner) = unwrap(&m.obj) {
                if let Some((path, owner_expr)) = route_chain_path(inner) {
                    let owner = self.receiver_owner(owner_expr);
                    let handler = (0..call.args.len()).rev().find_map(|i| arg_ref(self, i));
                    let fw = owner.as_ref().and_then(|o| o.0).or(Some(Framework::Express));
                    self.facts.routes.push(RouteReg {
                        framework: fw,
                        method: method.to_ascii_uppercase(),
                        path,
                        owner: owner.map(|o| o.1),
                        span: call.span,
                        handler,
                    });
                    return;
                }
            }
        }

        let Some((known_fw, owner)) = self.server_owner(&m.obj) else {
            return;
        };
        let receiver_name = match &owner {
            Owner::Binding(n) => n.to_ascii_lowercase(),
            Owner::Param(f) => self.facts.functions[*f].params[0].to_ascii_lowercase(),
        };

        match method.as_str() {
            m if HTTP_METHODS.contains(&m) => {
                let Some(path) = arg(0).and_then(str_lit) else {
                    return;
                };
                // koa-router joins a path without its leading `/` to its prefix
                // (`router.post('documents.list', …)` under `/api`).
                let koa_segment = known_fw == Some(Framework::Koa)
                    && path.chars().all(|c| c.is_ascii_alphanumeric() || "._-:".contains(c));
                if !path.starts_with('/') && !path.is_empty() && path != "*" && !koa_segment {
                    return;
                }
                if call.args.len() < 2 {
                    return;
                }
                let handler = (1..call.args.len()).rev().find_map(|i| arg_ref(self, i));
                let fw = known_fw
                    .or_else(|| self.route_framework_from_params(&handler))
                    .or_else(|| framework_from_name(&receiver_name))
                    .or_else(|| self.facts.frameworks.first().copied());
                let method = if m == "del" { "DELETE".to_string() } else { m.to_ascii_uppercase() };
                self.facts.routes.push(RouteReg {
                    framework: fw,
                    method,
                    path,
                    owner: Some(owner),
                    span: call.span,
                    handler,
                });
            }
            "route" => {
                // Fastify `route({ method, url, handler })`, hapi `route({ method, path, handler })` or arrays.
                let Some(first) = arg(0) else { return };
                let objects = match unwrap(first) {
                    Expr::Object(o) => vec![o],
                    Expr::Array(a) => a
                        .elems
                        .iter()
                        .flatten()
                        .filter_map(|e| if let Expr::Object(o) = unwrap(&e.expr) { Some(o) } else { None })
                        .collect(),
                    // `server.route(routes)`, `server.route(require('./routes'))`: a route table.
                    other => {
                        if let Some(table) = self.looped_table(other).or_else(|| table_ref(other)) {
                            self.facts.table_uses.push((owner, table, known_fw));
                        }
                        return;
                    }
                };
                for obj in objects {
                    let regs = self.route_object(obj, known_fw, Some(&owner), call.span);
                    self.facts.routes.extend(regs);
                }
            }
            "register" if self.autoload(&owner, call) => {}
            "setGlobalPrefix" => {
                if let Some(p) = arg(0).and_then(str_lit) {
                    self.facts.global_prefix = Some(p);
                }
            }
            "register" if self.plugin_mounts(&owner, call) => {}
            "use" | "register" => {
                let (prefix, child_index) = match arg(0).and_then(str_lit) {
                    Some(p) => (p, 1),
                    None => (String::new(), 0),
                };
                let mut prefix = prefix;
                if method == "register" {
                    // `fastify.register(plugin, { prefix: '/api' })`
                    if let Some(Expr::Object(o)) = arg(1).map(unwrap) {
                        if let Some(p) = object_string(o, "prefix") {
                            prefix = p;
                        }
                    }
                }
                for i in child_index..call.args.len() {
                    let child = match fn_args.get(i).copied().flatten() {
                        Some(f) => Some(Ref::Function(f)),
                        None => match arg(i).map(unwrap) {
                            Some(Expr::Ident(id)) => Some(Ref::Name(id.sym.to_string())),
                            // `app.use(router.routes())` (Koa), `app.use('/x', require('./r'))`
                            Some(Expr::Call(c)) => match &c.callee {
                                Callee::Expr(e) => match unwrap(e) {
                                    Expr::Member(mm) => match unwrap(&mm.obj) {
                                        Expr::Ident(id) => Some(Ref::Name(id.sym.to_string())),
                                        _ => None,
                                    },
                                    Expr::Ident(id) if &*id.sym == "require" => c
                                        .args
                                        .first()
                                        .and_then(|a| str_lit(&a.expr))
                                        .map(|s| Ref::Name(format!("require:{s}"))),
                                    // `app.use('/api', makeRouter(db))`, `require('./admin')(db)`:
                                    // the router it returns.
                                    Expr::Ident(_) | Expr::Call(_) => self.call_ref(c),
                                    _ => None,
                                },
                                _ => None,
                            },
                            _ => None,
                        },
                    };
                    if let Some(child) = child {
                        self.facts.mounts.push(Mount { parent: owner.clone(), child, prefix: prefix.clone() });
                    }
                }
            }
            _ => {}
        }
    }

    /// The routes of one route object (`{ method, path, handler }`, Fastify's `url`, hapi's
    /// `options`/`config` holding the handler, inline or as a reference to an exported
    /// config object: `config: Users.find`), registered at `span`.
    fn route_object(
        &self,
        obj: &ObjectLit,
        known_fw: Option<Framework>,
        owner: Option<&Owner>,
        span: Span,
    ) -> Vec<RouteReg> {
        // `url: \`${basePath}/users/me\``: a template of names bound to strings counts too.
        let text = |key: &str| object_value(obj, key).and_then(|v| self.const_string(v));
        let path = text("url").or_else(|| text("path"));
        let Some(path) = path else { return Vec::new() };
        let fw = Some(known_fw.unwrap_or(if object_string(obj, "url").is_some() {
            Framework::Fastify
        } else {
            Framework::Hapi
        }));
        let methods: Vec<String> = match object_value(obj, "method").map(unwrap) {
            Some(Expr::Array(a)) => a.elems.iter().flatten().filter_map(|e| str_lit(&e.expr)).collect(),
            Some(e) => str_lit(e).into_iter().collect(),
            None => vec!["GET".into()],
        };
        let handler = self.config_handler(obj).or_else(|| {
            match object_value(obj, "options").or_else(|| object_value(obj, "config")).map(unwrap) {
                Some(Expr::Object(o)) => self.config_handler(o),
                // `config: AppUserRole.find`: an exported route config, resolved by `link`.
                Some(e @ (Expr::Member(_) | Expr::Ident(_))) => self.handler_ref(e),
                _ => None,
            }
        });
        methods
            .into_iter()
            .map(|m| RouteReg {
                framework: fw,
                method: if m == "*" { "ALL".to_string() } else { m.to_ascii_uppercase() },
                path: path.clone(),
                owner: owner.cloned(),
                span,
                handler: handler.clone(),
            })
            .collect()
    }

    /// The `handler` of a route object or route config: a function written there (found
    /// by span: it was recorded during the walk), or a reference.
    fn config_handler(&self, obj: &ObjectLit) -> Option<Ref> {
        obj.props.iter().find_map(|p| {
            let PropOrSpread::Prop(p) = p else { return None };
            match &**p {
                Prop::KeyValue(kv) if key_name(&kv.key).as_deref() == Some("handler") => {
                    let span = unwrap(&kv.value).span();
                    self.facts
                        .functions
                        .iter()
                        .position(|f| f.span == span)
                        .map(Ref::Function)
                        .or_else(|| self.handler_ref(&kv.value))
                }
                Prop::Method(m) if key_name(&m.key).as_deref() == Some("handler") => {
                    self.facts.functions.iter().position(|f| f.span == m.function.span).map(Ref::Function)
                }
                _ => None,
            }
        })
    }

    /// `fastify.register(fastifyAutoload, { dir: path.join(import.meta.dirname, 'routes') })`:
    /// every file under that directory is a plugin registered with its folder as prefix.
    fn autoload(&mut self, owner: &Owner, call: &CallExpr) -> bool {
        let Some(Expr::Ident(plugin)) = call.args.first().map(|a| unwrap(&a.expr)) else { return false };
        let is_autoload = matches!(self.facts.imports.get(&*plugin.sym),
            Some(Import::Whole(m)) if m == "@fastify/autoload" || m == "fastify-autoload");
        if !is_autoload {
            return false;
        }
        let Some(Expr::Object(opts)) = call.args.get(1).map(|a| unwrap(&a.expr)) else { return true };
        // `path.join(__dirname, 'routes')`, `join(import.meta.dirname, 'routes', 'api')`
        let dir = match object_value(opts, "dir").map(unwrap) {
            Some(Expr::Call(c)) => {
                let parts: Vec<String> = c.args.iter().skip(1).filter_map(|a| str_lit(&a.expr)).collect();
                if parts.len() + 1 != c.args.len() {
                    return true;
                }
                parts.join("/")
            }
            _ => return true,
        };
        let prefix = match object_value(opts, "options").map(unwrap) {
            Some(Expr::Object(o)) => object_string(o, "prefix").unwrap_or_default(),
            _ => String::new(),
        };
        self.facts.autoloads.push((owner.clone(), dir, prefix));
        true
    }

    /// A string literal, or a template literal whose expressions are names bound to string
    /// literals in this file.
    fn const_string(&self, e: &Expr) -> Option<String> {
        if let Some(s) = str_lit(e) {
            return Some(s);
        }
        let Expr::Tpl(t) = unwrap(e) else { return None };
        let mut out = String::new();
        for (i, q) in t.quasis.iter().enumerate() {
            out.push_str(&q.raw);
            if let Some(e) = t.exprs.get(i) {
                let Expr::Ident(id) = unwrap(e) else { return None };
                out.push_str(self.facts.strings.get(&*id.sym)?);
            }
        }
        Some(out)
    }

    /// `Router().use(tags).use('/api', api)` (Express): a router made and mounted into in one
    /// expression, as a binding `name` (the variable, or a synthetic one for an export).
    /// Returns whether `init` was such a chain.
    fn router_chain(&mut self, name: &str, init: &Expr) -> bool {
        let mut links: Vec<&CallExpr> = Vec::new();
        let mut cur = unwrap(init);
        while let Expr::Call(c) = cur {
            let Callee::Expr(callee) = &c.callee else { break };
            match unwrap(callee) {
                Expr::Member(m) if prop_name(&m.prop).as_deref() == Some("use") => {
                    links.push(c);
                    cur = unwrap(&m.obj);
                }
                _ => break,
            }
        }
        if links.is_empty() {
            return false;
        }
        let Some(Resource::Router(fw)) = self.resource_of_init(cur) else { return false };
        self.facts.resources.insert(name.to_string(), Resource::Router(fw));
        for c in links.into_iter().rev() {
            let (prefix, first) = match c.args.first().and_then(|a| str_lit(&a.expr)) {
                Some(p) => (p, 1),
                None => (String::new(), 0),
            };
            for a in &c.args[first..] {
                if let Some(child) = table_ref(&a.expr) {
                    let parent = Owner::Binding(name.to_string());
                    self.facts.mounts.push(Mount { parent, child, prefix: prefix.clone() });
                }
            }
        }
        true
    }

    /// `Response(req, h, 'find')` where `Response` was made from module `Manager`: a call to
    /// `Manager.find` (hapi templates dispatch every route this way, `manager[method](req)`).
    fn dispatched(&self, name: &str, call: &CallExpr) -> Option<CallTarget> {
        let module = self.facts.dispatchers.get(name)?;
        let method = call.args.iter().find_map(|a| str_lit(&a.expr))?;
        Some(CallTarget::Member(module.clone(), method))
    }

    /// `const Response = require('./response').setup(Manager)`: a function made from a
    /// project module imported whole, recorded as a dispatcher over that module.
    fn note_dispatcher(&mut self, name: &str, init: &Expr) {
        let Expr::Call(c) = unwrap(init) else { return };
        let module = c.args.iter().find_map(|a| match unwrap(&a.expr) {
            Expr::Ident(i) => match self.facts.imports.get(&*i.sym) {
                Some(Import::Whole(spec)) if spec.starts_with('.') => Some(i.sym.to_string()),
                _ => None,
            },
            _ => None,
        });
        if let Some(module) = module {
            self.facts.dispatchers.insert(name.to_string(), module);
        }
    }

    /// `routes = routes.concat(require('./users/routes'), more)`: joins tables into `routes`.
    fn table_concat(&mut self, name: &str, right: &Expr) {
        let Expr::Call(c) = unwrap(right) else { return };
        let Callee::Expr(callee) = &c.callee else { return };
        let Expr::Member(m) = unwrap(callee) else { return };
        let same = matches!(unwrap(&m.obj), Expr::Ident(o) if &*o.sym == name);
        if !same || prop_name(&m.prop).as_deref() != Some("concat") || !self.facts.route_tables.contains_key(name) {
            return;
        }
        let mut added = RouteTable::default();
        for a in &c.args {
            match unwrap(&a.expr) {
                Expr::Array(arr) => match self.route_table(arr) {
                    Some(t) => {
                        added.entries.extend(t.entries);
                        added.includes.extend(t.includes);
                    }
                    None => return,
                },
                other => match table_ref(other) {
                    Some(r) => added.includes.push(r),
                    None => return,
                },
            }
        }
        if let Some(table) = self.facts.route_tables.get_mut(name) {
            table.entries.extend(added.entries);
            table.includes.extend(added.includes);
        }
    }

    /// An array literal of route objects (and spreads of other tables) as a route table;
    /// `None` when an element is anything else.
    fn route_table(&self, arr: &ArrayLit) -> Option<RouteTable> {
        let mut table = RouteTable::default();
        for e in arr.elems.iter().flatten() {
            match (&e.spread, unwrap(&e.expr)) {
                (None, Expr::Object(o)) => {
                    if object_value(o, "path").is_none() && object_value(o, "url").is_none() {
                        return None;
                    }
                    table.entries.extend(self.route_object(o, None, None, o.span));
                }
                (Some(_), other) => table.includes.push(table_ref(other)?),
                _ => return None,
            }
        }
        Some(table)
    }

    /// Classifies a call and records it. Returns the call site's index.
    fn record_call(&mut self, call: &CallExpr) -> Option<usize> {
        let mut segs = Vec::new();
        if !call_segments(call, &mut segs) {
            return None;
        }
        let root = segs[0].name.clone();
        let root_resource = if root == "this" {
            segs.get(1).and_then(|field| {
                let class = self.class.as_ref()?;
                self.facts.classes.get(class)?.field_resources.get(&field.name).cloned()
            })
        } else {
            self.resource_of(&root)
        };
        // `this.field` roots count as a chain rooted at the field.
        let (chain, root_resource) = match (root.as_str(), &root_resource) {
            ("this", Some(_)) => (&segs[1..], root_resource.clone()),
            // `this.find(…)` in a Mongoose static: `this` is the model.
            ("this", None) if self.in_statics => (&segs[..], Some(Resource::Model(access::Library::Mongoose))),
            _ => (&segs[..], root_resource.clone()),
        };
        let text = self.snippet(call.span);
        let first_arg = self.first_arg_text(call);
        let kind = access::classify(chain, root_resource.as_ref(), text, &first_arg);
        let kind = if kind == CallKind::Other { self.lazy_load(&segs, call).unwrap_or(kind) } else { kind };
        let target = if kind == CallKind::Other {
            let called: Vec<&Segment> = segs.iter().filter(|s| s.called).collect();
            if called.len() == 1 && segs.last().is_some_and(|s| s.called) {
                match segs.len() {
                    1 => match self.dispatched(&root, call) {
                        Some(target) => Some(target),
                        None => Some(CallTarget::Name(root.clone())),
                    },
                    2 if root == "this" => Some(CallTarget::ThisMethod(self.class.clone(), segs[1].name.clone())),
                    2 => Some(CallTarget::Member(root.clone(), segs[1].name.clone())),
                    3 if root == "this" => {
                        Some(CallTarget::ThisField(self.class.clone(), segs[1].name.clone(), segs[2].name.clone()))
                    }
                    // `queries.link.find(…)`: a method of a module's exported object.
                    n if n >= 3 && root != "this" && segs.iter().all(|s| s.name != "[]") => {
                        let path: Vec<&str> = segs[1..].iter().map(|s| s.name.as_str()).collect();
                        Some(CallTarget::Member(root.clone(), path.join(".")))
                    }
                    _ => None,
                }
            } else {
                None
            }
        } else if matches!(kind, CallKind::Query(_))
            && segs.len() >= 2
            && segs[1].called
            && root != "this"
            && !root_resource.as_ref().is_some_and(|r| {
                r.is_client() || matches!(r, Resource::Module(m) | Resource::Named(m, _) if !m.starts_with('.'))
            })
        {
            // A query recognised by its shape only (`UsersResourceAccess.findById(id)`): when
            // the receiver turns out to be a project module whose method the code defines,
            // `link` makes it a call of that method.
            Some(CallTarget::Member(root.clone(), segs[1].name.clone()))
        } else {
            None
        };
        // Rules ask which names a call uses only to tell whether it depends on the current
        // item of an iteration; elsewhere the walk over its arguments (a whole handler, for
        // `app.get(…)`) would be wasted.
        let mut m = Vec::new();
        if !self.iterations.is_empty() {
            m = mentions(&call.args);
            if let Callee::Expr(c) = &call.callee {
                for n in mentions(&**c) {
                    if !m.contains(&n) {
                        m.push(n);
                    }
                }
            }
        }
        let awaited = self.awaited.contains(&call.span);
        // A Knex builder runs only when it is awaited, returned or `then`ed (a statement
        // `DB(t).where(k, id).then((rows) => resolve(rows))` runs: chaunnt's data layer): a statement that
        // adds a clause and drops the value (`query.andWhere(key, value);` per filter entry,
        // kutt's data layer) builds the one query that runs later, it runs nothing itself.
        let kind = match kind {
            CallKind::Query(q)
                if q.library == super::Library::Knex
                    && !awaited
                    && self.discarded.contains(&key(call.span))
                    && ![".then(", ".catch(", ".finally(", ".asCallback(", ".stream(", ".pipe("]
                        .iter()
                        .any(|run| text.contains(run)) =>
            {
                CallKind::Other
            }
            kind => kind,
        };
        self.facts.calls.push(CallSite {
            file: self.file,
            span: call.span,
            function: self.function,
            iterations: self.iterations.clone(),
            awaited,
            kind,
            result_name: None,
            mentions: m,
            target,
            callees: Vec::new(),
            data_access: false,
        });
        Some(self.facts.calls.len() - 1)
    }

    fn declare(&mut self, names: &[String]) {
        if let Some(decls) = self.body_decls.last_mut() {
            decls.extend(names.iter().cloned());
        }
    }
}

/// `router.routes()` / `router.middleware()`: the router's name.
fn router_middleware(c: &CallExpr) -> Option<String> {
    let Callee::Expr(callee) = &c.callee else { return None };
    let Expr::Member(m) = unwrap(callee) else { return None };
    let name = prop_name(&m.prop)?;
    match (unwrap(&m.obj), name.as_str()) {
        (Expr::Ident(i), "routes" | "middleware") if c.args.is_empty() => Some(i.sym.to_string()),
        _ => None,
    }
}

/// A route table named by an expression: `routes`, `require('./routes')`.
fn table_ref(e: &Expr) -> Option<Ref> {
    match unwrap(e) {
        Expr::Ident(i) => Some(Ref::Name(i.sym.to_string())),
        Expr::Call(c) => match &c.callee {
            Callee::Expr(callee) if matches!(unwrap(callee), Expr::Ident(i) if &*i.sym == "require") => {
                c.args.first().and_then(|a| str_lit(&a.expr)).map(|s| Ref::Name(format!("require:{s}")))
            }
            _ => None,
        },
        _ => None,
    }
}

fn framework_from_name(receiver: &str) -> Option<Framework> {
    match receiver {
        "fastify" | "instance" => Some(Framework::Fastify),
        "server" => None,
        _ => None,
    }
}

/// `router.route('/p')` (possibly chained: `.get(h).post(h2)`): its path and receiver.
fn route_chain_path(call: &CallExpr) -> Option<(String, &Expr)> {
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let Expr::Member(m) = unwrap(callee) else {
        return None;
    };
    let name = prop_name(&m.prop)?;
    if name == "route" {
        let path = call.args.first().and_then(|a| str_lit(&a.expr))?;
        if let Expr::Ident(_) = unwrap(&m.obj) {
            return Some((path, &m.obj));
        }
        return None;
    }
    if HTTP_METHODS.contains(&name.as_str()) {
        if let Expr::Call(inner) = unwrap(&m.obj) {
            return route_chain_path(inner);
        }
    }
    None
}

/// What calling (or `new`-ing) an export of package `pkg` creates.
fn factory(pkg: &str, member: Option<&str>) -> Option<Resource> {
    use DbHandle::*;
    let r = match (pkg, member) {
        ("express", None | Some("new")) => Resource::App(Framework::Express),
        ("express", Some("Router")) => Resource::Router(Framework::Express),
        ("fastify", _) => Resource::App(Framework::Fastify),
        ("koa", _) => Resource::App(Framework::Koa),
        ("@koa/router" | "koa-router", _) => Resource::Router(Framework::Koa),
        ("@hapi/hapi" | "hapi", Some("server" | "Server")) => Resource::App(Framework::Hapi),
        // `const server = await Glue.compose(manifest, options)`: a hapi server built from a manifest.
        ("@hapi/glue" | "glue", Some("compose")) => Resource::App(Framework::Hapi),
        ("@nestjs/core", Some("create")) => Resource::App(Framework::NestJs),
        ("@prisma/client", _) => Resource::Db(Prisma),
        ("knex", _) => Resource::Db(Knex),
        // postgres.js: `const sql = postgres(url)`, queries are tagged templates of `sql`.
        ("postgres", None) => Resource::Db(Pg),
        ("pg", Some("Pool" | "Client" | "new")) => Resource::Db(Pg),
        ("mysql2" | "mysql2/promise" | "mysql", Some("createPool" | "createConnection" | "createPoolCluster")) => {
            Resource::Db(Mysql2)
        }
        ("sequelize", Some("Sequelize" | "new")) => Resource::Db(Sequelize),
        ("mongodb", Some("MongoClient" | "connect")) => Resource::Db(MongoClient),
        ("mongoose", Some("model")) => Resource::Model(access::Library::Mongoose),
        ("typeorm", Some("DataSource" | "createConnection")) => Resource::Db(TypeOrmDataSource),
        ("typeorm", Some("getRepository" | "getMongoRepository")) => Resource::Db(TypeOrmRepository),
        ("ioredis", _) => Resource::Redis,
        ("redis", Some("createClient")) => Resource::Redis,
        ("axios", Some("create")) => Resource::Http,
        ("got", Some("extend")) => Resource::Http,
        ("dataloader", _) => Resource::Loader,
        _ => return None,
    };
    Some(r)
}

impl Visit for Collector<'_> {
    fn visit_import_decl(&mut self, _: &ImportDecl) {}

    fn visit_stmt(&mut self, s: &Stmt) {
        self.statements.push(s.span());
        s.visit_children_with(self);
        self.statements.pop();
    }

    fn visit_var_declarator(&mut self, d: &VarDeclarator) {
        let mut names = Vec::new();
        pat_names(&d.name, &mut names);
        self.declare(&names);
        let Some(init) = &d.init else { return };
        match &d.name {
            Pat::Ident(id) => {
                let name = id.id.sym.to_string();
                if self.function.is_none() && exports_object(init) {
                    self.exports_aliases.insert(name.clone());
                }
                if let Expr::New(n) = unwrap(init) {
                    let options = n.args.as_ref().and_then(|a| a.first()).map(|a| unwrap(&a.expr));
                    if let Some(Expr::Object(o)) = options {
                        if let Some(prefix) = object_string(o, "prefix") {
                            self.facts.router_prefixes.insert(name.clone(), prefix);
                        }
                    }
                }
                if let Some(r) = self.resource_of_init(init) {
                    // `const server = app` names the same app again; only a creation is an app.
                    let alias = matches!(unwrap(init), Expr::Ident(_));
                    if let (Resource::App(fw), false) = (&r, alias) {
                        self.facts.apps.push(super::App {
                            framework: *fw,
                            file: self.file,
                            span: d.span,
                            name: Some(name.clone()),
                        });
                        if !self.facts.frameworks.contains(fw) {
                            self.facts.frameworks.push(*fw);
                        }
                    }
                    if let Resource::Module(m) = &r {
                        self.facts.imports.insert(name.clone(), Import::Whole(m.clone()));
                    } else {
                        self.facts.resources.insert(name.clone(), r);
                    }
                } else if let Expr::Ident(alias) = unwrap(init) {
                    self.facts.aliases.insert(name.clone(), alias.sym.to_string());
                } else if let Expr::New(n) = unwrap(init) {
                    if let Expr::Ident(class) = unwrap(&n.callee) {
                        self.facts.aliases.insert(name.clone(), format!("new:{}", class.sym));
                    }
                }
                if matches!(unwrap(init), Expr::Arrow(_) | Expr::Fn(_)) {
                    self.pending_name = Some(name.clone());
                }
                if let Expr::Call(c) = unwrap(init) {
                    // `const h = asyncHandler(async (req, res) => …)`
                    if c.args.iter().any(|a| matches!(unwrap(&a.expr), Expr::Arrow(_) | Expr::Fn(_))) {
                        self.pending_name = Some(name.clone());
                    }
                }
                let before = self.facts.calls.len();
                let fn_before = self.facts.functions.len();
                init.visit_with(self);
                self.pending_name = None;
                if let Expr::Arrow(_) | Expr::Fn(_) = unwrap(init) {
                    if fn_before < self.facts.functions.len() {
                        self.facts.function_names.insert(name.clone(), fn_before);
                    }
                } else if let Expr::Call(c) = unwrap(init) {
                    if fn_before < self.facts.functions.len()
                        && c.args.iter().any(|a| matches!(unwrap(&a.expr), Expr::Arrow(_) | Expr::Fn(_)))
                    {
                        self.facts.function_names.entry(name.clone()).or_insert(fn_before);
                    }
                }
                self.note_dispatcher(&name, init);
                self.note_socket_namespace(&name, init);
                self.note_call_result(&name, init);
                self.table_through_call(&name, init);
                self.router_chain(&name, init);
                if let Some(text) = str_lit(init) {
                    self.facts.strings.insert(name.clone(), text);
                }
                self.note_sql_text(&name, init);
                if let Expr::Array(arr) = unwrap(init) {
                    if let Some(table) = self.route_table(arr) {
                        self.facts.route_tables.insert(name.clone(), table);
                    }
                }
                if let Some(entries) = self.literal_entries(init) {
                    self.facts.literals.insert(name.clone(), entries);
                }
                if let Some((model, _)) = self.mongoose_model(init) {
                    self.facts.model_names.insert(name.clone(), model);
                }
                // `const users = { list() {…} }`: the object's methods.
                if let Expr::Object(o) = unwrap(init) {
                    let refs = self.object_refs(o, fn_before);
                    self.facts.objects.entry(name.clone()).or_default().extend(refs);
                }
                self.bind_result(before, init, Some(name));
            }
            Pat::Object(o) => {
                // `const { Pool } = require('pg')`, `const { User, Post } = require('./models')`
                let source = match unwrap(init) {
                    Expr::Call(c) => match &c.callee {
                        Callee::Expr(e) if matches!(unwrap(e), Expr::Ident(i) if &*i.sym == "require") => {
                            c.args.first().and_then(|a| str_lit(&a.expr))
                        }
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(src) = source {
                    self.note_framework_import(&src);
                    for p in &o.props {
                        match p {
                            ObjectPatProp::Assign(a) => {
                                self.facts
                                    .imports
                                    .insert(a.key.sym.to_string(), Import::Named(src.clone(), a.key.sym.to_string()));
                            }
                            ObjectPatProp::KeyValue(kv) => {
                                if let (Some(k), Pat::Ident(v)) = (key_name(&kv.key), &*kv.value) {
                                    self.facts.imports.insert(v.id.sym.to_string(), Import::Named(src.clone(), k));
                                }
                            }
                            _ => {}
                        }
                    }
                } else {
                    let before = self.facts.calls.len();
                    init.visit_with(self);
                    self.bind_result(before, init, names.first().cloned());
                }
            }
            _ => {
                let before = self.facts.calls.len();
                init.visit_with(self);
                self.bind_result(before, init, names.first().cloned());
            }
        }
    }

    fn visit_expr_stmt(&mut self, s: &ExprStmt) {
        if let Expr::Call(c) = unwrap(&s.expr) {
            self.discarded.insert(key(c.span));
        }
        s.visit_children_with(self);
    }

    fn visit_assign_expr(&mut self, a: &AssignExpr) {
        // `module.exports = …`, `exports.name = …`
        if let AssignTarget::Simple(SimpleAssignTarget::Member(m)) = &a.left {
            let mut segs = Vec::new();
            if segments(&Expr::Member(m.clone()), &mut segs) {
                let names: Vec<&str> = segs.iter().map(|s| s.name.as_str()).collect();
                // `Categories.setWatchState = async (req, res) => …` with `const Categories =
                // module.exports`: an export, and also a method of the local name, for the
                // file's own calls.
                let alias_method = match names.as_slice() {
                    [alias, n] if self.exports_aliases.contains(*alias) => Some((alias.to_string(), n.to_string())),
                    _ => None,
                };
                let export_name = match names.as_slice() {
                    ["module", "exports"] => Some("default".to_string()),
                    ["module", "exports", n] | ["exports", n] => Some(n.to_string()),
                    _ => alias_method.as_ref().map(|(_, n)| n.clone()),
                };
                if let Some(export_name) = export_name {
                    // `module.exports.autoPrefix = '/api'` (@fastify/autoload)
                    if let Some(text) = str_lit(&a.right) {
                        self.facts.strings.insert(format!("export:{export_name}"), text);
                    }
                    let fn_before = self.facts.functions.len();
                    if matches!(unwrap(&a.right), Expr::Arrow(_) | Expr::Fn(_)) {
                        self.pending_name = Some(export_name.clone());
                    }
                    a.right.visit_with(self);
                    self.pending_name = None;
                    if export_name == "default" {
                        if let Some(entries) = self.literal_entries(&a.right) {
                            self.facts.literals.insert("module.exports".into(), entries);
                        }
                        if let Some((model, _)) = self.mongoose_model(&a.right) {
                            self.facts.model_names.insert("module.exports".into(), model);
                        }
                    }
                    if let Some(export) = self.instance_export(&export_name, &a.right) {
                        self.facts.exports.insert(export_name, export);
                        return;
                    }
                    if let Some((alias, method)) = &alias_method {
                        if matches!(unwrap(&a.right), Expr::Arrow(_) | Expr::Fn(_)) && fn_before < self.facts.functions.len() {
                            self.facts.objects.entry(alias.clone()).or_default().insert(method.clone(), Ref::Function(fn_before));
                        }
                    }
                    let export = match unwrap(&a.right) {
                        Expr::Arrow(_) | Expr::Fn(_) if fn_before < self.facts.functions.len() => {
                            Export::Function(fn_before)
                        }
                        Expr::Ident(i) => Export::Local(i.sym.to_string()),
                        Expr::Object(o) => Export::Object(self.object_refs(o, fn_before)),
                        Expr::Call(c) if wraps_function(c) && fn_before < self.facts.functions.len() => {
                            Export::Function(fn_before)
                        }
                        // `module.exports = Router().use('/api', api)`
                        Expr::Call(_)
                            if export_name == "default" && self.router_chain("module.exports:router", &a.right) =>
                        {
                            Export::Local("module.exports:router".into())
                        }
                        // `module.exports = router.routes()` (koa-router): the router itself.
                        Expr::Call(c) if router_middleware(c).is_some() => {
                            Export::Local(router_middleware(c).unwrap_or_default())
                        }
                        // `module.exports = [{ method, path, handler }, …]`
                        Expr::Array(arr) if export_name == "default" => {
                            if let Some(table) = self.route_table(arr) {
                                self.facts.route_tables.insert("module.exports".into(), table);
                            }
                            return;
                        }
                        // `module.exports = require('knex')(config)`, `exports.pool = new Pool()`
                        right => match self.client_export(&export_name, right) {
                            Some(export) => export,
                            // `module.exports = makeController(db)`
                            // `module.exports = createRoutes(routes)`
                            None if export_name == "default" && self.table_through_call("module.exports", right) => {
                                return
                            }
                            None => match self.call_export(&export_name, right) {
                                Some(export) => export,
                                None => return,
                            },
                        },
                    };
                    self.facts.exports.insert(export_name, export);
                    return;
                }
            }
        }
        // `User.count = function (fn) {…}`: a method of the local `User`.
        let method_of = match (&a.left, unwrap(&a.right)) {
            (AssignTarget::Simple(SimpleAssignTarget::Member(m)), Expr::Arrow(_) | Expr::Fn(_)) => {
                match (unwrap(&m.obj), prop_name(&m.prop)) {
                    (Expr::Ident(o), Some(p)) => Some((o.sym.to_string(), p)),
                    _ => None,
                }
            }
            _ => None,
        };
        let fn_before = self.facts.functions.len();
        let before = self.facts.calls.len();
        let in_statics = self.in_statics;
        self.in_statics |= mongoose::defines_statics(a);
        a.visit_children_with(self);
        self.in_statics = in_statics;
        if let Some((object, method)) = method_of {
            if fn_before < self.facts.functions.len() {
                self.facts.objects.entry(object).or_default().insert(method, Ref::Function(fn_before));
            }
        }
        self.note_statics(a);
        if let AssignTarget::Simple(SimpleAssignTarget::Ident(i)) = &a.left {
            self.table_concat(&i.id.sym, &a.right);
            self.bind_result(before, &a.right, Some(i.id.sym.to_string()));
        }
    }

    fn visit_export_decl(&mut self, e: &ExportDecl) {
        match &e.decl {
            Decl::Fn(f) => {
                self.facts.exports.insert(f.ident.sym.to_string(), Export::Local(f.ident.sym.to_string()));
            }
            Decl::Var(v) => {
                for d in &v.decls {
                    let mut names = Vec::new();
                    pat_names(&d.name, &mut names);
                    for n in names {
                        self.facts.exports.insert(n.clone(), Export::Local(n));
                    }
                }
            }
            Decl::Class(c) => {
                self.facts.exports.insert(c.ident.sym.to_string(), Export::Local(c.ident.sym.to_string()));
            }
            _ => {}
        }
        e.visit_children_with(self);
    }

    fn visit_export_default_decl(&mut self, e: &ExportDefaultDecl) {
        let fn_before = self.facts.functions.len();
        match &e.decl {
            DefaultDecl::Fn(f) => {
                self.pending_name =
                    Some(f.ident.as_ref().map(|i| i.sym.to_string()).unwrap_or_else(|| "default".into()));
                if let Some(i) = &f.ident {
                    self.facts.function_names.insert(i.sym.to_string(), fn_before);
                }
            }
            DefaultDecl::Class(c) => {
                if let Some(i) = &c.ident {
                    self.facts.exports.insert("default".into(), Export::Local(i.sym.to_string()));
                }
            }
            _ => {}
        }
        e.visit_children_with(self);
        if let DefaultDecl::Fn(_) = &e.decl {
            self.facts.exports.insert("default".into(), Export::Function(fn_before));
        }
    }

    fn visit_export_default_expr(&mut self, e: &ExportDefaultExpr) {
        let fn_before = self.facts.functions.len();
        e.visit_children_with(self);
        if let Some(entries) = self.literal_entries(&e.expr) {
            self.facts.literals.insert("module.exports".into(), entries);
        }
        if let Some(export) = self.instance_export("default", &e.expr) {
            self.facts.exports.insert("default".into(), export);
            return;
        }
        let export = match unwrap(&e.expr) {
            Expr::Arrow(_) | Expr::Fn(_) if fn_before < self.facts.functions.len() => Export::Function(fn_before),
            Expr::Ident(i) => Export::Local(i.sym.to_string()),
            Expr::Object(o) => Export::Object(self.object_refs(o, fn_before)),
            // `export default Router().use('/api', api)`
            Expr::Call(_) if self.router_chain("export:default:router", &e.expr) => {
                Export::Local("export:default:router".into())
            }
            // `export default fp(async function plugin(fastify) {…})`
            Expr::Call(c) if wraps_function(c) && fn_before < self.facts.functions.len() => Export::Function(fn_before),
            // `export default knex(config)`
            other => match self.client_export("default", other) {
                Some(export) => export,
                // `export default withAuth(handler)`
                None => match self.call_export("default", other) {
                    Some(export) => export,
                    None => return,
                },
            },
        };
        self.facts.exports.insert("default".into(), export);
    }

    fn visit_named_export(&mut self, e: &NamedExport) {
        if e.src.is_some() {
            return;
        }
        for s in &e.specifiers {
            if let ExportSpecifier::Named(n) = s {
                let local = match &n.orig {
                    ModuleExportName::Ident(i) => i.sym.to_string(),
                    ModuleExportName::Str(s) => s.value.to_string_lossy().into_owned(),
                };
                let exported = match &n.exported {
                    Some(ModuleExportName::Ident(i)) => i.sym.to_string(),
                    Some(ModuleExportName::Str(s)) => s.value.to_string_lossy().into_owned(),
                    None => local.clone(),
                };
                self.facts.exports.insert(exported, Export::Local(local));
            }
        }
    }

    fn visit_fn_decl(&mut self, f: &FnDecl) {
        self.pending_name = Some(f.ident.sym.to_string());
        let id = self.facts.functions.len();
        self.facts.function_names.insert(f.ident.sym.to_string(), id);
        f.function.visit_with(self);
    }

    /// `return async function list(req, res) {…}`: a function expression is named by its own
    /// name when nothing binds it to another.
    fn visit_fn_expr(&mut self, f: &FnExpr) {
        if self.pending_name.is_none() {
            self.pending_name = f.ident.as_ref().map(|i| i.sym.to_string());
        }
        f.function.visit_with(self);
    }

    fn visit_function(&mut self, f: &swc_ecma_ast::Function) {
        let mut params = Vec::new();
        for p in &f.params {
            pat_names(&p.pat, &mut params);
        }
        let co = std::mem::take(&mut self.pending_co) && f.is_generator;
        let id = self.new_function(f.span, f.is_async || co, params);
        if co {
            self.co_functions.insert(id);
        }
        self.nest_decorated_routes(f, id);
        self.in_function(id, |this| {
            f.params.visit_with(this);
            f.body.visit_with(this);
        });
    }

    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        let mut params = Vec::new();
        for p in &a.params {
            pat_names(p, &mut params);
        }
        let id = self.new_function(a.span, a.is_async, params);
        self.in_function(id, |this| {
            a.body.visit_with(this);
        });
        // `() => async (req, res) => …`, `(db) => ({ list… })`: what the arrow returns.
        if let ArrowFunctionBody::Expr(e) = &*a.body {
            self.note_return(id, e, id + 1);
        }
    }

    fn visit_return_stmt(&mut self, r: &ReturnStmt) {
        let fn_before = self.facts.functions.len();
        r.visit_children_with(self);
        if let (Some(f), Some(arg)) = (self.function, &r.arg) {
            self.note_return(f, arg, fn_before);
        }
    }

    fn visit_class_decl(&mut self, c: &ClassDecl) {
        let saved = self.class.replace(c.ident.sym.to_string());
        let super_class = match c.class.super_class.as_deref().map(unwrap) {
            Some(Expr::Ident(i)) => Some(i.sym.to_string()),
            _ => None,
        };
        self.facts.classes.entry(c.ident.sym.to_string()).or_default().super_class = super_class;
        self.class_fields(&c.class);
        self.note_association_props(&c.class);
        let prefix = controller_prefix(&c.class.decorators);
        if prefix.is_some() && !self.facts.frameworks.contains(&Framework::NestJs) {
            self.facts.frameworks.push(Framework::NestJs);
        }
        for member in &c.class.body {
            match member {
                ClassMember::Method(m) => {
                    let Some(name) = key_name(&m.key) else {
                        m.visit_with(self);
                        continue;
                    };
                    let fid = self.facts.functions.len();
                    self.pending_name = Some(name.clone());
                    m.function.visit_with(self);
                    self.facts.classes.entry(c.ident.sym.to_string()).or_default().methods.insert(name, fid);
                    self.gateway_event(&c.class, m, fid);
                    self.note_job_method(m, fid);
                    if let Some(prefix) = &prefix {
                        for d in &m.function.decorators {
                            if let Some((method, sub)) = nest_route(d) {
                                let path = normalize_path(&format!("/{prefix}/{sub}"));
                                self.facts.routes.push(RouteReg {
                                    framework: Some(Framework::NestJs),
                                    method,
                                    path,
                                    owner: None,
                                    span: m.span,
                                    handler: Some(Ref::Function(fid)),
                                });
                            }
                        }
                    }
                }
                ClassMember::ClassProp(p) => {
                    if let (Some(name), Some(value)) = (key_name(&p.key), &p.value) {
                        let fid = self.facts.functions.len();
                        if matches!(unwrap(value), Expr::Arrow(_) | Expr::Fn(_)) {
                            self.pending_name = Some(name.clone());
                            value.visit_with(self);
                            self.facts.classes.entry(c.ident.sym.to_string()).or_default().methods.insert(name, fid);
                        } else {
                            if let Some(r) = self.resource_of_init(value) {
                                self.facts
                                    .classes
                                    .entry(c.ident.sym.to_string())
                                    .or_default()
                                    .field_resources
                                    .insert(name, r);
                            }
                            value.visit_with(self);
                        }
                    }
                }
                other => other.visit_with(self),
            }
        }
        self.class = saved;
    }

    fn visit_constructor(&mut self, c: &Constructor) {
        let id = self.new_function(c.span, false, Vec::new());
        self.in_function(id, |this| {
            c.body.visit_with(this);
        });
    }

    fn visit_method_prop(&mut self, m: &MethodProp) {
        self.pending_name = key_name(&m.key);
        m.function.visit_with(self);
    }

    fn visit_key_value_prop(&mut self, kv: &KeyValueProp) {
        if matches!(unwrap(&kv.value), Expr::Arrow(_) | Expr::Fn(_)) {
            self.pending_name = key_name(&kv.key);
        }
        kv.value.visit_with(self);
        self.pending_name = None;
    }

    fn visit_yield_expr(&mut self, y: &YieldExpr) {
        match &y.arg {
            Some(arg) if !y.delegate && self.in_coroutine() => {
                self.awaited.push(unwrap(arg).span());
                arg.visit_with(self);
                self.awaited.pop();
            }
            _ => y.arg.visit_with(self),
        }
    }

    fn visit_tagged_tpl(&mut self, t: &TaggedTpl) {
        self.record_tagged(t);
        t.visit_children_with(self);
    }

    fn visit_await_expr(&mut self, a: &AwaitExpr) {
        self.note_lazy_property(a);
        self.awaited.push(unwrap(&a.arg).span());
        a.arg.visit_with(self);
        self.awaited.pop();
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        // This frame recurses once per link of a call chain (`p.then(f).then(g)…`): it stays
        // small, and the work happens in helpers that are not inlined into it.
        self.note_glue_callback(call);
        self.note_socket_connection(call);
        let iteration = self.enter_call(call);
        let calls_before = self.facts.calls.len();
        call.callee.visit_with(self);
        let fn_args = self.visit_call_args(call, iteration);
        self.leave_call(call, iteration, calls_before, &fn_args);
    }

    fn visit_for_of_stmt(&mut self, s: &ForOfStmt) {
        s.right.visit_with(self);
        let mut names = Vec::new();
        if let ForHead::VarDecl(v) = &s.left {
            v.decls.iter().for_each(|d| pat_names(&d.name, &mut names));
        } else if let ForHead::Pat(p) = &s.left {
            pat_names(p, &mut names);
        }
        let kind = if s.is_await { IterationKind::ForAwait } else { IterationKind::Loop("for…of") };
        let collection = Some(self.snippet(s.right.span()).to_string());
        let id = self.open_iteration(kind, s.span, collection, names);
        let bind = self.for_of_bind(s);
        let bound = bind.is_some();
        self.loops.extend(bind);
        self.in_loop(id, None, &s.body);
        if bound {
            self.loops.pop();
        }
    }

    fn visit_for_in_stmt(&mut self, s: &ForInStmt) {
        s.right.visit_with(self);
        let mut names = Vec::new();
        if let ForHead::VarDecl(v) = &s.left {
            v.decls.iter().for_each(|d| pat_names(&d.name, &mut names));
        }
        let collection = Some(self.snippet(s.right.span()).to_string());
        let id = self.open_iteration(IterationKind::Loop("for…in"), s.span, collection, names);
        self.in_loop(id, None, &s.body);
    }

    fn visit_for_stmt(&mut self, s: &ForStmt) {
        s.init.visit_with(self);
        let mut names = Vec::new();
        if let Some(VarDeclOrExpr::VarDecl(v)) = &s.init {
            v.decls.iter().for_each(|d| pat_names(&d.name, &mut names));
        }
        // `i < items.length`: the collection is what the counter runs over.
        let collection = s.test.as_deref().and_then(|t| match unwrap(t) {
            Expr::Bin(b) => match unwrap(&b.right) {
                Expr::Member(m) if prop_name(&m.prop).as_deref() == Some("length") => {
                    Some(self.snippet(m.obj.span()).to_string())
                }
                _ => None,
            },
            _ => None,
        });
        let id = self.open_iteration(IterationKind::Loop("for"), s.span, collection, names);
        // The counter's own update is not a dependency between iterations.
        let counter_only = s.test.as_deref().map(mentions).unwrap_or_default();
        let test = if counter_only.iter().all(|n| {
            self.facts.iterations[id].item_names.contains(n)
                || self.snippet(s.test.as_ref().unwrap().span()).contains(&format!("{n}.length"))
                || n == "length"
        }) {
            None
        } else {
            s.test.as_deref()
        };
        self.in_loop(id, test, &s.body);
        s.test.visit_with(self);
        s.update.visit_with(self);
    }

    fn visit_while_stmt(&mut self, s: &WhileStmt) {
        s.test.visit_with(self);
        let id = self.open_iteration(IterationKind::Loop("while"), s.span, None, Vec::new());
        self.in_loop(id, Some(&s.test), &s.body);
    }

    fn visit_do_while_stmt(&mut self, s: &DoWhileStmt) {
        let id = self.open_iteration(IterationKind::Loop("do…while"), s.span, None, Vec::new());
        self.in_loop(id, Some(&s.test), &s.body);
        s.test.visit_with(self);
    }
}

impl Collector<'_> {
    /// An export whose value is a client made inline (`module.exports = knex(config)`):
    /// bound to a name of its own so that importers reach the client.
    fn client_export(&mut self, export_name: &str, value: &Expr) -> Option<Export> {
        let r = self.resource_of_init(value).filter(Resource::is_client)?;
        let local = format!("export:{export_name}:client");
        self.facts.resources.insert(local.clone(), r);
        Some(Export::Local(local))
    }

    /// `new Food()` of a class declared in this file, exported: its members are the class's
    /// methods (`export default new Food()` with `router.get('/menu', Food.getMenu)`).
    fn instance_export(&mut self, export_name: &str, value: &Expr) -> Option<Export> {
        let Expr::New(n) = unwrap(value) else { return None };
        let Expr::Ident(class) = unwrap(&n.callee) else { return None };
        if !self.facts.classes.contains_key(&*class.sym) {
            return None;
        }
        let local = format!("export:{export_name}:instance");
        self.facts.aliases.insert(local.clone(), format!("new:{}", class.sym));
        Some(Export::Local(local))
    }

    fn object_refs(&self, o: &ObjectLit, fn_before: FunctionId) -> HashMap<String, Ref> {
        let mut refs = HashMap::new();
        let mut fn_index = fn_before;
        for p in &o.props {
            let PropOrSpread::Prop(p) = p else { continue };
            match &**p {
                Prop::Shorthand(i) => {
                    let r = self
                        .facts
                        .function_names
                        .get(&*i.sym)
                        .map(|&f| Ref::Function(f))
                        .unwrap_or(Ref::Name(i.sym.to_string()));
                    refs.insert(i.sym.to_string(), r);
                }
                Prop::KeyValue(kv) => {
                    if let Some(k) = key_name(&kv.key) {
                        let r = match unwrap(&kv.value) {
                            Expr::Arrow(a) => self.facts.functions[fn_index..]
                                .iter()
                                .position(|f| f.span == a.span)
                                .map(|i| Ref::Function(fn_index + i)),
                            Expr::Fn(f) => self.facts.functions[fn_index..]
                                .iter()
                                .position(|x| x.span == f.function.span)
                                .map(|i| Ref::Function(fn_index + i)),
                            // `find: { validate: …, handler: function (req, h) {…} }`: a hapi
                            // route config, referred to as `config: Module.find`.
                            Expr::Object(o) => self.config_handler(o),
                            other => self.handler_ref(other),
                        };
                        if let Some(r) = r {
                            refs.insert(k, r);
                        }
                    }
                }
                Prop::Method(m) => {
                    if let Some(k) = key_name(&m.key) {
                        if let Some(i) = self.facts.functions[fn_index..].iter().position(|f| f.span == m.function.span)
                        {
                            refs.insert(k, Ref::Function(fn_index + i));
                            fn_index += i;
                        }
                    }
                }
                _ => {}
            }
        }
        refs
    }

    /// Class fields from constructor parameters: `constructor(private readonly usersService:
    /// UsersService, @InjectRepository(User) private repo: Repository<User>)`.
    fn class_fields(&mut self, class: &Class) {
        let Some(name) = self.class.clone() else {
            return;
        };
        for member in &class.body {
            let ClassMember::Constructor(c) = member else {
                continue;
            };
            for p in &c.params {
                let ParamOrTsParamProp::TsParamProp(tp) = p else {
                    continue;
                };
                let TsParamPropParam::Ident(id) = &tp.param else {
                    continue;
                };
                let field = id.id.sym.to_string();
                let ty = id.type_ann.as_ref().map(|t| self.snippet(t.type_ann.span()).to_string()).unwrap_or_default();
                let decorators: Vec<&str> = tp.decorators.iter().map(|d| self.snippet(d.span)).collect();
                let info = self.facts.classes.entry(name.clone()).or_default();
                let base = ty.split('<').next().unwrap_or("").trim().to_string();
                let resource = if ty.starts_with("Repository<")
                    || ty.starts_with("MongoRepository<")
                    || decorators.iter().any(|d| d.contains("InjectRepository"))
                {
                    Some(Resource::Db(DbHandle::TypeOrmRepository))
                } else if ty.starts_with("Model<") || decorators.iter().any(|d| d.contains("InjectModel")) {
                    Some(Resource::Model(access::Library::Mongoose))
                } else if base == "PrismaService" || base == "PrismaClient" {
                    Some(Resource::Db(DbHandle::Prisma))
                } else if base == "DataSource" || base == "EntityManager" {
                    Some(Resource::Db(DbHandle::TypeOrmDataSource))
                } else if base == "Redis" || decorators.iter().any(|d| d.contains("InjectRedis")) {
                    Some(Resource::Redis)
                } else if base == "HttpService" {
                    Some(Resource::Http)
                } else {
                    None
                };
                if let Some(r) = resource {
                    info.field_resources.insert(field.clone(), r);
                }
                if !base.is_empty() {
                    info.field_types.insert(field, base);
                }
            }
        }
    }

    fn nest_decorated_routes(&mut self, _f: &swc_ecma_ast::Function, _id: FunctionId) {}
}

/// `fp(async function (fastify) {…})`, `asyncHandler((req, res) => …)`: a call whose first
/// argument is a function it wraps.
fn wraps_function(c: &CallExpr) -> bool {
    c.args.first().is_some_and(|a| matches!(unwrap(&a.expr), Expr::Arrow(_) | Expr::Fn(_)))
}

/// `@Controller('users')` / `@Controller({ path: 'users' })` / `@Controller()`.
fn controller_prefix(decorators: &[Decorator]) -> Option<String> {
    decorators.iter().find_map(|d| {
        let Expr::Call(c) = unwrap(&d.expr) else {
            return None;
        };
        let Callee::Expr(e) = &c.callee else {
            return None;
        };
        let Expr::Ident(i) = unwrap(e) else {
            return None;
        };
        if &*i.sym != "Controller" {
            return None;
        }
        Some(match c.args.first().map(|a| unwrap(&a.expr)) {
            Some(Expr::Object(o)) => object_string(o, "path").unwrap_or_default(),
            Some(e) => str_lit(e).unwrap_or_default(),
            None => String::new(),
        })
    })
}

/// `@Get(':id')` → ("GET", ":id").
fn nest_route(d: &Decorator) -> Option<(String, String)> {
    let Expr::Call(c) = unwrap(&d.expr) else {
        return None;
    };
    let Callee::Expr(e) = &c.callee else {
        return None;
    };
    let Expr::Ident(i) = unwrap(e) else {
        return None;
    };
    let method = match &*i.sym {
        "Get" => "GET",
        "Post" => "POST",
        "Put" => "PUT",
        "Patch" => "PATCH",
        "Delete" => "DELETE",
        "Options" => "OPTIONS",
        "Head" => "HEAD",
        "All" => "ALL",
        _ => return None,
    };
    let path = c.args.first().and_then(|a| str_lit(&a.expr)).unwrap_or_default();
    Some((method.to_string(), path))
}

impl Collector<'_> {
    /// Before a call's children are visited: opens a per-item iteration for `items.map(cb)`,
    /// notes `Promise.all` arguments, records the call (the outermost link of a chain only).
    #[inline(never)]
    fn enter_call(&mut self, call: &CallExpr) -> Option<IterationId> {
        let callee_expr = match &call.callee {
            Callee::Expr(e) => Some(&**e),
            _ => None,
        };
        let mut iteration: Option<IterationId> = None;
        if let Some(Expr::Member(m)) = callee_expr.map(unwrap) {
            let method = prop_name(&m.prop).unwrap_or_default();
            if iteration_method(&method) {
                if let Some(first) = call.args.first() {
                    if let Expr::Arrow(_) | Expr::Fn(_) = unwrap(&first.expr) {
                        let collection = self.snippet(m.obj.span()).to_string();
                        let is_string_like = matches!(unwrap(&m.obj), Expr::Lit(_) | Expr::Tpl(_));
                        if !is_string_like {
                            let id = self.open_iteration(
                                IterationKind::Callback(method.clone()),
                                call.span,
                                Some(collection),
                                Vec::new(),
                            );
                            iteration = Some(id);
                        }
                    }
                }
            }
            if let (Expr::Ident(o), true) = (unwrap(&m.obj), PROMISE_COMBINATORS.contains(&method.as_str())) {
                if &*o.sym == "Promise" {
                    for a in &call.args {
                        if let Expr::Call(inner) = unwrap(&a.expr) {
                            self.promise_all_spans.insert(key(inner.span));
                        }
                    }
                }
            }
        }
        if let Some(id) = iteration {
            if self.promise_all_spans.contains(&key(call.span)) {
                self.facts.iterations[id].in_promise_all = true;
            }
        }
        if !self.chain_inner.contains(&key(call.span)) {
            self.record_call(call);
        }
        // Mark the inner links of this chain so they are not recorded as separate calls.
        if let Some(callee) = callee_expr {
            let mut e = unwrap(callee);
            loop {
                match e {
                    Expr::Member(m) => e = unwrap(&m.obj),
                    Expr::Call(c) => {
                        self.chain_inner.insert(key(c.span));
                        match &c.callee {
                            Callee::Expr(inner) => e = unwrap(inner),
                            _ => break,
                        }
                    }
                    _ => break,
                }
            }
        }
        iteration
    }

    /// Visits the arguments; returns, per argument, the function it defines inline (handlers,
    /// plugins, per-item callbacks).
    #[inline(never)]
    fn visit_call_args(&mut self, call: &CallExpr, iteration: Option<IterationId>) -> Vec<Option<FunctionId>> {
        let mut fn_args: Vec<Option<FunctionId>> = Vec::with_capacity(call.args.len());
        let bind = self.callback_bind(call);
        let coroutines = self.runs_coroutines(call);
        let statics = mongoose::is_static_call(call);
        for (i, a) in call.args.iter().enumerate() {
            let bound = i == 0 && bind.is_some();
            if bound {
                self.loops.extend(bind.clone());
            }
            let before = self.facts.functions.len();
            if i == 0 {
                if let Some(id) = iteration {
                    if matches!(unwrap(&a.expr), Expr::Arrow(_) | Expr::Fn(_)) {
                        self.pending_iteration = Some(id);
                        let mut names = Vec::new();
                        match unwrap(&a.expr) {
                            Expr::Arrow(ar) => ar.params.iter().for_each(|p| pat_names(p, &mut names)),
                            Expr::Fn(f) => f.function.params.iter().for_each(|p| pat_names(&p.pat, &mut names)),
                            _ => {}
                        }
                        self.facts.iterations[id].item_names.extend(names);
                    }
                }
            }
            self.pending_co = coroutines && matches!(unwrap(&a.expr), Expr::Fn(f) if f.function.is_generator);
            let in_statics = self.in_statics;
            self.in_statics |= i == 1 && statics;
            a.visit_with(self);
            self.in_statics = in_statics;
            self.pending_co = false;
            if bound {
                self.loops.pop();
            }
            self.pending_iteration = None;
            let direct = matches!(unwrap(&a.expr), Expr::Arrow(_) | Expr::Fn(_));
            fn_args.push(if direct && before < self.facts.functions.len() { Some(before) } else { None });
        }
        fn_args
    }

    /// After the children: routes and mounts this call registers, throttling of its
    /// per-item callback.
    #[inline(never)]
    fn leave_call(
        &mut self,
        call: &CallExpr,
        iteration: Option<IterationId>,
        calls_before: usize,
        fn_args: &[Option<FunctionId>],
    ) {
        let callee_expr = match &call.callee {
            Callee::Expr(e) => Some(&**e),
            _ => None,
        };
        self.routes_on_call(call, fn_args);
        self.note_job(call, fn_args);
        self.note_helper_call(call, fn_args);
        self.note_model_call(call, fn_args);
        self.note_association_call(call);
        if let Some(id) = iteration {
            // A callback that awaits a delay per item is throttling on purpose.
            let throttled = self.facts.calls[calls_before..]
                .iter()
                .any(|c| c.iterations.last() == Some(&id) && c.awaited && c.kind == CallKind::Delay);
            self.facts.iterations[id].throttled |= throttled;
        }
        // `require('./routes')(app)`: a route module called with the app.
        if let Some(Expr::Call(inner)) = callee_expr.map(unwrap) {
            if let Callee::Expr(e) = &inner.callee {
                if matches!(unwrap(e), Expr::Ident(i) if &*i.sym == "require") {
                    if let (Some(src), Some(first)) =
                        (inner.args.first().and_then(|a| str_lit(&a.expr)), call.args.first())
                    {
                        if let Some((_, owner)) = self.receiver_owner(&first.expr) {
                            self.facts.mounts.push(Mount {
                                parent: owner,
                                child: Ref::Name(format!("require:{src}")),
                                prefix: String::new(),
                            });
                        }
                    }
                }
            }
        }
        // `registerRoutes(app)`: a local or imported function that takes the app.
        if let Some(Expr::Ident(f)) = callee_expr.map(unwrap) {
            if let Some(first) = call.args.first() {
                if let Expr::Ident(arg) = unwrap(&first.expr) {
                    if matches!(self.resource_of(&arg.sym), Some(Resource::App(_)) | Some(Resource::Router(_))) {
                        if let Some((_, owner)) = self.receiver_owner(&first.expr) {
                            self.facts.mounts.push(Mount {
                                parent: owner,
                                child: Ref::Name(f.sym.to_string()),
                                prefix: String::new(),
                            });
                        }
                    }
                }
            }
        }
    }
}
