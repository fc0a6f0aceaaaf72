//! `--baseline FILE` and `--write-baseline FILE`: the file I/O around core's `baseline`
//! (fingerprints and matching live there).

use backlens_core::baseline::{self, Baseline};
use backlens_core::Analysis;
use std::path::Path;

use crate::walk::{display_path, io_message};

/// Reads and checks a baseline file.
pub fn read(path: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read baseline {}: {}", display_path(path), io_message(&e)))?;
    baseline::parse(&text).map_err(|e| format!("baseline {}: {e}", display_path(path)))
}

/// Writes the analysis's findings as a baseline.
pub fn write(path: &Path, analysis: &Analysis) -> Result<(), String> {
    std::fs::write(path, baseline::to_text(&baseline::record(analysis)))
        .map_err(|e| format!("cannot write baseline {}: {}", display_path(path), io_message(&e)))
}
