//! The program model: what every rule stands on.
//!
//! Built in two passes over all parsed files (see ARCHITECTURE.md):
//! 1. [`collect`] walks each file once and records *facts*: functions (with their lexical
//!    parent and whether they run once per item of a collection), iterations (loops and
//!    per-item callbacks), call sites (classified by what they reach: database, cache, HTTP,
//!    file system, CPU, batch loader, or a user function by name), apps, route registrations,
//!    router mounts, bindings, imports and exports.
//! 2. [`link`] resolves names across files: imports to exports, handler references to
//!    functions, calls to the functions they reach, router/plugin mounts to path prefixes;
//!    then computes, for every function, the routes whose request path reaches it.
//!
//! The model is deliberately approximate where JavaScript is dynamic: bindings are tracked
//! per file by name (not per scope), and an unknown receiver is classified by the shape of
//! its call (`User.findAll()`, `prisma.post.findMany()`). Each approximation is documented at
//! the place that makes it.

mod access;
mod app_facts;
mod browser;
mod collect;
pub mod coverage;
mod graphql;
mod link;
pub(crate) use link::module_file;
pub mod cache_keys;
pub mod index;
mod once;
mod roles;
mod sql;
pub mod route_work;
pub(crate) mod values;

pub use access::{CallKind, Library, Query};
pub use app_facts::{AppFacts, ImportForm, ModuleCache, ModuleImport, RegisteredArg, Registration};
pub(crate) use collect::lazy::association_key;
pub use collect::lazy::Association;
pub use roles::FileRole;
pub use sql::has_limit as sql_has_limit;

use crate::analysis::Endpoint;
use crate::parse::Parsed;
use swc_common::Span;

pub type FileId = usize;
pub type FunctionId = usize;
pub type IterationId = usize;
pub type CallId = usize;
pub type RouteId = usize;

/// A web framework whose apps and routes backlens recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Framework {
    Express,
    Fastify,
    Koa,
    NestJs,
    Hapi,
    /// A GraphQL resolver map (Apollo Server, graphql-yoga, mercurius, TypeGraphQL).
    GraphQl,
    /// socket.io event handlers (`socket.on('chat:message', handler)`): endpoints `EVENT name`.
    SocketIo,
    /// Next.js route handlers (`app/**/route.ts`), API routes (`pages/api/**`) and server actions.
    NextJs,
}

impl Framework {
    pub fn as_str(self) -> &'static str {
        match self {
            Framework::Express => "express",
            Framework::Fastify => "fastify",
            Framework::Koa => "koa",
            Framework::NestJs => "nestjs",
            Framework::Hapi => "hapi",
            Framework::GraphQl => "graphql",
            Framework::SocketIo => "socket.io",
            Framework::NextJs => "nextjs",
        }
    }
}

/// A function-like: declaration, expression, arrow, method or constructor.
#[derive(Clone, Debug)]
pub struct Function {
    pub file: FileId,
    pub span: Span,
    /// `getUsers`, or `UsersController.findAll` for methods.
    pub name: Option<String>,
    /// The lexically enclosing function.
    pub parent: Option<FunctionId>,
    /// Set when the function is a callback run once per item (`items.map(cb)`).
    pub per_item: Option<IterationId>,
    pub is_async: bool,
    /// Names bound by the parameters (destructuring flattened).
    pub params: Vec<String>,
}

/// How an iteration runs its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IterationKind {
    /// `for`, `for…of`, `for…in`, `while`, `do…while`.
    Loop(&'static str),
    /// `for await (… of …)`: consumes a stream or cursor.
    ForAwait,
    /// A GraphQL field resolver (`Post.author`), run once per parent object in the response.
    FieldResolver(String),
    /// A callback of `.map`, `.forEach`, `.filter`, `.reduce`, … .
    Callback(String),
}

/// A loop or per-item callback.
#[derive(Clone, Debug)]
pub struct Iteration {
    pub file: FileId,
    pub kind: IterationKind,
    /// The loop statement, or the iterating call (`users.map(…)`).
    pub span: Span,
    /// The whole statement the iteration is part of (for a loop, the loop itself).
    pub statement: Span,
    /// Source text of the iterated collection (`users`, `req.body.items`), when known.
    pub collection: Option<String>,
    /// Names that hold the current item in each iteration: the `for…of` binding, the
    /// callback's parameters, the `for` counter, variables declared in a `while` body.
    pub item_names: Vec<String>,
    /// The iterating callback's result goes straight into `Promise.all`/`allSettled`.
    pub in_promise_all: bool,
    /// Each iteration depends on the previous one's awaited result (pagination by cursor,
    /// polling until done, queue draining, retries): the loop cannot be batched.
    pub dependent: bool,
    /// The loop awaits a deliberate delay (`sleep`, `setTimeout`): throttling.
    pub throttled: bool,
}

