//! The structure of a request path, read from the program model and the handlers' syntax:
//! what [`super::trace`] prices.
//!
//! The model says what each call reaches (`access.rs`: a query, a cache or HTTP call, the
//! file system, CPU-bound library code, or user code resolved across files by `link.rs`) and
//! how big each iteration's collection is; the syntax around the calls says how they run:
//!
//! - statements one after another run in sequence (their awaits add up);
//! - `Promise.all([a(), b()])` (also `allSettled`, `race`, `any`) runs its elements together,
//!   and so do calls started without `await` whose promises are kept in names
//!   (`const p = a(); const q = b(); await p;`);
//! - a loop, or a per-item callback (`items.map(cb)`), repeats its body once per item of its
//!   collection, together when the callback's results go to `Promise.all`;
//! - `if (…) { …; return }` is an early exit: the trace follows the path that goes on (the
//!   request's normal path) — unless the test reads a cache value fetched just before, where
//!   the exit is the cache hit and both paths are kept as alternatives;
//! - other branches (`if/else`, `switch`, `a ? b : c`) are alternatives: the costlier counts;
//! - a call to user code is replaced by what that function does (any file), once per call;
//!   recursion and depth beyond [`MAX_DEPTH`] stop the walk.
//!
//! Callbacks of `.on(…)`, `setTimeout`, `setImmediate` and `process.nextTick` run after the
//! response or in the background and are not on the request's path.

use super::trace::{Kind, Op, Step};
use crate::model::{CallKind, FileId, FunctionId, IterationKind, Program};
use crate::syntax::{prop_name, unwrap};
use std::collections::{HashMap, HashSet};
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

/// How many user functions deep the walk follows calls.
pub const MAX_DEPTH: usize = 12;

type Key = (FileId, u32, u32);

fn key(file: FileId, span: Span) -> Key {
    (file, span.lo.0, span.hi.0)
}

/// Builds the steps of functions, each once, from the model and the files' syntax.
pub struct Walk<'p> {
    program: &'p Program<'p>,
    /// List size assumed for a collection the code does not bound (`items`).
    items: f64,
    calls: HashMap<Key, usize>,
    functions: HashMap<Key, FunctionId>,
    iterations: HashMap<Key, usize>,
    done: HashMap<FunctionId, Step>,
    open: HashSet<FunctionId>,
}

impl<'p> Walk<'p> {
    pub fn new(program: &'p Program<'p>, items: f64) -> Walk<'p> {
        let calls = program.calls.iter().enumerate().map(|(i, c)| (key(c.file, c.span), i)).collect();
        let functions = program.functions.iter().enumerate().map(|(i, f)| (key(f.file, f.span), i)).collect();
        let iterations = program.iterations.iter().enumerate().map(|(i, it)| (key(it.file, it.span), i)).collect();
        Walk { program, items, calls, functions, iterations, done: HashMap::new(), open: HashSet::new() }
    }

    /// What running `function` once does (its body, and what it calls).
    pub fn function(&mut self, function: FunctionId) -> Step {
        if let Some(s) = self.done.get(&function) {
            return s.clone();
        }
        if self.open.contains(&function) || self.open.len() >= MAX_DEPTH {
            return Step::Seq(Vec::new());
        }
        self.open.insert(function);
        let f = &self.program.functions[function];
        let file = f.file;
        let mut step = Step::Seq(Vec::new());
        if let Some(ast) = &self.program.file(file).program {
            let mut find = FindBody { target: f.span, function, walk: self, file, out: None };
            ast.visit_with(&mut find);
            if let Some(s) = find.out {
                step = s;
            }
        }
        self.open.remove(&function);
        self.done.insert(function, step.clone());
        step
    }

    /// The number of items an iteration walks: a literal array's length, a handful (3) for a
    /// constant list, the loop's literal bound, or the profile's `items`.
    fn size(&self, iteration: Option<usize>, bound: Option<f64>) -> f64 {
        if let Some(b) = bound {
            return b;
        }
        let Some(it) = iteration.map(|i| &self.program.iterations[i]) else { return self.items };
        if let Some(c) = it.collection.as_deref().map(str::trim) {
            if c.starts_with('[') && c.ends_with(']') {
                return literal_len(c);
            }
        }
        if crate::model::values::constant_list(self.program, it) {
            return 3.0;
        }
        self.items
    }
}

