//! Whether a module-level cache's key comes from a fixed set (unbounded-memory-cache).
//!
//! A cache written with a computed key grows with the keys it sees; when every key it can see
//! is a constant written in the code, it holds a fixed number of entries, however often it is
//! written. rolfst/hapi_app's `cacheInstances[`_${name}`] = new Cachable(name)` in
//! `getCache(name)`, called only as `getCache('organisations')`, `getCache('teams')`, … holds
//! one entry per cache name: a registry, not a growing cache.
//!
//! A key is *fixed* when it is a constant (`'db'`, `ROLE.ADMIN`), a template or a
//! concatenation of fixed parts, a `const` local of the writing function initialised with a
//! fixed expression, or a parameter of the writing function that every call the model
//! resolves (at least one) passes a fixed argument at its position.

use super::{FunctionId, Program};
use crate::syntax::{parse_expr, unwrap};
use swc_common::Span;
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

/// Is the key of the cache write at `span` of `file` (`c.set(key, v)`, `c[key] = v`) fixed?
pub fn fixed_key(program: &Program, file: usize, span: Span) -> bool {
    let parsed = program.file(file);
    let typescript = parsed.path.ends_with("ts") || parsed.path.ends_with("tsx");
    let Some(expr) = parse_expr(parsed.snippet(span), typescript) else { return false };
    let key = match unwrap(&expr) {
        Expr::Call(c) => c.args.first().map(|a| (*a.expr).clone()),
        Expr::Assign(a) => match &a.left {
            AssignTarget::Simple(SimpleAssignTarget::Member(m)) => match &m.prop {
                MemberProp::Computed(c) => Some((*c.expr).clone()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    let Some(key) = key else { return false };
    let function = innermost_function(program, file, span);
    fixed(program, file, function, &key, 0)
}

fn innermost_function(program: &Program, file: usize, span: Span) -> Option<FunctionId> {
    program.innermost_function(file, span)
}

fn fixed(program: &Program, file: usize, function: Option<FunctionId>, key: &Expr, depth: usize) -> bool {
    if depth > 4 {
        return false;
    }
    match unwrap(key) {
        Expr::Tpl(t) => t.exprs.iter().all(|e| fixed(program, file, function, e, depth + 1)),
        Expr::Bin(b) if b.op == BinaryOp::Add => {
            fixed(program, file, function, &b.left, depth + 1) && fixed(program, file, function, &b.right, depth + 1)
        }
        Expr::Ident(i) => {
            let Some(f) = function else { return false };
            let func = &program.functions[f];
            if let Some(index) = func.params.iter().position(|p| *p == *i.sym) {
                return every_call_passes_a_constant(program, f, index);
            }
            local_init(program, file, func.span, &i.sym)
                .is_some_and(|init| fixed(program, file, function, &init, depth + 1))
        }
        e => crate::model::values::is_constant(e),
    }
}

/// Every resolved call of `function` (at least one) passes a constant at `index`.
fn every_call_passes_a_constant(program: &Program, function: FunctionId, index: usize) -> bool {
    let mut calls = program.calls.iter().filter(|c| c.callees.contains(&function)).peekable();
    if calls.peek().is_none() {
        return false;
    }
    calls.all(|c| {
        let parsed = program.file(c.file);
        let typescript = parsed.path.ends_with("ts") || parsed.path.ends_with("tsx");
        let Some(expr) = parse_expr(parsed.snippet(c.span), typescript) else { return false };
        let Expr::Call(call) = unwrap(&expr) else { return false };
        call.args.get(index).is_some_and(|a| a.spread.is_none() && crate::model::values::is_constant(&a.expr))
    })
}

/// The initialiser of `const name = …` declared in the function at `within`.
fn local_init(program: &Program, file: usize, within: Span, name: &str) -> Option<Expr> {
    struct Find<'n> {
        name: &'n str,
        within: Span,
        found: Option<Expr>,
    }
    impl Visit for Find<'_> {
        fn visit_var_decl(&mut self, d: &VarDecl) {
            if d.kind == VarDeclKind::Const && self.within.lo <= d.span.lo && d.span.hi <= self.within.hi {
                for decl in &d.decls {
                    if let (Pat::Ident(id), Some(init)) = (&decl.name, &decl.init) {
                        if *id.id.sym == *self.name {
                            self.found = Some((**init).clone());
                        }
                    }
                }
            }
            d.visit_children_with(self);
        }
    }
    let ast = program.file(file).program.as_ref()?;
    let mut v = Find { name, within, found: None };
    ast.visit_with(&mut v);
    v.found
}
