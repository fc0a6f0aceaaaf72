//! `quadratic-lookup`: a linear search over an array inside an iteration over another
//! collection. Docs: [`META`].

use super::scan::{self, capitalize, fresh_name, lines_of, mentions, Body, Frame, Hooks, Kind, State};
use super::{Context, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::complexity;
use crate::model::CallKind;
use crate::params::Category;
use crate::parse::Parsed;
use crate::syntax::{prop_name, unwrap};
use swc_common::Spanned;
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

pub struct QuadraticLookup;

static META: RuleMeta = RuleMeta {
    id: "quadratic-lookup",
    category: Category::Algorithms,
    summary: "A linear search over an array once per item of another collection (O(n·m))",
    docs: r#"## What it finds
A linear search — `find`, `filter`, `some`, `every`, `findIndex`, `findLast`,
`findLastIndex`, `includes`, `indexOf`, `lastIndexOf` — over the same array once per item
of another collection: inside a `for`/`for…of`/`while` loop or a per-item callback
(`.map`, `.forEach`, `.filter`, …), where the search depends on the current item. Also a
nested-loop join: an inner loop over an array that matches its items against the outer item
with `===`.

## Why is this bad
Each search scans up to `m` elements, and it runs `n` times: `n · m` comparisons. For the
seed's 1,000 users enriched from 1,000 records that is a million comparisons per request,
on the event loop, blocking every other request meanwhile. Indexing the searched array
once in a `Map` (or a `Set`) costs `m` and each lookup is O(1): `n + m` in total.

## Example
```js
function enrichUsers(users, userData) {
  return users.map((user) => ({
    ...user,
    data: userData.find((d) => d.userId === user.id), // O(m) per user
  }));
}
```
Use instead — index once, look up in O(1):
```js
function enrichUsers(users, userData) {
  const userDataByUserId = new Map(userData.map((d) => [d.userId, d]));
  return users.map((user) => ({
    ...user,
    data: userDataByUserId.get(user.id),
  }));
}
```
`includes`/`indexOf` become a `Set` and `.has`; `some` a `Set` of the compared field;
`filter` a `Map` from the key to the group of matching items. If keys repeat, a `Map` built
this way keeps the last item where `find` returned the first.

## What it leaves alone
- searches on strings: string literals and templates, results of `toLowerCase`, `trim`,
  `join`, `String(…)`, names bound or typed as strings, the items of `text.split(…)`;
  `includes`/`indexOf` are flagged only on receivers known to be arrays (declared, built or
  typed as one) or named as collections (`ids`, `allowedRoles`);
- small constant arrays: an array literal of constants, directly or through a `const`; an
  array literal of any values (`[a, b].includes(x)`: as many as written) or of constants and
  spreads of constant lists (`['referrer', ...SESSION_COLUMNS]`); an upper-case constant
  imported from another module (`LIVE_SUBSCRIPTION_STATUSES`); `Object.keys/values/entries`
  of an enum, a constant object, one record (`Object.keys(rows[0])`, `Object.keys(req.query)`)
  — not of a name that says it indexes many (`usersById`, `cache`); configuration
  (`config.github.organizations`); the keys of one object (`for…in`);
- searches whose fix saves under 10 µs per request at the profile's sizes (`cost::worth`);
- lists that hold a handful, as the program model's value facts tell: the fields of one
  stored value (`user.areas.split(',')`, `bet.numbers.split(/;/)`, `JSON.parse(station.config)`,
  also mapped, filtered or copied with `[...list]`) — a permission or filter list stored in one
  column holds a few entries, while text split into lines or words, or a JSON request body, is
  searched like any array; a list that starts empty and is filled only outside loops or in
  loops over a constant count (`for (let i = 0; i <= days; i++) window.push(…)`); a parameter
  that every call the model resolves passes such a list or a constant
  (`hasPermission(['MANAGE', 'VIEW'], roleId)` at each call); NestJS decorator metadata read
  through the `Reflector` (`reflector.getAllAndOverride(ROLES_KEY, …)`: what `@Roles('admin')`
  was written with);
- it flags a search when neither side is known to be a handful; it does not wait for one side
  to be known to grow with the data: a helper whose two lists are parameters
  (`collectDates(dates, rows)`) is where real joins live, and its callers are not always in
  the analysed code;
- `Set`/`Map` lookups (`has`, `get`) and receivers bound to a `Set` or `Map`;
- searches outside any iteration, searches that do not depend on the current item (the
  same search every time: hoist it), searches over the current item's own array
  (`user.roles.includes('admin')`), and iterations over a small constant collection or a handful of items (the same facts);
- database queries named `find` (`User.find({...})`: that is `n-plus-one-query`), lodash
  (`_.find`)."#,
    model: "complexity",
};

const PREDICATE_SEARCHES: &[&str] = &["find", "filter", "some", "every", "findIndex", "findLast", "findLastIndex"];
const VALUE_SEARCHES: &[&str] = &["includes", "indexOf", "lastIndexOf"];

impl Rule for QuadraticLookup {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for file in 0..ctx.program.files.len() {
            let mut finder = Finder { ctx, file, out: Vec::new(), seen: Default::default() };
            scan::walk(ctx.program, file, &mut finder);
            out.extend(finder.out);
        }
    }
}

