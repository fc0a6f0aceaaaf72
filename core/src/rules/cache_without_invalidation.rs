//! `cache-without-invalidation`: a resource cached by key on read while a write route
//! changes it without deleting or refreshing the key. Docs: [`META`].

use super::caching::{redis_client, strip_comments};
use super::scan::also_on;
use super::{Context, Placement, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::profile::Value;
use crate::cost::{cache, fmt_num};
use crate::model::{CallKind, CallSite, Framework, Route, RouteId};
use crate::params::{Category, Severity};

pub struct CacheWithoutInvalidation;

static META: RuleMeta = RuleMeta {
    id: "cache-without-invalidation",
    category: Category::Caching,
    summary: "A cached resource changed by a write route that never deletes or refreshes its key",
    docs: r#"## What it finds
A resource cached under a key on read — `redis.setex('post:' + id, …)`,
``cache.set(`post:${id}`, …)``, or a cache middleware keyed ``req => `post:${req.params.id}` ``
on a `GET` route — while a `PUT`, `PATCH` or `DELETE` route (or a `POST` for a cached list)
writes the same model or table (`Post.update`, `prisma.post.delete`, `UPDATE posts …`) and
nothing on that write's request path deletes or refreshes a key of that resource
(`redis.del`, `cache.del`/`delete`, a `set`/`setex` of the same prefix, an `invalidate…`
helper). The cache and the write are matched by name: the key's first word (`post`) and
the model or table (`Post`, `posts`), or a read of that model next to the cache write.

## Why is this bad
Until the TTL runs out, every reader gets the version from before the write: a user edits
a post and still sees the old one. Teams then shorten the TTL "to be safe", which throws
away most of the hit rate the cache was added for (the seed: 82 % hits, 82 % less database
load). Deleting the key on write keeps both: fresh data and a long TTL.

## Example
```js
app.get('/api/posts/:id', cacheMiddleware(req => `post:${req.params.id}`, 600), getPost);

app.put('/api/posts/:id', async (req, res) => {
  const post = await Post.update(req.body, { where: { id: req.params.id } });
  res.json(post);
});
```
Use instead:
```js
app.put('/api/posts/:id', async (req, res) => {
  const post = await Post.update(req.body, { where: { id: req.params.id } });
  await redis.del(`post:${req.params.id}`);
  res.json(post);
});
```

## What it leaves alone
- writes whose request path deletes or refreshes a key with the resource's prefix, clears
  the cache (`clear`, `flushdb`, `reset`), deletes a key it builds elsewhere, or calls a
  helper named `invalidate…`/`evict…`/`purge…`/`bust…`;
- writes to models that nothing caches; `POST` routes when only single items are cached (a
  new id has no stale entry);
- caches without keys of their own (HTTP `Cache-Control` headers)."#,
    model: "cache",
};

/// A key a resource is cached under.
struct Cached {
    /// The key's first word, normalised (`post`).
    word: String,
    /// The key as written (`` `post:${req.params.id}` ``).
    key: String,
    /// No substitution: a list or a singleton (`posts:all`).
    collection: bool,
    /// The cache client's name (`redis`, `cache`), when known.
    client: Option<String>,
    /// Models read next to the cache write.
    models: Vec<String>,
    ttl: Option<f64>,
}

/// Is `client` an in-memory `Map` (no TTL, deletes synchronously)?
fn is_map(ctx: &Context, client: &str) -> bool {
    ctx.program
        .files
        .iter()
        .any(|f| f.text.contains(&format!("{client} = new Map")) || f.text.contains(&format!("{client}: Map<")))
}

impl Rule for CacheWithoutInvalidation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let program = ctx.program;
        let cached = cached_keys(ctx);
        if cached.is_empty() {
            return;
        }
        for (rid, route) in program.routes.iter().enumerate() {
            if !matches!(route.method.as_str(), "PUT" | "PATCH" | "DELETE" | "POST") {
                continue;
            }
            let calls = reached_calls(ctx, rid);
            if calls.iter().any(|c| matches!(&c.kind, CallKind::Cache { op } if CLEARS.contains(&op.as_str()))) {
                continue;
            }
            let handler_text = route
                .handler
                .map(|h| {
                    let f = &program.functions[h];
                    strip_comments(program.file(f.file).snippet(f.span)).to_lowercase()
                })
                .unwrap_or_default();
            if ["invalidat", "evict", "purge", "bust", "flushdb", "flushall", ".clear(", ".reset("]
                .iter()
                .any(|w| handler_text.contains(w))
            {
                continue;
            }
            let mut reported: Vec<&str> = Vec::new();
            for call in &calls {
                let CallKind::Query(q) = &call.kind else { continue };
                if !q.write {
                    continue;
                }
                let Some(model) = q.model.as_deref().map(normalise).or_else(|| sql_table(ctx, call)) else { continue };
                let Some(c) = cached.iter().find(|c| {
                    (c.word == model || c.models.contains(&model)) && (route.method != "POST" || c.collection)
                }) else {
                    continue;
                };
                if reported.contains(&c.word.as_str()) {
                    continue;
                }
                // A cache write or delete on the path that names the resource's key.
                let refreshed = calls.iter().any(|k| {
                    let CallKind::Cache { op } = &k.kind else { return false };
                    if READS.contains(&op.as_str()) {
                        return false;
                    }
                    let text = program.file(k.file).snippet(k.span);
                    match key_arg(text).and_then(|a| key_word(&a)) {
                        Some(w) => w == c.word,
                        // `redis.del(key)`: a key built elsewhere; trust it.
                        None => DELETES.contains(&op.as_str()),
                    }
                });
                if refreshed {
                    continue;
                }
                reported.push(&c.word);
                let (endpoint, others) = match ctx.placement(call.function) {
                    Placement::Filtered => continue,
                    Placement::Offline => (None, 0),
                    Placement::Endpoint { label, others } => (Some(label), others),
                };
                let forever = c.ttl.is_none() && c.client.as_deref().is_some_and(|cl| is_map(ctx, cl));
                // From the staleness model: stale until a restart is worse than a bounded window.
                let severity = match (&endpoint, forever) {
                    (None, _) => Severity::Low,
                    (Some(_), true) => Severity::High,
                    (Some(_), false) => Severity::Medium,
                };
                let ttl = c.ttl.unwrap_or(300.0);
                let ttl_value = Value {
                    value: ttl,
                    source: if c.ttl.is_some() { "the cache write".into() } else { "default: 5 minutes".into() },
                };
                let estimate =
                    cache::staleness(&ctx.profile, if forever { None } else { Some(&ttl_value) }, None, &c.word);
                let stale = if forever {
                    "until the process restarts (the map has no TTL)".to_string()
                } else {
                    format!("until the TTL ({} s) runs out", fmt_num(ttl))
                };
                let file = program.file(call.file);
                let callee = file.snippet(call.span).split('(').next().unwrap_or("").trim().to_string();
                let message = format!(
                    "`{}` changes `{}` with `{callee}`, but the cached {} is never deleted or refreshed on this path: readers get the old version {stale}. Delete the key after the write.{}",
                    route.label(),
                    q.model.clone().unwrap_or_else(|| c.word.clone()),
                    if c.key.contains('`') { format!("`` {} ``", c.key) } else { format!("`{}`", c.key) },
                    also_on(others)
                );
                let before = ctx.lines(call.file, call.span);
                let after = rewrite(ctx, route, c, &before);
                out.push(
                    ctx.finding(&META, call.file, call.span, severity, endpoint, message, estimate, before, after),
                );
            }
        }
    }
}

