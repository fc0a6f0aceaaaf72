//! Browser code in a backend repository: front-end components, hooks and stores that ship to
//! the browser (a React app in `app/` beside `server/`, a Vue front end in `client/`, the
//! client half of a plugin) are not the server, and what they do is not the backend's
//! performance.
//!
//! A file is browser code when, in this order:
//! 1. it is a Next.js route handler (`app/**/route.ts`, `pages/api/**`) or a server action
//!    (`'use server'`): never browser, whatever it imports;
//! 2. it starts with `'use client'`: browser;
//! 3. it imports a server module (a web framework, a database driver or ORM, a Node built-in
//!    such as `fs` or `child_process`, the `server-only` marker package): never browser —
//!    except `@prisma/client` beside a browser framework, which front ends import for the
//!    schema's enums (documenso's React components); the `client-only` marker package means
//!    browser;
//! 4. it sits in a front-end folder — `frontend/`, `client/`, `web/`, `www/`, or `app/` where
//!    a `server/` folder sits beside it — whose files include browser code by content (rule 5
//!    or 6): a `client/` folder of API clients on the server is not a front end;
//!    4b. it sits in a monorepo package (`packages/<name>/`, `apps/<name>/`) whose files
//!    include browser code by content and none of which is server code (a server import
//!    outside a `*.config.*` file, a server action; a Next.js API route of the front end's
//!    own does not count, and stays server code by rule 1);
//! 5. it imports a browser framework (React, Vue, Angular, Svelte, Solid, Preact, jQuery) and
//!    is not under a `server/`, `backend/` or `api/` folder (server-side rendering of e-mails
//!    imports React too);
//! 6. it uses the DOM at module level (`document.…`, `window.…`, `$(document)` outside any
//!    function).
//!
//! Found on real repositories: Outline's `app/` (React, beside `server/`) and its plugins'
//! `client/` folders, Wiki.js's `client/` (Vue), Umami's `src/components` (React beside its
//! Next.js route handlers).

use crate::parse::Parsed;
use crate::syntax::{str_lit, unwrap};
use std::collections::HashSet;
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

/// What one file's code says about where it runs.
#[derive(Default, Debug)]
pub(super) struct Signals {
    /// The first browser framework it imports.
    pub browser_import: Option<String>,
    /// The first server module it imports.
    pub server_import: Option<String>,
    pub use_client: bool,
    pub use_server: bool,
    /// `document` or `window` used at module level.
    pub dom: Option<&'static str>,
}

const BROWSER_FRAMEWORKS: &[&str] = &[
    "react",
    "react-dom",
    "vue",
    "svelte",
    "solid-js",
    "preact",
    "jquery",
    "mobx-react",
    "react-router-dom",
    "client-only",
    "prosemirror-view",
];

const SERVER_MODULES: &[&str] = &[
    "express",
    "fastify",
    "koa",
    "@koa/router",
    "koa-router",
    "@hapi/hapi",
    "hapi",
    "next/server",
    "socket.io",
    "react-dom/server",
    "http",
    "https",
    "net",
    "fs",
    "fs/promises",
    "fs-extra",
    "child_process",
    "cluster",
    "worker_threads",
    "pg",
    "mysql",
    "mysql2",
    "mysql2/promise",
    "sequelize",
    "sequelize-typescript",
    "mongoose",
    "mongodb",
    "@prisma/client",
    "knex",
    "typeorm",
    "objection",
    "bookshelf",
    "ioredis",
    "redis",
    "bull",
    "bullmq",
    "server-only",
];

fn is_browser_framework(spec: &str) -> bool {
    if spec == "react-dom/server" {
        return false;
    }
    spec.starts_with("@angular/")
        || BROWSER_FRAMEWORKS.iter().any(|f| spec == *f || spec.strip_prefix(f).is_some_and(|r| r.starts_with('/')))
}

fn is_server_module(spec: &str) -> bool {
    spec.starts_with("node:")
        || spec.starts_with("@nestjs/")
        || spec.starts_with("@hapi/")
        || spec.starts_with("@fastify/")
        || SERVER_MODULES.contains(&spec)
}

