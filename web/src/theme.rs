//! The light / dark / system theme switch. "System" (the default) follows the operating
//! system's preference through CSS; a choice is kept in `localStorage` and applied as
//! `<html data-theme="…">`.

use leptos::prelude::*;

const KEY: &str = "backlens.theme";
const CHOICES: [(&str, &str); 3] = [("system", "System"), ("light", "Light"), ("dark", "Dark")];

fn stored() -> String {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .filter(|t| CHOICES.iter().any(|(v, _)| v == t))
        .unwrap_or_else(|| "system".to_string())
}

fn apply(theme: &str) {
    let Some(root) = document().document_element() else { return };
    let _ =
        if theme == "system" { root.remove_attribute("data-theme") } else { root.set_attribute("data-theme", theme) };
}

#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let theme = RwSignal::new(stored());
    apply(&theme.get_untracked());
    let choose = move |value: String| {
        apply(&value);
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item(KEY, &value);
        }
        theme.set(value);
    };
    view! {
        <label class="field inline theme">
            <span>"Theme"</span>
            <select id="theme" on:change=move |ev| choose(event_target_value(&ev))>
                {CHOICES
                    .iter()
                    .map(|(value, label)| {
                        view! {
                            <option value=*value prop:selected=move || theme.with(|t| t == value)>
                                {*label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
