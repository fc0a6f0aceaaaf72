//! Value facts: what each name in a file holds, and how big it can get.
//!
//! Computed once per program by [`values`] after linking (the algorithm rules read them through
//! `Program::values`): a per-file table from a name to its [`Kind`] — a string, a small constant
//! array, a `Set`/`Map`, a number, the fields of one stored value, a list filled a constant
//! number of times — from its declarations, its parameters' arguments at every call the model
//! resolves, and the loops that fill it.
//!
//! Approximations, in the model's spirit: bindings are tracked per file by name (a name bound
//! to two different kinds is unknown); a parameter takes the kind its arguments share only when
//! the model resolves at least one call to the function and no file passes a value of its name
//! (`rows.forEach(format)`, `then(lib.format)`: a callback's callers are not calls the model sees).

use super::{FunctionId, Iteration, Program};
use crate::parse::Parsed;
use crate::syntax::{prop_name, str_lit, unwrap};
use std::collections::{HashMap, HashSet};
use swc_common::{BytePos, Span};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

/// Methods whose first argument runs once per element (the model's list).
pub(crate) const ITERATION_METHODS: &[&str] = &[
    "map",
    "forEach",
    "filter",
    "reduce",
    "reduceRight",
    "some",
    "every",
    "find",
    "findIndex",
    "findLast",
    "findLastIndex",
    "flatMap",
];

/// String methods whose result is a string.
const STRING_RESULTS: &[&str] = &[
    "toLowerCase",
    "toUpperCase",
    "toLocaleLowerCase",
    "toLocaleUpperCase",
    "trim",
    "trimStart",
    "trimEnd",
    "padStart",
    "padEnd",
    "replace",
    "replaceAll",
    "substring",
    "substr",
    "normalize",
    "join",
    "toString",
    "repeat",
    "charAt",
    "stringify",
    "toISOString",
    "toFixed",
];

/// Methods whose result is an array.
const ARRAY_RESULTS: &[&str] =
    &["map", "filter", "slice", "concat", "split", "flat", "flatMap", "sort", "toSorted", "keys", "values", "entries"];

/// What a name or expression holds, as far as one file tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Str,
    /// An array literal of constants (`['a', 'b']`), directly or through a name nothing
    /// reassigns or grows.
    SmallConst,
    /// A small literal array bound to a name (`const`, `let`, `var`): `SmallConst` unless it is
    /// reassigned or mutated anywhere in the file (resolved before the bindings are used).
    LetSmallConst,
    Array,
    /// The fields of one stored value: a delimited string (`user.roles.split(',')`,
    /// `bet.numbers.split(/;/)`) or a JSON column (`JSON.parse(station.config)`), optionally
    /// mapped, filtered or copied: as many as that one value holds, a handful in practice.
    Parts,
    /// A handful of entries: a list that starts empty and is filled a bounded number of
    /// times (every `push` runs outside any loop or in loops over a constant count or a
    /// handful of items, in the function that declares it: `for (let i = 0; i <= 3; i++)
    /// days.push(…)`), or NestJS decorator metadata (`reflector.getAllAndOverride(ROLES_KEY, …)`,
    /// what `@Roles('admin')` was written with).
    Few,
    SetOrMap,
    Number(i64),
    Unknown,
}

#[derive(Clone, Debug)]
pub(crate) struct Binding {
    pub kind: Kind,
    /// Initialised with a fresh object or array literal (`let acc = {}`): safe to mutate.
    pub fresh: bool,
}

/// Names reassigned (`x = …`, `x += …`) or grown/shrunk in place (`x.push(…)`, `x[i] = …`).
#[derive(Default)]
struct Mutated(std::collections::HashSet<String>);

impl Visit for Mutated {
    fn visit_assign_expr(&mut self, a: &AssignExpr) {
        match &a.left {
            AssignTarget::Simple(SimpleAssignTarget::Ident(i)) => {
                self.0.insert(i.id.sym.to_string());
            }
            AssignTarget::Simple(SimpleAssignTarget::Member(m)) => {
                if let Expr::Ident(i) = unwrap(&m.obj) {
                    self.0.insert(i.sym.to_string());
                }
            }
            _ => {}
        }
        a.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, c: &CallExpr) {
        if let Callee::Expr(callee) = &c.callee {
            if let Expr::Member(m) = unwrap(callee) {
                let grows = crate::syntax::prop_name(&m.prop).is_some_and(|p| {
                    matches!(p.as_str(), "push" | "unshift" | "splice" | "pop" | "shift" | "fill" | "copyWithin")
                });
                if let (true, Expr::Ident(i)) = (grows, unwrap(&m.obj)) {
                    self.0.insert(i.sym.to_string());
                }
            }
        }
        c.visit_children_with(self);
    }
}

/// The per-file table of bindings.
#[derive(Default)]
pub(crate) struct Bindings {
    names: HashMap<String, Binding>,
    /// Kinds of parameters known from every call's argument, by the parameter's position.
    params: HashMap<BytePos, Kind>,
    /// How many times each name is declared.
    declared: HashMap<String, usize>,
    /// Each name's kind per function that declares it (its span; the whole file at module
    /// level), consulted first for the facts of size: a name that holds a handful where the
    /// reference stands does, whatever the same name holds in other functions.
    scoped: HashMap<String, Vec<(u32, u32, Kind)>>,
    /// The functions around the node being visited, innermost last.
    scopes: Vec<(u32, u32)>,
    /// Names declared with an array literal of non-constant elements (`const pair = [a, b]`):
    /// a handful unless something reassigns or grows them (resolved in [`Bindings::of`]).
    literal_lists: HashSet<String>,
    /// Names of fixed key sets: TypeScript enums and objects declared as literals that nothing
    /// writes a key of (`const COLUMNS = { … }`): `Object.keys/values/entries` of them is a
    /// handful.
    fixed_objects: HashSet<String>,
}