/// Reads a file's imports, directives and module-level DOM uses.
pub(super) fn signals(parsed: &Parsed) -> Signals {
    let mut s = Signals::default();
    let Some(program) = &parsed.program else { return s };
    let body: Vec<Option<&Stmt>> = match program {
        Program::Module(m) => m.body.iter().map(|i| i.as_stmt()).collect(),
        Program::Script(sc) => sc.body.iter().map(Some).collect(),
    };
    // Directives: the leading string statements.
    for stmt in body.iter().map_while(|s| *s) {
        let Stmt::Expr(e) = stmt else { break };
        let Expr::Lit(Lit::Str(text)) = &*e.expr else { break };
        match &*text.value.to_string_lossy() {
            "use client" => s.use_client = true,
            "use server" => s.use_server = true,
            _ => {}
        }
    }
    let mut v = Scan { specs: Vec::new(), dom: None, depth: 0 };
    program.visit_with(&mut v);
    s.dom = v.dom;
    for spec in &v.specs {
        if s.browser_import.is_none() && is_browser_framework(spec) {
            s.browser_import = Some(spec.clone());
        }
    }
    for spec in v.specs {
        // A component imports the Prisma client's enums (`TeamMemberRole`), never a query.
        let enums_only = spec == "@prisma/client" && s.browser_import.is_some();
        if s.server_import.is_none() && is_server_module(&spec) && !enums_only {
            s.server_import = Some(spec);
        }
    }
    s
}

/// Module specifiers (`import`, `require`, `export … from`) and DOM uses outside functions.
struct Scan {
    specs: Vec<String>,
    dom: Option<&'static str>,
    /// Function nesting.
    depth: u32,
}

impl Visit for Scan {
    fn visit_import_decl(&mut self, i: &ImportDecl) {
        if !i.type_only {
            self.specs.push(i.src.value.to_string_lossy().into_owned());
        }
    }
    fn visit_named_export(&mut self, e: &NamedExport) {
        if let Some(src) = &e.src {
            self.specs.push(src.value.to_string_lossy().into_owned());
        }
    }
    fn visit_call_expr(&mut self, c: &CallExpr) {
        if let Callee::Expr(callee) = &c.callee {
            if matches!(unwrap(callee), Expr::Ident(i) if &*i.sym == "require") {
                if let Some(spec) = c.args.first().and_then(|a| str_lit(&a.expr)) {
                    self.specs.push(spec);
                }
            }
        }
        // `$(document).ready(…)`, `jQuery(window)` at module level.
        if self.depth == 0 && self.dom.is_none() {
            for a in &c.args {
                if let Expr::Ident(i) = unwrap(&a.expr) {
                    self.note_dom(&i.sym);
                }
            }
        }
        c.visit_children_with(self);
    }
    fn visit_member_expr(&mut self, m: &MemberExpr) {
        if self.depth == 0 && self.dom.is_none() {
            if let Expr::Ident(i) = unwrap(&m.obj) {
                self.note_dom(&i.sym);
            }
        }
        m.visit_children_with(self);
    }
    fn visit_function(&mut self, f: &Function) {
        self.depth += 1;
        f.visit_children_with(self);
        self.depth -= 1;
    }
    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        self.depth += 1;
        a.visit_children_with(self);
        self.depth -= 1;
    }
    fn visit_class(&mut self, c: &Class) {
        self.depth += 1;
        c.visit_children_with(self);
        self.depth -= 1;
    }
}

impl Scan {
    fn note_dom(&mut self, name: &str) {
        self.dom = match name {
            "document" => Some("document"),
            "window" => Some("window"),
            _ => return,
        };
    }
}

const FRONT_END_DIRS: &[&str] = &["frontend", "client", "web", "www"];
const SERVER_DIRS: &[&str] = &["server", "backend", "api"];

/// Whether a file is a Next.js route handler: `app/**/route.ts` or under `pages/api/`.
fn next_route(dirs: &[String], name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    (stem == "route" && dirs.iter().any(|d| d == "app"))
        || dirs.windows(2).any(|w| w[0] == "pages" && w[1] == "api")
}

