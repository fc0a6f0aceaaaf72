//! The command line, declared with clap's derive API.
//!
//! `backlens analyze [OPTIONS] PATH…`, `backlens model RULE …`, `backlens completions SHELL`,
//! `backlens --help`, `backlens --version`. Options take their value as the next argument or
//! after `=` (`--format=json`); `--` ends the options; a later value of a repeated option
//! replaces an earlier one (`--set` and `--args` accumulate). Everything here is a usage check
//! only: parameter values are validated by `backlens_core::Params`, paths by the walker.
//!
//! clap's own errors are several lines with usage and tips; `usage_error` turns each into the
//! one line the CLI documents (`backlens: unknown option `--colour` (see `backlens --help`)`),
//! printed by `main` with exit status 2.

use backlens_core::Severity;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;

pub const USAGE: &str = "usage: backlens analyze [OPTIONS] PATH... | backlens model RULE [--set NAME=VALUE]...";

const AFTER_HELP: &str = "\
`model` evaluates one rule's cost model with the parameters you give (a what-if), e.g.
  backlens model missing-compression --set response_kb=450 --set compressed_kb=95 --set bandwidth_mbps=20
`backlens model --help` lists the rules; `backlens model RULE --help` lists a model's parameters.

Exit status:
  0  the analysis ran (whatever it found)
  1  --fail-on was given and a finding is at or above that severity
  2  usage or I/O error (unknown option, bad parameter value, missing or unreadable path)
  3  the analysis was stopped by --timeout or --max-memory (nothing written)

Examples:
  backlens analyze src/
  backlens analyze src/ --format json --output backlens.json
  backlens analyze . --args 'target:\"api\" load_profile:\"high\"' --priority medium
  backlens analyze src/routes/users.js --fail-on high
  backlens analyze . --load-profile high --format github
  backlens completions bash > /etc/bash_completion.d/backlens";

const ANALYZE_AFTER_HELP: &str = "\
PATH is a file or a directory. Directories are walked recursively for .js .mjs .cjs .jsx .ts
.mts .cts .tsx files, honouring .gitignore/.ignore and skipping hidden directories,
node_modules, dist, build, out, coverage, .next, .nuxt and bower_components. Files named
explicitly are always read.

Exit status:
  0  the analysis ran (whatever it found)
  1  --fail-on was given and a finding is at or above that severity
  2  usage or I/O error (unknown option, bad parameter value, missing or unreadable path)
  3  the analysis was stopped by --timeout or --max-memory (nothing written)";

