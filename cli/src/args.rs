//! The command line, parsed by hand (no clap: it keeps the CLI's build small).
//!
//! `backlens analyze [OPTIONS] PATH…`, `backlens --help`, `backlens --version`.
//! Options take their value as the next argument or after `=` (`--format=json`);
//! `--` ends the options. Everything here is a usage check only: parameter values are
//! validated by `backlens_core::Params`, paths by the walker.

use backlens_core::Severity;
use std::ffi::OsString;
use std::path::PathBuf;

pub const USAGE: &str = "usage: backlens analyze [OPTIONS] PATH... | backlens model RULE [--set NAME=VALUE]...";

pub const HELP: &str = "\
backlens: finds what makes a Node.js backend slow (N+1 queries, missing caching, O(n²) lookups, …)
by reading its JavaScript/TypeScript, without running it.

Usage:
  backlens analyze [OPTIONS] PATH...
  backlens model RULE [--set NAME=VALUE]... [--load-profile LOAD] [--format markdown|json]
  backlens --help | --version

`model` evaluates one rule's cost model with the parameters you give (a what-if), e.g.
  backlens model missing-compression --set response_kb=450 --set compressed_kb=95 --set bandwidth_mbps=20
`backlens model --help` lists the rules; `backlens model RULE --help` lists a model's parameters.

PATH is a file or a directory. Directories are walked recursively for .js .mjs .cjs .jsx .ts
.mts .cts .tsx files, honouring .gitignore/.ignore and skipping hidden directories,
node_modules, dist, build, out, coverage, .next, .nuxt and bower_components. Files named
explicitly are always read.

Options:
  --format FORMAT       markdown (the Backend Optimization Report; default), json or sarif (SARIF 2.1.0)
  --target TARGET       api | algorithms | caching | concurrency | all (default all)
  --endpoints LIST      only route-level findings on these routes, e.g. \"/api/users,GET /api/posts/:id\"
  --load-profile LOAD   low | medium | high (default medium): the cost models' defaults
  --priority SEVERITY   low | medium | high | critical (default high): lowest severity shown
                        in full in the report's Optimizations section
  --rules LIST          also run these rules by id, comma-separated (e.g. quadratic-lookup), even
                        when they are off by default (docs/rules.md says which and why);
                        also `[params] rules` in backlens.toml
  --args STRING         the parameters as one string, e.g. 'target:\"api\" load_profile:\"high\"';
                        explicit flags override it
  --set NAME=VALUE      override a cost-model parameter (items, query_ms, pool_size, http_ms,
                        cache_ms, op_ns, rps, response_kb, compression_ratio, bandwidth_mbps,
                        hit_rate, connect_ms, checkout_ms, stringify_us_per_kb, request_cpu_ms,
                        query_cpu_ms, row_us, db_cpu_ms, db_cores, connect_cpu_ms); repeatable
  --measurements FILE   a k6 summary (--summary-export), an autocannon JSON result or an
                        OpenTelemetry trace export (OTLP JSON): measured p50/p95/p99, RPS and
                        errors per endpoint beside the estimates; DB, cache and HTTP spans set
                        query_ms, cache_ms, http_ms (a --set wins); repeatable
  --docs-url URL        base of the SARIF rules' help URIs (URL#rule-id); default: the rules
                        reference in backlens's repository (docs/rules.md); also
                        `[report] docs_url` in backlens.toml
  --config FILE         read parameters from FILE instead of the nearest backlens.toml
                        (searched from the first PATH upward: [params] and [cost] tables)
  --no-config           ignore backlens.toml
  --fail-on SEVERITY    exit 1 when a finding is at or above SEVERITY (low|medium|high|critical)
  -o, --output FILE     write the report to FILE instead of standard output
  -v, --verbose         print the files read and the parameters used on standard error
  -h, --help            print this help
  -V, --version         print the version

Exit status:
  0  the analysis ran (whatever it found)
  1  --fail-on was given and a finding is at or above that severity
  2  usage or I/O error (unknown option, bad parameter value, missing or unreadable path)

Examples:
  backlens analyze src/
  backlens analyze src/ --format json --output backlens.json
  backlens analyze . --args 'target:\"api\" load_profile:\"high\"' --priority medium
  backlens analyze src/routes/users.js --fail-on high
";

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
    Sarif,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &["markdown", "json", "sarif"];
    fn parse(value: &str) -> Option<Format> {
        match value.trim().to_ascii_lowercase().as_str() {
            "markdown" | "md" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            _ => None,
        }
    }
}

/// What the user asked for.
#[derive(Debug, PartialEq)]
pub enum Command {
    Help,
    Version,
    Analyze(AnalyzeArgs),
    Model(ModelArgs),
    /// `backlens model [RULE] --help`: the rules with a model, or one model's parameters.
    ModelHelp(Option<String>),
}

/// `backlens model RULE --set NAME=VALUE…`
#[derive(Debug, PartialEq)]
pub struct ModelArgs {
    pub rule: String,
    pub settings: Vec<(String, String)>,
    /// `--load-profile`, validated by `Params`.
    pub load_profile: Option<String>,
    pub format: Format,
}

