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

/// Every rule, in the order of the spec's table: one list that makes both [`all`] (the rules,
/// to run) and [`catalog`] (their metadata only, so that code which lists rules — the
/// playground's page, the rules reference — does not link every rule's `check`: the page's
/// WebAssembly is 373 KiB smaller for it).
macro_rules! rules {
    ($($rule:path),* $(,)?) => {
        /// Every rule, in the order of the spec's table.
        pub fn all() -> Vec<Box<dyn Rule>> {
            vec![$(Box::new($rule)),*]
        }

        /// The metadata of every rule, in the same order.
        pub fn catalog() -> Vec<&'static RuleMeta> {
            vec![$(Rule::meta(&$rule)),*]
        }
    };
}

rules!(
    n_plus_one_query::NPlusOneQuery,
    unbounded_query::UnboundedQuery,
    missing_compression::MissingCompression,
    missing_rate_limit::MissingRateLimit,
    slow_json_serialization::SlowJsonSerialization,
    global_heavy_middleware::GlobalHeavyMiddleware,
    connection_per_request::ConnectionPerRequest,
    missing_metrics::MissingMetrics,
    quadratic_lookup::QuadraticLookup,
    top_k_full_sort::TopKFullSort,
    sort_in_loop::SortInLoop,
    accumulating_spread::AccumulatingSpread,
    json_deep_clone::JsonDeepClone,
    memoization_candidate::MemoizationCandidate,
    sequential_awaits::SequentialAwaits,
    await_in_loop::AwaitInLoop,
    unbounded_parallelism::UnboundedParallelism,
    blocking_call_in_handler::BlockingCallInHandler,
    cpu_heavy_handler::CpuHeavyHandler,
    missing_response_cache::MissingResponseCache,
    cache_without_invalidation::CacheWithoutInvalidation,
    unbounded_memory_cache::UnboundedMemoryCache,
);

/// The bar a rule's blind precision must reach to be on by default (PRODUCT.md).
pub const DEFAULT_BAR: u32 = 80;

/// Reviewed findings a rule needs before its blind precision decides its default.
pub const MIN_REVIEWED: u32 = 5;

/// The blind review of each rule's findings on code nobody here tuned for, over the blind and
/// held-out sets: (rule, true, minor, false), from `docs/evaluation/precision.tsv`
/// (`scripts/precision.mjs`; a test fails when the two disagree). Rules absent here had no
/// reviewed finding.
pub const BLIND_REVIEW: &[(&str, u32, u32, u32)] = &[
    ("accumulating-spread", 0, 5, 20),
    ("await-in-loop", 0, 9, 21),
    ("blocking-call-in-handler", 5, 21, 3),
    ("cache-without-invalidation", 0, 2, 2),
    ("connection-per-request", 0, 0, 1),
    ("global-heavy-middleware", 0, 2, 0),
    ("json-deep-clone", 0, 1, 0),
    ("memoization-candidate", 0, 1, 8),
    ("missing-compression", 4, 0, 1),
    ("missing-metrics", 3, 1, 2),
    ("missing-rate-limit", 8, 11, 33),
    ("missing-response-cache", 0, 8, 21),
    ("n-plus-one-query", 18, 191, 142),
    ("quadratic-lookup", 13, 91, 311),
    ("sequential-awaits", 20, 17, 3),
    ("sort-in-loop", 0, 0, 1),
    ("unbounded-memory-cache", 2, 0, 4),
    ("unbounded-parallelism", 0, 1, 0),
    ("unbounded-query", 1, 0, 18),
];

/// A rule's blind precision: findings judged true or minor among those reviewed, in percent,
/// with the number reviewed; `None` under [`MIN_REVIEWED`].
pub fn blind_precision(id: &str) -> Option<(u32, u32)> {
    let &(_, t, m, f) = BLIND_REVIEW.iter().find(|(rule, ..)| *rule == id)?;
    let n = t + m + f;
    (n >= MIN_REVIEWED).then(|| (((t + m) as f64 * 100.0 / n as f64).round() as u32, n))
}

/// Why the rule `id` is off by default, or `None` when it is on. A rule whose precision in the
/// blind review on code nobody here tuned for ([`blind_precision`]) is under [`DEFAULT_BAR`]
/// does not run under the default `target:"all"` until it gets there, the way oxlint keeps
/// `pedantic` off and Biome ships new rules in `nursery`; it still runs by name (`rules:"id"`,
/// `--rules id`, `--rules all`, `[params] rules` in backlens.toml) or when its category is the
/// target. Derived from the review table, never listed by hand: a rule comes back on when its
/// measured precision does.
pub fn off_by_default(id: &str) -> Option<String> {
    let (p, n) = blind_precision(id)?;
    (p < DEFAULT_BAR).then(|| format!("blind precision {p} % of {n} reviewed findings, under {DEFAULT_BAR} %"))
}

/// The rules off by default that `params` does not run, by id.
pub fn not_run(params: &Params) -> Vec<String> {
    catalog()
        .into_iter()
        .filter(|m| off_by_default(m.id).is_some() && !params.runs_rule(m.id, m.category))
        .map(|m| m.id.to_string())
        .collect()
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
    one_defect_one_finding(&mut out);
    // Tests and browser assets are analysed (they may import the app) but are not the
    // served backend: their findings are not the backend's (see model::roles).
    let unreported = program.unreported();
    if !unreported.is_empty() {
        out.retain(|f| !unreported.contains(f.file.as_str()));
    }
    Ok(out)
}

