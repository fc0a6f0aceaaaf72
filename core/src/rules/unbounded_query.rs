//! `unbounded-query`: a list query with no limit whose whole result is sent in a response.
//! Docs: [`META`].

use super::scan;
use super::{Context, Placement, Rule, RuleMeta};
use crate::analysis::{Estimate, Finding};
use crate::cost::{fmt_num, transfer};
use crate::model::{CallKind, Library, Query};
use crate::params::{Category, LoadProfile, Severity};

pub struct UnboundedQuery;

static META: RuleMeta = RuleMeta {
    id: "unbounded-query",
    category: Category::Api,
    summary: "A list query with no limit whose whole result is sent in a response",
    docs: r#"## What it finds
A read that returns every matching row — Sequelize `findAll()` / `findAndCountAll()` without
`limit`, Prisma `findMany()` without `take`, TypeORM `find()` without `take`, Mongoose
`find()` without `.limit()`, a Knex builder without `.limit()`, SQL `SELECT` without `LIMIT`
— on a request path, whose result is sent whole: `res.json(rows)`, `res.send(rows)`,
`reply.send(rows)`, `ctx.body = rows`, or returned from a handler, service or helper on the
request path (Fastify, NestJS and hapi send what a handler returns).

## Why is this bad
The response grows with the table: what returns 50 rows in development returns 200,000 in
production, and every request then reads them all from the database, builds them all as
objects on the event loop, serialises them all and sends them all. Memory, latency and
bandwidth grow without bound, and one request can stall the process. A page with a default
size and a maximum keeps every request's cost fixed.

Estimate (model `transfer`): rows per response — the profile's `items` (a stand-in for the
table's size, which only grows) vs a page of 20 — and the response's size and transfer time
scaled by the same ratio.

Severity: high; medium under the `low` load profile.

## Example
```js
app.get('/api/products', async (req, res) => {
  const products = await Product.findAll({ order: [['name', 'ASC']] });
  res.json(products);
});
```
Use instead:
```js
app.get('/api/products', async (req, res) => {
  const limit = Math.min(Number(req.query.limit) || 20, 100);
  const offset = Number(req.query.offset) || 0;
  const products = await Product.findAll({ limit, offset, order: [['name', 'ASC']] });
  res.json(products);
});
```

## What it leaves alone
- options spread from a value the code does not spell out (`findMany({ ...args, where })`
  inside a pagination helper's callback): they may carry the limit;
- queries with a limit of any kind (`limit`, `take`, `.limit()`, `LIMIT`, `first`, `TOP`,
  pagination helpers), single-row reads (`findOne`, `findByPk`, `findUnique`, `findById`,
  `WHERE id = …`) and batched reads (`IN (…)`, `$in`: bounded by their input);
- aggregates (`COUNT`, `SUM`, …) and results that are not sent whole (only their length, a
  slice, or a value computed from them);
- queries off the request path (scripts, start-up, jobs);
- a list query inside a loop (that is `n-plus-one-query`'s);
- a list query in a helper that two or more call sites share: paging the helper would cut
  short the callers that need every row; the page belongs where the rows are sent."#,
    model: "transfer",
};

const PAGE: f64 = transfer::PAGE;

const LIMITED: &[&str] = &[
    "limit",
    "take",
    "LIMIT",
    "Limit",
    "first",
    "top",
    "TOP",
    "FETCH FIRST",
    "perPage",
    "pageSize",
    "paginate",
    "findOne",
    "findUnique",
    "findByPk",
    "findById",
    "findFirst",
    "cursor",
];

/// Operations of SQL clients that return one row whatever the statement (`db.get` of
/// SQLite, `one`/`oneOrNone` of pg-promise) or run it for its effect (`run`, `exec`).
const SQL_SINGLE: &[&str] = &["get", "one", "oneOrNone", "first", "queryOne", "getOne", "fetchOne", "run", "exec", "none"];

fn list_operation(q: &Query) -> bool {
    if let Some(sql) = &q.sql {
        return !SQL_SINGLE.contains(&q.operation.as_str())
            && sql.trim_start_matches('(').get(..6).is_some_and(|w| w.eq_ignore_ascii_case("select"));
    }
    match q.library {
        Library::Knex => {
            !matches!(q.operation.as_str(), "first" | "count" | "sum" | "avg" | "min" | "max" | "countDistinct")
        }
        Library::Pg | Library::Mysql2 | Library::Sql => {
            matches!(q.operation.as_str(), "query" | "execute" | "many" | "any")
        }
        _ => matches!(
            q.operation.as_str(),
            "findAll" | "findAndCountAll" | "findMany" | "find" | "findAndCount" | "findBy"
        ),
    }
}

/// Whether the query call's arguments may carry a limit (the call's text parsed once).
fn limited_by_arguments(text: &str) -> bool {
    let Some(expr) = crate::syntax::parse_expr(text, true) else { return false };
    let swc_ecma_ast::Expr::Call(call) = crate::syntax::unwrap(&expr) else { return false };
    positional_limit(call) || spread_options(call)
}

/// `Common.find(tableName, filter, 0, 1)`, `Orders.find(filter, skip, 20)`: a project's own
/// data-access wrapper taking the page as positional numbers (chaunnt/TemplateNodeJS_HapiAndMySQL's
/// resource-access modules). No ORM's list call takes a number after its first argument, so
/// a positive number literal there is a limit.
fn positional_limit(call: &swc_ecma_ast::CallExpr) -> bool {
    call.args.iter().skip(1).any(|a| {
        matches!(crate::syntax::unwrap(&a.expr), swc_ecma_ast::Expr::Lit(swc_ecma_ast::Lit::Num(n)) if n.value >= 1.0)
    })
}

/// `prisma.user.findMany({ ...args, where })`: options spread from a value the code does not
/// spell out — a pagination helper's arguments (`findManyCursorConnection((args) => …)`,
/// amori95917/connyct-node-api-nestjs-prisma-postgreSQL) — may carry the limit.
fn spread_options(call: &swc_ecma_ast::CallExpr) -> bool {
    use swc_ecma_ast::{Expr, PropOrSpread};
    let Some(Expr::Object(options)) = call.args.first().map(|a| crate::syntax::unwrap(&a.expr)) else { return false };
    options
        .props
        .iter()
        .any(|p| matches!(p, PropOrSpread::Spread(s) if !matches!(crate::syntax::unwrap(&s.expr), Expr::Object(_))))
}

fn is_sql(q: &Query) -> bool {
    matches!(q.library, Library::Pg | Library::Mysql2 | Library::Sql) || q.sql.is_some()
}

impl Rule for UnboundedQuery {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for call in &ctx.program.calls {
            let CallKind::Query(q) = &call.kind else { continue };
            if q.write || q.batched || !list_operation(q) || !call.iterations.is_empty() {
                continue;
            }
            let parsed = ctx.program.file(call.file);
            let text = parsed.snippet(call.span);
            if LIMITED.iter().any(|k| text.contains(k)) || limited_by_arguments(text) {
                continue;
            }
            // SQL bound to a name elsewhere (`const sql = 'SELECT … LIMIT 20'`).
            if q.sql.as_deref().is_some_and(crate::model::sql_has_limit) {
                continue;
            }
            // A Knex aggregate (`.count(…)`, `.sum(…)`, grouped or not) answers with one row
            // per group, not the table's rows.
            if q.library == Library::Knex
                && [".count(", ".countDistinct(", ".sum(", ".avg(", ".min(", ".max("].iter().any(|a| text.contains(a))
            {
                continue;
            }
            if is_sql(q) {
                let upper = q.sql.as_deref().unwrap_or(text).to_ascii_uppercase();
                let single = upper.contains("WHERE ID =") || upper.contains(".ID =") || upper.contains("WHERE ID=");
                let aggregate = ["COUNT(", "SUM(", "AVG(", "MIN(", "MAX("].iter().any(|a| upper.contains(a));
                if !upper.contains("SELECT") || single || aggregate {
                    continue;
                }
            }
            let Some(function) = call.function else { continue };
            let (endpoint, others) = match ctx.placement(Some(function)) {
                Placement::Endpoint { label, others } => (label, others),
                _ => continue,
            };
            let func = &ctx.program.functions[function];
            let body = ctx.program.file(func.file).snippet(func.span);
            // A data layer's helper filtered by its caller (`get(match) { return
            // knex('domains').where(match) }`): the bound is the caller's filter, often one id.
            // A handler's own filter (from the request) stays reported.
            let handler = ctx.program.routes.iter().any(|r| r.handler == Some(function));
            if !handler && filtered_by_param(text, &func.params) {
                continue;
            }
            // A helper several callers share (growthbook's model functions): the page belongs
            // at the call that sends the rows, not in the helper (a `limit` there would cut
            // every other caller's list short).
            if !handler && ctx.index.callers[function].len() >= 2 {
                continue;
            }
            // Knex by primary key: one row.
            if q.library == Library::Knex
                && ["where(\"id\"", "where('id'", "where({ id", "where({id"].iter().any(|k| text.contains(k))
            {
                continue;
            }
            // A query builder kept in a variable and paged later (`let q = DB(table); if
            // (limit) q.limit(limit);`, chaunnt's resource-access modules).
            if call
                .result_name
                .as_ref()
                .is_some_and(|r| [".limit(", ".first(", ".paginate("].iter().any(|m| body.contains(&format!("{r}{m}"))))
            {
                continue;
            }
            let (lines, start) = scan::lines_of(parsed, call.span);
            let lo = parsed.offset(call.span.lo) as usize - start;
            let prefix = &lines[..lo.min(lines.len())];
            // A query builder kept in a variable and paged in a statement of its own
            // (`query\n  .orderBy(…)\n  .limit(params.limit)`, kutt's data layer).
            if call.result_name.as_ref().is_some_and(|r| paged_later(body, r)) {
                continue;
            }
            let sent = match &call.result_name {
                Some(r) => sent_whole(body, r),
                None => ["res.json(", "res.send(", "reply.send(", "ctx.body =", "return "]
                    .iter()
                    .any(|s| prefix.contains(s)),
            };
            if !sent {
                continue;
            }
            let severity = if ctx.params.load_profile == LoadProfile::Low { Severity::Medium } else { Severity::High };
            let what = match q.library {
                _ if q.sql.is_some() => "a `SELECT` without `LIMIT`",
                Library::Prisma => "`findMany()` without `take`",
                Library::TypeOrm => "`find()` without `take`",
                Library::Mongoose | Library::MongoDb => "`find()` without `.limit()`",
                Library::Knex => "a Knex query without `.limit()`",
                Library::Pg | Library::Mysql2 | Library::Sql => "a `SELECT` without `LIMIT`",
                _ => "a list query without `limit`",
            };
            let what = {
                let mut c = what.chars();
                c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
            };
            let message = format!(
                "{what} on `{endpoint}` reads and sends every row{}: the response grows with the table. Page it: a `limit` from the query string with a default ({}) and a maximum, and an offset or cursor.{}",
                q.model.as_deref().map(|m| format!(" of `{m}`")).unwrap_or_default(),
                fmt_num(PAGE),
                scan::also_on(others)
            );
            let request = request_expr(&func.params);
            // Only in the API of a library the program really uses (library_api).
            let after = match super::library_api::resolve(ctx, q.library) {
                Some(library) => {
                    let q = Query { library, ..q.clone() };
                    rewrite(&q, &lines, lo, lo + text.len(), &request).unwrap_or_default()
                }
                None => String::new(),
            };
            out.push(ctx.finding(
                &META,
                call.file,
                call.span,
                severity,
                Some(endpoint),
                message,
                estimate(ctx),
                lines,
                after,
            ));
        }
    }
}

/// Is `name` sent whole by the function's text: `res.json(name)`, `res.send({ items: name })`,
/// `ctx.body = name`, `return name`?
/// Whether the query's `where(…)` filter is one of the function's parameters, as is or
/// through a call (`where(match)`, `where(normalizeMatch(match))`).
fn filtered_by_param(text: &str, params: &[String]) -> bool {
    text.match_indices("where(").any(|(i, w)| {
        let rest = &text[i + w.len()..];
        let arg: String = rest.chars().take_while(|c| *c != ')' && *c != ',').collect();
        let inner = arg.rsplit('(').next().unwrap_or(&arg).trim();
        params.iter().any(|p| p == inner)
    })
}

/// Whether a statement starting with `name` (`query`, then `.orderBy(…)` lines) pages it
/// within its next lines.
fn paged_later(body: &str, name: &str) -> bool {
    let lines: Vec<&str> = body.lines().collect();
    lines.iter().enumerate().any(|(i, l)| {
        let t = l.trim();
        t.strip_prefix(name).is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with(' '))
            && lines[i..(i + 12).min(lines.len())].iter().any(|l| l.contains(".limit(") || l.contains(".paginate("))
    })
}

