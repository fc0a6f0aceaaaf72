//! `missing-rate-limit`: an app with no rate limiter, or expensive routes (search, export,
//! login, upload, report, password) without a stricter limit than the app's. Docs: [`META`].

use super::missing_compression::AppSite;
use super::{Context, Rule, RuleMeta};
use crate::analysis::{Estimate, Finding};
use crate::cost::profile::Value;
use crate::cost::{fmt_num, rate_limit};
use crate::model::{Framework, Route};
use crate::params::{Category, LoadProfile, Severity};
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

pub struct MissingRateLimit;

static META: RuleMeta = RuleMeta {
    id: "missing-rate-limit",
    category: Category::Api,
    summary: "An app with no rate limiter, or an expensive route without a stricter limit",
    docs: r#"## What it finds
- An app (Express, Fastify, Koa, NestJS, hapi) created in the analysed code when no file of
  the program imports a rate limiter: `express-rate-limit`, `express-slow-down`,
  `rate-limiter-flexible`, `express-brute`, `express-limiter`, `@fastify/rate-limit` /
  `fastify-rate-limit`, `koa-ratelimit` / `koa2-ratelimit`, `@nestjs/throttler`,
  `hapi-rate-limit` / `hapi-rate-limitor`. Reported once per app at its creation, whatever
  the `endpoints` filter.
- When the program has a limiter: an expensive route — its path or its handler's name says
  search, export, login, signin, auth, upload, report or password, *and its request path does
  that work*: a password hash or comparison (bcrypt, argon2, scrypt, pbkdf2, a
  `comparePassword` helper), or for a submitting route (not a `GET` or GraphQL query) any
  query, HTTP call or file work; for the other words a query, an HTTP call, file-system or
  CPU-bound work, or a loop (`model::route_work`) — whose registration
  carries no limiter of its own (`app.post('/login', loginLimiter, …)`, Fastify's
  `config: { rateLimit }`, NestJS's `@Throttle`/`@SkipThrottle`) and is not mounted under a
  prefix that has one (`app.use('/auth', authLimiter, authRouter)`). Reported at the route.

## Why is this bad
Without a limit one client — a script, a crawler, a retry loop gone wrong — can use all of
the server's capacity: every request it sends takes a worker, a database connection and
event-loop time from everyone else. Routes that hash passwords, search, build exports or
accept uploads cost tens to thousands of times a plain read, so the limit that suits the API
as a whole (say 100 requests a minute) still lets one client run 100 logins or exports a
minute; those routes need a stricter one: 10 a minute for search, export, report and upload,
5 attempts per 15 minutes for login and password routes (which also stops password guessing).

Estimate (model `rate-limit`): the requests one client can send in a minute — before, the
whole arrival rate of the load profile (`rps` × 60: nothing stops a single client from
sending all of it); after, the limit the rewrite sets (100 a minute for the app, 10 a minute
or 5 per 15 minutes for an expensive route). It prices exposure, not latency.

Severity: medium; high under the `high` load profile, and for expensive routes that handle
credentials (login, signin, auth, password).

## Example
```js
const app = express();
app.post('/api/login', login);
```
Use instead:
```js
const rateLimit = require('express-rate-limit');
const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100 }));
const loginLimiter = rateLimit({ windowMs: 15 * 60_000, limit: 5 });
app.post('/api/login', loginLimiter, login);
```

## What it leaves alone
- routes whose path says login or report but whose handler only renders a page
  (`GET /login` → `res.render('login')`): route cost is judged from what the handler does;
- routes registered in code that runs once (a set-up wizard's server, scripts: `model::once`);
- code that does not create the app (a router module, a plugin): the limit may be set where
  the app is created, or by a gateway in front of it;
- expensive routes while the app has no limiter at all (the app's finding covers them: one
  defect, one finding);
- hapi routes' own limits (they live in route options, which the rule does not read)."#,
    model: "rate-limit",
};

const LIMITER_MODULES: &[&str] = &[
    "express-rate-limit",
    "express-slow-down",
    "rate-limiter-flexible",
    "express-brute",
    "express-limiter",
    "@fastify/rate-limit",
    "fastify-rate-limit",
    "koa-ratelimit",
    "koa2-ratelimit",
    "@nestjs/throttler",
    "nestjs-throttler",
    "hapi-rate-limit",
    "hapi-rate-limitor",
];

const EXPENSIVE: &[&str] = &["search", "export", "login", "signin", "sign-in", "auth", "upload", "report", "password"];
const CREDENTIALS: &[&str] = &["login", "signin", "sign-in", "auth", "password"];

/// Words in a registration that name a limiter.
fn mentions_limiter(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    ["limit", "throttl", "slowdown", "slow_down", "brute"].iter().any(|w| t.contains(w))
}

impl Rule for MissingRateLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let has_limiter = ctx.program.app_facts.imports_any(|m| LIMITER_MODULES.contains(&m));
        let high = ctx.params.load_profile == LoadProfile::High;
        if !has_limiter {
            for app in ctx.program.serving_apps() {
                let site = AppSite::of(ctx, app);
                let n = &site.name;
                let (import, register) = match app.framework {
                    Framework::Fastify => (
                        String::new(),
                        format!("{n}.register(require('@fastify/rate-limit'), {{ max: 100, timeWindow: '1 minute' }});"),
                    ),
                    Framework::Koa => (
                        site.import("ratelimit", "koa-ratelimit"),
                        format!("{n}.use(ratelimit({{ driver: 'memory', db: new Map(), duration: 60_000, max: 100 }}));"),
                    ),
                    Framework::Hapi => (
                        String::new(),
                        format!("await {n}.register({{ plugin: require('hapi-rate-limit'), options: {{ userLimit: 100, userCache: {{ expiresIn: 60_000 }} }} }});"),
                    ),
                    _ => (
                        site.import("rateLimit", "express-rate-limit"),
                        format!("{n}.use(rateLimit({{ windowMs: 60_000, limit: 100 }}));"),
                    ),
                };
                let nest = if app.framework == Framework::NestJs {
                    " (or `ThrottlerModule.forRoot` with the `ThrottlerGuard` as a global guard)"
                } else {
                    ""
                };
                let mut message = format!(
                    "The {} app `{n}` has no rate limiter: no file of the program imports one, so a single client can take all of the server's capacity. Register a limit for the whole app{nest}, and stricter ones on login, search, export and upload routes.",
                    app.framework.as_str()
                );
                // A Glue app registers its plugins from its manifest: the limiter goes there.
                let manifest = glue_manifest(ctx, app);
                let (before, after) = match manifest {
                    Some(entry) => {
                        let f = ctx.program.file(entry.file);
                        let (line, _) = f.position(entry.span.lo);
                        message.push_str(&format!(
                            " Glue composes it from the manifest's registrations ({}:{line}): list `hapi-rate-limit` there.",
                            f.path
                        ));
                        manifest_rewrite(ctx, entry)
                    }
                    None => (site.lines.clone(), site.rewrite(&import, &register)),
                };
                let severity = if high { Severity::High } else { Severity::Medium };
                let estimate = estimate(ctx, 100.0, 1.0, "the app's limit");
                out.push(ctx.finding(&META, app.file, app.span, severity, None, message, estimate, before, after));
            }
            return;
        }
        if ctx.program.serving_apps().next().is_none() {
            return;
        }
        let limited_prefixes = limited_prefixes(ctx);
        for (route_id, route) in ctx.program.routes.iter().enumerate() {
            // hapi routes are limited per route config; a socket.io event or a server action
            // is not a request an HTTP limiter middleware sees; a route in start-up-only code
            // serves nothing.
            if route.framework == Framework::Hapi
                || matches!(route.method.as_str(), "EVENT" | "ACTION")
                || ctx.program.once.file_once(route.file)
            {
                continue;
            }
            let mut handler_name = route
                .handler
                .and_then(|h| ctx.program.functions[h].name.clone())
                .unwrap_or_default()
                .to_ascii_lowercase();
            // A GraphQL operation is named by itself, not by its resolver class
            // (`AuthResolver.logout` is a logout).
            if matches!(route.method.as_str(), "QUERY" | "MUTATION" | "SUBSCRIPTION") {
                handler_name = handler_name.rsplit('.').next().unwrap_or_default().to_string();
            }
            let path = route.path.to_ascii_lowercase();
            // The route's own last static segment names what it does (`/api/auth/logout` is a
            // logout, not an auth); a password or upload anywhere in the path counts.
            let last =
                path.split('/').rfind(|s| !s.is_empty() && !s.starts_with(':') && !s.starts_with('{')).unwrap_or("");
            let Some(word) = EXPENSIVE.iter().find(|w| {
                last.contains(*w)
                    || handler_name.contains(*w)
                    || ((**w == "password" || **w == "upload") && path.contains(*w))
            }) else {
                continue;
            };
            if !ctx.params.endpoint_selected(&route.method, &route.path) {
                continue;
            }
            let registration = registration_text(ctx, route);
            if mentions_limiter(&registration) {
                continue;
            }
            if limited_prefixes.iter().any(|p| route.path.starts_with(p.as_str())) {
                continue;
            }
            let credentials = CREDENTIALS.contains(word);
            // The word names what the route is; what its handler does says whether it costs
            // anything (model::route_work): a `GET /login` that renders a form does not.
            if !expensive_work(ctx, route_id, route, credentials) {
                continue;
            }
            let severity = if high || credentials { Severity::High } else { Severity::Medium };
            let message = format!(
                "`{}` ({word}) is expensive but only the app-wide limit applies: one client can still run it as often as any cheap route. Give it a stricter limiter of its own{}{}.",
                route.label(),
                if credentials { " (it also stops password guessing)" } else { "" },
                if route.framework == Framework::NestJs { if credentials { ": `@Throttle({ default: { limit: 5, ttl: 15 * 60_000 } })` on the method" } else { ": `@Throttle({ default: { limit: 10, ttl: 60_000 } })` on the method" } } else { "" }
            );
            // Credentials: 5 attempts per 15 minutes; other expensive work: 10 a minute.
            let (limit, window) = if credentials { (5.0, 15.0) } else { (10.0, 1.0) };
            let estimate = estimate(ctx, limit, window, "a stricter limit");
            let (before, after) = route_rewrite(ctx, route, limit, window);
            out.push(ctx.finding(
                &META,
                route.file,
                route.span,
                severity,
                Some(route.label()),
                message,
                estimate,
                before,
                after,
            ));
        }
    }
}