/// A handful at most: constant, the fields of one value, filled a bounded number of times, a
/// constant count.
pub(crate) fn is_few(kind: Kind) -> bool {
    matches!(kind, Kind::SmallConst | Kind::Parts | Kind::Few | Kind::Number(_))
}

impl Bindings {
    /// The bindings of one file, given the kinds of parameters known from their calls.
    fn of(program: &swc_ecma_ast::Program, params: HashMap<BytePos, Kind>) -> Bindings {
        let mut b = Bindings { params, ..Bindings::default() };
        program.visit_with(&mut b);
        // `let excluded = [TYPE.A, TYPE.B]` that nothing reassigns or grows is constant
        // (chaunnt/TemplateNodeJS_HapiAndMySQL's WalletRecordManager); a `const` list pushed to
        // is not.
        if b.names.values().any(|x| x.kind == Kind::LetSmallConst) || !b.fixed_objects.is_empty() {
            let mut m = Mutated::default();
            program.visit_with(&mut m);
            // A literal of constants nothing changes is constant; one of other values (`[a, b]`)
            // holds as many as it was written with: a handful.
            let settle = |name: &String, literals: &HashSet<String>| match (m.0.contains(name), literals.contains(name)) {
                (true, _) => Kind::Array,
                (false, true) => Kind::Few,
                (false, false) => Kind::SmallConst,
            };
            for (name, binding) in b.names.iter_mut() {
                if binding.kind == Kind::LetSmallConst {
                    binding.kind = settle(name, &b.literal_lists);
                }
            }
            for (name, entries) in b.scoped.iter_mut() {
                for entry in entries.iter_mut().filter(|e| e.2 == Kind::LetSmallConst) {
                    entry.2 = settle(name, &b.literal_lists);
                }
            }
            b.fixed_objects.retain(|name| !m.0.contains(name));
        }
        // Lists filled a bounded number of times (the loops' bounds need the kinds above).
        let mut fills = Fills {
            bindings: &b,
            loops: Vec::new(),
            function: 0,
            declared_in: HashMap::new(),
            unbounded: HashSet::new(),
        };
        program.visit_with(&mut fills);
        let Fills { declared_in, unbounded, .. } = fills;
        for (name, _) in declared_in {
            if !unbounded.contains(&name) && b.declared.get(&name) == Some(&1) {
                b.resolve(&name, Kind::Few);
            }
        }
        b
    }

    fn bind(&mut self, name: &str, kind: Kind, fresh: bool) {
        self.bind_in_scope(name, kind);
        *self.declared.entry(name.to_string()).or_default() += 1;
        match self.names.get_mut(name) {
            Some(existing) => {
                if existing.kind != kind {
                    existing.kind = Kind::Unknown;
                }
                existing.fresh &= fresh;
            }
            None => {
                self.names.insert(name.to_string(), Binding { kind, fresh });
            }
        }
    }

    /// Records `name`'s kind in the current function (merged with its other declarations there).
    fn bind_in_scope(&mut self, name: &str, kind: Kind) {
        let (lo, hi) = self.scopes.last().copied().unwrap_or((0, u32::MAX));
        let entries = self.scoped.entry(name.to_string()).or_default();
        match entries.iter_mut().find(|(l, h, _)| (*l, *h) == (lo, hi)) {
            Some(entry) if entry.2 != kind => entry.2 = Kind::Unknown,
            Some(_) => {}
            None => entries.push((lo, hi, kind)),
        }
    }

    fn in_scope(&mut self, span: Span, f: impl FnOnce(&mut Self)) {
        self.scopes.push((span.lo.0, span.hi.0));
        f(self);
        self.scopes.pop();
    }

    /// Sets the kind of `name` everywhere it is declared.
    fn resolve(&mut self, name: &str, kind: Kind) {
        if let Some(binding) = self.names.get_mut(name) {
            binding.kind = kind;
        }
        for entry in self.scoped.get_mut(name).into_iter().flatten() {
            entry.2 = kind;
        }
    }

    pub fn get(&self, name: &str) -> Option<&Binding> {
        self.names.get(name)
    }

    /// The kind of the name `ident` where it stands: the innermost declaring function's, when
    /// that says it holds a handful ([`is_few`]); otherwise the file-wide kind of the name.
    fn ident_kind(&self, ident: &Ident) -> Kind {
        self.kind_at(&ident.sym, ident.span.lo.0)
    }

    /// The kind of `name` at byte position `at` (see [`Bindings::ident_kind`]).
    pub fn kind_at(&self, name: &str, at: u32) -> Kind {
        let scoped = self.scoped.get(name).and_then(|entries| {
            entries.iter().filter(|(lo, hi, _)| *lo <= at && at < *hi).min_by_key(|(lo, hi, _)| hi - lo)
        });
        match scoped {
            Some((_, _, kind)) if is_few(*kind) => *kind,
            _ => match self.get(name) {
                Some(b) => b.kind,
                // `LIVE_SUBSCRIPTION_STATUSES`, imported from a constants module or a global:
                // a constant by the language's naming convention, a handful.
                None if screaming_case(name) => Kind::Few,
                None => Kind::Unknown,
            },
        }
    }

    /// `Object.keys/values/entries(x)` of a fixed key set: an enum, a constant object, the
    /// fields of one record (`rows[0]`).
    fn fixed_keys(&self, expr: &Expr) -> bool {
        match unwrap_const(expr) {
            Expr::Ident(i) => self.fixed_objects.contains(&*i.sym) || (self.get(&i.sym).is_none() && screaming_case(&i.sym)),
            Expr::Member(m) => matches!(&m.prop, MemberProp::Computed(c) if matches!(unwrap(&c.expr), Expr::Lit(Lit::Num(_)))),
            Expr::Object(o) => o.props.iter().all(|p| matches!(p, PropOrSpread::Prop(_))),
            _ => false,
        }
    }

