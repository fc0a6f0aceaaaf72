//! `missing-response-cache`: a GET route that reads the database on every request with no
//! caching of any kind. Docs: [`META`].

use super::caching::{redis_client, strip_comments};
use super::scan::also_on;
use super::{Context, Placement, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::{cache, fmt_num};
use crate::model::{CallKind, CallSite, Framework, Route};
use crate::params::{Category, Severity};

pub struct MissingResponseCache;

static META: RuleMeta = RuleMeta {
    id: "missing-response-cache",
    category: Category::Caching,
    summary: "A GET route that reads the database on every request with no caching of any kind",
    docs: r#"## What it finds
A `GET` route (Express, Fastify, Koa, hapi, NestJS) whose handler — or a helper it calls, in
any file — reads from the database, with no caching of any kind on that route:
- no cache lookup on its request path (`redis.get`, `cache.get`, …);
- no cache middleware on the route (`apicache.middleware(…)`, `cacheMiddleware(…)`,
  `cache(…)` before the handler, hapi's `options.cache`) or app-wide (`app.use(apicache…)`,
  `fastify.register(caching)`);
- no HTTP caching header set (`Cache-Control`, `ETag`: `res.set`, `res.setHeader`,
  `reply.header`, `ctx.set`, `h.response().header`, NestJS `@Header('Cache-Control', …)`);
- in NestJS, no `@CacheTTL`/`@CacheKey` and no `CacheInterceptor` (on the method, the
  controller, or app-wide through `APP_INTERCEPTOR`);
- no write on its request path: a GET that writes (a write query, or a row it read saved or
  updated, `user.save()`) changes state, and a cached answer would skip the write.

## Why is this bad
Every request pays the database round trips again, even when the answer has not changed
since the previous request a few milliseconds earlier. Reads usually dominate traffic: the
seed's cache reached an 82 % hit rate, which took 82 % of the load off the database and
served hits in ≈5 ms.

## Example
```js
app.get('/api/posts/:id', async (req, res) => {
  const post = await Post.findByPk(req.params.id);
  res.json(post);
});
```
Use instead — cache-aside (Redis when the app has a client, else a bounded in-memory map
with a TTL):
```js
app.get('/api/posts/:id', async (req, res) => {
  const cacheKey = req.originalUrl;
  const hit = await redis.get(cacheKey);
  const post = hit ? JSON.parse(hit) : await Post.findByPk(req.params.id);
  if (!hit) await redis.setex(cacheKey, 300, JSON.stringify(post));
  res.json(post);
});
```
Writes to the same resource must then delete or refresh the key (see
`cache-without-invalidation`).

## What it leaves alone
- routes other than `GET`, and `GET` routes that never reach a database read;
- routes with any cache already: a cache call on the request path, a cache middleware or
  option on the route or the app, a `Cache-Control`/`ETag` header, NestJS cache decorators
  and interceptors;
- routes that read the signed-in user's own data (`req.user`, `req.auth`, `req.session`,
  `request.user`, `ctx.state.user`, NestJS `@User()`/`@CurrentUser()` parameters): per-user
  answers are rarely worth a shared cache — unless signing in is optional on the route
  (`auth.optional`), where anonymous readers still get one shared answer. The caller read in
  any helper on the request path counts too (`ctx.state.auth`, `req.userId`,
  `res.locals.user`, `getServerSession(…)`): a cache keyed by the URL would serve one user's
  answer to everyone, so no such rewrite is offered;
- severity: at most low behind an admin guard (`requireAdmin`, `authorize('admin')`, a path
  under `/admin`: few requests) and on fast-changing data (notifications, messages, events,
  activity: stale before it is reused); not a finding when the cache would save under 1 ms
  per request (`cost::worth`)."#,
    model: "cache",
};

