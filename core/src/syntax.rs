//! Small helpers over swc's AST, shared by the model and the rules.

use swc_common::BytePos;
use swc_ecma_ast::*;
use swc_ecma_parser::{EsSyntax, Parser, StringInput, Syntax, TsSyntax};
use swc_ecma_visit::{Visit, VisitWith};

/// The value of a string literal (or a template literal without substitutions).
pub(crate) fn str_lit(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(Lit::Str(s)) => Some(s.value.to_string_lossy().into_owned()),
        Expr::Tpl(t) if t.exprs.is_empty() => Some(t.quasis.iter().map(|q| q.raw.to_string()).collect()),
        Expr::Paren(p) => str_lit(&p.expr),
        Expr::TsAs(a) => str_lit(&a.expr),
        _ => None,
    }
}

/// The statements at a program's top level (a module's imports and exports left out).
pub(crate) fn top_level_statements(program: &Program) -> Vec<&Stmt> {
    match program {
        Program::Module(m) => m
            .body
            .iter()
            .filter_map(|i| match i {
                ModuleItem::Stmt(s) => Some(s),
                _ => None,
            })
            .collect(),
        Program::Script(s) => s.body.iter().collect(),
    }
}

/// Strips parentheses, `await`, TypeScript casts and non-null assertions.
pub(crate) fn unwrap(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => unwrap(&p.expr),
        Expr::Await(a) => unwrap(&a.arg),
        Expr::TsAs(a) => unwrap(&a.expr),
        Expr::TsNonNull(a) => unwrap(&a.expr),
        Expr::TsSatisfies(a) => unwrap(&a.expr),
        Expr::TsTypeAssertion(a) => unwrap(&a.expr),
        Expr::TsConstAssertion(a) => unwrap(&a.expr),
        _ => expr,
    }
}

pub(crate) fn prop_name(prop: &MemberProp) -> Option<String> {
    match prop {
        MemberProp::Ident(i) => Some(i.sym.to_string()),
        MemberProp::Computed(c) => str_lit(&c.expr),
        MemberProp::PrivateName(p) => Some(format!("#{}", p.name)),
    }
}

pub(crate) fn key_name(key: &PropName) -> Option<String> {
    match key {
        PropName::Ident(i) => Some(i.sym.to_string()),
        PropName::Str(s) => Some(s.value.to_string_lossy().into_owned()),
        _ => None,
    }
}

/// The value of `key` in an object literal (`{ key: value }`).
pub(crate) fn object_value<'o>(obj: &'o ObjectLit, key: &str) -> Option<&'o Expr> {
    obj.props.iter().find_map(|p| match p {
        PropOrSpread::Prop(p) => match &**p {
            Prop::KeyValue(kv) if key_name(&kv.key).as_deref() == Some(key) => Some(&*kv.value),
            _ => None,
        },
        _ => None,
    })
}

pub(crate) fn object_string(obj: &ObjectLit, key: &str) -> Option<String> {
    object_value(obj, key).and_then(str_lit)
}

/// Parses a snippet as one expression; `None` unless it parses without any error.
pub(crate) fn parse_expr(text: &str, typescript: bool) -> Option<Box<Expr>> {
    let syntax = if typescript { Syntax::Typescript(TsSyntax::default()) } else { Syntax::Es(EsSyntax::default()) };
    let input = StringInput::new(text, BytePos(1), BytePos(1 + text.len() as u32));
    let mut parser = Parser::new(syntax, input, None);
    let expr = parser.parse_expr().ok()?;
    parser.take_errors().is_empty().then_some(expr)
}

/// Identifiers mentioned in an expression (names and the roots of member chains).
#[derive(Default)]
pub(crate) struct Mentions(Vec<String>);
impl Visit for Mentions {
    fn visit_ident(&mut self, i: &Ident) {
        let s = i.sym.to_string();
        if !self.0.contains(&s) {
            self.0.push(s);
        }
    }
    fn visit_member_prop(&mut self, p: &MemberProp) {
        if let MemberProp::Computed(c) = p {
            c.visit_with(self);
        }
    }
    fn visit_prop_name(&mut self, p: &PropName) {
        if let PropName::Computed(c) = p {
            c.visit_with(self);
        }
    }
}

pub(crate) fn mentions<N: VisitWith<Mentions>>(node: &N) -> Vec<String> {
    let mut m = Mentions::default();
    node.visit_with(&mut m);
    m.0
}

/// Every name a binding pattern binds (destructuring flattened).
pub(crate) fn pat_names(pat: &Pat, out: &mut Vec<String>) {
    match pat {
        Pat::Ident(i) => out.push(i.id.sym.to_string()),
        Pat::Array(a) => a.elems.iter().flatten().for_each(|p| pat_names(p, out)),
        Pat::Object(o) => {
            for p in &o.props {
                match p {
                    ObjectPatProp::KeyValue(kv) => pat_names(&kv.value, out),
                    ObjectPatProp::Assign(a) => out.push(a.key.sym.to_string()),
                    ObjectPatProp::Rest(r) => pat_names(&r.arg, out),
                }
            }
        }
        Pat::Rest(r) => pat_names(&r.arg, out),
        Pat::Assign(a) => pat_names(&a.left, out),
        _ => {}
    }
}
