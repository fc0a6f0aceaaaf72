//! Pass 2: joins the files' facts into one program.
//!
//! Resolves names across files (relative `import`/`require` of project files, CommonJS and
//! ES exports), handler references, calls to user functions (plain, `module.member()`,
//! `this.method()`, NestJS `this.injected.method()`), router/plugin mounts into full route
//! paths, and finally which routes reach which functions.

use super::access::Resource;
use super::collect::{CallTarget, Export, FileFacts, Import, Owner, Ref, RouteReg};
use super::{CallKind, CallSite, FileId, Framework, FunctionId, Program, Route};
use crate::params::normalize_path;
use crate::parse::Parsed;
use std::collections::{HashMap, VecDeque};

#[path = "factories_link.rs"]
mod factories_link;
#[path = "helpers_link.rs"]
mod helpers_link;
#[path = "loops_link.rs"]
mod loops_link;
#[path = "nextjs.rs"]
mod nextjs;
#[path = "plugins_link.rs"]
mod plugins_link;

/// What a name resolves to, program-wide.
#[derive(Clone, Debug, PartialEq)]
enum Resolved {
    Function(FunctionId),
    /// A value bound to a name in a file (an app, a router, an object).
    Binding(FileId, String),
    /// A project file imported whole (`require('./users')`, `import * as u from './users'`).
    Module(FileId),
    /// An instance of a class (`const c = new UsersController()`), or the class itself.
    Class(FileId, String),
    /// A property of a module's exported object that is not a function we know.
    Unknown,
}

/// Routers and plugins: who registers routes, program-wide.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum OwnerKey {
    Binding(FileId, String),
    Param(FunctionId),
}

const MAX_DEPTH: u32 = 12;

struct Linker<'a> {
    files: &'a [Parsed],
    facts: &'a [FileFacts],
    fn_offset: Vec<usize>,
    by_path: HashMap<String, FileId>,
    class_index: HashMap<String, (FileId, String)>,
    /// Module specifiers already resolved, per importing file.
    modules: std::cell::RefCell<HashMap<(FileId, String), Option<FileId>>>,
    /// Every directory name in the project's paths, and the files by the last part of their
    /// path without extension (an `index` file also by its directory's name): for specifiers
    /// relative to a source root (`src/users/users.service`, tsconfig `baseUrl`/`paths`).
    dirs: std::collections::HashSet<String>,
    by_name: HashMap<String, Vec<FileId>>,
}

/// A file's normalised path without its extension.
fn path_stem(path: &str) -> &str {
    let name_start = path.rfind('/').map_or(0, |i| i + 1);
    match path[name_start..].rfind('.') {
        Some(dot) => &path[..name_start + dot],
        None => path,
    }
}

pub(super) fn normalize_file_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The normalised paths a relative module specifier of the file at `from_path` may name, in
/// the order Node tries them (the path, with each source extension, then `index` files).
fn module_candidates(from_path: &str, spec: &str) -> Vec<String> {
    candidates_from_normalized(&normalize_file_path(from_path), spec)
}

/// [`module_candidates`] for a `from_path` normalised already.
pub(super) fn candidates_from_normalized(from_path: &str, spec: &str) -> Vec<String> {
    let dir = from_path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let base = normalize_file_path(&if dir.is_empty() { spec.to_string() } else { format!("{dir}/{spec}") });
    let stem = base.trim_end_matches(".js").trim_end_matches(".mjs").trim_end_matches(".cjs");
    let mut candidates = vec![base.clone()];
    for ext in crate::source::SOURCE_EXTENSIONS {
        candidates.push(format!("{base}.{ext}"));
        candidates.push(format!("{stem}.{ext}"));
    }
    for ext in crate::source::SOURCE_EXTENSIONS {
        candidates.push(format!("{base}/index.{ext}"));
    }
    candidates
}

/// The project file a relative module specifier (`./auth`) of `from` names, after linking
/// (a scan of every file: the rules and traces ask `model::index::Index`, built once; this is
/// what its debug assertions compare against).
pub(crate) fn module_file(files: &[Parsed], from: FileId, spec: &str) -> Option<FileId> {
    if !spec.starts_with('.') {
        return None;
    }
    let candidates = module_candidates(&files[from].path, spec);
    candidates.iter().find_map(|c| files.iter().position(|f| normalize_file_path(&f.path) == *c))
}

impl<'a> Linker<'a> {
    fn new(files: &'a [Parsed], facts: &'a [FileFacts]) -> Self {
        let mut fn_offset = Vec::with_capacity(facts.len());
        let mut n = 0;
        for f in facts {
            fn_offset.push(n);
            n += f.functions.len();
        }
        let by_path = files.iter().enumerate().map(|(i, f)| (normalize_file_path(&f.path), i)).collect();
        let mut class_index = HashMap::new();
        for (fid, f) in facts.iter().enumerate() {
            for name in f.classes.keys() {
                class_index.entry(name.clone()).or_insert((fid, name.clone()));
            }
        }
        let mut dirs = std::collections::HashSet::new();
        let mut by_name: HashMap<String, Vec<FileId>> = HashMap::new();
        for (id, f) in files.iter().enumerate() {
            let path = normalize_file_path(&f.path);
            let mut parts: Vec<&str> = path_stem(&path).split('/').collect();
            let name = parts.pop().unwrap_or_default();
            dirs.extend(parts.iter().map(|d| d.to_string()));
            by_name.entry(name.to_string()).or_default().push(id);
            if let (Some(dir), "index") = (parts.last(), name) {
                by_name.entry(dir.to_string()).or_default().push(id);
            }
        }
        Linker { files, facts, fn_offset, by_path, class_index, modules: Default::default(), dirs, by_name }
    }

