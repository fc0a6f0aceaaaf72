//! The Report tab: the Markdown "Backend Optimization Report", rendered (sanitised) and
//! downloadable as a `.md` file.

use crate::app::Playground;
use crate::markdown;
use backlens_core::report::{self, ReportContext};
use leptos::prelude::*;
use leptos::wasm_bindgen::{JsCast, JsValue};

/// The name of the downloaded file.
const FILE_NAME: &str = "backend-optimization-report.md";

#[component]
pub fn ReportPanel() -> impl IntoView {
    let state = expect_context::<Playground>();
    let date = today();
    let source = Memo::new(move |_| {
        let context = ReportContext { title: "pasted code".to_string(), date: date.clone(), package_json: None };
        state.analysis.with(|a| state.params.with(|p| report::markdown(a, p, &context)))
    });
    let html = Memo::new(move |_| source.with(|md| markdown::render(md)));
    let download_error = RwSignal::new(None::<String>);
    let download = move |_| {
        let result = source.with_untracked(|md| download_text(FILE_NAME, md, "text/markdown;charset=utf-8"));
        download_error.set(result.err().map(|e| format!("Download failed: {}", e.as_string().unwrap_or_default())));
    };

    view! {
        <div class="report-toolbar">
            <button type="button" id="download-md" on:click=download>
                "Download .md"
            </button>
            <span class="hint">"Markdown, ready to paste into a pull request."</span>
            <p class="download-error" role="alert">{move || download_error.get()}</p>
        </div>
        // Safe: `markdown::render` turns raw HTML into text and drops images and unsafe links.
        <article class="report" inner_html=move || html.get()></article>
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
