//! `n-plus-one-query`: a database query per item of a collection. Docs: [`META`].

use super::scan::capitalize;
use super::{Context, Placement, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::queries;
use crate::model::{CallId, CallKind, CallSite, FunctionId, IterationKind, Library, Program, Query};
use crate::params::{Category, Severity};
use crate::syntax::{key_name, object_value, parse_expr};
use std::collections::HashMap;
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
MongoDB driver, Knex, node-postgres, mysql2, and SQL text passed to any call
(`store.all('SELECT …')`, `sequelize.query(sql)`, `prisma.$queryRaw\`…\``, a project's own
`rawQuery(sql)`). A helper that queries, called from a handler, is on that handler's
endpoint. A project function called per item that reaches a query, however many layers
down — a data-access module's method (`queries.user.find(id)`,
`StationsResourceAccess.findById(id)`, its client imported from a config module), a service
calling one — is a query per item, named by the query it reaches (library, text, file:line).
Writes per item are found too (→ one bulk write). The ORMs' own lazy loading per row is a
query per item:
- Sequelize's association accessors (`await user.getPosts()`, `countPosts`, `post.getAuthor()`,
  `setRoles`/`addRole`/`createPost`) on rows of a Sequelize query, checked against the
  associations the code declares, so a custom `getFullName()` is not one;
- sequelize-typescript's `row.$get('posts')`;
- Mongoose `doc.populate('author')`;
- Objection `row.$relatedQuery('pets')`;
- Bookshelf `model.load('rel')`;
- TypeORM lazy relations (`await user.posts` where the entity declares
  `posts: Promise<Post[]>` with a relation decorator).

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

A Sequelize accessor per row whose association alias the code declares is rewritten to
eager loading: the list query gains `include: [{ association: 'posts' }]` and the loop
reads `user.posts`. Mongoose, Objection and Bookshelf get the advice in their own API
(`Model.populate(docs, …)`, `withGraphFetched`, `withRelated`).

The finding's rewrite batches the user's own query in their library's syntax — Sequelize
`where: { key: ids }`, Prisma `{ in: ids }`, TypeORM `In(ids)`, Mongoose/MongoDB `$in`, Knex
`whereIn('column', ids)`, node-postgres `column = ANY($1)`, mysql2 `column IN (?)` — groups
the rows by key in a `Map` and reads the map in the loop (counter loops too), keeping the
result's shape (`{ rows }`, `[rows]`) so the rest of the loop is unchanged. Writes per
item become one bulk write (`bulkCreate`, `createMany`, `insertMany`, an array `insert`,
mysql2 `VALUES ?`). A query it cannot batch faithfully (a limit per item, SQL built by
string interpolation, composite keys) gets the advice without a rewrite.

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
        let mut helpers = HelperQueries::new(ctx.program);
        for call in &ctx.program.calls {
            let Some(iteration) = ctx.program.iterations_of(call).next() else {
                continue;
            };
            // The query itself, or the one a project function called per item runs, however
            // many layers down: a data-access module's method (chaunnt's
            // `StationsResourceAccess.findById` reaching Knex through a client exported from a
            // config file, kutt's `queries.link.find`), a service calling it, a helper that
            // runs SQL text.
            let (query, via) = match &call.kind {
                CallKind::Query(query) => (query, None),
                CallKind::Other if !call.callees.is_empty() => match helpers.of_call(call) {
                    Some(id) => match &ctx.program.calls[id].kind {
                        CallKind::Query(query) => (query, Some(id)),
                        _ => continue,
                    },
                    None => continue,
                },
                _ => continue,
            };
            if query.batched {
                continue;
            }
            if iteration.kind == IterationKind::ForAwait || iteration.dependent || iteration.throttled {
                continue;
            }
            if crate::model::values::constant_list(ctx.program, iteration) {
                continue;
            }
            // Per item: the query uses the item (or something derived from it in the body).
            if !call.mentions.iter().any(|m| iteration.item_names.contains(m)) {
                continue;
            }
            if paged_by_counter(ctx, call, iteration) {
                continue;
            }
            let (endpoint, others) = match ctx.placement_with_jobs(call.function) {
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
            // Not a finding when batching would save under 1 ms (cost::worth: a handful of items).
            let saved_ms = estimate.before[1].value - estimate.after[1].value;
            if !crate::cost::worth::worth(saved_ms, crate::cost::worth::WAITING) {
                continue;
            }
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
                IterationKind::FieldResolver(field) => {
                    format!("GraphQL field resolver `{field}`; a DataLoader batches one response's keys into one query")
                }
            };
            // Advice in the API of the library the program uses (an unknown ORM resolved by
            // its imports: library_api).
            let resolved = Query {
                library: super::library_api::resolve(ctx, query.library).unwrap_or(query.library),
                ..query.clone()
            };
            let query = &resolved;
            let mut message = match via {
                None if query.lazy && !query.write => format!(
                    "`{callee}` lazy-loads {} once per item of `{collection}` ({how}): 1 + N queries per request. {}",
                    query.model.as_deref().map(|m| format!("`{m}`")).unwrap_or_else(|| "a relation".into()),
                    lazy_advice(query)
                ),
                None if query.write => format!(
                    "`{callee}` writes once per item of `{collection}` ({how}): N round trips per request. {}",
                    bulk_advice(query)
                ),
                None => format!(
                    "`{callee}` runs once per item of `{collection}` ({how}): 1 + N queries per request. {}",
                    read_advice(query)
                ),
                Some(id) => {
                    let reached = &ctx.program.calls[id];
                    let at = ctx.program.file(reached.file);
                    let text = at.snippet(reached.span);
                    let head: String = text.lines().next().unwrap_or("").trim().chars().take(48).collect();
                    let shown = if head.len() < text.trim().len() { format!("{head}…") } else { head };
                    let place =
                        format!("{} `{shown}`, {}:{}", query.library.as_str(), at.path, at.position(reached.span.lo).0);
                    if query.write {
                        format!(
                            "`{callee}` writes once per item of `{collection}` ({how}) through {place}: N round \
                             trips per request. Give the helper a form that takes all the items. {}",
                            bulk_advice(query)
                        )
                    } else {
                        format!(
                            "`{callee}` runs a query once per item of `{collection}` ({how}) through {place}: 1 + N \
                             queries per request. Give the helper a form that takes all the keys. {}",
                            read_advice(query)
                        )
                    }
                }
            };
            if others > 0 {
                message.push_str(&format!(" Also on {others} other endpoint{}.", if others == 1 { "" } else { "s" }));
            }
            // An association accessor per row becomes an `include` on the list query.
            let eager = if via.is_none() && query.lazy {
                super::lazy_include::rewrite(ctx, call, query, iteration)
            } else {
                None
            };
            let before = ctx.lines(call.file, eager.as_ref().map_or(iteration.statement, |(region, _)| *region));
            // A helper's batch form is the user's to write: advice, no rewrite.
            let after = if let Some((_, text)) = eager {
                Some(text)
            } else if via.is_some() || query.lazy {
                None
            } else if query.write {
                bulk_rewrite(ctx, call, query, iteration)
            } else {
                rewrite(ctx, call, query, iteration)
            };
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

/// The query a call of user code runs, found through the functions it calls and their
/// callbacks: the first unbatched query, in source order, that is not in a loop of its own
/// (that one is reported where it is). Memoised per function.
struct HelperQueries<'p> {
    program: &'p Program<'p>,
    calls_by_function: HashMap<FunctionId, Vec<CallId>>,
    children: HashMap<FunctionId, Vec<FunctionId>>,
    memo: HashMap<FunctionId, Option<CallId>>,
}