/// Does the route's request path do work worth a stricter limit? Credentials: a password hash
/// or comparison anywhere on the path, or a request that submits something (not a GET or a
/// GraphQL query) and does any work or whose handler the model could not resolve. Other words
/// (search, export, report, upload): a query, an HTTP call, file-system or CPU-bound work, or
/// a loop. A handler the model could not resolve is judged by its words, as before.
fn expensive_work(ctx: &Context, route_id: usize, route: &Route, credentials: bool) -> bool {
    let work = ctx.index.route_work(ctx.program, route_id);
    let reads = matches!(route.method.as_str(), "GET" | "HEAD" | "QUERY" | "OPTIONS");
    // A handler the model could not resolve cannot be judged: its words stand.
    if credentials {
        work.hashes > 0 || (!reads && (work.any() || route.handler.is_none()))
    } else {
        work.any() || route.handler.is_none()
    }
}

/// The rate-limit model (`cost::rate_limit`) for `limit` requests per `window_min` minutes.
fn estimate(ctx: &Context, limit: f64, window_min: f64, what: &str) -> Estimate {
    let rewrite = |value: f64| Value { value, source: "rewrite".into() };
    rate_limit::rate_limit(&ctx.profile, &rewrite(limit), &rewrite(window_min), None, what)
}

