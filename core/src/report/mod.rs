//! Output: the JSON contract, the Markdown "Backend Optimization Report", SARIF 2.1.0, the
//! compact text listing and GitHub workflow annotations.

mod escape;
mod github;
mod json;
mod markdown;
mod reference;
mod sarif;
mod text;
mod waterfall;

pub use github::github;
pub use json::json;
pub use markdown::{endpoint_load, estimate_markdown, markdown, Load, ReportContext};
pub use reference::rules_reference;
pub use sarif::{check_docs_url, help_uri, sarif, sarif_with_docs, DEFAULT_DOCS_URL};
pub use text::{printable, text};