    /// `Object.keys(x)` where `x` is one record, not a dictionary of many: the keys of one
    /// object (`Object.keys(req.body)`, `Object.entries(filters)`, `Object.keys(this.data)`) are
    /// its fields, a handful, unless its name says it indexes many (`usersById`, `cache`,
    /// `lookupTable`, `allRows`).
    fn one_record(&self, expr: &Expr) -> bool {
        const DICTIONARY: &[&str] =
            &["by", "map", "maps", "cache", "index", "dict", "lookup", "registry", "store", "all", "table", "hash", "counts", "totals", "groups", "grouped"];
        let name = match unwrap_const(expr) {
            Expr::Ident(i) => i.sym.to_string(),
            Expr::Member(m) => match prop_name(&m.prop) {
                Some(p) if matches!(m.prop, MemberProp::Ident(_)) => p,
                _ => return false,
            },
            _ => return false,
        };
        if matches!(self.kind(expr), Kind::SetOrMap | Kind::Array) {
            return false;
        }
        !words(&name).iter().any(|w| DICTIONARY.contains(&w.as_str()))
    }

    /// What `expr` holds.
    pub fn kind(&self, expr: &Expr) -> Kind {
        match unwrap_const(expr) {
            Expr::Lit(Lit::Str(_)) | Expr::Tpl(_) => Kind::Str,
            Expr::Lit(Lit::Num(n)) if n.value.fract() == 0.0 => Kind::Number(n.value as i64),
            Expr::Array(a) => {
                if !a.elems.is_empty()
                    && a.elems.iter().all(|e| e.as_ref().is_some_and(|e| e.spread.is_none() && is_constant(&e.expr)))
                {
                    Kind::SmallConst
                } else if !a.elems.is_empty()
                    && a.elems.len() <= FEW_LITERAL
                    && a.elems.iter().all(|e| e.as_ref().is_some_and(|e| e.spread.is_none()))
                {
                    // `[user.id, other.id]`: as many as written.
                    Kind::Few
                } else if !a.elems.is_empty()
                    && a.elems.len() <= FEW_LITERAL
                    && a.elems.iter().all(|e| {
                        e.as_ref().is_some_and(|e| {
                            if e.spread.is_some() {
                                is_few(self.kind(&e.expr))
                            } else {
                                is_constant(&e.expr)
                            }
                        })
                    })
                    && a.elems.len() > 1
                {
                    // `['referrer', ...SESSION_COLUMNS]`: constants and copies of a handful.
                    Kind::Few
                } else if let [Some(ExprOrSpread { spread: Some(_), expr })] = a.elems.as_slice() {
                    // `[...betNumbers]`: a copy holds as many as the original.
                    match self.kind(expr) {
                        k @ (Kind::Parts | Kind::Few) => k,
                        Kind::SmallConst => Kind::Few,
                        _ => Kind::Array,
                    }
                } else {
                    Kind::Array
                }
            }
            Expr::New(n) => match unwrap(&n.callee) {
                Expr::Ident(i) if matches!(&*i.sym, "Set" | "Map" | "WeakSet" | "WeakMap") => Kind::SetOrMap,
                Expr::Ident(i) if &*i.sym == "Array" => Kind::Array,
                _ => Kind::Unknown,
            },
            Expr::Call(c) => match &c.callee {
                Callee::Expr(callee) => match unwrap(callee) {
                    Expr::Ident(i) if &*i.sym == "String" => Kind::Str,
                    Expr::Member(m) => {
                        let method = prop_name(&m.prop).unwrap_or_default();
                        let on = match unwrap(&m.obj) {
                            Expr::Ident(i) => Some(i.sym.to_string()),
                            _ => None,
                        };
                        match (on.as_deref(), method.as_str()) {
                            (Some("Object"), "freeze") => c.args.first().map_or(Kind::Unknown, |a| self.kind(&a.expr)),
                            (Some("Object"), "keys" | "values" | "entries")
                                if c.args.first().is_some_and(|a| self.fixed_keys(&a.expr) || self.one_record(&a.expr)) =>
                            {
                                Kind::Few
                            }
                            (Some("Object"), "keys" | "values" | "entries") => Kind::Array,
                            (Some("Array"), "from" | "of") => Kind::Array,
                            (Some("JSON"), "stringify") => Kind::Str,
                            (Some("JSON"), "parse") if c.args.first().is_some_and(|a| stored_value(&a.expr)) => {
                                Kind::Parts
                            }
                            // NestJS metadata (`this.reflector.getAllAndOverride(ROLES_KEY, …)`): the
                            // arguments a decorator was written with (`@Roles('admin')`).
                            (_, "get" | "getAll" | "getAllAndOverride" | "getAllAndMerge") if reflector(&m.obj) => {
                                Kind::Few
                            }
                            (_, m) if STRING_RESULTS.contains(&m) && m != "stringify" => Kind::Str,
                            (_, "split") if c.args.first().is_some_and(|a| field_separator(&a.expr)) => Kind::Parts,
                            (_, method) if ARRAY_RESULTS.contains(&method) => {
                                // The receiver's kind, once (chains are long: `a.map(…).map(…)…`).
                                let on = if matches!(method, "map" | "filter" | "slice" | "concat") {
                                    self.kind(&m.obj)
                                } else {
                                    Kind::Unknown
                                };
                                match (method, on) {
                                    ("map" | "filter" | "slice", k @ (Kind::Parts | Kind::Few)) => k,
                                    // `s.slice(1)` on a string is a string.
                                    ("slice" | "concat", Kind::Str) => Kind::Str,
                                    _ => Kind::Array,
                                }
                            }
                            _ => Kind::Unknown,
                        }
                    }
                    _ => Kind::Unknown,
                },
                _ => Kind::Unknown,
            },
            Expr::Ident(i) => self.ident_kind(i),
            Expr::Member(m) => match prop_name(&m.prop).as_deref() {
                Some("url" | "originalUrl" | "path" | "hostname" | "method" | "ip") => Kind::Str,
                // `config.github.organizations`: configuration is written by hand, a handful.
                _ if configuration(expr) => Kind::Few,
                _ => Kind::Unknown,
            },
            _ => Kind::Unknown,
        }
    }
}