/// Elements of an array literal's text (top-level commas), at least 1.
fn literal_len(text: &str) -> f64 {
    let inner = &text[1..text.len() - 1];
    if inner.trim().is_empty() {
        return 0.0;
    }
    let (mut depth, mut n) = (0i32, 1.0);
    for ch in inner.chars() {
        match ch {
            '[' | '{' | '(' => depth += 1,
            ']' | '}' | ')' => depth -= 1,
            ',' if depth == 0 => n += 1.0,
            _ => {}
        }
    }
    if inner.trim_end().ends_with(',') {
        n -= 1.0;
    }
    n
}

/// Finds the function whose span is `target` and walks its body; descends only into nodes
/// that contain the target.
struct FindBody<'w, 'p> {
    target: Span,
    function: FunctionId,
    walk: &'w mut Walk<'p>,
    file: FileId,
    out: Option<Step>,
}

impl FindBody<'_, '_> {
    fn contains(&self, span: Span) -> bool {
        self.out.is_none() && span.lo <= self.target.lo && self.target.hi <= span.hi
    }
    fn found_block(&mut self, body: Option<&FunctionBody>) {
        let mut w = Walker::new(self.walk, self.file, self.function);
        if let Some(b) = body {
            w.stmts(&b.stmts);
        }
        self.out = Some(w.finish());
    }
}

impl Visit for FindBody<'_, '_> {
    fn visit_module_item(&mut self, n: &ModuleItem) {
        if self.contains(n.span()) {
            n.visit_children_with(self);
        }
    }
    fn visit_stmt(&mut self, n: &Stmt) {
        if self.contains(n.span()) {
            n.visit_children_with(self);
        }
    }
    fn visit_expr(&mut self, n: &Expr) {
        if self.contains(n.span()) {
            n.visit_children_with(self);
        }
    }
    fn visit_class_member(&mut self, n: &ClassMember) {
        if self.contains(n.span()) {
            n.visit_children_with(self);
        }
    }
    fn visit_prop_or_spread(&mut self, n: &PropOrSpread) {
        if self.contains(n.span()) {
            n.visit_children_with(self);
        }
    }
    fn visit_function(&mut self, f: &Function) {
        if self.out.is_some() {
            return;
        }
        if f.span == self.target {
            self.found_block(f.body.as_ref());
        } else if self.contains(f.span) {
            f.visit_children_with(self);
        }
    }
    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        if self.out.is_some() {
            return;
        }
        if a.span == self.target {
            match &*a.body {
                ArrowFunctionBody::FunctionBody(b) => self.found_block(Some(b)),
                ArrowFunctionBody::Expr(e) => {
                    let mut w = Walker::new(self.walk, self.file, self.function);
                    // The body is the arrow's return value.
                    w.returned.insert((unwrap(e).span().lo.0, unwrap(e).span().hi.0));
                    e.visit_with(&mut w);
                    self.out = Some(w.finish());
                }
            }
        } else if self.contains(a.span) {
            a.visit_children_with(self);
        }
    }
    fn visit_constructor(&mut self, c: &Constructor) {
        if self.out.is_some() {
            return;
        }
        if c.span == self.target {
            self.found_block(c.body.as_ref());
        } else if self.contains(c.span) {
            c.visit_children_with(self);
        }
    }
}

/// Does the statement end the block: `return`, `throw`, or a block that ends with one?
fn terminates(s: &Stmt) -> bool {
    match s {
        Stmt::Return(_) | Stmt::Throw(_) => true,
        Stmt::Block(b) => b.stmts.last().is_some_and(terminates),
        _ => false,
    }
}