impl<'p> HelperQueries<'p> {
    fn new(program: &'p Program<'p>) -> Self {
        let (calls_by_function, children) = program.calls_and_children();
        HelperQueries { program, calls_by_function, children, memo: HashMap::new() }
    }

    fn of_call(&mut self, call: &CallSite) -> Option<CallId> {
        call.callees.iter().find_map(|&f| self.of_function(f, 0))
    }

    fn of_function(&mut self, f: FunctionId, depth: u32) -> Option<CallId> {
        if let Some(&r) = self.memo.get(&f) {
            return r;
        }
        // Recursion and very deep chains find nothing more.
        self.memo.insert(f, None);
        if depth > 32 {
            return None;
        }
        let program = self.program;
        let span = program.functions[f].span;
        let mut found = None;
        let mut stack = vec![f];
        'walk: while let Some(g) = stack.pop() {
            for c in self.calls_by_function.get(&g).cloned().unwrap_or_default() {
                let call = &program.calls[c];
                let looped = call.iterations.iter().any(|&i| {
                    let it = &program.iterations[i];
                    span.lo <= it.span.lo && it.span.hi <= span.hi
                });
                let hit = match &call.kind {
                    CallKind::Query(q) if !q.batched && !looped => Some(c),
                    CallKind::Other if !looped => {
                        call.callees.clone().into_iter().find_map(|callee| self.of_function(callee, depth + 1))
                    }
                    _ => None,
                };
                if hit.is_some() {
                    found = hit;
                    break 'walk;
                }
            }
            let mut kids = self.children.get(&g).cloned().unwrap_or_default();
            kids.reverse();
            stack.extend(kids);
        }
        self.memo.insert(f, found);
        found
    }
}

/// `Post.findAll({ where: … })` → `Post.findAll`; `knex('t').where({…})` → `knex('t').where`.
/// `for (let i = 0; i < batches; i++) { await Model.find(filter, i * 100, 100) }`: the
/// counter only ever appears multiplied by a page size, so each query reads a page of rows,
/// not one item's (chaunnt/TemplateNodeJS_HapiAndMySQL's cron jobs and scripts). Reading
/// one row per offset (`find({}, i, 1)`) stays reported.
fn paged_by_counter(ctx: &Context, call: &CallSite, iteration: &crate::model::Iteration) -> bool {
    if iteration.kind != IterationKind::Loop("for") {
        return false;
    }
    let Some(counter) = iteration.item_names.first() else { return false };
    let text = ctx.program.file(call.file).snippet(call.span);
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut uses = 0;
    for (j, _) in text.match_indices(counter.as_str()) {
        let before = text[..j].chars().next_back();
        let after = text[j + counter.len()..].chars().next();
        if before.is_some_and(|c| ident(c) || c == '.') || after.is_some_and(ident) {
            continue;
        }
        uses += 1;
        let left = text[..j].trim_end().ends_with('*');
        let right = text[j + counter.len()..].trim_start().starts_with('*');
        if !left && !right {
            return false;
        }
    }
    uses > 0
}

fn callee_text(call: &str) -> String {
    // A tagged template (`prisma.$queryRaw\`…\``): the tag.
    if let Some(tick) = call.find('`').filter(|&t| !call[..t].contains('(')) {
        return call[..tick].split_whitespace().collect();
    }
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

/// What to do instead of lazy loading per row, in the library's own API.
fn lazy_advice(q: &Query) -> String {
    let rel = q.model.clone().unwrap_or_else(|| "…".into());
    match (q.library, q.operation.as_str()) {
        (Library::Sequelize, op) if op.starts_with("count") || op == "$count" => {
            "Count for all rows in one query: `count({ where: { key: ids }, group: ['key'] })`, or a `COUNT` in the list query's `attributes` with `group`.".to_string()
        }
        (Library::Sequelize, _) => {
            "Eager-load it with `include` on the query that fetched the rows (`include: [{ association: '…' }]` with the association's declared alias, or `{ model, as }`): one query with a JOIN.".to_string()
        }
        (Library::Mongoose, _) => format!(
            "Populate all documents at once: `.populate('{rel}')` on the list query, or `await Model.populate(docs, {{ path: '{rel}' }})` after it."
        ),
        (Library::TypeOrm, _) => format!(
            "Load the relation with the list: `relations: {{ {rel}: true }}` in its `find`, or `leftJoinAndSelect` in its query builder."
        ),
        (Library::Objection, _) => format!(
            "Fetch the relation for every row in one query: `.withGraphFetched('{rel}')` on the list query, or `Model.relatedQuery('{rel}').for(ids)`."
        ),
        (Library::Bookshelf, _) => {
            let rels = q.model.as_deref().map(|m| format!("'{m}'")).unwrap_or_else(|| "…".into());
            format!(
                "Eager-load it with the list: `fetchAll({{ withRelated: [{rels}] }})`, or `await collection.load([{rels}])` on the whole collection."
            )
        }
        _ => read_advice(q).to_string(),
    }
}

fn read_advice(q: &Query) -> &'static str {
    if q.sql.is_some() {
        return "Fetch all rows in one query (`WHERE key = ANY($1)` / `IN (?)`) or a JOIN.";
    }
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
        Library::Objection => {
            "Fetch all rows in one query (`whereIn('key', ids)`) or eager-load the relation (`withGraphFetched`)."
        }
        Library::Bookshelf => {
            "Fetch all rows in one query (`query((qb) => qb.whereIn('key', ids))`) or eager-load (`withRelated`)."
        }
        Library::Pg | Library::Mysql2 | Library::Sql => {
            "Fetch all rows in one query (`WHERE key = ANY($1)` / `IN (?)`) or a JOIN."
        }
    }
}