/// backlens: finds what makes a Node.js backend slow (N+1 queries, missing caching, O(n²)
/// lookups, …) by reading its JavaScript/TypeScript, without running it.
#[derive(Parser, Debug)]
#[command(
    name = "backlens",
    version,
    propagate_version = true,
    args_override_self = true,
    subcommand_required = true,
    after_help = AFTER_HELP,
    max_term_width = 100
)]
struct Cli {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Subcommand, Debug)]
enum Sub {
    /// Analyse the files under PATH as one program and write the report
    #[command(visible_alias = "analyse", after_help = ANALYZE_AFTER_HELP)]
    Analyze(AnalyzeCli),
    /// Evaluate one rule's cost model with your numbers (a what-if)
    #[command(disable_help_flag = true)]
    Model(ModelCli),
    /// Run the language server on standard input and output (for editors)
    Lsp {
        /// Accepted for LSP clients that pass it; stdio is the only transport
        #[arg(long)]
        stdio: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the version
    #[command(hide = true)]
    Version,
}

#[derive(Args, Debug)]
struct AnalyzeCli {
    /// Files or directories to analyse (together, as one program)
    #[arg(value_name = "PATH", required = true, allow_hyphen_values = false)]
    paths: Vec<String>,
    /// The output: the Backend Optimization Report, the JSON contract, SARIF 2.1.0, one line
    /// per finding, or GitHub workflow annotations [default: text on a terminal, else markdown]
    #[arg(long, value_enum, ignore_case = true, value_name = "FORMAT")]
    format: Option<Format>,
    /// Which rule categories run: api | algorithms | caching | concurrency | all (default all)
    #[arg(long, value_name = "TARGET")]
    target: Option<String>,
    /// Only route-level findings on these routes, e.g. "/api/users,GET /api/posts/:id"
    #[arg(long, value_name = "LIST")]
    endpoints: Option<String>,
    /// low | medium | high (default medium): the cost models' defaults
    #[arg(long, alias = "load_profile", value_name = "LOAD")]
    load_profile: Option<String>,
    /// low | medium | high | critical (default high): lowest severity shown in full in the
    /// report's Optimizations section
    #[arg(long, value_name = "SEVERITY")]
    priority: Option<String>,
    /// Also run these rules by id, comma-separated (e.g. quadratic-lookup), even when they are
    /// off by default (docs/rules.md says which and why); also `[params] rules` in backlens.toml
    #[arg(long, value_name = "LIST")]
    rules: Option<String>,
    /// The parameters as one string, e.g. 'target:"api" load_profile:"high"'; explicit flags
    /// override it
    #[arg(long = "args", value_name = "STRING", allow_hyphen_values = true)]
    param_strings: Vec<String>,
    /// Override a cost-model parameter (items, query_ms, pool_size, http_ms, cache_ms, op_ns,
    /// rps, response_kb, compression_ratio, bandwidth_mbps, hit_rate, connect_ms, checkout_ms,
    /// stringify_us_per_kb, request_cpu_ms, query_cpu_ms, row_us, db_cpu_ms, db_cores,
    /// connect_cpu_ms); repeatable
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = setting)]
    settings: Vec<(String, String)>,
    /// A k6 summary (--summary-export), an autocannon JSON result or an OpenTelemetry trace
    /// export (OTLP JSON): measured p50/p95/p99, RPS and errors per endpoint beside the
    /// estimates; DB, cache and HTTP spans set query_ms, cache_ms, http_ms (a --set wins);
    /// repeatable
    #[arg(long = "measurements", value_name = "FILE", value_parser = file_name)]
    measurements: Vec<PathBuf>,
    /// Base of the SARIF rules' help URIs (URL#rule-id); default: the rules reference in
    /// backlens's repository (docs/rules.md); also `[report] docs_url` in backlens.toml
    #[arg(long, value_name = "URL", value_parser = docs_url)]
    docs_url: Option<String>,
    /// Read parameters from FILE instead of the nearest backlens.toml (searched from the first
    /// PATH upward: [params] and [cost] tables)
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore backlens.toml
    #[arg(long)]
    no_config: bool,
    /// Report (and count for --fail-on) only the findings not in this baseline file; the
    /// baseline's findings that are gone are listed on standard error
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record today's findings in FILE (a baseline for --baseline), besides the usual output
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Exit 1 when a finding is at or above SEVERITY (low | medium | high | critical)
    #[arg(long, value_name = "SEVERITY", value_parser = severity)]
    fail_on: Option<Severity>,
    /// Apply the rewrites the rules mark safe (the same behaviour, faster) to the files, then
    /// report what is left; docs/rules.md says which rewrites are safe and why
    #[arg(long)]
    fix: bool,
    /// As --fix, and also apply the other rewrites (suggestions that change behaviour; review
    /// the diff)
    #[arg(long)]
    fix_suggestions: bool,
    /// Exit 1 when an endpoint's simulated figures exceed its `[budgets]` entry in
    /// backlens.toml (queries, p95_ms, event_loop_ms per request)
    #[arg(long)]
    fail_on_budget: bool,
    /// Write the output to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE", value_parser = output_file)]
    output: Option<PathBuf>,
    /// Print the files read and the parameters used on standard error
    #[arg(short, long)]
    verbose: bool,
    /// Stop the analysis when it takes longer than SECONDS (e.g. 30 or 0.5), say which file
    /// or phase it was in, write nothing and exit 3
    #[arg(long, value_name = "SECONDS", value_parser = crate::limits::parse_timeout)]
    timeout: Option<std::time::Duration>,
    /// Stop the analysis when the heap grows past MIB mebibytes, say which file or phase it
    /// was in, write nothing and exit 3
    #[arg(long, value_name = "MIB", value_parser = crate::limits::parse_max_memory)]
    max_memory: Option<usize>,
    /// Analyse on N threads (default: one per core; RAYON_NUM_THREADS overrides it). The
    /// output is the same whatever N
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
}

