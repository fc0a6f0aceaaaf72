//! The page: state, layout and the live analysis.

use crate::editor::{Editor, ParseErrors};
use crate::examples::EXAMPLES;
use crate::findings::FindingsPanel;
use crate::params::ParamsPanel;
use crate::project::{ProjectFile, ProjectPanel};
use crate::report::ReportPanel;
use crate::rules_page::{self, RulesPanel};
use crate::share::{Restore, ShareBar, Snapshot};
use crate::storage;
use crate::theme::ThemeSwitch;
use backlens_core::{Analysis, Params, FORMAT_VERSION};
use leptos::prelude::*;

/// The code shown on a first visit: the seed's section 3.1 "BEFORE" handler, an N+1 query.
pub const EXAMPLE: &str = EXAMPLES[0].code;

/// The languages the editor's content can be read as; the file name picks the parser.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("playground.js", "JavaScript"),
    ("playground.ts", "TypeScript"),
    ("playground.jsx", "JavaScript + JSX"),
    ("playground.tsx", "TypeScript + JSX"),
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tab {
    Findings,
    Trace,
    Report,
    Rules,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Findings, Tab::Trace, Tab::Report, Tab::Rules];
    /// The tab's button id and its panel's id.
    fn ids(self) -> (&'static str, &'static str) {
        match self {
            Tab::Findings => ("tab-findings", "panel-findings"),
            Tab::Trace => ("tab-trace", "panel-trace"),
            Tab::Report => ("tab-report", "panel-report"),
            Tab::Rules => ("tab-rules", "panel-rules"),
        }
    }
}

/// State shared by the page's parts.
#[derive(Clone, Copy)]
pub struct Playground {
    /// The editor's text, updated on every keystroke.
    pub code: RwSignal<String>,
    /// The text last analysed (follows `code` after a short pause in typing).
    pub analysed: RwSignal<String>,
    /// The file name the code is analysed as (its extension picks JS/TS/JSX).
    pub file_name: RwSignal<String>,
    /// The last valid parameters.
    pub params: RwSignal<Params>,
    /// The latest analysis of `analysed`, from the analysis Web Worker (`analysis.rs`).
    pub analysis: RwSignal<Analysis>,
    /// Whether an analysis is running, its errors, which request is shown.
    pub status: crate::analysis::Status,
    pub tab: RwSignal<Tab>,
    /// A request to select a range (1-based lines, UTF-16 columns) in the editor.
    pub jump_to: RwSignal<Option<crate::editor::Selection>>,
    /// The editor's cursor: 1-based line and UTF-16 column.
    pub cursor: RwSignal<(u32, u32)>,
    /// A message about how the page started (a damaged share link).
    pub notice: RwSignal<Option<String>>,
    /// The files of an open project (`project.rs`), empty for a snippet. The open file's
    /// entry is refreshed from `code` when another file is opened; until then `code` and
    /// `analysed` are its current text.
    pub project: RwSignal<Vec<ProjectFile>>,
    /// Which of `project` is open in the editor.
    pub active_file: RwSignal<usize>,
    /// Measurement files brought in (`measurements.rs`), sent with every analysis request.
    pub measurements: RwSignal<Vec<crate::measurements::MeasurementFile>>,
    /// Why the last measurement file could not be read.
    pub measurement_error: RwSignal<Option<String>>,
}

impl Playground {
    /// What the analysis runs on: the snippet, or every file of the project with the open
    /// file's latest analysed text, as one program. Reading it in a reactive context tracks
    /// the text, the file name and the project.
    pub fn files_for_analysis(&self) -> Vec<ProjectFile> {
        let open = ProjectFile { path: self.file_name.get(), text: self.analysed.get() };
        let active = self.active_file.get();
        self.project.with(|files| {
            if files.is_empty() {
                return vec![open.clone()];
            }
            files.iter().enumerate().map(|(i, f)| if i == active { open.clone() } else { f.clone() }).collect()
        })
    }

    /// The parameters the analysis ran with: the user's, and what measured spans calibrate
    /// (the worker applies the same, `backlens_core::measure::calibrate`).
    pub fn report_params(&self) -> Params {
        let mut params = self.params.get();
        self.measurements.with(|list| {
            let parsed: Vec<_> = list.iter().map(|m| m.parsed.clone()).collect();
            backlens_core::measure::calibrate(&mut params, &parsed);
        });
        params
    }

