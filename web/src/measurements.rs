//! Measurements brought in: a k6 summary (`--summary-export`), an autocannon `--json` result
//! or an OpenTelemetry trace export (OTLP JSON), dropped on the page or picked. The file is
//! read here and parsed by `backlens_core::measure` — the code behind the CLI's
//! `--measurements` — never uploaded. Every analysis request carries what their spans
//! calibrate to the worker (what the user's cost settings leave open; the parsers stay out of
//! the worker, which the docs widget loads too), and every answer gets the measured figures
//! matched to its endpoints: the report's baseline table and "Measured" section, the Trace tab.

use crate::app::Playground;
use backlens_core::measure::{self, Measurement};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// One measurement file: its name and what it measured.
#[derive(Clone, Debug, PartialEq)]
pub struct MeasurementFile {
    pub name: String,
    pub parsed: Measurement,
}

/// Measurement files are JSON: a k6 or autocannon document, or OTLP lines.
pub fn is_measurement_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".json") || n.ends_with(".jsonl") || n.ends_with(".ndjson")
}

/// What the files' spans calibrate: (parameter, value, source).
pub fn calibration(files: &[MeasurementFile]) -> Vec<(&'static str, f64, String)> {
    let parsed: Vec<Measurement> = files.iter().map(|m| m.parsed.clone()).collect();
    measure::calibration(&parsed)
}

/// Matches the files' measured endpoints to `analysis`'s (`Analysis::measured`).
pub fn attach(files: &[MeasurementFile], analysis: &mut backlens_core::Analysis) {
    let parsed: Vec<Measurement> = files.iter().map(|m| m.parsed.clone()).collect();
    measure::attach(analysis, &parsed);
}

/// The largest measurement file read (an OTLP export of a long run can be big).
const MAX_BYTES: f64 = 20.0 * 1024.0 * 1024.0;

/// Reads and parses `files`; each valid one replaces a file of the same name, the first
/// problem is shown in the panel.
pub fn add(state: Playground, files: Vec<web_sys::File>) {
    leptos::task::spawn_local(async move {
        let mut errors = Vec::new();
        for file in files {
            let name = file.name();
            if file.size() > MAX_BYTES {
                errors.push(format!("{name}: larger than 20 MB, not read"));
                continue;
            }
            let text = match JsFuture::from(file.text()).await {
                Ok(v) => v.as_string().unwrap_or_default(),
                Err(e) => {
                    let why = e
                        .dyn_ref::<web_sys::js_sys::Error>()
                        .map(|e| String::from(e.message()))
                        .unwrap_or_else(|| "the browser refused to read it".into());
                    errors.push(format!("{name}: {why}"));
                    continue;
                }
            };
            match measure::parse(&name, &text) {
                Ok(parsed) => state.measurements.update(|list| {
                    list.retain(|m| m.name != name);
                    list.push(MeasurementFile { name, parsed });
                }),
                Err(e) => errors.push(e),
            }
        }
        state.measurement_error.set((!errors.is_empty()).then(|| errors.join("; ")));
    });
}

/// The measured endpoints of `m` the analysis matched to one of its endpoints, and all of them.
fn matched(state: Playground, m: &MeasurementFile) -> (usize, usize) {
    let total = m.parsed.endpoints.len();
    let found = state.analysis.with(|a| a.measured.iter().filter(|e| e.source == m.name).count());
    (found, total)
}

#[component]
pub fn MeasurementsPanel() -> impl IntoView {
    let state = expect_context::<Playground>();
    let input = NodeRef::<leptos::html::Input>::new();
    let on_pick = move |_| {
        let Some(el) = input.get_untracked() else { return };
        if let Some(list) = el.files() {
            add(state, (0..list.length()).filter_map(|i| list.get(i)).collect());
        }
        el.set_value("");
    };
    view! {
        <section class="measurements" aria-labelledby="measurements-heading">
            <div class="measurements-head">
                <h3 id="measurements-heading">"Measurements"</h3>
                <button
                    type="button"
                    id="add-measurements"
                    class="secondary small"
                    on:click=move |_| {
                        if let Some(el) = input.get_untracked() {
                            el.click();
                        }
                    }
                >
                    "Add measurement file…"
                </button>
                <input
                    type="file"
                    id="open-measurements"
                    multiple
                    accept=".json,.jsonl,.ndjson"
                    hidden
                    node_ref=input
                    on:change=on_pick
                />
            </div>
            <p class="hint">
                "A k6 summary (" <code>"--summary-export"</code> "), an autocannon " <code>"--json"</code>
                " result or an OpenTelemetry trace export (OTLP JSON): pick one or drop it on the page. It is read in your browser, never uploaded; measured figures stand beside the estimates and span durations calibrate the cost model."
            </p>
            <p id="measurements-error" class="param-error" role="alert">
                {move || state.measurement_error.get()}
            </p>
            <ul id="measurement-files" class="measurement-files">
                {move || {
                    state
                        .measurements
                        .get()
                        .into_iter()
                        .map(|m| {
                            let name = m.name.clone();
                            let remove = m.name.clone();
                            let (found, total) = matched(state, &m);
                            let spans = m.parsed.db_ms.len() + m.parsed.cache_ms.len() + m.parsed.http_ms.len();
                            let what = format!(
                                "{} · {found} of {total} measured endpoint{} matched{}",
                                m.parsed.format,
                                if total == 1 { "" } else { "s" },
                                if spans > 0 { format!(" · {spans} spans calibrate the model") } else { String::new() }
                            );
                            view! {
                                <li class="measurement-file" data-name=name.clone()>
                                    <code>{name.clone()}</code>
                                    <span class="hint">{what}</span>
                                    <button
                                        type="button"
                                        class="secondary small"
                                        aria-label=format!("Remove {name}")
                                        on:click=move |_| state.measurements.update(|l| l.retain(|x| x.name != remove))
                                    >
                                        "Remove"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
