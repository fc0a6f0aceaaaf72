//! `backlens-wasm`: backlens-core for Node.js, built with wasm-bindgen's `nodejs` target by
//! `scripts/npm.sh` into the `backlens` npm package. It serves two callers there:
//!
//! - the JavaScript API, `import { analyze } from 'backlens'` (files and parameters in, the
//!   JSON contract out);
//! - the launcher's fallback on platforms without a native package: `bin/backlens.js` walks
//!   the paths and reads the files (and `backlens.toml`, `package.json`, a baseline) and hands
//!   them here; the analysis, parameters, formats and baseline are the native CLI's own code.
//!
//! One entry point, [`run`]: a JSON request in, a JSON response out (see [`Request`]).

use backlens_core::baseline;
use backlens_core::report::{self, ReportContext};
use backlens_core::{analyze, Params, SourceFile};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

// The CLI's backlens.toml reader, shared rather than copied (its file-system half is unused
// here: JavaScript reads the file).
#[allow(dead_code)]
#[path = "../../../cli/src/config.rs"]
mod config;

/// What to analyse and how: the CLI's options, as data.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Request {
    pub files: Vec<File>,
    /// The seed's argument strings (`--args`), applied in order.
    pub args: Vec<String>,
    pub target: Option<String>,
    pub endpoints: Option<String>,
    pub load_profile: Option<String>,
    pub priority: Option<String>,
    /// Rules turned on by name, comma-separated, or `all` (`--rules`): also those off by default.
    pub rules: Option<String>,
    /// Cost-model parameters (`--set NAME=VALUE`), as `[[name, value], …]` or `{ name: value }`.
    pub settings: Settings,
    /// A `backlens.toml`'s text and the name to show in its errors.
    pub config: Option<Config>,
    /// `json` (default), `markdown`, `sarif`, `text` or `github`.
    pub format: Option<String>,
    pub docs_url: Option<String>,
    /// The report's title and date (`YYYY-MM-DD`).
    pub title: Option<String>,
    pub date: Option<String>,
    /// The project's package.json text, for the report's versions.
    pub package_json: Option<String>,
    /// A baseline file's text: only findings not in it are reported.
    pub baseline: Option<String>,
    /// Also answer `baseline_file`: today's findings as a baseline (`--write-baseline`).
    pub write_baseline: bool,
}

#[derive(Deserialize)]
pub struct File {
    pub path: String,
    #[serde(alias = "source")]
    pub text: String,
}

#[derive(Deserialize)]
pub struct Config {
    pub text: String,
    #[serde(default = "config_name")]
    pub name: String,
}

fn config_name() -> String {
    config::FILE_NAME.to_string()
}

#[derive(Deserialize, Default)]
#[serde(untagged)]
pub enum Settings {
    #[default]
    None,
    List(Vec<(String, Scalar)>),
    Map(serde_json::Map<String, serde_json::Value>),
}

#[derive(Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Number(f64),
    Text(String),
}

impl Scalar {
    fn text(&self) -> String {
        match self {
            Scalar::Number(n) => n.to_string(),
            Scalar::Text(t) => t.clone(),
        }
    }
}