/// One defect, one finding (PRODUCT.md): awaits in sequence whose first and last are each an
/// `n-plus-one-query` (two queries per item of a `Promise.all(items.map(…))`, documenso's
/// `getDocumentByToken` then `getRecipientByToken`) are that N+1: batching the queries removes
/// both, so only the N+1 findings stay.
fn one_defect_one_finding(out: &mut Vec<Finding>) {
    let per_item: std::collections::HashSet<(String, u32)> =
        out.iter().filter(|f| f.rule == "n-plus-one-query").map(|f| (f.file.clone(), f.line)).collect();
    if per_item.is_empty() {
        return;
    }
    out.retain(|f| {
        f.rule != "sequential-awaits"
            || !(per_item.contains(&(f.file.clone(), f.line)) && per_item.contains(&(f.file.clone(), f.end_line)))
    });
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
        self.placement_in(function, false)
    }

    /// [`Context::placement`] for a defect that costs the shared database wherever it runs (a
    /// query per item): in a background job it is reported, off any endpoint, as low (the
    /// blind labels count an N+1 in a queue processor as a defect; its reviewers, as minor).
    pub fn placement_with_jobs(&self, function: Option<FunctionId>) -> Placement {
        self.placement_in(function, true)
    }

    fn placement_in(&self, function: Option<FunctionId>, jobs_count: bool) -> Placement {
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
        // Code a background job runs (a scheduler's or a queue's callback, a file in a jobs/
        // or queues/ folder: `model::jobs`) and no route reaches costs no request anything: the blind reviews judged such findings
        // false ("a job, not a request path").
        let background = |f: FunctionId| {
            self.program.background.get(f).copied().unwrap_or(false)
                || once.file_background(self.program.functions[f].file)
        };
        if !jobs_count && routes.is_empty() && function.is_some_and(background) {
            return Placement::Filtered;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyze, SourceFile};

    const SEED_N_PLUS_ONE: &str = "const express = require('express');\nconst app = express();\napp.get('/api/posts', async (req, res) => {\n  const posts = await Post.findAll();\n  for (const post of posts) {\n    post.author = await User.findByPk(post.userId);\n  }\n  res.json(posts);\n});\n";

    fn n_plus_ones(params: &Params) -> usize {
        let a = analyze(&[SourceFile::new("app.js", SEED_N_PLUS_ONE)], params);
        a.findings.iter().filter(|f| f.rule == "n-plus-one-query").count()
    }

    #[test]
    fn a_rule_under_the_bar_is_off_by_default_and_runs_by_name_or_by_its_category() {
        let (p, _) = blind_precision("n-plus-one-query").expect("n-plus-one-query was reviewed");
        assert!(p < DEFAULT_BAR, "this test needs a rule under the bar; n-plus-one-query is at {p} %");
        assert!(off_by_default("n-plus-one-query").is_some());
        let default = Params::default();
        assert_eq!(n_plus_ones(&default), 0);
        let a = analyze(&[SourceFile::new("app.js", SEED_N_PLUS_ONE)], &default);
        assert!(a.coverage.rules_not_run.iter().any(|r| r == "n-plus-one-query"));
        assert!(a.coverage.summary().contains("off by default not run (--rules all)"), "{}", a.coverage.summary());

        assert_eq!(n_plus_ones(&Params::all_rules()), 1);
        assert_eq!(n_plus_ones(&Params::parse_args(r#"target:"all" rules:"n-plus-one-query""#).unwrap()), 1);
        assert_eq!(n_plus_ones(&Params::parse_args(r#"target:"api""#).unwrap()), 1);
        assert!(analyze(&[SourceFile::new("app.js", SEED_N_PLUS_ONE)], &Params::all_rules()).coverage.rules_not_run.is_empty());
    }

    /// Two queries per item of a `Promise.all(map)` (documenso's multi-sign route): the defect is
    /// the N+1 (both calls); batching them removes the sequence too, so it is no second finding.
    /// Alone, sequential-awaits still reports it.
    #[test]
    fn awaits_in_sequence_that_are_each_an_n_plus_one_are_that_n_plus_one() {
        let code = "const express = require('express');\nconst app = express();\napp.post('/api/sign', async (req, res) => {\n  const envelopes = await Promise.all(\n    req.body.tokens.map(async (token) => {\n      const document = await prisma.document.findFirst({ where: { token } });\n      const recipient = await prisma.recipient.findFirst({ where: { token } });\n      return { document, recipient };\n    }),\n  );\n  res.json(envelopes);\n});\n";
        let rules = |params: &Params| -> Vec<&'static str> {
            analyze(&[SourceFile::new("app.js", code)], params).findings.iter().map(|f| f.rule).collect()
        };
        let all = rules(&Params::all_rules());
        assert_eq!(all.iter().filter(|r| **r == "n-plus-one-query").count(), 2, "{all:?}");
        assert!(!all.contains(&"sequential-awaits"), "{all:?}");
        let alone = rules(&Params::parse_args(r#"target:"algorithms" rules:"sequential-awaits""#).unwrap());
        assert!(alone.contains(&"sequential-awaits"), "{alone:?}");
    }

    #[test]
    fn the_default_follows_the_measured_precision() {
        for m in catalog() {
            let on = off_by_default(m.id).is_none();
            match blind_precision(m.id) {
                Some((p, _)) => assert_eq!(on, p >= DEFAULT_BAR, "{}", m.id),
                None => assert!(on, "{}: too few reviewed findings to switch it off", m.id),
            }
        }
    }
}