/// Callbacks that do not run on the request's path.
const BACKGROUND: &[&str] = &["on", "once", "setTimeout", "setImmediate", "setInterval", "nextTick"];
/// Response writers: `res.json(x)`, `reply.send(x)`.
const RESPONDERS: &[&str] = &["json", "send", "jsonp", "end", "render"];
const RESPONSE_NAMES: &[&str] = &["res", "reply", "response", "resp", "h"];

/// Walks one function body into steps, in evaluation order.
struct Walker<'w, 'p> {
    walk: &'w mut Walk<'p>,
    file: FileId,
    /// The function being walked.
    function: FunctionId,
    frames: Vec<Vec<Step>>,
    /// Names holding a cache read's result in this body (`const cached = await redis.get(k)`).
    cached: HashSet<String>,
    /// Knex query builders kept in names (`const query = knex('links')`): they run when
    /// awaited or returned, not where they are built or refined (`query.andWhere(…)`).
    builders: HashMap<String, (String, f64)>,
    /// Spans of calls that are returned as they are (`return knex('t').where(…)`): the caller
    /// awaits them.
    returned: HashSet<(u32, u32)>,
}

impl<'w, 'p> Walker<'w, 'p> {
    fn new(walk: &'w mut Walk<'p>, file: FileId, function: FunctionId) -> Self {
        Walker {
            walk,
            file,
            function,
            frames: vec![Vec::new()],
            cached: HashSet::new(),
            builders: HashMap::new(),
            returned: HashSet::new(),
        }
    }

    /// Does the call go into a module of the project (`query.user.update(…)` with `query`
    /// from `require('../queries')`) without the model resolving what it runs?
    fn into_project_module(&self, call: &CallExpr) -> bool {
        let Some(root) = root_name(call) else { return false };
        self.walk.program.app_facts.imports.get(self.file).is_some_and(|imports| {
            imports.iter().any(|i| {
                (i.module.starts_with('.') || i.module.starts_with('/'))
                    && i.bound.iter().any(|(name, _)| *name == root)
            })
        })
    }

    /// Is `name` a parameter of the function being walked or of one around it: a function
    /// passed in (`asyncHandler(fn)` calling `fn(...args)`), which the model does not resolve?
    fn is_parameter(&self, name: &str) -> bool {
        let functions = &self.walk.program.functions;
        let mut at = Some(self.function);
        while let Some(f) = at {
            if functions[f].params.iter().any(|p| p == name) {
                return true;
            }
            at = functions[f].parent;
        }
        false
    }

    fn push(&mut self, s: Step) {
        if let Some(f) = self.frames.last_mut() {
            f.push(s);
        }
    }

    fn finish(mut self) -> Step {
        seq(self.frames.pop().unwrap_or_default())
    }

    /// Runs `f` in a new frame and returns what it pushed.
    fn framed(&mut self, f: impl FnOnce(&mut Self)) -> Step {
        self.frames.push(Vec::new());
        f(self);
        seq(self.frames.pop().unwrap_or_default())
    }

    fn stmts(&mut self, stmts: &[Stmt]) {
        for (i, s) in stmts.iter().enumerate() {
            if let Stmt::If(ifs) = s {
                if ifs.alt.is_none() && terminates(&ifs.cons) {
                    ifs.test.visit_with(self);
                    let mentions = crate::syntax::mentions(&*ifs.test);
                    if mentions.iter().any(|m| self.cached.contains(m)) {
                        // The cache hit leaves early; the rest of the block is the miss.
                        let hit = self.framed(|w| ifs.cons.visit_with(w));
                        let miss = self.framed(|w| w.stmts(&stmts[i + 1..]));
                        self.push(Step::Alt { hit: Box::new(hit), miss: Box::new(miss) });
                        return;
                    }
                    // A guard (`if (!user) return res.status(404)…`): the request goes on.
                    continue;
                }
            }
            s.visit_with(self);
            if terminates(s) {
                return;
            }
        }
    }

