//! `n-plus-one-query`: a database query per item of a collection. Docs: [`META`].

use super::{Context, Placement, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::queries;
use crate::model::{CallSite, IterationKind, Library, Query};
use crate::params::{Category, Severity};
use crate::syntax::{key_name, object_value, parse_expr};
use swc_common::Spanned;
use swc_ecma_ast::{Callee, Expr, Lit, ObjectLit, Prop, PropOrSpread};

pub struct NPlusOneQuery;

static META: RuleMeta = RuleMeta {
    id: "n-plus-one-query",
    category: Category::Api,
    summary: "A database query per item of a collection (1 + N queries)",
    docs: r#"## What it finds
A database query run once per item of a collection: inside a `for`, `for…of`, `for…in`,
`while` or `do…while` loop, or in a per-item callback (`.map`, `.forEach`, `.reduce`, …,
also inside `Promise.all(items.map(…))`), for Sequelize, Prisma, TypeORM, Mongoose, the
MongoDB driver, Knex, node-postgres, mysql2 and SQL clients. A helper that queries, called
from a handler, is on that handler's endpoint. Writes per item are found too (→ one bulk
write).

## Why is this bad
Every query is a network round trip plus work in the database. A list of N items turns
one request into `1 + N` queries: 51 for the seed's 50-post feed. Database time grows
with N, the connection pool drains under load, and tail latency follows.

## Example
```js
app.get('/api/users', async (req, res) => {
  const users = await User.findAll();
  for (const user of users) {
    user.posts = await Post.findAll({ where: { userId: user.id } }); // N queries
  }
  res.json(users);
});
```
Use instead — eager loading (one query with a JOIN):
```js
const users = await User.findAll({ include: [{ model: Post, as: 'posts' }] });
```
or one batched query (`IN (…)`) grouped in memory, or a DataLoader.

## What it leaves alone
- queries already batched: `$in`, `Op.in`, `{ in: ids }`, `In(ids)`, `whereIn`, `IN (…)`,
  `ANY($1)`; DataLoader `load`/`loadMany` calls;
- loops whose iterations depend on each other: cursor or page pagination, polling, queue
  draining, retries (the loop's condition uses what the body assigns or awaits, or the
  body leaves the loop on an awaited result);
- loops that wait on purpose (`await sleep(ms)`), and `for await` over a stream or cursor;
- iterations over a literal array (`for (const t of ['a', 'b'])`): small and constant;
- a query in a loop that does not depend on the item (hoisting it is a different fix)."#,
    model: "queries",
};