    /// Opens `files` as the project (`replace`) or adds them to it (a path already there is
    /// replaced), and shows the first one in the editor.
    pub fn open_files(&self, files: Vec<ProjectFile>, replace: bool) {
        self.keep_open_file();
        let first = files[0].path.clone();
        self.project.update(|project| {
            if replace {
                project.clear();
            }
            for f in files {
                match project.iter_mut().find(|p| p.path == f.path) {
                    Some(existing) => *existing = f,
                    None => project.push(f),
                }
            }
            project.sort_by(|a, b| a.path.cmp(&b.path));
        });
        let index = self.project.with_untracked(|p| p.iter().position(|f| f.path == first).unwrap_or(0));
        self.show(index);
    }

    /// Opens the project's file `index` in the editor.
    pub fn open_project_file(&self, index: usize) {
        if index == self.active_file.get_untracked() {
            return;
        }
        self.keep_open_file();
        self.show(index);
    }

    /// Back to a snippet: the open file alone.
    pub fn close_project(&self) {
        self.project.set(Vec::new());
        self.active_file.set(0);
    }

    /// Writes the editor's text back into the project's open file.
    fn keep_open_file(&self) {
        let active = self.active_file.get_untracked();
        let text = self.code.get_untracked();
        self.project.update(|p| {
            if let Some(f) = p.get_mut(active) {
                f.text = text;
            }
        });
    }

    fn show(&self, index: usize) {
        let Some(file) = self.project.with_untracked(|p| p.get(index).cloned()) else { return };
        self.active_file.set(index);
        self.file_name.set(file.path);
        self.code.set(file.text.clone());
        self.analysed.set(file.text);
    }
}

/// What the page starts with: a share link in the URL, else what the browser kept from the
/// last visit, else the first example; and a message when a share link could not be read.
fn initial_state() -> (Snapshot, Option<String>) {
    let (restored, notice) = match crate::share::from_location() {
        Some(Ok(snapshot)) => (Some(snapshot), None),
        Some(Err(message)) => (storage::load(), Some(message)),
        None => (storage::load(), None),
    };
    let snapshot = restored.unwrap_or_else(|| Snapshot::of(EXAMPLE, LANGUAGES[0].0, &crate::examples::with_its_rules(&EXAMPLES[0], Params::default())));
    (snapshot, notice)
}

