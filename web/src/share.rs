//! Share links: the code, its language and every parameter (the argument string and the
//! cost-model settings) in the URL's fragment, which browsers never send to a server.
//!
//! Format: `#v1.` + base64url (no padding) of the raw-deflated JSON of a [`Snapshot`].
//! A fragment longer than [`MAX_FRAGMENT`] is refused with a message instead of a link.

use crate::app::{Playground, LANGUAGES};
use crate::cost;
use backlens_core::Params;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The longest fragment a link may carry: 32 KB (browsers and chat tools cut longer URLs).
pub const MAX_FRAGMENT: usize = 32 * 1024;
/// The most a link may expand to (the analyzer refuses files above 16 MiB anyway).
const MAX_EXPANDED: usize = 4 * 1024 * 1024;
const PREFIX: &str = "#v1.";

/// What a link (and the browser's storage) keeps of the playground.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub code: String,
    /// The file name the code is analysed as (`playground.ts` …).
    pub file: String,
    /// The seed's argument string.
    pub args: String,
    /// Cost-model settings, by name.
    #[serde(default)]
    pub cost: Vec<(String, f64)>,
}

impl Snapshot {
    pub fn of(code: &str, file: &str, params: &Params) -> Snapshot {
        Snapshot {
            code: code.to_string(),
            file: file.to_string(),
            args: params.to_args(),
            cost: params.settings.iter().map(|s| (s.name.clone(), s.value)).collect(),
        }
    }

    /// The parameters it describes; a bad argument string or setting is skipped.
    pub fn params(&self) -> Params {
        let mut params = Params::parse_args(&self.args).unwrap_or_default();
        for (name, value) in &self.cost {
            if let Ok(next) = cost::with_setting(&params, name, &cost::format_value(*value)) {
                params = next;
            }
        }
        params
    }

    /// The file name, or the editor's file of the same language (a project file's path such as
    /// `src/app.ts` → `playground.ts`; anything else → the first language's).
    pub fn file_name(&self) -> String {
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

/// The fragment (with its `#`) for `snapshot`, or why there is none.
pub fn encode(snapshot: &Snapshot) -> Result<String, String> {
    let json = serde_json::to_vec(snapshot).map_err(|e| e.to_string())?;
    if json.len() > MAX_EXPANDED {
        return Err(format!(
            "This code is too large for a link: links hold at most {} KB compressed and {} MB of code. \
             Download the report or share the file instead.",
            MAX_FRAGMENT / 1024,
            MAX_EXPANDED / (1024 * 1024)
        ));
    }
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    let fragment = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed));
    if fragment.len() > MAX_FRAGMENT {
        return Err(format!(
            "This code is too large for a link: compressed, it needs {} KB and links hold at most {} KB. \
             Download the report or share the file instead.",
            fragment.len().div_ceil(1024),
            MAX_FRAGMENT / 1024
        ));
    }
    Ok(fragment)
}

/// Whether `fragment` (with its `#`) looks like a share link.
pub fn is_share(fragment: &str) -> bool {
    fragment.starts_with(PREFIX)
}

/// The snapshot in a share fragment (with its `#`).
pub fn decode(fragment: &str) -> Result<Snapshot, String> {
    let damaged =
        |what: &str| format!("This share link is damaged or incomplete ({what}); showing your last code instead.");
    let data = fragment.strip_prefix(PREFIX).ok_or_else(|| damaged("unknown format"))?;
    if data.len() > MAX_FRAGMENT {
        return Err(damaged("too long"));
    }
    let packed = URL_SAFE_NO_PAD.decode(data.trim_end_matches('=')).map_err(|_| damaged("not base64url"))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_EXPANDED)
        .map_err(|_| damaged("cannot decompress"))?;
    serde_json::from_slice(&json).map_err(|_| damaged("unreadable content"))
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
    fn round_trips() {
        let snapshot = sample();
        let fragment = encode(&snapshot).unwrap();
        assert!(fragment.starts_with("#v1."));
        assert!(fragment[4..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let back = decode(&fragment).unwrap();
        assert_eq!(back, snapshot);
        let params = back.params();
        assert_eq!(params.to_args(), snapshot.args);
        assert_eq!(params.settings.len(), 1);
        assert_eq!(params.settings[0].source, cost::SOURCE);
    }

    #[test]
    fn refuses_code_too_large_for_a_link() {
        // Incompressible text: a pseudo-random sequence of letters.
        let mut x: u32 = 12345;
        let code: String = (0..60_000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (b'a' + ((x >> 16) % 26) as u8) as char
            })
            .collect();
        let error = encode(&Snapshot { code, ..sample() }).unwrap_err();
        assert!(error.contains("too large for a link"), "{error}");
        assert!(error.contains("32 KB"), "{error}");
    }

    #[test]
    fn damaged_links_are_errors() {
        assert!(decode("#v1.!!!").unwrap_err().contains("damaged"));
        assert!(decode("#v1.AAAA").is_err());
        assert!(decode("#v2.AAAA").is_err());
        let fragment = encode(&sample()).unwrap();
        assert!(decode(&fragment[..fragment.len() / 2]).is_err());
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
