//! Share links: the code, its language and every parameter (the argument string and the
//! cost-model settings) in the URL's fragment, which browsers never send to a server.
//! Encoding and decoding are pure, so the playground (`web/src/share.rs`) and the fuzzer
//! (`fuzz/fuzz_targets/share_link.rs`) run the same code. Behind the `share` feature.
//!
//! Format: `#v1.` + base64url (no padding) of the raw-deflated JSON of a [`Snapshot`].
//! A fragment longer than [`MAX_FRAGMENT`] is refused with a message instead of a link; a
//! link never expands to more than [`MAX_EXPANDED`] bytes.

use crate::Params;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// The longest fragment a link may carry: 32 KB (browsers and chat tools cut longer URLs).
pub const MAX_FRAGMENT: usize = 32 * 1024;
/// The most a link may expand to (the analyzer refuses files above 16 MiB anyway).
pub const MAX_EXPANDED: usize = 4 * 1024 * 1024;
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

    /// The parameters it describes, each setting with `source`; a bad argument string or
    /// setting is skipped.
    pub fn params_with_source(&self, source: &str) -> Params {
        let mut params = Params::parse_args(&self.args).unwrap_or_default();
        for (name, value) in &self.cost {
            // On error `set_cost` changes nothing: the setting is skipped.
            let _ = params.set_cost(name, &format!("{value}"), source);
        }
        params
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Snapshot {
        let mut params = Params::parse_args(r#"target:"api" load_profile:"high""#).unwrap();
        params.set_cost("items", "10", "playground").unwrap();
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
        let params = back.params_with_source("playground");
        assert_eq!(params.to_args(), snapshot.args);
        assert_eq!(params.settings.len(), 1);
        assert_eq!(params.settings[0].source, "playground");
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
}
