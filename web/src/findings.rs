//! The findings panel: findings grouped by endpoint (app-level ones last), then by rule; each
//! card has its severity, location, message, estimate, and its BEFORE lines and AFTER rewrite as
//! a side-by-side line diff. Clicking a location selects the finding's range in the editor; the
//! cards whose range holds the editor's cursor are highlighted.

use crate::app::Playground;
use crate::editor::Selection;
use backlens_core::{Finding, Severity};
use leptos::prelude::*;

#[component]
pub fn FindingsPanel() -> impl IntoView {
    let state = expect_context::<Playground>();
    // A big file can have thousands of findings: the panel renders the first ones (the page
    // must stay quick), the rest on request; the report lists them all.
    let limit = RwSignal::new(SHOWN_AT_FIRST);
    let groups = Memo::new(move |_| state.analysis.with(|a| shown(group(&a.findings), limit.get())));
    let status = move || {
        if state.status.shown.get() == 0 {
            return "Analysing…".to_string();
        }
        state.analysis.with(|a| {
            let errors = a.files.iter().filter(|f| f.error.is_some()).count();
            let n = a.findings.len();
            let found = match n {
                0 => "No findings".to_string(),
                1 => "1 finding".to_string(),
                n => format!("{n} findings"),
            };
            let silenced = match a.suppressed.len() {
                0 => String::new(),
                n => format!(" ({n} silenced by backlens-ignore comments)"),
            };
            if errors > 0 {
                format!("{found}{silenced}: the code does not parse")
            } else {
                format!("{found}{silenced}")
            }
        })
    };
    let context = move || {
        state.analysis.with(|a| {
            let mut parts = Vec::new();
            if let Some(framework) = &a.framework {
                parts.push(framework.clone());
            }
            match a.endpoints.len() {
                0 => {}
                1 => parts.push(format!("1 endpoint: {}", a.endpoints[0].label())),
                n => parts.push(format!("{n} endpoints")),
            }
            parts.join(" · ")
        })
    };

    // What the analysis understood: an empty panel must not read as a clean bill of health.
    let coverage = move || {
        if state.status.shown.get() == 0 {
            return String::new();
        }
        state.analysis.with(|a| format!("Coverage: {}", a.coverage.summary()))
    };

    view! {
        <div class="findings-head" aria-busy=move || state.status.busy.get().to_string()>
            <p
                id="findings-status"
                class="status"
                role="status"
                aria-live="polite"
                data-shown=move || state.status.shown.get().to_string()
            >
                {status}
            </p>
            <p id="analysis-error" class="analysis-error" role="alert">
                {move || state.status.error.get()}
            </p>
            <p class="context">{context}</p>
            <p id="coverage-status" class="context coverage">{coverage}</p>
        </div>
        <div class="finding-groups">
            {move || groups.get().0.into_iter().map(|g| view! { <EndpointGroup group=g/> }).collect_view()}
        </div>
        {move || {
            let hidden = groups.with(|g| g.1);
            (hidden > 0)
                .then(|| {
                    view! {
                        <p class="more-findings">
                            <button
                                type="button"
                                id="show-more-findings"
                                class="secondary"
                                on:click=move |_| limit.update(|l| *l += MORE)
                            >
                                {format!("Show {} more of {hidden} not shown", hidden.min(MORE))}
                            </button>
                        </p>
                    }
                })
        }}
    }
}

/// How many finding cards the panel shows before "Show more", and how many more each time.
const SHOWN_AT_FIRST: usize = 100;
const MORE: usize = 200;

/// The first `limit` findings of `groups` (in their order), and how many are left out.
pub fn shown(groups: Vec<Group>, limit: usize) -> (Vec<Group>, usize) {
    let mut budget = limit;
    let mut hidden = 0;
    let mut out = Vec::new();
    for mut g in groups {
        let mut rules = Vec::new();
        for (rule, mut list) in g.rules {
            if list.len() > budget {
                hidden += list.len() - budget;
                list.truncate(budget);
            }
            budget -= list.len();
            if !list.is_empty() {
                rules.push((rule, list));
            }
        }
        if !rules.is_empty() {
            g.rules = rules;
            out.push(g);
        }
    }
    (out, hidden)
}

/// The findings of one endpoint (or of the app as a whole), by rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// `GET /api/users`, or None for app-level findings.
    pub endpoint: Option<String>,
    /// (rule, its findings), the rule with the most severe finding first, then in order of
    /// their first finding.
    pub rules: Vec<(&'static str, Vec<Finding>)>,
}

impl Group {
    fn worst(&self) -> Option<Severity> {
        self.rules.iter().flat_map(|(_, list)| list.iter().map(|f| f.severity)).max()
    }
}

