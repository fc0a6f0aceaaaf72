//! The live analysis, off the main thread: requests to the analysis Web Worker
//! (`backlens-worker`, protocol in web/README.md), at most one in flight and one waiting.
//! A newer request replaces the waiting one, so stale runs are never started, and answers to
//! anything but the latest request are dropped.
//!
//! A watchdog stops a run that takes too long (20 s, or the page URL's `?timeout=SECONDS`),
//! counted from the worker's first progress message so that loading the analyzer does not
//! count: it terminates the worker and starts a new one, and says which step the worker last
//! reported (`{ id, progress }`: the file of parse and collect, the program-wide phase, the
//! rule). When one file's steps (parse, collect) took half the time or more, that file is
//! left out and the rest of the project is analysed again, so the other files' findings stay;
//! stopped elsewhere (a program-wide phase, or a project that is simply large), the results
//! shown are the last ones. A file left out is tried again once its text changes.
//!
//! A memory budget (1 GiB, or `?memory=MIB`) goes with each request: the worker stops the
//! analysis at the first step past it and answers `memory: true`; the page replaces the
//! worker (WebAssembly memory never shrinks), keeps the last results and says where it stopped.

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
    /// Ask the worker for `{ id, progress }` messages (the watchdog's "where").
    progress: bool,
    /// The files left out of this request (see [`LeftOut`]): paths.
    #[serde(skip)]
    left_out: Vec<String>,
    /// What the measurement files (`measurements.rs`, parsed on this page) calibrate:
    /// `[name, value, source]`, applied by the worker before `settings`.
    calibration: Vec<(&'static str, f64, String)>,
    /// The memory budget the worker stops at (MiB; [`DEFAULT_MEMORY_MIB`] or `?memory=MIB`).
    max_memory_mib: f64,
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
    /// The request in flight, to analyse again without the file the watchdog stopped in.
    sent: Option<Request>,
    /// The last step the worker reported for the request in flight.
    progress: Option<Reported>,
    /// Milliseconds each file's steps took so far in the request in flight (from the worker's
    /// timestamps, so a busy page does not skew them).
    spent: Vec<(String, f64)>,
    /// The watchdog's timer for the request in flight, and its callback.
    watchdog: Option<(i32, Closure<dyn FnMut()>)>,
    /// How long an analysis may take, in milliseconds.
    timeout_ms: f64,
    left_out: Vec<LeftOut>,
}

/// A step as the worker reported it (`progress`), and when the page heard of it.
struct Reported {
    /// `phase collect, file src/big.js (3 of 40)`.
    step: String,
    /// The file of a per-file step.
    file: Option<String>,
    /// When the step began: the worker's `Date.now()`.
    at: f64,
}

impl Client {
    /// The time from the last reported step's start to `until` goes to that step's file.
    fn charge(&mut self, until: f64) {
        let Some(Reported { file: Some(file), at, .. }) = &self.progress else { return };
        let ms = (until - at).max(0.0);
        match self.spent.iter_mut().find(|(f, _)| f == file) {
            Some((_, total)) => *total += ms,
            None => self.spent.push((file.clone(), ms)),
        }
    }
}

/// A file the watchdog stopped the analysis in: left out of later requests while its text is
/// the same.
struct LeftOut {
    path: String,
    text: String,
}