struct Finder<'c, 'p> {
    ctx: &'c Context<'p>,
    file: usize,
    out: Vec<Finding>,
    /// (iteration, receiver) pairs already reported.
    seen: std::collections::HashSet<(u32, String, String)>,
}

/// `this.userData` → `userData`; `ids` → `ids`.
fn base_name(text: &str) -> String {
    text.rsplit('.').next().unwrap_or(text).trim_start_matches('#').to_string()
}

/// Named as a collection: `ids`, `users`, `allowedRoles`, `userList` (not `status`, `address`).
fn plural(name: &str) -> bool {
    const SINGULAR: &[&str] = &[
        "status", "bonus", "corpus", "campus", "focus", "radius", "virus", "plus", "minus", "alias", "canvas", "news",
        "series", "species", "gas", "bus", "this", "has", "was", "yes",
    ];
    let n = name.to_ascii_lowercase();
    let last_word = name.rsplit(|c: char| c.is_uppercase() || c == '_').next().unwrap_or(name).to_ascii_lowercase();
    let last_word = if last_word.is_empty() { n.clone() } else { last_word };
    (n.ends_with('s')
        && !n.ends_with("ss")
        && !n.ends_with("sis")
        && !SINGULAR.iter().any(|w| n.ends_with(w) && (n.len() == w.len() || last_word.ends_with(w))))
        || n.ends_with("list")
        || n.ends_with("array")
}

/// A plain name or member chain: `userData`, `this.cache.users`.
fn simple_path(text: &str) -> bool {
    !text.is_empty()
        && text
            .split('.')
            .all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '#'))
}

