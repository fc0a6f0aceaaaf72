use crate::{Analysis, Params};

/// What the report needs that the analysis does not know.
#[derive(Clone, Debug, Default)]
pub struct ReportContext {
    /// What was analysed, for the title: a project name, a path, or "pasted code".
    pub title: String,
    /// The report's date, `YYYY-MM-DD` (core has no clock).
    pub date: String,
}

/// The Backend Optimization Report, in the seed's "Output Format" structure.
pub fn markdown(analysis: &Analysis, params: &Params, ctx: &ReportContext) -> String {
    let _ = (analysis, params);
    format!("# Backend Optimization Report: {}\n\n**Optimization Date**: {}\n", ctx.title, ctx.date)
}
