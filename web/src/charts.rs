//! Pictures of the estimates, drawn by the app as inline SVG (no chart library): per-endpoint
//! p95 latency before/after the fixes, database queries per request before/after, and the
//! simulated load test — p50/p95/p99 against requests per second, before and after, with
//! each saturation point marked. The numbers are the report's: the same endpoint loads
//! (`report::endpoint_load`) through the same queueing model (`cost::queueing`).
//!
//! Each chart is `role="img"` with a `<title>` and a `<desc>` that states its numbers, and a
//! data table under a disclosure for anyone who would rather read them. The SVG is built as
//! text; every piece of text from the analysed code (route paths) is XML-escaped.

use crate::app::Playground;
use backlens_core::cost::queueing::{self, Outcome};
use backlens_core::cost::{fmt_num, Profile};
use backlens_core::report::{endpoint_load, Load};
use backlens_core::{Analysis, Params};
use leptos::prelude::*;
use std::fmt::Write;

/// How many arrival rates the load-test curve is drawn from.
const SWEEP_STEPS: usize = 80;

/// One endpoint with findings: its latency and queries before and after every fix on it.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointFigures {
    pub label: String,
    pub before: Load,
    pub after: Load,
    /// (p95 in ms, or `None` when saturated) at the profile's RPS.
    pub p95_before: Option<f64>,
    pub p95_after: Option<f64>,
    /// Database queries per request, when a finding on the endpoint counts them.
    pub queries: Option<(f64, f64)>,
}

/// The figures of every endpoint some finding is on, in the analysis's order.
pub fn endpoint_figures(analysis: &Analysis, params: &Params) -> Vec<EndpointFigures> {
    let profile = Profile::for_params(params);
    let mut seen = Vec::new();
    analysis
        .endpoints
        .iter()
        .map(|e| e.label())
        .filter(|label| {
            let fresh = !seen.contains(label);
            seen.push(label.clone());
            fresh && analysis.findings.iter().any(|f| f.endpoint.as_deref() == Some(label.as_str()))
        })
        .map(|label| {
            let before = endpoint_load(analysis, &label, &profile, false);
            let after = endpoint_load(analysis, &label, &profile, true);
            let p95 = |l: &Load| match queueing::endpoint(profile.rps.value, l.db_ms, profile.pool_size.value, l.cpu_ms)
            {
                Outcome::Stable { p95, .. } => Some(p95 + l.extra_ms),
                Outcome::Saturated { .. } => None,
            };
            let on = analysis.findings.iter().filter(|f| f.endpoint.as_deref() == Some(label.as_str()));
            let (mut q_before, mut q_after, mut counted) = (0.0, 0.0, false);
            for f in on {
                let get = |ms: &[backlens_core::Metric]| ms.iter().find(|m| m.name == "queries").map(|m| m.value);
                if let (Some(b), Some(a)) = (get(&f.estimate.before), get(&f.estimate.after)) {
                    q_before += b;
                    q_after += a;
                    counted = true;
                }
            }
            EndpointFigures {
                p95_before: p95(&before),
                p95_after: p95(&after),
                queries: counted.then_some((q_before, q_after)),
                label,
                before,
                after,
            }
        })
        .collect()
}

/// Milliseconds as the report prints them: one decimal at most.
fn ms(v: f64) -> String {
    fmt_num((v * 10.0).round() / 10.0)
}

/// Text safe inside SVG/HTML markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A "nice" upper bound for an axis: 1, 2 or 5 × 10ⁿ at or above `v`.
fn nice_max(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * p).find(|m| *m >= v * 0.999_999).unwrap_or(10.0 * p)
}

const WIDTH: f64 = 640.0;
const LEFT: f64 = 150.0;
const RIGHT: f64 = 24.0;