    fn op(&self, kind: Kind, label: String, span: Span) -> Op {
        let file = self.walk.program.file(self.file);
        let (line, column) = file.position(span.lo);
        Op { kind, label, file: self.file, line, column, rows: 0.0, deferred: false, offloaded: false }
    }

    /// The step of a call the model recorded, or `None` for a call that reaches nothing known.
    fn call_step(&mut self, call: &CallExpr) -> Option<Step> {
        let program = self.walk.program;
        let id = *self.walk.calls.get(&key(self.file, call.span))?;
        let site = &program.calls[id];
        let text = program.file(self.file).snippet(call.span);
        let label = label_of(text);
        let io = |kind: Kind, w: &Self| {
            let mut op = w.op(kind, label.clone(), call.span);
            op.deferred = !site.awaited && site.result_name.is_some();
            op
        };
        let step = match &site.kind {
            CallKind::Query(q) => {
                let mut op = io(Kind::Db { write: q.write }, self);
                op.label = match &q.model {
                    Some(m) => format!("{m}.{}", q.operation),
                    None => format!("{}.{}", q.receiver, q.operation),
                };
                op.rows = if q.write {
                    0.0
                } else if q.batched || (list_read(&q.operation, text) && site.iterations.is_empty()) {
                    self.walk.items
                } else {
                    1.0
                };
                // A Knex builder runs when it is awaited or returned; building or refining it
                // (`const query = knex('links')`, `query.andWhere(…)`, `knex.raw(…)`) is not a query.
                if q.library == crate::model::Library::Knex
                    && !site.awaited
                    && !self.returned.contains(&(call.span.lo.0, call.span.hi.0))
                {
                    if let Some(name) = &site.result_name {
                        self.builders.insert(name.clone(), (op.label.clone(), op.rows));
                    }
                    return Some(Step::Seq(Vec::new()));
                }
                Step::Op(op)
            }
            CallKind::Cache { op } => {
                let read = crate::rules::concurrency::CACHE_READS.contains(&op.as_str());
                if read {
                    if let Some(n) = &site.result_name {
                        self.cached.insert(n.clone());
                    }
                }
                Step::Op(io(Kind::Cache, self))
            }
            CallKind::Http { .. } => Step::Op(io(Kind::Http, self)),
            CallKind::Fs { op, sync } => {
                if *sync {
                    Step::Op(self.op(Kind::Cpu(super::latency::blocking_ms(op, None, None)), label, call.span))
                } else {
                    Step::Op(io(Kind::Fs, self))
                }
            }
            CallKind::Cpu { op } => {
                Step::Op(self.op(Kind::Cpu(super::latency::blocking_ms(op, None, None)), label, call.span))
            }
            CallKind::BatchLoad => {
                let mut op = io(Kind::Db { write: false }, self);
                op.rows = 1.0;
                Step::Op(op)
            }
            CallKind::Delay | CallKind::Other => {
                if site.callees.is_empty() {
                    if responder(call) {
                        return Some(Step::Op(self.op(Kind::Respond, label, call.span)));
                    }
                    // `next()` hands the request to the next middleware or handler: no work here.
                    let passed_in = match &call.callee {
                        Callee::Expr(e) => {
                            matches!(unwrap(e), Expr::Ident(i) if &*i.sym != "next" && self.is_parameter(&i.sym))
                        }
                        _ => false,
                    };
                    let unresolved = passed_in || self.into_project_module(call);
                    return unresolved.then(|| Step::Op(self.op(Kind::Opaque, label, call.span)));
                }
                let callees = site.callees.clone();
                let mut options: Vec<Step> = callees.into_iter().map(|f| self.walk.function(f)).collect();
                if options.len() == 1 {
                    options.pop().unwrap_or(Step::Seq(Vec::new()))
                } else {
                    Step::Choice(options)
                }
            }
        };
        Some(step)
    }