fn sent_whole(body: &str, name: &str) -> bool {
    for line in body.lines() {
        let t = line.trim();
        let Some(at) = ["res.json(", "res.send(", "reply.send(", "ctx.body =", "return ", ".json(", ".send("]
            .iter()
            .filter_map(|s| t.find(s).map(|i| i + s.len()))
            .min()
        else {
            continue;
        };
        let rest = &t[at..];
        let mut from = 0;
        while let Some(i) = rest[from..].find(name) {
            let i = from + i;
            let before = rest[..i].chars().next_back();
            let after = &rest[i + name.len()..];
            let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
            let word = !before.is_some_and(|c| ident(c) || c == '.') && !after.chars().next().is_some_and(ident);
            let partial = after.starts_with(".length")
                || after.starts_with(".slice")
                || after.starts_with('[')
                || after.starts_with(".find(")
                || after.starts_with(".reduce");
            // Inside another call's arguments (`res.json(joinProducts(sales, …))`) it is an
            // input to a computed value, not the response.
            let depth = rest[..i].matches('(').count() as i64 - rest[..i].matches(')').count() as i64;
            if word && !partial && depth <= 0 {
                return true;
            }
            from = i + name.len();
        }
    }
    false
}

/// Where the function reads its query string from.
fn request_expr(params: &[String]) -> Option<String> {
    for p in params {
        match p.as_str() {
            "req" | "request" => return Some(format!("{p}.query")),
            "ctx" => return Some("ctx.query".into()),
            _ => {}
        }
    }
    None
}