/// Paired horizontal bars, one pair per row: (row label, before, after) where `None` is a
/// saturated endpoint (a full-length hatched bar). `unit` follows each value.
fn paired_bars(id: &str, title: &str, desc: &str, rows: &[(String, Option<f64>, Option<f64>)], unit: &str) -> String {
    let row_h = 46.0;
    let top = 30.0;
    let height = top + row_h * rows.len() as f64 + 28.0;
    let max = nice_max(rows.iter().flat_map(|(_, b, a)| [*b, *a]).flatten().fold(0.0, f64::max));
    let plot = WIDTH - LEFT - RIGHT - 60.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg id="{id}" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMinYMin meet"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(desc)
    );
    svg.push_str(r#"<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern></defs>"#);
    // Legend.
    let _ = write!(
        svg,
        r#"<rect x="{LEFT}" y="6" width="12" height="12" class="before"/><text x="{}" y="16" class="legend">before</text><rect x="{}" y="6" width="12" height="12" class="after"/><text x="{}" y="16" class="legend">after the fixes</text>"#,
        LEFT + 16.0,
        LEFT + 80.0,
        LEFT + 96.0
    );
    for (i, (label, before, after)) in rows.iter().enumerate() {
        let y = top + row_h * i as f64;
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" class="axis-label" text-anchor="end">{}</text>"#,
            LEFT - 8.0,
            y + 23.0,
            escape(&short(label, 22))
        );
        for (j, (value, class)) in [(before, "before"), (after, "after")].into_iter().enumerate() {
            let by = y + 4.0 + j as f64 * 18.0;
            let (w, fill, text) = match value {
                Some(v) => ((v / max * plot).max(1.0), class.to_string(), format!("{} {unit}", ms(*v))),
                None => (plot, format!("{class} saturated"), "saturated".to_string()),
            };
            let _ = write!(
                svg,
                r#"<rect x="{LEFT}" y="{by}" width="{w:.1}" height="15" class="{fill}"/><text x="{:.1}" y="{}" class="value">{}</text>"#,
                LEFT + w + 4.0,
                by + 12.0,
                escape(&text)
            );
            if value.is_none() {
                let _ = write!(svg, r#"<rect x="{LEFT}" y="{by}" width="{w:.1}" height="15" fill="url(#hatch)"/>"#);
            }
        }
    }
    let axis_y = top + row_h * rows.len() as f64;
    let _ = write!(
        svg,
        r#"<line x1="{LEFT}" y1="{axis_y}" x2="{}" y2="{axis_y}" class="axis"/><text x="{LEFT}" y="{}" class="tick">0</text><text x="{}" y="{}" class="tick" text-anchor="end">{} {unit}</text></svg>"#,
        LEFT + plot,
        axis_y + 16.0,
        LEFT + plot,
        axis_y + 16.0,
        fmt_num(max)
    );
    svg
}

/// `text` cut to `n` characters with an ellipsis.
fn short(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(n - 1).collect::<String>())
    }
}

/// p50, p95, p99 in ms, or `None` when saturated.
pub type Percentiles = Option<[f64; 3]>;

/// The simulated load test of one endpoint: the sweep's points before and after its fixes.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadTest {
    pub label: String,
    /// The x axis, logarithmic: powers of ten around the interesting range.
    pub min_rps: f64,
    pub max_rps: f64,
    /// (rps, [p50, p95, p99] in ms or `None` when saturated), before and after.
    pub before: Vec<(f64, Percentiles)>,
    pub after: Vec<(f64, Percentiles)>,
    /// Where each saturates (the model's maximum throughput, requests/s).
    pub saturation_before: f64,
    pub saturation_after: f64,
    /// The profile's RPS, where the report's figures are taken, and the percentiles there
    /// (before, after).
    pub profile_rps: f64,
    pub at_profile: (Percentiles, Percentiles),
    /// The data table: (rps, before, after) at round rates (1, 2, 5 × 10ⁿ) and the profile's.
    pub table: Vec<(f64, Percentiles, Percentiles)>,
}

