//! `--format text`: one line per finding, `path:line:col severity rule message`, then one
//! summary line — the compact listing a terminal, `grep` and editors' "jump to error" expect
//! (the `file:line:col` prefix is what compilers and linters print).
//!
//! File paths and messages come from the analysed code, so each line goes through
//! [`printable`]: whatever a path or a route contains, a finding stays one line, no terminal
//! escape sequence reaches the terminal, and no line is a CI runner's command (the CLI's
//! standard-error lines go through it too).

use crate::analysis::{Analysis, Finding};
use crate::params::Severity;

/// One line per finding, in the analysis's order (file, line, column), then the summary.
pub fn text(analysis: &Analysis) -> String {
    let mut out = String::new();
    for f in &analysis.findings {
        out.push_str(&line(f));
        out.push('\n');
    }
    out.push_str(&summary(analysis));
    out.push('\n');
    out
}

/// `src/routes/users.js:7:20 high n-plus-one-query Post.findAll runs once per user …`
pub fn line(f: &Finding) -> String {
    printable(&format!("{}:{}:{} {} {} {}", f.file, f.line, f.column, f.severity, f.rule, one_line(&f.message)))
}

/// One line of text that a terminal shows as it is and a CI runner reads as a log line:
/// - control characters (C0 with line breaks and tabs, DEL, C1: what starts a terminal escape
///   sequence such as ESC `[2J`) and the bidirectional controls that reorder what is shown
///   (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, "Trojan Source") are written as
///   `\u{1b}`;
/// - GitHub's runner reads a line that starts with `::` (after spaces) as a workflow command,
///   and one that contains `##[` anywhere as a legacy command (`##[add-mask]`,
///   `##[stop-commands]`): a leading `::` is written `\u{3a}:`, `##[` as `\u{23}#[`.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut leading = true;
    for (i, &c) in chars.iter().enumerate() {
        let command = (leading && c == ':' && chars.get(i + 1) == Some(&':'))
            || (c == '#' && chars.get(i + 1) == Some(&'#') && chars.get(i + 2) == Some(&'['));
        if hidden(c) || command {
            out.push_str(&escaped(c));
        } else {
            out.push(c);
        }
        leading &= c == ' ';
    }
    out
}

/// `3 findings (1 critical, 2 high) in 4 files; 1 silenced by backlens-ignore comments; 13 rules
/// off by default not run (--rules all); 1 file not analysed`
pub fn summary(analysis: &Analysis) -> String {
    let n = analysis.findings.len();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut s = plural(n, "finding");
    let by_severity: Vec<String> = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low]
        .into_iter()
        .filter_map(|sev| {
            let count = analysis.findings.iter().filter(|f| f.severity == sev).count();
            (count > 0).then(|| format!("{count} {sev}"))
        })
        .collect();
    if !by_severity.is_empty() {
        s.push_str(&format!(" ({})", by_severity.join(", ")));
    }
    s.push_str(&format!(" in {}", plural(analysis.files.len(), "file")));
    if !analysis.suppressed.is_empty() {
        s.push_str(&format!("; {} silenced by backlens-ignore comments", analysis.suppressed.len()));
    }
    let off = analysis.coverage.rules_not_run.len();
    if off > 0 {
        s.push_str(&format!("; {} off by default not run (--rules all)", plural(off, "rule")));
    }
    if let Some(b) = &analysis.baseline {
        s.push_str(&format!("; {} in the baseline", plural(b.known, "more finding")));
        if !b.gone.is_empty() {
            s.push_str(&format!(
                ", {} of its {} gone",
                b.gone.len(),
                if b.gone.len() == 1 { "entry" } else { "entries" }
            ));
        }
    }
    let unparsed = analysis.files.iter().filter(|f| f.error.is_some()).count();
    if unparsed > 0 {
        s.push_str(&format!("; {} not analysed (parse errors)", plural(unparsed, "file")));
    }
    s
}

/// A character a terminal does not show as itself: a control character (C0, DEL, C1) or a
/// bidirectional control.
pub(crate) fn hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `\u{1b}`
pub(crate) fn escaped(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

/// Whitespace runs (newlines included) as one space.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyze, Params, SourceFile};

    #[test]
    fn one_line_per_finding_then_the_summary() {
        let code = "app.get('/u', async (req, res) => {\n  const users = await User.findAll();\n  for (const u of users) {\n    u.posts = await Post.findAll({ where: { userId: u.id } });\n  }\n  res.json(users);\n});\n";
        let a = analyze(&[SourceFile::new("src/users.js", code)], &Params::all_rules());
        let out = text(&a);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), a.findings.len() + 1, "{out}");
        let n1 = lines.iter().find(|l| l.contains(" n-plus-one-query ")).expect("the N+1");
        assert!(n1.starts_with("src/users.js:4:"), "{n1}");
        assert!(lines.last().unwrap().starts_with(&format!("{} finding", a.findings.len())), "{out}");
        assert!(lines.last().unwrap().ends_with("in 1 file"), "{out}");
    }

    #[test]
    fn printable_text_stays_one_plain_line_and_runs_no_command() {
        assert_eq!(printable("src/app.js:3:1 high rule msg"), "src/app.js:3:1 high rule msg");
        assert_eq!(printable("a\nb\r\tc"), "a\\u{a}b\\u{d}\\u{9}c");
        assert_eq!(printable("\u{1b}[2Jx\u{9b}y\u{7f}"), "\\u{1b}[2Jx\\u{9b}y\\u{7f}");
        assert_eq!(printable("evil\u{202e}gnp.js"), "evil\\u{202e}gnp.js");
        assert_eq!(printable("  ::error::x a::b"), "  \\u{3a}:error::x a::b");
        assert_eq!(printable("src/##[add-mask]x ## [ #"), "src/\\u{23}#[add-mask]x ## [ #");
        assert_eq!(printable("###["), "#\\u{23}#[");
        // Other text, including every other non-ASCII character, is kept.
        assert_eq!(printable("café ünïcödé — 日本 🚀 %0A"), "café ünïcödé — 日本 🚀 %0A");
    }

    #[test]
    fn nothing_found_is_one_summary_line() {
        let a = analyze(&[SourceFile::new("a.js", "export const x = 1;\n")], &Params::all_rules());
        assert_eq!(text(&a), "0 findings in 1 file\n");
    }
}
