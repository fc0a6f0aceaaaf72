//! Parsing: bytes → swc AST, or a [`FileError`] with a 1-based position.
//!
//! Invariant: nothing here panics, and no input reaches swc that could exhaust the stack.
//! Before swc sees a file, [`guard`] rejects what no real program contains: more than
//! [`MAX_BYTES`], invalid UTF-8, NUL bytes (binary files), brackets nested deeper than
//! [`MAX_NESTING`] and expression chains longer than [`MAX_CHAIN`] (`a+a+a+…`,
//! `x.then().then()…`), which would otherwise make swc, our visitors or even dropping the
//! AST recurse too deeply. Each rejection says what was found and where.

use crate::source::LineIndex;
use crate::{FileError, SourceFile};
use swc_common::comments::SingleThreadedComments;
use swc_common::BytePos;
use swc_ecma_ast::{EsVersion, Program};
use swc_ecma_parser::{EsSyntax, Parser, StringInput, Syntax, TsSyntax};
use swc_ecma_visit::VisitWith;

/// Largest file read (a 5 MB minified bundle is fine; 16 MiB is not source code).
pub const MAX_BYTES: usize = 16 * 1024 * 1024;
/// Deepest bracket nesting accepted. Hand-written code stays under 40.
pub const MAX_NESTING: u32 = 256;
/// Longest run of operators/calls/members in one expression without a separator.
pub const MAX_CHAIN: u32 = 4_000;

/// The first byte offset of every file in swc's position space (0 is swc's dummy position).
const BASE: u32 = 1;

/// One file after parsing.
pub struct Parsed {
    pub path: String,
    /// The text (empty when the file was not UTF-8).
    pub text: String,
    pub lines: LineIndex,
    /// The AST, when the file parsed.
    pub program: Option<Program>,
    pub error: Option<FileError>,
    /// The comments that mention `backlens-` (suppression directives, see `suppress.rs`):
    /// byte range in `text` and the comment's text without its `//` or `/* */`. Other
    /// comments are not kept.
    pub directives: Vec<(std::ops::Range<u32>, String)>,
}

impl Parsed {
    /// Byte offset in `text` of an swc position of this file.
    pub fn offset(&self, pos: BytePos) -> u32 {
        pos.0.saturating_sub(BASE).min(self.text.len() as u32)
    }

    /// 1-based (line, UTF-16 column) of an swc position of this file.
    pub fn position(&self, pos: BytePos) -> (u32, u32) {
        self.lines.position(&self.text, self.offset(pos))
    }

    /// The source text of a span.
    pub fn snippet(&self, span: swc_common::Span) -> &str {
        let (lo, hi) = (self.offset(span.lo) as usize, self.offset(span.hi) as usize);
        self.text.get(lo..hi).unwrap_or("")
    }
}

/// Parses one file. Never panics; every failure becomes `Parsed::error`.
/// A file whose path an earlier file of the same project already has: not analysed (which of
/// two `src/app.js` would an import reach?), listed with this error at 1:1.
pub fn duplicate(file: &SourceFile) -> Parsed {
    Parsed {
        path: file.path.clone(),
        lines: LineIndex::new(""),
        text: String::new(),
        program: None,
        error: Some(FileError {
            line: 1,
            column: 1,
            message: "another file of the project has the same path; only the first one is analysed".to_string(),
        }),
        directives: Vec::new(),
    }
}

pub fn parse(file: &SourceFile) -> Parsed {
    let failed = |text: String, error: FileError| Parsed {
        path: file.path.clone(),
        lines: LineIndex::new(&text),
        text,
        program: None,
        error: Some(error),
        directives: Vec::new(),
    };
    let text = match decode(&file.bytes) {
        Ok(text) => text,
        Err(error) => return failed(String::new(), error),
    };
    if let Err(error) = guard(&text) {
        return failed(text, error);
    }
    let lines = LineIndex::new(&text);
    let comments = SingleThreadedComments::default();
    let result = parse_text(&file.path, &text, &comments);
    let (program, error) = match result {
        Ok(program) => (Some(program), None),
        Err((offset, message)) => {
            let (line, column) = lines.position(&text, offset);
            (None, Some(FileError { line, column, message }))
        }
    };
    let directives =
        if error.is_none() && text.contains("backlens-") { directives(&comments, &text) } else { Vec::new() };
    Parsed { path: file.path.clone(), text, lines, program, error, directives }
}