pub fn load_test(figures: &EndpointFigures, params: &Params) -> LoadTest {
    let profile = Profile::for_params(params);
    let pool = profile.pool_size.value;
    let saturation = |l: &Load| queueing::endpoint(0.0, l.db_ms, pool, l.cpu_ms).max_throughput();
    let (sat_before, sat_after) = (saturation(&figures.before), saturation(&figures.after));
    // From a tenth of the first interesting rate to past the later saturation point and the
    // profile's RPS, in whole powers of ten.
    let lowest = sat_before.min(sat_after).min(profile.rps.value).max(0.01);
    let min_rps = 10f64.powf((lowest / 10.0).log10().floor()).max(0.01);
    let highest = (sat_before.max(sat_after) * 1.2).max(profile.rps.value * 1.5);
    let max_rps = 10f64.powf(highest.log10().ceil());
    let percentiles = |o: Outcome, l: &Load| match o {
        Outcome::Stable { p50, p95, p99, .. } => Some([p50, p95, p99].map(|v| v + l.extra_ms)),
        Outcome::Saturated { .. } => None,
    };
    let points = |l: &Load| {
        queueing::sweep(min_rps, max_rps, SWEEP_STEPS, l.db_ms, pool, l.cpu_ms)
            .into_iter()
            .map(|(rps, o)| (rps, percentiles(o, l)))
            .collect::<Vec<_>>()
    };
    let at_rate = |rps: f64, l: &Load| percentiles(queueing::endpoint(rps, l.db_ms, pool, l.cpu_ms), l);
    let at = |l: &Load| at_rate(profile.rps.value, l);
    let mut rates = vec![profile.rps.value];
    let mut decade = min_rps;
    while decade < max_rps * 1.000_001 {
        rates.extend([1.0, 2.0, 5.0].map(|m| m * decade).into_iter().filter(|r| *r <= max_rps * 1.000_001));
        decade *= 10.0;
    }
    rates.sort_by(f64::total_cmp);
    rates.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    let table = rates.into_iter().map(|r| (r, at_rate(r, &figures.before), at_rate(r, &figures.after))).collect();
    LoadTest {
        label: figures.label.clone(),
        min_rps,
        max_rps,
        before: points(&figures.before),
        after: points(&figures.after),
        saturation_before: sat_before,
        saturation_after: sat_after,
        profile_rps: profile.rps.value,
        at_profile: (at(&figures.before), at(&figures.after)),
        table,
    }
}

