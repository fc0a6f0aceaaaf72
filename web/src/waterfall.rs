//! The Trace tab: the selected endpoint's simulated request (`endpoints[].trace`, from
//! `backlens_core::cost::trace`) as a waterfall, the way tracing UIs draw one: a bar per span
//! on one time axis shared by "before" and "after the fixes", repeats collapsed into one bar
//! with their count (`×50`), operations in sequence one after another, operations run together
//! starting at the same time. Each bar is a button that selects its line in the editor (the
//! file opens first in a project); a data table below says the same for screen readers.
//! Measured figures for the endpoint (`measurements.rs`) stand beside the estimate.
//!
//! Bars are SVG `rect`s whose position is in attributes: the site's CSP forbids inline styles.

use crate::app::Playground;
use crate::editor::Selection;
use backlens_core::cost::fmt_num;
use backlens_core::cost::trace::{Trace, TraceSide, TraceSpan};
use leptos::prelude::*;

/// The bars' coordinate width (the SVG stretches to the column).
const AXIS: f64 = 1000.0;

fn ms(v: f64) -> String {
    format!("{} ms", fmt_num((v * 100.0).round() / 100.0))
}

/// The endpoint shown first: the one with the most severe findings, else the first one.
fn first_endpoint(a: &backlens_core::Analysis) -> Option<String> {
    crate::findings::group(&a.findings)
        .into_iter()
        .find_map(|g| g.endpoint)
        .or_else(|| a.endpoints.first().map(|e| e.label()))
}

/// Selects line `line` of `file` in the editor, opening the project's file first.
fn select_line(state: Playground, file: &str, line: u32) {
    let open = state.file_name.get_untracked();
    let text = if open == file {
        Some(state.code.get_untracked())
    } else {
        let index = state.project.with_untracked(|p| p.iter().position(|f| f.path == file));
        index.map(|i| {
            state.open_project_file(i);
            state.code.get_untracked()
        })
    };
    let Some(text) = text else { return };
    let width = text.lines().nth(line.saturating_sub(1) as usize).map(|l| l.encode_utf16().count()).unwrap_or(0);
    let range = Selection { line, column: 1, end_line: line, end_column: width as u32 + 1 };
    // After the editor has the file's text.
    set_timeout(move || state.jump_to.set(Some(range)), std::time::Duration::ZERO);
}

fn span_name(s: &TraceSpan) -> String {
    if s.count > 1.0 {
        format!("{} ×{}", s.label, fmt_num((s.count * 10.0).round() / 10.0))
    } else {
        s.label.clone()
    }
}

fn place(s: &TraceSpan) -> String {
    format!("{}:{}", s.file.rsplit('/').next().unwrap_or(&s.file), s.line)
}

