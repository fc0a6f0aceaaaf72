//! `global-heavy-middleware`: session, passport, body parsers, cookie parser or multer
//! registered for the whole app ahead of light routes that need none of it. Docs: [`META`].

use super::{Context, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::latency;
use crate::model::Framework;
use crate::params::{Category, Severity};
use swc_common::Span;

pub struct GlobalHeavyMiddleware;

static META: RuleMeta = RuleMeta {
    id: "global-heavy-middleware",
    category: Category::Api,
    summary: "Session, passport, body or cookie parsing registered app-wide ahead of light routes",
    docs: r#"## What it finds
In an Express or Koa app, heavy middleware registered for every request — `app.use(x)`
with no path — where `x` is `express-session`/`cookie-session`/`koa-session`,
`passport.initialize()`/`passport.session()`, a body parser (`body-parser`,
`express.json()`, `express.urlencoded()`, `koa-bodyparser`, `koa-body`), `cookie-parser`
or `multer`, followed in the same file by light routes that need none of it: health,
readiness and liveness checks, `ping`, `status`, `version`, `metrics`, or static files.
The finding is on the first such registration.

## Why is this bad
Every request pays for all of it, including the load balancer's health check every few
seconds and the metrics scraper: cookies parsed, a session loaded from its store (a
network round trip), the user deserialised from the database by passport, the body read
and parsed. A health check that should take microseconds waits on the session store —
and fails when the store is slow, taking healthy instances out of rotation.

## Example
```js
app.use(express.json());
app.use(session({ store, secret }));
app.use(passport.initialize());
app.use(passport.session());

app.get('/health', (req, res) => res.json({ status: 'ok' }));
```
Use instead — the seed's selective middleware: light routes on a public router mounted
first, the heavy middleware on the API router only:
```js
const publicRouter = express.Router();
publicRouter.get('/health', (req, res) => res.json({ status: 'ok' }));
app.use(publicRouter);

const apiRouter = express.Router();
apiRouter.use(express.json());
apiRouter.use(session({ store, secret }));
app.use('/api', apiRouter);
```

## What it leaves alone
- middleware mounted on a path (`app.use('/api', express.json())`) or on a router;
- light middleware (`cors`, `helmet`, `compression`, request ids, loggers);
- apps whose light routes are registered before the heavy middleware, or that have no
  light routes at all;
- Fastify, hapi and NestJS (plugins and modules are scoped per route or per module)."#,
    model: "latency",
};

/// Heavy middleware modules, and what each costs per request.
const HEAVY: &[(&str, Weight)] = &[
    ("express-session", Weight::Store),
    ("cookie-session", Weight::Cpu),
    ("koa-session", Weight::Store),
    ("passport", Weight::Store),
    ("body-parser", Weight::Cpu),
    ("koa-bodyparser", Weight::Cpu),
    ("koa-body", Weight::Cpu),
    ("cookie-parser", Weight::Cpu),
    ("multer", Weight::Cpu),
    ("@koa/multer", Weight::Cpu),
];

const LIGHT: &[&str] = &[
    "health",
    "healthz",
    "healthcheck",
    "ready",
    "readyz",
    "readiness",
    "live",
    "livez",
    "liveness",
    "ping",
    "status",
    "version",
    "metrics",
];

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Weight {
    /// Parsing on the event loop.
    Cpu,
    /// A round trip to a session store or the database (`deserializeUser`).
    Store,
}

struct Use {
    span: Span,
    text: String,
    weight: Weight,
}

impl Rule for GlobalHeavyMiddleware {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for app in ctx.program.serving_apps() {
            if !matches!(app.framework, Framework::Express | Framework::Koa) {
                continue;
            }
            let Some(name) = app.name.as_deref() else { continue };
            let v = app_wide_uses(ctx, app.file, name);
            let Some(first) = v.uses.first() else { continue };
            // Light routes registered after the first heavy middleware, in this file.
            let mut light: Vec<String> = ctx
                .program
                .routes
                .iter()
                .filter(|r| r.file == app.file && r.span.lo > first.span.lo && r.method == "GET" && is_light(&r.path))
                .map(|r| r.label())
                .collect();
            if v.statics.iter().any(|s| s.lo > first.span.lo) {
                light.push("static files".into());
            }
            if light.is_empty() {
                continue;
            }
            let store_trips = v.uses.iter().filter(|u| u.weight == Weight::Store).count() as f64;
            let parsers = v.uses.iter().filter(|u| u.weight == Weight::Cpu).count() as f64;
            let estimate = latency::middleware_overhead(&ctx.profile, store_trips, parsers, None);
            let severity =
                if store_trips > 0.0 && ctx.profile.rps.value >= 100.0 { Severity::Medium } else { Severity::Low };
            let names: Vec<String> = v.uses.iter().map(|u| format!("`{}`", u.text)).collect();
            let message = format!(
                "{} run{} for every request of the app, including {} that need none of it{}. Mount the light routes on a public router before the heavy middleware and put the middleware on the API router (the seed's selective middleware).",
                names.join(", "),
                if names.len() == 1 { "s" } else { "" },
                light.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", "),
                if store_trips > 0.0 { ": each of them waits on a session store or passport's user lookup" } else { "" },
            );
            let before = v.uses.iter().map(|u| ctx.lines(app.file, u.span)).collect::<Vec<_>>().join("\n");
            let example = ctx
                .program
                .routes
                .iter()
                .find(|r| r.file == app.file && r.span.lo > first.span.lo && r.method == "GET" && is_light(&r.path))
                .map(|r| r.path.clone())
                .unwrap_or_else(|| "/health".into());
            let after = rewrite(app.framework, name, &v.uses, &example);
            out.push(ctx.finding(&META, app.file, first.span, severity, None, message, estimate, before, after));
        }
    }
}

