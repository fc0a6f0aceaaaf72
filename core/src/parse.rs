//! Parsing.
use crate::{FileError, SourceFile};
pub struct Parsed { pub path: String, pub error: Option<FileError> }
pub fn parse(file: &SourceFile) -> Parsed { Parsed { path: file.path.clone(), error: None } }
