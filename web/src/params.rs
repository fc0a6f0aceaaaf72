//! The seed's four parameters, as form controls and as the seed's argument string.
//! Both stay in sync: a change to either one updates the other; a bad value leaves the
//! last valid parameters in force and shows the error.

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

    view! {
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
                        prop:value=move || endpoints.get()
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            endpoints.set(text.clone());
                            set_one("endpoints", text);
                        }
                    />
                </label>
            </div>
            <label class="field">
                <span>"Argument string"</span>
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
            <p id="param-error" class="param-error" role="alert">
                {move || error.get()}
            </p>
        </fieldset>
    }
}

/// The endpoints field's text for `params`.
fn endpoints_text(params: &Params) -> String {
    params.endpoints.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}