/// Groups findings by endpoint (app-level last), then by rule; the most severe come first
/// (an N+1 before a missing cache on the same handler), ties in order of position.
pub fn group(findings: &[Finding]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for f in findings {
        let at = match groups.iter().position(|g| g.endpoint == f.endpoint) {
            Some(at) => at,
            None => {
                groups.push(Group { endpoint: f.endpoint.clone(), rules: Vec::new() });
                groups.len() - 1
            }
        };
        let rules = &mut groups[at].rules;
        match rules.iter_mut().find(|(rule, _)| *rule == f.rule) {
            Some((_, list)) => list.push(f.clone()),
            None => rules.push((f.rule, vec![f.clone()])),
        }
    }
    // Stable sorts: ties keep the order of their first finding.
    let worst = |list: &Vec<Finding>| list.iter().map(|f| f.severity).max();
    for g in &mut groups {
        g.rules.sort_by_key(|(_, list)| std::cmp::Reverse(worst(list)));
    }
    groups.sort_by_key(|g| (g.endpoint.is_none(), std::cmp::Reverse(g.worst())));
    groups
}

fn count_label(n: usize) -> String {
    if n == 1 {
        "1 finding".to_string()
    } else {
        format!("{n} findings")
    }
}

#[component]
fn EndpointGroup(group: Group) -> impl IntoView {
    let total: usize = group.rules.iter().map(|(_, list)| list.len()).sum();
    let title = group.endpoint.clone().unwrap_or_else(|| "App-level (no single endpoint)".to_string());
    view! {
        <section class="finding-group" data-endpoint=group.endpoint.clone().unwrap_or_default()>
            <h3 class="group-title">
                <span class="endpoint-name">{title}</span>
                " "
                <span class="count">{count_label(total)}</span>
            </h3>
            {group
                .rules
                .into_iter()
                .map(|(rule, list)| {
                    view! {
                        <div class="rule-group" data-rule=rule>
                            <h4 class="rule-title">
                                {rule_label(rule)}
                                " "
                                <span class="count">{count_label(list.len())}</span>
                            </h4>
                            <ol class="findings">
                                {list.into_iter().map(|finding| view! { <FindingCard finding/> }).collect_view()}
                            </ol>
                        </div>
                    }
                })
                .collect_view()}
        </section>
    }
}

/// A rule's name, linked to its documentation in the Rules tab.
fn rule_label(rule: &'static str) -> impl IntoView {
    view! { <crate::rules_page::RuleLink rule/> }
}

#[component]
fn FindingCard(finding: Finding) -> impl IntoView {
    let state = expect_context::<Playground>();
    let severity = finding.severity;
    let below_priority = move || state.params.with(|p| severity < p.priority);
    let (line, column) = (finding.line, finding.column);
    let range = Selection { line, column, end_line: finding.end_line, end_column: finding.end_column };
    let file = finding.file.clone();
    let at_cursor = move || state.file_name.with(|f| *f == file) && state.cursor.with(|c| contains(&range, c.0, c.1));
    let has_code = !finding.before.is_empty() || !finding.after.is_empty();
    view! {
        <li
            class=format!("finding severity-{}", severity.as_str())
            class:below-priority=below_priority
            class:at-cursor=at_cursor
            title=move || below_priority().then_some("Below the chosen priority: the report lists it briefly")
            data-rule=finding.rule
            data-line=line.to_string()
        >
            <header class="finding-head">
                <span class="badge">{severity.as_str()}</span>
                {rule_label(finding.rule)}
                <button
                    type="button"
                    class="link location"
                    title="Select in the editor"
                    on:click=move |_| state.jump_to.set(Some(range))
                >
                    {format!("line {line}:{column}")}
                </button>
                {finding.endpoint.map(|e| view! { <span class="endpoint">{e}</span> })}
            </header>
            <p class="message">{with_code_spans(&finding.message)}</p>
            {(!finding.estimate.summary.is_empty())
                .then(|| {
                    view! {
                        <p class="estimate">
                            <span class="label">"Estimate: "</span>
                            {with_code_spans(&finding.estimate.summary)}
                        </p>
                    }
                })}
            {has_code.then(|| view! { <DiffView before=finding.before after=finding.after/> })}
        </li>
    }
}

/// Whether the 1-based (line, column) lies in `range` (both ends included).
pub fn contains(range: &Selection, line: u32, column: u32) -> bool {
    (range.line, range.column) <= (line, column) && (line, column) <= (range.end_line, range.end_column)
}