#[derive(Args, Debug)]
struct ModelCli {
    /// The rule whose model to evaluate
    rule: Option<String>,
    /// A model parameter, e.g. items=50; repeatable
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = setting)]
    settings: Vec<(String, String)>,
    /// low | medium | high (default medium)
    #[arg(long, alias = "load_profile", value_name = "LOAD")]
    load_profile: Option<String>,
    /// markdown (default) or json
    #[arg(long, value_enum, ignore_case = true, default_value = "markdown")]
    format: ModelFormat,
    /// The rules with a model, or RULE's parameters
    #[arg(short, long)]
    help: bool,
}

/// The output formats of `analyze`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The Backend Optimization Report (Markdown)
    #[value(alias = "md")]
    Markdown,
    /// The JSON contract
    Json,
    /// SARIF 2.1.0, for code-scanning tools
    Sarif,
    /// One line per finding (path:line:col severity rule message) and a summary
    Text,
    /// GitHub Actions workflow-command annotations
    Github,
}

/// The output formats of `model`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModelFormat {
    #[value(alias = "md")]
    Markdown,
    Json,
}

/// What the user asked for.
#[derive(Debug, PartialEq)]
pub enum Command {
    /// `--help`, `--version`: text clap rendered, printed on standard output (exit 0).
    Print(String),
    Analyze(AnalyzeArgs),
    Model(ModelArgs),
    /// `backlens model [RULE] --help`: the rules with a model, or one model's parameters.
    ModelHelp(Option<String>),
    Completions(clap_complete::Shell),
    Lsp,
}

/// `backlens model RULE --set NAME=VALUE…`
#[derive(Debug, PartialEq)]
pub struct ModelArgs {
    pub rule: String,
    pub settings: Vec<(String, String)>,
    /// `--load-profile`, validated by `Params`.
    pub load_profile: Option<String>,
    pub format: ModelFormat,
}

#[derive(Debug, PartialEq)]
pub struct AnalyzeArgs {
    /// The paths as given.
    pub paths: Vec<String>,
    /// `--format`; `None`: text on a terminal, the report otherwise (`main` decides).
    pub format: Option<Format>,
    /// `--args` strings, applied in order before the flags.
    pub param_strings: Vec<String>,
    /// `--target`, `--endpoints`, `--load-profile`, `--priority`, `--rules`: (parameter name, value).
    pub param_flags: Vec<(&'static str, String)>,
    pub fail_on: Option<Severity>,
    /// `--fix` (safe rewrites) or `--fix-suggestions` (all).
    pub fix: Option<backlens_core::fix::Mode>,
    /// `--fail-on-budget`: exit 1 when an endpoint is over its `[budgets]` entry.
    pub fail_on_budget: bool,
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
    /// `--baseline FILE`: report only findings not in it.
    pub baseline: Option<PathBuf>,
    /// `--write-baseline FILE`: record today's findings.
    pub write_baseline: Option<PathBuf>,
    /// `--measurements FILE`, in order.
    pub measurements: Vec<PathBuf>,
    /// `--timeout`, `--max-memory`.
    pub limits: crate::limits::Limits,
    /// `--threads N`.
    pub threads: Option<usize>,
}

/// A usage error, as the one line printed after `backlens: `.
pub type UsageError = String;

/// A file name that is not empty (`--measurements`).
fn file_name(value: &str) -> Result<PathBuf, String> {
    if value.is_empty() {
        return Err("needs a file name".to_string());
    }
    Ok(PathBuf::from(value))
}

/// `NAME=VALUE` of `--set`.
fn setting(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((n, v)) if !n.trim().is_empty() => Ok((n.trim().to_string(), v.trim().to_string())),
        _ => Err(format!("option `--set` takes NAME=VALUE, got {value:?}")),
    }
}

fn severity(value: &str) -> Result<Severity, String> {
    Severity::parse(value.trim().to_ascii_lowercase().as_str()).ok_or_else(|| {
        format!("invalid value {value:?} for option `--fail-on`: expected one of {}", Severity::NAMES.join(", "))
    })
}