const SETS: &[&str] = &["set", "setex", "setEx", "psetex", "pSetEx", "hset", "hSet", "hmset", "put"];
const READS: &[&str] = &["get", "mget", "mGet", "hget", "hGet", "hgetall", "hGetAll", "exists", "ttl", "has"];
const DELETES: &[&str] = &["del", "unlink", "delete", "hdel", "hDel", "expire", "remove"];
const CLEARS: &[&str] = &["clear", "flushdb", "flushall", "flushDb", "flushAll", "reset"];

fn reached_calls<'p>(ctx: &Context<'p>, rid: RouteId) -> Vec<&'p CallSite> {
    let program = ctx.program;
    let mut calls: Vec<usize> =
        ctx.index.functions_of_route[rid].iter().flat_map(|&f| ctx.index.calls_in_function[f].iter().copied()).collect();
    calls.sort_unstable();
    calls.into_iter().map(|c| &program.calls[c]).collect()
}

/// `Post`, `posts`, `post` → `post`; `categories` → `category`.
fn normalise(name: &str) -> String {
    let n = name.rsplit('.').next().unwrap_or(name).to_lowercase();
    if let Some(stem) = n.strip_suffix("ies") {
        format!("{stem}y")
    } else if n.ends_with("ss") {
        n
    } else {
        n.strip_suffix('s').map(str::to_string).unwrap_or(n)
    }
}