#[component]
pub fn App() -> impl IntoView {
    let (initial, notice) = initial_state();
    let code = RwSignal::new(initial.code.clone());
    let analysed = RwSignal::new(initial.code.clone());
    let file_name = RwSignal::new(initial.file_name());
    let params = RwSignal::new(initial.params());
    // Empty until the worker's first answer.
    let analysis = RwSignal::new(Analysis {
        version: FORMAT_VERSION,
        framework: None,
        frameworks: Vec::new(),
        files: Vec::new(),
        endpoints: Vec::new(),
        findings: Vec::new(),
        suppressed: Vec::new(),
        notices: Vec::new(),
        coverage: Default::default(),
        baseline: None,
        measured: Vec::new(),
    });
    let state = Playground {
        code,
        analysed,
        file_name,
        params,
        analysis,
        status: crate::analysis::Status {
            busy: RwSignal::new(true),
            error: RwSignal::new(None),
            shown: RwSignal::new(0),
            latest: RwSignal::new(0),
        },
        tab: RwSignal::new(Tab::Findings),
        jump_to: RwSignal::new(None),
        cursor: RwSignal::new((1, 1)),
        notice: RwSignal::new(notice),
        project: RwSignal::new(Vec::new()),
        active_file: RwSignal::new(0),
        measurements: RwSignal::new(Vec::new()),
        measurement_error: RwSignal::new(None),
    };
    provide_context(state);
    crate::analysis::start(state);
    // A link to a rule's documentation (`#rule-n-plus-one-query`) opens the Rules tab there.
    let open_rule_of_location = move || {
        if let Some(rule) = window().location().hash().ok().as_deref().and_then(rules_page::rule_of_fragment) {
            rules_page::open_rule(state, rule);
        }
    };
    open_rule_of_location();
    // A share link opened in a tab already showing the playground changes only the fragment,
    // which does not reload the page: reload it, so the link is read like any other.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        if window().location().hash().is_ok_and(|h| crate::share::is_share(&h)) {
            let _ = window().location().reload();
        } else {
            open_rule_of_location();
        }
    });
    // Printing prints the report (public/style.css, `@media print`): show the Report tab while
    // the browser prints, then go back to the tab that was open.
    let before_print = StoredValue::new(None::<Tab>);
    let _ = window_event_listener(leptos::ev::Custom::<leptos::ev::Event>::new("beforeprint"), move |_| {
        before_print.set_value(Some(state.tab.get_untracked()));
        state.tab.set(Tab::Report);
    });
    let _ = window_event_listener(leptos::ev::Custom::<leptos::ev::Event>::new("afterprint"), move |_| {
        if let Some(tab) = before_print.get_value() {
            state.tab.set(tab);
            before_print.set_value(None);
        }
    });
    // Keep the analysed code and the parameters for the next visit.
    Effect::new(move |_| {
        let snapshot = params.with(|p| analysed.with(|c| file_name.with(|f| Snapshot::of(c, f, p))));
        storage::save(&snapshot);
    });

    view! {
        <header class="site-header">
            <h1>"backlens" <span class="subtitle">" playground"</span></h1>
            <p class="tagline">
                "Paste a Node.js handler: findings appear as you type. "
                "Everything runs in your browser; your code is never sent anywhere."
            </p>
            <ThemeSwitch/>
        </header>
        <div id="fatal" class="fatal" role="alert" hidden>
            "backlens hit an internal error and stopped. Reload the page to continue; "
            "the browser console has the details."
        </div>
        {move || state.notice.get().map(|message| view! {
            <div id="notice" class="notice" role="alert">
                <span>{message}</span>
                <button type="button" class="secondary small" on:click=move |_| state.notice.set(None)>
                    "Dismiss"
                </button>
            </div>
        })}
        <section class="settings" aria-label="Parameters">
            <ParamsPanel/>
        </section>
        <main class="layout">
            <section class="pane pane-editor" aria-labelledby="editor-heading">
                <h2 id="editor-heading" class="visually-hidden">"Code"</h2>
                <ProjectPanel/>
                <Editor/>
                <ShareBar/>
            </section>
            <section class="pane pane-results" aria-labelledby="results-heading">
                <h2 id="results-heading" class="visually-hidden">"Results"</h2>
                <Tabs/>
                <ParseErrors/>
                <div
                    id="panel-findings"
                    role="tabpanel"
                    aria-labelledby="tab-findings"
                    hidden=move || state.tab.get() != Tab::Findings
                >
                    <FindingsPanel/>
                </div>
                <div
                    id="panel-trace"
                    role="tabpanel"
                    aria-labelledby="tab-trace"
                    hidden=move || state.tab.get() != Tab::Trace
                >
                    <crate::waterfall::TracePanel/>
                </div>
                <div
                    id="panel-report"
                    role="tabpanel"
                    aria-labelledby="tab-report"
                    hidden=move || state.tab.get() != Tab::Report
                >
                    <ReportPanel/>
                </div>
                <div
                    id="panel-rules"
                    role="tabpanel"
                    aria-labelledby="tab-rules"
                    hidden=move || state.tab.get() != Tab::Rules
                >
                    <RulesPanel/>
                </div>
            </section>
        </main>
        <footer class="site-footer">
            <p>"Figures are model estimates, not measurements."</p>
        </footer>
    }
}

/// The Findings / Report tab strip (WAI-ARIA tabs: arrow keys, Home and End move).
#[component]
fn Tabs() -> impl IntoView {
    let state = expect_context::<Playground>();
    let count = move || state.analysis.with(|a| a.findings.len());
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let at = Tab::ALL.iter().position(|t| *t == state.tab.get()).unwrap_or(0);
        let n = Tab::ALL.len();
        let next = match ev.key().as_str() {
            "ArrowLeft" => Tab::ALL[(at + n - 1) % n],
            "ArrowRight" => Tab::ALL[(at + 1) % n],
            "Home" => Tab::ALL[0],
            "End" => Tab::ALL[n - 1],
            _ => return,
        };
        ev.prevent_default();
        state.tab.set(next);
        if let Some(el) = document().get_element_by_id(next.ids().0) {
            use leptos::wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label="Results" on:keydown=on_keydown>
            {Tab::ALL
                .into_iter()
                .map(|tab| {
                    let (id, panel) = tab.ids();
                    let selected = move || state.tab.get() == tab;
                    view! {
                        <button
                            type="button"
                            role="tab"
                            id=id
                            aria-controls=panel
                            aria-selected=move || selected().to_string()
                            tabindex=move || if selected() { "0" } else { "-1" }
                            class="tab"
                            on:click=move |_| state.tab.set(tab)
                        >
                            {match tab {
                                Tab::Findings => {
                                    view! {
                                        "Findings "
                                        <span class="count">{count}</span>
                                    }
                                        .into_any()
                                }
                                Tab::Trace => "Trace".into_any(),
                                Tab::Report => "Report".into_any(),
                                Tab::Rules => "Rules".into_any(),
                            }}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
