//! Projects: several files analysed as one program. Files come from a file picker, a folder
//! picker (`<input webkitdirectory>`) or a drop on the page (files or whole folders). What
//! the CLI would not read is skipped — dependencies and build output, hidden directories,
//! what the folder's root `.gitignore` excludes (simple patterns), files that are not
//! JavaScript/TypeScript — and what cannot be analysed is refused with its reason (unreadable,
//! binary or not UTF-8, too large). Nothing is dropped silently: the panel lists every skip.
//!
//! Files are read in batches, yielding to the event loop between batches, with a progress
//! bar and a Cancel button. The file tree shows each file's finding count; choosing a file
//! opens it in the editor (`Playground::code` / `file_name` are always the open file).

use crate::app::Playground;
use leptos::prelude::*;
use leptos::wasm_bindgen::{closure::Closure, JsCast, JsValue};
use std::collections::BTreeMap;
use wasm_bindgen_futures::JsFuture;

/// One file of a project: its path relative to the project's root and its text.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectFile {
    pub path: String,
    pub text: String,
}

/// Directories never read: dependencies and build output (the CLI's list). Hidden
/// directories (`.git`, `.next`, `.cache`, …) are skipped too.
pub const SKIPPED_DIRS: &[&str] =
    &["node_modules", "bower_components", "dist", "build", "out", "coverage", ".next", ".nuxt"];
/// The largest file read, in bytes (the analyzer's own limit is 16 MiB; the playground keeps
/// every file in memory and re-analyses the project on each edit).
pub const MAX_FILE_BYTES: f64 = 2.0 * 1024.0 * 1024.0;
/// The most files a project may hold; the CLI is the tool for larger code bases.
pub const MAX_FILES: usize = 2000;
/// Files read between two yields to the event loop.
const BATCH: usize = 25;

/// Why a file was not opened.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    /// In a dependency or build-output directory (the directory's path).
    Excluded(String),
    /// Excluded by the root `.gitignore` (the pattern).
    Ignored(String),
    /// Not a JavaScript/TypeScript source.
    NotSource,
    TooLarge(u64),
    TooMany,
    Binary,
    Unreadable(String),
}

impl Skip {
    pub fn reason(&self) -> String {
        match self {
            Skip::Excluded(dir) => format!("in {dir}/ (dependencies or build output)"),
            Skip::Ignored(pattern) => format!("excluded by .gitignore ({pattern})"),
            Skip::NotSource => "not a JavaScript or TypeScript source".to_string(),
            Skip::TooLarge(bytes) => format!(
                "too large: {:.1} MB (the playground reads files up to {} MB; the CLI reads larger ones)",
                *bytes as f64 / 1024.0 / 1024.0,
                MAX_FILE_BYTES / 1024.0 / 1024.0
            ),
            Skip::TooMany => format!("over the playground's {MAX_FILES} files (use the CLI for the whole code base)"),
            Skip::Binary => "binary or not UTF-8 text".to_string(),
            Skip::Unreadable(why) => format!("could not be read: {why}"),
        }
    }
}

/// A root `.gitignore`, simple patterns only: `name`, `dir/`, `*.ext`, `/anchored`,
/// `a/b`, `**/name`, `?`; comments and blank lines ignored; `!negation` lines un-ignore.
#[derive(Clone, Debug, Default)]
pub struct Gitignore {
    rules: Vec<(bool, bool, bool, Vec<String>, String)>, // (negated, dir_only, anchored, segments, text)
}