/// One call expression (for a chain such as `knex('t').where(…).first()`, the whole chain).
#[derive(Clone, Debug)]
pub struct CallSite {
    pub file: FileId,
    pub span: Span,
    /// The enclosing function; `None` at module level.
    pub function: Option<FunctionId>,
    /// Enclosing iterations, outermost first, through per-item callbacks.
    pub iterations: Vec<IterationId>,
    pub awaited: bool,
    pub kind: CallKind,
    /// The variable the (awaited) result is assigned to, if any.
    pub result_name: Option<String>,
    /// Identifiers mentioned in the call's arguments and receiver (recorded inside
    /// iterations only: empty elsewhere).
    pub mentions: Vec<String>,
    /// A call to user code by name, resolved by [`link`].
    pub target: Option<collect::CallTarget>,
    /// The user functions this call reaches (filled by [`link`]).
    pub callees: Vec<FunctionId>,
    /// The call looks like a query by its shape (`UsersResourceAccess.findById(id)`) and is a
    /// method of a project module: a data-access helper, whose queries are what it reaches
    /// (set by [`link`]).
    pub data_access: bool,
}

/// An app or server instance: `express()`, `Fastify()`, `new Koa()`, `Hapi.server()`,
/// `NestFactory.create()`.
#[derive(Clone, Debug)]
pub struct App {
    pub framework: Framework,
    pub file: FileId,
    pub span: Span,
    pub name: Option<String>,
}

/// A route: method + full path + handler.
#[derive(Clone, Debug)]
pub struct Route {
    pub framework: Framework,
    pub method: String,
    /// The full path, with the prefixes of the routers/plugins/controllers it is mounted under.
    pub path: String,
    pub file: FileId,
    /// The registration (`app.get(…)`, the decorated method).
    pub span: Span,
    pub handler: Option<FunctionId>,
}

impl Route {
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// An endpoint that is not an HTTP route: a GraphQL operation, a socket.io event, a
    /// Next.js server action (its "path" is a name, not a URL path).
    pub fn is_named_operation(&self) -> bool {
        is_named_operation(&self.method)
    }
}

/// The "methods" of endpoints whose path is a name: GraphQL operations (`QUERY posts`),
/// socket.io events (`EVENT chat:message`), Next.js server actions (`ACTION createPost`).
pub const NAMED_OPERATIONS: &[&str] = &["QUERY", "MUTATION", "SUBSCRIPTION", "EVENT", "ACTION"];

pub fn is_named_operation(method: &str) -> bool {
    NAMED_OPERATIONS.iter().any(|m| m.eq_ignore_ascii_case(method))
}

/// All files as one program.
pub struct Program<'a> {
    pub files: &'a [Parsed],
    pub functions: Vec<Function>,
    pub iterations: Vec<Iteration>,
    pub calls: Vec<CallSite>,
    pub apps: Vec<App>,
    pub routes: Vec<Route>,
    /// For each function, the routes on whose request path it runs (sorted).
    pub reached_by: Vec<Vec<RouteId>>,
    /// Per function: run by a background job (`model::jobs`: a scheduler's or a queue's
    /// callback, or what one calls).
    pub background: Vec<bool>,
    /// Job registrations resolved to a function.
    pub job_roots: usize,
    /// Frameworks imported or used, in order of first appearance.
    pub framework_order: Vec<Framework>,
    /// The ORM associations the program declares (Sequelize `hasMany`/`belongsTo`/…,
    /// sequelize-typescript decorators): lazy-loading accessors must name one.
    pub associations: Vec<Association>,
    /// What each file is to the backend (tests, browser assets and browser code are not
    /// reported on).
    pub roles: Vec<FileRole>,
    /// The files whose findings are not reported, each with why: a test, a browser asset,
    /// browser code (`browser code: in the front end \`app/\``).
    pub skipped: Vec<(FileId, String)>,
    /// What each file's names hold and how big they can get, parameters included
    /// ([`values`]): read by the algorithm rules.
    pub(crate) values: Vec<values::Bindings>,
    /// Imports per file, middleware registrations, module-level caches ([`app_facts`]).
    pub app_facts: AppFacts,
    /// Files that run once (migrations, seeds, scripts, set-up wizards) and dev-only blocks
    /// ([`once`]): not request paths.
    pub once: once::Once,
}

