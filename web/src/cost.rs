//! The "Cost model" section: one number field per cost-model parameter. An empty field uses
//! the load profile's default (shown as its placeholder); a valid number becomes a setting
//! with source "playground"; an invalid one shows its error next to the field and leaves the
//! last valid value in force.

use crate::app::Playground;
use backlens_core::cost::Profile;
use backlens_core::Params;
use leptos::prelude::*;

/// The source every setting made here carries (the report's Model Parameters table shows it).
pub const SOURCE: &str = "playground";

/// What each parameter means, in a few words (the core's own list).
fn description(name: &str) -> &'static str {
    Profile::description(name)
}

/// The parameters that also get a slider: (min, max, step). The text field stays the exact
/// input; the slider is a quicker way to explore the usual range.
fn slider_range(name: &str) -> Option<(f64, f64, f64)> {
    match name {
        "items" => Some((1.0, 1000.0, 1.0)),
        "query_ms" => Some((0.5, 100.0, 0.5)),
        "pool_size" => Some((1.0, 100.0, 1.0)),
        "rps" => Some((1.0, 2000.0, 1.0)),
        "compression_ratio" | "hit_rate" => Some((0.0, 1.0, 0.01)),
        _ => None,
    }
}

/// `value` as the fields show it: `50`, `0.2`.
pub fn format_value(value: f64) -> String {
    format!("{value}")
}

/// `params` with the setting of `name` replaced by `text` (removed when `text` is blank).
/// The error is the text shown next to the field.
pub fn with_setting(params: &Params, name: &str, text: &str) -> Result<Params, String> {
    let mut next = params.clone();
    next.remove_cost(name);
    let text = text.trim();
    if text.is_empty() {
        return Ok(next);
    }
    if text.parse::<f64>().is_err() {
        return Err(format!("`{name}` must be a number, e.g. {}", example_value(name)));
    }
    next.set_cost(name, text, SOURCE).map_err(|e| e.to_string())?;
    Ok(next)
}

fn example_value(name: &str) -> &'static str {
    if matches!(name, "compression_ratio" | "hit_rate") {
        "0.8"
    } else {
        "10"
    }
}

/// The text of the field for `name`: the user's setting, or empty (the default applies).
fn setting_text(params: &Params, name: &str) -> String {
    params.cost_setting(name).map(|s| format_value(s.value)).unwrap_or_default()
}

/// One field: parameter name, unit, its text and its error.
type Field = (&'static str, &'static str, RwSignal<String>, RwSignal<Option<String>>);

