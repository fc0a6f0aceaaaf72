//! Applying the findings' rewrites to the files: `backlens analyze --fix` (the rewrites a
//! rule marks safe), `--fix-suggestions` (all of them), the language server's code action and
//! the fixture runner's fixed-output snapshots.
//!
//! A finding's rewrite is its `after` text for its `before` lines (whole lines, as written).
//! A rewrite applies when `before` is, line for line, text inside the finding's range and
//! `after` is code rather than a sketch (elisions `…`, or notes that put its parts in other
//! places: `// at module level: …`, `// cpu-worker.js: …`). A rule marks a finding's rewrite
//! safe (`Finding::safe_fix`) only when the behaviour is the same apart from speed; which of a
//! rule's rewrites are safe, and why the others are not, is [`policy`] (in the rules
//! reference under "Fixes").
//!
//! Every applied rewrite re-parses: the rewrites of a file are applied one at a time, bottom
//! to top, and one whose result does not parse is undone and reported as refused, as is one
//! that overlaps a rewrite already applied (the next run applies it).

use crate::analysis::Finding;
use crate::parse::parse;
use crate::source::SourceFile;

/// Which rewrites to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `--fix`: only those the rule marks safe.
    Safe,
    /// `--fix-suggestions`: every rewrite that is code.
    All,
}

/// A rewrite as an edit of whole lines: lines `start..end` (0-based, `end` exclusive) become
/// `text` (without a final newline).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineEdit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Comments by which a rewrite says that its parts go to different places (`// at module
/// level: …` then `// in the function`): a sketch for a person, not an edit of the lines.
const PLACEMENT_NOTES: &[&str] = &[
    "at module level",
    "module scope",
    "at start-up",
    "in the handler",
    "in the function",
    "before each",
    "the other routes",
    "the light routes",
    "instead of",
];

/// Whether `after` places code elsewhere than the finding's lines (see [`PLACEMENT_NOTES`];
/// also `// cpu-worker.js: …`, a note naming another file).
fn is_sketch(after: &str) -> bool {
    after.contains('…')
        || after.lines().filter_map(|l| l.trim_start().strip_prefix("//")).any(|c| {
            let c = c.trim();
            let names_file = c.split_once(':').is_some_and(|(head, _)| {
                !head.contains(' ') && [".js", ".ts", ".mjs", ".cjs"].iter().any(|x| head.ends_with(x))
            });
            names_file || PLACEMENT_NOTES.iter().any(|n| c.contains(n))
        })
}

/// The finding's rewrite as an edit of `text` (the file as it is now), when it applies: it is
/// code for the finding's own lines, not a sketch with elisions or placement notes.
pub fn line_edit(text: &str, f: &Finding) -> Option<LineEdit> {
    if f.before.trim().is_empty() || f.after.trim().is_empty() || f.before == f.after || is_sketch(&f.after) {
        return None;
    }
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let before: Vec<&str> = f.before.trim_end_matches('\n').split('\n').collect();
    let first = f.line.checked_sub(1)? as usize;
    let last = (f.end_line as usize).min(lines.len());
    let start = (first..last).find(|&k| lines.get(k..k + before.len()) == Some(before.as_slice()))?;
    Some(LineEdit { start, end: start + before.len(), text: f.after.trim_end_matches('\n').to_string() })
}

/// One rewrite applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub rule: &'static str,
    /// The finding's line before any rewrite.
    pub line: u32,
    pub safe: bool,
}

/// A rewrite not applied, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub file: String,
    pub rule: &'static str,
    pub line: u32,
    pub reason: String,
}

/// A file some rewrite changed: its new text and what was applied, in line order.
#[derive(Clone, Debug)]
pub struct Fixed {
    pub path: String,
    pub text: String,
    pub applied: Vec<Applied>,
}

#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub files: Vec<Fixed>,
    pub refused: Vec<Refused>,
    /// Findings with an applicable rewrite that is not safe (left alone under [`Mode::Safe`]).
    pub suggestions_left: usize,
}

