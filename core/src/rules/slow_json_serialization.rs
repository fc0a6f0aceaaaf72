//! `slow-json-serialization`: a large list sent with `res.json`/`JSON.stringify` where a
//! schema serializer applies. Docs: [`META`].

use super::scan::{also_on, severity_ms};
use super::{Context, Placement, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::fmt_num;
use crate::cost::profile::Value;
use crate::cost::serialization;
use crate::model::{CallKind, Framework, Library};
use crate::params::Category;
use crate::syntax::{prop_name, unwrap};
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

pub struct SlowJsonSerialization;

static META: RuleMeta = RuleMeta {
    id: "slow-json-serialization",
    category: Category::Api,
    summary: "A large list response serialised by plain JSON.stringify/res.json where a schema serializer applies",
    docs: r#"## What it finds
An Express or Koa handler that sends the result of a list query — bounded by a limit of 50
rows or more, or by a limit from the request — with `res.json(rows)`, `res.send(rows)`,
`ctx.body = rows` or `JSON.stringify(rows)`: every response is serialised by the generic
`JSON.stringify`, which inspects every value's type at run time.

## Why is this bad
Serialisation runs on the event loop: while a large list is being turned into a string,
no other request makes progress. A serializer compiled once from a JSON schema
(`fast-json-stringify`, or Fastify's response schemas) knows the shape in advance; its own
benchmark puts it at ≈1.4–2.4× faster than `JSON.stringify` on objects with short strings —
and no faster (0.6–1.0×) on long strings and large nested arrays, so the estimate uses the
low end. The schema also drops fields that are not in it: nothing leaks by accident.

## Example
```js
app.get('/api/posts', async (req, res) => {
  const posts = await Post.findAll({ attributes: ['id', 'title'], limit: 200 });
  res.json(posts);
});
```
Use instead — compile once at start-up, never per request:
```js
const fastJson = require('fast-json-stringify');
const stringifyPosts = fastJson({
  type: 'array',
  items: { type: 'object', properties: { id: { type: 'integer' }, title: { type: 'string' } } },
});

app.get('/api/posts', async (req, res) => {
  const posts = await Post.findAll({ attributes: ['id', 'title'], limit: 200, raw: true });
  res.type('application/json').send(stringifyPosts(posts));
});
```

## What it leaves alone
- Fastify routes (with a `schema.response`, Fastify serialises with the compiled schema
  itself), hapi and NestJS;
- list queries with no limit: that is `unbounded-query`'s finding, fixed first;
- small lists (a literal limit under 50), single rows, and responses built from anything
  other than a list query."#,
    model: "serialization",
};

const LIST_OPS: &[&str] =
    &["findAll", "findMany", "find", "findAndCountAll", "select", "query", "execute", "getMany", "aggregate"];

impl Rule for SlowJsonSerialization {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let program = ctx.program;
        for route in &program.routes {
            if !matches!(route.framework, Framework::Express | Framework::Koa) {
                continue;
            }
            let Some(handler) = route.handler else { continue };
            let func = &program.functions[handler];
            for call in ctx.index.calls_in_function[handler].iter().map(|&c| &program.calls[c]) {
                let CallKind::Query(q) = &call.kind else { continue };
                if q.write || !(LIST_OPS.contains(&q.operation.as_str()) || q.library == Library::Knex) {
                    continue;
                }
                let Some(name) = call.result_name.as_deref() else { continue };
                let text = program.file(call.file).snippet(call.span);
                let Some(rows) = limit_of(text, ctx.profile.items.value) else { continue };
                if rows < 50.0 {
                    continue;
                }
                let parsed = program.file(func.file);
                let Some(program_ast) = &parsed.program else { continue };
                let mut v = SendFinder { name, within: func.span, found: None };
                program_ast.visit_with(&mut v);
                let Some((span, _)) = v.found else { continue };
                let how = parsed.snippet(span).trim().to_string();
                let (endpoint, others) = match ctx.placement(Some(handler)) {
                    Placement::Filtered => continue,
                    Placement::Offline => (None, 0),
                    Placement::Endpoint { label, others } => (Some(label), others),
                };
                let rows = Value { value: rows, source: "the query's limit or items".into() };
                let estimate = serialization::schema_serializer(&ctx.profile, &rows, None);
                let saved_ms = estimate.before[1].value - estimate.after[1].value;
                let Some(sev) = severity_ms(ctx, &endpoint, saved_ms) else { continue };
                let rows = rows.value;
                let message = format!(
                    "`{how}` serialises up to {} rows of `{}` with the generic `JSON.stringify` on every request. A serializer compiled once from a schema (`fast-json-stringify`) is ≈1.4–2.4× faster on rows of short strings (no faster on long text) and sends only the fields in the schema.{}",
                    fmt_num(rows),
                    q.model.clone().unwrap_or_else(|| name.to_string()),
                    also_on(others)
                );
                let before = ctx.lines(func.file, span);
                let after = rewrite(route.framework, name, &before, text, func.params.get(1).map(String::as_str));
                out.push(ctx.finding(&META, func.file, span, sev, endpoint, message, estimate, before, after));
                break;
            }
        }
    }
}

/// The number of rows a list query returns: its literal limit, the profile's `items` for a
/// limit from elsewhere, `None` without a limit (unbounded-query's).
fn limit_of(text: &str, items: f64) -> Option<f64> {
    let lower = text.to_lowercase();
    let at = ["limit", "take", "top"].iter().filter_map(|k| lower.find(k).map(|i| i + k.len())).min()?;
    let digits: String = lower[at..]
        .trim_start_matches([':', '(', ' ', '='])
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '_')
        .filter(|c| *c != '_')
        .collect();
    Some(digits.parse::<f64>().unwrap_or(items))
}