impl Rule for MissingResponseCache {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let program = ctx.program;
        let app_wide = app_wide_cache(ctx);
        let nest_global =
            program.files.iter().any(|f| f.text.contains("APP_INTERCEPTOR") && f.text.contains("CacheInterceptor"));
        let redis = redis_client(ctx);
        // Per function, once asked: does its text set `Cache-Control` or an `ETag`?
        let sets_headers: Vec<std::cell::OnceCell<bool>> = vec![Default::default(); program.functions.len()];
        for (rid, route) in program.routes.iter().enumerate() {
            if route.method != "GET" {
                continue;
            }
            let Some(handler) = route.handler else { continue };
            let reached: &[usize] = &ctx.index.functions_of_route[rid];
            let mut call_ids: Vec<usize> =
                reached.iter().flat_map(|&f| ctx.index.calls_in_function[f].iter().copied()).collect();
            call_ids.sort_unstable();
            let calls: Vec<&CallSite> = call_ids.into_iter().map(|c| &program.calls[c]).collect();
            if calls.iter().any(|c| matches!(c.kind, CallKind::Cache { .. })) {
                continue;
            }
            let mut reads: Vec<&CallSite> =
                calls.iter().copied().filter(|c| matches!(&c.kind, CallKind::Query(q) if !q.write)).collect();
            // The route's own file first, then by path and position: the same query is named
            // and cached whatever order the files were given in.
            reads.sort_by_key(|c| (c.file != route.file, program.file(c.file).path.as_str(), c.span.lo));
            let Some(first) = reads.first() else { continue };
            // A GET that writes (bradtraversy/devcamper-api's `GET /auth/confirmemail` finds the
            // user by a one-time token, then `user.save()`) changes state: a cached answer would
            // skip the write.
            if writes(ctx, &calls, &reads) {
                continue;
            }
            if app_wide.contains(&route.framework) {
                continue;
            }
            if route.framework == Framework::NestJs && nest_global {
                continue;
            }
            if route_has_cache(ctx, route, handler) {
                continue;
            }
            // No pattern holds a line break, so each function's text is looked at alone (and
            // once, however many routes reach it).
            if reached.iter().any(|&f| *sets_headers[f].get_or_init(|| {
                let func = &program.functions[f];
                let text = program.file(func.file).snippet(func.span).to_lowercase();
                text.contains("cache-control") || ["'etag'", "\"etag\"", "`etag`", ".etag("].iter().any(|e| text.contains(e))
            })) {
                continue;
            }
            let handler_text = {
                let func = &program.functions[handler];
                program.file(func.file).snippet(func.span)
            };
            // express-jwt's `req.auth` and NestJS's `@User('id')`/`@CurrentUser()` parameter
            // decorators are the signed-in user too (RealWorld's `GET /user` and
            // `GET /articles/feed`, in Express and in NestJS). A route whose sign-in is
            // optional (`auth.optional`) still serves anonymous readers a shared answer.
            let registration = program.file(route.file).snippet(route.span);
            let optional_user = registration.contains("optional") || registration.contains("Optional");
            if !optional_user
                && [
                    "req.user",
                    "req.session",
                    "request.user",
                    "ctx.state.user",
                    "request.auth.credentials",
                    "req.auth",
                    "@User(",
                    "@CurrentUser(",
                    "@AuthUser(",
                ]
                .iter()
                .any(|u| handler_text.contains(u))
            {
                continue;
            }
            // …or any helper on the request path reads the caller (cache_audience): a cache
            // keyed without the user would serve one user's answer to everyone.
            if !optional_user && super::cache_audience::per_user(ctx, reached) {
                continue;
            }
            // The route's own label: a handler shared by `GET /` and `GET /articles` is
            // reported once per route, each under its own endpoint.
            let (endpoint, others) = match ctx.placement(Some(handler)) {
                Placement::Filtered => continue,
                Placement::Offline => (None, 0),
                Placement::Endpoint { others, .. } if ctx.params.endpoint_selected(&route.method, &route.path) => {
                    (Some(route.label()), others)
                }
                Placement::Endpoint { .. } => continue,
            };
            let n = reads.len() as f64;
            let db_ms = n * ctx.profile.query_ms.value.max(0.0);
            let miss = crate::cost::profile::Value {
                value: db_ms,
                source: format!("the route's {} read{} × query_ms", fmt_num(n), if n == 1.0 { "" } else { "s" }),
            };
            let estimate = cache::response_cache(&ctx.profile, None, Some(&miss));
            let saved_per_s = ctx.profile.rps.value.max(0.0) * n * ctx.profile.hit_rate.value.clamp(0.0, 1.0);
            // Not a finding when a cache would save under 1 ms per request (cost::worth).
            let saved_ms = db_ms * ctx.profile.hit_rate.value.clamp(0.0, 1.0);
            if !crate::cost::worth::worth(saved_ms, crate::cost::worth::WAITING) {
                continue;
            }
            // Admin-only routes serve few requests; fast-changing data is stale before reuse.
            let minor = super::cache_audience::admin_only(ctx, route)
                || reads.iter().any(|r| matches!(&r.kind, CallKind::Query(q) if super::cache_audience::fast_changing(q.model.as_deref())));
            let severity = match endpoint {
                None => Severity::Low,
                Some(_) if minor => Severity::Low,
                Some(_) if saved_per_s >= 200.0 => Severity::High,
                Some(_) if saved_per_s >= 20.0 => Severity::Medium,
                Some(_) => Severity::Low,
            };
            let file = program.file(first.file);
            let text = file.snippet(first.span);
            let head = text.split('(').next().unwrap_or("").trim();
            let callee = if head.contains('.') {
                head.to_string()
            } else {
                text.split_inclusive(')').next().map(|h| format!("{h}…")).unwrap_or_else(|| head.to_string())
            };
            let queries = if reads.len() == 1 {
                format!("`{callee}`")
            } else {
                format!("{} queries (`{callee}`, …)", reads.len())
            };
            let label = route.label();
            // The rewrite names the Redis client only where the code it rewrites can see it
            // (declared or imported in that file); elsewhere it would be an undeclared name.
            let visible = redis.as_deref().filter(|name| names_in_scope(&ctx.program.file(first.file).text, name));
            let message = format!(
                "`{label}` runs {queries} on every request with no cache of any kind (no cache lookup, no cache middleware, no `Cache-Control`/`ETag`): ≈{} ms of database time per request, all of it repeated for unchanged data. Cache the answer (cache-aside, {}) with a TTL, and delete the key when the data changes.{}",
                fmt_num(db_ms),
                if visible.is_some() { "in Redis" } else { "in a bounded in-memory map" },
                also_on(others)
            );
            let before = ctx.lines(first.file, first.span);
            let after = rewrite(ctx, route, first, &before, visible);
            out.push(ctx.finding(&META, route.file, route.span, severity, endpoint, message, estimate, before, after));
        }
    }
}

