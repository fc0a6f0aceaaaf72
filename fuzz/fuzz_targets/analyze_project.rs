//! A multi-file project built from the input: files separated by the bytes `\xff\xfe` (never
//! in UTF-8 text), each a path line then its content. A file named `package.json` is the
//! report's package. At most 16 files.
#![no_main]

use backlens_core::{Params, Severity, SourceFile};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const SEPARATOR: &[u8] = b"\xff\xfe";

fuzz_target!(|data: &[u8]| {
    let mut files = Vec::new();
    let mut package_json = None;
    let mut rest = data;
    while !rest.is_empty() && files.len() < 16 {
        let (chunk, next) = match rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
            Some(i) => (&rest[..i], &rest[i + SEPARATOR.len()..]),
            None => (rest, &[][..]),
        };
        rest = next;
        let (path, content) = match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => (String::from_utf8_lossy(&chunk[..i]).into_owned(), &chunk[i + 1..]),
            None => (format!("src/file{}.js", files.len()), chunk),
        };
        if path.ends_with("package.json") {
            package_json = Some(String::from_utf8_lossy(content).into_owned());
        } else {
            files.push(SourceFile::from_bytes(path, content.to_vec()));
        }
    }
    common::check(&files, &Params { priority: Severity::Low, ..Params::default() }, package_json);
});
