//! Rules: one file per rule, each with its documentation, metadata, detection and tests.
//!
//! A rule reads the [`Program`] (never the raw files), and reports [`Finding`]s through
//! [`Context::finding`], which fills in positions, the endpoint, and the user's own lines.

mod accumulating_spread;
mod await_in_loop;
mod blocking_call_in_handler;
mod cache_audience;
mod cache_without_invalidation;
mod caching;
pub(crate) mod concurrency;
mod connection_per_request;
mod cpu_heavy_handler;
pub(crate) mod global_heavy_middleware;
mod json_deep_clone;
mod lazy_include;
mod literal_awaits;
mod library_api;
mod memoization_candidate;
mod missing_compression;
mod missing_metrics;
mod missing_rate_limit;
mod missing_response_cache;
mod n_plus_one_query;
mod quadratic_lookup;
mod scan;
mod sequential_awaits;
mod slow_json_serialization;
mod sort_in_loop;
mod top_k_full_sort;
mod unbounded_memory_cache;
mod unbounded_parallelism;
mod unbounded_query;

use crate::analysis::{Estimate, Finding};
use crate::cost::Profile;
use crate::model::index::Index;
use crate::model::{FileId, FunctionId, Program};
use crate::params::{Category, Params, Severity};
use swc_common::Span;

/// A rule's identity and documentation.
pub struct RuleMeta {
    /// kebab-case id, e.g. `n-plus-one-query`.
    pub id: &'static str,
    pub category: Category,
    /// One line: what it finds.
    pub summary: &'static str,
    /// Markdown: what it finds, why it is slow, an example before/after, what it leaves alone.
    pub docs: &'static str,
    /// The cost model that prices its findings.
    pub model: &'static str,
}

/// `Sync`: the rules run on all cores (`crate::par`).
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, ctx: &Context, out: &mut Vec<Finding>);
}

/// Every rule, in the order of the spec's table.
pub fn all() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(n_plus_one_query::NPlusOneQuery),
        Box::new(unbounded_query::UnboundedQuery),
        Box::new(missing_compression::MissingCompression),
        Box::new(missing_rate_limit::MissingRateLimit),
        Box::new(slow_json_serialization::SlowJsonSerialization),
        Box::new(global_heavy_middleware::GlobalHeavyMiddleware),
        Box::new(connection_per_request::ConnectionPerRequest),
        Box::new(missing_metrics::MissingMetrics),
        Box::new(quadratic_lookup::QuadraticLookup),
        Box::new(top_k_full_sort::TopKFullSort),
        Box::new(sort_in_loop::SortInLoop),
        Box::new(accumulating_spread::AccumulatingSpread),
        Box::new(json_deep_clone::JsonDeepClone),
        Box::new(memoization_candidate::MemoizationCandidate),
        Box::new(sequential_awaits::SequentialAwaits),
        Box::new(await_in_loop::AwaitInLoop),
        Box::new(unbounded_parallelism::UnboundedParallelism),
        Box::new(blocking_call_in_handler::BlockingCallInHandler),
        Box::new(cpu_heavy_handler::CpuHeavyHandler),
        Box::new(missing_response_cache::MissingResponseCache),
        Box::new(cache_without_invalidation::CacheWithoutInvalidation),
        Box::new(unbounded_memory_cache::UnboundedMemoryCache),
    ]
}

/// The metadata of every rule.
pub fn catalog() -> Vec<&'static RuleMeta> {
    all().iter().map(|r| r.meta()).collect()
}

/// Rules that are off by default, with why: a rule whose precision in a blind review on code
/// nobody here tuned for (docs/evaluation.md, "Blind set") is under 80 % does not run under
/// the default `target:"all"` until it gets there, the way oxlint keeps `pedantic` off and
/// Biome ships new rules in `nursery`. It still runs by name (`rules:"id"`, `--rules id`,
/// `[params] rules` in backlens.toml) or when its category is the target.
const OFF_BY_DEFAULT: &[(&str, &str)] = &[];

/// Why the rule `id` is off by default, or `None` when it is on.
pub fn off_by_default(id: &str) -> Option<&'static str> {
    OFF_BY_DEFAULT.iter().find(|(rule, _)| *rule == id).map(|(_, why)| *why)
}

/// Runs the rules selected by `params.target` and returns their findings on the selected
/// endpoints.
pub fn run(program: &Program, params: &Params) -> Vec<Finding> {
    match run_observed(program, params, &mut |_| std::ops::ControlFlow::Continue(())) {
        Ok(findings) => findings,
        Err(stopped) => unreachable!("an observer that never stops stopped: {stopped}"),
    }
}

/// [`run`], telling `observe` each rule before it runs ([`crate::progress`]).
pub fn run_observed(
    program: &Program,
    params: &Params,
    observe: &mut crate::progress::Observer<'_>,
) -> Result<Vec<Finding>, crate::progress::Stopped> {
    use crate::progress::{Phase, Step};
    let ctx = Context { program, params, profile: Profile::for_params(params), index: Index::new(program) };
    let rules: Vec<_> = all().into_iter().filter(|r| params.runs_rule(r.meta().id, r.meta().category)).collect();
    // Each rule on its own core (`crate::par`), their findings in the rules' order.
    let found = crate::par::try_map(
        &rules,
        observe,
        |index, rule| Step { phase: Phase::Rule, file: None, rule: Some(rule.meta().id), index, count: rules.len() },
        |_, rule| {
            let mut out = Vec::new();
            rule.check(&ctx, &mut out);
            out
        },
    )?;
    let mut out: Vec<Finding> = found.into_iter().flatten().collect();
    // Tests and browser assets are analysed (they may import the app) but are not the
    // served backend: their findings are not the backend's (see model::roles).
    let unreported = program.unreported();
    if !unreported.is_empty() {
        out.retain(|f| !unreported.contains(f.file.as_str()));
    }
    Ok(out)
}

