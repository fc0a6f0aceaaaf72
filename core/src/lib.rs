//! backlens-core: reads Node.js backend code and finds what makes it slow.
//!
//! The flow is `sources → parse → model → rules → cost → report`:
//! - [`parse`] turns each [`SourceFile`] into an swc AST or a [`FileError`]; it never panics
//!   and refuses input that would exhaust the stack;
//! - [`model`] builds one [`model::Program`] from all parsed files: frameworks, apps, routes,
//!   functions, classified call sites and which functions are on which request path;
//! - [`rules`] walk the program and produce [`Finding`]s, each priced by a [`cost`] model;
//! - [`report`] writes the JSON contract and the Markdown "Backend Optimization Report".
//!
//! This crate is pure: no I/O, no clock, no browser. Callers pass file contents in and the
//! date for the report.

pub mod analysis;
pub mod baseline;
pub mod budget;
pub mod cost;
pub mod fix;
pub mod measure;
pub mod model;
pub mod par;
pub mod params;
pub mod parse;
pub mod progress;
pub mod report;
pub mod rules;
#[cfg(feature = "share")]
pub mod share;
pub mod source;
pub mod suppress;
mod syntax;

pub use analysis::{
    Analysis, Coverage, Endpoint, Estimate, FileError, FileStatus, Finding, Metric, Notice, Parameter, Suppressed, FORMAT_VERSION,
};
pub use params::{Category, EndpointPattern, LoadProfile, ParamError, Params, Severity, Target};
pub use source::{is_source_path, SourceFile};

/// Analyses the given files as one program under `params`.
///
/// Files that cannot be read or parsed are listed with their error; the others are
/// analysed. Findings are filtered by `params.target` and `params.endpoints` (app-level
/// findings always pass the endpoint filter), never by priority: every finding is returned
/// with its severity, and the report decides what to show in full.
pub fn analyze(files: &[SourceFile], params: &Params) -> Analysis {
    match analyze_observed(files, params, &mut |_| std::ops::ControlFlow::Continue(())) {
        Ok(analysis) => analysis,
        Err(stopped) => unreachable!("an observer that never stops stopped: {stopped}"),
    }
}

/// [`analyze`], telling `observe` each step before it runs (every file of the per-file
/// phases, every program-wide phase and rule: [`progress`]); when `observe` breaks, the
/// analysis stops there and says where.
pub fn analyze_observed(
    files: &[SourceFile],
    params: &Params,
    observe: &mut progress::Observer<'_>,
) -> Result<Analysis, progress::Stopped> {
    use progress::{step, Phase};
    let mut paths = std::collections::HashSet::new();
    // A path seen before is a duplicate (decided in order, before the files are parsed on
    // all cores: `par`).
    let first: Vec<bool> = files.iter().map(|f| paths.insert(f.path.as_str())).collect();
    let parsed: Vec<parse::Parsed> = par::try_map(
        files,
        observe,
        |i, f| progress::file(Phase::Parse, &f.path, i, files.len()),
        |i, f| if first[i] { parse::parse(f) } else { parse::duplicate(f) },
    )?;
    let program = model::Program::build_observed(&parsed, observe)?;
    let mut findings = rules::run_observed(&program, params, observe)?;
    findings.retain(|f| {
        f.endpoint.as_deref().is_none_or(|label| {
            let (method, path) = label.split_once(' ').unwrap_or(("ALL", label));
            params.endpoint_selected(method, path)
        })
    });
    findings.sort_by(|a, b| (&a.file, a.line, a.column, a.rule).cmp(&(&b.file, b.line, b.column, b.rule)));
    step(observe, progress::whole(Phase::Suppress))?;
    let (findings, suppressed, notices) = suppress::apply(&parsed, &program.unreported(), params, findings);
    step(observe, progress::whole(Phase::Traces))?;
    let mut endpoints = program.endpoints();
    let traces = cost::trace::traces(&program, &findings, &cost::Profile::for_params(params));
    for (e, t) in endpoints.iter_mut().zip(traces) {
        e.trace = Some(t);
    }
    step(observe, progress::whole(Phase::Coverage))?;
    let frameworks = program.frameworks();
    Ok(Analysis {
        version: FORMAT_VERSION,
        framework: frameworks.first().cloned(),
        frameworks,
        files: parsed.iter().map(|p| FileStatus { path: p.path.clone(), error: p.error.clone() }).collect(),
        endpoints,
        findings,
        suppressed,
        notices,
        coverage: analysis::Coverage { rules_not_run: rules::not_run(params), ..model::coverage::coverage(&program) },
        baseline: None,
        measured: Vec::new(),
    })
}