/// Frameworks with a cache registered app-wide: `app.use(apicache.middleware(…))`,
/// `app.use(cache(…))`, `fastify.register(caching)`, koa-cash.
/// Whether the route writes to the database: a write query, or a row it read saved, updated or
/// removed through the row itself (Mongoose/Sequelize documents: `user.save()`,
/// `row.update({…})`, `doc.deleteOne()`).
fn writes(ctx: &Context, calls: &[&CallSite], reads: &[&CallSite]) -> bool {
    const ROW_WRITES: &[&str] =
        &["save", "update", "updateOne", "destroy", "remove", "deleteOne", "increment", "decrement", "restore"];
    if calls.iter().any(|c| matches!(&c.kind, CallKind::Query(q) if q.write)) {
        return true;
    }
    let rows: Vec<&str> = reads.iter().filter_map(|r| r.result_name.as_deref()).collect();
    calls.iter().any(|c| {
        let text = ctx.program.file(c.file).snippet(c.span);
        let callee = text.split('(').next().unwrap_or_default().trim();
        callee.split_once('.').is_some_and(|(on, method)| rows.contains(&on) && ROW_WRITES.contains(&method))
    })
}

fn app_wide_cache(ctx: &Context) -> Vec<Framework> {
    let mut out = Vec::new();
    for (i, f) in ctx.program.files.iter().enumerate() {
        let has = f.text.lines().any(|l| {
            let l = strip_comments(l).to_lowercase();
            (l.contains(".use(") || l.contains(".register(")) && (l.contains("cach") || l.contains("koa-cash"))
        });
        if has {
            for r in ctx.program.routes.iter().filter(|r| r.file == i) {
                if !out.contains(&r.framework) {
                    out.push(r.framework);
                }
            }
            for a in ctx.program.apps.iter().filter(|a| a.file == i) {
                if !out.contains(&a.framework) {
                    out.push(a.framework);
                }
            }
        }
    }
    out
}