/// Where a finding stands relative to the request paths and the `endpoints` filter.
pub enum Placement {
    /// On the request path of a selected route (the first one), and of `others` more.
    Endpoint { label: String, others: usize },
    /// Not reached from any route: start-up code, scripts, unused helpers.
    Offline,
    /// Not reported: on request paths none of which `endpoints` selects, or in code that runs
    /// once (a migration, a seed, a script, a dev-only block).
    Filtered,
}

pub struct Context<'p> {
    pub program: &'p Program<'p>,
    pub params: &'p Params,
    pub profile: Profile,
    /// The program's indexes, built once for all rules: what a rule asks per route or per
    /// function is looked up, not searched for.
    pub index: Index<'p>,
}

impl Context<'_> {
    /// The endpoint a finding in `function` is reported on. Code in a file that runs once
    /// (migrations, seeds, scripts, a set-up wizard: `model::once`) and routes registered in
    /// one are not request paths.
    pub fn placement(&self, function: Option<FunctionId>) -> Placement {
        let once = &self.program.once;
        // One-off code (migrations, seeds, scripts) is no request path: what it does once is
        // not a finding (the blind reviews judged every such finding false or minor); the
        // coverage counts those files.
        if function.is_some_and(|f| once.file_once(self.program.functions[f].file)) {
            return Placement::Filtered;
        }
        let routes: Vec<usize> = self
            .program
            .routes_reaching(function)
            .iter()
            .copied()
            .filter(|&r| !once.file_once(self.program.routes[r].file))
            .collect();
        if routes.is_empty() {
            return if self.params.endpoints.is_empty() { Placement::Offline } else { Placement::Filtered };
        }
        let selected: Vec<&crate::model::Route> = routes
            .iter()
            .map(|&r| &self.program.routes[r])
            .filter(|r| self.params.endpoint_selected(&r.method, &r.path))
            .collect();
        match selected.first() {
            Some(r) => Placement::Endpoint { label: r.label(), others: routes.len() - 1 },
            None => Placement::Filtered,
        }
    }

    /// [`Context::placement`] of a finding at `span` of `file` in `function`: off any endpoint
    /// inside a dev-only block (`if (process.env.NODE_ENV !== 'production')`).
    pub fn placement_at(&self, file: FileId, span: Span, function: Option<FunctionId>) -> Placement {
        if self.program.once.dev_only_at(file, span) {
            return Placement::Filtered;
        }
        self.placement(function)
    }

    /// The whole lines covering `span`, as written.
    pub fn lines(&self, file: FileId, span: Span) -> String {
        let f = self.program.file(file);
        let (first, _) = f.position(span.lo);
        let (last, _) = f.position(span.hi);
        f.lines.lines(&f.text, first, last).to_string()
    }

    /// Builds a finding at `span`.
    #[allow(clippy::too_many_arguments)]
    pub fn finding(
        &self,
        meta: &'static RuleMeta,
        file: FileId,
        span: Span,
        severity: Severity,
        endpoint: Option<String>,
        message: String,
        estimate: Estimate,
        before: String,
        after: String,
    ) -> Finding {
        let f = self.program.file(file);
        let (line, column) = f.position(span.lo);
        let (end_line, end_column) = f.position(span.hi);
        let fingerprint = crate::baseline::of_span(self.program, &self.index, file, span, meta.id, endpoint.as_deref());
        Finding {
            rule: meta.id,
            category: meta.category,
            severity,
            file: f.path.clone(),
            line,
            column,
            end_line,
            end_column,
            endpoint,
            message,
            estimate,
            before,
            after,
            fingerprint,
            safe_fix: false,
        }
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Fixture helpers shared by the rules' tests.
    use crate::{analyze, Params, SourceFile};

    /// `line:column rule [endpoint] severity` for each finding of `files` under `params`.
    pub fn findings(files: &[(&str, &str)], params: &Params) -> Vec<String> {
        let sources: Vec<SourceFile> = files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect();
        let analysis = analyze(&sources, params);
        for f in &analysis.files {
            assert!(f.error.is_none(), "{}: {:?}", f.path, f.error);
        }
        analysis
            .findings
            .iter()
            .map(|f| {
                format!(
                    "{}:{}:{} {} [{}] {}",
                    f.file,
                    f.line,
                    f.column,
                    f.rule,
                    f.endpoint.as_deref().unwrap_or("-"),
                    f.severity
                )
            })
            .collect()
    }

    /// The findings of one rule on `files` under `params`.
    pub fn rule_findings(rule: &str, files: &[(&str, &str)], params: &Params) -> Vec<crate::analysis::Finding> {
        let sources: Vec<SourceFile> = files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect();
        analyze(&sources, params).findings.into_iter().filter(|f| f.rule == rule).collect()
    }

    /// Parses `code` as a module and panics with the error when it does not parse.
    pub fn assert_parses(code: &str) {
        let p =
            crate::parse::parse(&SourceFile::new("rewrite.js", format!("async function __rewrite() {{\n{code}\n}}")));
        assert!(p.error.is_none(), "rewrite does not parse: {:?}\n{code}", p.error);
    }
}