/// The table of a SQL write (`UPDATE posts …`, `DELETE FROM posts …`, `INSERT INTO posts`).
fn sql_table(ctx: &Context, call: &CallSite) -> Option<String> {
    let text = ctx.program.file(call.file).snippet(call.span).to_lowercase();
    for kw in ["update ", "delete from ", "insert into "] {
        if let Some(i) = text.find(kw) {
            let rest = &text[i + kw.len()..];
            let t: String = rest.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !t.is_empty() {
                return Some(normalise(&t));
            }
        }
    }
    None
}

/// The first argument of the last call in `text` (`redis.setex(KEY, …)` → `KEY`).
fn key_arg(text: &str) -> Option<String> {
    let open = text.find('(')?;
    let mut depth = 0i32;
    let mut end = text.len();
    let mut in_tpl = false;
    for (i, ch) in text[open + 1..].char_indices() {
        match ch {
            '`' => in_tpl = !in_tpl,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 && !in_tpl => {
                end = open + 1 + i;
                break;
            }
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 && !in_tpl => {
                end = open + 1 + i;
                break;
            }
            _ => {}
        }
    }
    let arg = text[open + 1..end].trim();
    (!arg.is_empty()).then(|| arg.to_string())
}

/// The normalised first word of a key written as a literal, a template or a concatenation:
/// `` `post:${id}` ``, `'post:' + id`, `'posts:all'`.
fn key_word(key: &str) -> Option<String> {
    let body = key.strip_prefix(['`', '\'', '"'])?;
    let word: String = body.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let sep = body[word.len()..].chars().next();
    if word.is_empty() || word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    // A key word stands before a separator, or is the whole literal.
    match sep {
        Some(':' | '/' | '.' | '-' | '|' | '#') | Some('`' | '\'' | '"') => Some(normalise(&word)),
        _ => None,
    }
}

/// The TTL in seconds of a `set` with an expiry option: ioredis `set(k, v, 'EX', 3600)` /
/// `'PX', ms`, node-redis `set(k, v, { EX: 3600 })` / `{ PX: ms }`.
fn expiry_option(text: &str) -> Option<f64> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for (unit, scale) in [("EX", 1.0), ("PX", 0.001)] {
        for marker in [format!("'{unit}',"), format!("\"{unit}\","), format!("{unit}:")] {
            if let Some(at) = compact.find(&marker) {
                let digits: String = compact[at + marker.len()..].chars().take_while(|c| c.is_ascii_digit()).collect();
                if let Ok(n) = digits.parse::<f64>() {
                    return Some(n * scale);
                }
            }
        }
    }
    None
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// The initialiser of `const|let|var NAME = …` in `text` (a function's source), up to the end
/// of its statement: `` `product:${id}` `` for `const key = `product:${id}`;`.
fn local_value(text: &str, name: &str) -> Option<String> {
    for keyword in ["const ", "let ", "var "] {
        let mut rest = text;
        while let Some(at) = rest.find(keyword) {
            let after = rest[at + keyword.len()..].trim_start();
            rest = &rest[at + keyword.len()..];
            let Some(tail) = after.strip_prefix(name) else { continue };
            let Some(value) = tail.trim_start().strip_prefix('=').filter(|v| !v.starts_with(['=', '>'])) else {
                continue;
            };
            let value = value.trim_start();
            let end = value.find([';', '\n']).unwrap_or(value.len());
            let value = value[..end].trim();
            return (!value.is_empty()).then(|| value.to_string());
        }
    }
    None
}

fn has_substitution(key: &str) -> bool {
    key.contains("${") || key.contains('+')
}

