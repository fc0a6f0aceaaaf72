//! `backlens`: the command line of the backlens analyzer.
//!
//! `backlens analyze PATH… [--format json|markdown] [--fail-on SEVERITY] …`
//! reads the files, hands them to `backlens_core::analyze` as one program and writes the
//! JSON contract or the Markdown report. Exit status: 0 when the analysis ran, 1 when
//! `--fail-on` is given and a finding is at or above it, 2 on usage or I/O errors (one
//! line on standard error, starting with `backlens: `), 3 when `--timeout` or
//! `--max-memory` stopped the analysis (`limits.rs`).

mod args;
mod baseline_file;
mod limits;
mod budgets;
mod config;
mod date;
mod fix;
mod lsp;
mod title;
mod walk;

use args::{AnalyzeArgs, Command, Format, ModelArgs, ModelFormat};
use backlens_core::report::{self, ReportContext};
use backlens_core::{Params, SourceFile};
use std::io::{self, Write};
use std::process::ExitCode;

/// Exit status when `--fail-on` is given and met.
const EXIT_FINDINGS: u8 = 1;
/// Exit status on usage or I/O errors.
const EXIT_ERROR: u8 = 2;
/// Exit status when `--timeout` or `--max-memory` stopped the analysis.
const EXIT_STOPPED: u8 = 3;

/// Counts the live heap for `--max-memory` (`limits.rs`).
#[global_allocator]
static ALLOCATOR: limits::Counting = limits::Counting;