/// Why each file is browser code, or `None` for files that are not (`rels` are the paths
/// below the files' common directory, lowercased directory names).
pub(super) fn browser_reasons(rels: &[String], signals: &[Signals]) -> Vec<Option<String>> {
    let split = |rel: &str| -> (Vec<String>, String) {
        let mut parts: Vec<String> = rel.split('/').map(|p| p.to_string()).collect();
        let name = parts.pop().unwrap_or_default();
        (parts.iter().map(|d| d.to_ascii_lowercase()).collect(), name)
    };
    let paths: Vec<(Vec<String>, String)> = rels.iter().map(|r| split(r)).collect();
    let all_dirs: HashSet<String> =
        paths.iter().flat_map(|(dirs, _)| (1..=dirs.len()).map(move |n| dirs[..n].join("/"))).collect();
    let by_content = |i: usize| -> Option<String> {
        let s = &signals[i];
        let (dirs, _) = &paths[i];
        if let Some(f) = &s.browser_import {
            if !dirs.iter().any(|d| SERVER_DIRS.contains(&d.as_str())) {
                return Some(format!("imports the browser framework `{f}`"));
            }
        }
        s.dom.map(|d| format!("uses the DOM (`{d}`) at module level"))
    };
    // Front-end folders: the folder's path for each file that has one.
    let front_folder = |dirs: &[String]| -> Option<String> {
        dirs.iter().enumerate().find_map(|(n, d)| {
            let named = FRONT_END_DIRS.contains(&d.as_str())
                || (d == "app" && all_dirs.contains(&[&dirs[..n], &["server".to_string()]].concat().join("/")));
            named.then(|| dirs[..=n].join("/"))
        })
    };
    let mut front_ends: HashSet<String> = HashSet::new();
    for (i, (dirs, _)) in paths.iter().enumerate() {
        if let Some(folder) = front_folder(dirs) {
            if signals[i].use_client || by_content(i).is_some() {
                front_ends.insert(folder);
            }
        }
    }
    // Monorepo packages (`packages/<name>/`, `apps/<name>/`) whose files include browser code
    // and none of which is server code: the whole package ships to the browser, its plain
    // helpers too (hoppscotch-common, growthbook's front-end).
    let package_of = |dirs: &[String]| -> Option<String> {
        dirs.windows(2).position(|w| w[0] == "packages" || w[0] == "apps").map(|n| dirs[..n + 2].join("/"))
    };
    let mut browser_packages: HashSet<String> = HashSet::new();
    let mut server_packages: HashSet<String> = HashSet::new();
    for (i, (dirs, name)) in paths.iter().enumerate() {
        let Some(package) = package_of(dirs) else { continue };
        let s = &signals[i];
        let config = name.contains(".config.") || name.starts_with("config.");
        // A Next.js route handler is never browser code itself (rule 1), but a front end's
        // package may hold one (`pages/api/init.ts`): it does not make the package a server.
        if next_route(dirs, name) {
            continue;
        }
        if s.use_server || (s.server_import.is_some() && !config) {
            server_packages.insert(package);
        } else if s.use_client || by_content(i).is_some() {
            browser_packages.insert(package);
        }
    }
    (0..rels.len())
        .map(|i| {
            let s = &signals[i];
            let (dirs, name) = &paths[i];
            if next_route(dirs, name) || s.use_server {
                return None;
            }
            if s.use_client {
                return Some("a `'use client'` module".to_string());
            }
            if s.server_import.is_some() {
                return None;
            }
            if let Some(folder) = front_folder(dirs).filter(|f| front_ends.contains(f)) {
                return Some(format!("in the front end `{folder}/`"));
            }
            by_content(i).or_else(|| {
                package_of(dirs)
                    .filter(|p| browser_packages.contains(p) && !server_packages.contains(p))
                    .map(|package| format!("in the front-end package `{package}/` (browser code, no server code)"))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(files: &[(&str, &str)]) -> Vec<Option<String>> {
        let parsed: Vec<Parsed> =
            files.iter().map(|(p, t)| crate::parse::parse(&crate::SourceFile::new(*p, *t))).collect();
        let sigs: Vec<Signals> = parsed.iter().map(signals).collect();
        let rels: Vec<String> = files.iter().map(|(p, _)| p.to_string()).collect();
        browser_reasons(&rels, &sigs)
    }

    #[test]
    fn react_app_beside_a_server_folder() {
        let r = reasons(&[
            ("app/components/List.tsx", "import React from 'react';\nexport const L = () => null;\n"),
            ("app/utils/api.ts", "export async function get(u) { return fetch(u); }\n"),
            ("server/routes/users.ts", "import Router from 'koa-router';\n"),
            ("server/emails/Welcome.tsx", "import * as React from 'react';\n"),
            ("shared/editor/menu.tsx", "import { useState } from 'react';\n"),
            ("shared/utils/dates.ts", "export const d = 1;\n"),
        ]);
        assert_eq!(r[0].as_deref(), Some("in the front end `app/`"));
        assert_eq!(r[1].as_deref(), Some("in the front end `app/`"));
        assert_eq!(r[2], None);
        assert_eq!(r[3], None, "server-side rendering under server/");
        assert_eq!(r[4].as_deref(), Some("imports the browser framework `react`"));
        assert_eq!(r[5], None);
    }

    #[test]
    fn a_front_end_package_of_a_monorepo_is_browser_code_helpers_and_all() {
        let r = reasons(&[
            ("packages/web-common/src/components/Tabs.vue.ts", "import { ref } from 'vue';\nexport const t = ref(0);\n"),
            ("packages/web-common/src/helpers/collections.ts", "export const sortBy = (xs, f) => xs.sort(f);\n"),
            ("packages/web-common/vite.config.ts", "import path from 'path';\nexport default {};\n"),
            ("packages/web-common/pages/api/init.ts", "export default function handler(req, res) { res.json({}) }\n"),
            ("packages/backend/src/users.service.ts", "import { PrismaClient } from '@prisma/client';\n"),
            ("packages/backend/src/helpers.ts", "export const sortBy = (xs, f) => xs.sort(f);\n"),
            ("packages/backend/src/mail/Welcome.tsx", "import * as React from 'react';\n"),
        ]);
        assert_eq!(r[0].as_deref(), Some("imports the browser framework `vue`"));
        assert_eq!(
            r[1].as_deref(),
            Some("in the front-end package `packages/web-common/` (browser code, no server code)")
        );
        assert_eq!(r[3], None, "a Next.js API route is server code");
        assert_eq!(r[4], None);
        assert_eq!(r[5], None, "a helper of a package with server code");
    }

    #[test]
    fn a_client_folder_of_api_clients_is_server_code() {
        let r = reasons(&[
            ("lib/jobs/client/base.ts", "export class Base {}\n"),
            ("lib/jobs/client/bullmq.ts", "import { Queue } from 'bullmq';\n"),
            ("plugins/slack/client/Icon.tsx", "import React from 'react';\n"),
            ("plugins/slack/client/index.ts", "export const x = 1;\n"),
        ]);
        assert_eq!(r[0], None);
        assert_eq!(r[1], None);
        assert!(r[2].is_some());
        assert_eq!(r[3].as_deref(), Some("in the front end `plugins/slack/client/`"));
    }

    #[test]
    fn next_route_handlers_and_directives() {
        let r = reasons(&[
            ("src/app/api/users/route.ts", "import { useState } from 'react';\nexport async function GET() {}\n"),
            ("src/app/actions.tsx", "'use server';\nimport React from 'react';\n"),
            ("src/components/Chart.tsx", "'use client';\nexport function Chart() {}\n"),
            ("pages/api/hello.tsx", "import React from 'react';\n"),
        ]);
        assert_eq!(r[0], None);
        assert_eq!(r[1], None);
        assert_eq!(r[2].as_deref(), Some("a `'use client'` module"));
        assert_eq!(r[3], None);
    }

    #[test]
    fn components_importing_prisma_enums_and_marker_packages() {
        let r = reasons(&[
            ("apps/remix/components/dialog.tsx", "import { TeamMemberRole } from '@prisma/client';\nimport { useState } from 'react';\n"),
            ("packages/lib/server-only/team.ts", "import { prisma } from '@prisma/client';\nexport const f = () => prisma.team.findMany();\n"),
            ("packages/lib/hooks/use-fields.ts", "import 'client-only';\nexport const useFields = () => [];\n"),
            ("packages/lib/universal/get.ts", "import 'server-only';\nimport { useMemo } from 'react';\n"),
        ]);
        assert_eq!(r[0].as_deref(), Some("imports the browser framework `react`"));
        assert_eq!(r[1], None);
        assert_eq!(r[2].as_deref(), Some("imports the browser framework `client-only`"));
        assert_eq!(r[3], None);
    }

    #[test]
    fn dom_at_module_level_only() {
        let r = reasons(&[
            ("js/main.js", "$(document).ready(function () { init(); });\n"),
            ("js/page.js", "window.onload = () => {};\n"),
            ("lib/scrape.js", "export async function f(page) { return page.evaluate(() => document.title); }\n"),
        ]);
        assert_eq!(r[0].as_deref(), Some("uses the DOM (`document`) at module level"));
        assert_eq!(r[1].as_deref(), Some("uses the DOM (`window`) at module level"));
        assert_eq!(r[2], None);
    }
}