/// The longest array literal of non-constant elements counted as a handful (`[a, b, c]`).
const FEW_LITERAL: usize = 16;

/// `MAX_ROWS`, `LIVE_STATUSES`: upper case, digits and underscores, at least one letter and
/// two characters.
pub(crate) fn screaming_case(name: &str) -> bool {
    name.len() > 1
        && name.chars().any(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The lower-case words of a camelCase or snake_case name: `usersById` → `users`, `by`, `id`.
fn words(name: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for c in name.chars() {
        if c == '_' || c == '$' {
            out.push(String::new());
        } else if c.is_uppercase() && !out.last().is_some_and(|w| w.is_empty()) {
            out.push(c.to_ascii_lowercase().to_string());
        } else {
            out.last_mut().unwrap().push(c.to_ascii_lowercase());
        }
    }
    out.retain(|w| !w.is_empty());
    out
}

/// A member chain off the application's configuration: `config.x.y`, `settings.x`,
/// `this.config.x`, `process.env.X` (not the configuration object itself).
fn configuration(expr: &Expr) -> bool {
    let mut cur = unwrap(expr);
    let mut depth = 0;
    while let Expr::Member(m) = cur {
        if depth > 0 {
            if let Some(p) = prop_name(&m.prop) {
                if matches!(p.as_str(), "config" | "settings" | "env") {
                    return true;
                }
            }
        }
        cur = unwrap(&m.obj);
        depth += 1;
    }
    depth > 0 && matches!(cur, Expr::Ident(i) if matches!(&*i.sym, "config" | "conf" | "settings" | "appConfig" | "env"))
}

/// A separator of fields within one value (`','`, `', '`, `';'`, `'|'`, or a regular expression
/// of those: `/;/`, `/,\s*/`, `/[,;]/`) — not of lines or words, which split whole texts of any
/// length.
fn field_separator(sep: &Expr) -> bool {
    match unwrap(sep) {
        Expr::Lit(Lit::Str(s)) => matches!(s.value.as_str(), Some("," | ", " | ";" | "|")),
        Expr::Lit(Lit::Regex(r)) => {
            let mut rest = r.exp.to_string();
            for optional_space in ["\\s*", "\\s?", "\\s+", " *", " ?", "\\|", "[", "]"] {
                rest = rest.replace(optional_space, if optional_space == "\\|" { "|" } else { "" });
            }
            !rest.is_empty() && rest.chars().all(|c| matches!(c, ',' | ';' | '|'))
        }
        _ => false,
    }
}

/// NestJS's `Reflector`, injected under its conventional name: `this.reflector`, `reflector`.
fn reflector(receiver: &Expr) -> bool {
    let name = match unwrap(receiver) {
        Expr::Ident(i) => i.sym.to_string(),
        Expr::Member(m) => prop_name(&m.prop).unwrap_or_default(),
        _ => return false,
    };
    name.eq_ignore_ascii_case("reflector")
}

/// One stored value: a field read off one named record (`station.bookingConfig`, optionally
/// `|| '[]'`), not a request or response body, which holds whatever the client sent.
fn stored_value(expr: &Expr) -> bool {
    const BODIES: &[&str] = &["body", "payload", "data", "text", "raw", "rawBody", "content", "responseText", "query"];
    const MESSAGES: &[&str] = &["req", "request", "res", "response", "ctx", "event", "message", "msg", "reply"];
    match unwrap(expr) {
        Expr::Bin(b) if matches!(b.op, BinaryOp::LogicalOr | BinaryOp::NullishCoalescing) => {
            stored_value(&b.left) && matches!(unwrap(&b.right), Expr::Lit(Lit::Str(_)))
        }
        Expr::Member(m) => {
            matches!(unwrap(&m.obj), Expr::Ident(i) if !MESSAGES.contains(&&*i.sym))
                && prop_name(&m.prop).is_some_and(|p| !BODIES.contains(&p.as_str()))
        }
        _ => false,
    }
}

/// Strips what `unwrap` strips plus `as const`.
fn unwrap_const(expr: &Expr) -> &Expr {
    match unwrap(expr) {
        Expr::TsConstAssertion(a) => unwrap_const(&a.expr),
        e => e,
    }
}

/// A literal constant: string, number, boolean, null, `-1`, a template without
/// substitutions, a member of an upper-case constants object.
pub(crate) fn is_constant(expr: &Expr) -> bool {
    match unwrap(expr) {
        Expr::Lit(Lit::Str(_) | Lit::Num(_) | Lit::Bool(_) | Lit::Null(_) | Lit::BigInt(_)) => true,
        Expr::Unary(u) if u.op == UnaryOp::Minus => is_constant(&u.arg),
        // An enum-like constant: `WALLET_RECORD_TYPE.PLAY_GAME_MISSION`.
        Expr::Member(m) => {
            matches!(unwrap(&m.obj), Expr::Ident(i) if i.sym.len() > 1
                && i.sym.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
                && matches!(m.prop, MemberProp::Ident(_))
        }
        e => str_lit(e).is_some(),
    }
}

fn type_kind(t: &TsType) -> Kind {
    match t {
        TsType::TsKeywordType(k) if k.kind == TsKeywordTypeKind::TsStringKeyword => Kind::Str,
        TsType::TsArrayType(_) => Kind::Array,
        TsType::TsTypeOperator(o) => type_kind(&o.type_ann),
        TsType::TsTypeRef(r) => match &r.type_name {
            TsEntityName::Ident(i) if matches!(&*i.sym, "Array" | "ReadonlyArray") => Kind::Array,
            TsEntityName::Ident(i) if matches!(&*i.sym, "Set" | "Map" | "ReadonlySet" | "ReadonlyMap") => {
                Kind::SetOrMap
            }
            _ => Kind::Unknown,
        },
        _ => Kind::Unknown,
    }
}

impl Visit for Bindings {
    fn visit_var_decl(&mut self, d: &VarDecl) {
        for decl in &d.decls {
            if let Pat::Ident(id) = &decl.name {
                let annotated = id.type_ann.as_ref().map(|t| type_kind(&t.type_ann)).unwrap_or(Kind::Unknown);
                let init_kind = decl.init.as_deref().map(|e| self.kind(e)).unwrap_or(Kind::Unknown);
                let mut kind = if annotated != Kind::Unknown { annotated } else { init_kind };
                // A literal array is constant only if nothing changes it (checked after the
                // walk, see `Bindings::of`): `let` reassigned, or any list grown in place.
                if kind == Kind::SmallConst {
                    kind = Kind::LetSmallConst;
                }
                let literal = decl.init.as_deref().map(unwrap_const);
                if kind == Kind::Few && matches!(literal, Some(Expr::Array(_))) {
                    kind = Kind::LetSmallConst;
                    self.literal_lists.insert(id.id.sym.to_string());
                }
                if d.kind == VarDeclKind::Const && matches!(literal, Some(Expr::Object(o)) if o.props.iter().all(|p| matches!(p, PropOrSpread::Prop(_)))) {
                    self.fixed_objects.insert(id.id.sym.to_string());
                }
                let fresh = decl.init.as_deref().is_some_and(|e| matches!(unwrap(e), Expr::Object(_) | Expr::Array(_)));
                self.bind(&id.id.sym, kind, fresh);
            }
        }
        d.visit_children_with(self);
    }

    fn visit_param(&mut self, p: &Param) {
        if let Pat::Ident(id) = &p.pat {
            let kind = id.type_ann.as_ref().map(|t| type_kind(&t.type_ann)).unwrap_or(Kind::Unknown);
            self.bind(&id.id.sym, kind, false);
            // What every call passes holds in this function only.
            if let Some(fact) = self.params.get(&id.id.span.lo).copied() {
                if let Some(entry) = self.scoped.get_mut(&*id.id.sym).and_then(|e| e.last_mut()) {
                    entry.2 = fact;
                }
            }
        }
        p.visit_children_with(self);
    }

    fn visit_function(&mut self, f: &Function) {
        self.in_scope(f.span, |b| f.visit_children_with(b));
    }

    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        self.in_scope(a.span, |b| {
            // An arrow's parameters are bound only when their calls tell their kind, and only
            // in the arrow.
            for p in &a.params {
                if let Pat::Ident(id) = p {
                    if let Some(kind) = b.params.get(&id.id.span.lo).copied() {
                        b.bind_in_scope(&id.id.sym, kind);
                    }
                }
            }
            a.visit_children_with(b)
        });
    }

    fn visit_ts_enum_decl(&mut self, e: &TsEnumDecl) {
        self.fixed_objects.insert(e.id.sym.to_string());
        e.visit_children_with(self);
    }

    fn visit_ts_param_prop(&mut self, p: &TsParamProp) {
        p.visit_children_with(self);
    }

    fn visit_for_of_stmt(&mut self, s: &ForOfStmt) {
        // `for (const line of text.split('\n'))`: the items are strings.
        if let Expr::Call(c) = unwrap(&s.right) {
            if let Callee::Expr(e) = &c.callee {
                if let Expr::Member(m) = unwrap(e) {
                    if prop_name(&m.prop).as_deref() == Some("split") {
                        if let ForHead::VarDecl(v) = &s.left {
                            for d in &v.decls {
                                if let Pat::Ident(id) = &d.name {
                                    self.bind(&id.id.sym, Kind::Str, false);
                                }
                            }
                        }
                    }
                }
            }
        }
        s.visit_children_with(self);
    }
}

/// Finds the lists filled a bounded number of times: declared `[]` and grown only by single
/// `push`/`unshift` calls, in the declaring function, outside loops or in loops over a handful.
struct Fills<'b> {
    bindings: &'b Bindings,
    /// Enclosing loops and per-item callbacks of the current function: does each run a handful
    /// of times?
    loops: Vec<bool>,
    /// The current function (its start), 0 at module level.
    function: u32,
    /// `[]`-initialised names: the function declaring them and how many loops of it enclose
    /// the declaration (a list declared per item is filled per item).
    declared_in: HashMap<String, (u32, usize)>,
    /// Names grown in a way that is not bounded.
    unbounded: HashSet<String>,
}

impl Fills<'_> {
    fn in_function(&mut self, span: Span, per_item: Option<bool>, f: impl FnOnce(&mut Self)) {
        match per_item {
            Some(few) => {
                self.loops.push(few);
                f(self);
                self.loops.pop();
            }
            None => {
                let loops = std::mem::take(&mut self.loops);
                let function = std::mem::replace(&mut self.function, span.lo.0);
                f(self);
                self.loops = loops;
                self.function = function;
            }
        }
    }

    fn in_loop(&mut self, few: bool, body: &Stmt) {
        self.loops.push(few);
        body.visit_with(self);
        self.loops.pop();
    }

    /// A loop bound that runs a handful of times: a constant count or a handful of items.
    fn few(&self, collection: &Expr) -> bool {
        is_few(self.bindings.kind(collection))
    }
}