    /// A specifier relative to a source root rather than to the importing file — `src/users/
    /// users.service` (TypeScript `baseUrl`, common in NestJS), `@/users` or `~/users` (path
    /// aliases), `@server/commands/x` (a tsconfig `paths` alias named after a folder, as in
    /// Outline), `@documenso/lib/server-only/x` (a workspace package of a monorepo, its path
    /// below the package's folder) — → the one project file it names. Package names never
    /// match: the specifier (after an `@scope/`) must contain a `/`, start with a directory of
    /// the project and name exactly one file at a directory boundary.
    fn find_rooted(&self, spec: &str) -> Option<FileId> {
        if let Some(scoped) = spec.strip_prefix('@').filter(|s| !s.starts_with('/')) {
            let (scope, rest) = scoped.split_once('/')?;
            // `@server/x` where `server/` is a folder of the project: the alias names it.
            if self.dirs.contains(scope) {
                if let Some(found) = self.find_below_root(&format!("{scope}/{rest}")) {
                    return Some(found);
                }
            }
            return self.find_below_root(rest);
        }
        self.find_below_root(spec)
    }

    fn find_below_root(&self, spec: &str) -> Option<FileId> {
        let spec = spec.strip_prefix("@/").or_else(|| spec.strip_prefix("~/")).unwrap_or(spec);
        let spec = spec.trim_end_matches('/');
        let spec = [".js", ".mjs", ".cjs"].iter().find_map(|e| spec.strip_suffix(e)).unwrap_or(spec);
        let (first, _) = spec.split_once('/')?;
        if first.starts_with('@') || first == "." || first == ".." || !self.dirs.contains(first) {
            return None;
        }
        let last = spec.rsplit('/').next()?;
        let mut found = self.by_name.get(last)?.iter().copied().filter(|&id| {
            let path = normalize_file_path(&self.files[id].path);
            let stem = path_stem(&path);
            let stem = stem.strip_suffix("/index").unwrap_or(stem);
            stem == spec || stem.ends_with(&format!("/{spec}"))
        });
        let one = found.next()?;
        found.next().is_none().then_some(one)
    }

    fn gid(&self, file: FileId, local: FunctionId) -> FunctionId {
        self.fn_offset[file] + local
    }

    /// A module specifier of `from` → the project file it names (relative, or relative to a
    /// source root: [`Linker::find_rooted`]).
    fn resolve_module(&self, from: FileId, spec: &str) -> Option<FileId> {
        let key = (from, spec.to_string());
        if let Some(&cached) = self.modules.borrow().get(&key) {
            return cached;
        }
        let found = if spec.starts_with('.') { self.find_module(from, spec) } else { self.find_rooted(spec) };
        self.modules.borrow_mut().insert(key, found);
        found
    }

    fn find_module(&self, from: FileId, spec: &str) -> Option<FileId> {
        module_candidates(&self.files[from].path, spec).iter().find_map(|c| self.by_path.get(c).copied())
    }

    fn resolve(&self, file: FileId, name: &str, depth: u32) -> Resolved {
        if depth > MAX_DEPTH {
            return Resolved::Unknown;
        }
        // `require:./x`: a module required in place (`require('./x').list`).
        if name.starts_with("require:") {
            return self.resolve_ref(file, &Ref::Name(name.to_string()), depth + 1);
        }
        let f = &self.facts[file];
        if let Some(&local) = f.function_names.get(name) {
            return Resolved::Function(self.gid(file, local));
        }
        if let Some(alias) = f.aliases.get(name) {
            if let Some(class) = alias.strip_prefix("new:") {
                return self.resolve_class(file, class, depth + 1);
            }
            return self.resolve(file, alias, depth + 1);
        }
        // `const ctrl = makeController(deps)`: what the call returns, when the model knows.
        if let Some(r) = f.call_results.get(name) {
            match self.resolve_ref(file, r, depth + 1) {
                Resolved::Unknown => {}
                resolved => return resolved,
            }
        }
        if let Some(import) = f.imports.get(name) {
            return match import {
                Import::Whole(spec) => match self.resolve_module(file, spec) {
                    Some(target) => match self.facts[target].exports.get("default") {
                        Some(Export::Object(_)) | None => Resolved::Module(target),
                        Some(_) => self.resolve_export(target, "default", depth + 1),
                    },
                    None => Resolved::Unknown,
                },
                Import::Named(spec, export) => match self.resolve_module(file, spec) {
                    Some(target) => self.resolve_export(target, export, depth + 1),
                    None => Resolved::Unknown,
                },
            };
        }
        if f.classes.contains_key(name) {
            return Resolved::Class(file, name.to_string());
        }
        Resolved::Binding(file, name.to_string())
    }

