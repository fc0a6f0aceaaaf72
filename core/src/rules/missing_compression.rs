//! `missing-compression`: an app that serves responses with no compression middleware or
//! plugin anywhere in the analysed code. Docs: [`META`].
//!
//! Also home of the rewrite around an app's creation ([`AppSite`]) that the app-level
//! "missing-…" rules share. The modules a program imports are the model's
//! (`Program::app_facts`).

use super::{Context, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::transfer;
use crate::model::{App, Framework};
use crate::params::{Category, LoadProfile, Severity};

pub struct MissingCompression;

static META: RuleMeta = RuleMeta {
    id: "missing-compression",
    category: Category::Api,
    summary: "An app that sends its responses uncompressed: no compression middleware or plugin",
    docs: r#"## What it finds
An Express, Fastify, Koa or NestJS app created in the analysed code when no file of the
program imports a compression middleware or plugin: `compression` (Express, NestJS's
`app.use(compression())`), `@fastify/compress` / `fastify-compress`, `koa-compress`, or
`shrink-ray-current`. The finding is on the app's creation; it is reported once per app,
whatever the `endpoints` filter.

## Why is this bad
JSON and HTML compress very well: gzip at its default level leaves about a fifth of the
bytes of a typical JSON list, brotli a little less. Without compression every response
travels at full size, which is what the client waits for on a slow or mobile link and what
you pay for in egress. The seed's own example: a 450 KB response becomes 95 KB, ≈180 ms →
≈38 ms on 20 Mbit/s. With a threshold of 1 KB, small responses are left alone and cost no
CPU.

Severity: medium under the `low` and `medium` load profiles, high under `high` (bandwidth
and egress grow with the request rate while the fix stays one line).

## Example
```js
const express = require('express');
const app = express();
app.get('/api/products', async (req, res) => res.json(await Product.findAll()));
```
Use instead:
```js
const compression = require('compression');
const app = express();
app.use(compression({ threshold: 1024 }));
```

## What it leaves alone
- hapi servers: hapi compresses responses by default;
- a program where any file imports a compression middleware or plugin (it may be registered
  in another file than the app);
- code that does not create the app itself (a router module, a plugin, a service): the app
  may be compressed where it is created, or by a reverse proxy in front of it."#,
    model: "transfer",
};

/// The modules that compress responses.
const COMPRESSION_MODULES: &[&str] =
    &["compression", "@fastify/compress", "fastify-compress", "koa-compress", "shrink-ray-current", "shrink-ray"];

impl Rule for MissingCompression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        if ctx.program.app_facts.imports_any(|m| COMPRESSION_MODULES.contains(&m)) {
            return;
        }
        for app in ctx.program.serving_apps() {
            if app.framework == Framework::Hapi {
                continue;
            }
            let site = AppSite::of(ctx, app);
            let (import, register) = match app.framework {
                Framework::Fastify if site.esm => (
                    "import compress from '@fastify/compress';".to_string(),
                    format!("await {}.register(compress, {{ threshold: 1024 }});", site.name),
                ),
                Framework::Fastify => (
                    String::new(),
                    format!("{}.register(require('@fastify/compress'), {{ threshold: 1024 }});", site.name),
                ),
                Framework::Koa => (
                    site.import("compress", "koa-compress"),
                    format!("{}.use(compress({{ threshold: 1024 }}));", site.name),
                ),
                Framework::NestJs if site.esm => (
                    "import * as compression from 'compression';".to_string(),
                    format!("{}.use(compression({{ threshold: 1024 }}));", site.name),
                ),
                _ => (
                    site.import("compression", "compression"),
                    format!("{}.use(compression({{ threshold: 1024 }}));", site.name),
                ),
            };
            let severity = match ctx.params.load_profile {
                LoadProfile::High => Severity::High,
                _ => Severity::Medium,
            };
            let plugin = match app.framework {
                Framework::Fastify => "`@fastify/compress`",
                Framework::Koa => "`koa-compress`",
                _ => "`compression`",
            };
            let message = format!(
                "The {} app `{}` sends every response uncompressed: no file of the program registers a compression middleware. JSON and HTML shrink to about a fifth with gzip; register {plugin} with a 1 KB threshold right after the app is created.",
                app.framework.as_str(),
                site.name
            );
            let estimate = transfer::compression(&ctx.profile, None);
            let after = site.rewrite(&import, &register);
            out.push(ctx.finding(&META, app.file, app.span, severity, None, message, estimate, site.lines, after));
        }
    }
}

