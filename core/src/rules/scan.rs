//! A walk over one file's AST shared by the algorithm rules: it keeps the stack of enclosing
//! iterations (loop bodies and per-item callbacks, as the model counts them), the statement
//! each iteration belongs to, the names each iteration binds (its items and the locals of its
//! body), and the model's per-file table of what names are bound to (`model::values`: a
//! string, a small constant array, a `Set`/`Map`, a number, a handful, a fresh literal). Rules
//! receive each call and assignment with that context through [`Hooks`].
//!
//! Approximations, in the model's spirit: a function that is not a per-item callback closes the
//! iterations around it (it may run once or never).

use super::{Context, Placement};
use crate::cost::complexity::Ops;
use crate::model::FunctionId;
use crate::params::Severity;
use crate::parse::Parsed;
pub(crate) use crate::syntax::mentions;
use crate::syntax::pat_names;
use crate::syntax::{prop_name, unwrap};
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

pub(crate) use crate::model::values::{Bindings, Kind, ITERATION_METHODS};

/// An iteration around the current node.
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    /// `for…of`, `for`, `while`, … or the callback's method (`map`).
    pub kind: String,
    pub is_loop: bool,
    /// The loop statement or the iterating call.
    pub span: Span,
    /// The head to point at: the loop up to its body, the call up to its callback.
    pub head: Span,
    /// The iterated collection.
    pub collection: Option<Span>,
    /// Items and the locals of the body.
    pub names: Vec<String>,
    /// Over a literal array of constants or a constant count: does not grow with the data.
    pub small: bool,
    /// The innermost statement, in the same function, that contains the iteration.
    pub statement: Option<Span>,
}

impl Frame {
    /// `for…of loop`, `` `.map` callback ``.
    pub fn describe(&self) -> String {
        if self.is_loop {
            format!("{} loop", self.kind)
        } else {
            format!("`.{}` callback", self.kind)
        }
    }
}

/// The walk's state at a node.
pub(crate) struct State<'a> {
    pub parsed: &'a Parsed,
    pub bindings: &'a Bindings,
    /// Enclosing iterations, outermost first.
    pub frames: Vec<Frame>,
    /// Enclosing statements in the current function, outermost first.
    pub statements: Vec<Span>,
}

impl State<'_> {
    pub fn text(&self, span: Span) -> &str {
        self.parsed.snippet(span)
    }

    /// The names of frames `from..`.
    pub fn names_from(&self, from: usize) -> Vec<&str> {
        self.frames[from..].iter().flat_map(|f| f.names.iter().map(String::as_str)).collect()
    }

    /// A collection of a frame, as written.
    pub fn collection_text(&self, f: &Frame) -> String {
        f.collection.map(|s| self.text(s).to_string()).unwrap_or_else(|| "the loop".into())
    }
}

/// What the rules look at.
pub(crate) trait Hooks {
    fn call(&mut self, _call: &CallExpr, _state: &State) {}
    fn assign(&mut self, _assign: &AssignExpr, _state: &State) {}
    /// A new iteration opened (already on the stack) with its body.
    fn frame(&mut self, _body: Body, _state: &State) {}
}

/// The body of an iteration.
#[derive(Clone, Copy)]
pub(crate) enum Body<'a> {
    Stmt(&'a Stmt),
    Callback(&'a Expr),
}

impl Body<'_> {
    pub fn visit<V: Visit>(&self, v: &mut V) {
        match self {
            Body::Stmt(s) => s.visit_with(v),
            Body::Callback(e) => e.visit_with(v),
        }
    }
}

/// Walks one parsed file.
/// Walks one file of the program, with the bindings the model holds for it.
pub(crate) fn walk<H: Hooks>(program: &crate::model::Program, file: usize, hooks: &mut H) {
    let parsed = program.file(file);
    let Some(ast) = &parsed.program else { return };
    let bindings = &program.values[file];
    let mut w =
        Walker { state: State { parsed, bindings, frames: Vec::new(), statements: Vec::new() }, hooks, per_item: None };
    ast.visit_with(&mut w);
}

struct Walker<'a, 'h, H: Hooks> {
    state: State<'a>,
    hooks: &'h mut H,
    /// The span of a function about to be visited as a per-item callback.
    per_item: Option<Span>,
}

impl<H: Hooks> Walker<'_, '_, H> {
    fn small_collection(&self, expr: &Expr) -> bool {
        crate::model::values::is_few(self.state.bindings.kind(expr))
    }

    #[allow(clippy::too_many_arguments)]
    fn push_frame(
        &mut self,
        kind: String,
        is_loop: bool,
        span: Span,
        head: Span,
        collection: Option<&Expr>,
        names: Vec<String>,
        small: bool,
    ) {
        self.state.frames.push(Frame {
            kind,
            is_loop,
            span,
            head,
            collection: collection.map(|c| c.span()),
            names,
            small,
            statement: self.state.statements.last().copied(),
        });
    }