    fn resolve_class(&self, file: FileId, class: &str, depth: u32) -> Resolved {
        if self.facts[file].classes.contains_key(class) {
            return Resolved::Class(file, class.to_string());
        }
        match self.resolve(file, class, depth + 1) {
            r @ Resolved::Class(..) => r,
            _ => Resolved::Unknown,
        }
    }

    fn resolve_ref(&self, file: FileId, r: &Ref, depth: u32) -> Resolved {
        match r {
            Ref::Function(local) => Resolved::Function(self.gid(file, *local)),
            Ref::Name(n) => match n.strip_prefix("require:") {
                Some(spec) => match self.resolve_module(file, spec) {
                    Some(target) => match self.facts[target].exports.get("default") {
                        Some(Export::Object(_)) | None => Resolved::Module(target),
                        Some(_) => self.resolve_export(target, "default", depth + 1),
                    },
                    None => Resolved::Unknown,
                },
                None => self.resolve(file, n, depth + 1),
            },
            Ref::Member(obj, prop) => self.resolve_member(file, obj, prop, depth + 1),
            Ref::ThisMethod(class, method) => self.class_method(file, class, method),
            Ref::Call(callee, args) => self.resolve_call(file, callee, args, depth + 1),
        }
    }

    fn resolve_export(&self, file: FileId, export: &str, depth: u32) -> Resolved {
        if depth > MAX_DEPTH {
            return Resolved::Unknown;
        }
        let exports = &self.facts[file].exports;
        match exports.get(export) {
            Some(Export::Local(n)) => self.resolve(file, n, depth + 1),
            Some(Export::Function(local)) => Resolved::Function(self.gid(file, *local)),
            Some(Export::Object(_)) => Resolved::Module(file),
            None => match exports.get("default") {
                // `import { a } from './x'` where x does `module.exports = { a }`.
                Some(Export::Object(map)) => match map.get(export) {
                    Some(r) => self.resolve_ref(file, r, depth + 1),
                    None => Resolved::Unknown,
                },
                Some(Export::Local(n)) if export != "default" => match self.resolve(file, n, depth + 1) {
                    Resolved::Class(f, c) => self.class_method(f, &c, export),
                    _ => Resolved::Unknown,
                },
                _ => {
                    // An ES module's own top-level function of that name.
                    match self.facts[file].function_names.get(export) {
                        Some(&local) if export != "default" => Resolved::Function(self.gid(file, local)),
                        _ => Resolved::Unknown,
                    }
                }
            },
        }
    }

    fn class_method(&self, file: FileId, class: &str, method: &str) -> Resolved {
        self.class_method_within(file, class, method, 0)
    }

    /// A class's method, or one it inherits (`class UsersRouter extends ClassesRouter`).
    fn class_method_within(&self, file: FileId, class: &str, method: &str, depth: u32) -> Resolved {
        let Some(info) = self.facts[file].classes.get(class) else { return Resolved::Unknown };
        if let Some(&local) = info.methods.get(method) {
            return Resolved::Function(self.gid(file, local));
        }
        match &info.super_class {
            Some(parent) if depth < MAX_DEPTH => match self.resolve_class(file, parent, depth + 1) {
                Resolved::Class(f, c) => self.class_method_within(f, &c, method, depth + 1),
                _ => Resolved::Unknown,
            },
            _ => Resolved::Unknown,
        }
    }

    /// A method the code gives a local object or function (`User.count = function…`,
    /// `const users = { list() {…} }`).
    fn object_method(&self, file: FileId, name: &str, prop: &str, depth: u32) -> Option<Resolved> {
        let r = self.facts[file].objects.get(name)?.get(prop)?;
        Some(self.resolve_ref(file, r, depth + 1))
    }

    fn resolve_member(&self, file: FileId, obj: &str, prop: &str, depth: u32) -> Resolved {
        if prop.contains('.') {
            let r = self.nested_member(file, obj, prop, depth);
            if r != Resolved::Unknown || depth > MAX_DEPTH {
                return r;
            }
            // `queries.link.find`: `queries` exports `{ link }`, a module exporting `find`.
            let (first, rest) = prop.split_once('.').unwrap_or((prop, ""));
            return match self.resolve_member(file, obj, first, depth + 1) {
                Resolved::Module(t) => match rest.split_once('.') {
                    None => self.resolve_export(t, rest, depth + 1),
                    Some((next, tail)) => match self.resolve_export(t, next, depth + 1) {
                        Resolved::Module(u) if !tail.contains('.') => self.resolve_export(u, tail, depth + 1),
                        _ => Resolved::Unknown,
                    },
                },
                Resolved::Class(f, class) if !rest.contains('.') => self.class_method(f, &class, rest),
                _ => Resolved::Unknown,
            };
        }
        match self.resolve_member_of(file, obj, prop, depth) {
            Resolved::Unknown => self.wrapped_module_member(file, obj, prop, depth),
            r => r,
        }
    }