fn load_test_svg(t: &LoadTest) -> String {
    let (top, bottom, left) = (34.0, 44.0, 64.0);
    let height = 320.0;
    let plot_w = WIDTH - left - RIGHT;
    let plot_h = height - top - bottom;
    // Latency on a log scale too (before and after often differ tenfold), in whole powers of
    // ten: from below the fastest p50 to above the p99 at 80% of saturation, where the queue
    // starts to explode; curves run off the top as they approach saturation.
    let usable = |pts: &[(f64, Option<[f64; 3]>)], sat: f64| {
        pts.iter().filter(|(rps, _)| *rps <= sat * 0.8).filter_map(|(_, p)| p.map(|p| p[2])).fold(0.0, f64::max)
    };
    let fastest = t.before.iter().chain(&t.after).filter_map(|(_, p)| p.map(|p| p[0])).fold(f64::INFINITY, f64::min);
    let slowest = usable(&t.before, t.saturation_before).max(usable(&t.after, t.saturation_after)) * 1.5;
    let y_min = 10f64.powf(fastest.max(0.01).log10().floor());
    let y_max = 10f64.powf(slowest.max(y_min * 10.0).log10().ceil());
    let span = (t.max_rps / t.min_rps).log10();
    let x = |rps: f64| left + (rps.max(t.min_rps) / t.min_rps).log10() / span * plot_w;
    let y_span = (y_max / y_min).log10();
    let y = |ms: f64| top + plot_h - (ms.clamp(y_min, y_max) / y_min).log10() / y_span * plot_h;
    let desc = format!(
        "{}: before the fixes the model saturates at {} requests/s, after them at {} requests/s. At {} requests/s: before, {}; after, {}.",
        t.label,
        fmt_num((t.saturation_before * 10.0).round() / 10.0),
        fmt_num((t.saturation_after * 10.0).round() / 10.0),
        fmt_num(t.profile_rps),
        percentiles(t.at_profile.0),
        percentiles(t.at_profile.1),
    );
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg id="chart-load" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" aria-labelledby="chart-load-title chart-load-desc" preserveAspectRatio="xMinYMin meet"><title id="chart-load-title">Simulated load test of {}: latency percentiles against requests per second</title><desc id="chart-load-desc">{}</desc>"#,
        escape(&t.label),
        escape(&desc)
    );
    // Grid and axes: y ticks at each power of ten.
    let mut v = y_min;
    while v <= y_max * 1.000_001 {
        let _ = write!(
            svg,
            r#"<line x1="{left}" x2="{:.1}" y1="{:.1}" y2="{:.1}" class="grid"/><text x="{:.1}" y="{:.1}" class="tick" text-anchor="end">{} ms</text>"#,
            left + plot_w,
            y(v),
            y(v),
            left - 6.0,
            y(v) + 4.0,
            fmt_num((v * 100.0).round() / 100.0)
        );
        v *= 10.0;
    }
    // x ticks at each power of ten.
    let mut r = t.min_rps;
    while r <= t.max_rps * 1.000_001 {
        let _ = write!(
            svg,
            r#"<line x1="{:.1}" x2="{:.1}" y1="{top}" y2="{:.1}" class="grid"/><text x="{:.1}" y="{:.1}" class="tick" text-anchor="middle">{}</text>"#,
            x(r),
            x(r),
            top + plot_h,
            x(r),
            top + plot_h + 16.0,
            fmt_num((r * 100.0).round() / 100.0)
        );
        r *= 10.0;
    }
    let _ = write!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" class="axis-label" text-anchor="middle">requests per second (log scale; latency in ms, log scale)</text>"#,
        left + plot_w / 2.0,
        height - 8.0
    );
    // Curves: one polyline per percentile, before and after; a saturated point ends the line.
    for (pts, class) in [(&t.before, "before"), (&t.after, "after")] {
        for (k, name) in ["p50", "p95", "p99"].into_iter().enumerate() {
            let coords: Vec<String> =
                pts.iter().map_while(|(rps, p)| p.map(|p| format!("{:.1},{:.1}", x(*rps), y(p[k])))).collect();
            if coords.len() > 1 {
                let _ = write!(svg, r#"<polyline class="curve {class} {name}" points="{}"/>"#, coords.join(" "));
            }
        }
    }
    // Saturation points and the profile's RPS.
    for (sat, class, label) in
        [(t.saturation_before, "before", "saturates (before)"), (t.saturation_after, "after", "saturates (after)")]
    {
        if sat >= t.min_rps && sat <= t.max_rps {
            let _ = write!(
                svg,
                r#"<line class="saturation {class}" x1="{:.1}" x2="{:.1}" y1="{top}" y2="{:.1}"/><text class="sat-label {class}" x="{:.1}" y="{:.1}" text-anchor="{}">{label}: {}</text>"#,
                x(sat),
                x(sat),
                top + plot_h,
                x(sat) + if class == "before" { 4.0 } else { -4.0 },
                if class == "before" { top + 12.0 } else { top + 26.0 },
                if class == "before" && x(sat) < left + plot_w * 0.7 { "start" } else { "end" },
                fmt_num((sat * 10.0).round() / 10.0)
            );
        }
    }
    let _ = write!(
        svg,
        r#"<line class="profile-rps" x1="{:.1}" x2="{:.1}" y1="{top}" y2="{:.1}"/>"#,
        x(t.profile_rps),
        x(t.profile_rps),
        top + plot_h
    );
    // Legend.
    let _ = write!(
        svg,
        r#"<g class="legend"><line class="curve before p95" x1="{left}" x2="{}" y1="12" y2="12"/><text x="{}" y="16">before</text><line class="curve after p95" x1="{}" x2="{}" y1="12" y2="12"/><text x="{}" y="16">after</text><text x="{}" y="16">solid p50 · dashed p95 · dotted p99 · grey line: profile RPS</text></g></svg>"#,
        left + 20.0,
        left + 24.0,
        left + 80.0,
        left + 100.0,
        left + 104.0,
        left + 150.0
    );
    svg
}