impl Rule for NPlusOneQuery {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for call in &ctx.program.calls {
            let crate::model::CallKind::Query(query) = &call.kind else {
                continue;
            };
            if query.batched {
                continue;
            }
            let Some(iteration) = ctx.program.iterations_of(call).next() else {
                continue;
            };
            if iteration.kind == IterationKind::ForAwait || iteration.dependent || iteration.throttled {
                continue;
            }
            if iteration.collection.as_deref().is_some_and(|c| c.trim_start().starts_with('[')) {
                continue;
            }
            // Per item: the query uses the item (or something derived from it in the body).
            if !call.mentions.iter().any(|m| iteration.item_names.contains(m)) {
                continue;
            }
            let (endpoint, others) = match ctx.placement(call.function) {
                Placement::Filtered => continue,
                Placement::Offline => (None, 0),
                Placement::Endpoint { label, others } => (Some(label), others),
            };
            let parallel = iteration.in_promise_all;
            let estimate = if query.write {
                queries::per_item_writes(&ctx.profile, parallel)
            } else {
                queries::n_plus_one(&ctx.profile, parallel)
            };
            let severity = match endpoint {
                None => Severity::Low,
                Some(_) => {
                    let n = ctx.profile.items.value;
                    if n >= 100.0 {
                        Severity::Critical
                    } else if n >= 20.0 {
                        Severity::High
                    } else {
                        Severity::Medium
                    }
                }
            };
            let file = ctx.program.file(call.file);
            let callee = callee_text(file.snippet(call.span));
            let collection = iteration.collection.clone().unwrap_or_else(|| "the collection".into());
            let how = match &iteration.kind {
                IterationKind::Loop(kind) => format!("{kind} loop"),
                IterationKind::Callback(m) if parallel => {
                    format!("`.{m}` callback in `Promise.all`")
                }
                IterationKind::Callback(m) => format!("`.{m}` callback"),
                IterationKind::ForAwait => unreachable!("skipped above"),
            };
            let mut message = if query.write {
                format!(
                    "`{callee}` writes once per item of `{collection}` ({how}): N round trips per request. {}",
                    bulk_advice(query)
                )
            } else {
                format!(
                    "`{callee}` runs once per item of `{collection}` ({how}): 1 + N queries per request. {}",
                    read_advice(query)
                )
            };
            if others > 0 {
                message.push_str(&format!(" Also on {others} other endpoint{}.", if others == 1 { "" } else { "s" }));
            }
            let before = ctx.lines(call.file, iteration.statement);
            let after = if query.write { None } else { rewrite(ctx, call, query, iteration) };
            out.push(ctx.finding(
                &META,
                call.file,
                call.span,
                severity,
                endpoint,
                message,
                estimate,
                before,
                after.unwrap_or_default(),
            ));
        }
    }
}

/// `Post.findAll({ where: … })` → `Post.findAll`; `knex('t').where({…})` → `knex('t').where`.
fn callee_text(call: &str) -> String {
    // Walk back from the final `)` to the `(` that opens the call's own arguments.
    let bytes = call.as_bytes();
    let mut depth = 0i32;
    let mut open = None;
    for (i, &b) in bytes.iter().enumerate().rev() {
        match b {
            b')' | b']' | b'}' => depth += 1,
            b'(' | b'[' | b'{' => {
                depth -= 1;
                if depth == 0 {
                    open = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let prefix: String = call[..open.unwrap_or(call.len())].split_whitespace().collect();
    if prefix.chars().count() > 60 {
        let end = call.find('(').unwrap_or(call.len());
        return call[..end].split_whitespace().collect();
    }
    prefix
}

fn read_advice(q: &Query) -> &'static str {
    match q.library {
        Library::Sequelize | Library::Orm => {
            "Eager-load it (`include`) or fetch all items' rows in one query (`where: { key: ids }`)."
        }
        Library::Prisma => {
            "Eager-load it (`include`) or fetch all rows in one `findMany({ where: { key: { in: ids } } })`."
        }
        Library::TypeOrm => {
            "Load the relation (`relations` / `leftJoinAndSelect`) or fetch all rows in one `findBy({ key: In(ids) })`."
        }
        Library::Mongoose => "Use `populate` or fetch all documents in one `find({ key: { $in: ids } })`.",
        Library::MongoDb => "Fetch all documents in one `find({ key: { $in: ids } })` or a `$lookup`.",
        Library::Knex => "Fetch all rows in one query with `whereIn('key', ids)` or a join.",
        Library::Pg | Library::Mysql2 | Library::Sql => {
            "Fetch all rows in one query (`WHERE key = ANY($1)` / `IN (?)`) or a JOIN."
        }
    }
}

fn bulk_advice(q: &Query) -> &'static str {
    match q.library {
        Library::Sequelize | Library::Orm => {
            "Write them in one call (`bulkCreate`, or `update`/`destroy` with `where: { id: ids }`)."
        }
        Library::Prisma => {
            "Write them in one call (`createMany`, `updateMany`, `deleteMany`) or one `$transaction([...])`."
        }
        Library::TypeOrm => "Write them in one call: `save(entities)` / `insert(rows)` with an array.",
        Library::Mongoose => "Write them in one call (`insertMany`, `bulkWrite`, `updateMany`).",
        Library::MongoDb => "Write them in one call (`insertMany`, `bulkWrite`).",
        Library::Knex => "Write them in one call: `insert(rows)` with an array, or `whereIn` for updates.",
        Library::Pg | Library::Mysql2 | Library::Sql => {
            "Write them in one multi-row statement (`INSERT … VALUES (…), (…)` / `unnest`)."
        }
    }
}

/// The single-row operations (one row per item) versus list operations.
fn single_row(op: &str) -> bool {
    matches!(
        op,
        "findOne"
            | "findByPk"
            | "findUnique"
            | "findUniqueOrThrow"
            | "findFirst"
            | "findFirstOrThrow"
            | "findById"
            | "findOneBy"
            | "findOneOrFail"
            | "findOneByOrFail"
    )
}

/// The list operation a single-row operation becomes when batched.
fn list_op(q: &Query) -> &'static str {
    match q.library {
        Library::Prisma => "findMany",
        Library::TypeOrm => "findBy",
        Library::Mongoose | Library::MongoDb => "find",
        _ => "findAll",
    }
}

/// In a filter object, the one key whose value uses the item: `{ userId: user.id }`.
fn item_key(obj: &ObjectLit, text: &str, item: &str) -> Option<(String, std::ops::Range<usize>)> {
    let mut found = None;
    for p in &obj.props {
        let PropOrSpread::Prop(p) = p else { continue };
        let Prop::KeyValue(kv) = &**p else { continue };
        let range = (kv.value.span().lo.0 - 1) as usize..(kv.value.span().hi.0 - 1) as usize;
        let value = &text[range.clone()];
        if mentions_name(value, item) {
            if found.is_some() {
                return None; // two keys depend on the item: a composite lookup
            }
            found = Some((key_name(&kv.key)?, range));
        }
    }
    found
}

fn mentions_name(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
        !word(before) && !word(after) && before != Some('.')
    })
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

