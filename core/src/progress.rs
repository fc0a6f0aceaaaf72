//! Where an analysis is, and a way for its caller to stop it.
//!
//! Core has no clock, so it cannot time itself: [`crate::analyze_observed`] calls the caller's
//! observer before every file of the per-file phases and before every program-wide phase and
//! rule, with the [`Step`] about to run. The observer keeps the latest step (the CLI's
//! `--timeout` and `--max-memory` name it when they stop a run; the playground's worker posts
//! it to the page, whose watchdog names it) and may answer [`ControlFlow::Break`]: the analysis
//! then returns [`Stopped`] at once, without running the step. Checks sit *between* steps, so
//! a single step that runs away is stopped only by a caller that does not wait for it (the
//! CLI's main thread, the page's watchdog terminating the worker).

use std::fmt;
use std::ops::ControlFlow;

/// The phases of an analysis, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Parsing one file (swc), after the input guard.
    Parse,
    /// Collecting one file's facts (`model::collect`): functions, calls, routes, bindings.
    Collect,
    /// Walking one file again, knowing the clients it imports from project modules.
    Recollect,
    /// Linking the files into one program: imports, mounts, which routes reach which function.
    Link,
    /// GraphQL operations and field resolvers.
    Graphql,
    /// What names hold and how big they get (`model::values`).
    Values,
    /// Imports, middleware registrations and module-level caches (`model::app_facts`).
    AppFacts,
    /// One rule over the whole program.
    Rule,
    /// `backlens-ignore` comments.
    Suppress,
    /// The endpoints' simulated traces (`cost::trace`).
    Traces,
    /// The coverage summary.
    Coverage,
}

impl Phase {
    /// The phase's name as the CLI and the page print it.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Parse => "parse",
            Phase::Collect => "collect",
            Phase::Recollect => "collect (imported clients)",
            Phase::Link => "link",
            Phase::Graphql => "graphql",
            Phase::Values => "values",
            Phase::AppFacts => "app facts",
            Phase::Rule => "rules",
            Phase::Suppress => "suppressions",
            Phase::Traces => "traces",
            Phase::Coverage => "coverage",
        }
    }
}

/// The step an analysis is about to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step<'a> {
    pub phase: Phase,
    /// The file of a per-file phase.
    pub file: Option<&'a str>,
    /// The rule of [`Phase::Rule`].
    pub rule: Option<&'static str>,
    /// The step's number within its phase (0-based) and how many the phase has: files for
    /// the per-file phases, rules for [`Phase::Rule`], 0 of 1 otherwise.
    pub index: usize,
    pub count: usize,
}

impl Step<'_> {
    pub fn to_owned(&self) -> StepOwned {
        StepOwned {
            phase: self.phase,
            file: self.file.map(str::to_string),
            rule: self.rule,
            index: self.index,
            count: self.count,
        }
    }
}

/// A [`Step`] kept beyond the observer call.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StepOwned {
    pub phase: Phase,
    pub file: Option<String>,
    pub rule: Option<&'static str>,
    pub index: usize,
    pub count: usize,
}

impl fmt::Display for StepOwned {
    /// `phase parse, file src/app.js (3 of 120)`, `phase rules, rule quadratic-lookup (9 of 22)`,
    /// `phase link`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "phase {}", self.phase.name())?;
        if let Some(file) = &self.file {
            write!(f, ", file {file}")?;
        }
        if let Some(rule) = self.rule {
            write!(f, ", rule {rule}")?;
        }
        if self.count > 1 {
            write!(f, " ({} of {})", self.index + 1, self.count)?;
        }
        Ok(())
    }
}

/// An analysis its observer stopped, and the step it did not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stopped {
    pub at: StepOwned,
}

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "analysis stopped before {}", self.at)
    }
}

/// The caller's observer: called before each step; `Break` stops the analysis.
pub type Observer<'o> = dyn FnMut(&Step<'_>) -> ControlFlow<()> + 'o;

/// Reports `step` to `observe`; `Err` when it says stop.
pub(crate) fn step(observe: &mut Observer<'_>, step: Step<'_>) -> Result<(), Stopped> {
    match observe(&step) {
        ControlFlow::Continue(()) => Ok(()),
        ControlFlow::Break(()) => Err(Stopped { at: step.to_owned() }),
    }
}