fn syntax_for(path: &str) -> Syntax {
    let lower = path.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("js");
    match ext {
        "ts" | "mts" | "cts" => Syntax::Typescript(TsSyntax { decorators: true, ..Default::default() }),
        "tsx" => Syntax::Typescript(TsSyntax { decorators: true, tsx: true, ..Default::default() }),
        // CommonJS modules may `return` at the top level (Node wraps them in a function).
        _ => Syntax::Es(EsSyntax {
            jsx: true,
            decorators: true,
            decorators_before_export: true,
            allow_return_outside_function: true,
            ..Default::default()
        }),
    }
}

/// The comments of a parsed file that mention `backlens-`, in source order.
fn directives(comments: &SingleThreadedComments, text: &str) -> Vec<(std::ops::Range<u32>, String)> {
    let (leading, trailing) = comments.borrow_all();
    let mut found: Vec<(std::ops::Range<u32>, String)> = leading
        .values()
        .chain(trailing.values())
        .flatten()
        .filter(|c| c.text.contains("backlens-"))
        .map(|c| {
            let lo = c.span.lo.0.saturating_sub(BASE).min(text.len() as u32);
            let hi = c.span.hi.0.saturating_sub(BASE).min(text.len() as u32);
            (lo..hi, c.text.to_string())
        })
        .collect();
    found.sort_by_key(|(range, _)| range.start);
    found.dedup_by_key(|(range, _)| range.start);
    found
}

/// Runs swc. Returns the program, or the byte offset and message of the first error.
///
/// swc_ecma_parser 47 panics, in release builds too (`unreachable!("JSXNamespacedName ->
/// JSXObject")`, parser/jsx.rs), on a JSX element name that is namespaced and then has a member,
/// `<a:b.c`, a syntax error in JSX; the wasm module's panics abort the playground's worker.
/// Found by the fuzzer (analyze_file, crash-0cdd9a7d). When the text has such a `.` after a `<`
/// ([`jsx_namespaced_members`]: a superset, the `<` may be a less-than or in a string), swc
/// first parses a copy with each of those `.` as `_`: in JSX `<a:b_c` is a namespaced name
/// swc reads without trouble, elsewhere `b_c` is an identifier where `b.c` was a member. If the
/// copy has such a JSX name over one of them, the text is that syntax error; if not, the text
/// itself goes to swc; if the copy does not parse, its error is the text's (the same up to the
/// first change, and a text with that JSX name is an error anyway).
fn parse_text(path: &str, text: &str, comments: &SingleThreadedComments) -> Result<Program, (u32, String)> {
    let members = if syntax_for(path).jsx() { jsx_namespaced_members(text) } else { Vec::new() };
    if !members.is_empty() {
        let mut probe = text.as_bytes().to_vec();
        for &(_, dot) in &members {
            probe[dot] = b'_';
        }
        // An ASCII byte for an ASCII byte: still UTF-8.
        let probe = String::from_utf8(probe).expect("UTF-8");
        let program = swc(path, &probe, &SingleThreadedComments::default())?;
        let mut names = NamespacedNames::default();
        program.visit_with(&mut names);
        // Between a `<` and its `.` there is only the name (and whitespace and comments); in
        // the copy the name may go on past the `_` (`b_c`).
        let jsx =
            |&&(lt, dot): &&(usize, usize)| names.0.iter().any(|r| lt < r.start as usize && (r.start as usize) < dot);
        if let Some((_, dot)) = members.iter().find(jsx) {
            return Err((*dot as u32, "a namespaced JSX element name (`<a:b`) cannot have a member (`.`)".to_string()));
        }
    }
    swc(path, text, comments)
}

/// The offsets of the namespaced JSX element names (`a:b` of `<a:b>` and `</a:b>`).
#[derive(Default)]
struct NamespacedNames(Vec<std::ops::Range<u32>>);

impl swc_ecma_visit::Visit for NamespacedNames {
    fn visit_jsx_element_name(&mut self, name: &swc_ecma_ast::JSXElementName) {
        if let swc_ecma_ast::JSXElementName::JSXNamespacedName(n) = name {
            self.0.push(n.span.lo.0.saturating_sub(BASE)..n.span.hi.0.saturating_sub(BASE));
        }
    }
}

