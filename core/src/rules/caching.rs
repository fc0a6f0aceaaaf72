//! Helpers shared by the caching rules.

use super::Context;

/// The text without `//` and `/* */` comments (a comment that mentions "cache" is not a cache).
pub(super) fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.find('\n').map(|i| &r[i..]).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.find("*/").map(|i| &r[i + 2..]).unwrap_or("");
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The name bound to a Redis client anywhere in the program (`new Redis(`, `createClient(`).
pub(super) fn redis_client(ctx: &Context) -> Option<String> {
    for f in ctx.program.files {
        for line in f.text.lines() {
            let t = line.trim();
            if !(t.contains("new Redis(") || t.contains("createClient(") || t.contains("new IORedis(")) {
                continue;
            }
            let rest = t
                .strip_prefix("export ")
                .unwrap_or(t)
                .trim_start_matches("const ")
                .trim_start_matches("let ")
                .trim_start_matches("var ");
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$').collect();
            if !name.is_empty() && rest[name.len()..].trim_start().starts_with(['=', ':']) {
                return Some(name);
            }
        }
    }
    None
}