/// A program-wide step of `phase`.
pub(crate) fn whole(phase: Phase) -> Step<'static> {
    Step { phase, file: None, rule: None, index: 0, count: 1 }
}

/// A per-file step of `phase`: file `index` of `count`.
pub(crate) fn file(phase: Phase, path: &str, index: usize, count: usize) -> Step<'_> {
    Step { phase, file: Some(path), rule: None, index, count }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyze, analyze_observed, Params, SourceFile};

    fn project() -> Vec<SourceFile> {
        vec![
            SourceFile::new(
                "src/app.js",
                "const express = require('express');\nconst app = express();\napp.use('/api', require('./users'));\napp.listen(3000);\n",
            ),
            SourceFile::new(
                "src/users.js",
                "const router = require('express').Router();\nrouter.get('/u', async (req, res) => {\n  const users = await User.findAll();\n  for (const u of users) {\n    u.posts = await Post.findAll({ where: { userId: u.id } });\n  }\n  res.json(users);\n});\nmodule.exports = router;\n",
            ),
        ]
    }

    #[test]
    fn every_phase_is_reported_in_order_and_the_result_is_analyze_s() {
        let files = project();
        let mut seen: Vec<StepOwned> = Vec::new();
        let observed = analyze_observed(&files, &Params::all_rules(), &mut |s| {
            seen.push(s.to_owned());
            ControlFlow::Continue(())
        })
        .expect("never stopped");
        assert_eq!(crate::report::json(&observed), crate::report::json(&analyze(&files, &Params::all_rules())));
        let parse: Vec<_> = seen.iter().filter(|s| s.phase == Phase::Parse).map(|s| s.file.as_deref()).collect();
        assert_eq!(parse, [Some("src/app.js"), Some("src/users.js")]);
        let collect = seen.iter().filter(|s| s.phase == Phase::Collect).count();
        assert_eq!(collect, 2);
        let rules: Vec<_> = seen.iter().filter(|s| s.phase == Phase::Rule).collect();
        assert!(rules.iter().any(|s| s.rule == Some("n-plus-one-query")), "{rules:?}");
        assert!(rules.iter().all(|s| s.count == rules.len()), "{rules:?}");
        // Phases never go back.
        let order: Vec<Phase> = seen.iter().map(|s| s.phase).collect();
        let rank = |p: &Phase| {
            [
                Phase::Parse,
                Phase::Collect,
                Phase::Recollect,
                Phase::Link,
                Phase::Graphql,
                Phase::Values,
                Phase::AppFacts,
                Phase::Rule,
                Phase::Suppress,
                Phase::Traces,
                Phase::Coverage,
            ]
            .iter()
            .position(|q| q == p)
            .unwrap()
        };
        assert!(order.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])), "{order:?}");
        assert_eq!(order.last(), Some(&Phase::Coverage));
    }

    #[test]
    fn a_break_stops_before_the_step_and_names_it() {
        let files = project();
        for (stop_at, expected) in [
            (Phase::Parse, "analysis stopped before phase parse, file src/app.js (1 of 2)"),
            (Phase::Collect, "analysis stopped before phase collect, file src/app.js (1 of 2)"),
            (Phase::Link, "analysis stopped before phase link"),
            (Phase::Traces, "analysis stopped before phase traces"),
        ] {
            let mut after = 0;
            let stopped = analyze_observed(&files, &Params::all_rules(), &mut |s| {
                if s.phase == stop_at {
                    return ControlFlow::Break(());
                }
                after += 1;
                ControlFlow::Continue(())
            })
            .expect_err("stopped");
            assert_eq!(stopped.to_string(), expected);
            assert!(stop_at == Phase::Parse || after > 0);
        }
        // The second rule: named with its place in the rule list.
        let mut rules = 0;
        let stopped = analyze_observed(&files, &Params::all_rules(), &mut |s| {
            if s.phase == Phase::Rule {
                rules += 1;
                if rules == 2 {
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        })
        .expect_err("stopped");
        assert_eq!(stopped.at.phase, Phase::Rule);
        assert_eq!(stopped.at.index, 1);
        assert!(stopped.to_string().contains(&format!(", rule {} (2 of ", stopped.at.rule.unwrap())), "{stopped}");
    }
}