/// One side's bars.
fn rows(state: Playground, side: &TraceSide, scale: f64, which: &'static str) -> impl IntoView {
    let items = side
        .spans
        .iter()
        .map(|s| {
            let x = (s.start_ms / scale * AXIS).clamp(0.0, AXIS);
            let w = (s.duration_ms / scale * AXIS).clamp(2.0, (AXIS - x).max(2.0));
            let (file, line) = (s.file.clone(), s.line);
            // Read after the visible text (the button's name starts with what it shows).
            let extra = format!(", {}, starts at {}; selects line {} of {}", s.kind, ms(s.start_ms), s.line, s.file);
            view! {
                <li>
                    <button
                        type="button"
                        class=format!("span-row kind-{}", s.kind)
                        data-kind=s.kind.clone()
                        data-line=s.line.to_string()
                        data-file=s.file.clone()
                        data-start=s.start_ms.to_string()
                        title="Select the line in the editor"
                        on:click=move |_| select_line(state, &file, line)
                    >
                        <span class="span-label">{span_name(s)}</span>
                        <span class="span-at">{place(s)}</span>
                        <svg class="span-bar" viewBox=format!("0 0 {AXIS} 12") preserveAspectRatio="none" aria-hidden="true">
                            <rect x=format!("{x:.1}") y="0" width=format!("{w:.1}") height="12"></rect>
                        </svg>
                        <span class="span-ms">{ms(s.duration_ms)}</span>
                        <span class="visually-hidden">{extra}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="waterfall-rows" aria-label=which data-side=which>
            {items}
        </ol>
    }
}

fn summary(side: &TraceSide) -> String {
    let q = (side.queries * 10.0).round() / 10.0;
    let rps = if side.max_rps >= 1.0e8 { "no saturation".to_string() } else { format!("saturates at {} requests/s", fmt_num(side.max_rps.round())) };
    format!("{}, {} quer{}, {rps}", ms(side.duration_ms), fmt_num(q), if q == 1.0 { "y" } else { "ies" })
}

fn table(trace: &Trace) -> impl IntoView {
    let body = [("before", &trace.before), ("after", &trace.after)]
        .into_iter()
        .filter_map(|(which, side)| side.as_ref().map(|s| (which, s)))
        .flat_map(|(which, side)| {
            side.spans
                .iter()
                .map(|s| {
                    view! {
                        <tr>
                            <td>{which}</td>
                            <td>{s.label.clone()}</td>
                            <td>{s.kind.clone()}</td>
                            <td>{format!("{}:{}", s.file, s.line)}</td>
                            <td>{fmt_num(s.count)}</td>
                            <td>{fmt_num(s.start_ms)}</td>
                            <td>{fmt_num(s.duration_ms)}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect_view();
    view! {
        <details id="trace-table" class="chart-data">
            <summary>"Data table"</summary>
            <div class="table-scroll" tabindex="0">
                <table>
                    <caption class="visually-hidden">"The trace's spans, before and after the fixes"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Side"</th>
                            <th scope="col">"Operation"</th>
                            <th scope="col">"Kind"</th>
                            <th scope="col">"Where"</th>
                            <th scope="col">"Times"</th>
                            <th scope="col">"Start (ms)"</th>
                            <th scope="col">"Duration (ms)"</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </details>
    }
}

#[component]
pub fn TracePanel() -> impl IntoView {
    let state = expect_context::<Playground>();
    let chosen = RwSignal::new(None::<String>);
    let labels = Memo::new(move |_| {
        state.analysis.with(|a| {
            let mut l: Vec<String> = a.endpoints.iter().map(|e| e.label()).collect();
            l.dedup();
            l
        })
    });
    let current = Memo::new(move |_| {
        let picked = chosen.get().filter(|c| labels.with(|l| l.contains(c)));
        picked.or_else(|| state.analysis.with(first_endpoint))
    });
    let trace = Memo::new(move |_| {
        let label = current.get()?;
        state.analysis.with(|a| a.endpoints.iter().find(|e| e.label() == label).and_then(|e| e.trace.clone()))
    });
    let measured = move || {
        let label = current.get()?;
        state.analysis.with(|a| {
            let lines: Vec<String> = a
                .measured
                .iter()
                .filter(|m| m.endpoint.as_deref() == Some(label.as_str()))
                .map(|m| {
                    let mut parts = Vec::new();
                    for (name, v) in [("p50", m.p50_ms), ("p95", m.p95_ms), ("p99", m.p99_ms)] {
                        if let Some(v) = v {
                            parts.push(format!("{name} {}", ms(v)));
                        }
                    }
                    if let Some(r) = m.rps {
                        parts.push(format!("{} requests/s", fmt_num((r * 10.0).round() / 10.0)));
                    }
                    if let Some(e) = m.error_rate {
                        parts.push(format!("{}% errors", fmt_num((e * 1000.0).round() / 10.0)));
                    }
                    format!("Measured ({}): {}", m.source, parts.join(" · "))
                })
                .collect();
            (!lines.is_empty()).then(|| {
                view! {
                    <ul id="trace-measured" class="trace-measured">
                        {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                    </ul>
                }
            })
        })
    };
    let chart = move || {
        let Some(t) = trace.get() else {
            return view! { <p class="hint">"No endpoint in the code: the trace shows a route's request path."</p> }
                .into_any();
        };
        let (Some(before), Some(after)) = (&t.before, &t.after) else {
            let why = t.unresolved.clone().unwrap_or_else(|| "not simulated".into());
            return view! { <p id="trace-unresolved" class="hint">{format!("Not simulated: {why}.")}</p> }.into_any();
        };
        let scale = before.duration_ms.max(after.duration_ms).max(1e-9);
        let unknown = (!t.unknown_calls.is_empty()).then(|| {
            view! {
                <p class="hint">
                    {format!("Left out (what they do is not known): {}", t.unknown_calls.join(", "))}
                </p>
            }
        });
        view! {
            <div id="waterfall" class="waterfall">
                <p id="trace-summary" class="trace-summary">
                    <span><strong>"Before: "</strong>{summary(before)}</span>
                    <span>
                        <strong>{if after.hit_rate.is_some() { "After (a cache miss shown): " } else { "After: " }}</strong>
                        {summary(after)}
                    </span>
                </p>
                <div class="waterfall-axis" aria-hidden="true">
                    <span>"0 ms"</span>
                    <span>{ms(scale)}</span>
                </div>
                <h4 class="waterfall-side">"Before"</h4>
                {rows(state, before, scale, "before")}
                <h4 class="waterfall-side">"After the fixes"</h4>
                {rows(state, after, scale, "after")}
                {unknown}
                {table(&t)}
            </div>
        }
        .into_any()
    };
    view! {
        <div class="trace-panel">
            <div class="trace-head">
                <label class="field inline">
                    <span>"Endpoint"</span>
                    <select id="trace-endpoint" on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>
                        {move || {
                            labels
                                .get()
                                .into_iter()
                                .map(|l| {
                                    let selected = {
                                        let l = l.clone();
                                        move || current.get().as_deref() == Some(l.as_str())
                                    };
                                    view! { <option value=l.clone() prop:selected=selected>{l.clone()}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <p class="hint">
                    "One request as the code runs it, simulated; click a bar to select its line."
                </p>
            </div>
            {measured}
            {chart}
        </div>
    }
}