    /// `const ctrl = wrapController(rawController)` (`import * as rawController`), a wrapper
    /// the model cannot follow that maps a module's functions one by one: `ctrl.list` is the
    /// wrapped module's `list` (growthbook's controllers).
    fn wrapped_module_member(&self, file: FileId, obj: &str, prop: &str, depth: u32) -> Resolved {
        let Some(Ref::Call(_, args)) = self.facts[file].call_results.get(obj) else { return Resolved::Unknown };
        for a in args {
            if let Resolved::Module(t) = self.resolve_ref(file, a, depth + 1) {
                if let r @ Resolved::Function(_) = self.resolve_export(t, prop, depth + 1) {
                    return r;
                }
            }
        }
        Resolved::Unknown
    }

    fn resolve_member_of(&self, file: FileId, obj: &str, prop: &str, depth: u32) -> Resolved {
        match self.resolve(file, obj, depth + 1) {
            Resolved::Module(target) => self.resolve_export(target, prop, depth + 1),
            Resolved::Class(f, class) => self.class_method(f, &class, prop),
            Resolved::Function(g) => {
                // The file that defines `g`, and the names it is bound to there.
                let f = self.fn_offset.partition_point(|&o| o <= g) - 1;
                let local = g - self.fn_offset[f];
                self.facts[f]
                    .function_names
                    .iter()
                    .filter(|(_, &l)| l == local)
                    .find_map(|(name, _)| self.object_method(f, name, prop, depth))
                    .unwrap_or(Resolved::Unknown)
            }
            Resolved::Binding(f, name) => {
                if let Some(r) = self.object_method(f, &name, prop, depth) {
                    return r;
                }
                // A local object literal of functions is rare in backends; a module-level
                // `const service = { list() {…} }` is resolved through its export map if any.
                match self.facts[f].exports.get(&name) {
                    Some(Export::Object(map)) => {
                        map.get(prop).map(|r| self.resolve_ref(f, r, depth + 1)).unwrap_or(Resolved::Unknown)
                    }
                    _ => Resolved::Unknown,
                }
            }
            _ => Resolved::Unknown,
        }
    }

    /// `Article.list()` where `Article` holds the Mongoose model `'Article'` (here or in the
    /// module it is imported from): the static its schema defines, in any file.
    fn model_static(&self, file: FileId, obj: &str, method: &str) -> Option<FunctionId> {
        let model = match self.resolve(file, obj, 0) {
            Resolved::Binding(f, n) => self.facts[f].model_names.get(&n).or_else(|| {
                let exported = matches!(self.facts[f].exports.get("default"), Some(Export::Local(d)) if *d == n);
                exported.then(|| self.facts[f].model_names.get("module.exports")).flatten()
            }),
            Resolved::Module(t) => self.facts[t].model_names.get("module.exports"),
            _ => None,
        }
        .or_else(|| self.facts[file].model_names.get(obj))?;
        self.facts.iter().enumerate().find_map(|(g, f)| {
            let r = f.schema_statics.get(f.mongoose_models.get(model)?)?.get(method)?;
            match self.resolve_ref(g, r, 0) {
                Resolved::Function(x) => Some(x),
                _ => None,
            }
        })
    }

    fn owner_key(&self, file: FileId, owner: &Owner) -> OwnerKey {
        match owner {
            Owner::Param(local) => OwnerKey::Param(self.gid(file, *local)),
            Owner::Binding(name) => match self.resolve(file, name, 0) {
                Resolved::Binding(f, n) => OwnerKey::Binding(f, n),
                _ => OwnerKey::Binding(file, name.clone()),
            },
        }
    }

    fn child_key(&self, file: FileId, child: &Ref) -> Option<OwnerKey> {
        match self.resolve_ref(file, child, 0) {
            Resolved::Function(g) => Some(OwnerKey::Param(g)),
            // `const plugin = { name, register(server) {…} }` (hapi)
            Resolved::Binding(f, n) => match self.plugin_register(f, &n) {
                Some(g) => Some(OwnerKey::Param(g)),
                None => Some(OwnerKey::Binding(f, n)),
            },
            Resolved::Module(target) => match self.facts[target].exports.get("default") {
                Some(Export::Local(n)) => Some(OwnerKey::Binding(target, n.clone())),
                _ => self.module_plugin(target).map(OwnerKey::Param),
            },
            _ => None,
        }
    }
}

