//! `--format github`: GitHub Actions workflow commands, one annotation per finding, which
//! GitHub shows on the pull request's diff and the run's summary:
//!
//! `::error file=src/users.js,line=7,col=20,endLine=7,endColumn=70,title=backlens n-plus-one-query (high)::message`
//!
//! Levels follow SARIF's: critical and high are `error`, medium `warning`, low `notice`.
//! Escaping is what GitHub's toolkit (`@actions/core`, `command.ts`) does: in the message
//! `%`, `\r`, `\n` become `%25`, `%0D`, `%0A`; in property values also `:` and `,` become
//! `%3A` and `%2C`. So the first `::` of a line is the one after the properties, whatever a
//! message contains (the runner splits there), and a file property reads back as the path.
//! Messages, endpoints and estimates quote the analysed code: they go through
//! [`super::text::printable`] first (terminal escapes, bidirectional controls and `##[`,
//! which the runner reads anywhere in a line, written as `\u{…}`). GitHub shows at most 10
//! error and 10 warning annotations per step (50 per job); the SARIF upload to code scanning
//! is the complete list.

use crate::analysis::{Analysis, Finding};
use crate::params::Severity;

/// One workflow command per finding, then the text format's summary line (a plain log line).
pub fn github(analysis: &Analysis) -> String {
    let mut out = String::new();
    for f in &analysis.findings {
        out.push_str(&annotation(f));
        out.push('\n');
    }
    for status in &analysis.files {
        if let Some(err) = &status.error {
            out.push_str(&format!(
                "::warning file={},line={},col={},title={}::{}\n",
                file_property(&status.path),
                err.line,
                err.column,
                property("backlens: file not analysed"),
                data(&format!("parse error: {}", shown(&err.message)))
            ));
        }
    }
    out.push_str(&super::text::summary(analysis));
    out.push('\n');
    out
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

/// The annotation of one finding: its range, a title naming the rule and severity, the
/// message and the estimate's summary.
pub fn annotation(f: &Finding) -> String {
    let mut message = shown(&f.message);
    if let Some(endpoint) = &f.endpoint {
        message.push_str(&format!("\nEndpoint: {}", shown(endpoint)));
    }
    if !f.estimate.summary.is_empty() {
        message.push_str(&format!("\nEstimate: {}", shown(&f.estimate.summary)));
    }
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        command(f.severity),
        file_property(&f.file),
        f.line,
        f.column,
        f.end_line,
        f.end_column,
        property(&format!("backlens {} ({})", f.rule, f.severity)),
        data(&message)
    )
}

/// User-derived text in a message: one line, printable.
fn shown(text: &str) -> String {
    super::text::printable(&super::text::one_line(text))
}

/// A command's message (`escapeData`).
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// The `file` property: the path as the runner reads it back, line breaks included, except
/// that characters a terminal would not show as themselves (an escape sequence's ESC, a
/// bidirectional override) are written `\u{1b}`: such a file gets an annotation without its
/// place in the diff, and the log no escape sequence.
fn file_property(path: &str) -> String {
    let shown: String = path
        .chars()
        .map(|c| if super::text::hidden(c) && c != '\n' && c != '\r' { super::text::escaped(c) } else { c.to_string() })
        .collect();
    property(&shown)
}

/// A property value (`escapeProperty`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyze, Params, SourceFile};

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(data("50% of a\r\nb: c, d"), "50%25 of a%0D%0Ab: c, d");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn one_annotation_per_finding_with_its_range() {
        let code = "app.get('/u', async (req, res) => {\n  const users = await User.findAll();\n  for (const u of users) {\n    u.posts = await Post.findAll({ where: { userId: u.id } });\n  }\n  res.json(users);\n});\n";
        let a = analyze(&[SourceFile::new("src/a,b.js", code)], &Params::all_rules());
        let out = github(&a);
        let n1 = a.findings.iter().find(|f| f.rule == "n-plus-one-query").expect("the N+1");
        let line = out.lines().find(|l| l.contains("n-plus-one-query")).unwrap();
        let head = format!(
            "::{} file=src/a%2Cb.js,line=4,col={},endLine=4,endColumn={},title=backlens n-plus-one-query ({})::",
            command(n1.severity),
            n1.column,
            n1.end_column,
            n1.severity
        );
        assert!(line.starts_with(&head), "{line}\n{head}");
        assert!(line.contains("%0AEndpoint: GET /u%0AEstimate: "), "{line}");
        assert_eq!(out.lines().filter(|l| l.starts_with("::")).count(), a.findings.len());
    }
}
