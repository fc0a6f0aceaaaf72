//! What the fixture tests share: loading a case of `tests/specs` (a file, or a directory
//! analysed as one project) and listing every case.
#![allow(dead_code)]

use backlens_core::{is_source_path, Params, SourceFile};
use std::fs;
use std::path::{Path, PathBuf};

pub fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs")
}

/// The case's files, with paths relative to the case (or its own name for a single file).
pub fn load_case(path: &Path) -> Vec<SourceFile> {
    if path.is_file() {
        return vec![SourceFile::from_bytes(path.file_name().unwrap().to_string_lossy(), fs::read(path).unwrap())];
    }
    let mut files = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if is_source_path(&p.to_string_lossy()) {
                let rel = p.strip_prefix(path).unwrap().to_string_lossy().replace('\\', "/");
                files.push(SourceFile::from_bytes(rel, fs::read(&p).unwrap()));
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The cases of `rule` of one kind (`invalid` or `valid`), sorted.
pub fn cases(rule: &str, kind: &str) -> Vec<PathBuf> {
    let dir = specs_dir().join(rule).join(kind);
    let Ok(entries) = fs::read_dir(&dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> =
        entries.map(|e| e.unwrap().path()).filter(|p| p.is_dir() || is_source_path(&p.to_string_lossy())).collect();
    out.sort();
    out
}

pub fn rules_with_specs() -> Vec<String> {
    let mut rules: Vec<String> =
        fs::read_dir(specs_dir()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    rules.sort();
    rules
}

/// The parameters a case of `rule` is analysed with: the defaults, or those of a first line
/// `// backlens-args: load_profile:high items:5000` — the seed's parameters and cost-model
/// settings, for code that is a finding only at sizes bigger than the profile's (`cost::worth`)
/// — and, in addition to any rules those name, `rule` itself turned on by name, so that its
/// cases (and their snapshots) are the same whether the rule is on or off by default
/// (`rules::off_by_default`).
pub fn case_params(files: &[SourceFile], rule: &str) -> Params {
    let mut params = Params::default();
    for f in files {
        let text = String::from_utf8_lossy(&f.bytes);
        if let Some(args) = text.lines().next().and_then(|l| l.trim().strip_prefix("// backlens-args:")) {
            for pair in args.split_whitespace() {
                let (name, value) = pair.split_once(':').expect("backlens-args: name:value");
                if params.set(name, value).is_err() {
                    params.set_cost(name, value, "fixture").expect("backlens-args: a parameter");
                }
            }
        }
    }
    if !params.rules.iter().any(|r| r == rule) {
        params.rules.push(rule.to_string());
    }
    params
}

/// Every case of every rule, invalid and valid.
pub fn all_cases() -> Vec<PathBuf> {
    rules_with_specs().iter().flat_map(|r| [cases(r, "invalid"), cases(r, "valid")].concat()).collect()
}

/// Whether a rewrite (a finding's `after`) parses where it goes: as module code (an
/// `import` or a `require` at the top), inside an async function (or a coroutine, whose
/// `yield` is an `await`), or as a class member (a NestJS method). The error is the first
/// way's.
pub fn rewrite_parses(path: &str, after: &str) -> Result<(), String> {
    let ways = [
        after.to_string(),
        format!("async function* rewritten() {{\n{after}\n}}"),
        format!("class Rewritten {{\n{after}\n}}"),
    ];
    let mut first = None;
    for text in ways {
        match backlens_core::parse::parse(&SourceFile::new(path, text)).error {
            None => return Ok(()),
            Some(e) => {
                first.get_or_insert(format!("{}:{}: {}", e.line, e.column, e.message));
            }
        }
    }
    Err(first.unwrap_or_default())
}
