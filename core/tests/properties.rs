//! Properties that hold for every input, checked on every fixture of `tests/specs`, the
//! hostile project (`tests/hostile`) and, with proptest, on random programs put together
//! from the fixtures' top-level statements:
//!
//! - the same input gives byte-identical JSON (and Markdown and SARIF);
//! - the order of the files does not change the findings;
//! - every finding's range lies inside its file (1-based, UTF-16 columns);
//! - every rewrite parses;
//! - a suppression comment silences exactly what it names: its rule, on its line or in its
//!   file, nothing else.

mod common;

use backlens_core::report::{self, ReportContext};
use backlens_core::{analyze, Analysis, Finding, Params, Severity, SourceFile};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// Every rule, even one off by default (`rules::off_by_default`): the properties hold for all.
fn params() -> Params {
    Params { priority: Severity::Low, ..Params::all_rules() }
}

fn hostile() -> Vec<SourceFile> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile/project.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| SourceFile::new(f["path"].as_str().unwrap(), f["text"].as_str().unwrap()))
        .filter(|f| f.path != "package.json")
        .collect()
}

/// Every fixture project: each case of every rule, and the hostile project.
fn projects() -> Vec<(String, Vec<SourceFile>)> {
    let mut out: Vec<(String, Vec<SourceFile>)> =
        common::all_cases().iter().map(|c| (c.display().to_string(), common::load_case(c))).collect();
    out.push(("tests/hostile".into(), hostile()));
    out
}

fn outputs(files: &[SourceFile]) -> (Analysis, [String; 3]) {
    let a = analyze(files, &params());
    let ctx = ReportContext { title: "t".into(), date: "2026-12-03".into(), package_json: None };
    let texts = [report::json(&a), report::markdown(&a, &params(), &ctx), report::sarif(&a)];
    (a, texts)
}

/// A finding's identity, position included, without what depends on the files' order.
fn key(f: &Finding) -> String {
    format!(
        "{} {}:{}:{}-{}:{} {:?} {} | {} | {}",
        f.rule, f.file, f.line, f.column, f.end_line, f.end_column, f.endpoint, f.severity, f.message, f.after
    )
}

fn finding_keys(a: &Analysis) -> BTreeSet<String> {
    a.findings.iter().map(key).collect()
}

/// Failures of the per-analysis properties: ranges inside files, rewrites that parse.
fn check_analysis(name: &str, files: &[SourceFile], a: &Analysis) -> Vec<String> {
    let mut failures = Vec::new();
    for f in a.findings.iter().chain(a.suppressed.iter().map(|s| &s.finding)) {
        let Some(file) = files.iter().find(|s| s.path == f.file) else {
            failures.push(format!("{name}: {} is not an analysed file", f.file));
            continue;
        };
        let text = String::from_utf8_lossy(&file.bytes);
        let last_line = text.split('\n').count() as u32;
        // A line's length in UTF-16 units, plus one: the column just after its last character.
        let end_of = |line: u32| -> u32 {
            let l = text.split('\n').nth(line as usize - 1).unwrap_or("");
            l.trim_end_matches('\r').encode_utf16().count() as u32 + 1
        };
        let inside = f.line >= 1
            && f.end_line <= last_line
            && (f.line, f.column) <= (f.end_line, f.end_column)
            && f.column >= 1
            && f.column <= end_of(f.line)
            && f.end_column <= end_of(f.end_line);
        if !inside {
            failures.push(format!(
                "{name}: {} {}:{}:{}-{}:{} lies outside the file ({last_line} lines)",
                f.rule, f.file, f.line, f.column, f.end_line, f.end_column
            ));
        }
        if !f.after.is_empty() {
            if let Err(e) = common::rewrite_parses(&f.file, &f.after) {
                failures.push(format!("{name}: the {} rewrite does not parse ({e}):\n{}", f.rule, f.after));
            }
        }
    }
    failures
}

#[test]
fn the_same_input_gives_byte_identical_outputs() {
    for (name, files) in projects() {
        let (_, first) = outputs(&files);
        let (_, second) = outputs(&files);
        for (a, b) in first.iter().zip(&second) {
            assert!(a == b, "{name}: two runs differ");
        }
    }
}

