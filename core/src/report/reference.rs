//! The rules reference (`docs/rules.md`, the playground's rules page), generated from the
//! rules' own documentation.

/// The rules reference: every rule's metadata and documentation, as one Markdown page
/// (`docs/rules.md`, the playground's rules page). One source of truth: the rules' own docs.
pub fn rules_reference() -> String {
    let mut out = String::from(
        "# Rules reference\n\nGenerated from each rule's own documentation in `core/src/rules/`; do not edit by hand \
         (`BACKLENS_UPDATE_SNAPSHOTS=1 cargo test -p backlens-core --test specs` regenerates it, and a test fails when it drifts).\n\n\
         | Rule | Category | Finds | Cost model |\n|---|---|---|---|\n",
    );
    let rules = crate::rules::catalog();
    for m in &rules {
        out.push_str(&format!("| [`{}`](#{}) | {} | {} | {} |\n", m.id, m.id, m.category.as_str(), m.summary, m.model));
    }
    for m in &rules {
        out.push_str(&format!(
            "\n## {}\n\n**Category**: {} · **Cost model**: {}\n\n{}\n\n",
            m.id,
            m.category.as_str(),
            m.model,
            m.summary
        ));
        for line in m.docs.lines() {
            // The rule's own sections sit one level below its heading.
            if line.starts_with('#') {
                out.push('#');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
