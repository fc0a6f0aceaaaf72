//! Output: the JSON contract and the Markdown "Backend Optimization Report".

mod json;
mod markdown;

pub use json::json;
pub use markdown::{markdown, ReportContext};