impl Gitignore {
    pub fn parse(text: &str) -> Gitignore {
        let mut rules = Vec::new();
        for line in text.lines() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (negated, pattern) = match line.strip_prefix('!') {
                Some(p) => (true, p),
                None => (false, line),
            };
            let dir_only = pattern.ends_with('/');
            let pattern = pattern.trim_end_matches('/');
            let pattern = pattern.strip_prefix("**/").unwrap_or(pattern);
            let anchored = pattern.starts_with('/') || pattern.contains('/');
            let segments: Vec<String> =
                pattern.trim_start_matches('/').split('/').filter(|s| !s.is_empty()).map(str::to_string).collect();
            if !segments.is_empty() {
                rules.push((negated, dir_only, anchored, segments, line.to_string()));
            }
        }
        Gitignore { rules }
    }

    /// The pattern that excludes `path` (relative, `/`-separated), if one does.
    pub fn excludes(&self, path: &str) -> Option<&str> {
        let parts: Vec<&str> = path.split('/').collect();
        let mut verdict: Option<&str> = None;
        for (negated, dir_only, anchored, segments, text) in &self.rules {
            // The path's prefixes that could be what the pattern names: a directory (any
            // proper prefix) or, unless the pattern is for directories only, the file itself.
            let upto = if *dir_only { parts.len() - 1 } else { parts.len() };
            let hit = (1..=upto).any(|end| {
                let candidate = &parts[..end];
                if *anchored {
                    candidate.len() == segments.len()
                        && candidate.iter().zip(segments).all(|(name, pattern)| glob(pattern, name))
                } else {
                    glob(&segments[0], candidate[end - 1])
                }
            });
            if hit {
                verdict = if *negated { None } else { Some(text.as_str()) };
            }
        }
        verdict
    }
}

/// `*` (any run within a name) and `?` (one character) against one path segment.
fn glob(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Whether a file at `path` (relative to the project's root) is read, from its path alone.
pub fn path_skip(path: &str, ignore: &Gitignore) -> Option<Skip> {
    let parts: Vec<&str> = path.split('/').collect();
    for (i, dir) in parts[..parts.len() - 1].iter().enumerate() {
        if SKIPPED_DIRS.contains(dir) || (dir.starts_with('.') && *dir != "." && *dir != "..") {
            return Some(Skip::Excluded(parts[..=i].join("/")));
        }
    }
    if let Some(pattern) = ignore.excludes(path) {
        return Some(Skip::Ignored(pattern.to_string()));
    }
    if !backlens_core::is_source_path(path) {
        return Some(Skip::NotSource);
    }
    None
}

/// A file's bytes as text, or why they are not text the analyzer can read.
pub fn text_of(bytes: Vec<u8>) -> Result<String, Skip> {
    if bytes.iter().take(8192).any(|b| *b == 0) {
        return Err(Skip::Binary);
    }
    String::from_utf8(bytes).map_err(|_| Skip::Binary)
}

/// The skipped files, summarised: one line per excluded directory (with how many files it
/// held) or `.gitignore` pattern, then every other file with its reason.
pub fn summarize(skipped: &[(String, Skip)]) -> Vec<(String, String)> {
    let mut groups: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut single = Vec::new();
    for (path, skip) in skipped {
        // A dropped directory that was not walked into stands for itself, not for a file.
        let files = usize::from(!path.ends_with('…'));
        match skip {
            Skip::Excluded(dir) => *groups.entry((format!("{dir}/"), skip.reason())).or_default() += files,
            Skip::Ignored(pattern) => {
                *groups.entry((pattern.clone(), "excluded by .gitignore".to_string())).or_default() += files
            }
            _ => single.push((path.clone(), skip.reason())),
        }
    }
    let mut out: Vec<(String, String)> = groups
        .into_iter()
        .map(|((what, why), n)| {
            let count = match n {
                0 => "not opened".to_string(),
                1 => "1 file".to_string(),
                n => format!("{n} files"),
            };
            (what, format!("{why}: {count}"))
        })
        .collect();
    out.extend(single);
    out
}

/// A file chosen in the browser, not read yet: its path in the project and the `File`.
struct Picked {
    path: String,
    /// `None` for a dropped directory that was not walked into (`node_modules/…`).
    file: Option<web_sys::File>,
}

/// Reading progress: files read and to read; `None` when idle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    /// The opening it belongs to: a cancelled one's progress is never shown.
    pub generation: u64,
}

/// The panel's state: progress, what the last opening skipped, a cancel request.
#[derive(Clone, Copy)]
pub struct Loader {
    pub progress: RwSignal<Option<Progress>>,
    pub skipped: RwSignal<Vec<(String, String)>>,
    pub message: RwSignal<Option<String>>,
    /// Bumped to cancel the reading in progress (each reading remembers its generation).
    generation: RwSignal<u64>,
}

/// A path with `\` as `/` and without a leading `./` or `/`.
fn clean_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.trim_start_matches("./").trim_start_matches('/').to_string()
}