    fn in_loop(&mut self, body: &Stmt) {
        self.hooks.frame(Body::Stmt(body), &self.state);
        body.visit_with(self);
        self.state.frames.pop();
    }

    /// A function that is not a per-item callback closes the iterations and statements.
    fn in_function(&mut self, span: Span, f: impl FnOnce(&mut Self)) {
        if self.per_item == Some(span) {
            self.per_item = None;
            f(self);
            return;
        }
        let frames = std::mem::take(&mut self.state.frames);
        let statements = std::mem::take(&mut self.state.statements);
        f(self);
        self.state.frames = frames;
        self.state.statements = statements;
    }
}

pub(crate) fn param_names(callback: &Expr) -> Vec<String> {
    let mut names = Vec::new();
    match unwrap(callback) {
        Expr::Arrow(a) => a.params.iter().for_each(|p| pat_names(p, &mut names)),
        Expr::Fn(f) => f.function.params.iter().for_each(|p| pat_names(&p.pat, &mut names)),
        _ => {}
    }
    names
}

impl<H: Hooks> Visit for Walker<'_, '_, H> {
    fn visit_stmt(&mut self, s: &Stmt) {
        self.state.statements.push(s.span());
        s.visit_children_with(self);
        self.state.statements.pop();
    }

    fn visit_var_declarator(&mut self, d: &VarDeclarator) {
        if let Some(f) = self.state.frames.last_mut() {
            pat_names(&d.name, &mut f.names);
        }
        d.visit_children_with(self);
    }

    fn visit_function(&mut self, f: &Function) {
        self.in_function(f.span, |w| f.visit_children_with(w));
    }

    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        self.in_function(a.span, |w| a.visit_children_with(w));
    }

    fn visit_assign_expr(&mut self, a: &AssignExpr) {
        self.hooks.assign(a, &self.state);
        a.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        self.hooks.call(call, &self.state);
        call.callee.visit_with(self);
        let mut iteration = None;
        if let Callee::Expr(callee) = &call.callee {
            if let Expr::Member(m) = unwrap(callee) {
                let method = prop_name(&m.prop).unwrap_or_default();
                if ITERATION_METHODS.contains(&method.as_str())
                    && call.args.first().is_some_and(|a| matches!(unwrap(&a.expr), Expr::Arrow(_) | Expr::Fn(_)))
                    && !matches!(unwrap(&m.obj), Expr::Lit(_) | Expr::Tpl(_))
                {
                    iteration = Some((method, m));
                }
            }
        }
        for (i, a) in call.args.iter().enumerate() {
            match (&iteration, i) {
                (Some((method, m)), 0) => {
                    let callback = unwrap(&a.expr);
                    let head = Span::new(m.prop.span().lo, callback.span().lo);
                    let small = self.small_collection(&m.obj);
                    self.push_frame(method.clone(), false, call.span, head, Some(&m.obj), param_names(callback), small);
                    self.per_item = Some(callback.span());
                    self.hooks.frame(Body::Callback(callback), &self.state);
                    a.visit_with(self);
                    self.per_item = None;
                    self.state.frames.pop();
                }
                _ => a.visit_with(self),
            }
        }
    }

    fn visit_for_of_stmt(&mut self, s: &ForOfStmt) {
        s.right.visit_with(self);
        if s.is_await {
            return s.body.visit_with(self);
        }
        let mut names = Vec::new();
        match &s.left {
            ForHead::VarDecl(v) => v.decls.iter().for_each(|d| pat_names(&d.name, &mut names)),
            ForHead::Pat(p) => pat_names(p, &mut names),
            _ => {}
        }
        let small = self.small_collection(&s.right);
        self.push_frame(
            "for…of".into(),
            true,
            s.span,
            Span::new(s.span.lo, s.body.span().lo),
            Some(&s.right),
            names,
            small,
        );
        self.in_loop(&s.body);
    }

    fn visit_for_in_stmt(&mut self, s: &ForInStmt) {
        s.right.visit_with(self);
        let mut names = Vec::new();
        if let ForHead::VarDecl(v) = &s.left {
            v.decls.iter().for_each(|d| pat_names(&d.name, &mut names));
        }
        // The keys of one object: its fields, a handful (a dictionary is walked with
        // `Object.keys`, `Map#forEach` or `for…of`, which the value facts size).
        self.push_frame(
            "for…in".into(),
            true,
            s.span,
            Span::new(s.span.lo, s.body.span().lo),
            Some(&s.right),
            names,
            true,
        );
        self.in_loop(&s.body);
    }

    fn visit_for_stmt(&mut self, s: &ForStmt) {
        s.init.visit_with(self);
        let mut names = Vec::new();
        if let Some(VarDeclOrExpr::VarDecl(v)) = &s.init {
            v.decls.iter().for_each(|d| pat_names(&d.name, &mut names));
        }
        // `i < items.length` runs over `items`; `i < 3` is a constant count.
        let bound = s.test.as_deref().and_then(|t| match unwrap(t) {
            Expr::Bin(b) if matches!(b.op, BinaryOp::Lt | BinaryOp::LtEq) => Some(unwrap(&b.right)),
            _ => None,
        });
        let collection = bound.and_then(|b| match b {
            Expr::Member(m) if prop_name(&m.prop).as_deref() == Some("length") => Some(&*m.obj),
            _ => None,
        });
        let small =
            bound.is_some_and(|b| self.small_collection(b)) || collection.is_some_and(|c| self.small_collection(c));
        self.push_frame("for".into(), true, s.span, Span::new(s.span.lo, s.body.span().lo), collection, names, small);
        self.in_loop(&s.body);
        s.test.visit_with(self);
        s.update.visit_with(self);
    }

    fn visit_while_stmt(&mut self, s: &WhileStmt) {
        s.test.visit_with(self);
        self.push_frame("while".into(), true, s.span, Span::new(s.span.lo, s.body.span().lo), None, Vec::new(), false);
        self.in_loop(&s.body);
    }

    fn visit_do_while_stmt(&mut self, s: &DoWhileStmt) {
        self.push_frame(
            "do…while".into(),
            true,
            s.span,
            Span::new(s.span.lo, s.body.span().lo),
            None,
            Vec::new(),
            false,
        );
        self.in_loop(&s.body);
        s.test.visit_with(self);
    }
}