/// The parameters: defaults, `backlens.toml`, `--args`, flags, `--set` — the CLI's order.
fn params(req: &Request) -> Result<(Params, config::Report), String> {
    let mut params = Params::default();
    let mut out = config::Report::default();
    if let Some(c) = &req.config {
        config::apply_text(&c.text, &c.name, &mut params, &mut out)?;
    }
    for text in &req.args {
        params.apply_args(text).map_err(|e| e.to_string())?;
    }
    for (name, value) in [
        ("target", &req.target),
        ("endpoints", &req.endpoints),
        ("load_profile", &req.load_profile),
        ("priority", &req.priority),
        ("rules", &req.rules),
    ] {
        if let Some(value) = value {
            params.set(name, value).map_err(|e| e.to_string())?;
        }
    }
    let settings: Vec<(String, String)> = match &req.settings {
        Settings::None => Vec::new(),
        Settings::List(list) => list.iter().map(|(n, v)| (n.clone(), v.text())).collect(),
        Settings::Map(map) => map
            .iter()
            .map(|(n, v)| (n.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
            .collect(),
    };
    for (name, value) in &settings {
        params.set_cost(name, value, "--set").map_err(|e| e.to_string())?;
    }
    if let Some(url) = &req.docs_url {
        report::check_docs_url(url).map_err(|e| format!("option `--docs-url`: {e}"))?;
        out.docs_url = Some(url.clone());
    }
    Ok((params, out))
}

/// Analyses a request; the response is `{ analysis, output, baseline_file, baseline_lines }`:
/// the JSON contract as an object, the output in the requested format, the baseline to write
/// (with `write_baseline`) and the lines the CLI prints on standard error about the baseline.
pub fn run_request(req: Request) -> Result<serde_json::Value, String> {
    let (params, settings) = params(&req)?;
    let baseline = req.baseline.as_deref().map(baseline::parse).transpose()?;
    let files: Vec<SourceFile> = req.files.into_iter().map(|f| SourceFile::new(f.path, f.text)).collect();
    let mut analysis = analyze(&files, &params);
    let baseline_file = req.write_baseline.then(|| baseline::to_text(&baseline::record(&analysis)));
    if let Some(b) = &baseline {
        baseline::apply(&mut analysis, b);
    }
    let output = match req.format.as_deref().unwrap_or("json") {
        "json" => report::json(&analysis),
        "sarif" => report::sarif_with_docs(&analysis, settings.docs_url.as_deref().unwrap_or(report::DEFAULT_DOCS_URL)),
        "text" => report::text(&analysis),
        "github" => report::github(&analysis),
        "markdown" | "md" => {
            let ctx = ReportContext {
                title: req.title.unwrap_or_else(|| "pasted code".to_string()),
                date: req.date.unwrap_or_default(),
                package_json: req.package_json,
            };
            report::markdown(&analysis, &params, &ctx)
        }
        other => {
            return Err(format!(
                "invalid value {other:?} for option `--format`: expected one of markdown, json, sarif, text, github"
            ))
        }
    };
    let baseline_lines = baseline::summary_lines(&analysis);
    let analysis = serde_json::to_value(&analysis).map_err(|e| e.to_string())?;
    Ok(serde_json::json!({
        "analysis": analysis,
        "output": output,
        "baseline_file": baseline_file,
        "baseline_lines": baseline_lines,
    }))
}

/// [`run_request`] on JSON text: the one function JavaScript calls. Errors are one line, as
/// the CLI's.
#[wasm_bindgen]
pub fn run(request: &str) -> Result<String, JsError> {
    let req: Request = serde_json::from_str(request).map_err(|e| JsError::new(&format!("bad request: {e}")))?;
    let response = run_request(req).map_err(|e| JsError::new(&e))?;
    Ok(response.to_string())
}

/// The version of backlens this build is.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(json: serde_json::Value) -> Request {
        serde_json::from_value(json).unwrap()
    }

    const N1: &str = "app.get('/u', async (req, res) => {\n  const users = await User.findAll();\n  for (const u of users) {\n    u.posts = await Post.findAll({ where: { userId: u.id } });\n  }\n  res.json(users);\n});\n";

    #[test]
    fn the_json_contract_out_with_the_clis_parameter_order() {
        let out = run_request(request(serde_json::json!({
            "files": [{ "path": "a.js", "text": N1 }],
            "rules": "all",
            "config": { "text": "[cost]\nitems = 10\n" },
            "settings": { "items": 20 },
        })))
        .unwrap();
        let n1 =
            out["analysis"]["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "n-plus-one-query").unwrap();
        assert_eq!(n1["estimate"]["before"][0]["value"], 21.0, "--set wins over backlens.toml");
        assert_eq!(
            out["output"].as_str().unwrap(),
            report::json(&serde_json::from_value(out["analysis"].clone()).unwrap())
        );
    }

    #[test]
    fn formats_and_errors() {
        let text =
            run_request(request(serde_json::json!({ "files": [{ "path": "a.js", "text": N1 }], "rules": "n-plus-one-query", "format": "text" })))
                .unwrap();
        assert!(text["output"].as_str().unwrap().contains("a.js:4:"), "{text}");
        let e = run_request(request(serde_json::json!({ "files": [], "load_profile": "extreme" }))).err().unwrap();
        assert!(e.contains("`load_profile`"), "{e}");
        let e = run_request(request(serde_json::json!({ "files": [], "format": "xml" }))).err().unwrap();
        assert!(e.contains("--format"), "{e}");
        assert!(serde_json::from_str::<Request>(r#"{"file": []}"#).is_err(), "unknown fields are refused");
    }
}
