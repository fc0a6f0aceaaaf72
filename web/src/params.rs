//! The seed's four parameters, as form controls and as the seed's argument string.
//! Both stay in sync: a change to either one updates the other; a bad value leaves the
//! last valid parameters in force and shows the error.
//!
//! The argument string sits in a compact bar above the editor and the results, always in
//! view; the form controls, the detected routes, the cost model and the measurements are in
//! a drawer under it that one button opens (the playgrounds people know keep their options
//! out of the code's way the same way).

use crate::app::Playground;
use backlens_core::{LoadProfile, Params, Severity, Target};
use leptos::prelude::*;

#[component]
pub fn ParamsPanel() -> impl IntoView {
    let state = expect_context::<Playground>();
    let params = state.params;
    let args = RwSignal::new(params.with_untracked(Params::to_args));
    let endpoints = RwSignal::new(params.with_untracked(endpoints_text));
    let error = RwSignal::new(None::<String>);

    // A form control changed one parameter.
    let set_one = move |name: &'static str, value: String| {
        let mut next = params.get_untracked();
        match next.set(name, &value) {
            Ok(()) => {
                args.set(next.to_args());
                params.set(next);
                error.set(None);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    // The argument string changed.
    let set_args = move |text: String| {
        args.set(text.clone());
        match Params::parse_args(&text) {
            Ok(mut next) => {
                // The cost-model settings are not part of the argument string: keep them.
                next.settings = params.with_untracked(|p| p.settings.clone());
                endpoints.set(endpoints_text(&next));
                params.set(next);
                error.set(None);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };

    let choice = move |name: &'static str,
                       label: &'static str,
                       names: &'static [&'static str],
                       current: Signal<&'static str>| {
        view! {
            <label class="field">
                <span>{label}</span>
                <select id=format!("param-{name}") on:change=move |ev| set_one(name, event_target_value(&ev))>
                    {names
                        .iter()
                        .map(|value| {
                            view! {
                                <option value=*value prop:selected=move || current.get() == *value>
                                    {*value}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        }
    };

    let open = RwSignal::new(false);
    let summary = move || {
        let changed = params.with(|p| p.settings.len());
        let measured = state.measurements.with(Vec::len);
        let mut parts = Vec::new();
        if changed > 0 {
            parts.push(format!("{changed} cost setting{}", if changed == 1 { "" } else { "s" }));
        }
        if measured > 0 {
            parts.push(format!("{measured} measurement file{}", if measured == 1 { "" } else { "s" }));
        }
        parts.join(" · ")
    };
    view! {
        <div class="settings-bar">
            <label class="field inline args-field">
                <span>"Arguments"</span>
                <input
                    id="param-args"
                    type="text"
                    class="mono"
                    spellcheck="false"
                    aria-describedby="param-error"
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    prop:value=move || args.get()
                    on:input=move |ev| set_args(event_target_value(&ev))
                />
            </label>
            <button
                type="button"
                id="settings-toggle"
                class="secondary"
                aria-expanded=move || open.get().to_string()
                aria-controls="settings-drawer"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || if open.get() { "Hide parameters" } else { "Parameters & cost model" }}
            </button>
            <span class="settings-summary">{summary}</span>
            <p id="param-error" class="param-error" role="alert">
                {move || error.get()}
            </p>
        </div>
        <div id="settings-drawer" class="settings-drawer" hidden=move || !open.get()>
        <fieldset class="params">
            <legend>"Parameters"</legend>
            <div class="param-grid">
                {choice("target", "Target", Target::NAMES, Signal::derive(move || params.with(|p| p.target.as_str())))}
                {choice("load_profile", "Load profile", LoadProfile::NAMES, Signal::derive(move || params.with(|p| p.load_profile.as_str())))}
                {choice("priority", "Priority", Severity::NAMES, Signal::derive(move || params.with(|p| p.priority.as_str())))}
                <label class="field wide">
                    <span>"Endpoints"</span>
                    <input
                        id="param-endpoints"
                        type="text"
                        placeholder="all (e.g. /api/users, GET /api/posts/:id)"
                        spellcheck="false"
                        aria-describedby="routes-hint"
                        prop:value=move || endpoints.get()
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            endpoints.set(text.clone());
                            set_one("endpoints", text);
                        }
                    />
                </label>
            </div>
            <RoutePicker endpoints set=move |text: String| {
                endpoints.set(text.clone());
                set_one("endpoints", text);
            }/>
        </fieldset>
        <crate::cost::CostPanel/>
        <crate::measurements::MeasurementsPanel/>
        </div>
    }
}

/// The routes the analysis detected, as checkboxes: checking one adds `METHOD /path` to the
/// endpoints field, unchecking removes it; patterns typed by hand stay as they are. A route
/// that a typed pattern selects is shown as such ("matched by /api/*").
#[component]
fn RoutePicker(endpoints: RwSignal<String>, set: impl Fn(String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let state = expect_context::<Playground>();
    let routes = Memo::new(move |_| {
        state.analysis.with(|a| {
            let mut labels: Vec<(String, String, String)> =
                a.endpoints.iter().map(|e| (e.label(), e.method.clone(), e.path.clone())).collect();
            labels.dedup();
            labels
        })
    });
    view! {
        <div class="route-picker" role="group" aria-labelledby="routes-hint">
            <p id="routes-hint" class="hint">
                {move || match routes.with(Vec::len) {
                    0 => "No routes detected yet: type endpoint patterns, or leave empty for all.".to_string(),
                    _ => "Detected routes — tick the ones to analyse (none ticked: all):".to_string(),
                }}
            </p>
            <ul class="route-list">
                {move || {
                    routes
                        .get()
                        .into_iter()
                        .map(|(label, method, path)| {
                            let checked = {
                                let label = label.clone();
                                move || endpoints.with(|text| listed(text).iter().any(|p| same_pattern(p, &label)))
                            };
                            let matched_by = move || {
                                endpoints.with(|text| {
                                    listed(text)
                                        .into_iter()
                                        .filter(|p| !same_pattern(p, &format!("{method} {path}")))
                                        .find(|p| {
                                            backlens_core::EndpointPattern::parse(p)
                                                .is_ok_and(|pattern| pattern.matches(&method, &path))
                                        })
                                        .map(|p| format!("matched by {p}"))
                                })
                            };
                            let toggle = {
                                let label = label.clone();
                                move |ev: leptos::ev::Event| {
                                    let on = event_target_checked(&ev);
                                    set(endpoints.with_untracked(|text| toggled(text, &label, on)));
                                }
                            };
                            view! {
                                <li>
                                    <label class="route">
                                        <input type="checkbox" prop:checked=checked on:change=toggle/>
                                        <code>{label}</code>
                                        <span class="matched">{matched_by}</span>
                                    </label>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// The patterns of an endpoints field, trimmed, without empty ones.
fn listed(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
}

/// Whether two patterns are the same route (`get /api/users/` is `GET /api/users`).
fn same_pattern(a: &str, b: &str) -> bool {
    match (backlens_core::EndpointPattern::parse(a), backlens_core::EndpointPattern::parse(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a.trim() == b.trim(),
    }
}

/// The endpoints field with `route` added (`on`) or removed, other patterns kept in order.
fn toggled(text: &str, route: &str, on: bool) -> String {
    let mut patterns: Vec<String> = listed(text).into_iter().filter(|p| !same_pattern(p, route)).collect();
    if on {
        patterns.push(route.to_string());
    }
    patterns.join(", ")
}

/// The endpoints field's text for `params`.
fn endpoints_text(params: &Params) -> String {
    params.endpoints.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticking_a_route_adds_it_and_unticking_removes_only_it() {
        let text = toggled("/api/*", "GET /api/users", true);
        assert_eq!(text, "/api/*, GET /api/users");
        assert_eq!(toggled(&text, "GET /api/users", true), text, "not listed twice");
        assert_eq!(toggled("get /api/users/ , POST /x", "GET /api/users", false), "POST /x");
        assert_eq!(toggled("", "GET /a", false), "");
        // What the field holds is a valid argument for the endpoints parameter.
        let mut p = Params::default();
        p.set("endpoints", &text).unwrap();
        assert_eq!(endpoints_text(&p), "/api/*, GET /api/users");
    }
}
