//! The last code and parameters, kept in the browser's `localStorage` so that a reload
//! (or the next visit) continues where the user stopped. A share link wins over it.

use crate::share::Snapshot;
use leptos::prelude::*;

const KEY: &str = "backlens.playground.v1";

fn storage() -> Option<web_sys::Storage> {
    // Storage can be disabled or throw (private modes, blocked cookies): then nothing is kept.
    window().local_storage().ok().flatten()
}

/// The snapshot saved last, if any and readable.
pub fn load() -> Option<Snapshot> {
    let text = storage()?.get_item(KEY).ok()??;
    serde_json::from_str(&text).ok()
}

/// Saves `snapshot`; a full or disabled storage is ignored.
pub fn save(snapshot: &Snapshot) {
    let Some(storage) = storage() else { return };
    if let Ok(text) = serde_json::to_string(snapshot) {
        let _ = storage.set_item(KEY, &text);
    }
}
