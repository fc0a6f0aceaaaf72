//! `backlens-worker`: backlens-core in a Web Worker, so that analysing never blocks typing.
//!
//! Built by Trunk as `data-type="worker"` (wasm-bindgen `no-modules`): `backlens-worker.js` +
//! `backlens-worker_bg.wasm`, loaded by the shim `web/js/analysis-worker.js`, which passes every
//! message to [`handle`] and posts its answer back. The protocol is in web/README.md:
//!
//! request `{ id, files: [{ path, source }], args, settings: [[name, value], …], outputs?,
//! analysis?, calibration?, progress? }` → response `{ id, analysis, json? }` or `{ id, error }`.
//!
//! The worker carries the analyzer and the JSON contract only: the Markdown report and SARIF
//! are written on the page (the playground's Report tab, from the analysis it got), so that
//! the docs widget, which loads this worker too and shows findings only, does not download
//! the report writers (issue 14, "Smaller downloads").
//! With `progress: true` in the request, the worker also posts `{ id, progress: { phase, file,
//! rule, index, count, step, at } }` before each step of the analysis (`backlens_core::progress`),
//! so that a page whose watchdog stops a run that takes too long can say where it was.

use backlens_core::report;
use backlens_core::progress::Step;
use backlens_core::{analyze_observed, Params, SourceFile};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::js_sys::{Object, Reflect, JSON};

/// The settings' source shown in the report's model parameters.
const SETTING_SOURCE: &str = "playground";

#[derive(Deserialize)]
struct Request {
    id: f64,
    files: Vec<File>,
    #[serde(default)]
    args: String,
    #[serde(default)]
    settings: Vec<(String, Value)>,
    #[serde(default)]
    outputs: Vec<String>,
    /// `false`: leave `analysis` out of the answer (a caller that reads the `json` text instead
    /// saves copying the object between threads).
    #[serde(default = "yes")]
    analysis: bool,
    /// `true`: post `{ id, progress }` before each step of the analysis.
    #[serde(default)]
    progress: bool,
    /// Cost-model parameters calibrated by measurements, `[[name, value, source], …]`
    /// (`backlens_core::measure::calibration` of the files the page read): applied before
    /// `settings`, which win. The page parses the files itself, so that the widget's worker
    /// does not carry the measurement parsers.
    #[serde(default)]
    calibration: Vec<(String, f64, String)>,
    /// A memory budget in MiB: the analysis stops at the first step after the module's memory
    /// grew past it, and the answer says so with `memory: true` (WebAssembly memory never
    /// shrinks, so the page replaces this worker).
    #[serde(default)]
    max_memory_mib: Option<f64>,
}

#[derive(Deserialize)]
struct File {
    path: String,
    source: String,
}

/// A cost-model setting's value: a number, or the text of a form field.
#[derive(Deserialize)]
#[serde(untagged)]
enum Value {
    Number(f64),
    Text(String),
}

fn yes() -> bool {
    true
}

fn main() {
    console_error_panic_hook::set_once();
}

/// Answers one request message (see the module docs). Never throws for bad input: a request
/// that cannot be read, an invalid argument string or setting is answered with `error`.
#[wasm_bindgen]
pub fn handle(message: JsValue) -> JsValue {
    let id = Reflect::get(&message, &JsValue::from_str("id")).ok().filter(|v| v.as_f64().is_some());
    let id = id.unwrap_or(JsValue::NULL);
    let response = Object::new();
    set(&response, "id", &id);
    match serde_wasm_bindgen::from_value::<Request>(message) {
        Err(e) => set(&response, "error", &format!("malformed request: {e}").into()),
        Ok(request) => {
            debug_assert_eq!(id.as_f64(), Some(request.id));
            let post = progress_poster(&id, request.progress);
            match answer(request, post) {
                Ok(fields) => {
                    for (name, value) in fields {
                        set(&response, name, &value);
                    }
                }
                Err(Answer::Error(message)) => set(&response, "error", &message.into()),
                Err(Answer::Memory(message)) => {
                    set(&response, "error", &message.into());
                    set(&response, "memory", &JsValue::TRUE);
                }
            }
        }
    }
    response.into()
}