/// A cache middleware or option in the registration outside the handler's own body, or,
/// for NestJS, a cache decorator or interceptor on the method or its controller.
fn route_has_cache(ctx: &Context, route: &Route, handler: usize) -> bool {
    let file = ctx.program.file(route.file);
    let func = &ctx.program.functions[handler];
    if route.framework == Framework::NestJs {
        if file.text.contains("CacheInterceptor") {
            return true;
        }
        // The decorators above the method.
        let (line, _) = file.position(route.span.lo);
        let mut first = line;
        while first > 1 {
            let start = file.lines.line_start(first - 1) as usize;
            let end = file.lines.line_start(first) as usize;
            let text = file.text.get(start..end).unwrap_or("").trim();
            if text.is_empty() || text.ends_with('{') || text.ends_with('}') || text.ends_with(';') {
                break;
            }
            first -= 1;
        }
        let lo = file.lines.line_start(first) as usize;
        let hi = file.offset(func.span.lo) as usize;
        let decorators = file.text.get(lo..hi.max(lo)).unwrap_or("");
        let method = file.snippet(route.span);
        let head = method.split('{').next().unwrap_or("");
        return decorators.contains("@CacheTTL")
            || decorators.contains("@CacheKey")
            || head.contains("@CacheTTL")
            || head.contains("@CacheKey");
    }
    let reg = file.snippet(route.span);
    let outside = if func.file == route.file && route.span.lo <= func.span.lo && func.span.hi <= route.span.hi {
        let a = (file.offset(func.span.lo) - file.offset(route.span.lo)) as usize;
        let b = (file.offset(func.span.hi) - file.offset(route.span.lo)) as usize;
        format!("{}{}", reg.get(..a).unwrap_or(""), reg.get(b..).unwrap_or(""))
    } else {
        reg.to_string()
    };
    strip_comments(&outside).to_lowercase().contains("cach")
}

/// The request's cache key, written with the handler's own parameter names.
fn key_expr(ctx: &Context, route: &Route, query: &CallSite) -> String {
    let params = route.handler.map(|h| ctx.program.functions[h].params.clone()).unwrap_or_default();
    let first = params.first().cloned();
    // In a helper or a service, the request is out of scope: key by the function's arguments.
    if query.function.is_some() && query.function != route.handler {
        let f = &ctx.program.functions[query.function.unwrap_or_default()];
        let name = f.name.clone().unwrap_or_else(|| route.label());
        return if f.params.is_empty() {
            format!("'{}'", name.replace('\'', ""))
        } else {
            format!("`{}:${{JSON.stringify([{}])}}`", name.replace('`', ""), f.params.join(", "))
        };
    }
    match (route.framework, first) {
        (Framework::Express, Some(req)) => format!("{req}.originalUrl"),
        (Framework::Fastify, Some(req)) => format!("{req}.url"),
        (Framework::Koa, Some(c)) => format!("{c}.url"),
        (Framework::Hapi, Some(req)) => format!("{req}.url.href"),
        (Framework::NestJs, _) if !params.is_empty() => {
            format!("`{}:${{JSON.stringify([{}])}}`", route.label(), params.join(", "))
        }
        _ => format!("'{}'", route.label().replace('\'', "")),
    }
}

/// Whether `name` is declared or imported at the top of a file's text (`const redis = …`,
/// `import { redis } from …`, `const { client } = require(…)`).
fn names_in_scope(text: &str, name: &str) -> bool {
    let word = |line: &str| {
        line.match_indices(name).any(|(i, _)| {
            let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
            !line[..i].chars().next_back().is_some_and(ident) && !line[i + name.len()..].chars().next().is_some_and(ident)
        })
    };
    text.lines().map(str::trim_start).any(|l| {
        (l.starts_with("import ") || l.starts_with("const ") || l.starts_with("let ") || l.starts_with("var ") || l.starts_with("export const "))
            && word(l.split('=').next().unwrap_or(l))
            || l.starts_with("import ") && word(l)
    })
}