/// The files of a `FileList`, with their paths: `webkitRelativePath` without the chosen
/// folder's own name when picked as a folder, else the file name.
fn picked_of(list: &web_sys::FileList) -> Vec<Picked> {
    let mut out = Vec::new();
    for i in 0..list.length() {
        let Some(file) = list.get(i) else { continue };
        let relative = web_sys::js_sys::Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let path = if relative.is_empty() {
            file.name()
        } else {
            // "myapp/src/app.js" → "src/app.js"
            relative.split_once('/').map(|(_, rest)| rest.to_string()).unwrap_or(relative)
        };
        out.push(Picked { path: clean_path(&path), file: Some(file) });
    }
    out
}

/// Lets the browser paint and handle input before the next batch.
async fn yield_now() {
    let promise = web_sys::js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = JsFuture::from(promise).await;
}

/// The bytes of a `File`, or the browser's reason for not reading it.
async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| {
        e.dyn_ref::<web_sys::js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "the browser refused to read it".to_string())
    })?;
    Ok(web_sys::js_sys::Uint8Array::new(&buffer).to_vec())
}

impl Loader {
    pub fn new() -> Loader {
        Loader {
            progress: RwSignal::new(None),
            skipped: RwSignal::new(Vec::new()),
            message: RwSignal::new(None),
            generation: RwSignal::new(0),
        }
    }

    pub fn cancel(&self) {
        self.generation.update(|g| *g += 1);
        self.progress.set(None);
        self.message.set(Some("Opening cancelled: the project is as it was.".to_string()));
    }

    /// Reads `picked` and opens the result: as a new project (`replace`), or added to the
    /// open one (same path: replaced).
    fn open(self, state: Playground, picked: Vec<Picked>, replace: bool) {
        self.generation.update(|g| *g += 1);
        let generation = self.generation.get_untracked();
        let current = move || self.generation.get_untracked() == generation;
        leptos::task::spawn_local(async move {
            let mut skipped: Vec<(String, Skip)> = Vec::new();
            // The root .gitignore first: it decides what else is read.
            let mut ignore = Gitignore::default();
            if let Some((g, Some(file))) = picked.iter().find(|p| p.path == ".gitignore").map(|p| (p, &p.file)) {
                match read_bytes(file).await.map_err(Skip::Unreadable).and_then(text_of) {
                    Ok(text) => ignore = Gitignore::parse(&text),
                    Err(skip) => skipped.push((g.path.clone(), skip)),
                }
            }
            let mut wanted = Vec::new();
            for p in picked {
                if p.path == ".gitignore" {
                    continue;
                }
                let Some(file) = p.file else {
                    // A directory not walked into: listed under its reason.
                    let skip = path_skip(&p.path, &ignore).unwrap_or(Skip::Excluded(p.path.clone()));
                    skipped.push((p.path, skip));
                    continue;
                };
                match path_skip(&p.path, &ignore) {
                    Some(skip) => skipped.push((p.path, skip)),
                    None if wanted.len() >= MAX_FILES => skipped.push((p.path, Skip::TooMany)),
                    None if file.size() > MAX_FILE_BYTES => skipped.push((p.path, Skip::TooLarge(file.size() as u64))),
                    None => wanted.push((p.path, file)),
                }
            }
            let total = wanted.len();
            if !current() {
                return;
            }
            self.message.set(None);
            self.progress.set(Some(Progress { done: 0, total, generation }));
            let mut files = Vec::new();
            for (i, (path, file)) in wanted.into_iter().enumerate() {
                // Cancelled (or superseded by another opening) while a file was being read:
                // stop, and touch nothing (the progress bar is already gone).
                if !current() {
                    return;
                }
                if i % BATCH == 0 {
                    self.progress.set(Some(Progress { done: i, total, generation }));
                    yield_now().await;
                    if !current() {
                        return;
                    }
                }
                match read_bytes(&file).await.map_err(Skip::Unreadable).and_then(text_of) {
                    Ok(text) => files.push(ProjectFile { path, text }),
                    Err(skip) => skipped.push((path, skip)),
                }
            }
            if !current() {
                return;
            }
            self.progress.set(None);
            files.sort_by(|a, b| a.path.cmp(&b.path));
            let opened = files.len();
            let skipped_count = skipped.len();
            self.skipped.set(summarize(&skipped));
            if opened == 0 {
                self.message.set(Some(format!(
                    "No JavaScript or TypeScript file to open ({skipped_count} skipped, see below)."
                )));
                return;
            }
            state.open_files(files, replace);
            self.message.set(Some(format!(
                "Opened {opened} file{}{}.",
                if opened == 1 { "" } else { "s" },
                match skipped_count {
                    0 => String::new(),
                    n => format!("; {n} skipped (listed below)"),
                }
            )));
        });
    }
}

