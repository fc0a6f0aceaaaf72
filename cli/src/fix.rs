//! `--fix` / `--fix-suggestions`: applies the findings' rewrites (`backlens_core::fix`) to the
//! files on disk, says what it applied and refused on standard error, and analyses the fixed
//! files again so that the output shows what is left.

use crate::walk::{self, Input};
use backlens_core::fix::{self, Mode};
use backlens_core::{Analysis, Params, SourceFile};

/// Applies the rewrites `mode` selects, writes the changed files and returns the analysis
/// of the program as fixed, with the lines to print on standard error.
pub fn run(
    mode: Mode,
    inputs: &[Input],
    mut files: Vec<SourceFile>,
    analysis: Analysis,
    params: &Params,
) -> Result<(Analysis, Vec<String>), String> {
    let outcome = fix::apply(&files, &analysis.findings, mode);
    let mut lines = Vec::new();
    for fixed in &outcome.files {
        let input = inputs
            .iter()
            .find(|i| i.display == fixed.path)
            .ok_or_else(|| format!("cannot fix {}: no such input", fixed.path))?;
        std::fs::write(&input.path, &fixed.text)
            .map_err(|e| format!("cannot write {}: {}", input.display, walk::io_message(&e)))?;
        let what: Vec<String> = fixed
            .applied
            .iter()
            .map(|a| format!("{} (line {}{})", a.rule, a.line, if a.safe { "" } else { ", suggestion" }))
            .collect();
        lines.push(format!("fixed {}: {}", fixed.path, what.join(", ")));
        if let Some(f) = files.iter_mut().find(|f| f.path == fixed.path) {
            f.bytes = fixed.text.clone().into_bytes();
        }
    }
    for r in &outcome.refused {
        lines.push(format!("not fixed: {}:{} {}: {}", r.file, r.line, r.rule, r.reason));
    }
    let n = outcome.applied();
    let mut summary =
        format!("{n} rewrite{} applied in {} file{}", plural(n), outcome.files.len(), plural(outcome.files.len()));
    if outcome.suggestions_left > 0 {
        let s = outcome.suggestions_left;
        let what = if s == 1 { "is a suggestion" } else { "are suggestions" };
        summary.push_str(&format!("; {s} more {what} (--fix-suggestions applies them)"));
    }
    lines.push(summary);
    if outcome.files.is_empty() {
        return Ok((analysis, lines));
    }
    Ok((crate::analyze_with_room(files, params.clone())?, lines))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
