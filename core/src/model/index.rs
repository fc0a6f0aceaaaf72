//! Indexes over a built [`Program`], made once per analysis so that a per-route or
//! per-function question does not search the whole program.
//!
//! The rules (`rules::Context::index`) and the traces (`cost::trace`) read them. Every index
//! answers exactly what the linear search it replaces answered, in the same order: lists are
//! in ascending id order, as a filter over the program's vectors would give them.

use super::route_work::Work;
use super::{CallId, FileId, FunctionId, IterationId, Program, RouteId};
use crate::parse::Parsed;
use std::collections::HashMap;
use swc_common::Span;

/// The program's indexes.
pub struct Index<'a> {
    /// For each route, the functions on its request path (those whose `reached_by` has it).
    pub functions_of_route: Vec<Vec<FunctionId>>,
    /// For each function, the call sites directly in its body (`CallSite::function`).
    pub calls_in_function: Vec<Vec<CallId>>,
    /// For each function, the call sites that reach it (`CallSite::callees`).
    pub callers: Vec<Vec<CallId>>,
    /// For each file, its functions.
    pub functions_in_file: Vec<Vec<FunctionId>>,
    /// For each file, its call sites and its iterations.
    pub calls_in_file: Vec<Vec<CallId>>,
    pub iterations_in_file: Vec<Vec<IterationId>>,
    /// The first call site at each (file, span).
    pub call_at: HashMap<(FileId, Span), CallId>,
    /// For each file, its functions by where they start (then by id), and the furthest end
    /// among each prefix of that order: [`Index::innermost_function`]'s search.
    by_start: Vec<Vec<FunctionId>>,
    furthest_end: Vec<Vec<u32>>,
    /// For each file, the routes registered in it.
    pub routes_in_file: Vec<Vec<RouteId>>,
    /// For each function, the functions lexically nested directly in it.
    pub children: Vec<Vec<FunctionId>>,
    /// Relative module specifiers resolved to files.
    pub modules: ModulePaths<'a>,
    /// [`super::route_work::work`] of every route, once asked.
    route_work: std::sync::OnceLock<Vec<Work>>,
}