/// The offsets of `<` and `.` wherever a `.` follows `<` or `</`, a JSX identifier, `:` and
/// another JSX identifier, with only whitespace and comments between them: every place where swc could
/// read a namespaced JSX element name with a member (and more: the `<` of a comparison, of a
/// string or a comment). Linear: comment ends are looked up with a cached search.
fn jsx_namespaced_members(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    if !b.contains(&b':') || !b.contains(&b'.') {
        return Vec::new();
    }
    let mut block_end = Cached::default();
    let mut line_end = Cached::default();
    // The next position that is not whitespace or a comment.
    let mut skip = |mut i: usize| loop {
        match b.get(i) {
            Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) => i += 1,
            Some(b'/') if b.get(i + 1) == Some(&b'*') => {
                i = block_end.find(b, i + 2, |b, j| b[j] == b'*' && b.get(j + 1) == Some(&b'/')) + 2
            }
            Some(b'/') if b.get(i + 1) == Some(&b'/') => {
                i = line_end.find(b, i + 2, |b, j| {
                    matches!(b[j], b'\n' | b'\r')
                        || b[j..].starts_with("\u{2028}".as_bytes())
                        || b[j..].starts_with("\u{2029}".as_bytes())
                })
            }
            Some(c) if *c >= 0x80 => match text.get(i..).and_then(|t| t.chars().next()) {
                Some(ch) if ch.is_whitespace() || ch == '\u{feff}' => i += ch.len_utf8(),
                _ => return i,
            },
            _ => return i,
        }
    };
    // The end of a run of JSX identifier characters (a superset: any non-ASCII character that
    // is not whitespace).
    let ident = |mut i: usize| {
        while let Some(&c) = b.get(i) {
            if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'-' | b'\\') {
                i += 1;
            } else if c >= 0x80 {
                match text.get(i..).and_then(|t| t.chars().next()) {
                    Some(ch) if !ch.is_whitespace() && ch != '\u{feff}' => i += ch.len_utf8(),
                    _ => break,
                }
            } else {
                break;
            }
        }
        i
    };
    let mut found = Vec::new();
    for (lt, _) in text.match_indices('<') {
        let mut i = skip(lt + 1);
        if b.get(i) == Some(&b'/') {
            i = skip(i + 1);
        }
        let end = ident(i);
        if end == i {
            continue;
        }
        i = skip(end);
        if b.get(i) != Some(&b':') {
            continue;
        }
        i = skip(i + 1);
        let end = ident(i);
        if end == i {
            continue;
        }
        i = skip(end);
        if b.get(i) == Some(&b'.') {
            found.push((lt, i));
        }
    }
    found
}

/// The first position at or after `from` where a predicate holds, remembering the last search:
/// a search that starts inside the range the last one crossed has the same answer, so the
/// comments after many `<` are crossed once.
#[derive(Default)]
struct Cached {
    from: usize,
    found: Option<usize>,
}

impl Cached {
    fn find(&mut self, b: &[u8], from: usize, at: impl Fn(&[u8], usize) -> bool) -> usize {
        if let Some(found) = self.found {
            if self.from <= from && from <= found {
                return found;
            }
        }
        let found = (from..b.len()).find(|&j| at(b, j)).unwrap_or(b.len());
        (self.from, self.found) = (from, Some(found));
        found
    }
}

/// swc itself, its panics (debug assertions) caught.
fn swc(path: &str, text: &str, comments: &SingleThreadedComments) -> Result<Program, (u32, String)> {
    let end = BytePos(BASE + text.len() as u32);
    let input = StringInput::new(text, BytePos(BASE), end);
    let mut parser = Parser::new(syntax_for(path), input, Some(comments));
    let _ = EsVersion::latest();
    // swc's own debug assertions can fire on broken input (`async (a, b.c(y) => {`, found by
    // the fuzzer; swc_ecma_parser 47 expr.rs `debug_assert_eq!(items.len(), 1)`): in a build
    // that has them, such a file is an error like any other. Release builds (the CLI, the
    // wasm module, whose panics abort) have no debug assertions and report swc's own error.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let result = parser.parse_program();
        (result, parser.take_errors())
    }));
    let Ok((result, recovered)) = parsed else {
        return Err((0, "the parser gave up on this file (an internal assertion of swc failed)".to_string()));
    };
    let to_offset = |pos: BytePos| pos.0.saturating_sub(BASE).min(text.len() as u32);
    match result {
        Ok(program) => match recovered.into_iter().min_by_key(|e| e.span().lo) {
            // swc recovers from some errors; Node would not run such a file, so neither do we.
            Some(e) => Err((to_offset(e.span().lo), e.kind().msg().into_owned())),
            None => Ok(program),
        },
        Err(e) => Err((to_offset(e.span().lo), e.kind().msg().into_owned())),
    }
}

use swc_common::Spanned;