/// The call's lines with a page: `limit`/`offset` read from the query string (or defaults in
/// a helper) and the library's own paging.
fn rewrite(q: &Query, lines: &str, lo: usize, hi: usize, request: &Option<String>) -> Option<String> {
    let hi = hi.min(lines.len());
    let call = lines.get(lo..hi)?;
    let indent: String = lines.chars().take_while(|c| c.is_whitespace() && *c != '\n').collect();
    let head = match request {
        Some(r) => format!(
            "{indent}const limit = Math.min(Number({r}.limit) || {page}, 100);\n{indent}const offset = Number({r}.offset) || 0;\n",
            page = fmt_num(PAGE)
        ),
        None => format!("{indent}const limit = {page}, offset = 0; // from the request: ?limit=&offset=\n", page = fmt_num(PAGE)),
    };
    // SQL through an ORM's raw call (`sequelize.query`, `$queryRaw`) or through a project's
    // own helper (`rawQuery(sql, params)`): how it takes parameters is its own.
    let sql_client = matches!(q.library, Library::Pg | Library::Mysql2 | Library::Sql);
    if q.sql.is_some() && !sql_client
        || q.library == Library::Sql && (q.receiver.is_empty() || !["query", "execute", "all"].contains(&q.operation.as_str()))
    {
        return None;
    }
    let new_call = match q.library {
        Library::Mongoose | Library::MongoDb => {
            if let Some(base) = call.strip_suffix(".exec()") {
                format!("{base}.skip(offset).limit(limit).exec()")
            } else if let Some(base) = call.strip_suffix(".toArray()") {
                format!("{base}.skip(offset).limit(limit).toArray()")
            } else {
                format!("{call}.skip(offset).limit(limit)")
            }
        }
        Library::Knex => format!("{call}.limit(limit).offset(offset)"),
        Library::Pg | Library::Mysql2 | Library::Sql if call.contains(", [") => {
            // `query('… WHERE a = $1', [x])`: the page's placeholders come after the user's own.
            let expr = crate::syntax::parse_expr(call, true)?;
            let swc_ecma_ast::Expr::Call(c) = &*expr else { return None };
            let [sql_arg, params_arg] = &c.args[..] else { return None };
            let text = |e: &swc_ecma_ast::Expr| {
                use swc_common::Spanned;
                &call[(e.span().lo.0 - 1) as usize..(e.span().hi.0 - 1) as usize]
            };
            let (swc_ecma_ast::Expr::Lit(swc_ecma_ast::Lit::Str(_)), swc_ecma_ast::Expr::Array(list)) =
                (&*sql_arg.expr, &*params_arg.expr)
            else {
                return None;
            };
            let sql_text = text(&sql_arg.expr);
            let quote = sql_text.chars().next()?;
            let sql = sql_text[1..sql_text.len() - 1].trim_end().trim_end_matches(';');
            let lower = sql.to_ascii_lowercase();
            if lower.contains(" limit ") || lower.contains(" offset ") {
                return None;
            }
            let n = list.elems.len();
            let ph = if q.library == Library::Pg || sql.contains('$') {
                (format!("${}", n + 1), format!("${}", n + 2))
            } else {
                ("?".to_string(), "?".to_string())
            };
            let params_text = text(&params_arg.expr);
            let inner = params_text[1..params_text.len() - 1].trim().trim_end_matches(',');
            let sep = if inner.is_empty() { "" } else { ", " };
            let head = {
                use swc_common::Spanned;
                &call[..(sql_arg.expr.span().lo.0 - 1) as usize]
            };
            format!("{head}{quote}{sql} LIMIT {} OFFSET {}{quote}, [{inner}{sep}limit, offset])", ph.0, ph.1)
        }
        Library::Pg | Library::Mysql2 | Library::Sql => {
            // Only `query('…')` with no parameters: append placeholders and the values.
            let open = call.find('(')?;
            let inner = call[open + 1..].strip_suffix(')')?.trim();
            let quote = inner.chars().next()?;
            if !matches!(quote, '\'' | '"' | '`')
                || !inner.ends_with(quote)
                || inner[1..inner.len() - 1].contains(quote)
            {
                return None;
            }
            let sql = inner[1..inner.len() - 1].trim_end().trim_end_matches(';');
            let ph = if q.library == Library::Pg { ("$1", "$2") } else { ("?", "?") };
            format!("{}({quote}{sql} LIMIT {} OFFSET {}{quote}, [limit, offset])", &call[..open], ph.0, ph.1)
        }
        _ => {
            let opts = match q.library {
                Library::Prisma | Library::TypeOrm => "take: limit, skip: offset",
                _ => "limit, offset",
            };
            let at = call.rfind(&format!("{}(", q.operation))? + q.operation.len() + 1;
            let rest = call[at..].trim_start();
            if rest.starts_with(')') {
                format!("{}{{ {opts} }}{}", &call[..at], &call[at..])
            } else if rest.starts_with('{') {
                let brace = at + call[at..].find('{')? + 1;
                format!("{} {opts},{}", &call[..brace], &call[brace..])
            } else {
                return None;
            }
        }
    };
    Some(format!("{head}{}{new_call}{}", &lines[..lo], &lines[hi..]))
}

