//! What every analysis target checks besides "no panic": the reports are written, the JSON
//! is valid, and every finding's range lies inside its file.

use backlens_core::report::{self, ReportContext};
use backlens_core::{Analysis, Params, SourceFile};

#[allow(dead_code)] // analyze_file only
pub const EXTENSIONS: [&str; 8] = ["js", "ts", "tsx", "jsx", "mjs", "cjs", "mts", "cts"];

pub fn check(files: &[SourceFile], params: &Params, package_json: Option<String>) -> Analysis {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(let_swc_debug_assertions_unwind);
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

/// libFuzzer's panic hook (libfuzzer-sys) aborts on every panic before it unwinds, so the
/// `catch_unwind` around swc's parser (`core/src/parse.rs`: a debug assertion of swc that
/// fails on broken input makes the file a parse error) never ran under the fuzzer, and every
/// run stopped at once on that known assertion. This hook lets exactly that case unwind: a
/// panic at a `debug_assert` of swc_ecma_parser's own source (read at the panic's location;
/// release builds, the CLI's and the wasm module's, have no debug assertions). Any other panic
/// aborts as before, and so does that one if core did not catch it (libfuzzer-sys aborts when
/// a panic leaves the target).
fn let_swc_debug_assertions_unwind() {
    let fuzzer_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let swc_debug_assertion = info.location().is_some_and(|at| {
            at.file().contains("/swc_ecma_parser-")
                && std::fs::read_to_string(at.file()).is_ok_and(|source| {
                    source.lines().nth(at.line() as usize - 1).is_some_and(|line| line.contains("debug_assert"))
                })
        });
        if !swc_debug_assertion {
            fuzzer_hook(info);
        }
    }));
}