fn rewrite(ctx: &Context, route: &Route, query: &CallSite, before: &str, redis: Option<&str>) -> String {
    let file = ctx.program.file(query.file);
    let call = file.snippet(query.span).trim().to_string();
    let indent: String = before.chars().take_while(|c| c.is_whitespace()).collect();
    let statement = before.trim();
    // The query's value goes into `name`; the user's statement then uses it in place of the
    // query (`const { rows } = data;`, `ctx.body = data;`, `return data;`), unless the
    // statement only declared `name` itself.
    let awaited = format!("await {call}");
    let declared = ["const ", "let ", "var "].iter().find_map(|kw| {
        let rest = statement.strip_prefix(kw)?;
        let (name, value) = rest.split_once('=')?;
        let name = name.trim();
        let value = value.trim().trim_end_matches(';').trim();
        let simple = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$');
        (simple && (value == awaited || value == call)).then(|| (kw.trim().to_string(), name.to_string()))
    });
    let (decl, name, tail) = match declared {
        Some((kw, name)) => (kw, name, None),
        None => {
            let used = if statement.contains(&awaited) {
                statement.replacen(&awaited, "data", 1)
            } else {
                statement.replacen(&call, "data", 1)
            };
            ("const".to_string(), "data".to_string(), Some(used))
        }
    };
    let key = key_expr(ctx, route, query);
    let mut lines: Vec<String> = match redis {
        Some(r) => vec![
            format!("const cacheKey = {key};"),
            format!("const hit = await {r}.get(cacheKey);"),
            format!("{decl} {name} = hit ? JSON.parse(hit) : {awaited};"),
            format!("if (!hit) await {r}.setex(cacheKey, 300, JSON.stringify({name}));"),
        ],
        None => vec![
            "// at module level: a bounded map with a TTL".to_string(),
            "const responseCache = new Map(); // key → { value, expires }".to_string(),
            "const CACHE_TTL_MS = 60_000;".to_string(),
            "const CACHE_MAX = 1000;".to_string(),
            "// in the function".to_string(),
            format!("const cacheKey = {key};"),
            "const hit = responseCache.get(cacheKey);".to_string(),
            "const fresh = hit && hit.expires > Date.now();".to_string(),
            format!("{decl} {name} = fresh ? hit.value : {awaited};"),
            "if (!fresh) {".to_string(),
            "  if (responseCache.size >= CACHE_MAX) responseCache.delete(responseCache.keys().next().value);"
                .to_string(),
            format!("  responseCache.set(cacheKey, {{ value: {name}, expires: Date.now() + CACHE_TTL_MS }});"),
            "}".to_string(),
        ],
    };
    lines.extend(tail);
    let text = lines.iter().map(|l| format!("{indent}{l}")).collect::<Vec<_>>().join("\n");
    // The query's lines are not always whole statements (an arrow's expression body, an
    // object's property): then there is no rewrite of them that keeps the code's shape.
    let check = crate::SourceFile::new(file.path.clone(), format!("async function* rewritten() {{\n{text}\n}}"));
    if crate::parse::parse(&check).error.is_some() {
        return String::new();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_parses, findings};
    use crate::Params;

    fn run(code: &str) -> Vec<String> {
        findings(&[("app.js", code)], &Params::all_rules())
            .into_iter()
            .filter(|f| f.contains("missing-response-cache"))
            .collect()
    }

    #[test]
    fn a_redis_client_the_route_file_cannot_see_is_not_written_into_its_rewrite() {
        // growthbook: a Redis client made in an unrelated module, never imported by the
        // controller; the rewrite would use an undeclared `client`.
        let files = [
            crate::SourceFile::new("src/services/redis.js", "const { createClient } = require('redis');\nconst client = createClient();\nmodule.exports = { client };\n"),
            crate::SourceFile::new("src/app.js", "const express = require('express');\nconst app = express();\napp.get('/api/posts/:id', async (req, res) => {\n  const post = await Post.findByPk(req.params.id);\n  res.json(post);\n});\n"),
        ];
        let a = crate::analyze(&files, &crate::Params::all_rules());
        let f: Vec<_> = a.findings.iter().filter(|f| f.rule == "missing-response-cache").collect();
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(!f[0].after.contains("client."), "{}", f[0].after);
        assert!(f[0].message.contains("in-memory"), "{}", f[0].message);
    }

    #[test]
    fn flags_uncached_get() {
        let f = run("const express = require('express');\nconst app = express();\napp.get('/api/posts/:id', async (req, res) => {\n  const post = await Post.findByPk(req.params.id);\n  res.json(post);\n});\n");
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].starts_with("app.js:3:1"), "{f:?}");
    }

    #[test]
    fn seed_cache_middleware_is_clean() {
        let f = run("const express = require('express');\nconst app = express();\napp.get('/api/users', cacheMiddleware(req => `users:${req.query.page || 1}`), async (req, res) => {\n  const users = await User.findAll();\n  res.json(users);\n});\n");
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn headers_and_writes_are_clean() {
        let f = run("const express = require('express');\nconst app = express();\napp.get('/a', async (req, res) => {\n  const p = await Post.findAll({ limit: 10 });\n  res.set('Cache-Control', 'public, max-age=60');\n  res.json(p);\n});\napp.post('/b', async (req, res) => {\n  res.json(await Post.findAll({ limit: 10 }));\n});\n");
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn rewrite_parses() {
        let code = "const express = require('express');\nconst app = express();\napp.get('/api/posts/:id', async (req, res) => {\n  const post = await Post.findByPk(req.params.id);\n  res.json(post);\n});\n";
        let analysis = crate::analyze(&[crate::SourceFile::new("app.js", code)], &Params::all_rules());
        let f = analysis.findings.iter().find(|f| f.rule == "missing-response-cache").unwrap();
        assert_parses(&f.after);
        assert!(
            f.after.contains("const post = fresh ? hit.value : await Post.findByPk(req.params.id);"),
            "{}",
            f.after
        );
    }
}