    /// `await query` / `return query` of a Knex builder kept in a name: the query runs here.
    fn run_builder(&mut self, expr: &Expr) -> bool {
        let Expr::Ident(i) = unwrap(expr) else { return false };
        let Some((label, rows)) = self.builders.get(&*i.sym).cloned() else { return false };
        let mut op = self.op(Kind::Db { write: false }, label, i.span);
        op.rows = rows;
        self.push(Step::Op(op));
        true
    }

    /// The function an argument defines inline, with its per-item iteration.
    fn inline_function(&self, expr: &Expr) -> Option<(FunctionId, Option<usize>)> {
        let span = match unwrap(expr) {
            Expr::Arrow(a) => a.span,
            Expr::Fn(f) => f.function.span,
            _ => return None,
        };
        let id = *self.walk.functions.get(&key(self.file, span))?;
        Some((id, self.walk.program.functions[id].per_item))
    }

    fn repeat(&mut self, iteration: Option<usize>, bound: Option<f64>, body: Step) {
        let (n, parallel, stream) = match iteration.map(|i| &self.walk.program.iterations[i]) {
            Some(it) => (self.walk.size(iteration, bound), it.in_promise_all, it.kind == IterationKind::ForAwait),
            None => (self.walk.size(None, bound), false, false),
        };
        let _ = stream;
        if !body.is_empty() {
            self.push(Step::Repeat { n, parallel, body: Box::new(body) });
        }
    }

    fn loop_body(&mut self, span: Span, bound: Option<f64>, body: &Stmt) {
        let iteration = self.walk.iterations.get(&key(self.file, span)).copied();
        let step = self.framed(|w| body.visit_with(w));
        self.repeat(iteration, bound, step);
    }
}

/// `User.findAll`, `pool.query`: the call's text up to its first argument, shortened.
fn label_of(text: &str) -> String {
    let head = text.split('(').next().unwrap_or(text);
    let head: String = head.split_whitespace().collect();
    let head = head.trim_start_matches("await");
    if head.chars().count() > 60 {
        head.chars().take(57).collect::<String>() + "…"
    } else {
        head.to_string()
    }
}

/// Operations that read one row (or a count).
const SINGLE_ROW: &[&str] = &[
    "findOne",
    "findByPk",
    "findById",
    "findUnique",
    "findUniqueOrThrow",
    "findFirst",
    "findFirstOrThrow",
    "findOneBy",
    "findOneOrFail",
    "findOneByOrFail",
    "first",
    "count",
    "countDocuments",
    "aggregate",
    "exists",
    "get",
];