impl<'a> Program<'a> {
    /// Builds the model of all parsed files (files with errors contribute nothing).
    pub fn build(files: &'a [Parsed]) -> Program<'a> {
        match Program::build_observed(files, &mut |_| std::ops::ControlFlow::Continue(())) {
            Ok(program) => program,
            Err(stopped) => unreachable!("an observer that never stops stopped: {stopped}"),
        }
    }

    /// [`Program::build`], telling `observe` each file and phase before it runs
    /// ([`crate::progress`]).
    pub fn build_observed(
        files: &'a [Parsed],
        observe: &mut crate::progress::Observer<'_>,
    ) -> Result<Program<'a>, crate::progress::Stopped> {
        use crate::progress::{file, step, whole, Phase};
        let (roles, skipped) = roles::roles(files);
        // Per-file collection is independent per file: on all cores in the CLI
        // ([`crate::par`]), in the files' order.
        let mut facts: Vec<collect::FileFacts> = crate::par::try_map(
            files,
            observe,
            |id, f| file(Phase::Collect, &f.path, id, files.len()),
            |id, f| collect::collect(id, f),
        )?;
        // Files that import a client from a project module (`const { DB } =
        // require('../config/database')`) are walked again knowing it, so that their calls
        // are classified by the client's library.
        for (id, imported) in link::imported_clients(files, &facts).into_iter().enumerate() {
            if !imported.is_empty() {
                step(observe, file(Phase::Recollect, &files[id].path, id, files.len()))?;
                facts[id] = collect::collect_with(id, &files[id], imported);
            }
        }
        // A test's apps, routes and mounts are throw-away servers, not the program's.
        for (f, role) in facts.iter_mut().zip(&roles) {
            if *role != FileRole::Source {
                f.apps.clear();
                f.routes.clear();
                f.mounts.clear();
                f.loop_routes.clear();
                f.loop_mounts.clear();
                f.table_uses.clear();
                f.autoloads.clear();
                f.helper_calls.clear();
            }
        }
        step(observe, whole(Phase::Link))?;
        let mut program = link::link(files, facts);
        program.roles = roles;
        program.skipped = skipped;
        // GraphQL operations are endpoints; field resolvers run once per parent.
        step(observe, whole(Phase::Graphql))?;
        graphql::add(&mut program);
        step(observe, whole(Phase::Values))?;
        program.values = values::values(&program);
        step(observe, whole(Phase::AppFacts))?;
        program.app_facts = app_facts::build(files);
        program.once = once::Once::of(files);
        Ok(program)
    }

    /// The apps that serve requests: not those made in code that runs once (a set-up wizard's
    /// or an installer's server, `model::once`), which the app-level rules leave alone.
    pub fn serving_apps(&self) -> impl Iterator<Item = &App> + '_ {
        self.apps.iter().filter(|a| !self.once.file_once(a.file))
    }

    /// The paths of the files whose findings are not reported: tests, browser assets and
    /// browser code.
    pub fn unreported(&self) -> std::collections::HashSet<&'a str> {
        self.files
            .iter()
            .zip(&self.roles)
            .filter(|(_, r)| **r != FileRole::Source)
            .map(|(f, _)| f.path.as_str())
            .collect()
    }

    pub fn file(&self, id: FileId) -> &'a Parsed {
        &self.files[id]
    }

    /// The innermost function containing `span` in `file`.
    pub fn innermost_function(&self, file: FileId, span: Span) -> Option<FunctionId> {
        self.functions
            .iter()
            .enumerate()
            .filter(|(_, f)| f.file == file && f.span.lo <= span.lo && span.hi <= f.span.hi)
            .min_by_key(|(_, f)| f.span.hi.0 - f.span.lo.0)
            .map(|(i, _)| i)
    }

    /// The routes whose request path reaches `function`.
    pub fn routes_reaching(&self, function: Option<FunctionId>) -> &[RouteId] {
        function.map(|f| self.reached_by[f].as_slice()).unwrap_or(&[])
    }

    /// Endpoints, in file order.
    /// The call sites of each function (those directly in its body), and the functions
    /// lexically nested in each — the indexes of a walk down a function's calls.
    pub fn calls_and_children(
        &self,
    ) -> (std::collections::HashMap<FunctionId, Vec<CallId>>, std::collections::HashMap<FunctionId, Vec<FunctionId>>)
    {
        let mut calls_by_function: std::collections::HashMap<FunctionId, Vec<CallId>> = Default::default();
        for (id, c) in self.calls.iter().enumerate() {
            if let Some(f) = c.function {
                calls_by_function.entry(f).or_default().push(id);
            }
        }
        let mut children: std::collections::HashMap<FunctionId, Vec<FunctionId>> = Default::default();
        for (id, f) in self.functions.iter().enumerate() {
            if let Some(p) = f.parent {
                children.entry(p).or_default().push(id);
            }
        }
        (calls_by_function, children)
    }

    pub fn endpoints(&self) -> Vec<Endpoint> {
        self.routes
            .iter()
            .map(|r| {
                let file = self.file(r.file);
                Endpoint {
                    method: r.method.clone(),
                    path: r.path.clone(),
                    file: file.path.clone(),
                    line: file.position(r.span.lo).0,
                    framework: r.framework.as_str().into(),
                    trace: None,
                }
            })
            .collect()
    }

    pub fn frameworks(&self) -> Vec<String> {
        self.framework_order.iter().map(|f| f.as_str().to_string()).collect()
    }

    /// The iterations around a call, innermost first.
    pub fn iterations_of<'s>(&'s self, call: &'s CallSite) -> impl Iterator<Item = &'s Iteration> + 's {
        call.iterations.iter().rev().map(|&i| &self.iterations[i])
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_discovery;