/// Walks dropped items: files as they are, folders recursively (`webkitGetAsEntry`), each
/// with its path from the drop's top level.
async fn dropped_files(transfer: &web_sys::DataTransfer) -> (Vec<Picked>, bool) {
    let items = transfer.items();
    let mut entries = Vec::new();
    for i in 0..items.length() {
        if let Some(item) = items.get(i) {
            if let Ok(Some(entry)) = item.webkit_get_as_entry() {
                entries.push(entry);
            }
        }
    }
    if entries.is_empty() {
        // No entry API: the plain file list (no folders).
        return (transfer.files().map(|l| picked_of(&l)).unwrap_or_default(), false);
    }
    let folder = entries.len() == 1 && entries[0].is_directory();
    let mut out = Vec::new();
    let mut stack: Vec<web_sys::FileSystemEntry> = entries;
    while let Some(entry) = stack.pop() {
        let full = entry.full_path();
        let mut path = clean_path(&full);
        if folder {
            // A single dropped folder is the project's root, like a picked folder.
            path = path.split_once('/').map(|(_, rest)| rest.to_string()).unwrap_or_default();
        }
        if entry.is_directory() {
            let dir: web_sys::FileSystemDirectoryEntry = entry.unchecked_into();
            // Never walk into what would be skipped anyway (node_modules can be huge); they
            // are listed as skipped directories.
            let name = dir.name();
            if !path.is_empty() && (SKIPPED_DIRS.contains(&name.as_str()) || name.starts_with('.')) {
                out.push(Picked { path: format!("{path}/…"), file: None });
                continue;
            }
            stack.extend(read_directory(&dir).await);
        } else if let Some(file) = entry_file(entry.unchecked_into()).await {
            out.push(Picked { path, file: Some(file) });
        }
    }
    (out, folder)
}

/// Every entry of a dropped directory (the reader returns them in chunks).
async fn read_directory(dir: &web_sys::FileSystemDirectoryEntry) -> Vec<web_sys::FileSystemEntry> {
    let reader = dir.create_reader();
    let mut all = Vec::new();
    loop {
        let promise = web_sys::js_sys::Promise::new(&mut |resolve, reject| {
            let ok = Closure::once_into_js(move |entries: JsValue| {
                let _ = resolve.call1(&JsValue::NULL, &entries);
            });
            let fail = Closure::once_into_js(move |e: JsValue| {
                let _ = reject.call1(&JsValue::NULL, &e);
            });
            let _ = reader.read_entries_with_callback_and_callback(ok.unchecked_ref(), fail.unchecked_ref());
        });
        let Ok(chunk) = JsFuture::from(promise).await else { break };
        let chunk: web_sys::js_sys::Array = chunk.unchecked_into();
        if chunk.length() == 0 {
            break;
        }
        all.extend(chunk.iter().map(|e| e.unchecked_into::<web_sys::FileSystemEntry>()));
    }
    all
}

async fn entry_file(entry: web_sys::FileSystemFileEntry) -> Option<web_sys::File> {
    let promise = web_sys::js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |file: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &file);
        });
        let fail = Closure::once_into_js(move |e: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        entry.file_with_callback_and_callback(ok.unchecked_ref(), fail.unchecked_ref());
    });
    JsFuture::from(promise).await.ok().map(|f| f.unchecked_into())
}

/// A node of the file tree: folders first, then files, each sorted by name.
#[derive(Debug, Default, PartialEq)]
pub struct Folder {
    pub folders: BTreeMap<String, Folder>,
    /// (name, index in the project)
    pub files: Vec<(String, usize)>,
}

