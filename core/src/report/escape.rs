//! Markdown that user-derived text cannot turn into markup.
//!
//! Everything the report says about the user's code — route paths, names, file paths, parser
//! messages, package versions, suppression reasons, the rules' messages that quote code — goes
//! through [`text`] (plain text: every character that CommonMark, GFM or a common extension
//! could read as syntax is escaped) or [`inline`] (a message written with `` `code` `` spans:
//! the spans stay code, exactly as a CommonMark parser delimits them, and the rest is
//! [`text`]). Code itself goes into [`code`] spans or [`fenced`] blocks, which no content can
//! close early. So a route `'/api/<img src=x onerror=alert(3)>'` renders as that text in any
//! renderer, HTML enabled or not (`core/tests/hostile.rs` renders a hostile project's report
//! with pulldown-cmark and finds no element or attribute from the input).
//!
//! What [`text`] escapes, and why:
//! - `<` and `&` as entities (`&lt;` `&amp;`): raw HTML, autolinks, entity references;
//!   entities also hold in renderers that ignore backslash escapes;
//! - `\` `` ` `` `*` `_` `[` `]` `!` `|` `~` `$` `{` `}` `@` `>` with a backslash: escapes,
//!   code spans, emphasis, links and images (and footnotes, wiki links), table cells,
//!   strikethrough, math, heading attributes (`{#id .class key=value}`), e-mail autolinks,
//!   block quotes (`>` opens no HTML without a `<`; escaped, not `&gt;`, so a heading that
//!   ends with it does not end with `;`);
//! - `://` and `www.` (GFM's extended autolinks) broken by an escaped `:` or `.`;
//! - at the start of the text, what would open a block: `#`, `>` (escaped anyway), `-`,
//!   `+`, `=`, `:` and a number followed by `.` or `)`;
//! - line breaks and other control characters become spaces: the text stays on its line, so
//!   no line of it can start a block of its own.

/// Plain text that renders as itself wherever Markdown puts it: a paragraph, a heading, a
/// list item, a table cell, emphasis.
pub fn text(s: &str) -> String {
    escape(s, true)
}

/// [`text`]; `line_start`: the text may begin a line, so what would open a block is escaped.
fn escape(s: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let chars: Vec<char> = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    // Only spaces so far; only spaces then digits (an ordered list's number) so far.
    let (mut at_start, mut number) = (line_start, false);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '!' | '|' | '~' | '$' | '{' | '}' | '@' | '>' => {
                out.push('\\');
                out.push(c);
            }
            ':' if chars.get(i + 1) == Some(&'/') && chars.get(i + 2) == Some(&'/') => out.push_str("\\:"),
            '.' if i >= 3 && chars[i - 3..i].iter().collect::<String>().eq_ignore_ascii_case("www") => {
                out.push_str("\\.")
            }
            '#' | '-' | '+' | '=' | ':' if at_start => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if number => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        number = c.is_ascii_digit() && (at_start || number);
        at_start &= c == ' ';
    }
    out
}

/// A message written with `` `code` `` spans (the rules' messages, the cost models'
/// summaries, notices): each span CommonMark would find stays a code span, the rest is
/// [`text`]. A backtick run with no closing run of the same length is text. `in_table`: the
/// message goes into a table cell, where GFM splits cells on `|` even inside code spans, so
/// those are escaped too.
pub fn inline(s: &str, in_table: bool) -> String {
    let s: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let bytes = s.as_bytes();
    let run_at = |i: usize| bytes[i..].iter().take_while(|b| **b == b'`').count();
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let (mut i, mut plain_from) = (0, 0);
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let n = run_at(i);
        // The closing run: the next run of exactly `n` backticks.
        let mut j = i + n;
        let mut close = None;
        while j < bytes.len() {
            if bytes[j] == b'`' {
                let m = run_at(j);
                if m == n {
                    close = Some(j);
                    break;
                }
                j += m;
            } else {
                j += 1;
            }
        }
        match close {
            Some(j) => {
                out.push_str(&escape(&s[plain_from..i], plain_from == 0));
                let content = &s[i + n..j];
                out.push_str(&s[i..i + n]);
                if in_table {
                    out.push_str(&content.replace('|', "\\|"));
                } else {
                    out.push_str(content);
                }
                out.push_str(&s[j..j + n]);
                i = j + n;
                plain_from = i;
            }
            None => i += n,
        }
    }
    out.push_str(&escape(&s[plain_from..], plain_from == 0));
    out
}