/// An app's creation as written, for the app-level rewrites.
pub(crate) struct AppSite {
    /// The whole lines of the creation.
    pub lines: String,
    /// The app's variable name (`app` when the model has none).
    pub name: String,
    /// The file uses ES module `import`s.
    pub esm: bool,
    indent: String,
}

impl AppSite {
    pub fn of(ctx: &Context, app: &App) -> AppSite {
        let lines = ctx.lines(app.file, app.span);
        let indent: String = lines.chars().take_while(|c| c.is_whitespace() && *c != '\n').collect();
        let esm = ctx.program.app_facts.is_esm(app.file);
        AppSite { lines, name: app.name.clone().unwrap_or_else(|| "app".into()), esm, indent }
    }

    /// `import x from 'm';` or `const x = require('m');`.
    pub fn import(&self, local: &str, module: &str) -> String {
        if self.esm {
            format!("import {local} from '{module}';")
        } else {
            format!("const {local} = require('{module}');")
        }
    }

    /// The creation with the registration below it, indented alike; a `require` goes above
    /// the creation, an ES `import` (which belongs at the top of the file) is named in a
    /// comment on the registration.
    pub fn rewrite(&self, import: &str, register: &str) -> String {
        let mut after = String::new();
        if !import.is_empty() && !import.starts_with("import ") {
            after.push_str(&format!("{}{import}\n", self.indent));
        }
        after.push_str(&self.lines);
        after.push_str(&format!("\n{}{register}", self.indent));
        if let Some(import) = import.strip_prefix("import ") {
            after.push_str(&format!(" // import {}", import.trim_end_matches(';')));
        }
        after
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::rule_findings;
    use crate::rules::testing::{assert_parses, findings};
    use crate::Params;

    fn of(files: &[(&str, &str)], params: &Params) -> Vec<crate::analysis::Finding> {
        rule_findings("missing-compression", files, params)
    }

    #[test]
    fn flags_an_express_app_and_rewrites_its_creation() {
        let src = "const express = require('express');\nconst server = express();\nserver.get('/a', (req, res) => res.json([]));\n";
        let f = of(&[("a.js", src)], &Params::all_rules());
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].line, f[0].column), (2, 7));
        assert_eq!(f[0].endpoint, None);
        assert_eq!(f[0].severity, crate::params::Severity::Medium);
        assert_eq!(
            f[0].after,
            "const compression = require('compression');\nconst server = express();\nserver.use(compression({ threshold: 1024 }));"
        );
        assert_parses(&f[0].after);
        let mut high = Params::all_rules();
        high.set("load_profile", "high").unwrap();
        assert_eq!(of(&[("a.js", src)], &high)[0].severity, crate::params::Severity::High);
        let mut filtered = Params::all_rules();
        filtered.set("endpoints", "/other").unwrap();
        assert_eq!(of(&[("a.js", src)], &filtered).len(), 1);
    }

    #[test]
    fn compression_in_another_file_hapi_and_no_app_are_left_alone() {
        let app = "import express from 'express';\nimport { setup } from './setup';\nexport const app = express();\nsetup(app);\n";
        let setup = "import compression from 'compression';\nexport function setup(app) { app.use(compression()); }\n";
        assert!(of(&[("app.js", app), ("setup.js", setup)], &Params::all_rules()).is_empty());
        let hapi = "const Hapi = require('@hapi/hapi');\nconst server = Hapi.server({ port: 3000 });\n";
        assert!(of(&[("h.js", hapi)], &Params::all_rules()).is_empty());
        let router = "const router = require('express').Router();\nrouter.get('/a', (req, res) => res.json([]));\n";
        let found = findings(&[("r.js", router)], &Params::all_rules());
        assert!(!found.iter().any(|f| f.contains("missing-compression")), "{found:?}");
    }
}