/// "p50 a ms, p95 b ms, p99 c ms", or "saturated".
fn percentiles(p: Option<[f64; 3]>) -> String {
    match p {
        Some([p50, p95, p99]) => format!("p50 {} ms, p95 {} ms, p99 {} ms", ms(p50), ms(p95), ms(p99)),
        None => "saturated".to_string(),
    }
}

#[component]
pub fn ChartsPanel() -> impl IntoView {
    let state = expect_context::<Playground>();
    // The parameters the analysis ran with (measured spans calibrate some).
    let params = Memo::new(move |_| state.report_params());
    let figures = Memo::new(move |_| state.analysis.with(|a| params.with(|p| endpoint_figures(a, p))));
    let chosen = RwSignal::new(0usize);
    let latency = move || {
        figures.with(|f| {
            let rows: Vec<_> = f.iter().map(|e| (e.label.clone(), e.p95_before, e.p95_after)).collect();
            let desc = f
                .iter()
                .map(|e| {
                    format!("{}: {} before, {} after", e.label, or_saturated(e.p95_before), or_saturated(e.p95_after))
                })
                .collect::<Vec<_>>()
                .join("; ");
            let rps = params.with(|p| Profile::for_params(p).rps.value);
            paired_bars(
                "chart-latency",
                &format!("p95 latency per endpoint at {} requests/s", fmt_num(rps)),
                &desc,
                &rows,
                "ms",
            )
        })
    };
    let queries = move || {
        figures.with(|f| {
            let rows: Vec<_> =
                f.iter().filter_map(|e| e.queries.map(|(b, a)| (e.label.clone(), Some(b), Some(a)))).collect();
            if rows.is_empty() {
                return None;
            }
            let desc = rows
                .iter()
                .map(|(l, b, a)| {
                    format!("{l}: {} before, {} after", fmt_num(b.unwrap_or(0.0)), fmt_num(a.unwrap_or(0.0)))
                })
                .collect::<Vec<_>>()
                .join("; ");
            Some(paired_bars("chart-queries", "Database queries per request", &desc, &rows, "queries"))
        })
    };
    let test = Memo::new(move |_| {
        figures.with(|f| {
            let i = chosen.get().min(f.len().saturating_sub(1));
            f.get(i).map(|e| params.with(|p| load_test(e, p)))
        })
    });

    view! {
        <section id="charts" class="charts" aria-labelledby="charts-heading">
            <h2 id="charts-heading">"At a glance"</h2>
            {move || {
                if figures.with(Vec::is_empty) {
                    return view! {
                        <p class="hint">"No finding is on a detected endpoint: nothing to chart."</p>
                    }
                        .into_any();
                }
                view! {
                    <figure class="chart-figure">
                        <div inner_html=latency></div>
                        <DataTable
                            caption="p95 latency (ms)"
                            rows=Signal::derive(move || {
                                figures.with(|f| {
                                    f.iter()
                                        .map(|e| vec![e.label.clone(), or_saturated(e.p95_before), or_saturated(e.p95_after)])
                                        .collect()
                                })
                            })
                            head=vec!["Endpoint", "Before", "After"]
                        />
                    </figure>
                    {move || {
                        queries()
                            .map(|svg| {
                                view! {
                                    <figure class="chart-figure">
                                        <div inner_html=svg></div>
                                        <DataTable
                                            caption="Queries per request"
                                            rows=Signal::derive(move || {
                                                figures.with(|f| {
                                                    f.iter()
                                                        .filter_map(|e| {
                                                            e.queries
                                                                .map(|(b, a)| vec![e.label.clone(), fmt_num(b), fmt_num(a)])
                                                        })
                                                        .collect()
                                                })
                                            })
                                            head=vec!["Endpoint", "Before", "After"]
                                        />
                                    </figure>
                                }
                            })
                    }}
                    <figure class="chart-figure">
                        <label class="field chart-endpoint" hidden=move || figures.with(|f| f.len() < 2)>
                            <span>"Load test of"</span>
                            <select
                                id="chart-load-endpoint"
                                on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))
                            >
                                {move || {
                                    figures
                                        .with(|f| {
                                            f.iter()
                                                .enumerate()
                                                .map(|(i, e)| {
                                                    view! {
                                                        <option value=i.to_string() prop:selected=move || chosen.get() == i>
                                                            {e.label.clone()}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()
                                        })
                                }}
                            </select>
                        </label>
                        <div inner_html=move || test.with(|t| t.as_ref().map(load_test_svg).unwrap_or_default())></div>
                        <DataTable
                            caption="Simulated load test (ms; — = saturated)"
                            rows=Signal::derive(move || test.with(|t| t.as_ref().map(load_test_rows).unwrap_or_default()))
                            head=vec!["Requests/s", "p50 before", "p95 before", "p99 before", "p50 after", "p95 after", "p99 after"]
                        />
                    </figure>
                }
                    .into_any()
            }}
        </section>
    }
}

fn or_saturated(v: Option<f64>) -> String {
    v.map(|v| format!("{} ms", ms(v))).unwrap_or_else(|| "saturated".to_string())
}

/// The load test's data table rows.
fn load_test_rows(t: &LoadTest) -> Vec<Vec<String>> {
    let cell = |p: &Option<[f64; 3]>, k: usize| p.map(|p| ms(p[k])).unwrap_or_else(|| "—".to_string());
    t.table
        .iter()
        .map(|(rps, b, a)| {
            vec![
                fmt_num((rps * 100.0).round() / 100.0),
                cell(b, 0),
                cell(b, 1),
                cell(b, 2),
                cell(a, 0),
                cell(a, 1),
                cell(a, 2),
            ]
        })
        .collect()
}

/// A chart's numbers as a table, behind a disclosure.
#[component]
fn DataTable(caption: &'static str, head: Vec<&'static str>, rows: Signal<Vec<Vec<String>>>) -> impl IntoView {
    view! {
        <details class="chart-data">
            <summary>{format!("Data table: {caption}")}</summary>
            <div class="table-scroll">
                <table>
                    <thead>
                        <tr>{head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>
                        {move || {
                            rows.get()
                                .into_iter()
                                .map(|row| view! { <tr>{row.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use backlens_core::{analyze, SourceFile};

    const N_PLUS_ONE: &str = "app.get('/api/users', async (req, res) => {
  const users = await User.findAll();
  for (const user of users) {
    user.posts = await Post.findAll({ where: { userId: user.id } });
  }
  res.json(users);
});
";

    #[test]
    fn the_n_plus_one_endpoint_gets_faster_and_makes_fewer_queries() {
        let params = Params::all_rules();
        let analysis = analyze(&[SourceFile::new("a.js", N_PLUS_ONE)], &params);
        let figures = endpoint_figures(&analysis, &params);
        assert_eq!(figures.len(), 1);
        let e = &figures[0];
        assert_eq!(e.label, "GET /api/users");
        let (before, after) = e.queries.unwrap();
        assert!(before > after && after >= 1.0, "{before} → {after}");
        assert!(e.before.db_ms > e.after.db_ms);
        let t = load_test(e, &params);
        assert!(t.saturation_after > t.saturation_before);
        assert!(t.max_rps >= t.saturation_after && t.min_rps <= t.saturation_before / 10.0);
        assert_eq!(t.before.len(), SWEEP_STEPS);
        // The curves end at saturation: no point past it is stable.
        assert!(t.before.iter().all(|(rps, p)| p.is_none() || *rps < t.saturation_before));
        let svg = load_test_svg(&t);
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title") && svg.contains("saturates (before)"));
    }

    #[test]
    fn route_paths_are_escaped_in_the_svg() {
        let rows = vec![("GET /<img src=x>".to_string(), Some(3.0), None)];
        let svg = paired_bars("c", "t", "d <b>", &rows, "ms");
        assert!(!svg.contains("<img") && !svg.contains("<b>"));
        assert!(svg.contains("&lt;img") && svg.contains("saturated"));
    }

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_max(37.0), 50.0);
        assert_eq!(nice_max(100.0), 100.0);
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(f64::INFINITY), 1.0);
        assert_eq!(nice_max(1200.0), 2000.0);
    }
}
