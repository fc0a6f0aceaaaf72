//! The report of a hostile project renders as text in any CommonMark renderer, raw HTML
//! enabled: no element, attribute, link or image comes from the input.
//!
//! `hostile/project.json` is a project (title, `package.json`, file paths and contents) whose
//! route paths, handler names, strings, comments, suppression reasons, unknown rule names,
//! file paths, parse errors and package versions carry script tags, event handlers,
//! `javascript:` links, Markdown link and image syntax, backtick runs, table pipes, heading
//! attributes, autolinks, entities, footnote, wiki-link and math syntax and block openers.
//! `tests/outputs/report.test.mjs` runs markdownlint on the CLI's report of the same project.

use backlens_core::report::{self, ReportContext};
use backlens_core::{analyze, Params, Severity, SourceFile};
use pulldown_cmark::{Event, Options, Parser, Tag};

struct Project {
    title: String,
    files: Vec<(String, String)>,
}

fn project() -> Project {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile/project.json"))
        .expect("tests/hostile/project.json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let files = v["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["text"].as_str().unwrap().to_string()))
        .collect();
    Project { title: v["title"].as_str().unwrap().to_string(), files }
}

fn hostile_report() -> String {
    let p = project();
    let package_json = p.files.iter().find(|(path, _)| path == "package.json").map(|(_, t)| t.clone());
    let sources: Vec<SourceFile> =
        p.files.iter().filter(|(path, _)| path != "package.json").map(|(path, t)| SourceFile::new(path, t)).collect();
    let params = Params { priority: Severity::Low, ..Params::all_rules() };
    let analysis = analyze(&sources, &params);
    report::markdown(&analysis, &params, &ReportContext { title: p.title, date: "2026-12-03".into(), package_json })
}

/// Everything a renderer would turn into markup or a URL, and the text it shows.
#[derive(Default)]
struct Rendered {
    markup: Vec<String>,
    text: String,
}

fn render(md: &str, options: Options) -> Rendered {
    let mut r = Rendered::default();
    for event in Parser::new_ext(md, options) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => r.markup.push(format!("raw HTML {h:?}")),
            Event::Start(Tag::Link { dest_url, .. }) => r.markup.push(format!("link to {dest_url:?}")),
            Event::Start(Tag::Image { dest_url, .. }) => r.markup.push(format!("image from {dest_url:?}")),
            Event::Start(Tag::Heading { id, classes, attrs, .. })
                if id.is_some() || !classes.is_empty() || !attrs.is_empty() =>
            {
                r.markup.push(format!("heading attributes {id:?} {classes:?} {attrs:?}"))
            }
            Event::FootnoteReference(f) => r.markup.push(format!("footnote {f:?}")),
            Event::InlineMath(m) | Event::DisplayMath(m) => r.markup.push(format!("math {m:?}")),
            Event::Text(t) | Event::Code(t) => r.text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => r.text.push(' '),
            _ => {}
        }
    }
    r
}

#[test]
fn the_hostile_project_has_something_to_report() {
    let md = hostile_report();
    // The fixture reaches every part of the report that shows user-derived text.
    for section in [
        "## Optimizations",
        "## Baseline Metrics",
        "### Endpoint-Specific Improvements",
        "## Suppressed Findings",
        "## Suppression Comments to Check",
        "## Files Not Analysed",
        "## Next Steps",
        "**Backend**: Express ",
    ] {
        assert!(md.contains(section), "missing {section}:\n{md}");
    }
}