impl Visit for Fills<'_> {
    fn visit_var_declarator(&mut self, d: &VarDeclarator) {
        if let (Pat::Ident(id), Some(init)) = (&d.name, d.init.as_deref()) {
            if matches!(unwrap(init), Expr::Array(a) if a.elems.is_empty()) {
                self.declared_in.insert(id.id.sym.to_string(), (self.function, self.loops.len()));
            }
        }
        d.visit_children_with(self);
    }

    fn visit_assign_expr(&mut self, a: &AssignExpr) {
        match &a.left {
            AssignTarget::Simple(SimpleAssignTarget::Ident(i)) => {
                self.unbounded.insert(i.id.sym.to_string());
            }
            AssignTarget::Simple(SimpleAssignTarget::Member(m)) => {
                if let Expr::Ident(i) = unwrap(&m.obj) {
                    self.unbounded.insert(i.sym.to_string());
                }
            }
            _ => {}
        }
        a.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, c: &CallExpr) {
        let mut per_item = None;
        if let Callee::Expr(callee) = &c.callee {
            if let Expr::Member(m) = unwrap(callee) {
                let method = prop_name(&m.prop).unwrap_or_default();
                if let Expr::Ident(i) = unwrap(&m.obj) {
                    let bounded = match method.as_str() {
                        "push" | "unshift" => {
                            c.args.iter().all(|a| a.spread.is_none())
                                && self.declared_in.get(&*i.sym).is_some_and(|&(function, depth)| {
                                    function == self.function
                                        && self.loops.get(depth..).is_some_and(|inner| inner.iter().all(|few| *few))
                                })
                        }
                        "splice" | "fill" | "copyWithin" => false,
                        _ => true,
                    };
                    if !bounded {
                        self.unbounded.insert(i.sym.to_string());
                    }
                }
                if ITERATION_METHODS.contains(&method.as_str()) {
                    if let Some(callback) = c.args.first().map(|a| unwrap(&a.expr)) {
                        if matches!(callback, Expr::Arrow(_) | Expr::Fn(_)) {
                            per_item = Some(self.few(&m.obj));
                        }
                    }
                }
            }
        }
        // A list handed to a function may be filled there (`Promise.all(list)`, `JSON.stringify(list)`
        // and `console.log(list)` only read it).
        let reads_only = matches!(&c.callee, Callee::Expr(e) if matches!(unwrap(e), Expr::Member(m)
            if matches!(unwrap(&m.obj), Expr::Ident(o) if matches!(&*o.sym, "Promise" | "JSON" | "console"))));
        if !reads_only {
            for a in &c.args {
                if let Expr::Ident(i) = unwrap(&a.expr) {
                    self.unbounded.insert(i.sym.to_string());
                }
            }
        }
        c.callee.visit_with(self);
        for (i, a) in c.args.iter().enumerate() {
            match (per_item, i, unwrap(&a.expr)) {
                (Some(few), 0, Expr::Arrow(f)) => self.in_function(f.span, Some(few), |v| f.visit_children_with(v)),
                (Some(few), 0, Expr::Fn(f)) => {
                    self.in_function(f.function.span, Some(few), |v| f.function.visit_children_with(v))
                }
                _ => a.visit_with(self),
            }
        }
    }

    fn visit_function(&mut self, f: &Function) {
        self.in_function(f.span, None, |v| f.visit_children_with(v));
    }

    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        self.in_function(a.span, None, |v| a.visit_children_with(v));
    }

    fn visit_for_stmt(&mut self, s: &ForStmt) {
        s.init.visit_with(self);
        s.test.visit_with(self);
        s.update.visit_with(self);
        // `i < 3`, `i <= days`, `i < parts.length`.
        let few = s.test.as_deref().is_some_and(|t| match unwrap(t) {
            Expr::Bin(b) if matches!(b.op, BinaryOp::Lt | BinaryOp::LtEq) => match unwrap(&b.right) {
                Expr::Member(m) if prop_name(&m.prop).as_deref() == Some("length") => self.few(&m.obj),
                bound => matches!(self.bindings.kind(bound), Kind::Number(_)),
            },
            _ => false,
        });
        self.in_loop(few, &s.body);
    }

    fn visit_for_of_stmt(&mut self, s: &ForOfStmt) {
        s.right.visit_with(self);
        let few = !s.is_await && self.few(&s.right);
        self.in_loop(few, &s.body);
    }

    fn visit_for_in_stmt(&mut self, s: &ForInStmt) {
        s.right.visit_with(self);
        self.in_loop(false, &s.body);
    }

    fn visit_while_stmt(&mut self, s: &WhileStmt) {
        s.test.visit_with(self);
        self.in_loop(false, &s.body);
    }

    fn visit_do_while_stmt(&mut self, s: &DoWhileStmt) {
        self.in_loop(false, &s.body);
        s.test.visit_with(self);
    }
}