/// The innermost model function containing `span` in `file`.
pub(crate) fn function_at(ctx: &Context, file: usize, span: Span) -> Option<FunctionId> {
    ctx.index.innermost_function(ctx.program, file, span)
}

/// Where a finding at `span` stands: `None` when filtered out by `endpoints`, else the
/// endpoint (if any) and how many other endpoints reach it.
pub(crate) fn place(ctx: &Context, file: usize, span: Span) -> Option<(Option<String>, usize)> {
    match ctx.placement_at(file, span, function_at(ctx, file, span)) {
        Placement::Filtered => None,
        Placement::Offline => Some((None, 0)),
        Placement::Endpoint { label, others } => Some((Some(label), others)),
    }
}

/// The severity of in-memory work that `ops` prices, through the shared
/// [`crate::cost::worth::judge`]: off a request path low; on one, the CPU saved per request or
/// the share of the event loop it occupies at the profile's arrival rate, whichever is worse
/// (≥ 100 / 20 / 1 ms or 50 / 10 / 1 %: critical / high / medium); `None` — not a finding —
/// when it saves under 1 ms per request and under 1 % of the event loop.
pub(crate) fn severity(ctx: &Context, endpoint: &Option<String>, ops: Ops) -> Option<Severity> {
    let saved_ms = (ops.before - ops.after).max(0.0) * ctx.profile.op_ns.value.max(0.0) / 1e6;
    severity_ms(ctx, endpoint, saved_ms)
}

/// Severity of event-loop work a fix saves, `saved_ms` per request (see [`severity`]).
pub(crate) fn severity_ms(ctx: &Context, endpoint: &Option<String>, saved_ms: f64) -> Option<Severity> {
    crate::cost::worth::judge(&ctx.profile, endpoint.is_some(), saved_ms, crate::cost::worth::EVENT_LOOP)
}

/// " Also on 2 other endpoints."
pub(crate) fn also_on(others: usize) -> String {
    match others {
        0 => String::new(),
        1 => " Also on 1 other endpoint.".into(),
        n => format!(" Also on {n} other endpoints."),
    }
}

/// Is the character before byte `i` of `text` part of an identifier (or a `.`: a member)?
pub(crate) fn word_char_before(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.')
}

/// Is `name` used as a word anywhere in `text`?
pub(crate) fn word_in(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
        !word(text[..i].chars().next_back()) && !word(text[i + name.len()..].chars().next())
    })
}

/// `name`, or `name2`, `name3`… — the first not already used in `text`.
pub(crate) fn fresh_name(text: &str, name: &str) -> String {
    if !word_in(text, name) {
        return name.to_string();
    }
    (2..).map(|i| format!("{name}{i}")).find(|n| !word_in(text, n)).unwrap()
}

pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// The whole lines covering `span` and the byte offset where they start in the file.
pub(crate) fn lines_of(parsed: &Parsed, span: Span) -> (String, usize) {
    let first = parsed.position(span.lo).0;
    let last = parsed.position(span.hi).0;
    let start = parsed.lines.line_start(first) as usize;
    (parsed.lines.lines(&parsed.text, first, last).to_string(), start)
}

/// The leading whitespace of the line containing `pos`.
pub(crate) fn indent_at(parsed: &Parsed, pos: swc_common::BytePos) -> String {
    let (line, _) = parsed.position(pos);
    let start = parsed.lines.line_start(line) as usize;
    parsed.text[start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect()
}