/// BEFORE and AFTER side by side, rows aligned: unchanged lines face each other, removed lines
/// (`<del>`) face added ones (`<ins>`), blank fillers keep the rows level. At phone width the
/// two sides stack and the fillers disappear.
#[component]
fn DiffView(before: String, after: String) -> impl IntoView {
    let rows = diff_lines(&before, &after);
    let side = move |left: bool| {
        rows.iter()
            .map(|row| {
                let cell = if left { &row.0 } else { &row.1 };
                match cell {
                    None => view! { <span class="diff-line filler" aria-hidden="true">" "</span> }.into_any(),
                    Some((Change::Same, text)) => {
                        view! { <span class="diff-line same">{text.clone()}</span> }.into_any()
                    }
                    Some((Change::Removed, text)) => {
                        view! { <del class="diff-line removed">{text.clone()}</del> }.into_any()
                    }
                    Some((Change::Added, text)) => {
                        view! { <ins class="diff-line added">{text.clone()}</ins> }.into_any()
                    }
                }
            })
            .collect_view()
    };
    view! {
        <div class="diff">
            <figure class="diff-side diff-before">
                <figcaption>"Before"</figcaption>
                <pre tabindex="0"><code>{side(true)}</code></pre>
            </figure>
            <figure class="diff-side diff-after">
                <figcaption>"After"</figcaption>
                <pre tabindex="0"><code>{side(false)}</code></pre>
            </figure>
        </div>
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Same,
    Removed,
    Added,
}

/// One row of a side-by-side diff: the BEFORE line and the AFTER line (None: a filler).
pub type Row = (Option<(Change, String)>, Option<(Change, String)>);

/// A line diff of `before` → `after` (longest common subsequence of lines), as side-by-side rows.
/// Between two unchanged lines, removed lines are paired with added lines row by row.
/// Inputs are a finding's few lines; inputs beyond 2,000 lines on a side are compared as wholly
/// replaced rather than spending quadratic time.
pub fn diff_lines(before: &str, after: &str) -> Vec<Row> {
    let a: Vec<&str> = if before.is_empty() { Vec::new() } else { before.lines().collect() };
    let b: Vec<&str> = if after.is_empty() { Vec::new() } else { after.lines().collect() };
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    if n <= 2000 && m <= 2000 {
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
            }
        }
    }
    let mut rows = Vec::new();
    let (mut removed, mut added): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    let flush = |rows: &mut Vec<Row>, removed: &mut Vec<String>, added: &mut Vec<String>| {
        let len = removed.len().max(added.len());
        let mut r = removed.drain(..);
        let mut s = added.drain(..);
        for _ in 0..len {
            rows.push((r.next().map(|t| (Change::Removed, t)), s.next().map(|t| (Change::Added, t))));
        }
    };
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] && lcs[i][j] == lcs[i + 1][j + 1] + 1 {
            flush(&mut rows, &mut removed, &mut added);
            rows.push((Some((Change::Same, a[i].to_string())), Some((Change::Same, b[j].to_string()))));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(b[j].to_string());
            j += 1;
        } else {
            removed.push(a[i].to_string());
            i += 1;
        }
    }
    flush(&mut rows, &mut removed, &mut added);
    rows
}

/// Text with its `backtick` spans as `<code>` elements (as text nodes: never parsed as HTML).
fn with_code_spans(text: &str) -> impl IntoView {
    split_code_spans(text)
        .into_iter()
        .map(|(is_code, part)| {
            let part = part.to_string();
            if is_code {
                view! { <code>{part}</code> }.into_any()
            } else {
                part.into_any()
            }
        })
        .collect_view()
}