#[derive(Debug, PartialEq)]
pub struct AnalyzeArgs {
    /// The paths as given.
    pub paths: Vec<String>,
    pub format: Format,
    /// `--args` strings, applied in order before the flags.
    pub param_strings: Vec<String>,
    /// `--target`, `--endpoints`, `--load-profile`, `--priority` in the order given:
    /// (parameter name, value).
    pub param_flags: Vec<(&'static str, String)>,
    pub fail_on: Option<Severity>,
    pub output: Option<PathBuf>,
    pub verbose: bool,
    /// `--set NAME=VALUE`, in order.
    pub settings: Vec<(String, String)>,
    /// `--config FILE` instead of the nearest `backlens.toml`.
    pub config: Option<PathBuf>,
    /// `--no-config`: ignore `backlens.toml`.
    pub no_config: bool,
    /// `--docs-url`: base of the SARIF help URIs.
    pub docs_url: Option<String>,
    /// `--measurements FILE`, in order.
    pub measurements: Vec<PathBuf>,
}

/// `NAME=VALUE` of `--set`.
fn setting(value: &str) -> Result<(String, String), UsageError> {
    match value.split_once('=') {
        Some((n, v)) if !n.trim().is_empty() => Ok((n.trim().to_string(), v.trim().to_string())),
        _ => Err(format!("option `--set` takes NAME=VALUE, got {value:?}")),
    }
}

/// `backlens model RULE [--set NAME=VALUE]... [--load-profile LOAD] [--format markdown|json]`
fn parse_model(args: impl Iterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut args = args;
    let mut out = ModelArgs { rule: String::new(), settings: Vec::new(), load_profile: None, format: Format::Markdown };
    while let Some(arg) = args.next() {
        let arg = utf8(arg)?;
        if !arg.starts_with('-') {
            if !out.rule.is_empty() {
                return Err(format!("`model` takes one RULE, got `{}` and `{arg}`", out.rule));
            }
            out.rule = arg;
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if name == "-h" || name == "--help" {
            let rule = if out.rule.is_empty() {
                args.find_map(|a| a.into_string().ok().filter(|a| !a.starts_with('-')))
            } else {
                Some(out.rule)
            };
            return Ok(Command::ModelHelp(rule));
        }
        if !matches!(name.as_str(), "--set" | "--load-profile" | "--load_profile" | "--format") {
            return Err(unknown_option(&name));
        }
        let value = match inline {
            Some(v) => v,
            None => match args.next() {
                Some(v) => utf8(v)?,
                None => return Err(format!("option `{name}` needs a value (see `backlens --help`)")),
            },
        };
        match name.as_str() {
            "--set" => out.settings.push(setting(&value)?),
            "--format" => {
                out.format = match Format::parse(&value) {
                    Some(f @ (Format::Markdown | Format::Json)) => f,
                    _ => {
                        return Err(format!(
                            "invalid value {value:?} for option `--format`: expected one of markdown, json"
                        ))
                    }
                }
            }
            _ => out.load_profile = Some(value),
        }
    }
    if out.rule.is_empty() {
        return Err("`model` needs a RULE, e.g. `backlens model n-plus-one-query --set items=50`".to_string());
    }
    Ok(Command::Model(out))
}

/// A usage error, as the one line printed after `backlens: `.
pub type UsageError = String;

fn utf8(arg: OsString) -> Result<String, UsageError> {
    arg.into_string().map_err(|a| format!("argument {a:?} is not valid UTF-8"))
}

/// Parses the arguments after the program name.
pub fn parse(args: Vec<OsString>) -> Result<Command, UsageError> {
    let mut args = args.into_iter();
    let Some(first) = args.next() else {
        return Err(format!("no command given ({USAGE}; see `backlens --help`)"));
    };
    let first = utf8(first)?;
    match first.as_str() {
        "-h" | "--help" | "help" => return Ok(Command::Help),
        "-V" | "--version" | "version" => return Ok(Command::Version),
        "analyze" | "analyse" => {}
        "model" => return parse_model(args),
        other if other.starts_with('-') => return Err(unknown_option(other)),
        other => {
            return Err(format!("unknown command `{other}` (expected `analyze` or `model`; see `backlens --help`)"))
        }
    }

    let mut out = AnalyzeArgs {
        paths: Vec::new(),
        format: Format::Markdown,
        param_strings: Vec::new(),
        param_flags: Vec::new(),
        fail_on: None,
        output: None,
        verbose: false,
        settings: Vec::new(),
        config: None,
        no_config: false,
        docs_url: None,
        measurements: Vec::new(),
    };
    let mut only_paths = false;
    while let Some(arg) = args.next() {
        let arg = utf8(arg)?;
        if only_paths || arg == "-" || !arg.starts_with('-') {
            out.paths.push(arg);
            continue;
        }
        if arg == "--" {
            only_paths = true;
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        // Flags without a value.
        match name.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "-v" | "--verbose" | "--no-config" => {
                if inline.is_some() {
                    return Err(format!("option `{name}` takes no value"));
                }
                if name == "--no-config" {
                    out.no_config = true;
                } else {
                    out.verbose = true;
                }
                continue;
            }
            _ => {}
        }
        let takes_value = matches!(
            name.as_str(),
            "--format"
                | "--target"
                | "--endpoints"
                | "--load-profile"
                | "--load_profile"
                | "--priority"
                | "--rules"
                | "--args"
                | "--fail-on"
                | "--set"
                | "--measurements"
                | "--config"
                | "--docs-url"
                | "-o"
                | "--output"
        );
        if !takes_value {
            return Err(unknown_option(&name));
        }
        let value = match inline {
            Some(v) => v,
            None => match args.next() {
                Some(v) => utf8(v)?,
                None => return Err(format!("option `{name}` needs a value (see `backlens --help`)")),
            },
        };
        match name.as_str() {
            "--format" => {
                out.format = Format::parse(&value).ok_or_else(|| {
                    format!(
                        "invalid value {value:?} for option `--format`: expected one of {}",
                        Format::NAMES.join(", ")
                    )
                })?
            }
            "--target" => out.param_flags.push(("target", value)),
            "--endpoints" => out.param_flags.push(("endpoints", value)),
            "--load-profile" | "--load_profile" => out.param_flags.push(("load_profile", value)),
            "--priority" => out.param_flags.push(("priority", value)),
            "--rules" => out.param_flags.push(("rules", value)),
            "--args" => out.param_strings.push(value),
            "--set" => out.settings.push(setting(&value)?),
            "--measurements" => {
                if value.is_empty() {
                    return Err("option `--measurements` needs a file name".to_string());
                }
                out.measurements.push(PathBuf::from(value))
            }
            "--docs-url" => {
                backlens_core::report::check_docs_url(&value).map_err(|e| format!("option `--docs-url`: {e}"))?;
                out.docs_url = Some(value)
            }
            "--fail-on" => {
                out.fail_on = Some(Severity::parse(value.trim().to_ascii_lowercase().as_str()).ok_or_else(|| {
                    format!(
                        "invalid value {value:?} for option `--fail-on`: expected one of {}",
                        Severity::NAMES.join(", ")
                    )
                })?)
            }
            "-o" | "--output" => {
                if value.is_empty() {
                    return Err("option `--output` needs a file name".to_string());
                }
                out.output = Some(PathBuf::from(value))
            }
            _ => unreachable!("every option that takes a value is handled above"),
        }
    }
    if out.paths.is_empty() {
        return Err(format!("no PATH given ({USAGE})"));
    }
    Ok(Command::Analyze(out))
}

fn unknown_option(name: &str) -> UsageError {
    format!("unknown option `{name}` (see `backlens --help`)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    fn analyze(list: &[&str]) -> AnalyzeArgs {
        match parse(args(list)).unwrap() {
            Command::Analyze(a) => a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn options_with_separate_and_inline_values() {
        let a = analyze(&[
            "analyze",
            "src",
            "--format=json",
            "--target",
            "api",
            "--load-profile=high",
            "-o",
            "out.json",
            "lib/x.ts",
        ]);
        assert_eq!(a.paths, ["src", "lib/x.ts"]);
        assert_eq!(a.format, Format::Json);
        assert_eq!(a.param_flags, [("target", "api".to_string()), ("load_profile", "high".to_string())]);
        assert_eq!(a.output, Some(PathBuf::from("out.json")));
    }

    #[test]
    fn double_dash_ends_options() {
        let a = analyze(&["analyze", "--", "--weird-name.js"]);
        assert_eq!(a.paths, ["--weird-name.js"]);
    }

    #[test]
    fn usage_errors() {
        assert!(parse(args(&[])).unwrap_err().contains("no command"));
        assert!(parse(args(&["lint"])).unwrap_err().contains("unknown command `lint`"));
        assert!(parse(args(&["analyze", "x", "--colour"])).unwrap_err().contains("unknown option `--colour`"));
        assert!(parse(args(&["analyze", "x", "--format"])).unwrap_err().contains("needs a value"));
        assert!(parse(args(&["analyze", "x", "--format", "xml"]))
            .unwrap_err()
            .contains("expected one of markdown, json"));
        assert!(parse(args(&["analyze", "x", "--fail-on", "bad"]))
            .unwrap_err()
            .contains("low, medium, high, critical"));
        assert!(parse(args(&["analyze"])).unwrap_err().contains("no PATH"));
    }

    #[test]
    fn help_and_version_anywhere() {
        assert_eq!(parse(args(&["--help"])).unwrap(), Command::Help);
        assert_eq!(parse(args(&["analyze", "x", "-h"])).unwrap(), Command::Help);
        assert_eq!(parse(args(&["--version"])).unwrap(), Command::Version);
    }

    #[test]
    fn fail_on_is_case_insensitive() {
        assert_eq!(analyze(&["analyze", "x", "--fail-on", "HIGH"]).fail_on, Some(Severity::High));
    }
}
