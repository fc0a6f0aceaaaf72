//! App-level facts, one walk per file (in [`super::Program::build`]):
//!
//! - the modules each file imports or re-exports, with the names they are bound to
//!   ([`ModuleImport`]);
//! - the middleware and plugins registered on something (`app.use(x)`,
//!   `fastify.register(plugin, opts)`, `server.register({ plugin })`, NestJS
//!   `app.useGlobalGuards(…)`, `{ provide: APP_INTERCEPTOR, useClass: … }`), in order, with the
//!   path each is mounted on and the module each argument comes from ([`Registration`]);
//! - the module-level caches (`const cache = new Map()`, `= {}`, `= Object.create(null)`) with
//!   their writes, reads and evictions across the files that import them ([`ModuleCache`]).
//!
//! Names are tracked per file, not per scope, like the rest of the model: a local variable
//! that shadows an imported or module-level name counts as that name.

use super::FileId;
use crate::parse::Parsed;
use crate::syntax::{key_name, prop_name, str_lit, top_level_statements, unwrap};
use std::collections::{HashMap, HashSet};
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

/// How a module is brought in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportForm {
    /// `import … from 'm'` (also `import type`).
    Import,
    /// `require('m')`, and TypeScript's `import x = require('m')`.
    Require,
    /// `import('m')`.
    Dynamic,
    /// `export … from 'm'`, `export * from 'm'`.
    ReExport,
}

/// One import of a module by a file.
#[derive(Clone, Debug)]
pub struct ModuleImport {
    pub module: String,
    pub form: ImportForm,
    /// The local names it binds, each with the export it names (`None`: the whole module,
    /// its default export or namespace).
    pub bound: Vec<(String, Option<String>)>,
    pub span: Span,
}

/// Where a registered argument comes from.
#[derive(Clone, Debug)]
pub struct RegisteredArg {
    pub span: Span,
    /// The name the expression starts from (`session` in `session({ store })`,
    /// `passport` in `passport.session()`).
    pub root: Option<String>,
    /// The module that name is imported from in this file, or the module of an inline
    /// `require('m')`.
    pub module: Option<String>,
}

/// A middleware or plugin registration: `owner.use(…)`, `owner.register(…)`,
/// `owner.useGlobalGuards(…)` (and the other `useGlobal*`), or a NestJS provider object
/// `{ provide: APP_GUARD, useClass: X }` (method `APP_GUARD`, no receiver).
#[derive(Clone, Debug)]
pub struct Registration {
    pub file: FileId,
    /// The whole call (or the provider object).
    pub span: Span,
    /// The receiver when it is a plain name (`app` in `app.use(…)`).
    pub receiver: Option<String>,
    /// `use`, `register`, `useGlobalGuards`, …, `APP_GUARD`, `APP_INTERCEPTOR`.
    pub method: String,
    /// The path it is mounted on: a string first argument (`app.use('/api', …)`), or
    /// Fastify's `{ prefix }` option.
    pub path: Option<String>,
    /// The first argument is an array of paths (`app.use(['/a', '/b'], …)`).
    pub path_list: bool,
    /// The arguments, the path included.
    pub args: Vec<RegisteredArg>,
}

/// A module-level `Map` or empty object and what the program does with it.
#[derive(Clone, Debug)]
pub struct ModuleCache {
    pub file: FileId,
    pub name: String,
    /// The declaration statement.
    pub span: Span,
    pub is_map: bool,
    /// Writes with a computed key inside a function (`cache.set(key, v)`, `memo[key] = v`),
    /// in the declaring file and in the files that import the name, in file order.
    pub sets: Vec<(FileId, Span)>,
    /// Read with `get`/`has` or a computed member in one of those files.
    pub reads: bool,
    /// Deleted from, cleared, size-checked (`.size`, `Object.keys(cache)`) or reassigned in
    /// one of those files, or deleted from, cleared or size-checked in any file (an
    /// exported cache may be evicted through another module).
    pub evicted: bool,
}

/// The app-level facts of a program.
#[derive(Default)]
pub struct AppFacts {
    /// Per file, its imports in source order.
    pub imports: Vec<Vec<ModuleImport>>,
    /// Every registration, in file order; in a file, an inner registration before the one
    /// around it.
    pub registrations: Vec<Registration>,
    pub caches: Vec<ModuleCache>,
}

