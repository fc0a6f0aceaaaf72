//! `--fail-on-budget`: the endpoints over their `[budgets]` (backlens.toml) or over the
//! queries their baseline recorded (`backlens_core::budget`), as lines for standard error.

use backlens_core::baseline::Baseline;
use backlens_core::budget::{self, Budget};
use backlens_core::cost::Profile;
use backlens_core::{Analysis, Params};

/// The lines to print and whether any endpoint is over; an error when there is nothing to
/// check against.
pub fn check(
    analysis: &Analysis,
    budgets: &[Budget],
    baseline: Option<&Baseline>,
    params: &Params,
) -> Result<(Vec<String>, bool), String> {
    if budgets.is_empty() && baseline.is_none_or(|b| b.endpoints.is_empty()) {
        return Err("--fail-on-budget: no [budgets] table in backlens.toml and no --baseline with endpoint figures (write one with --write-baseline)".into());
    }
    let over = budget::check(analysis, budgets, baseline, &Profile::for_params(params));
    let simulated = analysis.endpoints.iter().filter(|e| e.trace.as_ref().is_some_and(|t| t.before.is_some())).count();
    let mut lines: Vec<String> = over.iter().flat_map(|o| o.lines()).collect();
    let endpoints: std::collections::BTreeSet<&str> = over.iter().map(|o| o.endpoint.as_str()).collect();
    lines.push(if over.is_empty() {
        format!("budgets: {simulated} simulated endpoint{} within budget", if simulated == 1 { "" } else { "s" })
    } else {
        let n = endpoints.len();
        format!("budgets: {n} endpoint{} over budget (--fail-on-budget)", if n == 1 { "" } else { "s" })
    });
    Ok((lines, !over.is_empty()))
}
