//! Markdown → HTML for the Report tab, with everything that could smuggle markup or
//! requests into the page neutralised first.
//!
//! The report quotes the user's own code, endpoint paths and messages. pulldown-cmark passes
//! raw HTML through untouched, so before rendering:
//! - raw HTML (`Event::Html`, `Event::InlineHtml`) becomes plain text, which `push_html`
//!   escapes; an HTML block becomes a paragraph of that text;
//! - images are dropped (their alt text stays): an `<img>` would fetch a URL, and the
//!   playground sends nothing anywhere;
//! - links keep their text but lose the link unless the target is `http:`, `https:`,
//!   `mailto:` or an in-page `#anchor` (no `javascript:`, `data:`, …).
//!
//! The output is safe to insert with `inner_html`.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// Renders `markdown` to sanitised HTML (see the module docs).
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = sanitize(Parser::new_ext(markdown, options));
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// The sanitising pass on its own, for any event stream.
pub fn sanitize<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    // One entry per open link or image: whether its start tag was kept.
    let mut open: Vec<bool> = Vec::new();
    let mut out = Vec::new();
    for event in events {
        match event {
            Event::Html(text) | Event::InlineHtml(text) => out.push(Event::Text(text)),
            Event::Start(Tag::HtmlBlock) => out.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => out.push(Event::End(TagEnd::Paragraph)),
            Event::Start(Tag::Image { .. }) => open.push(false),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let keep = is_safe_url(&dest_url);
                open.push(keep);
                if keep {
                    out.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                }
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                if open.pop().unwrap_or(false) {
                    out.push(Event::End(end));
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn is_safe_url(url: &CowStr<'_>) -> bool {
    let url = url.trim_start().to_ascii_lowercase();
    url.starts_with('#') || ["http://", "https://", "mailto:"].iter().any(|scheme| url.starts_with(scheme))
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_ordinary_markdown() {
        let html =
            render("# Backend Optimization Report\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nconst x = 1;\n```\n");
        assert!(html.contains("<h1>Backend Optimization Report</h1>"), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<code class=\"language-js\">const x = 1;"), "{html}");
    }

    #[test]
    fn raw_html_becomes_text() {
        let html = render("Inline <img src=x onerror=alert(1)> here.\n\n<script>alert(1)</script>\n\n<div onclick=\"x()\">\nblock\n</div>\n");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "{html}");
        assert!(html.contains("<p>&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    }

    #[test]
    fn code_from_the_user_stays_escaped_in_code_blocks() {
        let html = render("```js\napp.get('/x', (req, res) => res.send('<img src=x onerror=alert(1)>'));\n```\n");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "{html}");
    }

    #[test]
    fn images_are_dropped_and_unsafe_links_unlinked() {
        let html = render("![tracking pixel](https://example.com/p.gif) [click](javascript:alert(1)) [ok](https://example.com) [top](#top) [data](data:text/html,x)");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("tracking pixel"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:text"), "{html}");
        assert!(html.contains("<a href=\"https://example.com\">ok</a>"), "{html}");
        assert!(html.contains("<a href=\"#top\">top</a>"), "{html}");
        assert!(html.contains("click") && html.contains("data"), "{html}");
    }

    #[test]
    fn nested_images_in_links_keep_the_link() {
        let html = render("[![alt](x.png)](https://example.com)");
        assert_eq!(html.trim(), "<p><a href=\"https://example.com\">alt</a></p>");
    }
}