fn is_light(path: &str) -> bool {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .is_some_and(|seg| LIGHT.contains(&seg.to_lowercase().as_str()) || seg.starts_with("health"))
}

/// The heavy middleware registered on the app `name` for every request (no path), in
/// order, and the app-wide static-file registrations: from the model's registrations
/// (`Program::app_facts`), each argument with the module it comes from.
fn app_wide_uses(ctx: &Context, file: usize, name: &str) -> AppWide {
    let parsed = ctx.program.file(file);
    let mut out = AppWide { uses: Vec::new(), statics: Vec::new() };
    for reg in ctx.program.app_facts.registered_on(file, name) {
        if reg.method != "use" || reg.path.is_some() || reg.path_list {
            continue; // mounted on a path
        }
        for arg in &reg.args {
            let text = parsed.snippet(arg.span).trim().to_string();
            let root = arg.root.as_deref();
            if text.starts_with("express.static(") || root.is_some_and(|r| r == "serve" || r == "serveStatic") {
                out.statics.push(reg.span);
                continue;
            }
            if let Some(weight) = heavy_weight(&text, arg.module.as_deref()) {
                out.uses.push(Use { span: reg.span, text, weight });
            }
        }
    }
    out
}

/// What a registered middleware costs per request when it is one of the heavy ones: `text` is
/// the argument's source (`session({ store })`), `module` the package its name comes from.
pub(crate) fn heavy_weight(text: &str, module: Option<&str>) -> Option<Weight> {
    let weight = if text.starts_with("express.json(") || text.starts_with("express.urlencoded(") {
        Some(Weight::Cpu)
    } else {
        module.and_then(|m| HEAVY.iter().find(|(h, _)| *h == m)).map(|(_, w)| *w)
    };
    // `passport.initialize()` is cheap; `passport.session()` loads the user.
    // A session is a store round trip only with a store (the default keeps it in
    // memory or in the cookie).
    match weight {
        Some(Weight::Store) if text.starts_with("passport.initialize") => Some(Weight::Cpu),
        Some(Weight::Store) if !text.starts_with("passport.") && !text.contains("store") => Some(Weight::Cpu),
        w => w,
    }
}

struct AppWide {
    uses: Vec<Use>,
    statics: Vec<Span>,
}

fn rewrite(framework: Framework, app: &str, uses: &[Use], light: &str) -> String {
    let light = light.replace('\'', "");
    let mut out = Vec::new();
    match framework {
        Framework::Koa => {
            out.push("const publicRouter = new Router();".to_string());
            out.push(format!("// the light routes: publicRouter.get('{light}', …)"));
            out.push(format!("{app}.use(publicRouter.routes()); // before the heavy middleware"));
            out.push(String::new());
            out.push("const apiRouter = new Router({ prefix: '/api' });".to_string());
            for u in uses {
                out.push(format!("apiRouter.use({});", u.text));
            }
            out.push("// the other routes: apiRouter.get('/users', …)".to_string());
            out.push(format!("{app}.use(apiRouter.routes());"));
        }
        _ => {
            out.push("const publicRouter = express.Router();".to_string());
            out.push(format!("// the light routes: publicRouter.get('{light}', …)"));
            out.push(format!("{app}.use(publicRouter); // before the heavy middleware"));
            out.push(String::new());
            out.push("const apiRouter = express.Router();".to_string());
            for u in uses {
                out.push(format!("apiRouter.use({});", u.text));
            }
            out.push("// the other routes: apiRouter.get('/users', …)".to_string());
            out.push(format!("{app}.use('/api', apiRouter);"));
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_parses, findings};
    use crate::Params;

    const SEED: &str = "const express = require('express');\nconst bodyParser = require('body-parser');\nconst cookieParser = require('cookie-parser');\nconst session = require('express-session');\nconst passport = require('passport');\nconst cors = require('cors');\nconst app = express();\napp.use(bodyParser.json());\napp.use(bodyParser.urlencoded({ extended: true }));\napp.use(cookieParser());\napp.use(session({ secret: 's' }));\napp.use(passport.initialize());\napp.use(passport.session());\napp.use(cors());\n\napp.get('/api/public/health', (req, res) => {\n  res.json({ status: 'ok' });\n});\n";

    fn run(code: &str) -> Vec<String> {
        findings(&[("app.js", code)], &Params::default())
            .into_iter()
            .filter(|f| f.contains("global-heavy-middleware"))
            .collect()
    }

    #[test]
    fn seed_before_is_flagged_once_at_the_first_registration() {
        assert_eq!(run(SEED), ["app.js:8:1 global-heavy-middleware [-] low"]);
        let a = crate::analyze(&[crate::SourceFile::new("app.js", SEED)], &Params::default());
        let f = a.findings.iter().find(|f| f.rule == "global-heavy-middleware").unwrap();
        assert_parses(&f.after);
        assert!(f.after.contains("apiRouter.use(passport.session());"), "{}", f.after);
        assert!(!f.after.contains("cors"), "{}", f.after);
    }

    #[test]
    fn path_mounted_or_no_light_routes_is_clean() {
        assert!(run(&SEED.replace("app.get('/api/public/health'", "app.get('/api/users'")).is_empty());
        let mounted = "const express = require('express');\nconst app = express();\napp.use('/api', express.json());\napp.get('/health', (req, res) => res.send('ok'));\n";
        assert!(run(mounted).is_empty());
        let before = "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\napp.use(express.json());\n";
        assert!(run(before).is_empty());
    }
}
