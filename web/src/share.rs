//! Share links: the code, its language and every parameter (the argument string and the
//! cost-model settings) in the URL's fragment, which browsers never send to a server.
//!
//! Format (`backlens_core::share`): `#v1.` + base64url (no padding) of the raw-deflated JSON
//! of a [`Snapshot`]. A fragment longer than `MAX_FRAGMENT` (32 KB) is refused with a message
//! instead of a link.

use crate::app::{Playground, LANGUAGES};
use crate::cost;
use backlens_core::Params;
use leptos::prelude::*;

/// The link format itself is pure and lives in the core (`backlens_core::share`), where the
/// fuzzer decodes links natively.
pub use backlens_core::share::{decode, encode, is_share, Snapshot};

/// What the playground makes of a [`Snapshot`]: its parameters (settings from the
/// playground) and the editor file it is shown in.
pub trait Restore {
    /// The parameters it describes; a bad argument string or setting is skipped.
    fn params(&self) -> Params;
    /// The file name, or the editor's file of the same language (a project file's path such as
    /// `src/app.ts` → `playground.ts`; anything else → the first language's).
    fn file_name(&self) -> String;
}

impl Restore for Snapshot {
    fn params(&self) -> Params {
        self.params_with_source(cost::SOURCE)
    }

    fn file_name(&self) -> String {
        if LANGUAGES.iter().any(|(file, _)| *file == self.file) {
            return self.file.clone();
        }
        let extension = self.file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let language = match extension.as_deref() {
            Some("ts" | "mts" | "cts") => 1,
            Some("jsx") => 2,
            Some("tsx") => 3,
            _ => 0,
        };
        LANGUAGES[language].0.to_string()
    }
}

/// The snapshot in the page's URL, if it is a share link.
pub fn from_location() -> Option<Result<Snapshot, String>> {
    let hash = window().location().hash().ok()?;
    if !is_share(&hash) {
        return None;
    }
    // The link has done its job: later edits live in the page (and the browser's storage),
    // so a reload must not bring the link's version back.
    if let Ok(history) = window().history() {
        let path =
            window().location().pathname().unwrap_or_default() + &window().location().search().unwrap_or_default();
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
    Some(decode(&hash))
}

/// The "Share link" button, the link it made and what happened.
#[component]
pub fn ShareBar() -> impl IntoView {
    let state = expect_context::<Playground>();
    let link = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let share = move |_| {
        let snapshot = state
            .params
            .with_untracked(|p| Snapshot::of(&state.code.get_untracked(), &state.file_name.get_untracked(), p));
        match encode(&snapshot) {
            Ok(fragment) => {
                let location = window().location();
                let base = location.href().unwrap_or_default();
                let base = base.split('#').next().unwrap_or_default().to_string();
                let url = format!("{base}{fragment}");
                link.set(Some(url.clone()));
                status.set(Some("Link ready: copying it…".to_string()));
                leptos::task::spawn_local(async move {
                    let copied = crate::clipboard::copy(&url).await;
                    status.set(Some(
                        if copied {
                            "Link copied to the clipboard. It holds the code and the parameters."
                        } else {
                            "Copy the link below. It holds the code and the parameters."
                        }
                        .to_string(),
                    ));
                });
            }
            Err(message) => {
                link.set(None);
                status.set(Some(message));
            }
        }
    };
    view! {
        <div class="share">
            <button type="button" id="share-link" class="secondary" on:click=share>
                "Share link"
            </button>
            <p id="share-status" class="share-status" role="status" aria-live="polite">
                {move || status.get()}
            </p>
            {move || {
                link.get()
                    .map(|url| {
                        view! {
                            <label class="field share-url">
                                <span class="visually-hidden">"Share link"</span>
                                <input
                                    id="share-url"
                                    type="text"
                                    class="mono"
                                    readonly
                                    prop:value=url
                                    on:focus=move |ev| {
                                        use wasm_bindgen::JsCast;
                                        if let Some(input) = ev
                                            .target()
                                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                        {
                                            input.select();
                                        }
                                    }
                                />
                            </label>
                        }
                    })
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Snapshot {
        let mut params = Params::parse_args(r#"target:"api" load_profile:"high""#).unwrap();
        params = cost::with_setting(&params, "items", "10").unwrap();
        Snapshot::of("app.get('/', async (req, res) => { /* é 𝄞 */ });\n", "playground.ts", &params)
    }

    #[test]
    fn settings_come_back_from_the_playground() {
        let snapshot = sample();
        let params = decode(&encode(&snapshot).unwrap()).unwrap().params();
        assert_eq!(params.to_args(), snapshot.args);
        assert_eq!(params.settings.len(), 1);
        assert_eq!(params.settings[0].source, cost::SOURCE);
    }

    #[test]
    fn unknown_languages_fall_back() {
        let snapshot = Snapshot { file: "evil.exe".into(), ..sample() };
        assert_eq!(snapshot.file_name(), LANGUAGES[0].0);
        assert_eq!(sample().file_name(), "playground.ts");
        // A project's open file keeps its language.
        assert_eq!(Snapshot { file: "src/routes/users.mts".into(), ..sample() }.file_name(), "playground.ts");
        assert_eq!(Snapshot { file: "src/App.tsx".into(), ..sample() }.file_name(), "playground.tsx");
        assert_eq!(Snapshot { file: "src/app.cjs".into(), ..sample() }.file_name(), "playground.js");
    }
}