pub fn tree(paths: &[&str]) -> Folder {
    let mut root = Folder::default();
    for (index, path) in paths.iter().enumerate() {
        let mut parts: Vec<&str> = path.split('/').collect();
        let name = parts.pop().unwrap_or_default();
        let mut node = &mut root;
        for dir in parts {
            node = node.folders.entry(dir.to_string()).or_default();
        }
        node.files.push((name.to_string(), index));
    }
    root
}

#[component]
pub fn ProjectPanel() -> impl IntoView {
    let state = expect_context::<Playground>();
    let loader = Loader::new();
    let files_input = NodeRef::<leptos::html::Input>::new();
    let folder_input = NodeRef::<leptos::html::Input>::new();
    let dragging = RwSignal::new(false);
    // A folder picker (`webkitdirectory`, which Leptos has no attribute for).
    Effect::new(move |_| {
        if let Some(el) = folder_input.get() {
            let _ = el.set_attribute("webkitdirectory", "");
        }
    });

    let on_pick = move |input: NodeRef<leptos::html::Input>, replace: bool| {
        let Some(el) = input.get_untracked() else { return };
        if let Some(list) = el.files() {
            loader.open(state, picked_of(&list), replace);
        }
        // The same files can be chosen again later.
        el.set_value("");
    };

    // Files dropped anywhere on the page.
    let _ = window_event_listener(leptos::ev::dragover, move |ev| {
        if has_files(&ev) {
            ev.prevent_default();
            dragging.set(true);
        }
    });
    let _ = window_event_listener(leptos::ev::dragleave, move |ev| {
        // Leaving the window (no element under the pointer any more).
        if ev.related_target().is_none() {
            dragging.set(false);
        }
    });
    let _ = window_event_listener(leptos::ev::drop, move |ev| {
        dragging.set(false);
        let Some(transfer) = ev.data_transfer() else { return };
        if !has_files(&ev) {
            return;
        }
        ev.prevent_default();
        // The items must be read before the event handler returns.
        let task = async move {
            let (mut picked, folder) = dropped_files(&transfer).await;
            // JSON files dropped on their own (not inside a folder: a project's package.json)
            // are measurements (`measurements.rs`).
            if !folder {
                let (measurements, sources): (Vec<Picked>, Vec<Picked>) =
                    picked.into_iter().partition(|p| !p.path.contains('/') && crate::measurements::is_measurement_name(&p.path));
                let files: Vec<web_sys::File> = measurements.into_iter().filter_map(|p| p.file).collect();
                if !files.is_empty() {
                    crate::measurements::add(state, files);
                }
                picked = sources;
                if picked.is_empty() {
                    return;
                }
            }
            loader.open(state, picked, folder);
        };
        leptos::task::spawn_local(task);
    });

    let counts = Memo::new(move |_| {
        state.analysis.with(|a| {
            let mut counts: BTreeMap<String, (usize, bool)> = BTreeMap::new();
            for f in &a.findings {
                counts.entry(f.file.clone()).or_default().0 += 1;
            }
            for f in &a.files {
                if f.error.is_some() {
                    counts.entry(f.path.clone()).or_default().1 = true;
                }
            }
            counts
        })
    });

    view! {
        <section class="project" aria-labelledby="project-heading">
            <div class="project-toolbar">
                <h3 id="project-heading">
                    {move || {
                        state
                            .project
                            .with(|p| match p.len() {
                                0 => "Snippet".to_string(),
                                1 => "Project: 1 file".to_string(),
                                n => format!("Project: {n} files"),
                            })
                    }}
                </h3>
                <button type="button" id="open-files-button" class="secondary small" on:click=move |_| click(files_input)>
                    "Open files…"
                </button>
                <button type="button" id="open-folder-button" class="secondary small" on:click=move |_| click(folder_input)>
                    "Open folder…"
                </button>
                <button
                    type="button"
                    id="close-project"
                    class="secondary small"
                    hidden=move || state.project.with(Vec::is_empty)
                    title="Keep only the open file, as a snippet"
                    on:click=move |_| {
                        state.close_project();
                        loader.skipped.set(Vec::new());
                        loader.message.set(None);
                    }
                >
                    "Close project"
                </button>
                <input
                    type="file"
                    id="open-files"
                    multiple
                    accept=".js,.jsx,.ts,.tsx,.mjs,.cjs,.mts,.cts"
                    hidden
                    node_ref=files_input
                    on:change=move |_| on_pick(files_input, false)
                />
                <input
                    type="file"
                    id="open-folder"
                    multiple
                    hidden
                    node_ref=folder_input
                    on:change=move |_| on_pick(folder_input, true)
                />
            </div>
            <p class="hint project-hint">
                {move || {
                    if state.project.with(Vec::is_empty) {
                        "Or drop files, a folder or a measurement file anywhere on the page."
                    } else {
                        "All files are analysed as one program. Share links and the browser's storage keep only the open file."
                    }
                }}
            </p>
            {move || {
                loader
                    .progress
                    .get()
                    .filter(|p| p.generation == loader.generation.get())
                    .map(|p| {
                        view! {
                            <div class="project-progress" role="status">
                                <progress id="project-progress" max=p.total.to_string() value=p.done.to_string()></progress>
                                <span>{format!("Reading {} of {} files…", p.done, p.total)}</span>
                                <button type="button" id="project-cancel" class="secondary small" on:click=move |_| loader.cancel()>
                                    "Cancel"
                                </button>
                            </div>
                        }
                    })
            }}
            <p id="project-message" class="project-message" role="status" aria-live="polite">
                {move || loader.message.get()}
            </p>
            {move || {
                let skipped = loader.skipped.get();
                (!skipped.is_empty())
                    .then(|| {
                        view! {
                            <details id="project-skipped" class="project-skipped">
                                <summary>{format!("Skipped ({})", skipped.len())}</summary>
                                <ul>
                                    {skipped
                                        .into_iter()
                                        .map(|(what, why)| view! { <li><code>{what}</code>" — "{why}</li> })
                                        .collect_view()}
                                </ul>
                            </details>
                        }
                    })
            }}
            {move || {
                (!state.project.with(Vec::is_empty))
                    .then(|| {
                        let root = state.project.with(|p| tree(&p.iter().map(|f| f.path.as_str()).collect::<Vec<_>>()));
                        view! {
                            <nav class="file-tree" aria-label="Project files">
                                <FolderView folder=root counts/>
                            </nav>
                        }
                    })
            }}
            <div class="drop-overlay" hidden=move || !dragging.get() aria-hidden="true">
                "Drop files or a folder to open them (a k6, autocannon or OTLP JSON file: as measurements)"
            </div>
        </section>
    }
}