impl<'a> Linker<'a> {
    /// The routes of the table `table` names in `file`, with the file each was written in:
    /// a local table, a module that exports one (`module.exports = routes` or an array),
    /// and the tables joined into it, transitively.
    fn table_routes(&self, file: FileId, table: &Ref, depth: u32, out: &mut Vec<(FileId, &'a RouteReg)>) {
        if depth > MAX_DEPTH {
            return;
        }
        let Ref::Name(name) = table else { return };
        let facts: &'a [FileFacts] = self.facts;
        if let Some(t) = facts[file].route_tables.get(name) {
            out.extend(t.entries.iter().map(|r| (file, r)));
            for inc in &t.includes {
                self.table_routes(file, inc, depth + 1, out);
            }
            return;
        }
        let spec = match name.strip_prefix("require:") {
            Some(spec) => spec.to_string(),
            None => match facts[file].imports.get(name) {
                Some(Import::Whole(spec)) => spec.clone(),
                _ => return,
            },
        };
        let Some(target) = self.resolve_module(file, &spec) else { return };
        let exported = match facts[target].exports.get("default") {
            Some(Export::Local(n)) => n.clone(),
            _ => "module.exports".to_string(),
        };
        self.table_routes(target, &Ref::Name(exported), depth + 1, out);
    }
}

impl Linker<'_> {
    /// The client `name` is bound to in `file` when it comes from a project module: an
    /// import of an export (`module.exports = { DB: knex }`, `export const db = knex(…)`,
    /// `module.exports = new Pool()`), followed through re-exports and aliases.
    fn client_of(&self, file: FileId, name: &str, depth: u32) -> Option<Resource> {
        if depth > MAX_DEPTH {
            return None;
        }
        let f = &self.facts[file];
        match f.resources.get(name) {
            Some(r) if r.is_client() => return Some(r.clone()),
            Some(Resource::Named(spec, export)) => return self.client_of_import(file, spec, export, depth + 1),
            Some(Resource::Module(spec)) => return self.client_of_import(file, spec, "default", depth + 1),
            Some(_) => return None,
            None => {}
        }
        match f.imports.get(name) {
            Some(Import::Whole(spec)) => self.client_of_import(file, spec, "default", depth + 1),
            Some(Import::Named(spec, export)) => self.client_of_import(file, spec, export, depth + 1),
            None => match f.aliases.get(name) {
                Some(alias) if !alias.starts_with("new:") => self.client_of(file, alias, depth + 1),
                _ => None,
            },
        }
    }

    fn client_of_import(&self, file: FileId, spec: &str, export: &str, depth: u32) -> Option<Resource> {
        let target = self.resolve_module(file, spec)?;
        let exports = &self.facts[target].exports;
        match exports.get(export) {
            Some(Export::Local(n)) => self.client_of(target, n, depth + 1),
            Some(_) => None,
            None => match exports.get("default") {
                Some(Export::Object(map)) => match map.get(export) {
                    Some(Ref::Name(n)) => match n.strip_prefix("require:") {
                        Some(spec) => self.client_of_import(target, spec, "default", depth + 1),
                        None => self.client_of(target, n, depth + 1),
                    },
                    _ => None,
                },
                _ => None,
            },
        }
    }
}

/// For each file, the names it imports from project modules that are database, cache or HTTP
/// clients there (chaunnt/TemplateNodeJS_HapiAndMySQL: `const { DB } =
/// require('../config/database')`, where `module.exports = { DB: knex }`).
pub(super) fn imported_clients(files: &[Parsed], facts: &[FileFacts]) -> Vec<HashMap<String, Resource>> {
    let linker = Linker::new(files, facts);
    facts
        .iter()
        .enumerate()
        .map(|(file, f)| {
            let relative = |spec: &str| spec.starts_with('.') || linker.find_rooted(spec).is_some();
            let names = f.imports.iter().filter_map(|(name, import)| match import {
                Import::Whole(spec) | Import::Named(spec, _) if relative(spec) => Some(name),
                _ => None,
            });
            let bound = f.resources.iter().filter_map(|(name, r)| match r {
                Resource::Named(spec, _) | Resource::Module(spec) if relative(spec) => Some(name),
                _ => None,
            });
            names.chain(bound).filter_map(|n| Some((n.clone(), linker.client_of(file, n, 0)?))).collect()
        })
        .collect()
}

/// A route's full path: its mounts' prefixes and its own path, normalised; a named operation
/// (`EVENT chat:message`, `ACTION createPost`) keeps its name as written.
pub(super) fn full_path(method: &str, prefix: &str, path: &str) -> String {
    if super::is_named_operation(method) {
        return path.to_string();
    }
    normalize_path(&format!("{prefix}/{path}"))
}

fn prefixes(key: &OwnerKey, mounts: &[(OwnerKey, OwnerKey, String)], facts: &[FileFacts], depth: u32) -> Vec<String> {
    // A router's own prefix (`new Router({ prefix: '/api' })`) comes after its mount's.
    let own = match key {
        OwnerKey::Binding(f, n) => facts[*f].router_prefixes.get(n).cloned().unwrap_or_default(),
        OwnerKey::Param(_) => String::new(),
    };
    let parents: Vec<&(OwnerKey, OwnerKey, String)> = mounts.iter().filter(|(_, child, _)| child == key).collect();
    if parents.is_empty() || depth > MAX_DEPTH {
        return vec![own];
    }
    let mut out = Vec::new();
    for (parent, _, prefix) in parents {
        for p in prefixes(parent, mounts, facts, depth + 1) {
            let full = format!("{p}/{prefix}/{own}");
            if !out.contains(&full) {
                out.push(full);
            }
        }
    }
    out
}