/// Splits `text` at backticks into (is_code, text) parts; an unpaired backtick stays text.
pub fn split_code_spans(text: &str) -> Vec<(bool, &str)> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let Some(len) = rest[open + 1..].find('`') else { break };
        if open > 0 {
            parts.push((false, &rest[..open]));
        }
        parts.push((true, &rest[open + 1..open + 1 + len]));
        rest = &rest[open + len + 2..];
    }
    if !rest.is_empty() {
        parts.push((false, rest));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans() {
        assert_eq!(
            split_code_spans("`Post.findAll` runs per item of `users`."),
            vec![(true, "Post.findAll"), (false, " runs per item of "), (true, "users"), (false, ".")]
        );
        assert_eq!(split_code_spans("a ` b"), vec![(false, "a ` b")]);
        assert_eq!(split_code_spans(""), vec![]);
    }

    fn render(rows: &[Row]) -> Vec<String> {
        let cell = |c: &Option<(Change, String)>| match c {
            None => ".".to_string(),
            Some((Change::Same, t)) => format!(" {t}"),
            Some((Change::Removed, t)) => format!("-{t}"),
            Some((Change::Added, t)) => format!("+{t}"),
        };
        rows.iter().map(|(l, r)| format!("{} | {}", cell(l), cell(r))).collect()
    }

    #[test]
    fn diff_pairs_changes_between_unchanged_lines() {
        let before = "for (const u of users) {\n  u.posts = await Post.findAll({ where: { userId: u.id } });\n}";
        let after = "const posts = await Post.findAll({ where: { userId: ids } });\nfor (const u of users) {\n  u.posts = byUser.get(u.id) ?? [];\n  n++;\n}";
        assert_eq!(
            render(&diff_lines(before, after)),
            vec![
                ". | +const posts = await Post.findAll({ where: { userId: ids } });",
                " for (const u of users) { |  for (const u of users) {",
                "-  u.posts = await Post.findAll({ where: { userId: u.id } }); | +  u.posts = byUser.get(u.id) ?? [];",
                ". | +  n++;",
                " } |  }",
            ]
        );
    }

    #[test]
    fn diff_of_empty_and_identical_sides() {
        assert_eq!(render(&diff_lines("a\nb", "")), vec!["-a | .", "-b | ."]);
        assert_eq!(render(&diff_lines("", "x")), vec![". | +x"]);
        assert_eq!(render(&diff_lines("a\nb", "a\nb")), vec![" a |  a", " b |  b"]);
        assert!(diff_lines("", "").is_empty());
    }

    #[test]
    fn only_the_first_findings_are_shown() {
        let finding = |rule: &'static str, endpoint: Option<&str>, line: u32| finding_at(rule, endpoint, line, "high");
        let findings = vec![
            finding("missing-metrics", None, 1),
            finding("n-plus-one-query", Some("GET /a"), 2),
            finding("unbounded-query", Some("GET /a"), 3),
            finding("n-plus-one-query", Some("GET /a"), 4),
            finding("n-plus-one-query", Some("GET /b"), 5),
        ];
        let groups = group(&findings);
        let names: Vec<Option<&str>> = groups.iter().map(|g| g.endpoint.as_deref()).collect();
        assert_eq!(names, vec![Some("GET /a"), Some("GET /b"), None], "app-level last");
        assert_eq!(
            groups[0].rules.iter().map(|r| (r.0, r.1.len())).collect::<Vec<_>>(),
            vec![("n-plus-one-query", 2), ("unbounded-query", 1)]
        );
        let (first, hidden) = shown(groups.clone(), 3);
        assert_eq!(hidden, 2);
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].rules.iter().map(|r| r.1.len()).sum::<usize>(), 3);
        let (all, hidden) = shown(groups, 100);
        assert_eq!((all.len(), hidden), (3, 0));
    }

    #[test]
    fn the_most_severe_come_first() {
        let findings = vec![
            finding_at("missing-response-cache", Some("GET /a"), 1, "medium"),
            finding_at("n-plus-one-query", Some("GET /a"), 6, "critical"),
            finding_at("sequential-awaits", Some("GET /b"), 9, "medium"),
            finding_at("unbounded-query", Some("GET /c"), 12, "high"),
            finding_at("missing-metrics", None, 1, "critical"),
        ];
        let groups = group(&findings);
        let names: Vec<Option<&str>> = groups.iter().map(|g| g.endpoint.as_deref()).collect();
        assert_eq!(names, vec![Some("GET /a"), Some("GET /c"), Some("GET /b"), None]);
        let rules: Vec<&str> = groups[0].rules.iter().map(|r| r.0).collect();
        assert_eq!(rules, vec!["n-plus-one-query", "missing-response-cache"]);
    }

    fn finding_at(rule: &'static str, endpoint: Option<&str>, line: u32, severity: &str) -> Finding {
        serde_json::from_value(serde_json::json!({
            "rule": rule, "category": "api", "severity": severity, "file": "a.js", "line": line, "column": 1,
            "end_line": line, "end_column": 2, "endpoint": endpoint, "message": "m",
            "estimate": {"model": "queries", "parameters": [], "before": [], "after": [], "summary": ""},
            "before": "", "after": ""
        }))
        .unwrap()
    }

    #[test]
    fn cursor_inside_a_range() {
        let range = Selection { line: 2, column: 5, end_line: 4, end_column: 3 };
        assert!(contains(&range, 2, 5));
        assert!(contains(&range, 3, 1));
        assert!(contains(&range, 4, 3));
        assert!(!contains(&range, 2, 4));
        assert!(!contains(&range, 4, 4));
        assert!(!contains(&range, 1, 9));
    }
}