/// Whether `iteration` walks a constant list written in the code: an array literal of constants,
/// inline (`for (const c of ['a', 'b'])`) or through a name bound to one that nothing reassigns
/// or grows (`const cityArr = ['北京', '上海']; cityArr.forEach(…)`, bailicangdu/node-elm). A
/// handful of items, whatever the request: the rules that count work per item leave it alone.
pub(crate) fn constant_list(program: &Program, iteration: &Iteration) -> bool {
    let Some(collection) = iteration.collection.as_deref().map(str::trim) else { return false };
    if collection.starts_with('[') {
        return true;
    }
    let name = !collection.is_empty()
        && !collection.starts_with(|c: char| c.is_ascii_digit())
        && collection.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$');
    name && program
        .values
        .get(iteration.file)
        .is_some_and(|b| b.kind_at(collection, iteration.span.lo.0) == Kind::SmallConst)
}

/// Every file's bindings, with the kinds its functions' parameters take from their calls.
///
/// A parameter takes a kind when every call the model resolves to its function passes, at its
/// position, a value of a handful ([`is_few`]): all constant counts (the largest), all the same
/// kind, or a mix of small lists (a handful). Arguments are read with the calling file's
/// bindings, so a fact flows through a chain of helpers; three rounds reach a fixed point for
/// chains of that depth.
pub(crate) fn values(program: &Program) -> Vec<Bindings> {
    let asts: Vec<Option<&swc_ecma_ast::Program>> = program.files.iter().map(|f| f.program.as_ref()).collect();
    let mut by_callee: HashMap<FunctionId, Vec<usize>> = HashMap::new();
    for (i, c) in program.calls.iter().enumerate() {
        for &f in &c.callees {
            by_callee.entry(f).or_default().push(i);
        }
    }
    let mut wanted: Vec<HashSet<(u32, u32)>> = vec![HashSet::new(); program.files.len()];
    for c in program.calls.iter().filter(|c| !c.callees.is_empty()) {
        wanted[c.file].insert((c.span.lo.0, c.span.hi.0));
    }
    let shapes: Vec<Shapes> = program.files.iter().zip(wanted).map(|(f, w)| Shapes::of(f, w)).collect();
    let passed: HashSet<&str> = shapes.iter().flat_map(|s| s.passed.iter().map(String::as_str)).collect();
    let mut params: Vec<HashMap<BytePos, Kind>> = vec![HashMap::new(); program.files.len()];
    let mut bindings: Vec<Bindings> = Vec::new();
    for _round in 0..3 {
        bindings = asts
            .iter()
            .zip(&params)
            .map(|(ast, params)| ast.map(|a| Bindings::of(a, params.clone())).unwrap_or_default())
            .collect();
        let mut next: Vec<HashMap<BytePos, Kind>> = vec![HashMap::new(); program.files.len()];
        for (&f, calls) in &by_callee {
            let function = &program.functions[f];
            if function.per_item.is_some() {
                continue;
            }
            let shape = &shapes[function.file];
            let Some(positions) = shape.params.get(&(function.span.lo.0, function.span.hi.0)) else { continue };
            let short = function.name.as_deref().map(|n| n.rsplit('.').next().unwrap_or(n));
            if short.is_some_and(|n| passed.contains(n)) {
                continue;
            }
            for (index, position) in positions.iter().enumerate() {
                let Some(position) = position else { continue };
                let mut kinds = calls.iter().map(|&c| {
                    let call = &program.calls[c];
                    shapes[call.file]
                        .args
                        .get(&(call.span.lo.0, call.span.hi.0))
                        .and_then(|args| args.get(index))
                        .and_then(|arg| arg.as_ref())
                        .map_or(Kind::Unknown, |arg| bindings[call.file].kind(arg))
                });
                let first = kinds.next().unwrap_or(Kind::Unknown);
                let joined = kinds.try_fold(first, join);
                if let Some(kind) = joined.filter(|k| is_few(*k)) {
                    next[function.file].insert(*position, kind);
                }
            }
        }
        if next == params {
            break;
        }
        params = next;
    }
    bindings
}

