//! backlens playground: the analyzer (`backlens-core`, compiled to WebAssembly) behind a
//! Leptos page. Everything runs in the browser; nothing is sent anywhere.

mod analysis;
mod app;
mod charts;
mod clipboard;
mod cost;
mod editor;
mod examples;
mod findings;
mod markdown;
mod measurements;
mod params;
mod project;
mod report;
mod rules_page;
mod share;
mod storage;
mod theme;
mod waterfall;

fn main() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_fatal_error();
    }));
    leptos::mount::mount_to_body(app::App);
}

/// After a panic the wasm instance is dead: say so on the page instead of leaving a page
/// that silently stopped reacting.
fn show_fatal_error() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(banner) = document.get_element_by_id("fatal") {
        let _ = banner.remove_attribute("hidden");
    }
}