/// How long an analysis may take before the watchdog stops it, unless the page's URL says
/// otherwise (`?timeout=SECONDS`).
const DEFAULT_TIMEOUT_MS: f64 = 20_000.0;
/// How much memory the analyzer's WebAssembly may grow to before an analysis is stopped,
/// unless the page's URL says otherwise (`?memory=MIB`): well under the 4 GiB a 32-bit module
/// can address, so that a dropped monorepo stops with a message rather than an abort.
const DEFAULT_MEMORY_MIB: f64 = 1024.0;
/// How long a request may wait for the worker's first progress message (the worker loads its
/// WebAssembly first) before the watchdog stops it.
const START_MS: f64 = 60_000.0;

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
        sent: None,
        progress: None,
        spent: Vec::new(),
        watchdog: None,
        timeout_ms: timeout_of_page().unwrap_or(DEFAULT_TIMEOUT_MS),
        left_out: Vec::new(),
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
            c.waiting = Some(Request {
                id,
                files,
                args,
                settings,
                outputs: ["json"],
                analysis: false,
                progress: true,
                left_out: Vec::new(),
                calibration,
                max_memory_mib: page_number("memory").unwrap_or(DEFAULT_MEMORY_MIB),
            });
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
    let Some(mut request) = c.waiting.take() else { return };
    let Some(worker) = c.worker.clone() else {
        state.status.busy.set(false);
        return;
    };
    // A file left out is tried again once its text changes (or it leaves the project).
    c.left_out.retain(|l| request.files.iter().any(|f| f.path == l.path && f.source == l.text));
    let left_out = &c.left_out;
    request.files.retain(|f| {
        let out = left_out.iter().any(|l| l.path == f.path && l.text == f.source);
        if out && !request.left_out.contains(&f.path) {
            request.left_out.push(f.path.clone());
        }
        !out
    });
    if request.files.is_empty() {
        drop(c);
        state.status.error.set(Some(format!("Nothing left to analyse: {}", left_out_sentence(&request.left_out))));
        state.status.shown.set(request.id);
        state.status.busy.set(false);
        return;
    }
    let message = request.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::UNDEFINED);
    c.in_flight = Some(request.id);
    c.progress = None;
    c.spent.clear();
    c.sent = Some(request);
    drop(c);
    arm(client, state, START_MS);
    if let Err(e) = worker.post_message(&message) {
        disarm(client);
        client.borrow_mut().in_flight = None;
        state.status.error.set(Some(format!("The analysis could not be started: {}", describe(&e))));
        state.status.busy.set(false);
    }
}

/// A positive number given as `?NAME=VALUE` in the page's URL.
fn page_number(name: &str) -> Option<f64> {
    let search = window().location().search().ok()?;
    let prefix = format!("{name}=");
    let value = search.trim_start_matches('?').split('&').find_map(|kv| kv.strip_prefix(prefix.as_str()))?;
    value.parse::<f64>().ok().filter(|v| v.is_finite() && *v > 0.0)
}

/// `?timeout=SECONDS` in the page's URL, in milliseconds.
fn timeout_of_page() -> Option<f64> {
    page_number("timeout").map(|seconds| seconds * 1000.0)
}

/// (Re)starts the watchdog for the request in flight: it fires after `ms`.
fn arm(client: &Shared, state: Playground, ms: f64) {
    disarm(client);
    let callback = {
        let client = client.clone();
        Closure::<dyn FnMut()>::new(move || expired(&client, state))
    };
    let handle = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(callback.as_ref().unchecked_ref(), ms.min(2e9) as i32)
        .unwrap_or(0);
    client.borrow_mut().watchdog = Some((handle, callback));
}

fn disarm(client: &Shared) {
    // Dropping the closure while its timer may run would make the timer call a freed function.
    let old = client.borrow_mut().watchdog.take();
    if let Some((handle, callback)) = old {
        window().clear_timeout_with_handle(handle);
        drop(callback);
    }
}