/// Does a read return a list (the profile's `items` rows) rather than one row?
fn list_read(operation: &str, text: &str) -> bool {
    if SINGLE_ROW.contains(&operation) {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    !(lower.contains("limit 1") || lower.contains("count(") || lower.contains("where id ="))
}

/// `res.json(x)`, `reply.send(x)`, `ctx.body`-free Express/Fastify/hapi responders.
fn responder(call: &CallExpr) -> bool {
    let Callee::Expr(callee) = &call.callee else { return false };
    let Expr::Member(m) = unwrap(callee) else { return false };
    let Some(method) = prop_name(&m.prop) else { return false };
    if !RESPONDERS.contains(&method.as_str()) {
        return false;
    }
    let mut root = unwrap(&m.obj);
    loop {
        match root {
            Expr::Member(inner) => root = unwrap(&inner.obj),
            Expr::Call(c) => match &c.callee {
                Callee::Expr(e) => root = unwrap(e),
                _ => return false,
            },
            Expr::Ident(i) => return RESPONSE_NAMES.contains(&&*i.sym),
            _ => return false,
        }
    }
}

/// The name a call's chain starts from: `query` in `query.user.update(…)`.
fn root_name(call: &CallExpr) -> Option<String> {
    let Callee::Expr(callee) = &call.callee else { return None };
    let mut e = unwrap(callee);
    loop {
        match e {
            Expr::Member(m) => e = unwrap(&m.obj),
            Expr::Call(c) => match &c.callee {
                Callee::Expr(inner) => e = unwrap(inner),
                _ => return None,
            },
            Expr::Ident(i) => return Some(i.sym.to_string()),
            _ => return None,
        }
    }
}

fn is_promise_combinator(call: &CallExpr) -> bool {
    let Callee::Expr(callee) = &call.callee else { return false };
    let Expr::Member(m) = unwrap(callee) else { return false };
    matches!(unwrap(&m.obj), Expr::Ident(i) if &*i.sym == "Promise")
        && prop_name(&m.prop).is_some_and(|p| matches!(p.as_str(), "all" | "allSettled" | "race" | "any"))
}

fn callee_name(call: &CallExpr) -> Option<String> {
    let Callee::Expr(callee) = &call.callee else { return None };
    match unwrap(callee) {
        Expr::Ident(i) => Some(i.sym.to_string()),
        Expr::Member(m) => prop_name(&m.prop),
        _ => None,
    }
}

/// A sequence, with runs of deferred operations (promises started without `await`) grouped
/// to run together.
pub(super) fn seq(steps: Vec<Step>) -> Step {
    let mut out: Vec<Step> = Vec::new();
    let mut run: Vec<Step> = Vec::new();
    for s in steps.into_iter().filter(|s| !s.is_empty()) {
        let deferred = matches!(&s, Step::Op(op) if op.deferred);
        if deferred {
            run.push(s);
            continue;
        }
        if run.len() > 1 {
            out.push(Step::Par(std::mem::take(&mut run)));
        } else {
            out.append(&mut run);
        }
        out.push(s);
    }
    if run.len() > 1 {
        out.push(Step::Par(run));
    } else {
        out.append(&mut run);
    }
    if out.len() == 1 {
        out.pop().unwrap_or(Step::Seq(Vec::new()))
    } else {
        Step::Seq(out)
    }
}

impl Visit for Walker<'_, '_> {
    // Functions defined here run when called (followed through the call), not here.
    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
    fn visit_class(&mut self, _: &Class) {}

    fn visit_block_stmt(&mut self, b: &BlockStmt) {
        self.stmts(&b.stmts);
    }

    fn visit_return_stmt(&mut self, r: &ReturnStmt) {
        if let Some(arg) = &r.arg {
            if !self.run_builder(arg) {
                self.returned.insert((unwrap(arg).span().lo.0, unwrap(arg).span().hi.0));
                arg.visit_with(self);
            }
        }
    }

    fn visit_await_expr(&mut self, a: &AwaitExpr) {
        if !self.run_builder(&a.arg) {
            a.arg.visit_with(self);
        }
    }

    fn visit_if_stmt(&mut self, s: &IfStmt) {
        s.test.visit_with(self);
        let cons = self.framed(|w| s.cons.visit_with(w));
        let alt = self.framed(|w| s.alt.visit_with(w));
        if !cons.is_empty() || !alt.is_empty() {
            self.push(Step::Choice(vec![cons, alt]));
        }
    }

    fn visit_switch_stmt(&mut self, s: &SwitchStmt) {
        s.discriminant.visit_with(self);
        let cases: Vec<Step> = s.cases.iter().map(|c| self.framed(|w| w.stmts(&c.cons))).collect();
        if cases.iter().any(|c| !c.is_empty()) {
            self.push(Step::Choice(cases));
        }
    }

    fn visit_cond_expr(&mut self, c: &CondExpr) {
        c.test.visit_with(self);
        let a = self.framed(|w| c.cons.visit_with(w));
        let b = self.framed(|w| c.alt.visit_with(w));
        if !a.is_empty() || !b.is_empty() {
            self.push(Step::Choice(vec![a, b]));
        }
    }

    fn visit_try_stmt(&mut self, t: &TryStmt) {
        t.block.visit_with(self);
        t.finalizer.visit_with(self);
    }

    fn visit_for_of_stmt(&mut self, s: &ForOfStmt) {
        s.right.visit_with(self);
        self.loop_body(s.span, None, &s.body);
    }

    fn visit_for_in_stmt(&mut self, s: &ForInStmt) {
        s.right.visit_with(self);
        self.loop_body(s.span, None, &s.body);
    }

    fn visit_for_stmt(&mut self, s: &ForStmt) {
        s.init.visit_with(self);
        // `for (let i = 0; i < 10; i++)`: the literal bound.
        let bound = s.test.as_deref().and_then(|t| match unwrap(t) {
            Expr::Bin(b) if matches!(b.op, BinaryOp::Lt | BinaryOp::LtEq) => match unwrap(&b.right) {
                Expr::Lit(Lit::Num(n)) => Some(n.value + if b.op == BinaryOp::LtEq { 1.0 } else { 0.0 }),
                _ => None,
            },
            _ => None,
        });
        self.loop_body(s.span, bound, &s.body);
    }

    fn visit_while_stmt(&mut self, s: &WhileStmt) {
        s.test.visit_with(self);
        self.loop_body(s.span, None, &s.body);
    }

    fn visit_do_while_stmt(&mut self, s: &DoWhileStmt) {
        self.loop_body(s.span, None, &s.body);
        s.test.visit_with(self);
    }

    fn visit_new_expr(&mut self, n: &NewExpr) {
        if let Some(args) = &n.args {
            // `new Promise((resolve) => …)`: the executor runs now.
            for a in args {
                if let Some((f, _)) = self.inline_function(&a.expr) {
                    let s = self.walk.function(f);
                    self.push(s);
                } else {
                    a.visit_with(self);
                }
            }
        }
        // A connection or pool made here costs a set-up when connection-per-request says so.
        let text = self.walk.program.file(self.file).snippet(n.span);
        self.push(Step::Op(self.op(
            Kind::MaybeConnect,
            label_of(text.trim_start_matches("new ")).trim_start_matches("new").to_string(),
            n.span,
        )));
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        // `(async () => { … })()`: runs now.
        if let Callee::Expr(callee) = &call.callee {
            if let Some((f, _)) = self.inline_function(callee) {
                let s = self.walk.function(f);
                self.push(s);
                return;
            }
        }
        if is_promise_combinator(call) {
            if let Some(first) = call.args.first() {
                if let Expr::Array(arr) = unwrap(&first.expr) {
                    let branches: Vec<Step> = arr
                        .elems
                        .iter()
                        .flatten()
                        .map(|e| self.framed(|w| e.expr.visit_with(w)))
                        .filter(|s| !s.is_empty())
                        .collect();
                    if !branches.is_empty() {
                        self.push(Step::Par(branches));
                    }
                    return;
                }
            }
        }
        let background = callee_name(call).is_some_and(|n| BACKGROUND.contains(&n.as_str()));
        // A chain (`Note.count().then(cb)`) is one call site: its operation runs first, the
        // callbacks of its links after it. A plain call runs after its arguments.
        let chain = matches!(&call.callee, Callee::Expr(e) if matches!(unwrap(e), Expr::Member(m) if matches!(unwrap(&m.obj), Expr::Call(_))));
        if chain {
            if let Some(s) = self.call_step(call) {
                self.push(s);
            }
        }
        call.callee.visit_with(self);
        let mut callbacks = Vec::new();
        for a in &call.args {
            match self.inline_function(&a.expr) {
                Some(f) => callbacks.push(f),
                None => a.visit_with(self),
            }
        }
        if !chain {
            if let Some(s) = self.call_step(call) {
                self.push(s);
            }
        }
        if background {
            return;
        }
        for (f, per_item) in callbacks {
            let body = self.walk.function(f);
            match per_item {
                Some(it) => self.repeat(Some(it), None, body),
                None => self.push(body),
            }
        }
    }
}
