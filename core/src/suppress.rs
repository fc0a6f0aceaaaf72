//! Suppression comments: a user silences a finding they have weighed and accepted.
//!
//! ```js
//! // backlens-ignore n-plus-one-query -- at most 3 tenants, measured
//! for (const t of tenants) await Tenant.sync(t.id);
//!
//! const app = express(); // backlens-ignore missing-compression -- nginx gzips /api
//!
//! /* backlens-ignore-file json-deep-clone, sort-in-loop -- one-off migration script */
//! ```
//!
//! - `backlens-ignore RULE[, RULE…] [-- REASON]` in a comment on its own line silences
//!   those rules' findings that start on the next line of code (blank lines and other
//!   `//` comment lines in between are skipped, so directives can be stacked); at the end of
//!   a line of code, the findings that start on that line.
//! - `backlens-ignore-file RULE[, RULE…] [-- REASON]` anywhere in a file silences those
//!   rules in the whole file.
//!
//! Rule ids are required (a bare `backlens-ignore` silences nothing), so a suppression never
//! hides a defect it was not written for. Nothing is lost: silenced findings move to
//! `Analysis::suppressed` with the comment's line and reason (the report lists them, SARIF
//! marks them `inSource`), and a comment naming an unknown rule, naming no rule, or
//! silencing nothing becomes a `Notice`.

use crate::analysis::{Finding, Notice, Suppressed};
use crate::params::Params;
use crate::parse::Parsed;

const LINE: &str = "backlens-ignore";
const FILE: &str = "backlens-ignore-file";

/// One directive of one file.
struct Directive {
    file: usize,
    /// Line of the comment.
    line: u32,
    column: u32,
    /// `None`: the whole file; otherwise the line whose findings it silences.
    target: Option<u32>,
    rules: Vec<&'static str>,
    reason: Option<String>,
    used: bool,
}

/// Splits `findings` into those still reported and those silenced by comments; returns the
/// notices about the comments themselves. Comments in `unreported` files (tests, assets) are
/// left alone: those files' findings are never reported anyway.
pub fn apply(
    files: &[Parsed],
    unreported: &std::collections::HashSet<&str>,
    params: &Params,
    findings: Vec<Finding>,
) -> (Vec<Finding>, Vec<Suppressed>, Vec<Notice>) {
    let catalog = crate::rules::catalog();
    let mut notices = Vec::new();
    let mut directives = Vec::new();
    for (id, file) in files.iter().enumerate() {
        if unreported.contains(file.path.as_str()) {
            continue;
        }
        for (range, text) in &file.directives {
            let (line, column) = file.lines.position(&file.text, range.start);
            let mut notice = |message: String| notices.push(Notice { file: file.path.clone(), line, column, message });
            let Some((whole_file, names, reason)) = parse_directive(text) else { continue };
            let names_none = names.is_empty();
            let mut rules = Vec::new();
            for name in names {
                match catalog.iter().find(|m| m.id == name) {
                    Some(m) => rules.push(m.id),
                    None => notice(format!(
                        "`{}` names an unknown rule `{name}`; the rule ids are listed in docs/rules.md",
                        if whole_file { FILE } else { LINE }
                    )),
                }
            }
            if rules.is_empty() {
                if names_none {
                    notice(format!(
                        "`{}` names no rule, so it silences nothing: write the ids of the rules it is for, \
                         e.g. `// {} n-plus-one-query -- why`",
                        if whole_file { FILE } else { LINE },
                        if whole_file { FILE } else { LINE }
                    ));
                }
                continue;
            }
            let target = if whole_file { None } else { Some(target_line(file, range, line)) };
            directives.push(Directive { file: id, line, column, target, rules, reason, used: false });
        }
    }
    if directives.is_empty() {
        return (findings, Vec::new(), notices);
    }

    let file_index: std::collections::HashMap<&str, usize> =
        files.iter().enumerate().map(|(i, f)| (f.path.as_str(), i)).collect();
    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = Vec::new();
    for finding in findings {
        let file = file_index.get(finding.file.as_str()).copied();
        let by = directives.iter_mut().find(|d| {
            Some(d.file) == file && d.rules.contains(&finding.rule) && d.target.is_none_or(|line| line == finding.line)
        });
        match by {
            Some(d) => {
                d.used = true;
                suppressed.push(Suppressed { comment_line: d.line, reason: d.reason.clone(), finding });
            }
            None => kept.push(finding),
        }
    }

    // A comment that silences nothing is stale (the code was fixed or moved) — unless the
    // parameters kept its rules from running or its findings from being listed.
    for d in directives.iter().filter(|d| !d.used) {
        let ran = d
            .rules
            .iter()
            .all(|id| catalog.iter().find(|m| m.id == *id).is_some_and(|m| params.target.includes(m.category)));
        if !ran || !params.endpoints.is_empty() {
            continue;
        }
        let what = match d.target {
            Some(line) => format!("on line {line}"),
            None => "in this file".to_string(),
        };
        notices.push(Notice {
            file: files[d.file].path.clone(),
            line: d.line,
            column: d.column,
            message: format!("`{}` silences nothing: no {} finding {what}; remove the comment", LINE, and_or(&d.rules)),
        });
    }
    notices.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    (kept, suppressed, notices)
}

