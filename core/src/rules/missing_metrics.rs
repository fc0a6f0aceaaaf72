//! `missing-metrics`: an app with no response-time or metrics instrumentation anywhere in the
//! analysed code. Docs: [`META`].

use super::missing_compression::AppSite;
use super::{Context, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::coverage;
use crate::model::Framework;
use crate::params::{Category, LoadProfile, Severity};

pub struct MissingMetrics;

static META: RuleMeta = RuleMeta {
    id: "missing-metrics",
    category: Category::Api,
    summary: "An app with no response-time or metrics instrumentation at all",
    docs: r#"## What it finds
An app (Express, Fastify, Koa, NestJS, hapi) created in the analysed code when no file of the
program imports any instrumentation: `prom-client`, `express-prom-bundle`,
`@willsoto/nestjs-prometheus`, `fastify-metrics`, `koa-prometheus`-style exporters,
`response-time` / `koa-response-time`, anything under `@opentelemetry/`, APM agents
(`dd-trace`, `newrelic`, `elastic-apm-node`, `@sentry/node`), or structured request logs
that carry the response time (`pino-http`, `hapi-pino`, hapi's `good`, also listed in a Glue
manifest). Reported once per app at its
creation, whatever the `endpoints` filter; the report's monitoring section builds on it.

## Why is this bad
Without response-time metrics nobody sees p95 creep up, which endpoint saturates first, or
whether a fix worked: every other finding of this report is an estimate, and only
measurements tell you which estimates matter in production. The seed's monitoring
recommendations (p50/p95/p99 per endpoint, throughput, error rate, database pool usage) all
start from a histogram of request durations.

Estimate (model `coverage`): the share of requests whose duration is measured, before and
after. It
prices visibility, not latency. Severity: low; medium under the `high` load profile.

## Example
```js
const app = express();
```
Use instead:
```js
const promBundle = require('express-prom-bundle');
const app = express();
app.use(promBundle({ includeMethod: true, includePath: true })); // serves /metrics
```
(Koa: `koa-response-time` for the header, then a prom-client histogram; Fastify:
`fastify-metrics`; hapi: `hapi-pino`, whose request logs carry `responseTime`.)

## What it leaves alone
- a program where any file imports one of the modules above;
- code that does not create the app (the instrumentation may live where it is created, or
  in a preloaded agent: `node -r dd-trace/init`, which the analysed code does not show);
- `morgan` and other text access logs: they record times but feed no metric."#,
    model: "coverage",
};

const METRIC_MODULES: &[&str] = &[
    "prom-client",
    "express-prom-bundle",
    "@willsoto/nestjs-prometheus",
    "fastify-metrics",
    "@fastify/metrics",
    "koa-prometheus",
    "koa-prometheus-adv",
    "koa-prometheus-exporter",
    "response-time",
    "koa-response-time",
    "express-status-monitor",
    "swagger-stats",
    "dd-trace",
    "newrelic",
    "elastic-apm-node",
    "@sentry/node",
    "@sentry/nestjs",
    "pino-http",
    "hapi-pino",
    // hapi's `good`: its `response` events carry each request's `responseTime`.
    "good",
    "@hapi/good",
    "express-pino-logger",
    "koa-pino-logger",
    "appmetrics",
];

fn is_metrics(module: &str) -> bool {
    METRIC_MODULES.contains(&module)
        || module.starts_with("@opentelemetry/")
        || module.starts_with("dd-trace/")
        || module.starts_with("@promster/")
        // Prometheus and StatsD exporters by any name (`prometheus-api-metrics`, codimd's;
        // `express-prometheus-middleware`, `hot-shots`' `statsd` clients).
        || module.contains("prometheus")
        || module.contains("statsd")
        || module == "hot-shots"
}

impl Rule for MissingMetrics {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        if ctx.program.app_facts.imports_any(is_metrics) {
            return;
        }
        let routes = ctx.program.routes.len() as f64;
        for app in ctx.program.serving_apps() {
            let site = AppSite::of(ctx, app);
            let n = &site.name;
            let (import, register) = match app.framework {
                Framework::Fastify => {
                    (String::new(), format!("{n}.register(require('fastify-metrics'), {{ endpoint: '/metrics' }});"))
                }
                Framework::Hapi => (
                    String::new(),
                    format!("await {n}.register({{ plugin: require('hapi-pino') }}); // logs each request with its responseTime"),
                ),
                Framework::Koa => (
                    site.import("responseTime", "koa-response-time"),
                    format!("{n}.use(responseTime({{ hrtime: true }}));"),
                ),
                _ => (
                    site.import("promBundle", "express-prom-bundle"),
                    format!("{n}.use(promBundle({{ includeMethod: true, includePath: true }}));"),
                ),
            };
            let message = format!(
                "The {} app `{n}` has no response-time or metrics instrumentation: no file of the program imports prom-client, OpenTelemetry, an APM agent or a response-time middleware, so p95 latency, throughput and errors per endpoint are invisible and no fix in this report can be measured.",
                app.framework.as_str()
            );
            let severity = if ctx.params.load_profile == LoadProfile::High { Severity::Medium } else { Severity::Low };
            let estimate = coverage::metrics_coverage(&ctx.profile, routes);
            out.push(ctx.finding(
                &META,
                app.file,
                app.span,
                severity,
                None,
                message,
                estimate,
                site.lines.clone(),
                site.rewrite(&import, &register),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_parses, rule_findings};
    use crate::Params;

    fn of(files: &[(&str, &str)]) -> Vec<crate::analysis::Finding> {
        rule_findings("missing-metrics", files, &Params::all_rules())
    }

    #[test]
    fn an_uninstrumented_app_is_flagged_and_an_instrumented_one_is_not() {
        let app =
            "const express = require('express');\nconst app = express();\napp.get('/a', (req, res) => res.json([]));\n";
        let f = of(&[("a.js", app)]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, 2);
        assert_parses(&f[0].after);
        let otel = "const { NodeSDK } = require('@opentelemetry/sdk-node');\nnew NodeSDK().start();\n";
        assert!(of(&[("a.js", app), ("tracing.js", otel)]).is_empty());
    }
}
