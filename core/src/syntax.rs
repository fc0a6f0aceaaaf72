//! Small helpers over swc's AST, shared by the model and the rules.

use swc_common::BytePos;
use swc_ecma_ast::*;
use swc_ecma_parser::{EsSyntax, Parser, StringInput, Syntax, TsSyntax};

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
