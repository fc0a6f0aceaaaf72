//! Code that runs once, or only in development: not a request path.
//!
//! PRODUCT.md asks that start-up work not be reported as per-request cost, and that "the same
//! loop in a one-off script" be low. A route or helper is not on a request path when it is
//! reached only from code that runs once per deployment or per process, which a repository
//! says by where it puts it:
//!
//! - *one-off files*: under a `migrations`/`migration`/`seeds`/`seeders`/`seed`/`scripts`/
//!   `script`/`bin`/`cli`/`cron`/`upgrades`/`install` directory below the project's common directory, or a file whose
//!   stem is `setup`, `install`, `installer` or `wizard` outside
//!   `routes`/`controllers`/`api`/`handlers` directories (Requarks/wiki's `server/setup.js`
//!   serves the set-up wizard's `POST /finalize` once, before the wiki exists);
//! - *dev-only blocks*: the consequent of `if (process.env.NODE_ENV !== 'production')`,
//!   `=== 'development'`, `=== 'test'` (and the alternative of `=== 'production'`).
//!
//! `rules::Context::placement_at` reads these facts: the per-request rules report nothing
//! there (the blind reviews of 2026-12 judged every finding in migrations, seeds and scripts
//! false or minor), and the coverage counts the one-off files (`one_off_files`).

use crate::parse::Parsed;
use crate::syntax::{prop_name, unwrap};
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

const ONE_OFF_DIRS: &[&str] =
    &["migrations", "migration", "seeds", "seeders", "seed", "scripts", "script", "bin", "cli", "cron", "upgrades", "install", "installer"];
const ONE_OFF_STEMS: &[&str] = &["setup", "install", "installer", "wizard"];
const REQUEST_DIRS: &[&str] = &["routes", "route", "controllers", "controller", "api", "handlers", "resolvers"];

/// Per file: does it run once, and its dev-only blocks.
#[derive(Default, Debug)]
pub struct Once {
    pub files: Vec<bool>,
    /// Files in a background-job folder (`jobs/`, `queues/`, `workers/`, `processors/`, …:
    /// [`super::collect::jobs::background_path`]).
    pub background_files: Vec<bool>,
    pub dev_only: Vec<Vec<Span>>,
}

impl Once {
    pub fn of(files: &[Parsed]) -> Once {
        let common = super::roles::common_dir(files.iter().map(|f| f.path.as_str()));
        let files_once = files.iter().map(|f| one_off_path(&f.path[common.min(f.path.len())..])).collect();
        let background_files =
            files.iter().map(|f| super::collect::jobs::background_path(&f.path[common.min(f.path.len())..])).collect();
        let dev_only = files
            .iter()
            .map(|f| {
                let mut v = DevBlocks(Vec::new());
                if let Some(p) = &f.program {
                    p.visit_with(&mut v);
                }
                v.0
            })
            .collect();
        Once { files: files_once, background_files, dev_only }
    }

    /// Does `span` of `file` sit in a dev-only block?
    pub fn dev_only_at(&self, file: usize, span: Span) -> bool {
        self.dev_only.get(file).is_some_and(|b| b.iter().any(|s| s.lo <= span.lo && span.hi <= s.hi))
    }

    pub fn file_background(&self, file: usize) -> bool {
        self.background_files.get(file).copied().unwrap_or(false)
    }

    pub fn file_once(&self, file: usize) -> bool {
        self.files.get(file).copied().unwrap_or(false)
    }
}

/// A one-off file by its path below the project's common directory.
pub(crate) fn one_off_path(rel: &str) -> bool {
    let rel = rel.replace('\\', "/").to_ascii_lowercase();
    let mut parts: Vec<&str> = rel.split('/').collect();
    let name = parts.pop().unwrap_or("");
    if parts.iter().any(|d| ONE_OFF_DIRS.contains(d)) {
        return true;
    }
    let stem = name.split('.').next().unwrap_or("");
    ONE_OFF_STEMS.contains(&stem) && !parts.iter().any(|d| REQUEST_DIRS.contains(d))
}

/// `process.env.NODE_ENV` (also `process.env['NODE_ENV']`).
fn node_env(e: &Expr) -> bool {
    let Expr::Member(m) = unwrap(e) else { return false };
    let prop = match &m.prop {
        MemberProp::Computed(c) => crate::syntax::str_lit(&c.expr).map(|s| s.to_string()),
        p => prop_name(p),
    };
    prop.as_deref() == Some("NODE_ENV")
        && matches!(unwrap(&m.obj), Expr::Member(env) if prop_name(&env.prop).as_deref() == Some("env")
            && matches!(unwrap(&env.obj), Expr::Ident(i) if &*i.sym == "process"))
}

/// `Some(true)` when `test` holds only in development (`NODE_ENV !== 'production'`,
/// `=== 'development'`), `Some(false)` when only in production (`=== 'production'`).
fn dev_test(test: &Expr) -> Option<bool> {
    let Expr::Bin(b) = unwrap(test) else { return None };
    let (env, value) = if node_env(&b.left) {
        (&b.left, &b.right)
    } else if node_env(&b.right) {
        (&b.right, &b.left)
    } else {
        return None;
    };
    let _ = env;
    let value = crate::syntax::str_lit(value)?;
    let production = value == "production";
    match b.op {
        BinaryOp::EqEqEq | BinaryOp::EqEq => Some(!production),
        BinaryOp::NotEqEq | BinaryOp::NotEq if production => Some(true),
        _ => None,
    }
}

struct DevBlocks(Vec<Span>);

impl Visit for DevBlocks {
    fn visit_if_stmt(&mut self, s: &IfStmt) {
        match dev_test(&s.test) {
            Some(true) => self.0.push(s.cons.span()),
            Some(false) => {
                if let Some(alt) = &s.alt {
                    self.0.push(alt.span());
                }
            }
            None => {}
        }
        s.visit_children_with(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    #[test]
    fn one_off_files_by_path() {
        for p in ["migrations/2020_add_users.js", "db/seeds/users.js", "scripts/reindex.ts", "bin/www", "server/setup.js", "src/upgrades/1.7.3/key_value_schema_change.js", "install/web.js"]
        {
            assert!(one_off_path(p), "{p}");
        }
        for p in ["routes/setup.js", "src/users.js", "server/controllers/install.js", "src/scriptsRunner.js"] {
            assert!(!one_off_path(p), "{p}");
        }
    }

    #[test]
    fn dev_only_blocks() {
        let src = "if (process.env.NODE_ENV !== 'production') { a(); }\nif (process.env.NODE_ENV === 'production') { b(); } else { c(); }\nif (process.env['NODE_ENV'] === 'development') { d(); }\nif (x) { e(); }\n";
        let parsed = crate::parse::parse(&SourceFile::new("a.js", src));
        let once = Once::of(std::slice::from_ref(&parsed));
        let at = |name: &str| {
            let lo = src.find(name).unwrap() as u32 + 1;
            once.dev_only_at(0, Span::new(swc_common::BytePos(lo), swc_common::BytePos(lo + 3)))
        };
        assert!(at("a()"));
        assert!(!at("b()"));
        assert!(at("c()"));
        assert!(at("d()"));
        assert!(!at("e()"));
    }
}
