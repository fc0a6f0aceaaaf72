//! The code editor: CodeMirror 6 (web/editor/, bundled at build time into the global
//! `BacklensEditor`) bridged to the page's state. The editor's text is `state.code`; analysis
//! follows typing after a short pause; findings and parse errors of the shown analysis are
//! inline diagnostics; `state.jump_to` selects a range; the cursor goes to `state.cursor`.

use crate::app::{Playground, LANGUAGES};
use crate::examples::{self, EXAMPLES};
use leptos::html::Div;
use leptos::prelude::*;
use leptos::wasm_bindgen::closure::Closure;
use leptos::wasm_bindgen::prelude::*;
use serde::Serialize;
use std::time::Duration;

/// How long typing must pause before the code is analysed again.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// A range of the active file to select: 1-based lines, UTF-16 columns (as findings give them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Selection {
    /// An empty selection (the caret) at one position.
    pub fn at(line: u32, column: u32) -> Self {
        Selection { line, column, end_line: line, end_column: column }
    }
}

#[wasm_bindgen]
extern "C" {
    /// A CodeMirror editor made by web/editor/src/editor.js.
    type EditorHandle;

    #[wasm_bindgen(catch, js_namespace = BacklensEditor, js_name = create)]
    fn create_editor(parent: &web_sys::HtmlElement, options: &JsValue) -> Result<EditorHandle, JsValue>;

    #[wasm_bindgen(method, js_name = setText)]
    fn set_text(this: &EditorHandle, text: &str);

    #[wasm_bindgen(method, js_name = setLanguage)]
    fn set_language(this: &EditorHandle, file_name: &str);

    #[wasm_bindgen(method, js_name = setDiagnostics)]
    fn set_diagnostics(this: &EditorHandle, items: &JsValue);

    #[wasm_bindgen(method)]
    fn select(this: &EditorHandle, line: u32, column: u32, end_line: u32, end_column: u32);
}

/// One inline diagnostic, as editor.js reads it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Diagnostic<'a> {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    /// low, medium, high, critical, error (a parse error) or notice (a suppression comment).
    severity: &'a str,
    message: String,
    source: &'a str,
}

/// The editor and its callbacks (alive as long as the page).
struct Bridge {
    editor: EditorHandle,
    _on_change: Closure<dyn FnMut(String)>,
    _on_cursor: Closure<dyn FnMut(u32, u32)>,
}

