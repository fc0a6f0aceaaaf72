//! Which analysed files are the served backend.
//!
//! A repository holds more than its server: tests that start throw-away apps, and browser
//! assets (`public/js/jquery.min.js`) that the server only sends as static files. Their
//! apps and routes are not the program's, and findings in them are not the backend's
//! performance: `collect` still walks them (a test may import the app), `Program::build`
//! drops their apps, routes and mounts, and `rules::run` drops findings in them.
//!
//! Found on real repositories (docs/evaluation.md): fastify/demo's `test/helper.ts` builds
//! an app per test (reported as an app without compression), expressjs/express's `test/`
//! registers 180 routes, node-express-mongoose-demo's `public/js/jquery.min.js` was
//! reported for sorts in loops.

use crate::parse::Parsed;

/// What a file is to the backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRole {
    /// Server code, scripts, configuration: analysed and reported.
    Source,
    /// A test: in a `test`/`tests`/`__tests__`/`spec`/`e2e`/`__mocks__` directory, or named
    /// `*.test.*`, `*.spec.*`, `*.e2e-spec.*`.
    Test,
    /// A browser asset or third-party bundle: minified (`*.min.js`, or lines averaging more
    /// than 300 characters), or under a `public`/`static`/`assets`/`vendor` directory.
    Asset,
    /// Browser code: a front end's components, hooks and stores ([`super::browser`]).
    Browser,
}

impl FileRole {
    /// Why a file with this role is not reported on, in a few words (`Browser` files say
    /// more: their reason comes from [`super::browser`]).
    pub fn reason(self) -> &'static str {
        match self {
            FileRole::Source => "",
            FileRole::Test => "a test",
            FileRole::Asset => "a browser asset or bundle (minified, or under public/, static/, assets/, vendor/)",
            FileRole::Browser => "browser code",
        }
    }
}

const TEST_DIRS: &[&str] = &["test", "tests", "__tests__", "spec", "specs", "e2e", "__mocks__", "__fixtures__"];
const ASSET_DIRS: &[&str] = &["public", "static", "assets", "vendor"];

/// The role of each file, and why each file that is not [`FileRole::Source`] is skipped.
/// Directory names are read below the files' common directory only, so analysing a project
/// that itself sits in a `tests/` folder treats it as source.
pub fn roles(files: &[Parsed]) -> (Vec<FileRole>, Vec<(usize, String)>) {
    let common = common_dir(files.iter().map(|f| f.path.as_str()));
    let rels: Vec<String> = files.iter().map(|f| f.path[common.min(f.path.len())..].replace('\\', "/")).collect();
    let mut roles: Vec<FileRole> = files.iter().zip(&rels).map(|(f, rel)| role(rel, &f.text)).collect();
    let signals: Vec<super::browser::Signals> = files
        .iter()
        .zip(&roles)
        .map(|(f, r)| if *r == FileRole::Source { super::browser::signals(f) } else { Default::default() })
        .collect();
    let browser = super::browser::browser_reasons(&rels, &signals);
    let mut skipped = Vec::new();
    for (id, role) in roles.iter_mut().enumerate() {
        match (&*role, &browser[id]) {
            (FileRole::Source, Some(why)) => {
                *role = FileRole::Browser;
                skipped.push((id, format!("browser code: {why}")));
            }
            (FileRole::Source, None) => {}
            (r, _) => skipped.push((id, r.reason().to_string())),
        }
    }
    (roles, skipped)
}

/// Length of the directory prefix (up to and including a `/`) that all paths share.
pub(crate) fn common_dir<'a>(mut paths: impl Iterator<Item = &'a str>) -> usize {
    let Some(first) = paths.next() else { return 0 };
    let mut len = first.rfind('/').map_or(0, |i| i + 1);
    for p in paths {
        let shared = first.as_bytes()[..len].iter().zip(p.as_bytes()).take_while(|(a, b)| a == b).count();
        len = first[..shared].rfind('/').map_or(0, |i| i + 1);
        if len == 0 {
            break;
        }
    }
    len
}