fn decode(bytes: &[u8]) -> Result<String, FileError> {
    if bytes.len() > MAX_BYTES {
        return Err(FileError {
            line: 1,
            column: 1,
            message: format!(
                "file is {:.1} MiB; backlens reads source files up to {} MiB",
                bytes.len() as f64 / (1024.0 * 1024.0),
                MAX_BYTES / (1024 * 1024)
            ),
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            let (line, column) = LineIndex::new(valid).position(valid, valid.len() as u32);
            Err(FileError {
                line,
                column,
                message: format!(
                    "file is not valid UTF-8 (invalid byte 0x{:02X}); is it a binary file?",
                    bytes[e.valid_up_to()]
                ),
            })
        }
    }
}

/// Rejects text that is binary or nested too deeply to parse safely, with its position.
pub fn guard(text: &str) -> Result<(), FileError> {
    let error_at = |offset: usize, message: String| {
        let (line, column) = LineIndex::new(text).position(text, offset as u32);
        Err(FileError { line, column, message })
    };
    if let Some(nul) = text.find('\0') {
        return error_at(
            nul,
            "file contains a NUL byte; it looks like a binary file, not JavaScript or TypeScript".into(),
        );
    }
    match scan(text.as_bytes()) {
        Scan::Ok => Ok(()),
        Scan::TooDeep(offset) => error_at(
            offset,
            format!("brackets nested more than {MAX_NESTING} levels deep; backlens does not analyse code nested this deeply"),
        ),
        Scan::TooLong(offset) => error_at(
            offset,
            format!("an expression chains more than {MAX_CHAIN} operators or calls; backlens does not analyse expressions this long"),
        ),
    }
}

enum Scan {
    Ok,
    TooDeep(usize),
    TooLong(usize),
}

#[derive(Clone, Copy, PartialEq)]
enum Frame {
    Bracket,
    /// `${` inside a template literal: its `}` returns to the template's text.
    TemplateExpr,
}

/// A lexer-free approximation of nesting: skips strings, comments, template text and
/// regular expressions (by the usual previous-token heuristic), counts bracket depth and the
/// length of operator/call/member chains. Over-estimates only on exotic regexes, and the
/// limits are far above any real program.
fn scan(b: &[u8]) -> Scan {
    let mut stack: Vec<(Frame, u32)> = Vec::new();
    let mut chain: u32 = 0;
    let mut prev: u8 = b'('; // last significant byte: a regex may start at the beginning
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b'\'' | b'"' => {
                i = skip_string(b, i);
                prev = b'a';
                continue;
            }
            b'`' => {
                match skip_template(b, i + 1) {
                    (next, true) => {
                        stack.push((Frame::TemplateExpr, chain));
                        chain = 0;
                        if stack.len() as u32 > MAX_NESTING {
                            return Scan::TooDeep(i);
                        }
                        i = next;
                        prev = b'(';
                    }
                    (next, false) => {
                        i = next;
                        prev = b'a';
                    }
                }
                continue;
            }
            b'/' if regex_allowed(b, i, prev) => {
                i = skip_regex(b, i);
                prev = b'a';
                continue;
            }
            b'(' | b'[' | b'{' => {
                stack.push((Frame::Bracket, chain));
                chain = 0;
                if stack.len() as u32 > MAX_NESTING {
                    return Scan::TooDeep(i);
                }
            }
            b')' | b']' | b'}' => match stack.pop() {
                Some((Frame::TemplateExpr, outer)) if c == b'}' => {
                    chain = outer;
                    let (next, more) = skip_template(b, i + 1);
                    if more {
                        stack.push((Frame::TemplateExpr, chain));
                        chain = 0;
                        i = next;
                        prev = b'(';
                    } else {
                        i = next;
                        prev = b'a';
                    }
                    continue;
                }
                Some((_, outer)) => chain = if c == b'}' { 0 } else { outer + 1 },
                None => chain = 0,
            },
            b';' | b',' => chain = 0,
            b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'<' | b'>' | b'?' | b':' | b'.' | b'!' | b'~'
            | b'=' => {
                chain += 1;
            }
            _ => {}
        }
        if chain > MAX_CHAIN {
            return Scan::TooLong(i);
        }
        prev = c;
        i += 1;
    }
    Scan::Ok
}

fn skip_string(b: &[u8], start: usize) -> usize {
    let quote = b[start];
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// Skips template text from `i`; returns where scanning resumes and whether it stopped at
/// a `${` (true) or after the closing backtick (false).
fn skip_template(b: &[u8], mut i: usize) -> (usize, bool) {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'`' => return (i + 1, false),
            b'$' if b.get(i + 1) == Some(&b'{') => return (i + 2, true),
            _ => i += 1,
        }
    }
    (i, false)
}

fn regex_allowed(b: &[u8], i: usize, prev: u8) -> bool {
    if b"(,=:[!&|?{};+-*%<>~^".contains(&prev) {
        return true;
    }
    // After a keyword such as `return` or `typeof`, a slash starts a regex.
    let before = &b[..i];
    let trimmed = before.trim_ascii_end();
    ["return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await"]
        .iter()
        .any(|k| {
            trimmed.ends_with(k.as_bytes())
                && !trimmed[..trimmed.len() - k.len()]
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$')
        })
}