/// Two arguments' kinds as one parameter's: `None` when they do not make a handful together.
fn join(a: Kind, b: Kind) -> Option<Kind> {
    match (a, b) {
        (Kind::Number(x), Kind::Number(y)) => Some(Kind::Number(x.max(y))),
        (Kind::Number(_), _) | (_, Kind::Number(_)) => None,
        (a, b) if a == b && is_few(a) => Some(a),
        (a, b) if is_few(a) && is_few(b) => Some(Kind::Few),
        _ => None,
    }
}

/// Where one file's functions take their parameters and what its calls pass.
#[derive(Default)]
struct Shapes {
    /// A function's span → the start of each positional parameter bound to one name.
    params: HashMap<(u32, u32), Vec<Option<BytePos>>>,
    /// The spans of the calls whose arguments are wanted (calls to user functions).
    wanted: HashSet<(u32, u32)>,
    /// A wanted call's span → its positional arguments, up to a spread.
    args: HashMap<(u32, u32), Vec<Option<Expr>>>,
    /// Names passed as a value (an argument or an array element, `format` or `lib.format`):
    /// such a function's callers are not all calls the model sees.
    passed: HashSet<String>,
}

impl Shapes {
    /// Records the name of a function value: `format`, `lib.format`, `this.format`.
    fn pass(&mut self, value: &Expr) {
        match unwrap(value) {
            Expr::Ident(i) => {
                self.passed.insert(i.sym.to_string());
            }
            Expr::Member(m) => {
                if let MemberProp::Ident(p) = &m.prop {
                    self.passed.insert(p.sym.to_string());
                }
            }
            _ => {}
        }
    }

    fn of(parsed: &Parsed, wanted: HashSet<(u32, u32)>) -> Shapes {
        let mut s = Shapes { wanted, ..Shapes::default() };
        if let Some(p) = &parsed.program {
            p.visit_with(&mut s);
        }
        s
    }
}

fn param_position(p: &Pat) -> Option<BytePos> {
    match p {
        Pat::Ident(id) => Some(id.id.span.lo),
        _ => None,
    }
}

