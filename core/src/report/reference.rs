//! The rules reference (`docs/rules.md`, the playground's rules page), generated from the
//! rules' own documentation.

/// The rules reference: every rule's metadata and documentation, as one Markdown page
/// (`docs/rules.md`, the playground's rules page). One source of truth: the rules' own docs.
pub fn rules_reference() -> String {
    let mut out = String::from(
        "# Rules reference\n\nGenerated from each rule's own documentation in `core/src/rules/`; do not edit by hand \
         (`BACKLENS_UPDATE_SNAPSHOTS=1 cargo test -p backlens-core --test specs` regenerates it, and a test fails when it drifts).\n\n\
         A rule is on by default only when its precision in a blind review on code nobody here tuned for \
         reaches 80 % (findings judged true or minor among those reviewed, over the blind and held-out sets of \
         docs/evaluation.md; `docs/evaluation/precision.tsv`). The column *Blind precision* gives that figure; a rule \
         under the bar is off by default (its *Default* says so) until it gets there. Every rule runs by name \
         (`--rules id`, `--rules all`, `rules:\"id\"`, `[params] rules` in backlens.toml).\n\n\
         | Rule | Category | Finds | Cost model | Default | Blind precision |\n|---|---|---|---|---|---|\n",
    );
    let rules = crate::rules::catalog();
    let precision = |id: &str| match crate::rules::blind_precision(id) {
        Some((p, n)) if p < crate::rules::DEFAULT_BAR => format!("{p} % of {n}: under the 80 % bar"),
        Some((p, n)) => format!("{p} % of {n}"),
        None => "too few reviewed findings".to_string(),
    };
    let default = |id: &str| match crate::rules::off_by_default(id) {
        Some(_) => "off".to_string(),
        None => "on".to_string(),
    };
    for m in &rules {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} | {} | {} | {} |\n",
            m.id,
            m.id,
            m.category.as_str(),
            m.summary,
            m.model,
            default(m.id),
            precision(m.id)
        ));
    }
    for m in &rules {
        out.push_str(&format!(
            "\n## {}\n\n**Category**: {} · **Cost model**: {} · **Default**: {} · **Blind precision**: {}\n\n{}\n\n",
            m.id,
            m.category.as_str(),
            m.model,
            default(m.id),
            precision(m.id),
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
        out.push_str(&format!("\n### Fixes\n{}\n", crate::fix::policy(m.id)));
    }
    out
}