fn click(input: NodeRef<leptos::html::Input>) {
    if let Some(el) = input.get_untracked() {
        el.click();
    }
}

fn has_files(ev: &web_sys::DragEvent) -> bool {
    ev.data_transfer().is_some_and(|t| t.types().iter().any(|t| t.as_string().as_deref() == Some("Files")))
}

#[component]
fn FolderView(folder: Folder, counts: Memo<BTreeMap<String, (usize, bool)>>) -> impl IntoView {
    let state = expect_context::<Playground>();
    let folders = folder
        .folders
        .into_iter()
        .map(|(name, inner)| {
            view! {
                <li class="tree-folder">
                    <span class="folder-name">{format!("{name}/")}</span>
                    <FolderView folder=inner counts/>
                </li>
            }
            .into_any()
        })
        .collect_view();
    let files = folder
        .files
        .into_iter()
        .map(|(name, index)| {
            let path = state.project.with_untracked(|p| p[index].path.clone());
            let count = {
                let path = path.clone();
                move || counts.with(|c| c.get(&path).copied().unwrap_or_default())
            };
            let active = move || state.active_file.get() == index;
            view! {
                <li class="tree-file">
                    <button
                        type="button"
                        class="file-button"
                        class:active=active
                        data-path=path.clone()
                        aria-current=move || if active() { "true" } else { "false" }
                        title=path.clone()
                        on:click=move |_| state.open_project_file(index)
                    >
                        <span class="file-name">{name}</span>
                        {move || {
                            let (n, error) = count();
                            let label = match (n, error) {
                                (_, true) => "does not parse".to_string(),
                                (0, _) => "no findings".to_string(),
                                (1, _) => "1 finding".to_string(),
                                (n, _) => format!("{n} findings"),
                            };
                            let class = if error { "file-count error" } else if n > 0 { "file-count some" } else { "file-count" };
                            view! {
                                <span class=class data-count=n.to_string() aria-label=label.clone() title=label>
                                    {if error { "!".to_string() } else { n.to_string() }}
                                </span>
                            }
                        }}
                    </button>
                </li>
            }
            .into_any()
        })
        .collect_view();
    view! { <ul class="tree">{folders}{files}</ul> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_build_output_and_hidden_directories_are_skipped() {
        let none = Gitignore::default();
        assert_eq!(path_skip("src/app.js", &none), None);
        assert_eq!(path_skip("node_modules/express/index.js", &none), Some(Skip::Excluded("node_modules".into())));
        assert_eq!(path_skip("packages/a/dist/x.js", &none), Some(Skip::Excluded("packages/a/dist".into())));
        assert_eq!(path_skip(".next/server.js", &none), Some(Skip::Excluded(".next".into())));
        assert_eq!(path_skip("README.md", &none), Some(Skip::NotSource));
        assert_eq!(path_skip("types/index.d.ts", &none), Some(Skip::NotSource));
        assert_eq!(path_skip("src/server.mts", &none), None);
    }

    #[test]
    fn gitignore_simple_patterns() {
        let g = Gitignore::parse("# comment\n\n*.gen.js\ntmp/\n/scripts\nsrc/legacy/*.js\n**/fixtures\n!keep.gen.js\n");
        assert_eq!(g.excludes("a/b/c.gen.js"), Some("*.gen.js"));
        assert_eq!(g.excludes("keep.gen.js"), None, "negated");
        assert_eq!(g.excludes("tmp/x.js"), Some("tmp/"));
        assert_eq!(g.excludes("tmp"), None, "dir-only pattern and a file");
        assert_eq!(g.excludes("scripts/seed.js"), Some("/scripts"));
        assert_eq!(g.excludes("src/scripts/seed.js"), None, "anchored at the root");
        assert_eq!(g.excludes("src/legacy/old.js"), Some("src/legacy/*.js"));
        assert_eq!(g.excludes("src/legacy/new/old.js"), None);
        assert_eq!(g.excludes("test/fixtures/a.js"), Some("**/fixtures"));
        assert_eq!(g.excludes("src/app.js"), None);
        assert_eq!(path_skip("tmp/x.js", &g), Some(Skip::Ignored("tmp/".into())));
    }

    #[test]
    fn globs() {
        assert!(glob("*.js", "a.js") && glob("a?c", "abc") && glob("*", "x") && glob("a*b*c", "aXbYc"));
        assert!(!glob("*.js", "a.ts") && !glob("a?c", "ac"));
    }

    #[test]
    fn binary_and_non_utf8_files_are_refused() {
        assert_eq!(text_of(b"const a = 1;\n".to_vec()), Ok("const a = 1;\n".to_string()));
        assert_eq!(text_of(vec![0x7f, b'E', b'L', b'F', 0, 0]), Err(Skip::Binary));
        assert_eq!(text_of(vec![b'a', 0xff, 0xfe]), Err(Skip::Binary));
    }

    #[test]
    fn skips_are_summarised_per_directory_and_listed_per_file() {
        let skipped = vec![
            ("node_modules/a/index.js".to_string(), Skip::Excluded("node_modules".into())),
            ("node_modules/b/index.js".to_string(), Skip::Excluded("node_modules".into())),
            ("logo.png".to_string(), Skip::NotSource),
            ("big.js".to_string(), Skip::TooLarge(3 * 1024 * 1024)),
        ];
        let lines = summarize(&skipped);
        assert_eq!(
            lines[0],
            ("node_modules/".to_string(), "in node_modules/ (dependencies or build output): 2 files".to_string())
        );
        assert_eq!(lines[1].0, "logo.png");
        assert!(lines[2].1.starts_with("too large: 3.0 MB"), "{}", lines[2].1);
    }

    #[test]
    fn the_tree_nests_folders() {
        let t = tree(&["src/app.js", "src/routes/users.js", "index.js"]);
        assert_eq!(t.files, vec![("index.js".to_string(), 2)]);
        let src = &t.folders["src"];
        assert_eq!(src.files, vec![("app.js".to_string(), 0)]);
        assert_eq!(src.folders["routes"].files, vec![("users.js".to_string(), 1)]);
    }
}