fn bulk_advice(q: &Query) -> &'static str {
    if q.sql.is_some() {
        return "Write them in one multi-row statement (`INSERT … VALUES (…), (…)` / `unnest`).";
    }
    match q.library {
        Library::Sequelize => {
            "Write them in one call (`bulkCreate`, or `update`/`destroy` with `where: { id: ids }`)."
        }
        // The library is not known: its own bulk method, whatever it is named.
        Library::Orm => "Write them in one call: the library's bulk insert, or one update/delete over all the ids.",
        Library::Prisma => {
            "Write them in one call (`createMany`, `updateMany`, `deleteMany`) or one `$transaction([...])`."
        }
        Library::TypeOrm => "Write them in one call: `save(entities)` / `insert(rows)` with an array.",
        Library::Mongoose => "Write them in one call (`insertMany`, `bulkWrite`, `updateMany`).",
        Library::MongoDb => "Write them in one call (`insertMany`, `bulkWrite`).",
        Library::Knex => "Write them in one call: `insert(rows)` with an array, or `whereIn` for updates.",
        Library::Objection => {
            "Write them in one call: `insertGraph(rows)`, `query().insert(rows)` (PostgreSQL), or `whereIn` for patches."
        }
        Library::Bookshelf => "Write them in one call through Knex: `Model.query().insert(rows)`.",
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
fn item_key(obj: &ObjectLit, text: &str, item: &LoopItem) -> Option<(String, std::ops::Range<usize>)> {
    let mut found = None;
    for p in &obj.props {
        let PropOrSpread::Prop(p) = p else { continue };
        let Prop::KeyValue(kv) = &**p else { continue };
        let range = (kv.value.span().lo.0 - 1) as usize..(kv.value.span().hi.0 - 1) as usize;
        let value = &text[range.clone()];
        if item.used_in(value) {
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

/// How the loop names its item: `user` (a `for…of` binding or a callback parameter) or
/// `posts[i]` (a counter loop over `posts`).
struct LoopItem {
    /// The text that stands for the current item inside the loop: `user`, `posts[i]`.
    elem: String,
    /// The parameter name for `collection.map((name) => …)`: `user`, `post`.
    name: String,
    /// The iterated collection: `users`, `req.body.rows` (a TypeScript `as` cast dropped).
    collection: String,
}

fn loop_item(iteration: &crate::model::Iteration) -> Option<LoopItem> {
    let collection = iteration.collection.clone()?;
    // `items as any[]` → `items`.
    let collection = match collection.split_once(" as ") {
        Some((c, _)) => c.trim().to_string(),
        None => collection.trim().to_string(),
    };
    if !collection.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.') {
        return None;
    }
    match &iteration.kind {
        IterationKind::Loop("for…of") | IterationKind::Callback(_) => {
            let item = iteration.item_names.first()?.clone();
            Some(LoopItem { elem: item.clone(), name: item, collection })
        }
        // `for (let i = 0; i < posts.length; i++)`: the item is `posts[i]`.
        IterationKind::Loop("for") => {
            let counter = iteration.item_names.first()?;
            let last = collection.rsplit('.').next().unwrap_or(&collection);
            let mut name = lower_first(&singular(last));
            if name == last || name.is_empty() || name == *counter {
                name = "item".to_string();
            }
            Some(LoopItem { elem: format!("{collection}[{counter}]"), name, collection })
        }
        _ => None,
    }
}

impl LoopItem {
    /// Whether `text` uses the current item.
    fn used_in(&self, text: &str) -> bool {
        if self.elem == self.name {
            mentions_name(text, &self.elem)
        } else {
            text.contains(&self.elem)
        }
    }
    /// `text` with the item written as the `.map` parameter: `posts[i]._id` → `post._id`.
    fn as_param(&self, text: &str) -> String {
        if self.elem == self.name {
            text.to_string()
        } else {
            text.replace(&self.elem, &self.name)
        }
    }
}

/// How the batched result is bound and how the loop reads its group back, so that the
/// user's own code after the call keeps working.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// The call resolves to the rows (ORMs, Knex): `const allPosts = await …`.
    Plain,
    /// node-postgres: `{ rows }` → `const { rows: allPosts } = await …`, the loop gets `{ rows: … }`.
    Rows,
    /// mysql2: `[rows, fields]` → `const [allPosts] = await …`, the loop gets `[…]`.
    First,
}

/// The batched query that replaces the per-item ones.
struct Batch {
    /// The call, without `await`, e.g. `Post.findAll({ where: { userId: userIds } })`.
    call: String,
    /// The row field the rows are matched on.
    key: String,
    /// The per-item query returned one row (`findOne`, `.first()`): a map of rows, not of groups.
    single: bool,
    /// The item's value in the per-item query: `user.id`, `posts[i]._id`.
    value: String,
    /// A name for one row: `Post`, `members`, `products`.
    model: String,
    shape: Shape,
    /// Compare keys as strings (`ObjectId`s, ids from the query string vs integer columns).
    stringify: bool,
    /// mysql2's `IN (?)` with an empty list is a syntax error: guard on the keys' length.
    guard_empty: bool,
    /// What a key without rows reads instead of `[]`: an aggregate without `GROUP BY` returned
    /// one row per item even over no rows (`[{ total: null }]`).
    empty: Option<String>,
}

/// Rewrites the iteration's lines so that one batched query replaces the per-item queries:
/// collect the keys, run the query once with an `IN` filter in the library's own syntax
/// (`where: { key: ids }`, `{ in: ids }`, `In(ids)`, `$in`, `whereIn`, `= ANY($1)`,
/// `IN (?)`), group the rows by key in a `Map`, and read from the map inside the loop.
/// Returns `None` when the query's shape is not one it can rewrite faithfully.
fn rewrite(ctx: &Context, call: &CallSite, query: &Query, iteration: &crate::model::Iteration) -> Option<String> {
    let file = ctx.program.file(call.file);
    let item = loop_item(iteration)?;
    let call_text = file.snippet(call.span);
    let typescript = file.path.ends_with("ts") || file.path.ends_with("tsx");
    let expr = parse_expr(call_text, typescript)?;
    let Expr::Call(c) = &*expr else { return None };
    // The statement's text before the call: `const { rows } = await ` tells the result's shape.
    let region = iteration.statement;
    let region_start = file.lines.line_start(file.position(region.lo).0) as usize;
    let region_text = ctx.lines(call.file, region);
    let call_start = file.offset(call.span.lo) as usize - region_start;
    let call_end = file.offset(call.span.hi) as usize - region_start;
    let line_start = region_text[..call_start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let binding = region_text[line_start..call_start].trim();

    let batch = match query.library {
        Library::Knex => knex_batch(query, c, call_text, &item)?,
        Library::Pg | Library::Mysql2 | Library::Sql => sql_batch(query, c, call_text, &item, binding, typescript)?,
        _ => orm_batch(query, c, call_text, &item)?,
    };
    let value = batch.value.trim().to_string();
    if matches!(parse_expr(&value, typescript).as_deref(), Some(Expr::Lit(Lit::Str(_))) | None) {
        return None;
    }

    // Names from the user's own: `users`/`user` → `userIds`, `Post` → `allPosts`, `postsByUserId`.
    let param_value = item.as_param(&value);
    let field = param_value
        .strip_prefix(&format!("{}.", item.name))
        .filter(|f| f.chars().all(|c| c.is_alphanumeric() || c == '_'));
    let ids = match field {
        _ if value == item.elem => item.collection.clone(),
        Some("id") | Some("_id") => format!("{}Ids", lower_first(&singular(&item.name))),
        Some(f) => plural(&camel(f)),
        None => format!("{}Keys", lower_first(&singular(&item.name))),
    };
    let model_name = lower_first(&camel(&singular(batch.model.rsplit('.').next().unwrap_or(&batch.model))));
    let model_name = if model_name.is_empty() { "row".to_string() } else { model_name };
    let rows = format!("all{}", capitalize(&plural(&model_name)));
    let row =
        if model_name == item.name || model_name == ids { format!("{model_name}Row") } else { model_name.clone() };
    let key_camel = capitalize(&camel(batch.key.trim_start_matches('_')));
    let map = if batch.single {
        format!("{model_name}By{key_camel}")
    } else {
        format!("{}By{key_camel}", plural(&model_name))
    };
    let key_expr = |base: &str| if batch.stringify { format!("String({base})") } else { base.to_string() };
    let row_key = if batch.key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$') {
        format!("{row}.{}", batch.key)
    } else {
        format!("{row}[{:?}]", batch.key)
    };

    // The iteration's lines, with the per-item query replaced by a map lookup.
    let mut start = call_start;
    if let Some(stripped) = region_text[..call_start].trim_end().strip_suffix("await") {
        start = stripped.len();
    }
    let missing = match &batch.empty {
        Some(row) => format!("[{row}]"),
        None if batch.single => "null".to_string(),
        None => "[]".to_string(),
    };
    let found = format!("{map}.get({}) ?? {missing}", key_expr(&value));
    let lookup = match batch.shape {
        Shape::Plain => format!("({found})"),
        Shape::Rows => format!("{{ rows: {found} }}"),
        Shape::First => format!("[{found}]"),
    };
    let mut body = region_text.clone();
    body.replace_range(start..call_end, &lookup);

    let indent: String = region_text.chars().take_while(|c| c.is_whitespace()).collect();
    let mut after = String::new();
    let push = |after: &mut String, line: &str| {
        after.push_str(&indent);
        after.push_str(line);
        after.push('\n');
    };
    if ids != item.collection {
        push(&mut after, &format!("const {ids} = {}.map(({}) => {param_value});", item.collection, item.name));
    }
    let bound = match batch.shape {
        Shape::Plain => rows.clone(),
        Shape::Rows => format!("{{ rows: {rows} }}"),
        Shape::First => format!("[{rows}]"),
    };
    let awaited = if batch.guard_empty {
        format!("{ids}.length ? await {} : [[]]", batch.call)
    } else {
        format!("await {}", batch.call)
    };
    push(&mut after, &format!("const {bound} = {awaited};"));
    if batch.single {
        push(&mut after, &format!("const {map} = new Map({rows}.map(({row}) => [{}, {row}]));", key_expr(&row_key)));
    } else {
        push(&mut after, &format!("const {map} = new Map();"));
        push(&mut after, &format!("for (const {row} of {rows}) {{"));
        push(&mut after, &format!("  const group = {map}.get({}) ?? [];", key_expr(&row_key)));
        push(&mut after, &format!("  group.push({row});"));
        push(&mut after, &format!("  {map}.set({}, group);", key_expr(&row_key)));
        push(&mut after, "}");
    }
    // The batched call already carries `ids`; keep the user's name for the keys.
    after.push_str(&body.replace("__BACKLENS_IDS__", &ids));
    Some(after.replace("__BACKLENS_IDS__", &ids))
}

/// Rewrites a loop whose only statement is one awaited write per item into one bulk write
/// of the mapped rows, in the library's own API: Sequelize `bulkCreate`, Mongoose and the
/// MongoDB driver `insertMany`, Prisma `createMany({ data })`, TypeORM `insert`/`save` with an
/// array, Knex `insert` with an array, mysql2 `INSERT … VALUES ?` with nested arrays.
/// `None` for anything else (updates, deletes, loops that do more than write).
fn bulk_rewrite(ctx: &Context, call: &CallSite, query: &Query, iteration: &crate::model::Iteration) -> Option<String> {
    let file = ctx.program.file(call.file);
    let item = loop_item(iteration)?;
    if item.elem != item.name {
        return None;
    }
    let call_text = file.snippet(call.span);
    let region_text = ctx.lines(call.file, iteration.statement);
    let indent: String = region_text.chars().take_while(|c| c.is_whitespace()).collect();
    // The iteration must do nothing but this write.
    let rest = region_text.replacen(call_text, "", 1);
    // Line comments around the write (`// one per row`) are not work.
    let rest: Vec<&str> = rest.lines().map(|l| l.split_once("//").map_or(l, |(code, _)| code)).collect();
    let rest: String = rest.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
    let rest = rest.replace("await ", "").replace("await", "");
    let (c_, i_) = (&item.collection, &item.name);
    let shapes = [
        format!("for (const {i_} of {c_}) {{ ; }}"),
        format!("for (const {i_} of {c_}) {{ }}"),
        format!("for (let {i_} of {c_}) {{ ; }}"),
        format!("for (const {i_} of {c_}) ;"),
        format!("Promise.all({c_}.map(({i_}) => ));"),
        format!("Promise.all({c_}.map(async ({i_}) => ));"),
        format!("Promise.all({c_}.map({i_} => ));"),
    ];
    let rest = rest.replace("{ ;}", "{ ; }").replace("{;}", "{ ; }").replace("{}", "{ }");
    if !shapes.iter().any(|s| *s == rest || s.replace(" ;", ";") == rest) {
        return None;
    }
    let typescript = file.path.ends_with("ts") || file.path.ends_with("tsx");
    let expr = parse_expr(call_text, typescript)?;
    let Expr::Call(c) = &*expr else { return None };
    let Callee::Expr(callee) = &c.callee else { return None };
    let Expr::Member(member) = &**callee else { return None };
    let receiver = span_text(call_text, member.obj.span());
    let op = query.operation.as_str();
    let list = |row: &str| -> String {
        if row == item.name {
            item.collection.clone()
        } else if row.trim_start().starts_with('{') {
            format!("{}.map(({}) => ({}))", item.collection, item.name, row)
        } else {
            format!("{}.map(({}) => {})", item.collection, item.name, row)
        }
    };
    let arg = |i: usize| c.args.get(i).filter(|a| a.spread.is_none()).map(|a| span_text(call_text, a.expr.span()));
    // Only in the API of the library the program uses (library_api: no invented methods).
    let library = super::library_api::resolve(ctx, query.library)?;
    let bulk = match (library, op) {
        (Library::Sequelize, "create") if c.args.len() == 1 => {
            format!("{receiver}.bulkCreate({})", list(arg(0)?))
        }
        (Library::Mongoose, "create") | (Library::MongoDb, "insertOne") if c.args.len() == 1 => {
            format!("{receiver}.insertMany({})", list(arg(0)?))
        }
        (Library::Prisma, "create") if c.args.len() == 1 => {
            let Expr::Object(obj) = &*c.args[0].expr else { return None };
            if obj.props.len() != 1 {
                return None;
            }
            let Expr::Object(_) = object_value(obj, "data")? else { return None };
            let data = span_text(call_text, object_value(obj, "data")?.span());
            format!("{receiver}.createMany({{ data: {} }})", list(data))
        }
        (Library::TypeOrm, "insert" | "save") if c.args.len() == 1 => {
            format!("{receiver}.{op}({})", list(arg(0)?))
        }
        (Library::Knex, "insert") if c.args.len() == 1 => {
            let at = call_text.rfind(".insert(")?;
            format!("{}.insert({})", &call_text[..at], list(arg(0)?))
        }
        (Library::Mysql2, "query" | "execute") if c.args.len() == 2 => {
            let Expr::Lit(Lit::Str(_)) = &*c.args[0].expr else { return None };
            let sql = arg(0)?;
            let upper = sql.to_ascii_uppercase();
            let values = upper.find("VALUES")?;
            let open = values + sql[values..].find('(')?;
            let close = open + sql[open..].find(')')?;
            let inside: String = sql[open + 1..close].split_whitespace().collect();
            if !upper.trim_start_matches(['\'', '"', '`']).starts_with("INSERT")
                || inside.chars().any(|ch| ch != '?' && ch != ',')
            {
                return None;
            }
            if !sql[close + 1..].trim_end_matches(['\'', '"', '`', ';', ' ']).is_empty() {
                return None;
            }
            let Expr::Array(_) = &*c.args[1].expr else { return None };
            let params = arg(1)?;
            let batched_sql = format!("{}?{}", &sql[..open], &sql[close + 1..]);
            format!("{receiver}.query({batched_sql}, [{}])", list(params))
        }
        _ => return None,
    };
    Some(format!("{indent}await {bulk};\n"))
}

/// `team_id` → `teamId`; `userId` stays.
fn camel(s: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for ch in s.chars() {
        if ch == '_' || ch == '-' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// The text of a span of `text` parsed from position 1.
fn span_text(text: &str, span: swc_common::Span) -> &str {
    &text[(span.lo.0 - 1) as usize..(span.hi.0 - 1) as usize]
}

/// Sequelize, Prisma, TypeORM, Mongoose and the MongoDB driver: the filter's item key
/// becomes an `IN` filter in the ORM's own syntax.
fn orm_batch(query: &Query, c: &swc_ecma_ast::CallExpr, call_text: &str, item: &LoopItem) -> Option<Batch> {
    let mongo = matches!(query.library, Library::Mongoose | Library::MongoDb);
    // A Mongo chain (`find(…).sort(…).lean()`, `find(…).toArray()`): batch the `find` and keep
    // the rest; the groups keep the sort order. A limit or skip per item cannot be batched.
    let mut c = c;
    let mut trailing: Vec<String> = Vec::new();
    if mongo {
        loop {
            let Callee::Expr(callee) = &c.callee else { return None };
            let Expr::Member(m) = &**callee else { return None };
            let name = crate::syntax::prop_name(&m.prop)?;
            if name == query.operation {
                break;
            }
            if !matches!(name.as_str(), "sort" | "lean" | "select" | "project" | "populate" | "exec" | "toArray") {
                return None;
            }
            trailing.push(name);
            let Expr::Call(inner) = &*m.obj else { return None };
            c = inner;
        }
    }
    let Callee::Expr(callee_expr) = &c.callee else {
        return None;
    };
    let Expr::Member(member) = &**callee_expr else {
        return None;
    };
    let receiver = span_text(call_text, member.obj.span());
    let op = query.operation.as_str();
    let arg = c.args.first()?;
    if c.args.len() > 1 || arg.spread.is_some() {
        return None;
    }
    let arg_range = (arg.expr.span().lo.0 - 1) as usize..(arg.expr.span().hi.0 - 1) as usize;

    // The key the rows are matched on, and where the item's value sits in the call's text.
    let (key, value_range) = match (&*arg.expr, op) {
        (value, "findByPk") => {
            let r = arg_range.clone();
            if !item.used_in(&call_text[r.clone()]) || matches!(value, Expr::Object(_)) {
                return None;
            }
            ("id".to_string(), r)
        }
        (value, "findById") => {
            let r = arg_range.clone();
            if !item.used_in(&call_text[r.clone()]) || matches!(value, Expr::Object(_)) {
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
            item_key(filter, call_text, item)?
        }
        _ => return None,
    };
    let value = call_text[value_range.clone()].trim().to_string();
    let single = single_row(op);
    let ids = "__BACKLENS_IDS__";
    let in_form = match query.library {
        Library::Sequelize | Library::Orm => ids.to_string(),
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
    let batched_call = if query.library == Library::MongoDb && !trailing.iter().any(|t| t == "toArray") {
        format!("{batched_call}.toArray()")
    } else {
        batched_call
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
    Some(Batch {
        call: batched_call,
        key,
        single,
        value,
        model,
        shape: Shape::Plain,
        stringify: mongo,
        guard_empty: false,
        empty: None,
    })
}

/// One link of a Knex chain: `.where({ … })`, with its method name, arguments and the
/// text range of the whole `.name(args)` link.
struct Link<'c> {
    name: String,
    args: &'c [swc_ecma_ast::ExprOrSpread],
    range: std::ops::Range<usize>,
}

/// The links of a call chain, outermost (last) first.
fn chain_links(c: &swc_ecma_ast::CallExpr) -> Vec<Link<'_>> {
    let mut out = Vec::new();
    let mut current = Some(c);
    while let Some(call) = current {
        current = None;
        let Callee::Expr(callee) = &call.callee else { break };
        let Expr::Member(m) = &**callee else { break };
        let Some(name) = crate::syntax::prop_name(&m.prop) else { break };
        out.push(Link {
            name,
            args: &call.args,
            range: (m.obj.span().hi.0 - 1) as usize..(call.span.hi.0 - 1) as usize,
        });
        if let Expr::Call(inner) = &*m.obj {
            current = Some(inner);
        }
    }
    out
}

/// Knex: the `.where(…)` link that filters on the item becomes `.whereIn('column', ids)`;
/// `.first()` goes (the map then holds one row per key).
fn knex_batch(query: &Query, c: &swc_ecma_ast::CallExpr, call_text: &str, item: &LoopItem) -> Option<Batch> {
    let links = chain_links(c);
    if links.iter().any(|l| matches!(l.name.as_str(), "limit" | "offset" | "pluck" | "count" | "sum" | "avg")) {
        return None;
    }
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut found: Option<(String, String)> = None;
    for link in &links {
        let args_text: Vec<&str> = link.args.iter().map(|a| span_text(call_text, a.expr.span())).collect();
        let uses = args_text.iter().any(|a| item.used_in(a));
        match link.name.as_str() {
            "where" | "andWhere" if uses => {
                if found.is_some() {
                    return None;
                }
                let (column, value, rest) = match (link.args.len(), &*link.args[0].expr) {
                    (1, Expr::Object(obj)) => {
                        let (column, range) = item_key(obj, call_text, item)?;
                        let value = call_text[range].trim().to_string();
                        let rest: Vec<&str> = obj
                            .props
                            .iter()
                            .map(|p| span_text(call_text, p.span()))
                            .filter(|p| !item.used_in(p))
                            .collect();
                        (column, value, rest)
                    }
                    (2, Expr::Lit(Lit::Str(s))) => {
                        (s.value.to_string_lossy().into_owned(), args_text[1].trim().to_string(), Vec::new())
                    }
                    (3, Expr::Lit(Lit::Str(s))) if args_text[1].trim_matches(['\'', '"', '`']) == "=" => {
                        (s.value.to_string_lossy().into_owned(), args_text[2].trim().to_string(), Vec::new())
                    }
                    _ => return None,
                };
                if item.used_in(&column) || !item.used_in(&value) {
                    return None;
                }
                let keep = if rest.is_empty() { String::new() } else { format!(".where({{ {} }})", rest.join(", ")) };
                edits.push((
                    link.range.clone(),
                    format!("{keep}.whereIn({column:?}, __BACKLENS_IDS__)").replace('"', "'"),
                ));
                found = Some((column, value));
            }
            _ if uses => return None,
            "first" => {
                if !link.args.is_empty() {
                    return None;
                }
                edits.push((link.range.clone(), String::new()));
            }
            _ => {}
        }
    }
    let (column, value) = found?;
    let key = column.rsplit('.').next().unwrap_or(&column).to_string();
    // Explicit columns must include the key the rows are grouped by.
    for link in &links {
        if matches!(link.name.as_str(), "select" | "columns") && !link.args.is_empty() {
            let args: Vec<String> = link
                .args
                .iter()
                .map(|a| span_text(call_text, a.expr.span()).trim_matches(['\'', '"', '`']).to_string())
                .collect();
            if !args.iter().any(|a| a == "*" || a.rsplit('.').next() == Some(key.as_str())) {
                return None;
            }
        }
    }
    let single = links.iter().any(|l| l.name == "first");
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut text = call_text.to_string();
    for (range, replacement) in edits {
        text.replace_range(range, &replacement);
    }
    let model = query.model.clone().unwrap_or_else(|| "row".into());
    Some(Batch {
        call: text,
        key,
        single,
        value,
        model,
        shape: Shape::Plain,
        stringify: true,
        guard_empty: false,
        empty: None,
    })
}

/// node-postgres, mysql2 and SQL clients (`client.query(sql, [params])`): the item's
/// placeholder becomes `= ANY($n)` (PostgreSQL) or `IN (?)` (MySQL) with the whole key list
/// as its parameter; the key column is selected (and grouped by, under an aggregate) so that
/// the rows can be matched back. The result keeps the shape the user's code reads.
fn sql_batch(
    query: &Query,
    c: &swc_ecma_ast::CallExpr,
    call_text: &str,
    item: &LoopItem,
    binding: &str,
    typescript: bool,
) -> Option<Batch> {
    let Callee::Expr(callee_expr) = &c.callee else {
        return None;
    };
    let Expr::Member(member) = &**callee_expr else {
        return None;
    };
    if c.args.len() != 2 || c.args.iter().any(|a| a.spread.is_some()) {
        return None;
    }
    let sql_node = &*c.args[0].expr;
    let sql_raw = span_text(call_text, sql_node.span());
    let quote = sql_raw.chars().next()?;
    let sql = match sql_node {
        Expr::Lit(Lit::Str(_)) => &sql_raw[1..sql_raw.len() - 1],
        Expr::Tpl(t) if t.exprs.is_empty() => &sql_raw[1..sql_raw.len() - 1],
        _ => return None,
    };
    if item.used_in(sql) {
        return None;
    }
    let Expr::Array(params) = &*c.args[1].expr else { return None };
    let elems: Vec<&swc_ecma_ast::ExprOrSpread> = params.elems.iter().flatten().collect();
    if elems.len() != params.elems.len() || elems.iter().any(|e| e.spread.is_some()) {
        return None;
    }
    let using: Vec<usize> =
        (0..elems.len()).filter(|&i| item.used_in(span_text(call_text, elems[i].expr.span()))).collect();
    let [index] = using[..] else { return None };
    let value_node = elems[index].expr.span();
    let value = span_text(call_text, value_node).trim().to_string();

    // The shape of the result, from the library or the user's own destructuring.
    let shape = if binding.starts_with("const {") || binding.starts_with("let {") {
        if !binding.contains("rows") {
            return None;
        }
        Shape::Rows
    } else if binding.starts_with("const [") || binding.starts_with("let [") {
        Shape::First
    } else {
        match query.library {
            Library::Pg => Shape::Rows,
            Library::Mysql2 => Shape::First,
            _ => return None,
        }
    };
    let dollar = format!("${}", index + 1);
    let lower = sql.to_ascii_lowercase();
    // Where the placeholder is, and the column compared with it.
    let (ph_start, ph_len, mysql) = if let Some(at) = find_word(sql, &dollar) {
        (at, dollar.len(), false)
    } else if !sql.contains('$') {
        let at = sql.match_indices('?').nth(index)?.0;
        (at, 1, true)
    } else {
        return None;
    };
    let before = sql[..ph_start].trim_end();
    let before = before.strip_suffix('=')?.trim_end();
    let column: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.' || *c == '"')
        .collect::<String>()
        .chars()
        .rev()
        .collect();
    if column.is_empty() {
        return None;
    }
    let key = column.rsplit('.').next().unwrap_or(&column).trim_matches('"').to_string();
    let eq_start = before.len() - column.len();
    let mut batched = String::new();
    batched.push_str(&sql[..eq_start]);
    if mysql {
        batched.push_str(&format!("{column} IN (?)"));
    } else {
        batched.push_str(&format!("{column} = ANY({dollar})"));
    }
    batched.push_str(&sql[ph_start + ph_len..]);

    // `LIMIT 1` picked one row per item; the batch keeps every row and the loop reads the
    // first of its group. Any other limit or offset cannot be batched this way.
    let mut batched_lower = batched.to_ascii_lowercase();
    if let Some(at) = batched_lower.find(" limit 1") {
        let end = at + " limit 1".len();
        if batched_lower[end..].trim().is_empty() || batched_lower[end..].trim_start().starts_with(';') {
            batched.replace_range(at..end, "");
            batched_lower = batched.to_ascii_lowercase();
        }
    }
    if batched_lower.contains(" limit ") || batched_lower.contains(" offset ") {
        return None;
    }
    // The key column must come back with the rows.
    let select = lower.trim_start().strip_prefix("select ")?;
    let from = select.find(" from ")?;
    let list = &select[..from];
    if list.trim_start().starts_with("distinct") {
        return None;
    }
    let selected = list.split(',').any(|c| {
        let c = c.trim();
        c == "*" || c.ends_with(".*") || c.rsplit(['.', ' ']).next() == Some(key.to_ascii_lowercase().as_str())
    });
    let aggregate = ["sum(", "count(", "avg(", "min(", "max("].iter().any(|f| list.contains(f));
    let mut empty = None;
    if aggregate && !batched_lower.contains(" group by ") {
        // One row per item even when the item has no rows: the batch must say the same.
        let offset = sql.len() - sql.trim_start().len() + "select ".len();
        empty = Some(empty_aggregate_row(&sql[offset..offset + from], !mysql)?);
        if [" order by ", " having "].iter().any(|k| batched_lower.contains(k)) {
            return None;
        }
        batched = batched.trim_end().trim_end_matches(';').to_string();
        batched.push_str(&format!(" GROUP BY {column}"));
    } else if aggregate && !batched_lower.contains(&format!("group by {}", column.to_ascii_lowercase())) {
        return None;
    }
    if !selected {
        let at = batched.to_ascii_lowercase().find("select ")? + "select ".len();
        batched.insert_str(at, &format!("{column}, "));
    }

    // mysql2's prepared statements (`execute`) do not expand an array for `IN (?)`; `query` does.
    let mut method = span_text(call_text, member.prop.span()).to_string();
    if mysql && query.library == Library::Mysql2 && method == "execute" {
        method = "query".into();
    }
    let receiver = span_text(call_text, member.obj.span());
    let mut params_text: Vec<String> = elems.iter().map(|e| span_text(call_text, e.expr.span()).to_string()).collect();
    params_text[index] = "__BACKLENS_IDS__".into();
    let close = if quote == '`' { '`' } else { quote };
    // TypeScript: mysql2's result type is a union that includes `OkPacket`; say it holds rows.
    let generic = if typescript && query.library == Library::Mysql2 { "<any[]>" } else { "" };
    let call = format!("{receiver}.{method}{generic}({quote}{batched}{close}, [{}])", params_text.join(", "));
    let model = table_of(&lower).unwrap_or_else(|| "row".into());
    Some(Batch { call, key, single: false, value, model, shape, stringify: true, guard_empty: mysql, empty })
}

/// The row an aggregate-only select list (`sum(amount) AS total, count(*) AS n`) returns over
/// no rows: `{ total: null, n: '0' }` (`count` is `0`; node-postgres returns bigint as a
/// string). Columns are named by their alias, or by the function's name in PostgreSQL;
/// `None` for anything else.
fn empty_aggregate_row(list: &str, postgres: bool) -> Option<String> {
    let mut items = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, ch) in list.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&list[start..]);
    let mut fields = Vec::new();
    for item in items {
        let item = item.trim();
        let lower = item.to_ascii_lowercase();
        let Some(func) =
            ["sum", "count", "avg", "min", "max"].into_iter().find(|f| lower.starts_with(&format!("{f}(")))
        else {
            // A plain column next to an aggregate: not an aggregate-only list.
            return None;
        };
        let close = item.rfind(')')?;
        let tail = item[close + 1..].trim();
        let alias = match tail.get(..3).map(|t| t.to_ascii_lowercase()) {
            Some(t) if t == "as " => tail[3..].trim(),
            _ if !tail.is_empty() => tail,
            _ if postgres => func,
            _ => return None,
        };
        let alias = alias.trim_matches('"');
        if alias.is_empty() || !alias.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        let value = match func {
            "count" if postgres => "'0'",
            "count" => "0",
            _ => "null",
        };
        fields.push(format!("{alias}: {value}"));
    }
    Some(format!("{{ {} }}", fields.join(", ")))
}

/// The first occurrence of `word` in `text` not followed by a digit (`$1` but not `$10`).
fn find_word(text: &str, word: &str) -> Option<usize> {
    text.match_indices(word)
        .find(|(i, _)| !text[i + word.len()..].starts_with(|c: char| c.is_ascii_digit()))
        .map(|(i, _)| i)
}

/// `select … from payments …` → `payments`.
fn table_of(lower_sql: &str) -> Option<String> {
    let after = &lower_sql[lower_sql.find(" from ")? + 6..];
    let table: String =
        after.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.').collect();
    let table = table.rsplit('.').next().unwrap_or("").to_string();
    (!table.is_empty()).then_some(table)
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
        let src = "const { Sequelize } = require('sequelize');\nrouter.post('/import', async (req, res) => {\n  for (const row of req.body.rows) {\n    await Product.create({ name: row.name, price: row.price });\n  }\n  res.sendStatus(201);\n});\n";
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

    /// The rewrite of the one N+1 finding in `src` (a handler registered on `app`).
    fn after(path: &str, src: &str) -> String {
        let a = analyze(&[SourceFile::new(path, src)], &params(LoadProfile::Medium));
        let f = a.findings.iter().find(|f| f.rule == "n-plus-one-query").expect("an N+1 finding");
        if !f.after.is_empty() {
            assert_parses(&f.after);
        }
        f.after.clone()
    }

    #[test]
    fn knex_rewrites_use_where_in_and_keep_the_other_conditions() {
        let src = "app.get('/teams', async (req, res) => {\n  const teams = await knex('teams').select('*');\n  for (const team of teams) {\n    team.lead = await knex('members').where({ team_id: team.id, role: 'lead' }).first();\n  }\n  res.json(teams);\n});\n";
        let a = after("knex.js", src);
        assert!(a.contains("const teamIds = teams.map((team) => team.id);"), "{a}");
        assert!(
            a.contains("const allMembers = await knex('members').where({ role: 'lead' }).whereIn('team_id', teamIds);"),
            "{a}"
        );
        assert!(
            a.contains("const memberByTeamId = new Map(allMembers.map((member) => [String(member.team_id), member]));"),
            "{a}"
        );
        assert!(a.contains("team.lead = (memberByTeamId.get(String(team.id)) ?? null);"), "{a}");
        // `.where('column', value)` and `.where('column', '=', value)` too.
        let a = after(
            "knex.js",
            &src.replace("where({ team_id: team.id, role: 'lead' })", "where('team_id', '=', team.id)"),
        );
        assert!(a.contains("await knex('members').whereIn('team_id', teamIds);"), "{a}");
        // A limit per item cannot be batched: no rewrite rather than a wrong one.
        assert_eq!(after("knex.js", &src.replace(".first()", ".limit(3)")), "");
        // Selected columns must include the key.
        assert_eq!(after("knex.js", &src.replace("knex('members')", "knex('members').select('name')")), "");
    }

    #[test]
    fn pg_rewrites_use_any_and_keep_the_result_shape() {
        let src = "const { Pool } = require('pg');\nconst pool = new Pool();\napp.get('/orders', async (req, res) => {\n  const { rows: orders } = await pool.query('SELECT * FROM orders');\n  for (const order of orders) {\n    const result = await pool.query('SELECT * FROM customers WHERE id = $1 LIMIT 1', [order.customer_id]);\n    order.customer = result.rows[0];\n  }\n  res.json(orders);\n});\n";
        let a = after("pg.js", src);
        assert!(a.contains("const customerIds = orders.map((order) => order.customer_id);"), "{a}");
        assert!(
            a.contains("const { rows: allCustomers } = await pool.query('SELECT * FROM customers WHERE id = ANY($1)', [customerIds]);"),
            "{a}"
        );
        assert!(a.contains("const result = { rows: customersById.get(String(order.customer_id)) ?? [] };"), "{a}");
        // Other parameters stay where they were.
        let two = src.replace(
            "WHERE id = $1 LIMIT 1', [order.customer_id]",
            "WHERE tenant = $1 AND id = $2', [req.tenant, order.customer_id]",
        );
        let a = after("pg.js", &two);
        assert!(a.contains("WHERE tenant = $1 AND id = ANY($2)', [req.tenant, customerIds]"), "{a}");
        // Paging per item, or SQL built from the item, is left without a rewrite.
        assert_eq!(after("pg.js", &src.replace("LIMIT 1", "LIMIT 5")), "");
        let interpolated = src.replace(
            "'SELECT * FROM customers WHERE id = $1 LIMIT 1', [order.customer_id]",
            "`SELECT * FROM customers WHERE id = ${order.customer_id}`",
        );
        assert_eq!(after("pg.js", &interpolated), "");
    }

    #[test]
    fn mysql2_rewrites_use_in_with_query_and_guard_an_empty_list() {
        let src = "const mysql = require('mysql2/promise');\nconst pool = mysql.createPool({});\napp.get('/carts/:id', async (req, res) => {\n  const [items] = await pool.query('SELECT * FROM cart_items WHERE cart_id = ?', [req.params.id]);\n  for (const item of items) {\n    const [rows] = await pool.execute('SELECT id, name FROM products WHERE id = ?', [item.product_id]);\n    item.product = rows[0];\n  }\n  res.json(items);\n});\n";
        let a = after("mysql.js", src);
        assert!(
            a.contains("const [allProducts] = productIds.length ? await pool.query('SELECT id, name FROM products WHERE id IN (?)', [productIds]) : [[]];"),
            "{a}"
        );
        assert!(a.contains("const [rows] = [productsById.get(String(item.product_id)) ?? []];"), "{a}");
        // The key column is added when the select list lacks it; an aggregate is grouped, and
        // an item without rows still reads the aggregate's one row.
        let agg = src.replace(
            "SELECT id, name FROM products WHERE id = ?",
            "SELECT COUNT(*) AS n FROM reviews WHERE product_id = ?",
        );
        let a = after("mysql.js", &agg);
        assert!(
            a.contains("'SELECT product_id, COUNT(*) AS n FROM reviews WHERE product_id IN (?) GROUP BY product_id'"),
            "{a}"
        );
        assert!(a.contains("[reviewsByProductId.get(String(item.product_id)) ?? [{ n: 0 }]]"), "{a}");
    }

    #[test]
    fn writes_per_item_become_one_bulk_write_in_the_librarys_api() {
        let route = |body: &str| {
            format!("app.post('/import', async (req, res) => {{\n  const rows = req.body.rows;\n{body}\n  res.sendStatus(201);\n}});\n")
        };
        // `Product.create` is Sequelize's or Mongoose's: without an import, no bulk method.
        assert_eq!(after("bulk.js", &route("  for (const row of rows) {\n    await Product.create({ name: row.name });\n  }")), "");
        let sequelize = "const { Model } = require('sequelize');\n".to_string()
            + &route("  for (const row of rows) {\n    await Product.create({ name: row.name });\n  }");
        assert_eq!(after("bulk.js", &sequelize), "  await Product.bulkCreate(rows.map((row) => ({ name: row.name })));\n");
        let mongoose = "const mongoose = require('mongoose');\n".to_string()
            + &route("  for (const row of rows) {\n    await Product.create({ name: row.name });\n  }");
        assert_eq!(after("bulk.js", &mongoose), "  await Product.insertMany(rows.map((row) => ({ name: row.name })));\n");
        let cases = [
            (
                "  for (const row of rows) {\n    await prisma.product.create({ data: { name: row.name } });\n  }",
                "  await prisma.product.createMany({ data: rows.map((row) => ({ name: row.name })) });\n",
            ),
            (
                "  await Promise.all(rows.map((row) => knex('products').insert({ name: row.name })));",
                "  await knex('products').insert(rows.map((row) => ({ name: row.name })));\n",
            ),
            (
                "  for (const row of rows) {\n    await db.collection('products').insertOne(row); // one per row\n  }",
                "  await db.collection('products').insertMany(rows);\n",
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(after("bulk.js", &route(body)), expected, "{body}");
        }
        let mysql = "const mysql = require('mysql2/promise');\nconst pool = mysql.createPool({});\n".to_string()
            + &route("  for (const row of rows) {\n    await pool.execute('INSERT INTO products (name, price) VALUES (?, ?)', [row.name, row.price]);\n  }");
        assert_eq!(
            after("bulk.js", &mysql),
            "  await pool.query('INSERT INTO products (name, price) VALUES ?', [rows.map((row) => [row.name, row.price])]);\n"
        );
        // A loop that does more than write keeps its finding without a rewrite.
        let more = route("  for (const row of rows) {\n    const p = await Product.create({ name: row.name });\n    await audit(p);\n  }");
        assert_eq!(after("bulk.js", &more), "");
    }

    #[test]
    fn mongo_chains_keep_their_sort_and_projection() {
        let src = "app.get('/groups', async (req, res) => {\n  const groups = await db.collection('groups').find().toArray();\n  for (const group of groups) {\n    group.latest = await db.collection('events').find({ group: group._id }).sort({ at: -1 }).toArray();\n  }\n  res.json(groups);\n});\n";
        let a = after("mongo.js", src);
        assert!(
            a.contains("const allEvents = await db.collection('events').find({ group: { $in: groupIds } }).sort({ at: -1 }).toArray();"),
            "{a}"
        );
        assert!(a.contains("group.latest = (eventsByGroup.get(String(group._id)) ?? []);"), "{a}");
        // Mongoose: `.lean()` stays; a limit per item is not batched.
        let mongoose = "app.get('/posts', async (req, res) => {\n  const posts = await Post.find().lean();\n  for (const post of posts) {\n    post.comments = await Comment.find({ postId: post._id }).sort({ at: 1 }).lean();\n  }\n  res.json(posts);\n});\n";
        let a = after("mongoose.js", mongoose);
        assert!(a.contains("await Comment.find({ postId: { $in: postIds } }).sort({ at: 1 }).lean();"), "{a}");
        assert_eq!(after("mongoose.js", &mongoose.replace(".sort({ at: 1 })", ".limit(3)")), "");
    }

    #[test]
    fn counter_loops_and_raw_sql_are_rewritten_with_the_users_names() {
        let src = "app.get('/posts', async (req, res) => {\n  const posts = await Post.findAll();\n  for (let i = 0; i < posts.length; i++) {\n    posts[i].author = await User.findByPk(posts[i].authorId);\n  }\n  res.json(posts);\n});\n";
        let a = after("counter.js", src);
        assert!(a.contains("const authorIds = posts.map((post) => post.authorId);"), "{a}");
        assert!(a.contains("const allUsers = await User.findAll({ where: { id: authorIds } });"), "{a}");
        assert!(a.contains("posts[i].author = (userById.get(posts[i].authorId) ?? null);"), "{a}");
        assert!(a.contains("for (let i = 0; i < posts.length; i++) {"), "{a}");
        // An SQL client the analyzer does not know by name: the shape comes from the user's
        // own destructuring.
        let raw = "app.get('/users', async (req, res) => {\n  const users = await db.many('SELECT * FROM users');\n  for (const user of users) {\n    const { rows } = await db.query('SELECT * FROM roles WHERE user_id = $1', [user.id]);\n    user.roles = rows;\n  }\n  res.json(users);\n});\n";
        let a = after("raw.js", raw);
        assert!(
            a.contains(
                "const { rows: allRoles } = await db.query('SELECT * FROM roles WHERE user_id = ANY($1)', [userIds]);"
            ),
            "{a}"
        );
        assert!(a.contains("const { rows } = { rows: rolesByUserId.get(String(user.id)) ?? [] };"), "{a}");
    }
}
