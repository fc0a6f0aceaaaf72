use crate::Analysis;

/// The analysis as the JSON contract of PRODUCT.md, pretty-printed ([`log_safe`]).
pub fn json(analysis: &Analysis) -> String {
    log_safe(serde_json::to_string_pretty(analysis).expect("the analysis types serialise infallibly"))
}

/// JSON text that reads as the same value and prints safely into a terminal or a CI log:
/// serde_json already writes control characters as `\u001b`-style escapes; this also writes
/// the bidirectional controls (which reorder what a terminal shows) as `\u202e`, and the
/// second `#` of `##[` (which GitHub's runner reads anywhere in a log line as a legacy
/// workflow command, `##[add-mask]`, `##[stop-commands]`) as `\u0023`. These characters only
/// occur inside JSON strings, where the escapes mean the same characters.
pub(crate) fn log_safe(json: String) -> String {
    let bidi = |c: char| matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !json.contains("##[") && !json.chars().any(bidi) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    let mut chars = json.chars().peekable();
    let mut previous_hash = false;
    while let Some(c) = chars.next() {
        if bidi(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else if c == '#' && previous_hash && chars.peek() == Some(&'[') {
            out.push_str("\\u0023");
        } else {
            out.push(c);
        }
        previous_hash = c == '#';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::log_safe;

    #[test]
    fn log_safe_json_is_the_same_value() {
        let value = serde_json::json!({ "a": "x ##[add-mask]y ###[ z\u{202e}w \u{1b}[2J", "##[k": 1 });
        let text = log_safe(serde_json::to_string_pretty(&value).unwrap());
        assert!(!text.contains("##[") && !text.contains('\u{202e}') && !text.contains('\u{1b}'), "{text}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), value);
        assert_eq!(log_safe("{\"a\": 1}".into()), "{\"a\": 1}");
    }
}