/// Keys written by cache `set`s, and keys of cache middlewares on `GET` routes.
fn cached_keys(ctx: &Context) -> Vec<Cached> {
    let program = ctx.program;
    let mut out: Vec<Cached> = Vec::new();
    for call in &program.calls {
        let CallKind::Cache { op } = &call.kind else { continue };
        if !SETS.contains(&op.as_str()) {
            continue;
        }
        let text = program.file(call.file).snippet(call.span);
        let Some(key) = key_arg(text) else { continue };
        let key = match call.function {
            // `const key = `product:${id}`; redis.set(key, …)`: the key as its variable was built.
            Some(f) if is_identifier(&key) => {
                let f = &program.functions[f];
                local_value(program.file(f.file).snippet(f.span), &key).unwrap_or(key)
            }
            _ => key,
        };
        let Some(word) = key_word(&key) else { continue };
        let models = program
            .calls
            .iter()
            .filter(|c| c.function == call.function && call.function.is_some())
            .filter_map(|c| match &c.kind {
                CallKind::Query(q) if !q.write => q.model.as_deref().map(normalise),
                _ => None,
            })
            .collect();
        let client = text.split(['.', '(']).next().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let ttl = if op.eq_ignore_ascii_case("setex") {
            text[text.find('(').unwrap_or(0)..].split(',').nth(1).and_then(|t| t.trim().parse::<f64>().ok())
        } else {
            expiry_option(text)
        };
        out.push(Cached { collection: !has_substitution(&key), word, key, client, models, ttl });
    }
    // `app.get(path, cacheMiddleware(req => `post:${req.params.id}`, 600), handler)`.
    let client = redis_client(ctx);
    for (rid, route) in program.routes.iter().enumerate() {
        if route.method != "GET" {
            continue;
        }
        let outside = outside_handler(ctx, route);
        let Some(start) = outside.find('`') else { continue };
        let tpl_len = outside[start + 1..].find('`').map(|i| i + 2).unwrap_or(0);
        if tpl_len == 0 {
            continue;
        }
        let key = outside[start..start + tpl_len].to_string();
        let Some(word) = key_word(&key) else { continue };
        if !outside.to_lowercase().contains("cach") {
            continue;
        }
        let ttl = outside[start + tpl_len..]
            .split(',')
            .nth(1)
            .and_then(|t| t.trim().trim_end_matches(')').trim().parse::<f64>().ok());
        let models = reached_calls(ctx, rid)
            .iter()
            .filter_map(|c| match &c.kind {
                CallKind::Query(q) if !q.write => q.model.as_deref().map(normalise),
                _ => None,
            })
            .collect();
        out.push(Cached { collection: !has_substitution(&key), word, key, client: client.clone(), models, ttl });
    }
    out
}

/// A registration's text without the handler's own body.
fn outside_handler(ctx: &Context, route: &Route) -> String {
    let file = ctx.program.file(route.file);
    let reg = file.snippet(route.span);
    let Some(h) = route.handler else { return strip_comments(reg) };
    let func = &ctx.program.functions[h];
    if func.file == route.file && route.span.lo <= func.span.lo && func.span.hi <= route.span.hi {
        let a = (file.offset(func.span.lo) - file.offset(route.span.lo)) as usize;
        let b = (file.offset(func.span.hi) - file.offset(route.span.lo)) as usize;
        strip_comments(&format!("{}{}", reg.get(..a).unwrap_or(""), reg.get(b..).unwrap_or("")))
    } else {
        strip_comments(reg)
    }
}

/// The key of the changed resource, in the write handler's own names.
fn write_key(ctx: &Context, route: &Route, c: &Cached) -> String {
    if c.collection {
        return c.key.clone();
    }
    let params = route.handler.map(|h| ctx.program.functions[h].params.clone()).unwrap_or_default();
    let path_param =
        route.path.split('/').find_map(|s| s.strip_prefix(':')).map(|s| s.trim_end_matches('?').to_string());
    let prefix: String = c
        .key
        .trim_start_matches(['`', '\'', '"'])
        .chars()
        .take_while(|&ch| ch != '$' && ch != '`' && ch != '\'' && ch != '"')
        .collect();
    let value = match (route.framework, path_param, params.first()) {
        (Framework::NestJs, Some(p), _) if params.contains(&p) => p,
        (Framework::NestJs, _, _) => return c.key.clone(),
        (Framework::Koa, Some(p), Some(ctx_name)) => format!("{ctx_name}.params.{p}"),
        (_, Some(p), Some(req)) => format!("{req}.params.{p}"),
        _ => return c.key.clone(),
    };
    format!("`{prefix}${{{value}}}`")
}

