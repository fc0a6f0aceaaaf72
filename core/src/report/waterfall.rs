//! The report's compact trace figure: an endpoint's spans before and after its fixes as a
//! text waterfall, one row per span (repeats collapsed, `×50`), bars on one time axis so that
//! a sequence reads as a staircase and parts run together start in the same column.
//!
//! Text in a fenced block renders the same in every Markdown renderer (inline SVG does not
//! survive GitHub's or most renderers' sanitising), and the fence (`escape::fenced`) is longer
//! than any backtick run of the labels, which quote the user's code.

use super::escape::fenced;
use crate::cost::fmt_num;
use crate::cost::trace::{Trace, TraceSide};

/// Columns of the time axis.
pub const WIDTH: usize = 40;
/// Rows shown per side; the rest are counted.
pub const MAX_ROWS: usize = 14;

/// A label cut to `n` characters.
fn cut(s: &str, n: usize) -> String {
    let s: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if s.chars().count() > n {
        s.chars().take(n - 1).collect::<String>() + "…"
    } else {
        s
    }
}

fn pad(s: &str, n: usize) -> String {
    let len = s.chars().count();
    if len >= n {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(n - len))
    }
}

fn ms(v: f64) -> String {
    format!("{} ms", fmt_num((v * 100.0).round() / 100.0))
}

/// One side's rows on an axis of `scale` ms.
fn rows(out: &mut Vec<String>, side: &TraceSide, scale: f64) {
    for s in side.spans.iter().take(MAX_ROWS) {
        let name = if s.count > 1.0 { format!("{} ×{}", s.label, fmt_num(s.count)) } else { s.label.clone() };
        let file = s.file.rsplit('/').next().unwrap_or(&s.file);
        let at = cut(&format!("{file}:{}", s.line), 18);
        let from = ((s.start_ms / scale) * WIDTH as f64).round().clamp(0.0, WIDTH as f64) as usize;
        let len = ((s.duration_ms / scale) * WIDTH as f64).round() as usize;
        let len = len.clamp(0, WIDTH - from.min(WIDTH));
        let bar = if len == 0 { "▏".to_string() } else { "█".repeat(len) };
        out.push(format!(
            "  {} {} {}{} {}",
            pad(&cut(&name, 28), 28),
            pad(&at, 18),
            " ".repeat(from.min(WIDTH - 1)),
            bar,
            ms(s.duration_ms)
        ));
    }
    if side.spans.len() > MAX_ROWS {
        out.push(format!("  … {} more spans", side.spans.len() - MAX_ROWS));
    }
}

/// Writes the figure of one endpoint's trace, a fenced `text` block; nothing when it was not
/// simulated.
pub fn figure(out: &mut String, label: &str, trace: &Trace) {
    let (Some(before), Some(after)) = (&trace.before, &trace.after) else { return };
    let scale = before.duration_ms.max(after.duration_ms).max(1e-9);
    let queries = |s: &TraceSide| {
        let q = (s.queries * 10.0).round() / 10.0;
        format!("{} quer{}", fmt_num(q), if q == 1.0 { "y" } else { "ies" })
    };
    let mut lines = vec![
        format!(
            "{} — before {}, {} · after {}, {}",
            cut(label, 80),
            ms(before.duration_ms),
            queries(before),
            ms(after.duration_ms),
            queries(after)
        ),
        format!("  {}0 ms{}{}", " ".repeat(48), " ".repeat(WIDTH.saturating_sub(4 + ms(scale).len())), ms(scale)),
        "before".to_string(),
    ];
    rows(&mut lines, before, scale);
    lines.push(if after.hit_rate.is_some() { "after (a cache miss)".to_string() } else { "after".to_string() });
    rows(&mut lines, after, scale);
    fenced(out, "text", &lines.join("\n"));
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::trace::TraceSpan;

    fn span(label: &str, count: f64, start: f64, dur: f64) -> TraceSpan {
        TraceSpan {
            kind: "db".into(),
            label: label.into(),
            file: "src/app.js".into(),
            line: 3,
            count,
            start_ms: start,
            duration_ms: dur,
        }
    }

    fn side(duration: f64, spans: Vec<TraceSpan>) -> TraceSide {
        TraceSide {
            duration_ms: duration,
            queries: spans.iter().map(|s| s.count).sum(),
            max_rps: 100.0,
            db_ms: 0.0,
            cpu_ms: 0.0,
            db_cpu_ms: 0.0,
            hit_rate: None,
            spans,
        }
    }

    #[test]
    fn sequences_are_staircases_and_repeats_are_counted() {
        let t = Trace {
            unresolved: None,
            unknown_calls: Vec::new(),
            before: Some(side(40.0, vec![span("User.findAll", 1.0, 0.0, 10.0), span("Post.findAll", 3.0, 10.0, 30.0)])),
            after: Some(side(20.0, vec![span("User.findAll", 1.0, 0.0, 10.0), span("Post.findAll (batched)", 1.0, 10.0, 10.0)])),
        };
        let mut out = String::new();
        figure(&mut out, "GET /api/users", &t);
        assert!(out.starts_with("```text\nGET /api/users — before 40 ms, 4 queries · after 20 ms, 2 queries"), "{out}");
        let bar = |line: &str| line.find('█').unwrap();
        let lines: Vec<&str> = out.lines().collect();
        let posts = lines.iter().find(|l| l.contains("Post.findAll ×3")).unwrap();
        let users = lines.iter().find(|l| l.contains("User.findAll")).unwrap();
        assert!(bar(posts) > bar(users), "the second starts after the first:\n{out}");
        assert_eq!(posts.matches('█').count(), 30, "30 of 40 ms on a 40-column axis:\n{out}");
    }

    #[test]
    fn user_text_stays_in_the_fence() {
        let t = Trace {
            unresolved: None,
            unknown_calls: Vec::new(),
            before: Some(side(1.0, vec![span("````\n<img src=x onerror=alert(1)>", 1.0, 0.0, 1.0)])),
            after: Some(side(1.0, Vec::new())),
        };
        let mut out = String::new();
        figure(&mut out, "GET /x", &t);
        assert!(out.starts_with("`````"), "the fence is longer than the label's backticks:\n{out}");
    }
}
