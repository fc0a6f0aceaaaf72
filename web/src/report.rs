//! The Report tab: the Markdown "Backend Optimization Report", rendered (sanitised);
//! downloads of the report (`.md`) and of the analysis (`.json`, `.sarif`); "Copy report".

use crate::app::{Playground, Tab};
use crate::markdown;
use backlens_core::report::{self, ReportContext};
use leptos::prelude::*;
use leptos::wasm_bindgen::{JsCast, JsValue};

/// The downloads: button id, label, file name, MIME type.
const DOWNLOADS: [(Format, &str, &str, &str, &str); 3] = [
    (Format::Markdown, "download-md", "Download .md", "backend-optimization-report.md", "text/markdown;charset=utf-8"),
    (Format::Json, "download-json", "Download .json", "backlens-analysis.json", "application/json"),
    (Format::Sarif, "download-sarif", "Download .sarif", "backlens.sarif", "application/sarif+json"),
];

#[derive(Clone, Copy)]
enum Format {
    Markdown,
    Json,
    Sarif,
}

#[component]
pub fn ReportPanel() -> impl IntoView {
    let state = expect_context::<Playground>();
    let date = today();
    let date = StoredValue::new(date);
    let write = move || {
        let context = ReportContext { title: "pasted code".to_string(), date: date.get_value(), package_json: None };
        let params = state.report_params();
        state.analysis.with(|a| report::markdown(a, &params, &context))
    };
    // Written and rendered only while the Report tab is open (printing opens it): for a big
    // file the report is long, and rewriting it after every keystroke held the page up.
    let source = Memo::new(move |_| if state.tab.get() == Tab::Report { write() } else { String::new() });
    let html = Memo::new(move |_| source.with(|md| markdown::render(md)));
    let article = NodeRef::<leptos::html::Article>::new();
    // Code blocks and tables that scroll sideways can be scrolled from the keyboard.
    Effect::new(move |_| {
        html.track();
        if let Some(el) = article.get() {
            request_animation_frame(move || focusable_scrollers(&el));
        }
    });
    let download_error = RwSignal::new(None::<String>);
    let copy_status = RwSignal::new(None::<String>);
    // Computed on demand: the JSON and SARIF texts are only needed for a download.
    let text_of = move |format: Format| match format {
        Format::Markdown => Some(source.get_untracked()).filter(|s| !s.is_empty()).unwrap_or_else(write),
        Format::Json => state.analysis.with_untracked(report::json),
        Format::Sarif => state.analysis.with_untracked(report::sarif),
    };
    let download = move |(format, _, _, file_name, mime): (Format, &str, &str, &str, &str)| {
        let result = download_text(file_name, &text_of(format), mime);
        download_error.set(result.err().map(|e| format!("Download failed: {}", e.as_string().unwrap_or_default())));
    };
    let copy = move |_| {
        let text = text_of(Format::Markdown);
        copy_status.set(Some("Copying…".to_string()));
        leptos::task::spawn_local(async move {
            let copied = crate::clipboard::copy(&text).await;
            copy_status.set(Some(
                if copied {
                    "Report copied as Markdown."
                } else {
                    "Copying is blocked here: download the .md file instead."
                }
                .to_string(),
            ));
        });
    };

    view! {
        <div class="report-toolbar">
            {DOWNLOADS
                .into_iter()
                .map(|entry| {
                    view! {
                        <button type="button" id=entry.1 on:click=move |_| download(entry)>
                            {entry.2}
                        </button>
                    }
                })
                .collect_view()}
            <button type="button" id="copy-report" class="secondary" on:click=copy>
                "Copy report"
            </button>
            <span class="hint">"Markdown for a pull request; JSON and SARIF for tools and code scanning."</span>
            <p id="copy-status" class="copy-status" role="status" aria-live="polite">{move || copy_status.get()}</p>
            <p class="download-error" role="alert">{move || download_error.get()}</p>
        </div>
        <crate::charts::ChartsPanel/>
        // Safe: `markdown::render` turns raw HTML into text and drops images and unsafe links.
        <article class="report" node_ref=article inner_html=move || html.get()></article>
    }
}

/// Makes the code blocks and tables under `root` reachable with Tab, so that a reader without
/// a mouse can scroll them sideways (they scroll when wider than the page).
pub fn focusable_scrollers(root: &web_sys::Element) {
    let Ok(nodes) = root.query_selector_all("pre, table") else { return };
    for i in 0..nodes.length() {
        if let Some(el) = nodes.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
            let _ = el.set_attribute("tabindex", "0");
        }
    }
}

/// Today's local date as `YYYY-MM-DD`.
fn today() -> String {
    let now = web_sys::js_sys::Date::new_0();
    format_date(now.get_full_year(), now.get_month() + 1, now.get_date())
}

fn format_date(year: u32, month: u32, day: u32) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

/// Offers `text` as a file download through a Blob and an object URL.
fn download_text(file_name: &str, text: &str, mime: &str) -> Result<(), JsValue> {
    let parts = web_sys::js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let anchor: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // Some browsers read the URL after the click returns: free it a little later.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(30));
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_iso() {
        assert_eq!(super::format_date(2026, 3, 7), "2026-03-07");
    }
}