/// `(whole file, rule names, reason)` of a comment, or `None` when it is no directive.
fn parse_directive(text: &str) -> Option<(bool, Vec<String>, Option<String>)> {
    // Block comments may carry leading `*` (JSDoc style).
    let body = text.trim().trim_start_matches('*').trim_start();
    let (whole_file, rest) = if let Some(rest) = body.strip_prefix(FILE) {
        (true, rest)
    } else if let Some(rest) = body.strip_prefix(LINE) {
        (false, rest)
    } else {
        return None;
    };
    // `backlens-ignored` or `backlens-ignore-next-line` are not ours.
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace) || rest.starts_with(':')) {
        return None;
    }
    let rest = rest.trim_start_matches(':');
    let (names, reason) = match rest.split_once("--") {
        Some((names, reason)) => (names, Some(reason.trim()).filter(|r| !r.is_empty()).map(str::to_string)),
        None => (rest, None),
    };
    let names = names
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    Some((whole_file, names, reason))
}

/// The line a line directive applies to: its own line when code precedes it there, else the
/// next line that is neither blank nor a `//` comment.
fn target_line(file: &Parsed, range: &std::ops::Range<u32>, line: u32) -> u32 {
    let start = range.start as usize;
    let line_start = file.text[..start].rfind('\n').map_or(0, |i| i + 1);
    if !file.text[line_start..start].trim().is_empty() {
        return line;
    }
    let end = (range.end as usize).min(file.text.len());
    let mut target = line + file.text[start..end].matches('\n').count() as u32;
    for rest in file.text[end..].split('\n').skip(1) {
        target += 1;
        let code = rest.trim();
        if !code.is_empty() && !code.starts_with("//") {
            return target;
        }
    }
    target + 1
}