fn main() -> ExitCode {
    match run(std::env::args_os().skip(1).collect()) {
        Ok(code) => code,
        Err(message) => {
            // One line, whatever the underlying error said.
            let line = message.split_whitespace().collect::<Vec<_>>().join(" ");
            say(&line);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run(argv: Vec<std::ffi::OsString>) -> Result<ExitCode, String> {
    match args::parse(argv)? {
        Command::Print(text) => {
            write_stdout(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions(shell) => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut args::command(), "backlens", &mut script);
            write_stdout(&String::from_utf8_lossy(&script))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Analyze(a) => run_analyze(a),
        Command::Lsp => lsp::run(),
        Command::Model(m) => run_model(m),
        Command::ModelHelp(rule) => {
            write_stdout(&model_help(rule.as_deref())?)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The parameters: defaults, then `backlens.toml` (the nearest to the first PATH, or
/// `--config`), then each `--args` string, then the explicit flags, then `--set`, in order.
fn resolve_params(
    a: &AnalyzeArgs,
    measurements: &[backlens_core::measure::Measurement],
) -> Result<(Params, config::Report), String> {
    let mut params = Params::default();
    let mut report = config::Report::default();
    let config = match &a.config {
        Some(file) => Some(file.clone()),
        None if a.no_config => None,
        None => a.paths.first().and_then(|p| config::find(std::path::Path::new(p))),
    };
    if let Some(file) = config {
        config::apply(&file, &mut params, &mut report)?;
    }
    for text in &a.param_strings {
        params.apply_args(text).map_err(|e| e.to_string())?;
    }
    for (name, value) in &a.param_flags {
        params.set(name, value).map_err(|e| e.to_string())?;
    }
    // Measured spans calibrate the models; an explicit --set still wins.
    for (name, value, source) in backlens_core::measure::calibration(measurements) {
        params.set_cost(name, &value.to_string(), &source).map_err(|e| e.to_string())?;
    }
    for (name, value) in &a.settings {
        params.set_cost(name, value, "--set").map_err(|e| e.to_string())?;
    }
    if let Some(url) = &a.docs_url {
        report.docs_url = Some(url.clone());
    }
    Ok((params, report))
}

fn run_analyze(a: AnalyzeArgs) -> Result<ExitCode, String> {
    if let Some(n) = a.threads {
        backlens_core::par::set_threads(n);
    }
    let mut measurements = Vec::new();
    for file in &a.measurements {
        let name = file.display().to_string();
        let text =
            std::fs::read_to_string(file).map_err(|e| format!("cannot read {name}: {}", walk::io_message(&e)))?;
        measurements.push(backlens_core::measure::parse(&name, &text)?);
    }
    let (params, output) = resolve_params(&a, &measurements)?;
    // Warnings are printed once the output is written, so that an error stays one line.
    let (inputs, mut warnings) = walk::collect(&a.paths)?;
    if inputs.is_empty() {
        return Err(format!("no JavaScript or TypeScript files found in {}", a.paths.join(", ")));
    }

    let mut files = Vec::with_capacity(inputs.len());
    for input in &inputs {
        let bytes = std::fs::read(&input.path)
            .map_err(|e| format!("cannot read {}: {}", input.display, walk::io_message(&e)))?;
        files.push(SourceFile::from_bytes(input.display.clone(), bytes));
    }
    if a.verbose {
        say(&format!("parameters: {}", params.to_args()));
        let threads = backlens_core::par::threads();
        say(&format!("threads: {threads}"));
        say(&format!("reading {} file{}", files.len(), if files.len() == 1 { "" } else { "s" }));
        for input in &inputs {
            say(&format!("  {}", input.display));
        }
    }

    // Read before the analysis, so that a bad baseline is an error before any work.
    let baseline = match &a.baseline {
        Some(path) => Some(baseline_file::read(path)?),
        None => None,
    };
    let sources = a.fix.map(|_| files.clone());
    let mut analysis = match limits::analyze(files, params.clone(), a.limits)? {
        limits::Outcome::Done(analysis, times) => {
            if a.verbose {
                say(&format!("phases: {}", limits::phase_times(&times)));
            }
            analysis
        }
        limits::Outcome::Stopped(exceeded) => {
            say(&exceeded.message());
            return Ok(ExitCode::from(EXIT_STOPPED));
        }
    };
    if let (Some(mode), Some(sources)) = (a.fix, sources) {
        let (fixed, lines) = fix::run(mode, &inputs, sources, analysis, &params)?;
        (analysis, warnings) = (fixed, [warnings, lines].concat());
    }
    if let Some(path) = &a.write_baseline {
        baseline_file::write(path, &analysis)?;
    }
    if let Some(baseline) = &baseline {
        backlens_core::baseline::apply(&mut analysis, baseline);
        warnings.extend(backlens_core::baseline::summary_lines(&analysis));
    }
    for m in backlens_core::measure::attach(&mut analysis, &measurements) {
        let what = if m.route.is_empty() {
            "the whole run".to_string()
        } else {
            format!("{} {}", m.method.as_deref().unwrap_or("*"), m.route)
        };
        warnings.push(format!("warning: {}: measured {what} matches no endpoint (not shown)", m.source));
    }
    for status in &analysis.files {
        if let Some(err) = &status.error {
            let message = err.message.split_whitespace().collect::<Vec<_>>().join(" ");
            warnings
                .push(format!("warning: {}:{}:{}: {message} (file not analysed)", status.path, err.line, err.column));
        }
    }
    for n in &analysis.notices {
        warnings.push(format!("warning: {}:{}:{}: {}", n.file, n.line, n.column, n.message));
    }
    if a.verbose && !analysis.suppressed.is_empty() {
        let n = analysis.suppressed.len();
        warnings.push(format!("{n} finding{} silenced by backlens-ignore comments", if n == 1 { "" } else { "s" }));
    }

    let (budget_lines, over_budget) = match a.fail_on_budget {
        true => budgets::check(&analysis, &output.budgets, baseline.as_ref(), &params)?,
        false => (Vec::new(), false),
    };

    // Without --format: the compact listing for a person at a terminal, the report for a
    // file or a pipe.
    let format = a.format.unwrap_or_else(|| {
        if a.output.is_none() && io::IsTerminal::is_terminal(&io::stdout()) {
            Format::Text
        } else {
            Format::Markdown
        }
    });
    let mut text = match format {
        Format::Json => report::json(&analysis),
        Format::Text => report::text(&analysis),
        Format::Github => report::github(&analysis),
        Format::Sarif => {
            report::sarif_with_docs(&analysis, output.docs_url.as_deref().unwrap_or(report::DEFAULT_DOCS_URL))
        }
        Format::Markdown => {
            // The project's package.json (nearest to the first PATH) gives framework versions
            // and the Node.js range; without one the report says the versions are unknown.
            let package_json = a
                .paths
                .first()
                .and_then(|p| config::find_upward(std::path::Path::new(p), "package.json"))
                .and_then(|file| std::fs::read_to_string(file).ok());
            let ctx = ReportContext { title: title::report_title(&a.paths), date: date::today_utc(), package_json };
            report::markdown(&analysis, &params, &ctx)
        }
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    match &a.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| format!("cannot write {}: {}", walk::display_path(path), walk::io_message(&e)))?,
        None => write_stdout(&text)?,
    }
    for w in &warnings {
        say(w);
    }
    // What the analysis understood: silence must not read as a clean bill of health.
    say(&format!("coverage: {}", analysis.coverage.summary()));

    for line in &budget_lines {
        say(line);
    }
    if let Some(threshold) = a.fail_on {
        let failing = analysis.findings.iter().filter(|f| f.severity >= threshold).count();
        if failing > 0 {
            let s = if failing == 1 { "" } else { "s" };
            say(&format!("{failing} finding{s} at or above severity {threshold} (--fail-on {threshold})"));
            return Ok(ExitCode::from(EXIT_FINDINGS));
        }
    }
    if over_budget {
        return Ok(ExitCode::from(EXIT_FINDINGS));
    }
    Ok(ExitCode::SUCCESS)
}

/// `backlens model RULE --set …`: one rule's cost model with the user's parameters.
fn run_model(m: ModelArgs) -> Result<ExitCode, String> {
    let mut params = Params::default();
    if let Some(load) = &m.load_profile {
        params.set("load_profile", load).map_err(|e| e.to_string())?;
    }
    let estimate = backlens_core::cost::whatif::evaluate(&m.rule, params.load_profile, &m.settings)?;
    let text = match m.format {
        ModelFormat::Json => {
            let value =
                serde_json::json!({ "rule": m.rule, "load_profile": params.load_profile, "estimate": estimate });
            serde_json::to_string_pretty(&value).map_err(|e| e.to_string())? + "\n"
        }
        ModelFormat::Markdown => report::estimate_markdown(&m.rule, params.load_profile, &estimate),
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The rules with a cost model, or the parameters of `rule`'s model.
fn model_help(rule: Option<&str>) -> Result<String, String> {
    use backlens_core::cost::whatif;
    match rule {
        None => Ok(format!(
            "usage: backlens model RULE [--set NAME=VALUE]... [--load-profile LOAD] [--format markdown|json]\n\nRules with a cost model:\n{}\n\n`backlens model RULE --help` lists a model's parameters.\n",
            whatif::rules().iter().map(|r| format!("  {r}")).collect::<Vec<_>>().join("\n")
        )),
        Some(rule) => match whatif::describe(rule) {
            Some(lines) => Ok(format!(
                "usage: backlens model {rule} [--set NAME=VALUE]...\n\nParameters:\n{}\n",
                lines.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
            )),
            None => Err(format!("no cost model for `{rule}`: expected one of {}", whatif::rules().join(", "))),
        },
    }
}

/// Runs the analysis on a thread with a large stack, so that no accepted input can exhaust it.
pub(crate) fn analyze_with_room(files: Vec<SourceFile>, params: Params) -> Result<backlens_core::Analysis, String> {
    match limits::analyze(files, params, limits::Limits::default())? {
        limits::Outcome::Done(analysis, _) => Ok(analysis),
        limits::Outcome::Stopped(exceeded) => Err(exceeded.message()),
    }
}

/// One line on standard error, `backlens: ` first. Lines quote paths and code, so they go
/// through `report::printable`: one line each, no terminal escape, no CI runner command.
fn say(line: &str) {
    eprintln!("backlens: {}", report::printable(line));
}

/// Writes to standard output; a closed pipe (`backlens … | head`) is not an error.
fn write_stdout(text: &str) -> Result<(), String> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write to standard output: {}", walk::io_message(&e))),
    }
}
