//! The Rules tab: the rules reference (`backlens_core::report::rules_reference`, the same
//! text as `docs/rules.md`), one `<section id="rule-…">` per rule so that a finding's rule
//! id links straight to its documentation (`#rule-n-plus-one-query`).

use crate::app::{Playground, Tab};
use crate::markdown;
use backlens_core::report::rules_reference;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// The anchor of `rule`'s section.
pub fn anchor(rule: &str) -> String {
    format!("rule-{rule}")
}

/// The rule id a location fragment (`#rule-n-plus-one-query`) points at, when it is a rule.
pub fn rule_of_fragment(fragment: &str) -> Option<&str> {
    let id = fragment.strip_prefix("#rule-")?;
    backlens_core::rules::catalog().iter().find(|m| m.id == id).map(|m| m.id)
}

/// The reference cut into its introduction (with the table of rules) and one part per rule:
/// (rule id, Markdown). A part starts at its `## <rule id>` heading; the table's links point
/// at the sections' anchors.
pub fn sections() -> (String, Vec<(&'static str, String)>) {
    let text = rules_reference();
    let ids: Vec<&'static str> = backlens_core::rules::catalog().iter().map(|m| m.id).collect();
    let mut intro = String::new();
    let mut parts: Vec<(&'static str, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        let heading = line.strip_prefix("## ").map(str::trim_end);
        if let Some(id) = heading.and_then(|h| ids.iter().copied().find(|id| *id == h)) {
            parts.push((id, String::new()));
        }
        match parts.last_mut() {
            Some((_, body)) => body.push_str(line),
            None => intro.push_str(line),
        }
    }
    for id in &ids {
        intro = intro.replace(&format!("](#{id})"), &format!("](#{})", anchor(id)));
    }
    (intro, parts)
}

/// Opens the Rules tab at `rule`'s section, puts it in view and moves the focus there, and
/// keeps `#rule-…` in the address bar (a link to the rule's documentation).
pub fn open_rule(state: Playground, rule: &str) {
    state.tab.set(Tab::Rules);
    let id = anchor(rule);
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("#{id}")));
    }
    // The panel renders on the next tick; then scroll.
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&id) {
            el.scroll_into_view();
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}

/// A finding's rule id, as a link to its section of the Rules tab.
#[component]
pub fn RuleLink(rule: &'static str) -> impl IntoView {
    let state = expect_context::<Playground>();
    view! {
        <a
            class="rule"
            href=format!("#{}", anchor(rule))
            title="Open this rule's documentation"
            on:click=move |ev| {
                ev.prevent_default();
                open_rule(state, rule);
            }
        >
            <code>{rule}</code>
        </a>
    }
}

#[component]
pub fn RulesPanel() -> impl IntoView {
    let state = expect_context::<Playground>();
    // Rendered the first time the tab is shown (22 rules' documentation).
    let shown = Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || state.tab.get() == Tab::Rules);
    let page = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if shown.get() {
            if let Some(el) = page.get() {
                request_animation_frame(move || crate::report::focusable_scrollers(&el));
            }
        }
    });
    let content = move || {
        shown.get().then(|| {
            let (intro, parts) = sections();
            view! {
                // Safe: `markdown::render` sanitises; the text is the rules' own documentation.
                <div class="report rules-intro" inner_html=markdown::render(&intro)></div>
                {parts
                    .into_iter()
                    .map(|(id, body)| {
                        view! {
                            <section
                                class="report rule-doc"
                                id=anchor(id)
                                tabindex="-1"
                                aria-label=format!("Rule {id}")
                                inner_html=markdown::render(&body)
                            ></section>
                        }
                    })
                    .collect_view()}
            }
        })
    };
    view! { <div node_ref=page>{content}</div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_its_section_and_the_table_links_to_it() {
        let (intro, parts) = sections();
        let catalog = backlens_core::rules::catalog();
        assert_eq!(parts.len(), catalog.len());
        for (meta, (id, body)) in catalog.iter().zip(&parts) {
            assert_eq!(meta.id, *id);
            assert!(body.starts_with(&format!("## {id}\n")), "{body}");
            assert!(intro.contains(&format!("](#rule-{id})")), "the table links to {id}");
        }
        // Nothing is lost: the parts put back together are the reference.
        let joined: String = parts.iter().map(|(_, b)| b.as_str()).collect();
        assert!(rules_reference().ends_with(&joined));
    }

    #[test]
    fn fragments_name_known_rules_only() {
        assert_eq!(rule_of_fragment("#rule-n-plus-one-query"), Some("n-plus-one-query"));
        assert_eq!(rule_of_fragment("#rule-nope"), None);
        assert_eq!(rule_of_fragment("#v1.abc"), None);
    }
}
