//! Copying text: the asynchronous Clipboard API where the page may use it, else the older
//! `execCommand("copy")` on a hidden textarea.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Copies `text`; whether it worked.
pub async fn copy(text: &str) -> bool {
    if let Some(clipboard) = clipboard() {
        let promise = clipboard.write_text(text);
        if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
            return true;
        }
    }
    copy_with_exec_command(text)
}

/// `navigator.clipboard`, which is missing outside secure contexts (plain http on a LAN).
fn clipboard() -> Option<web_sys::Clipboard> {
    let navigator = window().navigator();
    let value = web_sys::js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).ok()?;
    if value.is_undefined() || value.is_null() {
        None
    } else {
        Some(value.unchecked_into())
    }
}

fn copy_with_exec_command(text: &str) -> bool {
    let document = document();
    let Ok(area) = document.create_element("textarea") else { return false };
    let area: web_sys::HtmlTextAreaElement = area.unchecked_into();
    area.set_value(text);
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("aria-hidden", "true");
    // A class, not a style attribute: the site's CSP (`style-src 'self'`) blocks the latter.
    area.set_class_name("offscreen-copy");
    let Some(body) = document.body() else { return false };
    if body.append_child(&area).is_err() {
        return false;
    }
    area.select();
    let html: &web_sys::HtmlDocument = document.unchecked_ref();
    let copied = html.exec_command("copy").unwrap_or(false);
    area.remove();
    copied
}