impl Hooks for Finder<'_, '_> {
    fn call(&mut self, call: &CallExpr, state: &State) {
        if state.frames.is_empty() {
            return;
        }
        let Callee::Expr(callee) = &call.callee else { return };
        let Expr::Member(m) = unwrap(callee) else { return };
        let Some(method) = prop_name(&m.prop) else { return };
        let predicate = PREDICATE_SEARCHES.contains(&method.as_str());
        if !predicate && !VALUE_SEARCHES.contains(&method.as_str()) {
            return;
        }
        let recv = unwrap(&m.obj);
        if matches!(recv, Expr::Ident(i) if matches!(&*i.sym, "_" | "lodash" | "R")) {
            return;
        }
        let kind = state.bindings.kind(recv);
        if matches!(kind, Kind::Str | Kind::SetOrMap) || crate::model::values::is_few(kind) {
            return;
        }
        let recv_text = state.text(m.obj.span()).trim().to_string();
        if predicate {
            let Some(callback) = call.args.first().map(|a| unwrap(&a.expr)) else { return };
            // Only a search an index can answer: it compares the element (or a field of it)
            // for equality with something else. `args.some((a) => text.includes(a))` is not.
            if !matches!(callback, Expr::Arrow(_) | Expr::Fn(_)) || !indexable(callback, method == "every") {
                return;
            }
        } else if call.args.is_empty() || !(kind == Kind::Array || plural(&base_name(&recv_text))) {
            return;
        }
        let is_query = self.ctx.index.calls_in_file[self.file].iter().map(|&c| &self.ctx.program.calls[c]).any(|c| {
            c.span.lo <= call.span.lo
                && call.span.hi <= c.span.hi
                && matches!(c.kind, CallKind::Query(_))
        });
        if is_query {
            return;
        }
        // The outermost iteration the receiver does not depend on, whose items the search uses.
        let recv_names = mentions(recv);
        let arg_names: Vec<String> = call.args.iter().flat_map(|a| mentions(&*a.expr)).collect();
        let mut chosen = None;
        for i in (0..state.frames.len()).rev() {
            if state.frames[i].names.iter().any(|n| recv_names.contains(n)) {
                break;
            }
            if state.frames[i].small {
                continue;
            }
            let names = state.names_from(i);
            if arg_names.iter().any(|n| names.contains(&n.as_str())) {
                chosen = Some(i);
            }
        }
        let Some(outer) = chosen else { return };
        let frame = &state.frames[outer];
        // `items.filter((x, i) => items.indexOf(x) === i)`: deduplication by position.
        let self_search = !predicate && frame.collection.is_some_and(|c| state.text(c).trim() == recv_text);
        let Some((endpoint, others)) = scan::place(self.ctx, self.file, call.span) else { return };
        let n = self.ctx.profile.items.value.max(0.0).round();
        let ops = complexity::lookup_ops(n, n);
        let shape = format!("n·m = {} × {} vs n + m", crate::cost::fmt_num(n), crate::cost::fmt_num(n));
        let estimate = complexity::estimate(&self.ctx.profile, ops, "comparisons", &shape);
        let Some(severity) = scan::severity(self.ctx, &endpoint, ops) else { return };
        let parsed = self.ctx.program.file(self.file);
        let compare = if predicate { key_compare(parsed, call) } else { None };
        // One finding per array, key and iteration: a second search of the same array by the
        // same key (`ids.includes(a) || ids.includes(b)`) is the same fix.
        let key = compare.as_ref().map(|c| c.key.split_once('.').map(|(_, k)| k.to_string()).unwrap_or_default());
        if !self.seen.insert((
            frame.span.lo.0,
            recv_text.clone(),
            key.unwrap_or_else(|| if predicate { method.clone() } else { "value".into() }),
        )) {
            return;
        }
        let collection = state.collection_text(frame);
        let advice = if self_search {
            format!("To drop duplicates, use `[...new Set({recv_text})]`; to match against itself, index `{recv_text}` in a `Map` once.")
        } else if let Some(c) = &compare {
            if c.field.is_empty() {
                format!("Build a `Set` of `{recv_text}` once, before the iteration, and test with `.has` (O(1)).")
            } else if method == "some" || method == "every" {
                format!(
                    "Put the `{}` values in a `Set` once, before the iteration, and test with `.has` (O(1)).",
                    c.field
                )
            } else {
                format!("Index `{recv_text}` by `{}` in a `Map` once, before the iteration, and look up with `.get` (O(1)).", c.field)
            }
        } else if predicate {
            format!("Index `{recv_text}` in a `Map` keyed by the compared field once, before the iteration, and look up with `.get` (O(1)).")
        } else if method != "includes" && !compared_with_minus_one(parsed, call) {
            format!("Build a `Map` from each value of `{recv_text}` to its index once, before the iteration, and look up with `.get` (O(1)).")
        } else {
            format!("Build a `Set` of `{recv_text}` once, before the iteration, and test with `.has` (O(1)).")
        };
        let message = format!(
            "`{recv_text}.{method}(…)` scans `{recv_text}` once per item of `{collection}` ({}): n·m comparisons. {advice}{}",
            frame.describe(),
            scan::also_on(others)
        );
        let after =
            if self_search { None } else { rewrite(parsed, state, call, &method, &recv_text, frame, compare.as_ref()) };
        let before_span = frame.statement.unwrap_or(call.span);
        let before = self.ctx.lines(self.file, before_span);
        self.out.push(self.ctx.finding(
            &META,
            self.file,
            call.span,
            severity,
            endpoint,
            message,
            estimate,
            before,
            after.unwrap_or_default(),
        ));
    }