impl<'a> Index<'a> {
    pub fn new(program: &Program<'a>) -> Index<'a> {
        let mut functions_of_route = vec![Vec::new(); program.routes.len()];
        for (f, routes) in program.reached_by.iter().enumerate() {
            for &r in routes {
                // `reached_by` lists are sorted, but may repeat a route: keep each function once.
                if let Some(list) = functions_of_route.get_mut(r) {
                    if list.last() != Some(&f) {
                        list.push(f);
                    }
                }
            }
        }
        let mut calls_in_file = vec![Vec::new(); program.files.len()];
        let mut call_at = HashMap::with_capacity(program.calls.len());
        for (id, c) in program.calls.iter().enumerate() {
            calls_in_file[c.file].push(id);
            call_at.entry((c.file, c.span)).or_insert(id);
        }
        let mut iterations_in_file = vec![Vec::new(); program.files.len()];
        for (id, it) in program.iterations.iter().enumerate() {
            iterations_in_file[it.file].push(id);
        }
        let mut calls_in_function = vec![Vec::new(); program.functions.len()];
        let mut callers = vec![Vec::new(); program.functions.len()];
        for (id, c) in program.calls.iter().enumerate() {
            if let Some(f) = c.function {
                calls_in_function[f].push(id);
            }
            for &f in &c.callees {
                if callers[f].last() != Some(&id) {
                    callers[f].push(id);
                }
            }
        }
        let mut functions_in_file = vec![Vec::new(); program.files.len()];
        let mut children = vec![Vec::new(); program.functions.len()];
        for (id, f) in program.functions.iter().enumerate() {
            functions_in_file[f.file].push(id);
            if let Some(p) = f.parent {
                children[p].push(id);
            }
        }
        let mut by_start = functions_in_file.clone();
        let mut furthest_end = Vec::with_capacity(by_start.len());
        for list in &mut by_start {
            list.sort_by_key(|&f| (program.functions[f].span.lo, f));
            let mut end = 0;
            furthest_end.push(
                list.iter()
                    .map(|&f| {
                        end = end.max(program.functions[f].span.hi.0);
                        end
                    })
                    .collect(),
            );
        }
        let mut routes_in_file = vec![Vec::new(); program.files.len()];
        for (id, r) in program.routes.iter().enumerate() {
            routes_in_file[r.file].push(id);
        }
        Index {
            functions_of_route,
            calls_in_function,
            callers,
            functions_in_file,
            calls_in_file,
            iterations_in_file,
            call_at,
            by_start,
            furthest_end,
            routes_in_file,
            children,
            modules: ModulePaths::new(program.files),
            route_work: std::sync::OnceLock::new(),
        }
    }

    /// [`super::route_work::work`] of `route`, computed for every route in one pass over the
    /// calls and iterations (each counted for the routes that reach its function) instead of
    /// one pass per route. Builds with debug assertions check it against `work` on programs
    /// of up to 100 routes.
    pub fn route_work(&self, program: &Program, route: RouteId) -> Work {
        let all = self.route_work.get_or_init(|| {
            let mut all = vec![Work::default(); program.routes.len()];
            let routes_of = |f: Option<FunctionId>| -> Vec<RouteId> {
                let mut r: Vec<RouteId> = f.map(|f| program.reached_by[f].clone()).unwrap_or_default();
                r.dedup();
                r
            };
            for call in &program.calls {
                let routes = routes_of(call.function);
                if routes.is_empty() {
                    continue;
                }
                let text = program.file(call.file).snippet(call.span);
                let count: fn(&mut Work) = if super::route_work::hashing(text) {
                    |w| w.hashes += 1
                } else {
                    match &call.kind {
                        super::CallKind::Query(_) => |w| w.queries += 1,
                        super::CallKind::Http { .. } => |w| w.http += 1,
                        super::CallKind::Fs { .. } => |w| w.fs += 1,
                        super::CallKind::Cpu { .. } => |w| w.cpu += 1,
                        _ if call.data_access => |w| w.queries += 1,
                        _ if call.callees.is_empty() && super::route_work::opaque(text) => |w| w.opaque += 1,
                        _ => continue,
                    }
                };
                for r in routes {
                    count(&mut all[r]);
                }
            }
            for it in &program.iterations {
                for r in routes_of(self.innermost_function(program, it.file, it.span)) {
                    all[r].loops += 1;
                }
            }
            if cfg!(debug_assertions) && program.routes.len() <= 100 {
                for (r, w) in all.iter().enumerate() {
                    assert_eq!(*w, super::route_work::work(program, r), "route {r}");
                }
            }
            all
        });
        all[route]
    }

    /// [`Program::innermost_function`]: the shortest function holding `span` (the first by
    /// id among equals), found among the functions starting at or before it, nearest first.
    /// Functions are AST nodes, so two of them are nested or apart: once one holds `span`,
    /// one that starts before it and holds `span` holds it too and is longer, and the search
    /// stops; it stops too when no function further back reaches `span`'s end.
    pub fn innermost_function(&self, program: &Program, file: FileId, span: Span) -> Option<FunctionId> {
        let order = self.by_start.get(file)?;
        let ends = &self.furthest_end[file];
        let mut k = order.partition_point(|&f| program.functions[f].span.lo <= span.lo);
        let mut best: Option<(u32, FunctionId, swc_common::BytePos)> = None;
        while k > 0 {
            k -= 1;
            if ends[k] < span.hi.0 {
                break;
            }
            let id = order[k];
            let f = &program.functions[id];
            if best.is_some_and(|(_, _, lo)| f.span.lo < lo) {
                break;
            }
            if span.hi <= f.span.hi {
                let len = f.span.hi.0 - f.span.lo.0;
                if best.is_none_or(|(l, i, _)| (len, id) < (l, i)) {
                    best = Some((len, id, f.span.lo));
                }
            }
        }
        best.map(|(_, id, _)| id)
    }
}

/// The project files relative module specifiers name: what `link::module_file` answers,
/// through a map of normalised paths instead of normalising every file per question (builds
/// with debug assertions check every answer against `module_file`).
pub struct ModulePaths<'a> {
    files: &'a [Parsed],
    normalized: Vec<String>,
    /// Each normalised path's first file.
    by_path: HashMap<String, FileId>,
}

