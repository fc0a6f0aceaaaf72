use crate::Analysis;

/// The analysis as the JSON contract of PRODUCT.md, pretty-printed.
pub fn json(analysis: &Analysis) -> String {
    serde_json::to_string_pretty(analysis).expect("the analysis types serialise infallibly")
}