impl Outcome {
    pub fn applied(&self) -> usize {
        self.files.iter().map(|f| f.applied.len()).sum()
    }
}

/// Applies the rewrites of `findings` that `mode` selects to `files`.
pub fn apply(files: &[SourceFile], findings: &[Finding], mode: Mode) -> Outcome {
    let mut out = Outcome::default();
    for file in files {
        let mine: Vec<&Finding> = findings.iter().filter(|f| f.file == file.path).collect();
        if mine.is_empty() {
            continue;
        }
        let Ok(original) = std::str::from_utf8(&file.bytes) else { continue };
        let mut edits: Vec<(LineEdit, &Finding)> = Vec::new();
        for f in mine {
            let Some(edit) = line_edit(original, f) else { continue };
            if mode == Mode::Safe && !f.safe_fix {
                out.suggestions_left += 1;
                continue;
            }
            // Two findings with one rewrite (two spreads of one reduce): applied once.
            if edits.iter().any(|(e, _)| *e == edit) {
                continue;
            }
            edits.push((edit, f));
        }
        // Bottom to top, so that the lines above an edit keep their numbers.
        edits.sort_by_key(|e| std::cmp::Reverse((e.0.start, e.0.end)));
        let newline = if original.contains("\r\n") { "\r\n" } else { "\n" };
        let mut lines: Vec<String> =
            original.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l).to_string()).collect();
        let mut applied = Vec::new();
        let mut floor = usize::MAX; // the first line of the last edit applied
        for (edit, f) in edits {
            let refuse = |reason: String| Refused { file: file.path.clone(), rule: f.rule, line: f.line, reason };
            if edit.end > floor {
                out.refused.push(refuse("overlaps another rewrite applied in this run; run again to apply it".into()));
                continue;
            }
            let replaced: Vec<String> =
                lines.splice(edit.start..edit.end, edit.text.split('\n').map(str::to_string)).collect();
            let candidate = SourceFile::new(file.path.clone(), lines.join(newline));
            if let Some(e) = parse(&candidate).error {
                let added = edit.text.split('\n').count();
                lines.splice(edit.start..edit.start + added, replaced);
                let message = e.message.split_whitespace().collect::<Vec<_>>().join(" ");
                out.refused.push(refuse(format!(
                    "the rewritten file does not parse ({}:{}: {message}); left as it was",
                    e.line, e.column
                )));
                continue;
            }
            floor = edit.start;
            applied.push(Applied { rule: f.rule, line: f.line, safe: f.safe_fix });
        }
        if !applied.is_empty() {
            applied.reverse();
            out.files.push(Fixed { path: file.path.clone(), text: lines.join(newline), applied });
        }
    }
    out.refused.sort_by(|a, b| (&a.file, a.line, a.rule).cmp(&(&b.file, b.line, b.rule)));
    out
}