fn docs_url(value: &str) -> Result<String, String> {
    backlens_core::report::check_docs_url(value).map_err(|e| format!("option `--docs-url`: {e}"))?;
    Ok(value.to_string())
}

fn output_file(value: &str) -> Result<PathBuf, String> {
    if value.is_empty() {
        return Err("option `--output` needs a file name".to_string());
    }
    Ok(PathBuf::from(value))
}

/// The clap command, for completions and help.
pub fn command() -> clap::Command {
    Cli::command()
}

/// Parses the arguments after the program name.
pub fn parse(args: Vec<OsString>) -> Result<Command, UsageError> {
    if args.is_empty() {
        return Err(format!("no command given ({USAGE}; see `backlens --help`)"));
    }
    let argv = std::iter::once(OsString::from("backlens")).chain(args);
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => match e.kind() {
            ErrorKind::DisplayHelp => return Ok(Command::Print(e.render().to_string())),
            // `backlens analyze -V` too says `backlens`, not clap's `backlens-analyze`.
            ErrorKind::DisplayVersion => return Ok(Command::Print(version())),
            _ => return Err(usage_error(&e)),
        },
    };
    Ok(match cli.command {
        Sub::Analyze(a) => {
            let mut param_flags = Vec::new();
            for (name, value) in [
                ("target", a.target),
                ("endpoints", a.endpoints),
                ("load_profile", a.load_profile),
                ("priority", a.priority),
                ("rules", a.rules),
            ] {
                if let Some(value) = value {
                    param_flags.push((name, value));
                }
            }
            Command::Analyze(AnalyzeArgs {
                paths: a.paths,
                format: a.format,
                param_strings: a.param_strings,
                param_flags,
                fail_on: a.fail_on,
                fix: match (a.fix, a.fix_suggestions) {
                    (_, true) => Some(backlens_core::fix::Mode::All),
                    (true, false) => Some(backlens_core::fix::Mode::Safe),
                    _ => None,
                },
                fail_on_budget: a.fail_on_budget,
                output: a.output,
                verbose: a.verbose,
                settings: a.settings,
                config: a.config,
                no_config: a.no_config,
                docs_url: a.docs_url,
                baseline: a.baseline,
                write_baseline: a.write_baseline,
                measurements: a.measurements,
                limits: crate::limits::Limits { timeout: a.timeout, max_memory: a.max_memory },
                threads: a.threads.map(usize::from),
            })
        }
        Sub::Model(m) if m.help => Command::ModelHelp(m.rule),
        Sub::Model(m) => Command::Model(ModelArgs {
            rule: m.rule.ok_or_else(|| {
                "`model` needs a RULE, e.g. `backlens model n-plus-one-query --set items=50`".to_string()
            })?,
            settings: m.settings,
            load_profile: m.load_profile,
            format: m.format,
        }),
        Sub::Completions { shell } => Command::Completions(shell),
        Sub::Lsp { .. } => Command::Lsp,
        Sub::Version => Command::Print(version()),
    })
}

fn version() -> String {
    format!("backlens {}\n", env!("CARGO_PKG_VERSION"))
}