/// The response's fields for a readable request, or the message of its invalid parameter.
fn answer(request: Request, mut post: impl FnMut(&Step<'_>)) -> Result<Vec<(&'static str, JsValue)>, Answer> {
    let mut params = Params::parse_args(&request.args).map_err(|e| e.to_string())?;
    for (name, value, source) in &request.calibration {
        params.set_cost(name, &value.to_string(), source).map_err(|e| e.to_string())?;
    }
    for (name, value) in &request.settings {
        let text = match value {
            Value::Number(n) => n.to_string(),
            Value::Text(t) => t.clone(),
        };
        params.set_cost(name, &text, SETTING_SOURCE).map_err(|e| e.to_string())?;
    }
    let files: Vec<SourceFile> = request.files.into_iter().map(|f| SourceFile::new(f.path, f.source)).collect();
    let budget = request.max_memory_mib.filter(|m| *m > 0.0);
    let mut over: Option<f64> = None;
    let observe = &mut |step: &Step<'_>| {
        post(step);
        if let Some(limit) = budget {
            let used = memory_mib();
            if used > limit {
                over = Some(used);
                return std::ops::ControlFlow::Break(());
            }
        }
        std::ops::ControlFlow::Continue(())
    };
    let analysis = match analyze_observed(&files, &params, observe) {
        Ok(analysis) => analysis,
        Err(stopped) => {
            return Err(match (over, budget) {
                (Some(used), Some(limit)) => Answer::Memory(format!(
                    "The analysis used {used:.0} MiB of memory, over the page's budget of {limit:.0} MiB, and was stopped before {}. The results shown are the last ones; open fewer files to try again.",
                    stopped.at
                )),
                _ => Answer::Error(stopped.to_string()),
            })
        }
    };
    let json = report::json(&analysis);
    let mut fields = Vec::new();
    if request.analysis {
        fields.push(("analysis", JSON::parse(&json).map_err(|_| "the analysis is not valid JSON".to_string())?));
    }
    for output in &request.outputs {
        match output.as_str() {
            "json" => fields.push(("json", JsValue::from_str(&json))),
            other => return Err(format!("unknown output {other:?}: expected json (the page writes Markdown and SARIF)").into()),
        }
    }
    Ok(fields)
}

/// Why a request has no analysis: an invalid request, or the memory budget.
enum Answer {
    Error(String),
    Memory(String),
}

impl From<String> for Answer {
    fn from(message: String) -> Self {
        Answer::Error(message)
    }
}

/// The module's linear memory, in MiB (it only grows).
fn memory_mib() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        (core::arch::wasm32::memory_size(0) * 65536) as f64 / (1024.0 * 1024.0)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

/// Posts each step of the analysis of request `id` to the page (`{ id, progress }`), through
/// the worker's global `postMessage`, when the request asked for it (`wanted`).
fn progress_poster(id: &JsValue, wanted: bool) -> impl FnMut(&Step<'_>) {
    let global = web_sys::js_sys::global();
    let post = Reflect::get(&global, &JsValue::from_str("postMessage"))
        .ok()
        .and_then(|f| f.dyn_into::<web_sys::js_sys::Function>().ok())
        .filter(|_| wanted);
    let id = id.clone();
    move |step: &Step<'_>| {
        let Some(post) = &post else { return };
        let progress = Object::new();
        set(&progress, "phase", &step.phase.name().into());
        set(&progress, "file", &step.file.map(JsValue::from_str).unwrap_or(JsValue::NULL));
        set(&progress, "rule", &step.rule.map(JsValue::from_str).unwrap_or(JsValue::NULL));
        set(&progress, "index", &(step.index as f64).into());
        set(&progress, "count", &(step.count as f64).into());
        set(&progress, "step", &step.to_owned().to_string().into());
        // Wall-clock time, comparable with the page's: when the step began.
        set(&progress, "at", &web_sys::js_sys::Date::now().into());
        let message = Object::new();
        set(&message, "id", &id);
        set(&message, "progress", &progress);
        let _ = post.call1(&global, &message);
    }
}

fn set(object: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(name), value);
}