    fn frame(&mut self, body: Body, state: &State) {
        // A nested-loop join: the new (inner) iteration runs over an array that does not depend
        // on the outer ones and matches its items against an outer item with `===`.
        let Some((inner, outers)) = state.frames.split_last() else { return };
        if outers.is_empty() || inner.small || PREDICATE_SEARCHES.contains(&inner.kind.as_str()) {
            return;
        }
        let Some(collection) = inner.collection else { return };
        let outer_names: Vec<&str> = outers.iter().flat_map(|f| f.names.iter().map(String::as_str)).collect();
        let parsed = self.ctx.program.file(self.file);
        let collection_text = parsed.snippet(collection).trim().to_string();
        if !simple_path(&collection_text) || outer_names.iter().any(|n| scan::word_in(&collection_text, n)) {
            return;
        }
        // The outermost growing iteration whose item the join compares with.
        let mut join = JoinFinder { inner: &inner.names, outer: &outer_names, found: None };
        body.visit(&mut join);
        let Some((inner_side, outer_side, outer_mentions)) = join.found else { return };
        let Some(outer) = outers.iter().find(|f| !f.small && f.names.iter().any(|n| outer_mentions.contains(n))) else {
            return;
        };
        let Some((endpoint, others)) = scan::place(self.ctx, self.file, inner.head) else { return };
        let n = self.ctx.profile.items.value.max(0.0).round();
        let ops = complexity::lookup_ops(n, n);
        let shape = format!("n·m = {} × {} vs n + m", crate::cost::fmt_num(n), crate::cost::fmt_num(n));
        let estimate = complexity::estimate(&self.ctx.profile, ops, "comparisons", &shape);
        let Some(severity) = scan::severity(self.ctx, &endpoint, ops) else { return };
        let message = format!(
            "The {} over `{collection_text}` runs once per item of `{}` ({}) to match `{inner_side} === {outer_side}`: a nested-loop join, n·m comparisons. Index `{collection_text}` in a `Map` keyed by `{inner_side}` once, before the outer iteration, and look up `{outer_side}` with `.get` (O(1)).{}",
            if inner.is_loop { format!("{} loop", inner.kind) } else { format!("`.{}` callback", inner.kind) },
            state.collection_text(outer),
            outer.describe(),
            scan::also_on(others)
        );
        let before_span = outer.statement.unwrap_or(inner.span);
        let before = self.ctx.lines(self.file, before_span);
        let after = if inner.is_loop && inner.kind == "for…of" {
            join_rewrite(parsed, before_span, inner.span, &collection_text, &inner_side, &outer_side)
        } else {
            None
        };
        self.out.push(self.ctx.finding(
            &META,
            self.file,
            inner.head,
            severity,
            endpoint,
            message,
            estimate,
            before,
            after.unwrap_or_default(),
        ));
    }
}

/// The `for…of` statement at `span` (a copy: a visitor cannot lend out the node).
struct ForOfAt {
    span: swc_common::Span,
    found: Option<ForOfStmt>,
}

impl Visit for ForOfAt {
    fn visit_for_of_stmt(&mut self, f: &ForOfStmt) {
        if f.span == self.span {
            self.found = Some(f.clone());
        } else if self.found.is_none() {
            f.visit_children_with(self);
        }
    }
}