#[test]
fn the_order_of_the_files_does_not_change_the_findings() {
    let mut failures = Vec::new();
    // Every project, and all single-file cases of one rule as one project.
    let mut projects = projects();
    for rule in common::rules_with_specs() {
        let files: Vec<SourceFile> = common::cases(&rule, "invalid")
            .iter()
            .filter(|c| c.is_file())
            .flat_map(|c| common::load_case(c))
            .collect();
        projects.push((format!("{rule}/invalid/*"), files));
    }
    for (name, files) in projects.into_iter().filter(|(_, f)| f.len() > 1) {
        let forward = analyze(&files, &params());
        let reversed: Vec<SourceFile> = files.iter().rev().cloned().collect();
        let backward = analyze(&reversed, &params());
        let (a, b) = (finding_keys(&forward), finding_keys(&backward));
        if a != b {
            let only_a: Vec<_> = a.difference(&b).collect();
            let only_b: Vec<_> = b.difference(&a).collect();
            failures.push(format!("{name}: in order only {only_a:#?}\nreversed only {only_b:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_range_lies_inside_its_file_and_every_rewrite_parses() {
    let mut failures = Vec::new();
    for (name, files) in projects() {
        let a = analyze(&files, &params());
        failures.extend(check_analysis(&name, &files, &a));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Inserts `comment` as a line of its own before line `line` (1-based) of `text`, indented
/// like it.
fn insert_line(text: &str, line: u32, comment: &str) -> String {
    let mut out = String::new();
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as u32 + 1 == line {
            let indent: String = l.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
            out.push_str(&format!("{indent}{comment}\n"));
        }
        out.push_str(l);
    }
    out
}

/// The project with the text of file `path` changed by `change`.
fn edit(files: &[SourceFile], path: &str, change: impl Fn(&str) -> String) -> Vec<SourceFile> {
    files
        .iter()
        .map(|f| if f.path == path { SourceFile::new(&f.path, change(&String::from_utf8_lossy(&f.bytes))) } else { f.clone() })
        .collect()
}

#[test]
fn a_suppression_comment_silences_exactly_what_it_names() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in common::rules_with_specs().iter().flat_map(|r| common::cases(r, "invalid")) {
        let files = common::load_case(&case);
        let before = analyze(&files, &params());
        let targets: BTreeSet<(String, u32, String)> =
            before.findings.iter().map(|f| (f.file.clone(), f.line, f.rule.to_string())).collect();
        for (file, line, rule) in targets {
            // On its own line before the finding's line: that rule's findings starting there.
            let comment = format!("// backlens-ignore {rule} -- accepted");
            let edited = edit(&files, &file, |text| insert_line(text, line, &comment));
            let after = analyze(&edited, &params());
            let shift = |f: &Finding| -> String {
                let moved = if f.file == file && f.line >= line { 1 } else { 0 };
                format!("{} {}:{}:{}", f.rule, f.file, f.line + moved, f.column)
            };
            let silenced = |f: &Finding| f.file == file && f.line == line && f.rule == rule.as_str();
            let expect_kept: BTreeSet<String> = before.findings.iter().filter(|f| !silenced(f)).map(shift).collect();
            let expect_silenced: BTreeSet<String> = before.findings.iter().filter(|f| silenced(f)).map(shift).collect();
            let id = |f: &Finding| format!("{} {}:{}:{}", f.rule, f.file, f.line, f.column);
            let kept: BTreeSet<String> = after.findings.iter().map(id).collect();
            let silenced_now: BTreeSet<String> = after.suppressed.iter().map(|s| id(&s.finding)).collect();
            if kept != expect_kept || silenced_now != expect_silenced || !after.notices.is_empty() {
                failures.push(format!(
                    "{}: `// backlens-ignore {rule}` before {file}:{line}\nkept {kept:#?}\nexpected {expect_kept:#?}\nsilenced {silenced_now:#?}\nexpected {expect_silenced:#?}\nnotices {:#?}",
                    case.display(),
                    after.notices
                ));
            }
            checked += 1;
        }
        // For the whole file, at its end: every finding of one rule in one file, nothing else.
        let Some(first) = before.findings.first() else { continue };
        let (file, rule) = (first.file.clone(), first.rule);
        let edited = edit(&files, &file, |text| format!("{text}\n// backlens-ignore-file {rule} -- accepted\n"));
        let after = analyze(&edited, &params());
        let id = |f: &Finding| format!("{} {}:{}:{}", f.rule, f.file, f.line, f.column);
        let in_file = |f: &&Finding| f.file == file && f.rule == rule;
        let expect_silenced: BTreeSet<String> = before.findings.iter().filter(in_file).map(id).collect();
        let expect_kept: BTreeSet<String> = before.findings.iter().filter(|f| !in_file(f)).map(id).collect();
        let kept: BTreeSet<String> = after.findings.iter().map(id).collect();
        let silenced_now: BTreeSet<String> = after.suppressed.iter().map(|s| id(&s.finding)).collect();
        if kept != expect_kept || silenced_now != expect_silenced {
            failures.push(format!("{}: `backlens-ignore-file {rule}` in {file}: kept {kept:#?} silenced {silenced_now:#?}", case.display()));
        }
    }
    assert!(checked > 100, "only {checked} suppressions checked");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n\n"));
}

/// The fixtures' top-level statements (imports and exports apart), as source text: the
/// fragments random programs are made of.
struct Fragments {
    imports: Vec<String>,
    statements: Vec<String>,
}

fn fragments() -> &'static Fragments {
    use std::sync::OnceLock;
    use swc_common::Spanned;
    static CELL: OnceLock<Fragments> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut out = Fragments { imports: Vec::new(), statements: Vec::new() };
        for case in common::all_cases() {
            for file in common::load_case(&case) {
                if !file.path.ends_with(".js") {
                    continue;
                }
                let parsed = backlens_core::parse::parse(&file);
                let Some(program) = &parsed.program else { continue };
                let items: Vec<(bool, swc_common::Span)> = match program {
                    swc_ecma_ast::Program::Module(m) => m
                        .body
                        .iter()
                        .map(|i| (matches!(i, swc_ecma_ast::ModuleItem::ModuleDecl(_)), i.span()))
                        .collect(),
                    swc_ecma_ast::Program::Script(s) => s.body.iter().map(|i| (false, i.span())).collect(),
                };
                for (is_decl, span) in items {
                    let text = parsed.snippet(span).to_string();
                    if is_decl {
                        out.imports.push(text);
                    } else {
                        out.statements.push(text);
                    }
                }
            }
        }
        out.imports.sort();
        out.imports.dedup();
        out.statements.sort();
        out.statements.dedup();
        out
    })
}

/// How a statement is placed: as it is, in a block, in a route handler, in a loop.
fn place(statement: &str, how: u8, n: usize) -> String {
    match how % 5 {
        0 => statement.to_string(),
        1 => format!("{{\n{statement}\n}}"),
        2 => format!("app.get('/api/r{n}', async (req, res) => {{\n{statement}\n}});"),
        3 => format!("async function helper{n}(items) {{\n  for (const item of items) {{\n{statement}\n  }}\n}}"),
        _ => format!("router.post('/api/w{n}/:id', async function (req, res) {{\n{statement}\n}});"),
    }
}

/// A random project: 1 to 3 files of up to 8 fragments each; only ES module syntax in files
/// that import.
fn project() -> impl Strategy<Value = Vec<SourceFile>> {
    let file = (
        proptest::collection::vec(any::<prop::sample::Index>(), 0..2),
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    );
    proptest::collection::vec(file, 1..4).prop_map(|files| {
        let f = fragments();
        files
            .into_iter()
            .enumerate()
            .map(|(i, (imports, statements))| {
                let mut text = String::new();
                for imp in &imports {
                    text.push_str(imp.get::<String>(&f.imports));
                    text.push('\n');
                }
                for (n, (s, how)) in statements.iter().enumerate() {
                    text.push_str(&place(s.get::<String>(&f.statements), *how, n));
                    text.push('\n');
                }
                SourceFile::new(format!("src/part{i}.js"), text)
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_programs_from_the_fixtures_keep_every_property(files in project()) {
        let (a, first) = outputs(&files);
        let (_, second) = outputs(&files);
        prop_assert!(first == second, "two runs differ");
        let failures = check_analysis("random", &files, &a);
        prop_assert!(failures.is_empty(), "{}", failures.join("\n"));
        if files.len() > 1 {
            let reversed: Vec<SourceFile> = files.iter().rev().cloned().collect();
            let (x, y) = (finding_keys(&a), finding_keys(&analyze(&reversed, &params())));
            let texts: Vec<String> = files.iter().map(|f| format!("{}:\n{}", f.path, String::from_utf8_lossy(&f.bytes))).collect();
            prop_assert!(x == y, "in order only {:#?}\nreversed only {:#?}\n{}", x.difference(&y).collect::<Vec<_>>(), y.difference(&x).collect::<Vec<_>>(), texts.join("\n"));
        }
    }
}