/// Which of a rule's rewrites are safe to apply unreviewed (`--fix`), and why the others are
/// suggestions (`--fix-suggestions`): the rules reference's "Fixes" section.
pub fn policy(rule: &str) -> &'static str {
    match rule {
        "accumulating-spread" => {
            "**Safe** (`--fix`): the `.reduce` rewrite, when the callback uses its accumulator only in the \
             spread. The accumulator is then a fresh value owned by the `reduce` (a literal initial value, or a \
             copy of the given one, which the rewrite makes), and nothing can observe that it is now one value \
             written in place instead of a new copy per item: the result is the same. **Suggestion**: a callback \
             that also reads or passes on its accumulator (it might keep a reference to an intermediate copy), \
             and the loop rewrite (`list = [...list, x]` → `list.push(x)`), since code in the loop may hold a \
             reference to the previous array."
        }
        "json-deep-clone" => {
            "**Suggestion**: `structuredClone` gives the same copy only for plain JSON data. For other values it \
             differs: `Date`s, `Map`s, `Set`s, `undefined` and `NaN` are kept rather than converted or dropped, \
             `toJSON` methods are not called, and a function or class instance with methods makes it throw. Where \
             the value came from is not something the rule sees, so review the value before applying."
        }
        "quadratic-lookup" => {
            "**Suggestion**: the `Set` or `Map` is built once, before the iteration, so the rewrite differs when \
             the searched array changes during the iteration, and a `Map` keyed by a field keeps the last of \
             duplicate keys where `.find` returned the first."
        }
        "top-k-full-sort" => {
            "**Suggestion**: `.sort` sorts the array in place and the rewrite leaves it as it was; code after it \
             that relies on the sorted order changes, and equal items may come out in another order."
        }
        "sort-in-loop" => {
            "**Suggestion**: the sort is hoisted out of the iteration, which is the same only when neither the \
             array nor what its comparator reads changes inside it."
        }
        "memoization-candidate" => {
            "**Suggestion**: a cache returns stored results, the same only for a pure function; its cache also \
             grows with every distinct argument."
        }
        "n-plus-one-query" => {
            "**Suggestion**: one batched query returns rows in the database's order and skips missing ones, and a \
             join or `include` changes the result's shape; hooks and per-row side effects run differently."
        }
        "unbounded-query" => {
            "**Suggestion**: a limit or pagination returns fewer rows by design; callers and clients must handle \
             the pages."
        }
        "sequential-awaits" | "await-in-loop" => {
            "**Suggestion**: `Promise.all` starts the operations together, so their side effects interleave, a \
             later one runs even when an earlier one fails, and the first rejection is reported as soon as it \
             happens. It is the same only for independent operations."
        }
        "unbounded-parallelism" => {
            "**Suggestion**: a concurrency limit changes when each operation starts and usually adds a dependency \
             (`p-limit`)."
        }
        "blocking-call-in-handler" => {
            "**Suggestion**: the asynchronous call lets other requests run in between (the file or process may \
             change meanwhile) and reports errors through the promise rather than by throwing."
        }
        "cpu-heavy-handler" => {
            "**Suggestion**: moving the work to a worker thread or a queue changes where it runs, what it can \
             share and how its errors arrive."
        }
        "slow-json-serialization" => {
            "**Suggestion**: a schema serializer writes only the fields of its schema, whose types must be set by \
             hand, and adds a dependency."
        }
        "missing-compression" | "missing-metrics" | "missing-rate-limit" => {
            "**Suggestion**: the middleware is a new dependency to install and changes every response (its \
             encoding, its headers, or a refusal over the limit) by design."
        }
        "global-heavy-middleware" => {
            "**Suggestion**: moving a middleware to the routes that need it changes which requests it sees; the \
             rewrite is a sketch and is never applied."
        }
        "connection-per-request" => {
            "**Suggestion**: a connection or pool made once at start-up changes the lifetime of the connection, \
             its error handling and shutdown."
        }
        "missing-response-cache" => {
            "**Suggestion**: a response cache serves stored responses for its lifetime: clients see stale data \
             until it expires or is invalidated."
        }
        "cache-without-invalidation" => {
            "**Suggestion**: invalidating on writes makes the next reads go to the source; where to invalidate \
             depends on which writes change the cached data."
        }
        "unbounded-memory-cache" => {
            "**Suggestion**: a bound evicts entries, so some lookups that hit now miss and recompute."
        }
        _ => "**Suggestion**: its rewrites change behaviour in ways that depend on code the rule cannot see; review them.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyze, Params};

    fn files(text: &str) -> Vec<SourceFile> {
        vec![SourceFile::new("a.js", text)]
    }

    const REDUCE: &str = "const express = require('express');\nconst app = express();\napp.get('/u', async (req, res) => {\n  const users = await User.findAll();\n  const byId = users.reduce((acc, u) => ({ ...acc, [u.id]: u }), {});\n  res.json(byId);\n});\n";

    #[test]
    fn safe_rewrites_apply_under_fix_and_reparse() {
        let f = files(REDUCE);
        let analysis = analyze(&f, &Params::all_rules());
        let spread = analysis.findings.iter().find(|x| x.rule == "accumulating-spread").expect("a finding");
        assert!(spread.safe_fix, "a reduce from a literal that uses its accumulator only in the spread");
        let out = apply(&f, &analysis.findings, Mode::Safe);
        assert_eq!(out.applied(), 1, "{out:?}");
        assert!(out.files[0].text.contains("{ acc[u.id] = u; return acc; }"), "{}", out.files[0].text);
        assert!(parse(&SourceFile::new("a.js", out.files[0].text.clone())).error.is_none());
        // Fixed, it is no longer a finding.
        let again = analyze(&files(&out.files[0].text), &Params::all_rules());
        assert!(again.findings.iter().all(|x| x.rule != "accumulating-spread"));
    }

    #[test]
    fn suggestions_wait_for_fix_suggestions() {
        let src = "app.get('/s', (req, res) => {\n  const copy = JSON.parse(JSON.stringify(req.body));\n  res.json(copy);\n});\n";
        let f = files(src);
        let mut params = Params::all_rules();
        params.set_cost("items", "5000", "test").unwrap();
        let analysis = analyze(&f, &params);
        assert!(!analysis.findings.is_empty());
        let safe = apply(&f, &analysis.findings, Mode::Safe);
        assert_eq!((safe.applied(), safe.suggestions_left), (0, 1));
        let all = apply(&f, &analysis.findings, Mode::All);
        assert_eq!(all.files[0].text, src.replace("JSON.parse(JSON.stringify(req.body))", "structuredClone(req.body)"));
        assert!(!all.files[0].applied[0].safe);
    }

    #[test]
    fn a_rewrite_that_does_not_parse_is_refused() {
        let analysis = analyze(&files(REDUCE), &Params::all_rules());
        let mut broken = analysis.findings.iter().find(|x| x.rule == "accumulating-spread").unwrap().clone();
        broken.after = "  const byId = users.reduce((acc, u) => { acc[u.id] = u; return acc; }, {};".into();
        let mut twin = broken.clone();
        twin.after = "  const byId = Object.fromEntries(users.map((u) => [u.id, u]));".into();
        twin.line -= 1; // found from one line up: the same lines, a different rewrite
        let out = apply(&files(REDUCE), &[broken, twin], Mode::All);
        assert_eq!(out.applied(), 1, "{out:?}");
        assert!(out.files[0].text.contains("Object.fromEntries"));
        assert_eq!(out.refused.len(), 1);
        assert!(out.refused[0].reason.starts_with("the rewritten file does not parse"), "{:?}", out.refused);
        let crlf = REDUCE.replace('\n', "\r\n");
        let analysis = analyze(&files(&crlf), &Params::all_rules());
        let out = apply(&files(&crlf), &analysis.findings, Mode::Safe);
        assert_eq!(out.files[0].text.matches("\r\n").count(), crlf.matches("\r\n").count());
    }

    #[test]
    fn sketches_for_several_places_are_not_edits() {
        assert!(is_sketch(
            "// at module level: a bounded map with a TTL\nconst c = new Map();\n// in the function\nc.get(k);"
        ));
        assert!(is_sketch("// cpu-worker.js: the same function, run on a worker thread\nwork();"));
        assert!(is_sketch("app.use(a);\n// the other routes: apiRouter.get('/users', …)"));
        assert!(!is_sketch("const compression = require('compression');\napp.use(compression()); // gzip"));
    }

    #[test]
    fn every_rule_has_a_fix_policy() {
        for m in crate::rules::catalog() {
            assert!(!policy(m.id).starts_with("**Suggestion**: its rewrites change"), "{} has no policy", m.id);
        }
    }
}
