//! The code editor: a plain textarea with a line-number gutter that marks the lines with
//! findings and the line of a parse error. Analysis follows typing after a short pause.

use crate::app::{Playground, LANGUAGES};
use crate::examples::{self, EXAMPLES};
use leptos::html::{Div, Textarea};
use leptos::prelude::*;
use std::collections::HashMap;
use std::time::Duration;

/// How long typing must pause before the code is analysed again.
const DEBOUNCE: Duration = Duration::from_millis(150);

#[component]
pub fn Editor() -> impl IntoView {
    let state = expect_context::<Playground>();
    let textarea = NodeRef::<Textarea>::new();
    let gutter = NodeRef::<Div>::new();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let example = RwSignal::new(EXAMPLES[0].id.to_string());
    let initial_code = state.code.get_untracked();

    let schedule_analysis = move || {
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || state.analysed.set(state.code.get_untracked()), DEBOUNCE).ok();
        pending.set_value(handle);
    };
    let replace_code = move |text: &str| {
        if let Some(el) = textarea.get_untracked() {
            el.set_value(text);
        }
        state.code.set(text.to_string());
        state.analysed.set(text.to_string());
    };
    let load_example = move || {
        if let Some(chosen) = example.with_untracked(|id| examples::find(id)) {
            state.file_name.set(chosen.file.to_string());
            replace_code(chosen.code);
        }
    };

    // Findings and parse errors ask the editor to select their position.
    Effect::new(move |_| {
        let Some((line, column)) = state.jump_to.get() else { return };
        let Some(el) = textarea.get_untracked() else { return };
        let at = utf16_offset(&el.value(), line, column);
        let _ = el.focus();
        let _ = el.set_selection_range(at, at);
        // Put the line in view: the textarea scrolls to the caret only when typing.
        let line_height = el.scroll_height() as f64 / (line_count(&el.value()) as f64).max(1.0);
        let top = (line as f64 - 3.0).max(0.0) * line_height;
        el.set_scroll_top(top as i32);
        state.jump_to.set(None);
    });

    let markers = Memo::new(move |_| {
        state.analysis.with(|a| {
            let mut marks: HashMap<u32, &'static str> = HashMap::new();
            for f in &a.findings {
                let mark = marks.entry(f.line).or_insert("");
                if severity_rank(mark) < severity_rank(f.severity.as_str()) {
                    *mark = f.severity.as_str();
                }
            }
            for file in &a.files {
                if let Some(e) = &file.error {
                    marks.insert(e.line, "error");
                }
            }
            let mut marks: Vec<(u32, &'static str)> = marks.into_iter().collect();
            marks.sort();
            marks
        })
    });
    // Re-rendered only when the number of lines or the marks change, not on every keystroke.
    let lines = Memo::new(move |_| state.code.with(|c| line_count(c)));
    let gutter_lines = move || {
        let count = lines.get();
        let marks = markers.get();
        (1..=count)
            .map(|n| {
                let mark = marks.binary_search_by_key(&n, |m| m.0).ok().map(|i| marks[i].1).unwrap_or("");
                let class =
                    if mark.is_empty() { "gutter-line".to_string() } else { format!("gutter-line mark mark-{mark}") };
                view! { <span class=class>{n}</span> }
            })
            .collect_view()
    };

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
        <div class="editor">
            <div class="gutter" aria-hidden="true" node_ref=gutter>
                {gutter_lines}
            </div>
            <label for="code" class="visually-hidden">"Backend code (JavaScript or TypeScript)"</label>
            <textarea
                id="code"
                node_ref=textarea
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                wrap="off"
                aria-describedby="parse-errors"
                prop:value=initial_code
                on:input=move |ev| {
                    state.code.set(event_target_value(&ev));
                    schedule_analysis();
                }
                on:scroll=move |_| {
                    if let (Some(area), Some(gutter)) = (textarea.get_untracked(), gutter.get_untracked()) {
                        gutter.set_scroll_top(area.scroll_top());
                    }
                }
            ></textarea>
        </div>
    }
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
                                    on:click=move |_| state.jump_to.set(Some((line, column)))
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

fn severity_rank(severity: &str) -> u8 {
    match severity {
        "low" => 1,
        "medium" => 2,
        "high" => 3,
        "critical" => 4,
        _ => 0,
    }
}

/// Number of lines the editor shows for `text` (a trailing newline opens a new line).
pub fn line_count(text: &str) -> u32 {
    text.split('\n').count() as u32
}

/// The textarea offset (UTF-16 code units) of a 1-based line and UTF-16 column in `text`,
/// clamped to the end of that line and of the text.
pub fn utf16_offset(text: &str, line: u32, column: u32) -> u32 {
    let mut offset = 0u32;
    for (index, content) in text.split('\n').enumerate() {
        let length: u32 = content.encode_utf16().count() as u32;
        if index as u32 + 1 == line {
            return offset + column.saturating_sub(1).min(length);
        }
        offset += length + 1;
    }
    text.encode_utf16().count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_utf16_units() {
        let text = "ab\nc€d\n𝄞x";
        assert_eq!(utf16_offset(text, 1, 1), 0);
        assert_eq!(utf16_offset(text, 2, 1), 3);
        assert_eq!(utf16_offset(text, 2, 3), 5);
        assert_eq!(utf16_offset(text, 3, 3), 9); // 𝄞 is two units
        assert_eq!(utf16_offset(text, 2, 99), 6); // clamped to the end of the line
        assert_eq!(utf16_offset(text, 9, 1), 10); // past the end: end of text
    }

    #[test]
    fn line_counts() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a\nb"), 2);
        assert_eq!(line_count("a\n"), 2);
    }
}