/// A nested-loop join whose inner `for…of` only filters on `inner === outer`:
/// `for (const invoice of invoices) { if (invoice.customerId === customer.id) { … } }` becomes
/// a `Map` of groups built once before the outer statement and a loop over the matching group
/// (`invoicesByCustomerId.get(customer.id) ?? []`), the `if`'s body kept as written and the
/// order of matches unchanged. `None` for any other shape (an `else`, more statements, a
/// compound condition).
fn join_rewrite(
    parsed: &Parsed,
    outer_span: swc_common::Span,
    inner_span: swc_common::Span,
    collection: &str,
    inner_side: &str,
    outer_side: &str,
) -> Option<String> {
    let program = parsed.program.as_ref()?;
    let mut at = ForOfAt { span: inner_span, found: None };
    program.visit_with(&mut at);
    let for_of = at.found?;
    let ForHead::VarDecl(decl) = &for_of.left else { return None };
    let [d] = &decl.decls[..] else { return None };
    let binding = parsed.snippet(d.name.span());
    let only = match &*for_of.body {
        Stmt::Block(b) if b.stmts.len() == 1 => &b.stmts[0],
        Stmt::Block(_) => return None,
        other => other,
    };
    let Stmt::If(if_stmt) = only else { return None };
    if if_stmt.alt.is_some() {
        return None;
    }
    let Expr::Bin(bin) = unwrap(&if_stmt.test) else { return None };
    if !matches!(bin.op, BinaryOp::EqEqEq | BinaryOp::EqEq) {
        return None;
    }
    let (l, r) = (parsed.snippet(bin.left.span()).trim(), parsed.snippet(bin.right.span()).trim());
    if !((l == inner_side && r == outer_side) || (l == outer_side && r == inner_side)) {
        return None;
    }
    let (outer_text, start) = lines_of(parsed, outer_span);
    let rel = |p: swc_common::BytePos| parsed.offset(p) as usize - start;
    let body = match &*if_stmt.cons {
        Stmt::Block(_) => outer_text[rel(if_stmt.cons.span().lo)..rel(if_stmt.cons.span().hi)].to_string(),
        other => format!("{{ {} }}", &outer_text[rel(other.span().lo)..rel(other.span().hi)]),
    };
    // The body moves up one level: out of the `if`, straight into the loop.
    let column = |p: swc_common::BytePos| parsed.position(p).1 as usize;
    let shift = column(if_stmt.span.lo).saturating_sub(column(for_of.span.lo));
    let body: String = body
        .split('\n')
        .enumerate()
        .map(|(i, line)| {
            let lead = line.len() - line.trim_start().len();
            if i == 0 || lead < shift {
                line.to_string()
            } else {
                line[shift..].to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let field =
        inner_side.strip_prefix(&format!("{binding}.")).filter(|f| f.chars().all(|c| c.is_alphanumeric() || c == '_'));
    let base = collection.rsplit('.').next().unwrap_or(collection);
    let map = fresh_name(&outer_text, &format!("{base}By{}", field.map(capitalize).unwrap_or_else(|| "Key".into())));
    // The inner loop over the one matching group; the `if` gone, its body kept.
    let mut after_outer = outer_text.clone();
    let inner_text = &outer_text[rel(for_of.span.lo)..rel(for_of.span.hi)];
    let new_inner = format!(
        "{}{map}.get({outer_side}) ?? []) {body}",
        &inner_text[..rel(for_of.right.span().lo) - rel(for_of.span.lo)]
    );
    after_outer.replace_range(rel(for_of.span.lo)..rel(for_of.span.hi), &new_inner);
    let indent: String = outer_text.chars().take_while(|c| c.is_whitespace() && *c != '\n').collect();
    Some(format!(
        "{indent}const {map} = new Map();\n{indent}for (const {binding} of {collection}) {{\n{indent}  const group = {map}.get({inner_side}) ?? [];\n{indent}  group.push({binding});\n{indent}  {map}.set({inner_side}, group);\n{indent}}}\n{after_outer}"
    ))
}

/// Finds `a === b` where one side uses only the inner item and the other only outer names.
struct JoinFinder<'n> {
    inner: &'n [String],
    outer: &'n [&'n str],
    found: Option<(String, String, Vec<String>)>,
}

impl Visit for JoinFinder<'_> {
    fn visit_bin_expr(&mut self, b: &BinExpr) {
        if self.found.is_none() && matches!(b.op, BinaryOp::EqEqEq | BinaryOp::EqEq) {
            let (l, r) = (mentions(&*b.left), mentions(&*b.right));
            let uses_inner = |m: &[String]| !m.is_empty() && m.iter().all(|n| self.inner.contains(n));
            let uses_outer = |m: &[String]| {
                m.iter().any(|n| self.outer.contains(&n.as_str())) && !m.iter().any(|n| self.inner.contains(n))
            };
            let text = |e: &Expr| {
                let mut s = String::new();
                member_text(e, &mut s).then_some(s)
            };
            if let (Some(lt), Some(rt)) = (text(&b.left), text(&b.right)) {
                if uses_inner(&l) && uses_outer(&r) {
                    self.found = Some((lt, rt, r));
                } else if uses_inner(&r) && uses_outer(&l) {
                    self.found = Some((rt, lt, l));
                }
            }
        }
        b.visit_children_with(self);
    }
}

/// `d.userId` as text, for identifiers and dotted member chains only.
fn member_text(e: &Expr, out: &mut String) -> bool {
    match unwrap(e) {
        Expr::Ident(i) => {
            out.push_str(&i.sym);
            true
        }
        Expr::Member(m) => match &m.prop {
            MemberProp::Ident(p) => {
                let ok = member_text(&m.obj, out);
                out.push('.');
                out.push_str(&p.sym);
                ok
            }
            _ => false,
        },
        _ => false,
    }
}

/// `xs.indexOf(x) !== -1` and the like: the index only answers "is it there".
fn compared_with_minus_one(parsed: &Parsed, call: &CallExpr) -> bool {
    let rest = parsed.text[parsed.offset(call.span.hi) as usize..].trim_start();
    ["!== -1", "!= -1", "> -1", ">= 0", "=== -1", "== -1", "< 0"].iter().any(|op| rest.starts_with(op))
}

/// Does the callback compare its element (or a field of it) for equality with a value that
/// does not depend on the element?
/// `every` asks for the negated form (`(d) => d.id !== x`).
fn indexable(callback: &Expr, negated: bool) -> bool {
    let params = scan::param_names(callback);
    let Some(param) = params.first() else { return false };
    struct Eq<'a> {
        param: &'a str,
        negated: bool,
        found: bool,
    }
    impl Visit for Eq<'_> {
        fn visit_bin_expr(&mut self, b: &BinExpr) {
            let op = if self.negated {
                matches!(b.op, BinaryOp::NotEqEq | BinaryOp::NotEq)
            } else {
                matches!(b.op, BinaryOp::EqEqEq | BinaryOp::EqEq)
            };
            if op {
                let keyed = |e: &Expr| {
                    let mut s = String::new();
                    member_text(e, &mut s) && (s == self.param || s.starts_with(&format!("{}.", self.param)))
                };
                let free = |e: &Expr| !mentions(e).iter().any(|n| n == self.param);
                let literal_null = |e: &Expr| {
                    matches!(unwrap(e), Expr::Lit(Lit::Null(_)))
                        || matches!(unwrap(e), Expr::Ident(i) if &*i.sym == "undefined")
                };
                if (keyed(&b.left) && free(&b.right) && !literal_null(&b.right))
                    || (keyed(&b.right) && free(&b.left) && !literal_null(&b.left))
                {
                    self.found = true;
                }
            }
            b.visit_children_with(self);
        }
    }
    let mut v = Eq { param, negated, found: false };
    callback.visit_with(&mut v);
    v.found
}