/// A call into a data layer the model cannot follow, by how it is reached: a method with a
/// data verb on a member named for one (`ctx.db.user.get(…)`, `fastify.db.organization.get`,
/// `this.database.orders.list`, `req.app.locals.dao.findUser`) — flossbank's Fastify-decorated
/// data layer, DI containers. It counts as a query where awaits are judged (sequential awaits
/// may overlap it, a write keeps its order), not as a query of any library: no rewrite names one.
fn data_layer_call(text: &str) -> bool {
    const LAYERS: &[&str] = &["db", "database", "dao", "dal", "datalayer", "repo", "repository", "repositories"];
    const VERBS: &[&str] = &[
        "get", "find", "list", "count", "fetch", "load", "search", "query", "create", "insert", "add", "update",
        "set", "save", "upsert", "delete", "remove", "destroy", "exists",
    ];
    let text = text.trim_start().trim_start_matches("await").trim_start();
    let callee: String = text[..text.find('(').unwrap_or(text.len())].split_whitespace().collect();
    let mut parts: Vec<&str> = callee.split(['.', '?']).filter(|p| !p.is_empty()).collect();
    let Some(method) = parts.pop() else { return false };
    let verb = VERBS.iter().any(|v| {
        method.get(..v.len()).is_some_and(|head| head.eq_ignore_ascii_case(v))
            && method[v.len()..].chars().next().is_none_or(|c| c.is_ascii_uppercase() || c == '_')
    });
    // The layer is a receiver, not the root of the chain's last step alone (`db.get` on a
    // local key-value `db` is left to the libraries' own recognisers).
    verb && parts.len() >= 2 && parts[1..].iter().any(|p| LAYERS.contains(&p.to_ascii_lowercase().as_str()))
}

/// An app made inside a function that only ever calls its own methods and never serves
/// (hoppscotch's `emitGQLSchemaFile`: `NestFactory.create(…)`, `app.init()`, `app.get(…)`,
/// write the schema file): a build-time or test harness, not the server, so no app-level
/// finding is about it. An app that listens or starts (`app.listen`, hapi's `start()`, Koa's
/// `app.callback()`, Nest's `getHttpServer()`), takes middleware or routes, or is handed on —
/// returned, exported, passed, assigned — may serve.
fn throwaway_app(files: &[Parsed], functions: &[super::Function], app: &super::App) -> bool {
    const SERVES: &[&str] =
        &["listen", "start", "ready", "callback", "getHttpServer", "handle", "server", "listener", "use", "route", "register"];
    let Some(name) = app.name.as_deref() else { return false };
    let enclosing = functions
        .iter()
        .filter(|f| f.file == app.file && f.span.lo <= app.span.lo && app.span.hi <= f.span.hi)
        .min_by_key(|f| f.span.hi.0 - f.span.lo.0);
    let Some(function) = enclosing else { return false };
    let text = files[app.file].snippet(function.span);
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut declared = false;
    for (i, _) in text.match_indices(name) {
        let before = text[..i].trim_end();
        let after = &text[i + name.len()..];
        if text[..i].ends_with(ident) || after.starts_with(ident) || text[..i].ends_with('.') {
            continue; // part of another name, or a property `x.app`
        }
        if ["const", "let", "var"].iter().any(|kw| before.ends_with(kw)) && after.trim_start().starts_with('=') {
            declared = true;
            continue;
        }
        match after.strip_prefix('.') {
            Some(member) if !SERVES.iter().any(|m| member.starts_with(m) && !member[m.len()..].starts_with(ident)) => {}
            _ => return false,
        }
    }
    declared
}