#[test]
fn no_element_attribute_link_or_image_comes_from_the_input() {
    let md = hostile_report();
    // The report itself has no HTML, link or image of its own: everything found came in.
    for options in [Options::empty(), Options::all()] {
        let r = render(&md, options);
        assert!(r.markup.is_empty(), "{options:?}: {:#?}\n{md}", r.markup);
    }
    // And as HTML, with raw HTML passed through (plain `push_html`): every tag is one the
    // renderer writes for Markdown, with only the attributes it writes.
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&md, Options::all()));
    let ours = [
        "h1", "h2", "h3", "h4", "p", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "br", "table",
        "thead", "tbody", "tr", "th", "td",
    ];
    for tag in html.split('<').skip(1).map(|t| &t[..t.find('>').expect("a closed tag")]) {
        let tag = tag.trim_start_matches('/').trim_end_matches('/').trim();
        let (name, attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        assert!(ours.contains(&name), "<{tag}> in the HTML:\n{html}");
        let attrs_ok = attrs.is_empty()
            || (name == "code" && attrs.starts_with("class=\"language-") && attrs.matches('"').count() == 2)
            || (name == "ol" && attrs.starts_with("start=\""))
            || (matches!(name, "th" | "td") && attrs.starts_with("style=\"text-align:"));
        assert!(attrs_ok, "<{tag}> in the HTML:\n{html}");
    }
}

#[test]
fn user_text_renders_as_itself() {
    let md = hostile_report();
    // Smart punctuation would change the quotes: everything else on.
    let r = render(&md, Options::all() - Options::ENABLE_SMART_PUNCTUATION);
    for shown in [
        // Route paths (the endpoint labels of the executive summary, tables and headings).
        "GET /api/<img src=x onerror=alert(3)>",
        "GET /api/[click](javascript:alert(4))/![img](javascript:alert(5))",
        "GET /api/a|b|c/```/`x`/{onclick=alert(7)}/$x$/[^1]/[[wiki]]",
        // The model joins the path's `//` into `/`.
        "/http:/evil.example/www.evil.example/<evil@example.com>/&lt;b&gt;",
        "POST /api/# heading/> quote/- item/1. item/*em*/_em_/~~s~~",
        // File paths, in tables and in text.
        "src/<img src=x onerror=alert(1)>.js",
        "src/[x](javascript:alert(2)) ![y](javascript:alert(2)).js",
        "src/<script>alert(13)<\\script>.js",
        "src/&lt;b&gt;|# h|> q.ts",
        // A carriage return in a path (it would end a table row) shows as a space.
        "src/props,line=1,title=forged%0D%3A ::notice::cr.js",
        "::notice::root.js",
        // A suppression reason, the title, package.json's versions.
        "<script>alert('suppressed')</script> | ``` | [x](javascript:alert(9))",
        "<script>alert('title')</script> [t](javascript:alert(21)) | `t`",
        "Express <img src=x onerror=alert(17)> [x](javascript:alert(18)) |a|b|",
        "Node.js ![x](javascript:alert(19)) <script>alert(20)</script>",
        // Code in a table cell (an awaited call not understood), pipes and all.
        "pipes['|a|b|'].check",
    ] {
        assert!(r.text.contains(shown), "not shown as text: {shown}\n{}\n{md}", r.text);
    }
}

#[test]
fn sarif_markdown_messages_and_help_are_as_safe() {
    let p = project();
    let sources: Vec<SourceFile> =
        p.files.iter().filter(|(path, _)| path != "package.json").map(|(path, t)| SourceFile::new(path, t)).collect();
    let analysis = analyze(&sources, &Params { priority: Severity::Low, ..Params::all_rules() });
    let sarif: serde_json::Value = serde_json::from_str(&report::sarif(&analysis)).unwrap();
    let run = &sarif["runs"][0];
    let mut texts: Vec<String> = Vec::new();
    for result in run["results"].as_array().unwrap() {
        texts.push(result["message"]["markdown"].as_str().expect("message.markdown").to_string());
    }
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        texts.push(rule["help"]["markdown"].as_str().unwrap().to_string());
    }
    assert!(texts.len() > 22, "{texts:#?}");
    for md in &texts {
        let r = render(md, Options::all());
        assert!(r.markup.is_empty(), "{:#?}\n{md}", r.markup);
    }
}