fn role(rel: &str, text: &str) -> FileRole {
    let rel = rel.replace('\\', "/");
    let mut parts: Vec<&str> = rel.split('/').collect();
    let name = parts.pop().unwrap_or("").to_ascii_lowercase();
    let dirs: Vec<String> = parts.iter().map(|d| d.to_ascii_lowercase()).collect();
    if dirs.iter().any(|d| ASSET_DIRS.contains(&d.as_str())) || is_minified(&name, text) {
        return FileRole::Asset;
    }
    let stem_parts: Vec<&str> = name.split('.').collect();
    let marked = stem_parts.len() > 2
        && stem_parts[1..stem_parts.len() - 1].iter().any(|p| matches!(*p, "test" | "spec" | "e2e-spec" | "e2e"));
    if marked || dirs.iter().any(|d| TEST_DIRS.contains(&d.as_str())) {
        return FileRole::Test;
    }
    FileRole::Source
}

fn is_minified(name: &str, text: &str) -> bool {
    if name.ends_with(".min.js") || name.ends_with(".min.mjs") || name.ends_with("-min.js") {
        return true;
    }
    if text.len() < 4096 {
        return false;
    }
    let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
    text.len() / lines > 300
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(path: &str) -> FileRole {
        role(path, "")
    }

    #[test]
    fn tests_and_assets_by_path() {
        assert_eq!(r("test/helper.ts"), FileRole::Test);
        assert_eq!(r("src/users/__tests__/users.js"), FileRole::Test);
        assert_eq!(r("src/users.controller.spec.ts"), FileRole::Test);
        assert_eq!(r("test/app.e2e-spec.ts"), FileRole::Test);
        assert_eq!(r("src/routes/users.test.mjs"), FileRole::Test);
        assert_eq!(r("public/js/app.js"), FileRole::Asset);
        assert_eq!(r("lib/jquery.min.js"), FileRole::Asset);
        assert_eq!(r("src/routes/tests.js"), FileRole::Source);
        assert_eq!(r("src/testing/users.js"), FileRole::Source);
        assert_eq!(r("src/spec.js"), FileRole::Source);
        assert_eq!(r("server.js"), FileRole::Source);
    }

    #[test]
    fn skipped_files_carry_their_reason() {
        let files: Vec<Parsed> = [
            ("app/components/List.tsx", "import React from 'react';\n"),
            ("server/index.ts", "import Koa from 'koa';\n"),
            ("server/users.test.ts", "it('works', () => {});\n"),
            ("public/js/app.js", "window.x = 1;\n"),
        ]
        .iter()
        .map(|(p, t)| crate::parse::parse(&crate::SourceFile::new(*p, *t)))
        .collect();
        let (roles, skipped) = roles(&files);
        assert_eq!(roles, [FileRole::Browser, FileRole::Source, FileRole::Test, FileRole::Asset]);
        let reasons: Vec<(usize, &str)> = skipped.iter().map(|(f, r)| (*f, r.as_str())).collect();
        assert_eq!(reasons[0], (0, "browser code: in the front end `app/`"));
        assert_eq!(reasons[1], (2, "a test"));
        assert_eq!(reasons[2].0, 3);
    }

    #[test]
    fn minified_by_content() {
        let bundle = format!("!function(e){{{}}}();\n", "var a=1;".repeat(1000));
        assert_eq!(role("lib/bundle.js", &bundle), FileRole::Asset);
        let normal = "const a = 1;\n".repeat(1000);
        assert_eq!(role("lib/normal.js", &normal), FileRole::Source);
    }

    #[test]
    fn directories_above_the_common_one_do_not_count() {
        assert_eq!(
            common_dir(["tests/fixtures/app.js", "tests/fixtures/lib/db.js"].into_iter()),
            "tests/fixtures/".len()
        );
        assert_eq!(common_dir(["app.js"].into_iter()), 0);
        assert_eq!(common_dir(["a/b.js", "c/d.js"].into_iter()), 0);
        assert_eq!(common_dir(["ab/x.js", "ac/y.js"].into_iter()), 0);
    }
}