/// The pagination model (`cost::transfer::pagination`): the whole list vs a page.
fn estimate(ctx: &Context) -> Estimate {
    transfer::pagination(&ctx.profile, None)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_parses, rule_findings};
    use crate::Params;

    fn of(src: &str) -> Vec<crate::analysis::Finding> {
        rule_findings("unbounded-query", &[("a.js", src)], &Params::all_rules())
    }

    #[test]
    fn a_whole_table_sent_by_res_json_is_paged() {
        let src = "app.get('/p', async (req, res) => {\n  const products = await Product.findAll({ order: [['name', 'ASC']] });\n  res.json(products);\n});\n";
        let f = of(src);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].line, 2);
        assert_eq!(
            f[0].after,
            "  const limit = Math.min(Number(req.query.limit) || 20, 100);\n  const offset = Number(req.query.offset) || 0;\n  const products = await Product.findAll({ limit, offset, order: [['name', 'ASC']] });"
        );
        assert_parses(&f[0].after);
    }

    #[test]
    fn sql_with_parameters_gets_the_page_placeholders_after_its_own() {
        let pg = "const { Pool } = require('pg');\nconst pool = new Pool();\napp.get('/o', async (req, res) => {\n  const { rows } = await pool.query('SELECT * FROM orders WHERE customer_id = $1 ORDER BY id', [req.query.customer]);\n  res.json(rows);\n});\n";
        let f = of(pg);
        assert_eq!(f.len(), 1, "{f:?}");
        crate::rules::testing::assert_parses(&f[0].after);
        assert!(
            f[0].after.contains("pool.query('SELECT * FROM orders WHERE customer_id = $1 ORDER BY id LIMIT $2 OFFSET $3', [req.query.customer, limit, offset]);"),
            "{}",
            f[0].after
        );
        let mysql = pg
            .replace(
                "const { Pool } = require('pg');\nconst pool = new Pool();",
                "const mysql = require('mysql2/promise');\nconst pool = mysql.createPool({});",
            )
            .replace("$1", "?")
            .replace("const { rows }", "const [rows]");
        let f = of(&mysql);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].after.contains("customer_id = ? ORDER BY id LIMIT ? OFFSET ?', [req.query.customer, limit, offset]);"),
            "{}",
            f[0].after
        );
    }

    #[test]
    fn limited_single_row_and_unsent_results_are_left_alone() {
        let src = "app.get('/p', async (req, res) => {\n  const a = await Product.findAll({ limit: 10 });\n  const b = await Product.findAll();\n  const c = await Product.findOne({ where: { id: 1 } });\n  res.json({ a, count: b.length, c });\n});\n";
        assert!(of(src).is_empty(), "{:?}", of(src));
        let derived = "app.get('/s', async (req, res) => {\n  const sales = await Sale.findAll();\n  res.json(joinProducts(sales));\n});\n";
        assert!(of(derived).is_empty(), "{:?}", of(derived));
    }
}