/// A predicate `(d) => d.key === value` (or `value === d.key`, `!==` for `every`).
struct KeyCompare {
    param: String,
    /// `d.userId`
    key: String,
    /// `userId`
    field: String,
    /// `user.id`, as written.
    value: String,
    equal: bool,
}

fn key_compare(parsed: &Parsed, call: &CallExpr) -> Option<KeyCompare> {
    let callback = unwrap(&call.args.first()?.expr);
    let (params, body): (Vec<&Pat>, &Expr) = match callback {
        Expr::Arrow(a) => {
            let body = match &*a.body {
                ArrowFunctionBody::Expr(e) => &**e,
                ArrowFunctionBody::FunctionBody(b) => match b.stmts.as_slice() {
                    [Stmt::Return(ReturnStmt { arg: Some(e), .. })] => e,
                    _ => return None,
                },
            };
            (a.params.iter().collect(), body)
        }
        Expr::Fn(f) => {
            let b = f.function.body.as_ref()?;
            let body = match b.stmts.as_slice() {
                [Stmt::Return(ReturnStmt { arg: Some(e), .. })] => &**e,
                _ => return None,
            };
            (f.function.params.iter().map(|p| &p.pat).collect(), body)
        }
        _ => return None,
    };
    let [Pat::Ident(param)] = params.as_slice() else { return None };
    let param = param.id.sym.to_string();
    let Expr::Bin(b) = unwrap(body) else { return None };
    let equal = match b.op {
        BinaryOp::EqEqEq | BinaryOp::EqEq => true,
        BinaryOp::NotEqEq | BinaryOp::NotEq => false,
        _ => return None,
    };
    let keyed = |e: &Expr| {
        let mut s = String::new();
        (member_text(e, &mut s) && (s == param || s.starts_with(&format!("{param}.")))).then_some(s)
    };
    let uses_param = |e: &Expr| mentions(e).contains(&param);
    let (key, value) = match (keyed(&b.left), keyed(&b.right)) {
        (Some(k), None) if !uses_param(&b.right) => (k, &b.right),
        (None, Some(k)) if !uses_param(&b.left) => (k, &b.left),
        _ => return None,
    };
    // `(id) => id === x` compares the element itself: no field.
    let field = if key == param { String::new() } else { key.rsplit('.').next()?.to_string() };
    Some(KeyCompare { param, key, field, value: parsed.snippet(value.span()).trim().to_string(), equal })
}

