//! The findings list: one card per finding with its location, severity, message, estimate
//! and the before/after code.

use crate::app::Playground;
use backlens_core::Finding;
use leptos::prelude::*;

#[component]
pub fn FindingsPanel() -> impl IntoView {
    let state = expect_context::<Playground>();
    let findings = Memo::new(move |_| state.analysis.with(|a| a.findings.clone()));
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
            if errors > 0 {
                format!("{found}: the code does not parse")
            } else {
                found
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
        </div>
        <ol class="findings">
            {move || {
                findings.get().into_iter().map(|finding| view! { <FindingCard finding/> }).collect_view()
            }}
        </ol>
    }
}

#[component]
fn FindingCard(finding: Finding) -> impl IntoView {
    let state = expect_context::<Playground>();
    let severity = finding.severity;
    let below_priority = move || state.params.with(|p| severity < p.priority);
    let (line, column) = (finding.line, finding.column);
    let has_code = !finding.before.is_empty() || !finding.after.is_empty();
    view! {
        <li
            class=format!("finding severity-{}", severity.as_str())
            class:below-priority=below_priority
            title=move || below_priority().then_some("Below the chosen priority: the report lists it briefly")
            data-rule=finding.rule
            data-line=line.to_string()
        >
            <header class="finding-head">
                <span class="badge">{severity.as_str()}</span>
                <crate::rules_page::RuleLink rule=finding.rule/>
                <button
                    type="button"
                    class="link location"
                    title="Show in the editor"
                    on:click=move |_| state.jump_to.set(Some((line, column)))
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
            {has_code
                .then(|| {
                    view! {
                        <div class="before-after">
                            <figure>
                                <figcaption>"Before"</figcaption>
                                <pre><code>{finding.before}</code></pre>
                            </figure>
                            <figure>
                                <figcaption>"After"</figcaption>
                                <pre><code>{finding.after}</code></pre>
                            </figure>
                        </div>
                    }
                })}
        </li>
    }
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
    use super::split_code_spans;

    #[test]
    fn code_spans() {
        assert_eq!(
            split_code_spans("`Post.findAll` runs per item of `users`."),
            vec![(true, "Post.findAll"), (false, " runs per item of "), (true, "users"), (false, ".")]
        );
        assert_eq!(split_code_spans("a ` b"), vec![(false, "a ` b")]);
        assert_eq!(split_code_spans(""), vec![]);
    }
}