/// The registration's middleware and options (the arguments between the path and the
/// handler), or the decorators above a NestJS method.
fn registration_text(ctx: &Context, route: &Route) -> String {
    if route.framework != Framework::NestJs {
        let f = ctx.program.file(route.file);
        return match registration_call(ctx, route) {
            Some(call) if call.args.len() > 2 => {
                call.args[1..call.args.len() - 1].iter().map(|a| f.snippet(a.expr.span())).collect::<Vec<_>>().join(" ")
            }
            Some(_) => String::new(),
            None => f.snippet(route.span).to_string(),
        };
    }
    let text = ctx.program.file(route.file).snippet(route.span).to_string();
    // Decorators sit on the lines above the method (and `@Throttle` may be on the class).
    let f = ctx.program.file(route.file);
    let lo = f.offset(route.span.lo) as usize;
    let head = f.text.get(..lo).unwrap_or("");
    let above: Vec<&str> = head.lines().rev().take(4).collect();
    let class_level = head.rfind("@Controller").map(|i| &head[i.saturating_sub(200)..i]).unwrap_or("");
    format!("{text}\n{}\n{class_level}", above.join("\n"))
}

/// The first plugin entry of the manifest a Glue app is composed from
/// (`Glue.compose(manifest, options, (err, server) => …)`, `await Glue.compose(…)`).
fn glue_manifest<'c>(ctx: &'c Context, app: &crate::model::App) -> Option<&'c crate::model::Registration> {
    if app.framework != Framework::Hapi || !ctx.program.file(app.file).snippet(app.span).contains(".compose(") {
        return None;
    }
    ctx.program
        .app_facts
        .registrations
        .iter()
        .find(|r| r.receiver.is_none() && r.method == "register" && r.args.first().is_some_and(|a| a.module.is_some()))
}