#[component]
pub fn Editor() -> impl IntoView {
    let state = expect_context::<Playground>();
    let host = NodeRef::<Div>::new();
    let bridge = StoredValue::new_local(None::<Bridge>);
    let from_editor = StoredValue::new(false);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let failed = RwSignal::new(None::<String>);
    let ready = RwSignal::new(false);
    let example = RwSignal::new(EXAMPLES[0].id.to_string());

    let schedule_analysis = move || {
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || state.analysed.set(state.code.get_untracked()), DEBOUNCE).ok();
        pending.set_value(handle);
    };
    let replace_code = move |text: &str| {
        bridge.with_value(|b| {
            if let Some(b) = b {
                b.editor.set_text(text)
            }
        });
        state.code.set(text.to_string());
        state.analysed.set(text.to_string());
    };
    let load_example = move || {
        if let Some(chosen) = example.with_untracked(|id| examples::find(id)) {
            state.file_name.set(chosen.file.to_string());
            state.params.update(|p| *p = examples::with_its_rules(chosen, p.clone()));
            replace_code(chosen.code);
        }
    };

    // Create the editor once its host is in the page.
    Effect::new(move |_| {
        let Some(parent) = host.get() else { return };
        if bridge.with_value(|b| b.is_some()) {
            return;
        }
        let on_change = Closure::<dyn FnMut(String)>::new(move |text: String| {
            from_editor.set_value(true);
            state.code.set(text);
            schedule_analysis();
        });
        let on_cursor = Closure::<dyn FnMut(u32, u32)>::new(move |line: u32, column: u32| {
            state.cursor.set((line, column));
        });
        let options = web_sys::js_sys::Object::new();
        let set = |name: &str, value: &JsValue| {
            let _ = web_sys::js_sys::Reflect::set(&options, &JsValue::from_str(name), value);
        };
        set("doc", &JsValue::from_str(&state.code.get_untracked()));
        set("fileName", &JsValue::from_str(&state.file_name.get_untracked()));
        set("label", &JsValue::from_str("Backend code (JavaScript or TypeScript)"));
        set("onChange", on_change.as_ref());
        set("onCursor", on_cursor.as_ref());
        match create_editor(&parent, &options) {
            Ok(editor) => {
                bridge.set_value(Some(Bridge { editor, _on_change: on_change, _on_cursor: on_cursor }));
                ready.set(true);
            }
            Err(e) => failed.set(Some(format!(
                "The code editor could not start ({}). Reload the page; if it persists, the browser console has details.",
                e.as_string().unwrap_or_else(|| format!("{e:?}"))
            ))),
        }
    });

    // Text set by other parts of the page (a project file opened, a share link) goes into the
    // editor; the editor's own edits do not go back.
    Effect::new(move |_| {
        let code = state.code.get();
        if from_editor.get_value() {
            from_editor.set_value(false);
            return;
        }
        bridge.with_value(|b| {
            if let Some(b) = b {
                b.editor.set_text(&code)
            }
        });
    });

    Effect::new(move |_| {
        ready.track();
        let file_name = state.file_name.get();
        bridge.with_value(|b| {
            if let Some(b) = b {
                b.editor.set_language(&file_name)
            }
        });
    });

    // The shown analysis as diagnostics, when it is an analysis of the text in the editor; while
    // typing goes on, the editor keeps the previous ones, moved along with the edits.
    Effect::new(move |_| {
        ready.track();
        let items = state.analysis.with(|a| {
            let file_name = state.file_name.get_untracked();
            let mut items: Vec<Diagnostic> = a
                .findings
                .iter()
                .filter(|f| f.file == file_name)
                .map(|f| Diagnostic {
                    line: f.line,
                    column: f.column,
                    end_line: f.end_line,
                    end_column: f.end_column,
                    severity: f.severity.as_str(),
                    message: format!("{} ({}): {}", f.severity.as_str(), f.rule, plain(&f.message)),
                    source: f.rule,
                })
                .collect();
            for n in a.notices.iter().filter(|n| n.file == file_name) {
                items.push(Diagnostic {
                    line: n.line,
                    column: n.column,
                    end_line: n.line,
                    end_column: n.column,
                    severity: "notice",
                    message: plain(&n.message),
                    source: "backlens-ignore",
                });
            }
            for file in a.files.iter().filter(|f| f.path == file_name) {
                if let Some(e) = &file.error {
                    items.push(Diagnostic {
                        line: e.line,
                        column: e.column,
                        end_line: e.line,
                        end_column: e.column,
                        severity: "error",
                        message: format!("Parse error: {}", e.message),
                        source: "parser",
                    });
                }
            }
            items
        });
        let current = state.analysed.with_untracked(|a| state.code.with_untracked(|c| a == c));
        if !current {
            return;
        }
        // As JSON text: one string across, parsed by the browser (faster than building
        // thousands of objects through wasm-bindgen).
        let Ok(items) = serde_json::to_string(&items) else { return };
        bridge.with_value(|b| {
            if let Some(b) = b {
                b.editor.set_diagnostics(&JsValue::from_str(&items))
            }
        });
    });

    // Findings and parse errors ask the editor to select their range.
    Effect::new(move |_| {
        ready.track();
        let Some(s) = state.jump_to.get() else { return };
        bridge.with_value(|b| {
            if let Some(b) = b {
                b.editor.select(s.line, s.column, s.end_line, s.end_column)
            }
        });
        state.jump_to.set(None);
    });

    view! {
        <div class="editor-toolbar">
            <label class="field inline">
                <span>"Language"</span>
                <select
                    id="language"
                    on:change=move |ev| {
                        state.file_name.set(event_target_value(&ev));
                    }
                >
                    {LANGUAGES
                        .iter()
                        .map(|(file, label)| {
                            view! {
                                <option value=*file prop:selected=move || state.file_name.with(|f| f == file)>
                                    {*label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <div class="buttons">
                <label class="field inline">
                    <span>"Example"</span>
                    <select id="example" on:change=move |ev| example.set(event_target_value(&ev))>
                        {EXAMPLES
                            .iter()
                            .map(|e| view! { <option value=e.id>{e.title}</option> })
                            .collect_view()}
                    </select>
                </label>
                <button
                    type="button"
                    id="load-example"
                    class="secondary"
                    title="Replace the code with the chosen example"
                    on:click=move |_| load_example()
                >
                    "Load example"
                </button>
                <button type="button" class="secondary" on:click=move |_| replace_code("")>
                    "Clear"
                </button>
            </div>
        </div>
        {move || failed.get().map(|message| view! { <p class="editor-error" role="alert">{message}</p> })}
        <div id="code" class="editor" node_ref=host></div>
        <p id="editor-help" class="editor-help">
            "Tab indents; Escape then Tab leaves the editor. Ctrl+F searches, Ctrl+Z undoes, "
            "F8 goes to the next finding, Ctrl+Shift+M lists them."
        </p>
    }
}

/// A finding's message without its Markdown backticks, for the editor's tooltip.
fn plain(message: &str) -> String {
    crate::findings::split_code_spans(message).into_iter().map(|(_, part)| part).collect()
}

/// The parse error of the analysed code, if any, with a button to go to it.
#[component]
pub fn ParseErrors() -> impl IntoView {
    let state = expect_context::<Playground>();
    let errors =
        Memo::new(move |_| state.analysis.with(|a| a.files.iter().filter_map(|f| f.error.clone()).collect::<Vec<_>>()));
    view! {
        <div id="parse-errors" class="parse-errors" role="status" aria-live="polite">
            {move || {
                errors
                    .get()
                    .into_iter()
                    .map(|e| {
                        let (line, column) = (e.line, e.column);
                        view! {
                            <p class="parse-error">
                                <strong>"Parse error"</strong>
                                " at "
                                <button
                                    type="button"
                                    class="link location"
                                    title="Show in the editor"
                                    on:click=move |_| state.jump_to.set(Some(Selection::at(line, column)))
                                >
                                    {format!("line {line}, column {column}")}
                                </button>
                                ": "
                                <span class="message">{e.message}</span>
                            </p>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tooltips_drop_backticks() {
        assert_eq!(plain("`Post.findAll` runs per item of `users`."), "Post.findAll runs per item of users.");
    }

    #[test]
    fn a_caret_is_an_empty_selection() {
        assert_eq!(Selection::at(3, 4), Selection { line: 3, column: 4, end_line: 3, end_column: 4 });
    }
}