impl AppFacts {
    /// Does any file of the program import a module that `is` accepts?
    pub fn imports_any(&self, is: impl Fn(&str) -> bool) -> bool {
        self.imports.iter().flatten().any(|i| is(&i.module))
    }

    /// Does `file` use ES module `import` declarations?
    pub fn is_esm(&self, file: FileId) -> bool {
        self.imports.get(file).is_some_and(|i| i.iter().any(|i| i.form == ImportForm::Import))
    }

    /// The registrations on the app or router bound to `name` in `file`, in order.
    pub fn registered_on<'s>(&'s self, file: FileId, name: &'s str) -> impl Iterator<Item = &'s Registration> + 's {
        self.registrations.iter().filter(move |r| r.file == file && r.receiver.as_deref() == Some(name))
    }
}

pub(super) fn build(files: &[Parsed]) -> AppFacts {
    let mut declared: Vec<ModuleCache> = Vec::new();
    for (file, parsed) in files.iter().enumerate() {
        if let Some(program) = &parsed.program {
            declared.extend(module_caches(file, program));
        }
    }
    let names: HashSet<String> = declared.iter().map(|c| c.name.clone()).collect();
    let mut facts = AppFacts::default();
    let mut uses: Vec<HashMap<String, NameUses>> = Vec::with_capacity(files.len());
    for (file, parsed) in files.iter().enumerate() {
        let mut w = Walker {
            file,
            names: &names,
            depth: 0,
            imports: Vec::new(),
            registrations: Vec::new(),
            uses: HashMap::new(),
        };
        if let Some(program) = &parsed.program {
            program.visit_with(&mut w);
        }
        // Each argument's module, from this file's bindings (imports may come after use).
        let bound: HashMap<&str, &str> = w
            .imports
            .iter()
            .flat_map(|i| i.bound.iter().map(move |(local, _)| (local.as_str(), i.module.as_str())))
            .collect();
        for r in &mut w.registrations {
            for a in &mut r.args {
                if a.module.is_none() {
                    a.module = a.root.as_deref().and_then(|n| bound.get(n)).map(|m| m.to_string());
                }
            }
        }
        facts.registrations.append(&mut w.registrations);
        facts.imports.push(w.imports);
        uses.push(w.uses);
    }
    for mut cache in declared {
        let evicted_elsewhere = uses.iter().any(|u| u.get(&cache.name).is_some_and(|n| n.evicts_strict));
        for (file, file_uses) in uses.iter().enumerate() {
            let sees = file == cache.file
                || facts.imports[file].iter().any(|i| i.bound.iter().any(|(local, _)| *local == cache.name));
            let Some(u) = file_uses.get(&cache.name).filter(|_| sees) else { continue };
            cache.sets.extend(u.sets.iter().map(|s| (file, *s)));
            cache.reads |= u.reads;
            cache.evicted |= u.evicts || u.evicts_strict;
        }
        cache.evicted |= evicted_elsewhere;
        facts.caches.push(cache);
    }
    facts
}

/// Module-level `const x = new Map()`, `= {}`, `= Object.create(null)` (also exported).
fn module_caches(file: FileId, program: &Program) -> Vec<ModuleCache> {
    let items = top_level_statements(program);
    let mut vars: Vec<&VarDecl> = items
        .iter()
        .filter_map(|s| match s {
            Stmt::Decl(Decl::Var(v)) => Some(&**v),
            _ => None,
        })
        .collect();
    if let Program::Module(m) = program {
        for i in &m.body {
            if let ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(ExportDecl { decl: Decl::Var(v), .. })) = i {
                vars.push(v);
            }
        }
    }
    let mut out = Vec::new();
    for v in vars {
        for d in &v.decls {
            let (Pat::Ident(id), Some(init)) = (&d.name, &d.init) else { continue };
            let is_map = match unwrap(init) {
                Expr::New(n) => {
                    matches!(unwrap(&n.callee), Expr::Ident(i) if &*i.sym == "Map")
                        && n.args.as_ref().is_none_or(|a| a.is_empty())
                }
                _ => false,
            };
            let is_obj = match unwrap(init) {
                Expr::Object(o) => o.props.is_empty(),
                Expr::Call(c) => {
                    matches!(&c.callee, Callee::Expr(e) if matches!(unwrap(e), Expr::Member(m)
                        if matches!(unwrap(&m.obj), Expr::Ident(o) if &*o.sym == "Object")
                            && prop_name(&m.prop).as_deref() == Some("create")))
                        && c.args.len() == 1
                        && matches!(unwrap(&c.args[0].expr), Expr::Lit(Lit::Null(_)))
                }
                _ => false,
            };
            if is_map || is_obj {
                out.push(ModuleCache {
                    file,
                    name: id.id.sym.to_string(),
                    span: v.span,
                    is_map,
                    sets: Vec::new(),
                    reads: false,
                    evicted: false,
                });
            }
        }
    }
    out
}