/// Inline code that no content can break out of: delimited by one backtick more than the
/// longest run inside, on one line.
pub fn code(s: &str) -> String {
    let s: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

/// [`code`] in a GFM table cell, where `|` splits cells even inside a code span: escaped
/// (`\|`), which GFM reads back as `|` within the span.
pub fn cell_code(s: &str) -> String {
    code(s).replace('|', "\\|")
}

/// A fenced code block that no content can close early: its fence is longer than any
/// backtick run inside.
pub fn fenced(out: &mut String, lang: &str, code: &str) {
    use std::fmt::Write;
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(out, "{fence}{lang}\n{}\n{fence}", code.trim_end_matches('\n'));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_markup_and_keeps_what_is_plain() {
        assert_eq!(text("/api/users/:id"), "/api/users/:id");
        assert_eq!(text("src/app.js"), "src/app.js");
        assert_eq!(text("GET /api/<img src=x onerror=alert(3)>"), "GET /api/&lt;img src=x onerror=alert(3)\\>");
        assert_eq!(text("[x](javascript:alert(1))"), "\\[x\\](javascript:alert(1))");
        assert_eq!(text("![i](x.png)"), "\\!\\[i\\](x.png)");
        assert_eq!(text("a|b *c* _d_ `e` ~f~ $g$ {#h}"), "a\\|b \\*c\\* \\_d\\_ \\`e\\` \\~f\\~ \\$g\\$ \\{#h\\}");
        assert_eq!(text("&amp; \\"), "&amp;amp; \\\\");
        assert_eq!(text("see http://evil.example or www.evil.example"), "see http\\://evil.example or www\\.evil.example");
        assert_eq!(text("line\nbreak\r\t"), "line break  ");
    }

    #[test]
    fn text_cannot_open_a_block() {
        assert_eq!(text("# title"), "\\# title");
        assert_eq!(text("- item"), "\\- item");
        assert_eq!(text("+ item"), "\\+ item");
        assert_eq!(text("1. item"), "1\\. item");
        assert_eq!(text("12) item"), "12\\) item");
        assert_eq!(text("> quote"), "\\> quote");
        assert_eq!(text("==="), "\\===");
        // Not at the start: left alone.
        assert_eq!(text("a-b #1 v2.0"), "a-b #1 v2.0");
    }

    #[test]
    fn inline_keeps_the_code_spans_commonmark_would_find() {
        assert_eq!(inline("`User.findAll()` per <b>item</b>", false), "`User.findAll()` per &lt;b\\>item&lt;/b\\>");
        // An unmatched run is text; a longer run is closed only by a run of its length.
        assert_eq!(inline("a ` b", false), "a \\` b");
        assert_eq!(inline("``a`b`` <x>", false), "``a`b`` &lt;x\\>");
        assert_eq!(inline("`a|b` c|d", true), "`a\\|b` c\\|d");
        assert_eq!(inline("`a|b`", false), "`a|b`");
        // Line breaks inside a span would let the next line start a block.
        assert_eq!(inline("`a\n# b`", false), "`a # b`");
    }

    #[test]
    fn code_spans_and_fences_outlast_the_content() {
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(cell_code("a || b"), "`a \\|\\| b`");
        let mut out = String::new();
        fenced(&mut out, "js", "x = ```y```");
        assert_eq!(out, "````js\nx = ```y```\n````\n");
    }
}