/// The one-line message for a clap error, in the CLI's documented wording.
fn usage_error(e: &clap::Error) -> UsageError {
    let context = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(s)) => s.first().cloned(),
        _ => None,
    };
    let valid = || match e.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(s)) => s.join(", "),
        _ => String::new(),
    };
    // "--format <FORMAT>" → "--format"
    let option = || context(ContextKind::InvalidArg).map(|a| a.split([' ', '=']).next().unwrap_or("").to_string());
    match e.kind() {
        ErrorKind::UnknownArgument => {
            format!("unknown option `{}` (see `backlens --help`)", context(ContextKind::InvalidArg).unwrap_or_default())
        }
        ErrorKind::InvalidSubcommand => format!(
            "unknown command `{}` (expected `analyze`, `model`, `lsp` or `completions`; see `backlens --help`)",
            context(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            format!("no command given ({USAGE}; see `backlens --help`)")
        }
        ErrorKind::InvalidValue => {
            let option = option().unwrap_or_default();
            match context(ContextKind::InvalidValue).filter(|v| !v.is_empty()) {
                None => format!("option `{option}` needs a value (see `backlens --help`)"),
                Some(value) if option.starts_with('-') => {
                    format!("invalid value {value:?} for option `{option}`: expected one of {}", valid())
                }
                // A positional (`completions SHELL`).
                Some(value) => format!("invalid value {value:?} for {option}: expected one of {}", valid()),
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = context(ContextKind::InvalidArg).unwrap_or_default();
            if missing.contains("PATH") {
                format!("no PATH given ({USAGE})")
            } else {
                format!("missing {missing} (see `backlens --help`)")
            }
        }
        ErrorKind::TooManyValues | ErrorKind::NoEquals => {
            format!("option `{}` takes no value", option().unwrap_or_default())
        }
        ErrorKind::InvalidUtf8 => "an argument is not valid UTF-8".to_string(),
        // Our own value parsers' messages (`--set`, `--fail-on`, `--docs-url`, `--output`,
        // `--timeout`, `--max-memory`).
        ErrorKind::ValueValidation => match std::error::Error::source(e) {
            Some(source) => source.to_string(),
            None => first_line(e),
        },
        _ => first_line(e),
    }
}

/// clap's message without its `error: ` prefix, tips and usage.
fn first_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let line = text.lines().next().unwrap_or("").trim();
    line.strip_prefix("error: ").unwrap_or(line).to_string()
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
    fn the_command_is_well_formed() {
        command().debug_assert();
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
        assert_eq!(a.format, Some(Format::Json));
        assert_eq!(a.param_flags, [("target", "api".to_string()), ("load_profile", "high".to_string())]);
        assert_eq!(a.output, Some(PathBuf::from("out.json")));
    }

    #[test]
    fn a_repeated_option_keeps_its_last_value_and_set_accumulates() {
        let a = analyze(&["analyze", "x", "--target", "api", "--target=caching", "--set", "items=3", "--set=rps=9"]);
        assert_eq!(a.param_flags, [("target", "caching".to_string())]);
        assert_eq!(a.settings, [("items".to_string(), "3".to_string()), ("rps".to_string(), "9".to_string())]);
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
        assert_eq!(
            parse(args(&["analyze", "x", "--colour"])).unwrap_err(),
            "unknown option `--colour` (see `backlens --help`)"
        );
        assert_eq!(
            parse(args(&["analyze", "x", "--format"])).unwrap_err(),
            "option `--format` needs a value (see `backlens --help`)"
        );
        assert_eq!(
            parse(args(&["analyze", "x", "--format", "xml"])).unwrap_err(),
            "invalid value \"xml\" for option `--format`: expected one of markdown, json, sarif, text, github"
        );
        assert!(parse(args(&["analyze", "x", "--fail-on", "bad"]))
            .unwrap_err()
            .contains("low, medium, high, critical"));
        assert!(parse(args(&["analyze", "x", "--set", "items"])).unwrap_err().contains("NAME=VALUE"));
        assert!(parse(args(&["analyze"])).unwrap_err().contains("no PATH"));
        assert!(parse(args(&["model"])).unwrap_err().contains("needs a RULE"));
        assert!(parse(args(&["completions", "tcsh"])).unwrap_err().contains("expected one of bash"));
    }

    #[test]
    fn help_and_version_anywhere() {
        for list in [&["--help"][..], &["analyze", "x", "-h"], &["help"]] {
            assert!(matches!(parse(args(list)).unwrap(), Command::Print(t) if t.contains("Usage:")), "{list:?}");
        }
        for list in [&["--version"][..], &["version"], &["analyze", "-V"]] {
            assert_eq!(parse(args(list)).unwrap(), Command::Print(version()), "{list:?}");
        }
        assert_eq!(parse(args(&["model", "x", "--help"])).unwrap(), Command::ModelHelp(Some("x".into())));
        assert_eq!(parse(args(&["model", "--help"])).unwrap(), Command::ModelHelp(None));
    }

    #[test]
    fn fail_on_and_format_are_case_insensitive() {
        let a = analyze(&["analyze", "x", "--fail-on", "HIGH", "--format", "JSON"]);
        assert_eq!((a.fail_on, a.format), (Some(Severity::High), Some(Format::Json)));
        assert_eq!(analyze(&["analyse", "x", "--format", "md"]).format, Some(Format::Markdown));
    }
}