fn skip_regex(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    let mut in_class = false;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            b'[' => {
                in_class = true;
                i += 1
            }
            b']' => {
                in_class = false;
                i += 1
            }
            b'/' if !in_class => return i + 1,
            _ => i += 1,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(path: &str, text: &str) -> Parsed {
        parse(&SourceFile::new(path, text))
    }

    #[test]
    fn parses_every_dialect() {
        let cases = [
            ("a.js", "const x = require('x'); module.exports = { x };"),
            ("a.mjs", "import x from 'x'; export const y = await x();"),
            ("a.cjs", "exports.a = function () { return 1 };"),
            ("bin.js", "#!/usr/bin/env node\nif (require.main !== module) return;\nmain();"),
            ("a.jsx", "export const A = () => <div>{1}</div>;"),
            ("a.ts", "@Controller('users') export class C { @Get(':id') find(@Param('id') id: string): Promise<User> { return this.s.find(id) as any } }"),
            ("a.mts", "export type A = { a: number }; export const a: A = { a: 1 };"),
            ("a.cts", "import fs = require('fs'); export = fs;"),
            ("a.tsx", "export const A = <T,>(p: { v: T }) => <span>{String(p.v)}</span>;"),
        ];
        for (path, text) in cases {
            let p = parse_str(path, text);
            assert!(p.error.is_none(), "{path}: {:?}", p.error);
            assert!(p.program.is_some());
        }
    }

    #[test]
    fn syntax_errors_have_one_based_positions() {
        let p = parse_str("a.js", "app.get('/x', (req, res) => {\n  res.json(1);\n");
        let e = p.error.expect("error");
        assert_eq!(e.line, 3, "{e:?}");
        assert!(!e.message.is_empty());
        let p = parse_str("b.js", "let a = 1;\nlet = = 2;");
        let e = p.error.expect("error");
        assert_eq!((e.line, e.column), (2, 7), "{e:?}"); // `let` is an identifier; the second `=` is the error
    }

    #[test]
    fn hostile_input_is_refused_with_a_clear_error() {
        let deep = format!("x = {}1{};", "[".repeat(10_000), "]".repeat(10_000));
        let e = parse_str("deep.js", &deep).error.unwrap();
        assert!(e.message.contains("nested"), "{e:?}");
        let parens = format!("{}{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse_str("p.js", &parens).error.unwrap().message.contains("nested"));
        let chain = format!("x = 1{};", "+1".repeat(50_000));
        assert!(parse_str("c.js", &chain).error.unwrap().message.contains("chains"));
        let calls = format!("p{};", ".then(f)".repeat(20_000));
        assert!(parse_str("t.js", &calls).error.unwrap().message.contains("chains"));

        let bad = SourceFile::from_bytes("bin.js", vec![b'a', b'\n', 0xff, 0xfe, 0x00]);
        let e = parse(&bad).error.unwrap();
        assert!(e.message.contains("UTF-8"), "{e:?}");
        assert_eq!((e.line, e.column), (2, 1));
        let nul = SourceFile::from_bytes("nul.js", b"var a;\0\0\0".to_vec());
        assert!(parse(&nul).error.unwrap().message.contains("binary"));
        let garbage: Vec<u8> = (0..20_000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8 & 0x7f | 1).collect();
        let p = parse(&SourceFile::from_bytes("g.js", garbage));
        assert!(p.error.is_some());
    }

    #[test]
    fn ordinary_nesting_and_regexes_pass_the_guard() {
        let text = r#"
            const re = /[(\[{]+/g; const t = `a ${ `b ${ c({ d: [1, (2)] }) }` } )`;
            const s = "(((("; // ((((
            /* [[[[ */ if (a / b > c) { x = y.replace(/\)/g, ''); }
        "#;
        assert!(guard(text).is_ok());
        let p = parse_str("ok.js", text);
        assert!(p.error.is_none(), "{:?}", p.error);
    }

    #[test]
    fn large_minified_file_parses() {
        let unit = "function a(b,c){var d=b.map(function(e){return e.id}),f=c.filter(function(g){return d.indexOf(g.k)>-1});return f.length?f[0]:null}";
        let mut text = String::new();
        while text.len() < 5 * 1024 * 1024 {
            text.push_str(unit);
            text.push(';');
        }
        let p = parse_str("bundle.min.js", &text);
        assert!(p.error.is_none(), "{:?}", p.error);
    }
}