/// The watchdog fired: the analysis in flight took too long. Stop the worker, start another,
/// say where it was, and analyse again without the file it was stuck in (if it was in one).
fn expired(client: &Shared, state: Playground) {
    let now = web_sys::js_sys::Date::now();
    let (old, request, progress, spent, timeout_ms) = {
        let mut c = client.borrow_mut();
        c.charge(now);
        // The timer has run, and this is its closure: wasm-bindgen forbids dropping a closure
        // while it runs, so it is leaked (a few bytes per stopped analysis).
        std::mem::forget(c.watchdog.take());
        c.in_flight = None;
        let spent = std::mem::take(&mut c.spent);
        (c.worker.take(), c.sent.take(), c.progress.take(), spent, c.timeout_ms)
    };
    if let Some(worker) = old {
        worker.terminate();
    }
    spawn(client, state);
    let seconds = timeout_ms / 1000.0;
    let Some(request) = request else { return };
    // The file whose steps took the most time; it runs away if that is half the time or more.
    let slowest = spent
        .iter()
        .filter(|(path, _)| request.files.iter().any(|f| &f.path == path))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .filter(|(_, ms)| *ms >= timeout_ms / 2.0);
    let message = match (&progress, slowest) {
        (None, _) => format!(
            "The analyzer did not start within {} s and was restarted; the results shown are the last ones.",
            START_MS / 1000.0
        ),
        (Some(Reported { step, .. }), Some((file, ms))) => {
            let text = request.files.iter().find(|f| &f.path == file).map(|f| f.source.clone()).unwrap_or_default();
            let mut c = client.borrow_mut();
            c.left_out.push(LeftOut { path: file.clone(), text });
            // Analyse the same request again without that file, unless a newer one waits (it
            // leaves the file out too).
            if c.waiting.is_none() {
                c.waiting = Some(request);
            }
            format!(
                "The analysis took longer than {seconds} s and was stopped in {step}: {file} took {:.2} s of it by itself and is left out, the other files are analysed again.",
                ms / 1000.0
            )
        }
        (Some(Reported { step, .. }), None) => format!(
            "The analysis took longer than {seconds} s and was stopped in {step}. The results shown are the last ones; change the code or open fewer files to try again."
        ),
    };
    state.status.error.set(Some(message));
    let idle = client.borrow().waiting.is_none();
    if idle {
        state.status.shown.set(state.status.latest.get_untracked());
        state.status.busy.set(false);
    } else {
        pump(client, state);
    }
}

/// "src/big.js was left out: its analysis took too long."
fn left_out_sentence(paths: &[String]) -> String {
    match paths {
        [one] => format!("{one} was left out: its analysis took too long (it is tried again when it changes)."),
        many => format!(
            "{} were left out: their analysis took too long (each is tried again when it changes).",
            many.join(", ")
        ),
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
    let progress = Reflect::get(&data, &"progress".into()).ok().filter(|p| p.is_object());
    if let Some(progress) = progress {
        let text = |name: &str| Reflect::get(&progress, &name.into()).ok().and_then(|v| v.as_string());
        let at = Reflect::get(&progress, &"at".into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or_else(web_sys::js_sys::Date::now);
        let first = {
            let mut c = client.borrow_mut();
            if c.in_flight.is_none() || c.in_flight != id {
                return;
            }
            let first = c.progress.is_none();
            c.charge(at);
            c.progress = Some(Reported { step: text("step").unwrap_or_default(), file: text("file"), at });
            first
        };
        // The analysis began at `at`: from then on it has `timeout_ms`.
        if first {
            let ms = client.borrow().timeout_ms - (web_sys::js_sys::Date::now() - at).max(0.0);
            arm(client, state, ms.max(0.0));
        }
        return;
    }
    let error = Reflect::get(&data, &"error".into()).ok().and_then(|v| v.as_string());
    let fatal = Reflect::get(&data, &"fatal".into()).ok().is_some_and(|v| v.is_truthy());
    if fatal {
        crashed(client, state, format!("The analyzer stopped: {}", error.unwrap_or_default()));
        return;
    }
    // Over the memory budget: the worker's memory never shrinks, so it is replaced; the
    // results shown are the last ones, and the message says where it stopped.
    let memory = Reflect::get(&data, &"memory".into()).ok().is_some_and(|v| v.is_truthy());
    if memory {
        crashed(client, state, error.unwrap_or_default());
        return;
    }
    let mut left_out = Vec::new();
    let answered = {
        let mut c = client.borrow_mut();
        let answered = c.in_flight.is_some() && c.in_flight == id;
        if answered {
            c.in_flight = None;
            c.progress = None;
            left_out = c.sent.take().map(|r| r.left_out).unwrap_or_default();
        }
        answered
    };
    if answered {
        disarm(client);
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
                        state.status.error.set((!left_out.is_empty()).then(|| left_out_sentence(&left_out)));
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
    disarm(client);
    let old = {
        let mut c = client.borrow_mut();
        c.in_flight = None;
        c.waiting = None;
        c.sent = None;
        c.progress = None;
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
