//! One file of bytes through `analyze` and every report. The first byte picks the file's
//! extension (`.js`, `.ts`, `.tsx`, …: the parser's syntax), the rest is its content.
#![no_main]

use backlens_core::{Params, Severity, SourceFile};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((first, bytes)) = data.split_first() else { return };
    let ext = common::EXTENSIONS[*first as usize % common::EXTENSIONS.len()];
    let files = [SourceFile::from_bytes(format!("src/input.{ext}"), bytes.to_vec())];
    common::check(&files, &Params { priority: Severity::Low, ..Params::default() }, None);
});
