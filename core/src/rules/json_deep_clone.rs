//! `json-deep-clone`: `JSON.parse(JSON.stringify(x))` used to copy a value. Docs: [`META`].

use super::scan::{self, lines_of, Hooks, State};
use super::{Context, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::{complexity, fmt_num};
use crate::params::Category;
use crate::syntax::{prop_name, unwrap};
use swc_common::Spanned;
use swc_ecma_ast::*;

pub struct JsonDeepClone;

static META: RuleMeta = RuleMeta {
    id: "json-deep-clone",
    category: Category::Algorithms,
    summary: "A deep copy made by serialising to JSON and parsing it back",
    docs: r#"## What it finds
`JSON.parse(JSON.stringify(value))` — a deep copy made by turning a value into a JSON string
and parsing the string back — inside a function (per request, per item, per call).

## Why is this bad
The value is walked twice (once to write the string, once to read it) and a throwaway
string as large as the whole value is allocated in between, on the event loop. It is also
lossy: `Date`s come back as strings, `undefined`, functions and symbols vanish, `Map`s and
`Set`s become `{}`, `NaN`/`Infinity` become `null`, and a cycle throws. `structuredClone`
(Node 17+, every current browser) copies in one walk with none of these losses. Often the
best fix is no deep copy at all: copy only what you change (`{ ...user, name }`).

## Example
```js
app.get('/api/settings', (req, res) => {
  const settings = JSON.parse(JSON.stringify(defaults));
  settings.theme = req.query.theme;
  res.json(settings);
});
```
Use instead:
```js
const settings = structuredClone(defaults);
```

## What it leaves alone
- `JSON.stringify` with a replacer or indentation and `JSON.parse` with a reviver: the
  round trip transforms the value on purpose;
- `JSON.parse` of anything else (a request body, a file, a cache entry);
- module-level start-up code, run once when the module loads."#,
    model: "complexity",
};

impl Rule for JsonDeepClone {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for file in 0..ctx.program.files.len() {
            let mut finder = Finder { ctx, file, out: Vec::new() };
            scan::walk(ctx.program, file, &mut finder);
            out.extend(finder.out);
        }
    }
}

struct Finder<'c, 'p> {
    ctx: &'c Context<'p>,
    file: usize,
    out: Vec<Finding>,
}

/// `JSON.<method>(…)` with exactly one plain argument: that argument.
fn json_call<'e>(expr: &'e Expr, method: &str) -> Option<&'e Expr> {
    let Expr::Call(c) = unwrap(expr) else { return None };
    json_call_of(c, method)
}

fn json_call_of<'e>(c: &'e CallExpr, method: &str) -> Option<&'e Expr> {
    let Callee::Expr(callee) = &c.callee else { return None };
    let Expr::Member(m) = unwrap(callee) else { return None };
    let Expr::Ident(obj) = unwrap(&m.obj) else { return None };
    if &*obj.sym != "JSON" || prop_name(&m.prop).as_deref() != Some(method) {
        return None;
    }
    match c.args.as_slice() {
        [arg] if arg.spread.is_none() => Some(&arg.expr),
        _ => None,
    }
}

impl Hooks for Finder<'_, '_> {
    fn call(&mut self, call: &CallExpr, state: &State) {
        let Some(inner) = json_call_of(call, "parse") else { return };
        let Some(value) = json_call(inner, "stringify") else { return };
        let Some(function) = scan::function_at(self.ctx, self.file, call.span) else { return };
        let (endpoint, others) = match self.ctx.placement(Some(function)) {
            super::Placement::Filtered => return,
            super::Placement::Offline => (None, 0),
            super::Placement::Endpoint { label, others } => (Some(label), others),
        };
        let parsed = self.ctx.program.file(self.file);
        let value_text = parsed.snippet(value.span()).trim().to_string();
        let n = self.ctx.profile.items.value.max(0.0).round();
        // The copied value: a list of `items` values; once per item when inside an iteration.
        let per_item = state.frames.iter().find(|f| !f.small);
        let mut ops = complexity::json_clone_ops(n);
        let mut shape = format!("2·s vs s, s = {} values", fmt_num(n));
        if per_item.is_some() {
            ops = complexity::Ops { before: ops.before * n, after: ops.after * n };
            shape = format!("{shape}, × {} items", fmt_num(n));
        }
        let estimate = complexity::estimate(&self.ctx.profile, ops, "value copies", &shape);
        let Some(severity) = scan::severity(self.ctx, &endpoint, ops) else { return };
        let where_ = match per_item {
            Some(f) => format!(" once per item of `{}` ({})", state.collection_text(f), f.describe()),
            None => String::new(),
        };
        let message = format!(
            "`JSON.parse(JSON.stringify({value_text}))` deep-copies `{value_text}`{where_} by writing it to a string and parsing it back: two walks, a throwaway string, and `Date`s, `undefined`, `Map`s and `Set`s are lost. Use `structuredClone({value_text})`, or copy only what changes.{}",
            scan::also_on(others)
        );
        let (lines, start) = lines_of(parsed, call.span);
        let lo = parsed.offset(call.span.lo) as usize - start;
        let hi = parsed.offset(call.span.hi) as usize - start;
        let mut after = lines.clone();
        after.replace_range(lo..hi, &format!("structuredClone({value_text})"));
        self.out
            .push(self.ctx.finding(&META, self.file, call.span, severity, endpoint, message, estimate, lines, after));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_parses, findings};
    use crate::{analyze, Params, SourceFile};

    #[test]
    fn flags_the_round_trip_and_rewrites_it() {
        let src =
            "app.get('/s', (req, res) => {\n  const s = JSON.parse(JSON.stringify(defaults));\n  res.json(s);\n});\n";
        // One clone of the profile's 50 values saves ≈0.5 µs: not a finding (cost::worth).
        let small = analyze(&[SourceFile::new("a.js", src)], &Params::default());
        assert!(small.findings.iter().all(|f| f.rule != "json-deep-clone"));
        let mut big = Params::default();
        big.set_cost("items", "5000", "test").unwrap();
        let a = analyze(&[SourceFile::new("a.js", src)], &big);
        let f: Vec<_> = a.findings.iter().filter(|f| f.rule == "json-deep-clone").collect();
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].line, f[0].column), (2, 13));
        assert_eq!(f[0].endpoint.as_deref(), Some("GET /s"));
        assert_eq!(f[0].after, "  const s = structuredClone(defaults);");
        assert_parses(&f[0].after);
    }

    #[test]
    fn replacers_revivers_other_parses_and_module_level_are_left_alone() {
        let src = "const base = JSON.parse(JSON.stringify(config));\nfunction f(x, body) {\n  JSON.parse(JSON.stringify(x, null, 2));\n  JSON.parse(JSON.stringify(x), reviver);\n  return JSON.parse(body);\n}\n";
        let found: Vec<String> = findings(&[("a.js", src)], &Params::default())
            .into_iter()
            .filter(|f| f.contains("json-deep-clone"))
            .collect();
        assert!(found.is_empty(), "{found:?}");
    }
}