/// What one file does with a module-level cache's name.
#[derive(Default)]
struct NameUses {
    sets: Vec<Span>,
    reads: bool,
    /// `Object.keys(x)` (a sweep or a size check) or `x = …`.
    evicts: bool,
    /// `x.delete(…)`, `x.clear()`, `delete x[…]`, `x.size`.
    evicts_strict: bool,
}

struct Walker<'a> {
    file: FileId,
    /// The names of the program's module-level caches.
    names: &'a HashSet<String>,
    /// Function nesting.
    depth: usize,
    imports: Vec<ModuleImport>,
    registrations: Vec<Registration>,
    uses: HashMap<String, NameUses>,
}

const REGISTER_METHODS: &[&str] =
    &["use", "register", "useGlobalGuards", "useGlobalInterceptors", "useGlobalPipes", "useGlobalFilters"];
const NEST_PROVIDERS: &[&str] = &["APP_GUARD", "APP_INTERCEPTOR", "APP_PIPE", "APP_FILTER"];

fn require_of(c: &CallExpr) -> Option<(String, ImportForm)> {
    let form = match &c.callee {
        Callee::Import(_) => ImportForm::Dynamic,
        Callee::Expr(e) if matches!(&**e, Expr::Ident(i) if &*i.sym == "require") => ImportForm::Require,
        _ => return None,
    };
    Some((str_lit(&c.args.first()?.expr)?, form))
}

fn ident_name(e: &Expr) -> Option<&str> {
    match unwrap(e) {
        Expr::Ident(i) => Some(&i.sym),
        _ => None,
    }
}

/// The name an expression starts from, or the module of an inline `require('m')` it starts
/// from.
fn root(e: &Expr) -> (Option<String>, Option<String>) {
    match unwrap(e) {
        Expr::Ident(i) => (Some(i.sym.to_string()), None),
        Expr::Member(m) => root(&m.obj),
        Expr::Call(c) => match &c.callee {
            Callee::Expr(callee) => match require_of(c) {
                Some((module, ImportForm::Require)) => (Some("require".into()), Some(module)),
                _ => root(callee),
            },
            _ => (None, None),
        },
        _ => (None, None),
    }
}

fn literal_key(e: &Expr) -> bool {
    str_lit(unwrap(e)).is_some() || matches!(unwrap(e), Expr::Lit(_))
}

impl Walker<'_> {
    fn cache_name<'e>(&self, e: &'e Expr) -> Option<&'e str> {
        if self.names.is_empty() {
            return None;
        }
        ident_name(e).filter(|n| self.names.contains(*n))
    }

    fn uses_of(&mut self, name: &str) -> &mut NameUses {
        self.uses.entry(name.to_string()).or_default()
    }

    fn push_import(&mut self, module: String, form: ImportForm, bound: Vec<(String, Option<String>)>, span: Span) {
        self.imports.push(ModuleImport { module, form, bound, span });
    }

    fn registration(&mut self, c: &CallExpr) {
        let Callee::Expr(callee) = &c.callee else { return };
        let Expr::Member(m) = unwrap(callee) else { return };
        let Some(method) = prop_name(&m.prop).filter(|p| REGISTER_METHODS.contains(&p.as_str())) else { return };
        let first = c.args.first().map(|a| unwrap(&a.expr));
        let mut path = first.and_then(str_lit);
        if method == "register" && path.is_none() {
            // `fastify.register(plugin, { prefix: '/v1' })`
            if let Some(Expr::Object(o)) = c.args.get(1).map(|a| unwrap(&a.expr)) {
                path = crate::syntax::object_string(o, "prefix");
            }
        }
        let args = c
            .args
            .iter()
            .map(|a| {
                let (root, module) = root(&a.expr);
                RegisteredArg { span: a.expr.span(), root, module }
            })
            .collect();
        self.registrations.push(Registration {
            file: self.file,
            span: c.span,
            receiver: ident_name(&m.obj).map(str::to_string),
            method,
            path,
            path_list: matches!(first, Some(Expr::Array(_))),
            args,
        });
    }
}