impl Visit for Shapes {
    fn visit_function(&mut self, f: &Function) {
        self.params.insert((f.span.lo.0, f.span.hi.0), f.params.iter().map(|p| param_position(&p.pat)).collect());
        f.visit_children_with(self);
    }

    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        self.params.insert((a.span.lo.0, a.span.hi.0), a.params.iter().map(param_position).collect());
        a.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, c: &CallExpr) {
        for a in &c.args {
            self.pass(&a.expr);
        }
        let span = (c.span.lo.0, c.span.hi.0);
        if self.wanted.contains(&span) {
            let args = c.args.iter().take_while(|a| a.spread.is_none()).map(|a| Some((*a.expr).clone())).collect();
            self.args.insert(span, args);
        }
        c.visit_children_with(self);
    }

    fn visit_array_lit(&mut self, a: &ArrayLit) {
        for e in a.elems.iter().flatten() {
            self.pass(&e.expr);
        }
        a.visit_children_with(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::SourceFile;

    /// The kind of each name at its last reference in the file (`name` as a whole word).
    fn kinds_at_last_use(files: &[(&str, &str)], file: usize, names: &[&str]) -> Vec<Kind> {
        let parsed: Vec<Parsed> = files.iter().map(|(p, t)| parse(&SourceFile::new(*p, *t))).collect();
        let program = Program::build(&parsed);
        struct Last<'n>(&'n str, Option<Ident>);
        impl Visit for Last<'_> {
            fn visit_ident(&mut self, i: &Ident) {
                if &*i.sym == self.0 {
                    self.1 = Some(i.clone());
                }
            }
        }
        names
            .iter()
            .map(|name| {
                let mut last = Last(name, None);
                parsed[file].program.as_ref().unwrap().visit_with(&mut last);
                program.values[file].kind(&Expr::Ident(last.1.expect(name)))
            })
            .collect()
    }

    #[test]
    fn fields_of_one_value_flow_into_the_helpers_every_call_passes_them_to() {
        let src = "function hits(picked, drawn) {\n  const copy = [...picked];\n  const ends = drawn.map((d) => d.slice(-2));\n  return copy.length + ends.length + picked.length;\n}\nfunction settle(ticket, round) {\n  const picked = ticket.numbers.split(/;/);\n  return hits(picked, JSON.parse(round.result || '[]'));\n}\nfunction other(picked) {\n  const x = [1, 2];\n  return picked;\n}\nother(load());\n";
        assert_eq!(
            kinds_at_last_use(&[("a.js", src)], 0, &["copy", "ends", "drawn"]),
            [Kind::Parts, Kind::Parts, Kind::Parts]
        );
        // `other`'s `picked` comes from an unknown call: the name means nothing file-wide.
        let other = "function other(picked) {\n  return picked;\n}\nother(load());\n";
        assert_eq!(kinds_at_last_use(&[("a.js", other)], 0, &["picked"]), [Kind::Unknown]);
    }

    #[test]
    fn a_parameter_takes_its_arguments_kind_across_files_only_when_every_call_agrees() {
        let lib =
            "async function allowed(required, roleId) {\n  return required.length;\n}\nmodule.exports = { allowed };\n";
        let routes = "const Access = require('./lib');\nAccess.allowed(['A', 'B'], 1);\nAccess.allowed(['C'], 2);\n";
        assert_eq!(kinds_at_last_use(&[("lib.js", lib), ("routes.js", routes)], 0, &["required"]), [Kind::SmallConst]);
        let mixed = format!("{routes}Access.allowed(rows, 3);\n");
        assert_eq!(kinds_at_last_use(&[("lib.js", lib), ("routes.js", &mixed)], 0, &["required"]), [Kind::Unknown]);
        // Passed as a callback, here or in another file: its callers are not all seen.
        let passed = lib.replace("module.exports", "items.forEach(allowed);\nmodule.exports");
        assert_eq!(kinds_at_last_use(&[("lib.js", &passed), ("routes.js", routes)], 0, &["required"]), [Kind::Unknown]);
        let elsewhere = format!("{routes}rows.forEach(Access.allowed);\n");
        assert_eq!(kinds_at_last_use(&[("lib.js", lib), ("routes.js", &elsewhere)], 0, &["required"]), [Kind::Unknown]);
    }

    #[test]
    fn a_list_filled_a_constant_number_of_times_is_a_handful() {
        let src = "function f(days, rows) {\n  const window = [];\n  for (let i = 0; i <= days; i++) window.push(i);\n  const ids = [];\n  for (const r of rows) ids.push(r.id);\n  const pair = [];\n  pair.push(1);\n  pair.push(2);\n  const spread = [];\n  spread.push(...rows);\n  return [window, ids, pair, spread];\n}\nf(3, load());\nf(1, load());\n";
        assert_eq!(
            kinds_at_last_use(&[("a.js", src)], 0, &["days", "window", "ids", "pair", "spread"]),
            [Kind::Number(3), Kind::Few, Kind::Array, Kind::Few, Kind::Array]
        );
    }

    #[test]
    fn long_method_chains_are_read_once_per_link() {
        // Each link reads its receiver's kind once: 2^60 reads would never finish.
        let chain = |link: &str| format!("const list = value.split(','){};\nlist;\n", link.repeat(60));
        assert_eq!(kinds_at_last_use(&[("a.js", &chain(".map((x) => x)"))], 0, &["list"]), [Kind::Parts]);
        assert_eq!(kinds_at_last_use(&[("a.js", &chain(".slice(0)"))], 0, &["list"]), [Kind::Parts]);
        let strings = "const s = 'abc'".to_string() + &".slice(1)".repeat(60) + ";\ns;\n";
        assert_eq!(kinds_at_last_use(&[("a.js", &strings)], 0, &["s"]), [Kind::Str]);
    }

    #[test]
    fn decorator_metadata_is_a_handful() {
        let src = "class G {\n  canActivate(context) {\n    const required = this.reflector.getAllAndOverride(ROLES_KEY, [context.getHandler()]);\n    const cached = this.cache.get(ROLES_KEY);\n    return [required, cached];\n  }\n}\n";
        assert_eq!(kinds_at_last_use(&[("a.ts", src)], 0, &["required", "cached"]), [Kind::Few, Kind::Unknown]);
    }

    #[test]
    fn field_separators_and_stored_values() {
        let split = |sep: &str| format!("const parts = value.split({sep});\nparts;\n");
        for sep in ["','", "/;/", "/,\\s*/", "/[,;]/", "/\\|/"] {
            assert_eq!(kinds_at_last_use(&[("a.js", &split(sep))], 0, &["parts"]), [Kind::Parts], "{sep}");
        }
        for sep in ["'\\n'", "/\\s+/", "' '", "/\\r?\\n/"] {
            assert_eq!(kinds_at_last_use(&[("a.js", &split(sep))], 0, &["parts"]), [Kind::Array], "{sep}");
        }
        let parse = |arg: &str| format!("const list = JSON.parse({arg});\nlist;\n");
        assert_eq!(kinds_at_last_use(&[("a.js", &parse("station.config || '[]'"))], 0, &["list"]), [Kind::Parts]);
        for arg in ["req.body", "response.data", "message.content", "text"] {
            assert_eq!(kinds_at_last_use(&[("a.js", &parse(arg))], 0, &["list"]), [Kind::Unknown], "{arg}");
        }
    }
}