pub(super) fn link(files: &[Parsed], mut facts: Vec<FileFacts>) -> Program<'_> {
    let mut fn_offset = Vec::with_capacity(facts.len());
    let mut it_offset = Vec::with_capacity(facts.len());
    let (mut nf, mut ni) = (0, 0);
    for f in &facts {
        fn_offset.push(nf);
        it_offset.push(ni);
        nf += f.functions.len();
        ni += f.iterations.len();
    }
    // The per-file tables move into the program's; the rest of the facts serve resolution.
    let tables: Vec<_> = facts
        .iter_mut()
        .map(|f| (std::mem::take(&mut f.functions), std::mem::take(&mut f.iterations), std::mem::take(&mut f.calls)))
        .collect();
    let mut linker = Linker::new(files, &facts);
    linker.fn_offset = fn_offset.clone();

    // Associations the program declares: a Sequelize accessor must name one of them.
    let declared: Vec<super::collect::lazy::Association> =
        facts.iter().flat_map(|f| f.associations.iter().cloned()).collect();
    let associations: std::collections::HashSet<&str> = declared.iter().map(|a| a.key.as_str()).collect();
    let lazy_relations: std::collections::HashSet<&str> =
        facts.iter().flat_map(|f| f.lazy_relations.iter().map(String::as_str)).collect();

    // Global tables with global ids.
    let mut functions = Vec::with_capacity(nf);
    let mut iterations = Vec::with_capacity(ni);
    let mut calls: Vec<CallSite> = Vec::new();
    for (file, (f, (file_functions, file_iterations, file_calls))) in facts.iter().zip(tables).enumerate() {
        for mut func in file_functions {
            func.parent = func.parent.map(|p| p + fn_offset[file]);
            func.per_item = func.per_item.map(|i| i + it_offset[file]);
            functions.push(func);
        }
        iterations.extend(file_iterations);
        for mut call in file_calls {
            call.function = call.function.map(|g| g + fn_offset[file]);
            call.iterations.iter_mut().for_each(|i| *i += it_offset[file]);
            call.callees = match &call.target {
                Some(CallTarget::Name(n)) => match linker.resolve(file, n, 0) {
                    Resolved::Function(g) => vec![g],
                    _ => vec![],
                },
                Some(CallTarget::Member(o, p)) => match linker.resolve_member(file, o, p, 0) {
                    Resolved::Function(g) => vec![g],
                    _ => linker.model_static(file, o, p).into_iter().collect(),
                },
                Some(CallTarget::ThisMethod(Some(class), m)) => match linker.class_method(file, class, m) {
                    Resolved::Function(g) => vec![g],
                    _ => vec![],
                },
                Some(CallTarget::ThisField(Some(class), field, m)) => {
                    let ty = f.classes.get(class).and_then(|c| c.field_types.get(field));
                    match ty.and_then(|t| linker.class_index.get(t)) {
                        Some((cf, cname)) => match linker.class_method(*cf, cname, m) {
                            Resolved::Function(g) => vec![g],
                            _ => vec![],
                        },
                        None => vec![],
                    }
                }
                _ => vec![],
            };
            // `row.getFullName()` on a fetched row is a custom method, not an accessor, when
            // the program's associations do not include `fullName`.
            if let CallKind::Query(q) = &call.kind {
                if q.lazy
                    && q.library == super::Library::Sequelize
                    && !q.operation.starts_with('$')
                    && !associations.is_empty()
                    && !q.model.as_deref().is_some_and(|m| associations.contains(super::collect::lazy::association_key(m).as_str()))
                {
                    call.kind = CallKind::Other;
                }
            }
            // `await user.posts` is a query only where an entity declares `posts` lazy.
            if let CallKind::Query(q) = &call.kind {
                if q.lazy && q.library == super::Library::TypeOrm && !lazy_relations.contains(q.operation.as_str()) {
                    call.kind = CallKind::Other;
                }
            }
            // A query recognised by its shape whose receiver is a project module defining
            // the method (express `examples/view-locals`: `User.count()` on an in-memory
            // model) is user code: it reaches what that method reaches.
            if matches!(call.kind, CallKind::Query(_)) {
                if call.callees.is_empty() {
                    call.target = None;
                } else {
                    call.kind = CallKind::Other;
                    call.data_access = true;
                }
            }
            if matches!(call.kind, CallKind::Other) && call.callees.is_empty() && !call.data_access {
                call.data_access = data_layer_call(files[file].snippet(call.span));
            }
            calls.push(call);
        }
    }

    // Mounts and routes.
    let mut mounts: Vec<(OwnerKey, OwnerKey, String)> = Vec::new();
    for (file, f) in facts.iter().enumerate() {
        for m in &f.mounts {
            if let Some(child) = linker.child_key(file, &m.child) {
                mounts.push((linker.owner_key(file, &m.parent), child, m.prefix.clone()));
            }
        }
    }
    // Mounts in loops over literals, one per entry.
    for (file, f) in facts.iter().enumerate() {
        for lm in &f.loop_mounts {
            mounts.extend(linker.loop_mounts(file, lm));
        }
    }
    // `@fastify/autoload`: each file under the directory is a plugin, its folders the prefix
    // (`routes/api/tasks/index.ts` → `/api/tasks`, `routes/users/_id/index.ts` →
    // `/users/:id`), or the `autoPrefix` the file exports instead of its folders.
    for (file, f) in facts.iter().enumerate() {
        for (owner, dir, prefix) in &f.autoloads {
            let from = normalize_file_path(&files[file].path);
            let base = from.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            let root = normalize_file_path(&if base.is_empty() { dir.clone() } else { format!("{base}/{dir}") });
            let parent = linker.owner_key(file, owner);
            for (target, parsed) in files.iter().enumerate() {
                let path = normalize_file_path(&parsed.path);
                let Some(rel) = path.strip_prefix(&root).and_then(|r| r.strip_prefix('/')) else { continue };
                let folders = rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                let folders: Vec<String> = folders.split('/').map(super::collect::autoload_segment).collect();
                let own = linker.auto_prefix(target).unwrap_or_else(|| folders.join("/"));
                if let Resolved::Function(g) = linker.resolve_export(target, "default", 0) {
                    mounts.push((parent.clone(), OwnerKey::Param(g), format!("{prefix}/{own}")));
                }
            }
        }
    }
    // Routes whose framework nothing in their file says take the program's.
    // Files by path: what the program says must not depend on the order files were given in.
    let mut by_path: Vec<usize> = (0..facts.len()).collect();
    by_path.sort_by(|&a, &b| files[a].path.cmp(&files[b].path));
    let imported: Option<Framework> = by_path.iter().find_map(|&i| facts[i].frameworks.first().copied());
    // NestJS `app.setGlobalPrefix('api')` comes before every controller's path.
    let nest_prefix = by_path.iter().find_map(|&i| facts[i].global_prefix.clone()).unwrap_or_default();
    // socket.io events count in a program that imports socket.io.
    let socket_io = facts.iter().any(|f| f.socket_io);
    let mut routes = Vec::new();
    for (file, f) in facts.iter().enumerate() {
        for r in &f.routes {
            if r.framework == Some(Framework::SocketIo) && !socket_io {
                continue;
            }
            let handler = r.handler.as_ref().and_then(|h| match linker.resolve_ref(file, h, 0) {
                Resolved::Function(g) => Some(g),
                _ => None,
            });
            let prefixes = match &r.owner {
                Some(owner) => prefixes(&linker.owner_key(file, owner), &mounts, &facts, 0),
                None => vec![String::new()],
            };
            let framework = r.framework.or(imported).unwrap_or(Framework::Express);
            let global = if framework == Framework::NestJs { nest_prefix.as_str() } else { "" };
            for prefix in prefixes {
                routes.push(Route {
                    framework,
                    method: r.method.clone(),
                    path: full_path(&r.method, &format!("{global}/{prefix}"), &r.path),
                    file,
                    span: r.span,
                    handler,
                });
            }
        }
    }

    // Routes registered in loops over literals, one per entry.
    for (file, f) in facts.iter().enumerate() {
        for lr in &f.loop_routes {
            if lr.framework == Some(Framework::SocketIo) && !socket_io {
                continue;
            }
            routes.extend(linker.loop_routes(file, lr, &mounts, imported.unwrap_or(Framework::Express)));
        }
    }

    // hapi route tables: `server.route(routes)` with the arrays built in other files.
    for (file, f) in facts.iter().enumerate() {
        for (owner, table, owner_fw) in &f.table_uses {
            let mut regs = Vec::new();
            linker.table_routes(file, table, 0, &mut regs);
            let prefixes = prefixes(&linker.owner_key(file, owner), &mounts, &facts, 0);
            for (table_file, r) in regs {
                let handler = r.handler.as_ref().and_then(|h| match linker.resolve_ref(table_file, h, 0) {
                    Resolved::Function(g) => Some(g),
                    _ => None,
                });
                for prefix in &prefixes {
                    routes.push(Route {
                        // The server's framework: a table's `url` keys do not make it Fastify's.
                        framework: owner_fw.or(r.framework).unwrap_or(Framework::Hapi),
                        method: r.method.clone(),
                        path: normalize_path(&format!("{prefix}/{}", r.path)),
                        file: table_file,
                        span: r.span,
                        handler,
                    });
                }
            }
        }
    }

    // Next.js route handlers, API routes and server actions: found from the files' places.
    routes.extend(linker.nextjs_routes(&functions));

    // Routing helpers: one route per call of a function that registers its arguments.
    let call_offset: Vec<usize> = (0..facts.len()).map(|f| calls.partition_point(|c| c.file < f)).collect();
    routes.extend(linker.helper_routes(&calls, &call_offset, &mounts, imported.unwrap_or(Framework::Express)));

    // Which routes reach which functions: handlers, their lexical children (callbacks),
    // and everything they call, transitively.
    let mut edges: Vec<Vec<FunctionId>> = vec![Vec::new(); functions.len()];
    for (id, func) in functions.iter().enumerate() {
        if let Some(p) = func.parent {
            edges[p].push(id);
        }
    }
    for call in &calls {
        if let Some(f) = call.function {
            edges[f].extend(call.callees.iter().copied());
        }
    }
    let mut reached_by: Vec<Vec<usize>> = vec![Vec::new(); functions.len()];
    for (rid, route) in routes.iter().enumerate() {
        let Some(h) = route.handler else { continue };
        let mut queue = VecDeque::from([h]);
        while let Some(f) = queue.pop_front() {
            if reached_by[f].last() == Some(&rid) {
                continue;
            }
            reached_by[f].push(rid);
            queue.extend(edges[f].iter().copied());
        }
    }

    // What background jobs run (`model::jobs`): their functions and everything they reach.
    let mut background = vec![false; functions.len()];
    let mut job_roots = 0;
    for (file, f) in facts.iter().enumerate() {
        for job in &f.jobs {
            let Resolved::Function(root) = linker.resolve_ref(file, job, 0) else { continue };
            job_roots += 1;
            let mut queue = VecDeque::from([root]);
            while let Some(g) = queue.pop_front() {
                if !std::mem::replace(&mut background[g], true) {
                    queue.extend(edges[g].iter().copied());
                }
            }
        }
    }

    let mut apps = Vec::new();
    let mut framework_order: Vec<Framework> = Vec::new();
    for f in &facts {
        apps.extend(f.apps.iter().cloned().filter(|a| !throwaway_app(files, &functions, a)));
    }
    for f in by_path.iter().map(|&i| &facts[i]) {
        for fw in &f.frameworks {
            if !framework_order.contains(fw) {
                framework_order.push(*fw);
            }
        }
    }
    for r in &routes {
        if !framework_order.contains(&r.framework) {
            framework_order.push(r.framework);
        }
    }
    // The main framework is the one with the most routes.
    let count = |fw: &Framework| routes.iter().filter(|r| r.framework == *fw).count();
    framework_order.sort_by_key(|fw| std::cmp::Reverse(count(fw)));

    Program {
        files,
        functions,
        iterations,
        calls,
        apps,
        routes,
        reached_by,
        background,
        job_roots,
        framework_order,
        associations: declared,
        roles: Vec::new(),
        skipped: Vec::new(),
        values: Vec::new(),
        app_facts: Default::default(),
        once: Default::default(),
    }
}