impl Visit for Walker<'_> {
    fn visit_import_decl(&mut self, d: &ImportDecl) {
        let bound = d
            .specifiers
            .iter()
            .map(|s| match s {
                ImportSpecifier::Default(d) => (d.local.sym.to_string(), None),
                ImportSpecifier::Namespace(n) => (n.local.sym.to_string(), None),
                ImportSpecifier::Named(n) => {
                    let imported = match &n.imported {
                        Some(ModuleExportName::Ident(i)) => i.sym.to_string(),
                        Some(ModuleExportName::Str(s)) => s.value.to_string_lossy().into_owned(),
                        None => n.local.sym.to_string(),
                    };
                    (n.local.sym.to_string(), Some(imported))
                }
            })
            .collect();
        self.push_import(d.src.value.to_string_lossy().into_owned(), ImportForm::Import, bound, d.span);
    }

    fn visit_named_export(&mut self, e: &NamedExport) {
        if let Some(src) = &e.src {
            self.push_import(src.value.to_string_lossy().into_owned(), ImportForm::ReExport, Vec::new(), e.span);
        }
    }

    fn visit_export_all(&mut self, e: &ExportAll) {
        self.push_import(e.src.value.to_string_lossy().into_owned(), ImportForm::ReExport, Vec::new(), e.span);
    }

    fn visit_ts_import_equals_decl(&mut self, d: &TsImportEqualsDecl) {
        if let TsModuleRef::TsExternalModuleRef(r) = &d.module_ref {
            let bound = vec![(d.id.sym.to_string(), None)];
            self.push_import(r.expr.value.to_string_lossy().into_owned(), ImportForm::Require, bound, d.span);
        }
    }

    fn visit_var_declarator(&mut self, d: &VarDeclarator) {
        let before = self.imports.len();
        d.visit_children_with(self);
        // `const x = require('m')`, `const { a, b: c } = require('m')`,
        // `const S = require('m').Strategy`, `const x = await import('m')`, and what is made
        // from the module: `const upload = require('multer')()`.
        let Some((call, export)) = d.init.as_deref().and_then(required_root) else { return };
        let bound: Vec<(String, Option<String>)> = match &d.name {
            Pat::Ident(i) => vec![(i.id.sym.to_string(), export)],
            Pat::Object(o) if export.is_none() => o
                .props
                .iter()
                .filter_map(|p| match p {
                    ObjectPatProp::Assign(a) => Some((a.key.sym.to_string(), Some(a.key.sym.to_string()))),
                    ObjectPatProp::KeyValue(kv) => match (key_name(&kv.key), unwrap_pat(&kv.value)) {
                        (Some(k), Some(v)) => Some((v, Some(k))),
                        _ => None,
                    },
                    ObjectPatProp::Rest(_) => None,
                })
                .collect(),
            _ => return,
        };
        if let Some(i) = self.imports[before..].iter_mut().find(|i| i.span == call.span) {
            i.bound = bound;
        }
    }

    fn visit_function(&mut self, f: &Function) {
        self.depth += 1;
        f.visit_children_with(self);
        self.depth -= 1;
    }

    fn visit_arrow_expr(&mut self, f: &ArrowExpr) {
        self.depth += 1;
        f.visit_children_with(self);
        self.depth -= 1;
    }

    fn visit_object_lit(&mut self, o: &ObjectLit) {
        // NestJS `{ provide: APP_GUARD, useClass: ThrottlerGuard }`.
        let provide = o.props.iter().find_map(|p| match p {
            PropOrSpread::Prop(p) => match &**p {
                Prop::KeyValue(kv) if key_name(&kv.key).as_deref() == Some("provide") => ident_name(&kv.value),
                _ => None,
            },
            _ => None,
        });
        // A Glue manifest's plugin (`registrations: [{ plugin: { register: 'hapi-auth-jwt' } }]`,
        // glue ≥ 5: `{ plugin: 'good' }`): Glue requires the module and registers it on the server
        // it composes, so it is both an import and a registration.
        let manifest_plugin = o.props.iter().find_map(|p| match p {
            PropOrSpread::Prop(p) => match &**p {
                Prop::KeyValue(kv) if key_name(&kv.key).as_deref() == Some("plugin") => match unwrap(&kv.value) {
                    Expr::Object(inner) => inner.props.iter().find_map(|p| match p {
                        PropOrSpread::Prop(p) => match &**p {
                            Prop::KeyValue(kv) if key_name(&kv.key).as_deref() == Some("register") => {
                                str_lit(&kv.value).map(|m| (m, kv.value.span()))
                            }
                            _ => None,
                        },
                        _ => None,
                    }),
                    value => str_lit(value).map(|m| (m, value.span())),
                },
                _ => None,
            },
            _ => None,
        });
        if let Some((module, span)) = manifest_plugin {
            self.imports.push(ModuleImport {
                module: module.clone(),
                form: ImportForm::Require,
                bound: Vec::new(),
                span,
            });
            self.registrations.push(Registration {
                file: self.file,
                span: o.span,
                receiver: None,
                method: "register".to_string(),
                path: None,
                path_list: false,
                args: vec![RegisteredArg { span, root: None, module: Some(module) }],
            });
        }
        if let Some(provider) = provide.filter(|p| NEST_PROVIDERS.contains(p)) {
            let args = o
                .props
                .iter()
                .filter_map(|p| match p {
                    PropOrSpread::Prop(p) => match &**p {
                        Prop::KeyValue(kv) if key_name(&kv.key).is_some_and(|k| k.starts_with("use")) => {
                            let (root, module) = root(&kv.value);
                            Some(RegisteredArg { span: kv.value.span(), root, module })
                        }
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            self.registrations.push(Registration {
                file: self.file,
                span: o.span,
                receiver: None,
                method: provider.to_string(),
                path: None,
                path_list: false,
                args,
            });
        }
        o.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, c: &CallExpr) {
        if let Some((module, form)) = require_of(c) {
            self.push_import(module, form, Vec::new(), c.span);
        }
        if let Callee::Expr(callee) = &c.callee {
            if let Expr::Member(m) = unwrap(callee) {
                if let Some(name) = self.cache_name(&m.obj) {
                    let depth = self.depth;
                    match prop_name(&m.prop).as_deref() {
                        Some("set") if depth > 0 && c.args.first().is_some_and(|a| !literal_key(&a.expr)) => {
                            self.uses_of(name).sets.push(c.span);
                        }
                        Some("get" | "has") => self.uses_of(name).reads = true,
                        Some("delete" | "clear") => self.uses_of(name).evicts_strict = true,
                        _ => {}
                    }
                }
                // `Object.keys(cache)`: a size check or a sweep.
                if ident_name(&m.obj) == Some("Object") {
                    if let Some(name) = c.args.first().and_then(|a| self.cache_name(&a.expr)) {
                        self.uses_of(name).evicts = true;
                    }
                }
            }
        }
        c.visit_children_with(self);
        // After the children: a registration nested in another's arguments comes first.
        self.registration(c);
    }

    fn visit_member_expr(&mut self, m: &MemberExpr) {
        if let Some(name) = self.cache_name(&m.obj) {
            match &m.prop {
                MemberProp::Ident(p) if &*p.sym == "size" => self.uses_of(name).evicts_strict = true,
                MemberProp::Computed(_) => self.uses_of(name).reads = true,
                _ => {}
            }
        }
        m.visit_children_with(self);
    }

    fn visit_unary_expr(&mut self, u: &UnaryExpr) {
        if u.op == UnaryOp::Delete {
            if let Expr::Member(m) = unwrap(&u.arg) {
                if let Some(name) = self.cache_name(&m.obj) {
                    self.uses_of(name).evicts_strict = true;
                }
            }
        }
        u.visit_children_with(self);
    }

    fn visit_assign_expr(&mut self, a: &AssignExpr) {
        match &a.left {
            AssignTarget::Simple(SimpleAssignTarget::Ident(i)) if self.names.contains(&*i.id.sym) => {
                self.uses_of(&i.id.sym).evicts = true;
            }
            AssignTarget::Simple(SimpleAssignTarget::Member(m)) => {
                if let Some(name) = self.cache_name(&m.obj) {
                    if let MemberProp::Computed(k) = &m.prop {
                        if self.depth > 0 && !literal_key(&k.expr) {
                            self.uses_of(name).sets.push(a.span);
                        }
                    }
                    a.right.visit_with(self);
                    return;
                }
            }
            _ => {}
        }
        a.visit_children_with(self);
    }
}

/// The `require('m')`/`import('m')` call an initializer starts from, with the export it names
/// when it reads one straight off the module (`require('m').Strategy`); a call of it or of
/// anything read from it is made from the whole module (`require('multer')()`).
fn required_root(e: &Expr) -> Option<(&CallExpr, Option<String>)> {
    match unwrap(e) {
        Expr::Await(a) => required_root(&a.arg),
        Expr::Call(c) if require_of(c).is_some() => Some((c, None)),
        Expr::Call(c) => match &c.callee {
            Callee::Expr(callee) => required_root(callee).map(|(c, _)| (c, None)),
            _ => None,
        },
        Expr::Member(m) => match unwrap(&m.obj) {
            Expr::Call(c) if require_of(c).is_some() => Some((c, prop_name(&m.prop))),
            obj => required_root(obj).map(|(c, _)| (c, None)),
        },
        _ => None,
    }
}

/// The name a destructured property is bound to (`b: c` → `c`, `b: c = 1` → `c`).
fn unwrap_pat(p: &Pat) -> Option<String> {
    match p {
        Pat::Ident(i) => Some(i.id.sym.to_string()),
        Pat::Assign(a) => unwrap_pat(&a.left),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::SourceFile;

    fn facts(files: &[(&str, &str)]) -> (Vec<Parsed>, AppFacts) {
        let parsed: Vec<Parsed> = files.iter().map(|(p, t)| parse(&SourceFile::new(*p, *t))).collect();
        for p in &parsed {
            assert!(p.error.is_none(), "{}: {:?}", p.path, p.error);
        }
        let facts = build(&parsed);
        (parsed, facts)
    }

    #[test]
    fn imports_with_what_they_bind() {
        let esm = "import express, { json as j } from 'express';\nimport * as ns from 'ns';\nimport type { T } from 'types';\nexport { x } from './x';\nexport * from './all';\nimport fs = require('fs');\nconst lazy = await import('lazy');\n";
        let cjs = "const session = require('express-session');\nconst upload = require('multer')();\nconst limiter = require('express-rate-limit')({ max: 5 }).handler;\nconst { a, b: c, d = 1 } = require('pkg');\nconst Strategy = require('passport-local').Strategy;\nrequire('dotenv').config();\nfunction f() { return require('late'); }\n";
        let (_, f) = facts(&[("a.ts", esm), ("b.js", cjs)]);
        let show = |file: usize| -> Vec<String> {
            f.imports[file].iter().map(|i| format!("{:?} {} {:?}", i.form, i.module, i.bound)).collect()
        };
        assert_eq!(
            show(0),
            [
                "Import express [(\"express\", None), (\"j\", Some(\"json\"))]",
                "Import ns [(\"ns\", None)]",
                "Import types [(\"T\", Some(\"T\"))]",
                "ReExport ./x []",
                "ReExport ./all []",
                "Require fs [(\"fs\", None)]",
                "Dynamic lazy [(\"lazy\", None)]",
            ]
        );
        assert_eq!(
            show(1),
            [
                "Require express-session [(\"session\", None)]",
                "Require multer [(\"upload\", None)]",
                "Require express-rate-limit [(\"limiter\", None)]",
                "Require pkg [(\"a\", Some(\"a\")), (\"c\", Some(\"b\")), (\"d\", Some(\"d\"))]",
                "Require passport-local [(\"Strategy\", Some(\"Strategy\"))]",
                "Require dotenv []",
                "Require late []",
            ]
        );
        assert!(f.is_esm(0) && !f.is_esm(1));
        assert!(f.imports_any(|m| m == "late") && !f.imports_any(|m| m == "koa-compress"));
    }

    #[test]
    fn registrations_in_order_with_paths_and_modules() {
        let app = "const express = require('express');\nconst session = require('express-session');\nconst app = express();\napp.use(express.json());\napp.use(session({ secret: 's' }), require('cookie-parser')());\napp.use('/api', limiter, api);\napp.use(['/a', '/b'], x);\nrouter.use(y);\nfastify.register(require('@fastify/compress'), { threshold: 1024 });\nfastify.register(routes, { prefix: '/v1' });\n";
        let nest = "import { APP_GUARD } from '@nestjs/core';\nimport { ThrottlerGuard } from '@nestjs/throttler';\n@Module({ providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }] })\nexport class AppModule {}\nasync function main() { const app = await NestFactory.create(AppModule); app.useGlobalGuards(new AuthGuard()); }\n";
        let (parsed, f) = facts(&[("app.js", app), ("main.ts", nest)]);
        let show: Vec<String> = f
            .registrations
            .iter()
            .map(|r| {
                let args: Vec<String> = r
                    .args
                    .iter()
                    .map(|a| format!("{}<{}>", parsed[r.file].snippet(a.span), a.module.as_deref().unwrap_or("?")))
                    .collect();
                format!(
                    "{}.{} {:?}{} {}",
                    r.receiver.as_deref().unwrap_or("-"),
                    r.method,
                    r.path,
                    if r.path_list { " list" } else { "" },
                    args.join(" ")
                )
            })
            .collect();
        assert_eq!(
            show,
            [
                "app.use None express.json()<express>",
                "app.use None session({ secret: 's' })<express-session> require('cookie-parser')()<cookie-parser>",
                "app.use Some(\"/api\") '/api'<?> limiter<?> api<?>",
                "app.use None list ['/a', '/b']<?> x<?>",
                "router.use None y<?>",
                "fastify.register None require('@fastify/compress')<@fastify/compress> { threshold: 1024 }<?>",
                "fastify.register Some(\"/v1\") routes<?> { prefix: '/v1' }<?>",
                "-.APP_GUARD None ThrottlerGuard<@nestjs/throttler>",
                "app.useGlobalGuards None new AuthGuard()<?>",
            ]
        );
        assert_eq!(f.registered_on(0, "app").count(), 4);
    }

    #[test]
    fn caches_with_uses_across_importing_files() {
        let cache = "export const cache = new Map();\nexport const memo = {};\nexport const config = new Map([['a', 1]]);\nconst seeded = new Map();\nseeded.set(key, 1);\nfunction local() { const inner = new Map(); inner.set(k, 1); }\n";
        let user = "import { cache, memo } from './cache';\nexport function get(k) { if (cache.has(k)) return cache.get(k); const v = load(k); cache.set(k, v); memo[k] = v; memo.fixed = 1; return memo[k]; }\n";
        let unrelated = "function sweep(memo) { delete memo[oldest]; }\nconst cache = 1;\n";
        let (_, f) = facts(&[("cache.js", cache), ("user.js", user), ("other.js", unrelated)]);
        let show: Vec<String> = f
            .caches
            .iter()
            .map(|c| {
                format!(
                    "{} map={} sets={:?} reads={} evicted={}",
                    c.name,
                    c.is_map,
                    c.sets.iter().map(|s| s.0).collect::<Vec<_>>(),
                    c.reads,
                    c.evicted
                )
            })
            .collect();
        assert_eq!(
            show,
            [
                // Filled at module level only: no write inside a function. (Plain statements
                // come before exported declarations.)
                "seeded map=true sets=[] reads=false evicted=false",
                // `cache` in other.js is another variable: it neither imports nor evicts it.
                "cache map=true sets=[1] reads=true evicted=false",
                // `delete memo[…]` anywhere: an exported cache may be evicted through another module.
                "memo map=false sets=[1] reads=true evicted=true",
            ]
        );
    }
}