fn and_or(rules: &[&str]) -> String {
    let quoted: Vec<String> = rules.iter().map(|r| format!("`{r}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::{analyze, Params, SourceFile};

    const N_PLUS_ONE: &str = "const express = require('express');
const { User, Post } = require('./models');
const app = express();
app.get('/users', async (req, res) => {
  const users = await User.findAll({ limit: 20 });
  for (const u of users) {
    u.posts = await Post.findAll({ where: { userId: u.id }, limit: 5 });
  }
  res.json(users);
});
";

    fn run(code: &str) -> crate::Analysis {
        analyze(&[SourceFile::new("app.js", code)], &Params::all_rules())
    }

    fn rules(findings: &[crate::Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn a_comment_above_silences_the_named_rule_on_the_next_line_of_code_only() {
        let before = run(N_PLUS_ONE);
        assert!(rules(&before.findings).contains(&"n-plus-one-query"));
        let code = N_PLUS_ONE.replace(
            "    u.posts",
            "    // backlens-ignore n-plus-one-query -- at most 20 users, measured\n\n    u.posts",
        );
        let after = run(&code);
        assert!(!rules(&after.findings).contains(&"n-plus-one-query"), "{:?}", rules(&after.findings));
        assert_eq!(after.findings.len(), before.findings.len() - 1, "only the N+1 is silenced");
        assert_eq!(after.suppressed.len(), 1);
        let s = &after.suppressed[0];
        assert_eq!((s.finding.rule, s.finding.line, s.comment_line), ("n-plus-one-query", 9, 7));
        assert_eq!(s.reason.as_deref(), Some("at most 20 users, measured"));
        assert!(after.notices.is_empty(), "{:?}", after.notices);
    }

    #[test]
    fn a_trailing_comment_silences_its_own_line_and_a_file_comment_the_whole_file() {
        let trailing = N_PLUS_ONE.replace("limit: 5 });", "limit: 5 }); // backlens-ignore n-plus-one-query");
        let a = run(&trailing);
        assert!(!rules(&a.findings).contains(&"n-plus-one-query"));
        assert_eq!(a.suppressed[0].reason, None);

        let whole =
            format!("/* backlens-ignore-file missing-compression, missing-rate-limit -- behind nginx */\n{N_PLUS_ONE}");
        let b = run(&whole);
        let kept = rules(&b.findings);
        assert!(!kept.contains(&"missing-compression") && !kept.contains(&"missing-rate-limit"), "{kept:?}");
        assert!(kept.contains(&"n-plus-one-query"));
        assert_eq!(b.suppressed.len(), 2);
        assert!(b.suppressed.iter().all(|s| s.reason.as_deref() == Some("behind nginx")));
    }

    #[test]
    fn another_rule_unknown_rules_bare_and_stale_comments_silence_nothing_and_say_so() {
        let other = N_PLUS_ONE.replace("    u.posts", "    // backlens-ignore sort-in-loop\n    u.posts");
        let a = run(&other);
        assert!(rules(&a.findings).contains(&"n-plus-one-query"), "a comment for another rule leaves the N+1");
        assert_eq!(a.notices.len(), 1);
        assert!(a.notices[0].message.contains("silences nothing"), "{}", a.notices[0].message);
        assert_eq!(a.notices[0].line, 7);

        let unknown =
            N_PLUS_ONE.replace("    u.posts", "    // backlens-ignore n-plus-one, n-plus-one-query\n    u.posts");
        let b = run(&unknown);
        assert!(!rules(&b.findings).contains(&"n-plus-one-query"), "the known id still applies");
        assert_eq!(b.notices.len(), 1);
        assert!(b.notices[0].message.contains("unknown rule `n-plus-one`"), "{}", b.notices[0].message);

        let bare = N_PLUS_ONE.replace("    u.posts", "    // backlens-ignore -- trust me\n    u.posts");
        let c = run(&bare);
        assert!(rules(&c.findings).contains(&"n-plus-one-query"));
        assert!(c.notices[0].message.contains("names no rule"), "{}", c.notices[0].message);

        // Not directives: a longer word, a mention inside a string.
        let mention = N_PLUS_ONE
            .replace("    u.posts", "    // backlens-ignored n-plus-one-query\n    u.posts")
            .replace("res.json(users)", "res.json({ users, note: '// backlens-ignore n-plus-one-query' })");
        let d = run(&mention);
        assert!(rules(&d.findings).contains(&"n-plus-one-query"));
        assert!(d.suppressed.is_empty() && d.notices.is_empty(), "{:?}", d.notices);
    }

    #[test]
    fn a_comment_for_a_rule_the_target_did_not_run_is_not_called_stale() {
        let code = N_PLUS_ONE.replace("    u.posts", "    // backlens-ignore n-plus-one-query\n    u.posts");
        let mut params = Params::all_rules();
        params.set("target", "algorithms").unwrap();
        let a = analyze(&[SourceFile::new("app.js", &code)], &params);
        assert!(a.notices.is_empty(), "{:?}", a.notices);
    }
}
