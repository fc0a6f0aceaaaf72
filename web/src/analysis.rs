//! The live analysis, off the main thread: requests to the analysis Web Worker
//! (`backlens-worker`, protocol in web/README.md), at most one in flight and one waiting.
//! A newer request replaces the waiting one, so stale runs are never started, and answers to
//! anything but the latest request are dropped.

use crate::app::Playground;
use backlens_core::Analysis;
use leptos::prelude::*;
use leptos::wasm_bindgen::{closure::Closure, JsCast, JsValue};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::js_sys::Reflect;

/// The worker's entry script, relative to the page (the site may live under any sub-path).
pub const WORKER_URL: &str = "./analysis-worker.js";

/// A request of the protocol. The page asks for the analysis as JSON text only
/// (`outputs: ["json"], analysis: false`): reading a string into Rust is much faster than
/// reading a big JS object field by field, and nothing is copied twice between threads. It
/// renders the report itself.
#[derive(Serialize, Clone)]
struct Request {
    id: u32,
    files: Vec<File>,
    args: String,
    settings: Vec<(String, f64)>,
    outputs: [&'static str; 1],
    analysis: bool,
    /// What the measurement files (`measurements.rs`, parsed on this page) calibrate:
    /// `[name, value, source]`, applied by the worker before `settings`.
    calibration: Vec<(&'static str, f64, String)>,
}

#[derive(Serialize, Clone)]
struct File {
    path: String,
    source: String,
}

/// What the page knows about the analysis beyond its result.
#[derive(Clone, Copy)]
pub struct Status {
    /// A request is running or waiting.
    pub busy: RwSignal<bool>,
    /// The worker's last error (invalid parameter, crash, failed start), until the next answer.
    pub error: RwSignal<Option<String>>,
    /// The id of the request whose answer `analysis` holds (0: none yet).
    pub shown: RwSignal<u32>,
    /// The id of the latest request sent or waiting.
    pub latest: RwSignal<u32>,
}

struct Client {
    worker: Option<web_sys::Worker>,
    /// Kept alive as long as the worker.
    _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
    in_flight: Option<u32>,
    waiting: Option<Request>,
    next_id: u32,
}

type Shared = Rc<RefCell<Client>>;

/// Starts the worker and analyses the code whenever the analysed text, the file name or the
/// parameters change.
pub fn start(state: Playground) {
    let client: Shared = Rc::new(RefCell::new(Client {
        worker: None,
        _handlers: Vec::new(),
        in_flight: None,
        waiting: None,
        next_id: 1,
    }));
    spawn(&client, state);
    Effect::new(move |_| {
        let files: Vec<File> =
            state.files_for_analysis().into_iter().map(|f| File { path: f.path, source: f.text }).collect();
        let (args, settings) = state
            .params
            .with(|p| (p.to_args(), p.settings.iter().map(|s| (s.name.clone(), s.value)).collect::<Vec<_>>()));
        let calibration = state.measurements.with(|list| crate::measurements::calibration(list));
        let id = {
            let mut c = client.borrow_mut();
            let id = c.next_id;
            c.next_id += 1;
            c.waiting = Some(Request { id, files, args, settings, outputs: ["json"], analysis: false, calibration });
            id
        };
        state.status.latest.set(id);
        state.status.busy.set(true);
        pump(&client, state);
    });
}

/// Sends the waiting request when nothing is in flight.
fn pump(client: &Shared, state: Playground) {
    let mut c = client.borrow_mut();
    if c.in_flight.is_some() {
        return;
    }
    let Some(request) = c.waiting.take() else { return };
    let Some(worker) = c.worker.clone() else {
        state.status.busy.set(false);
        return;
    };
    let message = request.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::UNDEFINED);
    c.in_flight = Some(request.id);
    drop(c);
    if let Err(e) = worker.post_message(&message) {
        client.borrow_mut().in_flight = None;
        state.status.error.set(Some(format!("The analysis could not be started: {}", describe(&e))));
        state.status.busy.set(false);
    }
}

/// Starts a worker (again, after a crash) and wires its answers.
fn spawn(client: &Shared, state: Playground) {
    let options = web_sys::WorkerOptions::new();
    options.set_name("backlens-analysis");
    let worker = match web_sys::Worker::new_with_options(WORKER_URL, &options) {
        Ok(worker) => worker,
        Err(e) => {
            state.status.error.set(Some(format!("The analyzer could not start: {}", describe(&e))));
            return;
        }
    };
    let on_message = {
        let client = client.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let data = event.unchecked_into::<web_sys::MessageEvent>().data();
            receive(&client, state, data);
        })
    };
    let on_error = {
        let client = client.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let message = event.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).unwrap_or_default();
            let message = if message.is_empty() { "the worker could not be loaded".to_string() } else { message };
            crashed(&client, state, format!("The analyzer stopped: {message}"));
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let mut c = client.borrow_mut();
    c.worker = Some(worker);
    c._handlers = vec![on_message, on_error];
}

fn receive(client: &Shared, state: Playground, data: JsValue) {
    let id = Reflect::get(&data, &"id".into()).ok().and_then(|v| v.as_f64()).map(|v| v as u32);
    let error = Reflect::get(&data, &"error".into()).ok().and_then(|v| v.as_string());
    let fatal = Reflect::get(&data, &"fatal".into()).ok().is_some_and(|v| v.is_truthy());
    if fatal {
        crashed(client, state, format!("The analyzer stopped: {}", error.unwrap_or_default()));
        return;
    }
    {
        let mut c = client.borrow_mut();
        if c.in_flight.is_some() && c.in_flight == id {
            c.in_flight = None;
        }
    }
    // Only the latest request's answer is shown; older ones are dropped.
    if id == Some(state.status.latest.get_untracked()) {
        match error {
            Some(message) => state.status.error.set(Some(message)),
            None => {
                let json = Reflect::get(&data, &"json".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
                match serde_json::from_str::<Analysis>(&json) {
                    Ok(mut analysis) => {
                        // Measured endpoints beside the estimates (`measurements.rs`).
                        state.measurements.with_untracked(|list| crate::measurements::attach(list, &mut analysis));
                        state.analysis.set(analysis);
                        state.status.error.set(None);
                    }
                    Err(e) => state.status.error.set(Some(format!("The analyzer's answer is unreadable: {e}"))),
                }
            }
        }
        state.status.shown.set(id.unwrap_or(0));
    }
    pump(client, state);
    let idle = {
        let c = client.borrow();
        c.in_flight.is_none() && c.waiting.is_none()
    };
    if idle {
        state.status.busy.set(false);
    }
}

/// The worker died (a panic in the analyzer, or it never loaded): say so, and start a new one
/// for the next change, so that one bad input does not stop the playground.
fn crashed(client: &Shared, state: Playground, message: String) {
    let old = {
        let mut c = client.borrow_mut();
        c.in_flight = None;
        c.waiting = None;
        c.worker.take()
    };
    if let Some(worker) = old {
        worker.terminate();
    }
    state.status.error.set(Some(message));
    state.status.busy.set(false);
    state.status.shown.set(state.status.latest.get_untracked());
    spawn(client, state);
}

fn describe(value: &JsValue) -> String {
    value
        .as_string()
        .or_else(|| value.dyn_ref::<web_sys::js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| format!("{value:?}"))
}
