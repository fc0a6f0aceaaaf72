//! `backlens.toml`: a project's own parameters, found from the analysed path upward.
//!
//! ```toml
//! [params]              # the seed's parameters
//! target = "api"
//! endpoints = "/api/users,GET /api/posts/:id"
//! load_profile = "high"
//! priority = "medium"
//!
//! [cost]                # cost-model parameters (see `backlens --help`, `--set`)
//! query_ms = 8
//! items = 100
//!
//! [report]              # output settings
//! docs_url = "https://docs.example.com/backlens/rules.md"   # SARIF help URIs: docs_url#rule-id
//! ```
//!
//! Precedence, lowest first: defaults, `backlens.toml`, `--args`, flags, `--set`
//! (`--docs-url` over `[report] docs_url`).

use backlens_core::Params;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "backlens.toml";

/// The nearest `backlens.toml` in the directory of `path` (or `path` itself, when a
/// directory) and its ancestors.
pub fn find(path: &Path) -> Option<PathBuf> {
    find_upward(path, FILE_NAME)
}

/// The nearest file called `name` in the directory of `path` (or `path` itself, when a
/// directory) and its ancestors.
pub fn find_upward(path: &Path, name: &str) -> Option<PathBuf> {
    let start = if path.is_dir() { path.to_path_buf() } else { path.parent()?.to_path_buf() };
    let start = std::fs::canonicalize(&start).unwrap_or(start);
    start.ancestors().map(|dir| dir.join(name)).find(|candidate| candidate.is_file())
}

/// Output settings of the `[report]` table.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    /// Base of the SARIF rules' `helpUri` (checked to be an absolute URL without fragment).
    pub docs_url: Option<String>,
    /// The `[budgets]` table: per endpoint pattern, limits for `--fail-on-budget`.
    pub budgets: Vec<backlens_core::budget::Budget>,
}

/// Applies the file's settings to `params` and `report`. Errors name the file, and the key
/// or line.
pub fn apply(file: &Path, params: &mut Params, report: &mut Report) -> Result<(), String> {
    let shown = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {shown}: {e}"))?;
    apply_text(&text, &shown, params, report)
}

/// Applies the settings of a `backlens.toml` whose text is `text`, shown as `shown` in errors
/// (also used by the WebAssembly build in npm/wasm, which gets the text from JavaScript).
pub fn apply_text(text: &str, shown: &str, params: &mut Params, report: &mut Report) -> Result<(), String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let message = e.message().to_string();
        match e.span() {
            Some(span) => {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!("{shown}:{line}: {message}")
            }
            None => format!("{shown}: {message}"),
        }
    })?;
    for (section, value) in &table {
        let toml::Value::Table(entries) = value else {
            return Err(format!("{shown}: `{section}` must be a table: [params], [cost], [report] or [budgets]"));
        };
        if section == "budgets" {
            report.budgets = budgets(entries).map_err(|e| format!("{shown}: {e}"))?;
            continue;
        }
        for (key, value) in entries {
            let text = match value {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                other => {
                    return Err(format!(
                        "{shown}: `{section}.{key}` must be a string or a number, not {}",
                        other.type_str()
                    ))
                }
            };
            let result = match section.as_str() {
                "params" => params.set(key, &text).map_err(|e| e.to_string()),
                "cost" => params.set_cost(key, &text, FILE_NAME).map_err(|e| e.to_string()),
                "report" => match key.as_str() {
                    "docs_url" => backlens_core::report::check_docs_url(&text).map(|()| report.docs_url = Some(text)),
                    other => Err(format!("unknown key `report.{other}`: expected docs_url")),
                },
                other => {
                    return Err(format!(
                        "{shown}: unknown section [{other}]: expected [params], [cost], [report] or [budgets]"
                    ))
                }
            };
            result.map_err(|e| format!("{shown}: {e}"))?;
        }
    }
    Ok(())
}

/// `[budgets]`: `"GET /api/*" = { queries = 5, p95_ms = 200 }`, in the order of their keys.
fn budgets(entries: &toml::Table) -> Result<Vec<backlens_core::budget::Budget>, String> {
    let mut out = Vec::new();
    for (key, value) in entries {
        let toml::Value::Table(limits) = value else {
            return Err(format!(
                "budget {key:?} must be a table of limits, e.g. {{ queries = 5, p95_ms = 200 }}, not {}",
                value.type_str()
            ));
        };
        let mut list = Vec::new();
        for (name, v) in limits {
            let n = match v {
                toml::Value::Integer(i) => *i as f64,
                toml::Value::Float(f) => *f,
                other => return Err(format!("budget {key:?}: `{name}` must be a number, not {}", other.type_str())),
            };
            list.push((name.clone(), n));
        }
        out.push(backlens_core::budget::Budget::new(key, &list)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let p = dir.join(FILE_NAME);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn applies_params_and_cost_and_reports_errors_with_the_file() {
        let dir = std::env::temp_dir().join(format!("backlens-config-{}", std::process::id()));
        let file = write(&dir, "[params]\nload_profile = \"high\"\n[cost]\nquery_ms = 8\nitems = 100\n");
        let mut p = Params::default();
        apply(&file, &mut p, &mut Report::default()).unwrap();
        assert_eq!(p.load_profile, backlens_core::LoadProfile::High);
        assert_eq!(p.settings.len(), 2);
        assert_eq!(p.settings[0].source, FILE_NAME);
        assert_eq!(find(&dir.join("src/app.js")).map(|f| f.ends_with(FILE_NAME)), Some(true));

        let file = write(&dir, "[cost]\nlatency = 3\n");
        let e = apply(&file, &mut Params::default(), &mut Report::default()).unwrap_err();
        assert!(e.contains("unknown cost-model parameter `latency`"), "{e}");
        let file = write(&dir, "[params]\nload_profile = \"extreme\"\n");
        assert!(apply(&file, &mut Params::default(), &mut Report::default())
            .unwrap_err()
            .contains("low, medium, high"));
        let file = write(&dir, "[params\n");
        assert!(apply(&file, &mut Params::default(), &mut Report::default()).unwrap_err().contains(":1:"));

        let file = write(&dir, "[report]\ndocs_url = \"https://intranet/backlens/rules.md\"\n");
        let mut report = Report::default();
        apply(&file, &mut Params::default(), &mut report).unwrap();
        assert_eq!(report.docs_url.as_deref(), Some("https://intranet/backlens/rules.md"));
        let file = write(&dir, "[report]\ndocs_url = \"docs/rules.md\"\n");
        let e = apply(&file, &mut Params::default(), &mut Report::default()).unwrap_err();
        assert!(e.contains("invalid docs URL") && e.contains(FILE_NAME), "{e}");
        let file = write(&dir, "[report]\ntheme = \"dark\"\n");
        assert!(apply(&file, &mut Params::default(), &mut Report::default())
            .unwrap_err()
            .contains("expected docs_url"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