/// The manifest statement holding its first plugin entry (`const manifest = { registrations:
/// [...] }`), and the same with the limiter listed after that entry in the same form (glue < 5:
/// `{ plugin: { register: 'x', options } }`; glue 5+: `{ plugin: 'x', options }`).
fn manifest_rewrite(ctx: &Context, entry: &crate::model::Registration) -> (String, String) {
    let f = ctx.program.file(entry.file);
    let statement = f
        .program
        .as_ref()
        .and_then(|p| {
            crate::syntax::top_level_statements(p)
                .into_iter()
                .map(|s| s.span())
                .find(|s| s.lo <= entry.span.lo && entry.span.hi <= s.hi)
        })
        .unwrap_or(entry.span);
    let before = f.snippet(statement).to_string();
    let indent: String = ctx.lines(entry.file, entry.span).chars().take_while(|c| c.is_whitespace()).collect();
    let limiter = if f.snippet(entry.span).contains("register") {
        "{ plugin: { register: 'hapi-rate-limit', options: { userLimit: 100, userCache: { expiresIn: 60000 } } } }"
    } else {
        "{ plugin: 'hapi-rate-limit', options: { userLimit: 100, userCache: { expiresIn: 60000 } } }"
    };
    // The limiter right after the entry: on its own line when the entry ends its line.
    let prefix = f.snippet(Span::new(statement.lo, entry.span.hi));
    let suffix = f.snippet(Span::new(entry.span.hi, statement.hi));
    let (comma, rest) = match suffix.strip_prefix(',') {
        Some(rest) => (",", rest),
        None => ("", suffix),
    };
    let after = if rest.trim_start_matches([' ', '\t']).starts_with(['\n', '\r']) {
        format!("{prefix},\n{indent}{limiter}{comma}{rest}")
    } else {
        format!("{prefix}, {limiter}{suffix}")
    };
    (before, after)
}

/// Prefixes mounted with a limiter: `app.use('/auth', authLimiter, authRouter)` (the model's
/// registrations, in any file).
fn limited_prefixes(ctx: &Context) -> Vec<String> {
    ctx.program
        .app_facts
        .registrations
        .iter()
        .filter(|r| r.method == "use" && r.args.len() >= 2)
        .filter_map(|r| {
            let f = ctx.program.file(r.file);
            let prefix = r.path.as_ref()?;
            r.args[1..].iter().any(|a| mentions_limiter(f.snippet(a.span))).then(|| prefix.clone())
        })
        .collect()
}

fn f_text<'a>(ctx: &Context<'a>, route: &Route) -> &'a str {
    &ctx.program.file(route.file).text
}

/// The registration call `owner.method(path, …)` whose span is the route's.
fn registration_call(ctx: &Context, route: &Route) -> Option<CallExpr> {
    struct Find(swc_common::Span, Option<CallExpr>);
    impl Visit for Find {
        fn visit_call_expr(&mut self, c: &CallExpr) {
            if self.1.is_some() || !(c.span.lo <= self.0.lo && self.0.hi <= c.span.hi) {
                return;
            }
            if c.span == self.0 {
                self.1 = Some(c.clone());
                return;
            }
            c.visit_children_with(self);
        }
    }
    let mut finder = Find(route.span, None);
    ctx.program.file(route.file).program.as_ref()?.visit_with(&mut finder);
    finder.1
}