/// Rewrites the outer iteration's statement: the index is built once before it, the search
/// becomes a lookup. `None` when the shape is not one it can rewrite faithfully.
fn rewrite(
    parsed: &Parsed,
    _state: &State,
    call: &CallExpr,
    method: &str,
    recv: &str,
    frame: &Frame,
    compare: Option<&KeyCompare>,
) -> Option<String> {
    let statement = frame.statement?;
    if !simple_path(recv) {
        return None;
    }
    // A receiver that changes inside the iteration would make a prebuilt index stale.
    let region_text = parsed.snippet(statement);
    for mutation in [".push(", ".unshift(", ".splice(", ".pop(", ".shift(", ".length =", " =", ".sort("] {
        let needle = format!("{recv}{mutation}");
        let mutated = region_text.match_indices(&needle).any(|(i, _)| {
            let before = region_text[..i].chars().next_back();
            let after = region_text[i + needle.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '$')) && after != Some('=')
        });
        if mutated {
            return None;
        }
    }
    let file_text = parsed.text.as_str();
    let base = base_name(recv);
    let mut span_hi = call.span.hi;
    let (decl, replacement) = match (method, compare) {
        ("includes", _) => {
            let set = fresh_name(file_text, &format!("{base}Set"));
            let arg = call.args.first().filter(|a| a.spread.is_none())?;
            (
                format!("const {set} = new Set({recv});"),
                format!("{set}.has({})", parsed.snippet(arg.expr.span()).trim()),
            )
        }
        ("indexOf" | "lastIndexOf", _) => {
            let arg = call.args.first().filter(|a| a.spread.is_none())?;
            let rest = &file_text[parsed.offset(call.span.hi) as usize..];
            let trimmed = rest.trim_start();
            let skipped = rest.len() - trimmed.len();
            let (negate, len) = [
                ("!== -1", false),
                ("!= -1", false),
                ("> -1", false),
                (">= 0", false),
                ("=== -1", true),
                ("== -1", true),
                ("< 0", true),
            ]
            .iter()
            .find(|(op, _)| trimmed.starts_with(op) && !trimmed[op.len()..].starts_with(|c: char| c.is_ascii_digit()))
            .map(|(op, neg)| (*neg, skipped + op.len()))?;
            span_hi = swc_common::BytePos(call.span.hi.0 + len as u32);
            let set = fresh_name(file_text, &format!("{base}Set"));
            let not = if negate { "!" } else { "" };
            (
                format!("const {set} = new Set({recv});"),
                format!("{not}{set}.has({})", parsed.snippet(arg.expr.span()).trim()),
            )
        }
        ("find" | "findLast", Some(c)) if c.equal && !c.field.is_empty() => {
            let map = fresh_name(file_text, &format!("{base}By{}", capitalize(&c.field)));
            let p = &c.param;
            // `findLast` keeps the last match: so does a Map built in order.
            (
                format!("const {map} = new Map({recv}.map(({p}) => [{}, {p}]));", c.key),
                format!("{map}.get({})", c.value),
            )
        }
        ("findIndex", Some(c)) if c.equal && !c.field.is_empty() => {
            let map = fresh_name(file_text, &format!("{base}IndexBy{}", capitalize(&c.field)));
            let p = &c.param;
            let index = if p == "index" { "i" } else { "index" };
            (
                format!("const {map} = new Map({recv}.map(({p}, {index}) => [{}, {index}]).reverse());", c.key),
                format!("({map}.get({}) ?? -1)", c.value),
            )
        }
        ("some", Some(c)) | ("every", Some(c)) if (method == "some") == c.equal => {
            let p = &c.param;
            let not = if method == "every" { "!" } else { "" };
            if c.field.is_empty() {
                let set = fresh_name(file_text, &format!("{base}Set"));
                (format!("const {set} = new Set({recv});"), format!("{not}{set}.has({})", c.value))
            } else {
                let set = fresh_name(file_text, &format!("{base}{}s", capitalize(&c.field)));
                (
                    format!("const {set} = new Set({recv}.map(({p}) => {}));", c.key),
                    format!("{not}{set}.has({})", c.value),
                )
            }
        }
        ("filter", Some(c)) if c.equal && !c.field.is_empty() => {
            let map = fresh_name(file_text, &format!("{base}By{}", capitalize(&c.field)));
            let p = &c.param;
            (
                format!(
                    "const {map} = new Map();\nfor (const {p} of {recv}) {{\n  const group = {map}.get({key}) ?? [];\n  group.push({p});\n  {map}.set({key}, group);\n}}",
                    key = c.key
                ),
                format!("({map}.get({}) ?? [])", c.value),
            )
        }
        _ => return None,
    };
    let (lines, start) = lines_of(parsed, statement);
    let lo = parsed.offset(call.span.lo) as usize - start;
    let hi = parsed.offset(span_hi) as usize - start;
    let mut body = lines.clone();
    body.replace_range(lo..hi, &replacement);
    // Other `includes` of the same array in the statement use the same Set.
    if method == "includes" {
        if let Some(set) =
            replacement.strip_suffix(')').and_then(|r| r.split_once(".has(")).map(|(set, _)| set.to_string())
        {
            let needle = format!("{recv}.includes(");
            let mut at = 0;
            while let Some(i) = body[at..].find(&needle).map(|i| i + at) {
                let before = body[..i].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '.')) {
                    at = i + needle.len();
                    continue;
                }
                body.replace_range(i..i + needle.len(), &format!("{set}.has("));
                at = i + set.len() + 5;
            }
        }
    }
    let indent = scan::indent_at(parsed, statement.lo);
    let mut after = String::new();
    for line in decl.lines() {
        after.push_str(&indent);
        after.push_str(line);
        after.push('\n');
    }
    after.push_str(&body);
    Some(after)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_parses, findings};
    use crate::{analyze, LoadProfile, Params, SourceFile};

    const SEED_BEFORE: &str = "function enrichUsers(users, userData) {\n  return users.map(user => ({\n    ...user,\n    data: userData.find(d => d.userId === user.id) // O(n) search\n  }));\n}\n";
    const SEED_AFTER: &str = "function enrichUsers(users, userData) {\n  const dataMap = new Map(\n    userData.map(d => [d.userId, d])\n  );\n  return users.map(user => ({\n    ...user,\n    data: dataMap.get(user.id)\n  }));\n}\n";

    fn only(found: Vec<String>) -> Vec<String> {
        found.into_iter().filter(|f| f.contains("quadratic-lookup")).collect()
    }

    #[test]
    fn seed_before_is_flagged_at_the_find_and_after_is_clean() {
        assert_eq!(
            only(findings(&[("seed.js", SEED_BEFORE)], &Params::all_rules())),
            ["seed.js:4:11 quadratic-lookup [-] low"]
        );
        assert!(only(findings(&[("seed.js", SEED_AFTER)], &Params::all_rules())).is_empty());
    }

    #[test]
    fn nested_loop_join_is_rewritten_to_a_map_of_groups() {
        let src = "app.get('/orders', async (req, res) => {\n  const orders = await Order.findAll({ limit: 100 });\n  const lines = await Line.findAll({ limit: 1000 });\n  for (const order of orders) {\n    order.lines = [];\n    for (const line of lines) {\n      if (order.id == line.orderId) order.lines.push(line);\n    }\n  }\n  res.json(orders);\n});\n";
        let a = analyze(&[SourceFile::new("join.js", src)], &Params::all_rules());
        let f = a.findings.iter().find(|f| f.rule == "quadratic-lookup").expect("the join");
        assert_parses(&f.after);
        assert!(f.after.starts_with("  const linesByOrderId = new Map();\n  for (const line of lines) {\n    const group = linesByOrderId.get(line.orderId) ?? [];\n"), "{}", f.after);
        assert!(
            f.after
                .contains("    for (const line of linesByOrderId.get(order.id) ?? []) { order.lines.push(line); }\n"),
            "{}",
            f.after
        );
        // An `else`, or more than the one `if`, keeps the advice without a rewrite.
        let with_else = src.replace("order.lines.push(line);", "order.lines.push(line); else order.other = true;");
        let a = analyze(&[SourceFile::new("join.js", with_else)], &Params::all_rules());
        let f = a.findings.iter().find(|f| f.rule == "quadratic-lookup").expect("the join");
        assert_eq!(f.after, "");
    }

    #[test]
    fn rewrite_builds_the_map_once_with_the_users_names() {
        let a = analyze(&[SourceFile::new("seed.js", SEED_BEFORE)], &Params::all_rules());
        let f = a.findings.iter().find(|f| f.rule == "quadratic-lookup").unwrap();
        assert!(
            f.after.starts_with(
                "  const userDataByUserId = new Map(userData.map((d) => [d.userId, d]));\n  return users.map"
            ),
            "{}",
            f.after
        );
        assert!(f.after.contains("data: userDataByUserId.get(user.id) // O(n) search"), "{}", f.after);
        assert!(
            f.message.contains("`userData.find(…)` scans `userData` once per item of `users` (`.map` callback)"),
            "{}",
            f.message
        );
        assert_parses(&f.after);
    }

    #[test]
    fn on_a_request_path_severity_follows_the_load() {
        let src = "app.get('/u', (req, res) => {\n  const users = req.body.users;\n  const ids = req.body.ids;\n  res.json(users.filter((u) => ids.includes(u.id)));\n});\n";
        let high = Params { load_profile: LoadProfile::High, ..Params::all_rules() };
        assert_eq!(only(findings(&[("a.js", src)], &high)), ["a.js:4:32 quadratic-lookup [GET /u] high"]);
        assert_eq!(only(findings(&[("a.js", src)], &Params::all_rules())), ["a.js:4:32 quadratic-lookup [GET /u] low"]);
    }

    #[test]
    fn strings_constants_sets_and_per_item_arrays_are_left_alone() {
        let src = "const ROLES = ['admin', 'owner'];\nfunction f(users, lines, seen, text) {\n  const allowed = new Set(users.map((u) => u.id));\n  for (const u of users) {\n    ROLES.includes(u.role);\n    ['a', 'b'].includes(u.kind);\n    allowed.has(u.id);\n    u.roles.includes('admin');\n    u.name.toLowerCase().includes('x');\n    'abc'.indexOf(u.c);\n  }\n  for (const line of text.split('\\n')) line.includes('x');\n  users.find((u) => u.id === 1);\n}\n";
        assert!(only(findings(&[("a.js", src)], &Params::all_rules())).is_empty());
    }
}
