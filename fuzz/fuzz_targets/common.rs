//! What every analysis target checks besides "no panic": the reports are written, the JSON
//! is valid, and every finding's range lies inside its file.

use backlens_core::report::{self, ReportContext};
use backlens_core::{Analysis, Params, SourceFile};

#[allow(dead_code)] // analyze_file only
pub const EXTENSIONS: [&str; 8] = ["js", "ts", "tsx", "jsx", "mjs", "cjs", "mts", "cts"];

pub fn check(files: &[SourceFile], params: &Params, package_json: Option<String>) -> Analysis {
    let analysis = backlens_core::analyze(files, params);
    let json = report::json(&analysis);
    serde_json::from_str::<serde_json::Value>(&json).expect("the JSON report parses");
    let _ = report::sarif(&analysis);
    let ctx = ReportContext { title: "fuzz".into(), date: "2026-12-03".into(), package_json };
    let _ = report::markdown(&analysis, params, &ctx);
    for f in analysis.findings.iter().chain(analysis.suppressed.iter().map(|s| &s.finding)) {
        let file = files.iter().find(|s| s.path == f.file).expect("a finding's file was analysed");
        let text = String::from_utf8_lossy(&file.bytes);
        let lines = text.split('\n').count() as u32;
        assert!(f.line >= 1 && f.end_line <= lines && (f.line, f.column) <= (f.end_line, f.end_column), "{f:?}");
        assert!(f.column >= 1, "{f:?}");
    }
    analysis
}