/// The route's lines with a stricter limiter: an extra middleware argument after the path
/// (Express, Koa routers), Fastify's per-route `config.rateLimit`, NestJS's `@Throttle`.
fn route_rewrite(ctx: &Context, route: &Route, limit: f64, window: f64) -> (String, String) {
    let (max, minutes) = (fmt_num(limit), fmt_num(window));
    let window_ms = if window == 1.0 { "60_000".to_string() } else { format!("{minutes} * 60_000") };
    let imports = |module: &str, local: &str| {
        if f_text(ctx, route).contains(module) {
            String::new()
        } else {
            format!(" // import {local} from '{module}'")
        }
    };
    let f = ctx.program.file(route.file);
    let lines = ctx.lines(route.file, route.span);
    let indent: String = lines.chars().take_while(|c| c.is_whitespace() && *c != '\n').collect();
    if route.framework == Framework::NestJs {
        // A decorated method is not a statement: the message names `@Throttle`, no rewrite.
        let _ = indent;
        return (lines, String::new());
    }
    let Some(call) = registration_call(ctx, route) else { return (lines, String::new()) };
    let Some(first) = call.args.first() else { return (lines, String::new()) };
    let (path_end, nargs) = (first.expr.span().hi, call.args.len());
    let lo = f.offset(route.span.lo) as usize;
    let line_start = f.text.get(..lo).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
    let at = f.offset(path_end) as usize - line_start;
    if at > lines.len() {
        return (lines, String::new());
    }
    let mut after = lines.clone();
    match route.framework {
        Framework::Fastify => {
            if nargs != 2 {
                return (lines, String::new());
            }
            let tw = if window == 1.0 { "1 minute".to_string() } else { format!("{minutes} minutes") };
            after.insert_str(at, &format!(", {{ config: {{ rateLimit: {{ max: {max}, timeWindow: '{tw}' }} }} }}"));
        }
        Framework::Koa => {
            after.insert_str(at, ", strictLimiter");
            let import = imports("koa-ratelimit", "ratelimit");
            after = format!("{indent}const strictLimiter = ratelimit({{ driver: 'memory', db: new Map(), duration: {window_ms}, max: {max} }});{import}\n{after}");
        }
        _ => {
            after.insert_str(at, ", strictLimiter");
            let import = imports("express-rate-limit", "rateLimit");
            after = format!(
                "{indent}const strictLimiter = rateLimit({{ windowMs: {window_ms}, limit: {max} }});{import}\n{after}"
            );
        }
    }
    (lines, after)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_parses, rule_findings};
    use crate::Params;

    fn of(files: &[(&str, &str)], params: &Params) -> Vec<crate::analysis::Finding> {
        rule_findings("missing-rate-limit", files, params)
    }

    #[test]
    fn an_app_without_a_limiter_is_flagged_once_at_its_creation() {
        let src = "const express = require('express');\nconst app = express();\napp.post('/login', login);\n";
        let f = of(&[("a.js", src)], &Params::all_rules());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].line, 2);
        assert_eq!(f[0].endpoint, None);
        assert_parses(&f[0].after);
        assert!(f[0].after.contains("app.use(rateLimit({ windowMs: 60_000, limit: 100 }));"));
    }

    #[test]
    fn expensive_routes_need_a_stricter_limit_than_the_global_one() {
        let src = "const express = require('express');\nconst rateLimit = require('express-rate-limit');\nconst app = express();\napp.use(rateLimit({ windowMs: 60000, limit: 100 }));\nconst loginLimiter = rateLimit({ limit: 5 });\napp.post('/login', loginLimiter, login);\napp.get('/api/search', search);\napp.get('/api/users', users);\n";
        let f = of(&[("a.js", src)], &Params::all_rules());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].line, 7);
        assert_eq!(f[0].endpoint.as_deref(), Some("GET /api/search"));
        assert_eq!(
            f[0].after,
            "const strictLimiter = rateLimit({ windowMs: 60_000, limit: 10 });\napp.get('/api/search', strictLimiter, search);"
        );
        assert_parses(&f[0].after);
    }

    #[test]
    fn no_app_no_finding() {
        let src =
            "const router = require('express').Router();\nrouter.post('/login', login);\nmodule.exports = router;\n";
        assert!(of(&[("r.js", src)], &Params::all_rules()).is_empty());
    }
}