fn rewrite(ctx: &Context, route: &Route, c: &Cached, before: &str) -> String {
    let indent: String = before.chars().take_while(|c| c.is_whitespace()).collect();
    let key = write_key(ctx, route, c);
    let client = c.client.clone().unwrap_or_else(|| "redis".into());
    // An in-memory `Map` deletes synchronously.
    let del =
        if is_map(ctx, &client) { format!("{client}.delete({key});") } else { format!("await {client}.del({key});") };
    let statement = before.trim();
    // After a `return`, the delete would never run: keep the value, delete, then return it.
    if let Some(value) = statement.strip_prefix("return ") {
        let (value, comment) = match value.split_once("; //") {
            Some((v, c)) => (v, format!(" //{c}")),
            None => (value.trim_end_matches(';'), String::new()),
        };
        let value = value.trim();
        let awaited = if value.starts_with("await ") { value.to_string() } else { format!("await {value}") };
        return format!("{indent}const result = {awaited};{comment}\n{indent}{del}\n{indent}return result;");
    }
    format!("{}\n{indent}{del}", before.trim_end())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_parses, findings};
    use super::*;
    use crate::Params;

    fn run(code: &str) -> Vec<String> {
        findings(&[("app.js", code)], &Params::default())
            .into_iter()
            .filter(|f| f.contains("cache-without-invalidation"))
            .collect()
    }

    const SEED: &str = "const express = require('express');\nconst Redis = require('ioredis');\nconst redis = new Redis(process.env.REDIS_URL);\nconst app = express();\napp.get('/api/posts/:id', cacheMiddleware(req => `post:${req.params.id}`, 600), async (req, res) => {\n  const post = await Post.findByPk(req.params.id);\n  res.json(post);\n});\napp.put('/api/posts/:id', async (req, res) => {\n  const post = await Post.update(req.body, { where: { id: req.params.id } });\n  await redis.del(`post:${req.params.id}`);\n  res.json(post);\n});\n";

    #[test]
    fn seed_with_del_is_clean_without_is_flagged() {
        assert!(run(SEED).is_empty());
        let without = SEED.replace("  await redis.del(`post:${req.params.id}`);\n", "");
        let f = run(&without);
        assert_eq!(f, ["app.js:10:22 cache-without-invalidation [PUT /api/posts/:id] medium"]);
        let a = crate::analyze(&[crate::SourceFile::new("app.js", without)], &Params::default());
        let f = a.findings.iter().find(|f| f.rule == META.id).unwrap();
        assert_parses(&f.after);
        assert!(f.after.ends_with("await redis.del(`post:${req.params.id}`);"), "{}", f.after);
        assert_eq!(f.estimate.before[0].value, 600.0);
    }

    #[test]
    fn a_key_built_in_a_variable_is_read_from_its_declaration() {
        assert_eq!(
            local_value("{ const key = `product:${id}`;\n redis.get(key) }", "key").as_deref(),
            Some("`product:${id}`")
        );
        assert_eq!(local_value("{ let keys = 1; const key = 'p:' + id\n }", "key").as_deref(), Some("'p:' + id"));
        assert_eq!(local_value("{ if (key === 1) {} }", "key"), None);
        assert_eq!(expiry_option("redis.set(key, v, 'EX', 3600)"), Some(3600.0));
        assert_eq!(expiry_option("client.set(key, v, { EX: 60 })"), Some(60.0));
        assert_eq!(expiry_option("redis.set(key, v, 'PX', 5000)"), Some(5.0));
        assert_eq!(expiry_option("cache.set(key, v)"), None);
        assert!(is_identifier("cacheKey") && !is_identifier("`p:${id}`") && !is_identifier("a.b"));
    }

    #[test]
    fn key_words() {
        assert_eq!(key_word("`post:${id}`").as_deref(), Some("post"));
        assert_eq!(key_word("'posts:' + page").as_deref(), Some("post"));
        assert_eq!(key_word("'categories'").as_deref(), Some("category"));
        assert_eq!(key_word("key"), None);
        assert_eq!(key_arg("redis.setex(`a:${f(x, y)}`, 60, v)").as_deref(), Some("`a:${f(x, y)}`"));
    }
}