struct SendFinder<'n> {
    name: &'n str,
    within: Span,
    found: Option<(Span, String)>,
}

impl SendFinder<'_> {
    fn is_name(&self, e: &Expr) -> bool {
        matches!(unwrap(e), Expr::Ident(i) if &*i.sym == self.name)
    }
}

impl Visit for SendFinder<'_> {
    // What lies wholly outside the handler holds nothing it looks for.
    fn visit_module_item(&mut self, n: &ModuleItem) {
        let s = n.span();
        if s.lo <= self.within.hi && self.within.lo <= s.hi {
            n.visit_children_with(self);
        }
    }

    fn visit_stmt(&mut self, n: &Stmt) {
        let s = n.span();
        if s.lo <= self.within.hi && self.within.lo <= s.hi {
            n.visit_children_with(self);
        }
    }

    fn visit_call_expr(&mut self, c: &CallExpr) {
        c.visit_children_with(self);
        if self.found.is_some() || c.span.lo < self.within.lo || c.span.hi > self.within.hi {
            return;
        }
        let Callee::Expr(callee) = &c.callee else { return };
        let Expr::Member(m) = unwrap(callee) else { return };
        let method = prop_name(&m.prop).unwrap_or_default();
        let arg_is_name = c.args.len() == 1 && self.is_name(&c.args[0].expr);
        let json = matches!(unwrap(&m.obj), Expr::Ident(i) if &*i.sym == "JSON") && method == "stringify";
        if arg_is_name && (matches!(method.as_str(), "json" | "send") || json) {
            let how = if json { format!("JSON.stringify({})", self.name) } else { format!("{method}({})", self.name) };
            self.found = Some((c.span, how));
        }
    }

    fn visit_assign_expr(&mut self, a: &AssignExpr) {
        a.visit_children_with(self);
        if self.found.is_some() || a.span.lo < self.within.lo || a.span.hi > self.within.hi {
            return;
        }
        if let AssignTarget::Simple(SimpleAssignTarget::Member(m)) = &a.left {
            if prop_name(&m.prop).as_deref() == Some("body") && self.is_name(&a.right) {
                self.found = Some((a.span, format!("ctx.body = {}", self.name)));
            }
        }
    }
}

/// The fields the query selects (`attributes: ['id', 'title']`, `.select('id', 'title')`).
fn selected_fields(query: &str) -> Vec<String> {
    let Some(i) = query.find("attributes").or_else(|| query.find("select(")) else { return Vec::new() };
    let rest = &query[i..];
    let end = rest.find([']', ')']).unwrap_or(rest.len());
    rest[..end]
        .split(['\'', '"'])
        .enumerate()
        .filter(|(k, s)| k % 2 == 1 && !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .map(|(_, s)| s.to_string())
        .collect()
}

fn rewrite(framework: Framework, name: &str, before: &str, query: &str, res: Option<&str>) -> String {
    let indent: String = before.chars().take_while(|c| c.is_whitespace()).collect();
    let cap: String =
        name.chars().next().map(|c| c.to_uppercase().collect::<String>() + &name[c.len_utf8()..]).unwrap_or_default();
    let fields = selected_fields(query);
    let props = if fields.is_empty() {
        "/* the fields you send, e.g. id: { type: 'integer' }, title: { type: 'string' } */".to_string()
    } else {
        fields
            .iter()
            .map(|f| format!("{f}: {{ type: 'string' }} /* set the real type */"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let send = match framework {
        Framework::Koa => format!("ctx.type = 'application/json';\n{indent}ctx.body = stringify{cap}({name});"),
        _ => format!("{}.type('application/json').send(stringify{cap}({name}));", res.unwrap_or("res")),
    };
    format!(
        "{indent}// at start-up, once (ESM: import fastJson from 'fast-json-stringify'):\n{indent}const fastJson = require('fast-json-stringify');\n{indent}const stringify{cap} = fastJson({{\n{indent}  type: 'array',\n{indent}  items: {{ type: 'object', properties: {{ {props} }} }},\n{indent}}});\n\n{indent}// in the handler (plain rows: `raw: true` / `.lean()`):\n{indent}{send}"
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_parses, findings};
    use crate::Params;

    fn run(code: &str) -> Vec<String> {
        findings(&[("app.js", code)], &Params::default())
            .into_iter()
            .filter(|f| f.contains("slow-json-serialization"))
            .collect()
    }

    #[test]
    fn large_bounded_list_is_flagged_unbounded_and_small_are_not() {
        let code = "const express = require('express');\nconst app = express();\napp.get('/api/posts', async (req, res) => {\n  const posts = await Post.findAll({ attributes: ['id', 'title'], limit: 200 });\n  res.json(posts);\n});\n";
        // 200 rows of 2 KB: ≈2 ms of JSON.stringify → ≈1.4 ms, ≈3 % of the event loop at 50 requests/s.
        assert_eq!(run(code), ["app.js:5:3 slow-json-serialization [GET /api/posts] medium"]);
        let a = crate::analyze(&[crate::SourceFile::new("app.js", code)], &Params::default());
        let f = a.findings.iter().find(|f| f.rule == "slow-json-serialization").unwrap();
        assert_parses(&f.after);
        assert!(f.after.contains("res.type('application/json').send(stringifyPosts(posts));"), "{}", f.after);
        assert!(run(&code.replace(", limit: 200", "")).is_empty());
        assert!(run(&code.replace("limit: 200", "limit: 10")).is_empty());
    }
}