impl<'a> ModulePaths<'a> {
    pub fn new(files: &'a [Parsed]) -> ModulePaths<'a> {
        let normalized: Vec<String> = files.iter().map(|f| super::link::normalize_file_path(&f.path)).collect();
        let mut by_path = HashMap::with_capacity(files.len());
        for (i, p) in normalized.iter().enumerate() {
            by_path.entry(p.clone()).or_insert(i);
        }
        ModulePaths { files, normalized, by_path }
    }

    /// The project file the relative specifier `spec` (`./auth`) of file `from` names.
    pub fn resolve(&self, from: FileId, spec: &str) -> Option<FileId> {
        if !spec.starts_with('.') {
            return None;
        }
        let from_path = self.normalized.get(from)?;
        let found = super::link::candidates_from_normalized(from_path, spec).iter().find_map(|c| self.by_path.get(c).copied());
        debug_assert_eq!(found, super::module_file(self.files, from, spec), "{from_path} {spec}");
        found
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::SourceFile;

    fn program_files() -> Vec<Parsed> {
        [
            ("src/app.js", "const a = require('./routes');\nconst b = require('./lib/auth.js');\nconst c = require('../x');\n"),
            ("src/routes/index.js", "module.exports = require('./users');\n"),
            ("src/routes/users.ts", "import { auth } from '../lib/auth';\nfunction a() { function b() {} }\n"),
            ("src/lib/auth.js", "export const auth = () => {};\n"),
            ("./src/lib/auth.js", "// the same path again: the first one wins\n"),
            ("x.mjs", "export {};\n"),
            ("win\\style.js", "require('.\\\\..\\\\x.mjs');\n"),
        ]
        .iter()
        .map(|(p, t)| parse(&SourceFile::new(*p, *t)))
        .collect()
    }

    #[test]
    fn modules_resolve_as_link_does() {
        let files = program_files();
        let paths = ModulePaths::new(&files);
        let specs = [
            "./routes", "./lib/auth.js", "./lib/auth", "../x", "./users", "../lib/auth", "./", ".", "..", "../../x",
            "./missing", "./routes/index", "./routes/users.js", "express", "./x.mjs", "../x.mjs", "./lib/",
        ];
        let mut resolved = 0;
        for from in 0..files.len() {
            for spec in specs {
                let expected = crate::model::module_file(&files, from, spec);
                assert_eq!(paths.resolve(from, spec), expected, "{} {spec}", files[from].path);
                resolved += expected.is_some() as usize;
            }
        }
        assert!(resolved > 8, "{resolved}");
    }

    #[test]
    fn indexes_match_the_linear_searches() {
        let sources = [
            ("app.js", "const express = require('express');\nconst app = express();\nfunction load(id) { return User.findByPk(id); }\nfunction helper() { return [1].map((x) => load(x)); }\napp.get('/a', async (req, res) => { res.json(await load(req.params.id)); });\napp.get('/b', async (req, res) => { res.json(helper()); });\napp.listen(3000);\n"),
            ("other.js", "function lone() { const f = () => 1; return f(); }\nmodule.exports = { lone };\n"),
        ];
        let files: Vec<Parsed> = sources.iter().map(|(p, t)| parse(&SourceFile::new(*p, *t))).collect();
        let program = Program::build(&files);
        let index = Index::new(&program);
        assert!(program.routes.len() == 2 && program.functions.len() >= 5);
        for r in 0..program.routes.len() {
            let linear: Vec<usize> =
                (0..program.functions.len()).filter(|&f| program.reached_by[f].contains(&r)).collect();
            assert_eq!(index.functions_of_route[r], linear);
            assert!(!linear.is_empty());
        }
        for f in 0..program.functions.len() {
            let linear: Vec<usize> = (0..program.calls.len()).filter(|&c| program.calls[c].function == Some(f)).collect();
            assert_eq!(index.calls_in_function[f], linear);
            let linear: Vec<usize> =
                (0..program.calls.len()).filter(|&c| program.calls[c].callees.contains(&f)).collect();
            assert_eq!(index.callers[f], linear);
        }
        let mut inside = 0;
        for (file, parsed) in files.iter().enumerate() {
            let n = parsed.text.len() as u32;
            for lo in (0..n).step_by(3) {
                for len in [0, 1, 5, 30, 200] {
                    let span = Span::new(swc_common::BytePos(lo + 1), swc_common::BytePos((lo + len).min(n) + 1));
                    let expected = program.innermost_function(file, span);
                    assert_eq!(index.innermost_function(&program, file, span), expected, "{file} {span:?}");
                    inside += expected.is_some() as usize;
                }
            }
        }
        assert!(inside > 100, "{inside}");
    }
}