fn plural(s: &str) -> String {
    if s.ends_with('s') {
        s.to_string()
    } else if let Some(stem) = s.strip_suffix('y').filter(|st| !st.ends_with(['a', 'e', 'i', 'o', 'u'])) {
        format!("{stem}ies")
    } else {
        format!("{s}s")
    }
}

fn singular(s: &str) -> String {
    if let Some(stem) = s.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = s.strip_suffix('s').filter(|st| !st.ends_with('s')) {
        stem.to_string()
    } else {
        s.to_string()
    }
}

/// Rewrites the iteration's lines so that one batched query replaces the per-item queries:
/// collect the keys, run the query once with an `IN` filter in the library's own syntax,
/// group the rows by key in a `Map`, and read from the map inside the loop.
/// Returns `None` when the query's shape is not one it can rewrite faithfully.
fn rewrite(ctx: &Context, call: &CallSite, query: &Query, iteration: &crate::model::Iteration) -> Option<String> {
    let file = ctx.program.file(call.file);
    // The item must be the element itself (`for…of`, a callback's first parameter), not a
    // counter (`for (let i…)`), so that the keys can be collected with `collection.map`.
    if !matches!(&iteration.kind, IterationKind::Loop("for…of") | IterationKind::Callback(_)) {
        return None;
    }
    let item = iteration.item_names.first()?.clone();
    let collection = iteration.collection.clone()?;
    if !collection.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.') {
        return None;
    }
    let call_text = file.snippet(call.span);
    let typescript = file.path.ends_with("ts") || file.path.ends_with("tsx");
    let expr = parse_expr(call_text, typescript)?;
    let Expr::Call(c) = &*expr else { return None };
    let Callee::Expr(callee_expr) = &c.callee else {
        return None;
    };
    let Expr::Member(member) = &**callee_expr else {
        return None;
    };
    let receiver = &call_text[(member.obj.span().lo.0 - 1) as usize..(member.obj.span().hi.0 - 1) as usize];
    let op = query.operation.as_str();
    let arg = c.args.first()?;
    if c.args.len() > 1 || arg.spread.is_some() {
        return None;
    }
    let arg_range = (arg.expr.span().lo.0 - 1) as usize..(arg.expr.span().hi.0 - 1) as usize;
    let mongo = matches!(query.library, Library::Mongoose | Library::MongoDb);

    // The key the rows are matched on, and where the item's value sits in the call's text.
    let (key, value_range) = match (&*arg.expr, op) {
        (value, "findByPk") => {
            let r = arg_range.clone();
            if !mentions_name(&call_text[r.clone()], &item) || matches!(value, Expr::Object(_)) {
                return None;
            }
            ("id".to_string(), r)
        }
        (value, "findById") => {
            let r = arg_range.clone();
            if !mentions_name(&call_text[r.clone()], &item) || matches!(value, Expr::Object(_)) {
                return None;
            }
            ("_id".to_string(), r)
        }
        (Expr::Object(obj), _) => {
            let filter = match query.library {
                Library::Sequelize | Library::Orm | Library::Prisma => match object_value(obj, "where")? {
                    Expr::Object(w) => w,
                    _ => return None,
                },
                Library::TypeOrm if op.ends_with("By") || op == "findOneBy" => obj,
                Library::TypeOrm => match object_value(obj, "where")? {
                    Expr::Object(w) => w,
                    _ => return None,
                },
                Library::Mongoose | Library::MongoDb => obj,
                _ => return None,
            };
            item_key(filter, call_text, &item)?
        }
        _ => return None,
    };
    let value = call_text[value_range.clone()].trim().to_string();
    if matches!(parse_expr(&value, typescript).as_deref(), Some(Expr::Lit(Lit::Str(_))) | None) {
        return None;
    }

    // Names from the user's own: `users`/`user` → `userIds`, `Post` → `allPosts`, `postsByUserId`.
    let field = value.strip_prefix(&format!("{item}.")).filter(|f| f.chars().all(|c| c.is_alphanumeric() || c == '_'));
    let ids = match field {
        _ if value == item => collection.clone(),
        Some("id") | Some("_id") => format!("{}Ids", lower_first(&singular(&item))),
        Some(f) => plural(f),
        None => format!("{}Keys", lower_first(&singular(&item))),
    };
    let model = query.model.clone().unwrap_or_else(|| {
        let last = query.receiver.rsplit('.').next().unwrap_or("row");
        let stem = ["Repository", "Repo", "Model", "Collection"]
            .iter()
            .fold(last, |s, suffix| s.strip_suffix(suffix).unwrap_or(s));
        if stem.is_empty() {
            "row".to_string()
        } else {
            stem.to_string()
        }
    });
    let model_name = lower_first(&singular(model.rsplit('.').next().unwrap_or(&model)));
    let rows = format!("all{}", capitalize(&plural(&model_name)));
    let row = if model_name == item { format!("{model_name}Row") } else { model_name.clone() };
    let single = single_row(op);
    let map = if single {
        format!("{model_name}By{}", capitalize(key.trim_start_matches('_')))
    } else {
        format!("{}By{}", plural(&model_name), capitalize(key.trim_start_matches('_')))
    };
    let key_expr = |base: &str| {
        if mongo {
            format!("String({base})")
        } else {
            base.to_string()
        }
    };

    // The batched call: the same call with the item's value replaced by the whole key list.
    let in_form = match query.library {
        Library::Sequelize | Library::Orm => ids.clone(),
        Library::Prisma => format!("{{ in: {ids} }}"),
        Library::TypeOrm => format!("In({ids})"),
        Library::Mongoose | Library::MongoDb => format!("{{ $in: {ids} }}"),
        _ => return None,
    };
    let batched_call = match op {
        "findByPk" => format!("{receiver}.findAll({{ where: {{ id: {ids} }} }})"),
        "findById" => format!("{receiver}.find({{ _id: {{ $in: {ids} }} }})"),
        _ => {
            let mut text = call_text.to_string();
            text.replace_range(value_range.clone(), &in_form);
            if single {
                let op_start = (member.prop.span().lo.0 - 1) as usize;
                let op_end = (member.prop.span().hi.0 - 1) as usize;
                text.replace_range(op_start..op_end, list_op(query));
            }
            text
        }
    };

    // The driver's `find` returns a cursor.
    let batched_call =
        if query.library == Library::MongoDb { format!("{batched_call}.toArray()") } else { batched_call };

    // The iteration's lines, with the per-item query replaced by a map lookup.
    let region = iteration.statement;
    let region_start = file.lines.line_start(file.position(region.lo).0) as usize;
    let region_text = ctx.lines(call.file, region);
    let call_start = file.offset(call.span.lo) as usize - region_start;
    let call_end = file.offset(call.span.hi) as usize - region_start;
    let mut start = call_start;
    let prefix = &region_text[..call_start];
    if let Some(stripped) = prefix.trim_end().strip_suffix("await") {
        start = stripped.len();
    }
    let lookup = format!("({map}.get({}) ?? {})", key_expr(&value), if single { "null" } else { "[]" });
    let mut body = region_text.clone();
    body.replace_range(start..call_end, &lookup);

    let indent: String = region_text.chars().take_while(|c| c.is_whitespace()).collect();
    let mut after = String::new();
    let push = |after: &mut String, line: &str| {
        after.push_str(&indent);
        after.push_str(line);
        after.push('\n');
    };
    if ids != collection {
        push(&mut after, &format!("const {ids} = {collection}.map(({item}) => {value});"));
    }
    push(&mut after, &format!("const {rows} = await {batched_call};"));
    if single {
        push(
            &mut after,
            &format!("const {map} = new Map({rows}.map(({row}) => [{}, {row}]));", key_expr(&format!("{row}.{key}"))),
        );
    } else {
        push(&mut after, &format!("const {map} = new Map();"));
        push(&mut after, &format!("for (const {row} of {rows}) {{"));
        push(&mut after, &format!("  const group = {map}.get({}) ?? [];", key_expr(&format!("{row}.{key}"))));
        push(&mut after, &format!("  group.push({row});"));
        push(&mut after, &format!("  {map}.set({}, group);", key_expr(&format!("{row}.{key}"))));
        push(&mut after, "}");
    }
    after.push_str(&body);
    Some(after)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::assert_parses;
    use crate::{analyze, LoadProfile, Params, SourceFile};

    const SEED_BEFORE: &str = r#"app.get('/api/users', async (req, res) => {
  const users = await User.findAll(); // 1 query

  for (const user of users) {
    // N additional queries (1 per user)
    user.posts = await Post.findAll({ where: { userId: user.id } });
  }

  res.json(users);
});
"#;

    fn params(load: LoadProfile) -> Params {
        // Api only: the same routes also lack a response cache (missing-response-cache).
        Params { load_profile: load, target: crate::params::Target::Api, ..Params::default() }
    }

    /// This rule's findings only (the seed's outer `User.findAll()` is also an
    /// unbounded-query).
    fn findings(files: &[(&str, &str)], params: &Params) -> Vec<String> {
        crate::rules::testing::findings(files, params).into_iter().filter(|f| f.contains("n-plus-one-query")).collect()
    }

    #[test]
    fn seed_before_is_flagged_at_the_query_line() {
        let found = findings(&[("seed.js", SEED_BEFORE)], &params(LoadProfile::Medium));
        assert_eq!(found, ["seed.js:6:24 n-plus-one-query [GET /api/users] high"]);
    }

    #[test]
    fn severity_follows_the_load_profile() {
        assert_eq!(
            findings(&[("s.js", SEED_BEFORE)], &params(LoadProfile::Low)),
            ["s.js:6:24 n-plus-one-query [GET /api/users] medium"]
        );
        assert_eq!(
            findings(&[("s.js", SEED_BEFORE)], &params(LoadProfile::High)),
            ["s.js:6:24 n-plus-one-query [GET /api/users] critical"]
        );
        let script = "async function main(users) {\n  for (const u of users) await Post.findAll({ where: { userId: u.id } });\n}\n";
        assert_eq!(
            findings(&[("script.js", script)], &params(LoadProfile::High)),
            ["script.js:2:32 n-plus-one-query [-] low"]
        );
    }

    #[test]
    fn finding_carries_estimate_and_a_rewrite_that_parses() {
        let a = analyze(&[SourceFile::new("seed.js", SEED_BEFORE)], &params(LoadProfile::Medium));
        let f = a.findings.iter().find(|f| f.rule == "n-plus-one-query").unwrap();
        assert_eq!(f.estimate.model, "queries");
        assert_eq!(f.estimate.before[0].value, 51.0);
        assert_eq!(f.estimate.after[0].value, 2.0);
        assert!(f.message.contains("`Post.findAll` runs once per item of `users`"), "{}", f.message);
        assert!(f.before.contains("for (const user of users) {"), "{}", f.before);
        assert!(f.after.contains("const userIds = users.map((user) => user.id);"), "{}", f.after);
        assert!(f.after.contains("await Post.findAll({ where: { userId: userIds } })"), "{}", f.after);
        assert!(f.after.contains("user.posts = (postsByUserId.get(user.id) ?? []);"), "{}", f.after);
        assert_parses(&f.after);
    }

    #[test]
    fn rewrites_in_each_orms_syntax() {
        let cases = [
            ("prisma.js", "async function f(users) {\n  for (const user of users) {\n    user.profile = await prisma.profile.findUnique({ where: { userId: user.id } });\n  }\n}\n", "prisma.profile.findMany({ where: { userId: { in: userIds } } })"),
            ("mongoose.js", "async function f(posts) {\n  for (const post of posts) {\n    post.author = await User.findById(post.authorId);\n  }\n}\n", "User.find({ _id: { $in: authorIds } })"),
            ("typeorm.ts", "async function f(orders: Order[]) {\n  for (const order of orders) {\n    order.items = await this.itemRepository.findBy({ orderId: order.id });\n  }\n}\n", "this.itemRepository.findBy({ orderId: In(orderIds) })"),
            ("seq.js", "async function f(posts) {\n  await Promise.all(posts.map(async (post) => {\n    post.author = await User.findByPk(post.userId);\n  }));\n}\n", "User.findAll({ where: { id: userIds } })"),
        ];
        for (path, src, expected) in cases {
            let a = analyze(&[SourceFile::new(path, src)], &params(LoadProfile::Medium));
            assert_eq!(a.findings.len(), 1, "{path}");
            let after = &a.findings[0].after;
            assert!(after.contains(expected), "{path}:\n{after}");
            assert_parses(after);
        }
    }

    #[test]
    fn writes_per_item_ask_for_a_bulk_write() {
        let src = "router.post('/import', async (req, res) => {\n  for (const row of req.body.rows) {\n    await Product.create({ name: row.name, price: row.price });\n  }\n  res.sendStatus(201);\n});\n";
        let a = analyze(&[SourceFile::new("import.js", src)], &params(LoadProfile::Medium));
        assert_eq!(a.findings.len(), 1);
        assert!(a.findings[0].message.contains("bulkCreate"), "{}", a.findings[0].message);
        assert!(
            a.findings[0].estimate.summary.starts_with("50 writes → 1 bulk write"),
            "{}",
            a.findings[0].estimate.summary
        );
        assert_eq!(a.findings[0].endpoint.as_deref(), Some("POST /import"));
    }
}