#[component]
pub fn CostPanel() -> impl IntoView {
    let state = expect_context::<Playground>();
    let params = state.params;
    let defaults = Memo::new(move |_| {
        let profile = Profile::for_load(params.with(|p| p.load_profile));
        profile.parameters().map(|(name, value, unit)| (name, format_value(value.value), unit))
    });
    // One (text, error) pair per parameter, in the profile's order.
    let fields: Vec<Field> = params
        .with_untracked(|p| {
            Profile::for_load(p.load_profile)
                .parameters()
                .map(|(name, _, unit)| (name, unit, RwSignal::new(setting_text(p, name)), RwSignal::new(None)))
        })
        .into_iter()
        .collect();
    let changed = Memo::new(move |_| params.with(|p| p.settings.len()));
    let all = StoredValue::new(fields.clone());

    let apply = move |name: &'static str, text: String, error: RwSignal<Option<String>>| match params
        .with_untracked(|p| with_setting(p, name, &text))
    {
        Ok(next) => {
            params.set(next);
            error.set(None);
        }
        Err(e) => error.set(Some(e)),
    };
    let reset_all = move |_| {
        all.with_value(|fields| {
            for (_, _, text, error) in fields {
                text.set(String::new());
                error.set(None);
            }
        });
        params.update(|p| p.settings.clear());
    };

    let rows = fields
        .into_iter()
        .enumerate()
        .map(|(index, (name, unit, text, error))| {
            let id = format!("cost-{name}");
            let error_id = format!("cost-{name}-error");
            let unit_id = format!("cost-{name}-unit");
            let placeholder = move || defaults.with(|d| d[index].1.clone());
            let slider = slider_range(name).map(|(min, max, step)| {
                // The slider shows the value in force: the user's, else the profile's default.
                let value = move || if text.with(String::is_empty) { placeholder() } else { text.get() };
                view! {
                    <input
                        type="range"
                        class="cost-slider"
                        min=min.to_string()
                        max=max.to_string()
                        step=step.to_string()
                        aria-label=format!("{name} ({unit})")
                        prop:value=value
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            text.set(value.clone());
                            apply(name, value, error);
                        }
                    />
                }
            });
            view! {
                <div class="cost-field" data-param=name>
                    <label for=id.clone()>
                        <code>{name}</code>
                        <span class="cost-description">{description(name)}</span>
                    </label>
                    <div class="cost-input">
                        <input
                            id=id
                            type="text"
                            inputmode="decimal"
                            autocomplete="off"
                            spellcheck="false"
                            placeholder=placeholder
                            aria-describedby=format!("{unit_id} {error_id}")
                            aria-invalid=move || error.with(Option::is_some).to_string()
                            prop:value=move || text.get()
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                text.set(value.clone());
                                apply(name, value, error);
                            }
                        />
                        <span class="unit" id=unit_id>{unit}</span>
                        <button
                            type="button"
                            class="secondary small"
                            aria-label=format!("Reset {name} to the load profile's default")
                            title="Reset to the load profile's default"
                            disabled=move || text.with(String::is_empty)
                            on:click=move |_| {
                                text.set(String::new());
                                apply(name, String::new(), error);
                            }
                        >
                            "Reset"
                        </button>
                    </div>
                    {slider}
                    <p id=error_id class="cost-error" role="alert">
                        {move || error.get()}
                    </p>
                </div>
            }
        })
        .collect_view();

    view! {
        // Open from the start when the page was restored with settings.
        <details id="cost-model" class="cost-model" open=params.with_untracked(|p| !p.settings.is_empty())>
            <summary>
                "Cost model"
                <span class="count">
                    {move || match changed.get() {
                        0 => "load profile defaults".to_string(),
                        1 => "1 changed".to_string(),
                        n => format!("{n} changed"),
                    }}
                </span>
            </summary>
            <p class="hint">
                "The parameters behind every estimate, with their units. Empty fields use the load profile's default (shown greyed); the sliders cover the usual range."
            </p>
            <div class="cost-grid">{rows}</div>
            <button type="button" id="cost-reset-all" class="secondary" on:click=reset_all>
                "Reset all to defaults"
            </button>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_number_becomes_a_playground_setting() {
        let p = with_setting(&Params::default(), "items", "10").unwrap();
        assert_eq!(p.settings.len(), 1);
        assert_eq!((p.settings[0].name.as_str(), p.settings[0].value), ("items", 10.0));
        assert_eq!(p.settings[0].source, SOURCE);
        // Replaced, not stacked; blank removes it.
        let p = with_setting(&p, "items", " 12 ").unwrap();
        assert_eq!(p.settings.len(), 1);
        assert_eq!(p.settings[0].value, 12.0);
        assert!(with_setting(&p, "items", "").unwrap().settings.is_empty());
    }

    #[test]
    fn invalid_values_are_errors() {
        let p = Params::default();
        assert!(with_setting(&p, "items", "many").unwrap_err().contains("must be a number"));
        assert!(with_setting(&p, "items", "-1").unwrap_err().contains("≥ 0"));
        assert!(with_setting(&p, "hit_rate", "1.5").unwrap_err().contains("0 to 1"));
        assert!(with_setting(&p, "hit_rate", "0.5").is_ok());
    }

    #[test]
    fn values_print_plainly() {
        assert_eq!(format_value(50.0), "50");
        assert_eq!(format_value(0.79), "0.79");
    }
}
