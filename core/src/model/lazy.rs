//! The ORMs' own lazy loading: a method of a fetched row that runs a query of its own.
//!
//! - Sequelize's association accessors, generated per association: `user.getPosts()`,
//!   `user.countPosts()`, `post.getAuthor()`, `user.setRoles(…)`, `addRole`, `createPost`,
//!   `removeRole`, `hasRole` — `get|count|set|add|remove|create|has` + a capitalised name, on a
//!   row that came from a Sequelize query (`const user = await User.findByPk(id)`) or an item
//!   of an iteration over one (`for (const u of users)`, `users.map((u) => …)`);
//!   sequelize-typescript's `row.$get('posts')`, `$count`, `$set`, `$add`, `$remove`,
//!   `$create`, `$has`, on any row. A custom instance method with the same shape
//!   (`getFullName()`) is not an association: when the program declares associations
//!   (`User.hasMany(Post, { as: 'posts' })`, `@HasMany(() => Post) posts`), the accessor's
//!   name must be one of them (checked by `link`, which sees every file).
//! - Mongoose `doc.populate('author')` on a fetched document (not the query's own
//!   `.populate()`, which is eager loading).
//! - Objection `row.$relatedQuery('pets')` (a query builder that runs when awaited).
//! - Bookshelf `model.load('rel')` and `model.related('rel').fetch()` on a fetched row.
//! - TypeORM lazy relations: `await user.posts` on a row of a TypeORM query, where an entity
//!   declares `posts` with a relation decorator and a `Promise<…>` type.

use super::access::{CallKind, Library, Query, Segment};
use super::Collector;
use swc_common::Spanned;
use crate::syntax::{key_name, unwrap};
use swc_ecma_ast::*;

/// Sequelize's accessor prefixes; the ones after `get`/`count`/`has` write.
const SEQUELIZE_PREFIXES: &[&str] = &["get", "count", "has", "set", "add", "remove", "create"];
const SEQUELIZE_TS: &[&str] = &["$get", "$count", "$has", "$set", "$add", "$remove", "$create"];
const ASSOCIATIONS: &[&str] = &["hasMany", "hasOne", "belongsTo", "belongsToMany"];
const ASSOCIATION_DECORATORS: &[&str] = &["HasMany", "HasOne", "BelongsTo", "BelongsToMany"];
const TYPEORM_RELATIONS: &[&str] = &["OneToMany", "ManyToOne", "ManyToMany", "OneToOne"];

/// An association the program declares.
#[derive(Clone, Debug, PartialEq)]
pub struct Association {
    /// The name in [`association_key`] form (`post` for `getPosts`).
    pub key: String,
    /// The alias exactly as declared (`as: 'posts'`, the decorated property `posts`), which
    /// `include: [{ association }]` and the eager-loaded property use; `None` when the
    /// association is named by its target model only.
    pub alias: Option<String>,
}

/// `Posts` → `post`, `categories` → `category`: the form association names are compared in.
pub(crate) fn association_key(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = lower.strip_suffix("ses") {
        format!("{stem}s")
    } else if let Some(stem) = lower.strip_suffix('s').filter(|s| !s.ends_with('s')) {
        stem.to_string()
    } else {
        lower
    }
}

/// A Sequelize accessor's prefix and association: `getPosts` → (`get`, `Posts`).
pub(crate) fn sequelize_accessor(method: &str) -> Option<(&'static str, &str)> {
    SEQUELIZE_PREFIXES.iter().find_map(|p| {
        let rest = method.strip_prefix(p)?;
        (rest.starts_with(|c: char| c.is_ascii_uppercase()) && rest.chars().all(|c| c.is_ascii_alphanumeric()))
            .then_some((*p, rest))
    })
}

fn lazy_query(library: Library, operation: &str, model: Option<String>, receiver: &str, write: bool) -> CallKind {
    CallKind::Query(Query {
        library,
        operation: operation.to_string(),
        model,
        receiver: receiver.to_string(),
        write,
        batched: false,
        eager: false,
        sql: None,
        lazy: true,
    })
}

impl Collector<'_> {
    /// The library of the query whose rows `name` holds: bound to a read query's result, or
    /// the item of an open iteration over such a result (a loop's binding, a per-item
    /// callback's parameter).
    fn row_library(&self, name: &str) -> Option<Library> {
        if let Some(lib) = self.facts.rows.get(name) {
            return Some(*lib);
        }
        self.iterations.iter().rev().find_map(|&it| {
            let iteration = &self.facts.iterations[it];
            if !iteration.item_names.iter().any(|n| n == name) {
                return None;
            }
            let collection = iteration.collection.as_deref()?;
            let root = collection.split(['.', ' ', '?', '!']).next().unwrap_or("");
            self.facts.rows.get(root).copied()
        })
    }

    /// Notes the rows a read query's result is bound to (`const users = await User.findAll()`).
    pub(super) fn note_rows(&mut self, before: usize, name: &Option<String>) {
        let Some(name) = name else { return };
        let lib = self.facts.calls[before..].iter().rev().find_map(|c| match &c.kind {
            CallKind::Query(q) if c.result_name.as_ref() == Some(name) && !q.write => Some(q.library),
            _ => None,
        });
        match lib {
            Some(lib) => {
                self.facts.rows.insert(name.clone(), lib);
            }
            None => {
                self.facts.rows.remove(name);
            }
        }
    }

    /// A call that lazy-loads through a fetched row, or `None`.
    pub(super) fn lazy_load(&self, segs: &[Segment], call: &CallExpr) -> Option<CallKind> {
        let [recv, method, rest @ ..] = segs else { return None };
        if recv.called || !method.called || recv.name == "this" {
            return None;
        }
        let name = method.name.as_str();
        let _ = call;
        // sequelize-typescript: `row.$get('posts')`.
        if SEQUELIZE_TS.contains(&name) && rest.is_empty() {
            let rel = method.first_string.clone()?;
            let write = !["$get", "$count", "$has"].contains(&name);
            return Some(lazy_query(Library::Sequelize, name, Some(rel), &recv.name, write));
        }
        // Objection: `row.$relatedQuery('pets')…`.
        if name == "$relatedQuery" {
            let writes = ["insert", "patch", "update", "delete", "relate", "unrelate", "insertGraph", "upsertGraph"];
            let write = rest.iter().any(|s| s.called && writes.contains(&s.name.as_str()));
            return Some(lazy_query(Library::Objection, name, method.first_string.clone(), &recv.name, write));
        }
        let lib = self.row_library(&recv.name)?;
        match (lib, name) {
            (Library::Sequelize | Library::Orm, _) if rest.is_empty() => {
                let (prefix, assoc) = sequelize_accessor(name)?;
                let write = !["get", "count", "has"].contains(&prefix);
                Some(lazy_query(Library::Sequelize, name, Some(assoc.to_string()), &recv.name, write))
            }
            (Library::Mongoose | Library::Orm, "populate") => {
                Some(lazy_query(Library::Mongoose, name, method.first_string.clone(), &recv.name, false))
            }
            (Library::Bookshelf, "load") if rest.is_empty() => {
                Some(lazy_query(Library::Bookshelf, name, method.first_string.clone(), &recv.name, false))
            }
            (Library::Bookshelf, "related") if rest.iter().any(|s| s.called && s.name == "fetch") => {
                Some(lazy_query(Library::Bookshelf, "related", method.first_string.clone(), &recv.name, false))
            }
            _ => None,
        }
    }

    /// `User.hasMany(Post, { as: 'posts' })`, `Post.belongsTo(User)`: the association's name
    /// (its alias, or the target model's name) in [`association_key`] form.
    pub(super) fn note_association_call(&mut self, call: &CallExpr) {
        let Callee::Expr(callee) = &call.callee else { return };
        let Expr::Member(m) = unwrap(callee) else { return };
        let Some(method) = crate::syntax::prop_name(&m.prop) else { return };
        if !ASSOCIATIONS.contains(&method.as_str()) {
            return;
        }
        let alias = call.args.get(1).and_then(|a| match unwrap(&a.expr) {
            Expr::Object(o) => crate::syntax::object_value(o, "as").and_then(|v| match unwrap(v) {
                Expr::Lit(Lit::Str(s)) => Some(s.value.to_string_lossy().into_owned()),
                Expr::Object(names) => crate::syntax::object_string(names, "plural")
                    .or_else(|| crate::syntax::object_string(names, "singular")),
                _ => None,
            }),
            _ => None,
        });
        let target = call.args.first().and_then(|a| match unwrap(&a.expr) {
            Expr::Ident(i) => Some(i.sym.to_string()),
            Expr::Member(m) => crate::syntax::prop_name(&m.prop),
            _ => None,
        });
        if let Some(name) = alias.clone().or(target) {
            self.facts.associations.push(Association { key: association_key(&name), alias });
        }
    }

    /// `await user.posts` on a row of a TypeORM query: a lazy relation's promise, a query
    /// when the entity declares the property as one (`@OneToMany(…) posts: Promise<Post[]>`,
    /// checked by `link` against every file's entities).
    pub(super) fn note_lazy_property(&mut self, await_expr: &AwaitExpr) {
        let Expr::Member(m) = unwrap(&await_expr.arg) else { return };
        let (Expr::Ident(obj), Some(prop)) = (unwrap(&m.obj), crate::syntax::prop_name(&m.prop)) else { return };
        if self.row_library(&obj.sym) != Some(Library::TypeOrm) {
            return;
        }
        let span = unwrap(&await_expr.arg).span();
        let mentions = if self.iterations.is_empty() { Vec::new() } else { vec![obj.sym.to_string()] };
        self.facts.calls.push(super::CallSite {
            file: self.file,
            span,
            function: self.function,
            iterations: self.iterations.clone(),
            awaited: true,
            kind: lazy_query(Library::TypeOrm, &prop, Some(prop.clone()), &obj.sym, false),
            result_name: None,
            mentions,
            target: None,
            callees: Vec::new(),
            data_access: false,
        });
    }

    /// sequelize-typescript: `@HasMany(() => Post) posts: Post[]` — the property is the
    /// association; TypeORM: `@OneToMany(() => Post, …) posts: Promise<Post[]>` is a lazy relation.
    pub(super) fn note_association_props(&mut self, class: &Class) {
        for member in &class.body {
            let ClassMember::ClassProp(p) = member else { continue };
            let typeorm_relation = p.decorators.iter().any(|d| {
                let callee = match unwrap(&d.expr) {
                    Expr::Call(c) => match &c.callee {
                        Callee::Expr(e) => e,
                        _ => return false,
                    },
                    _ => return false,
                };
                matches!(unwrap(callee), Expr::Ident(i) if TYPEORM_RELATIONS.contains(&&*i.sym))
            });
            let promised = p.type_ann.as_ref().is_some_and(|t| {
                matches!(&*t.type_ann, TsType::TsTypeRef(r) if matches!(&r.type_name, TsEntityName::Ident(i) if &*i.sym == "Promise"))
            });
            if let (true, true, Some(name)) = (typeorm_relation, promised, key_name(&p.key)) {
                self.facts.lazy_relations.push(name);
            }
            let decorated = p.decorators.iter().any(|d| {
                let callee = match unwrap(&d.expr) {
                    Expr::Call(c) => match &c.callee {
                        Callee::Expr(e) => e,
                        _ => return false,
                    },
                    other => return matches!(other, Expr::Ident(i) if ASSOCIATION_DECORATORS.contains(&&*i.sym)),
                };
                matches!(unwrap(callee), Expr::Ident(i) if ASSOCIATION_DECORATORS.contains(&&*i.sym))
            });
            if let (true, Some(name)) = (decorated, key_name(&p.key)) {
                self.facts.associations.push(Association { key: association_key(&name), alias: Some(name) });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{CallKind, Program};
    use crate::parse::parse;
    use crate::SourceFile;

    fn lazy(files: &[(&str, &str)]) -> Vec<String> {
        let parsed: Vec<_> = files.iter().map(|(p, t)| parse(&SourceFile::new(*p, *t))).collect();
        let program = Program::build(&parsed);
        program
            .calls
            .iter()
            .filter_map(|c| match &c.kind {
                CallKind::Query(q) if q.lazy => Some(parsed[c.file].snippet(c.span).to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn sequelize_accessors_on_fetched_rows() {
        let src = "async function f(id) {\n  const users = await User.findAll();\n  await Promise.all(users.map((u) => u.getPosts()));\n  for (const u of users) { await u.countPosts(); u.getFullName; }\n  const post = await Post.findByPk(id);\n  await post.getAuthor();\n  await notARow.getPosts();\n  await post.$get('comments');\n}\n";
        assert_eq!(lazy(&[("a.js", src)]), ["u.getPosts()", "u.countPosts()", "post.getAuthor()", "post.$get('comments')"]);
    }

    #[test]
    fn declared_associations_tell_accessors_from_custom_methods() {
        let models = "User.hasMany(Post, { as: 'posts' });\nPost.belongsTo(User, { as: 'author' });\n";
        let src = "async function f() {\n  const users = await User.findAll();\n  for (const u of users) { await u.getPosts(); await u.getDisplayName(); }\n}\n";
        assert_eq!(lazy(&[("models.js", models), ("a.js", src)]), ["u.getPosts()"]);
    }

    #[test]
    fn typeorm_lazy_relations_are_awaited_promises() {
        let entity = "@Entity()\nexport class User {\n  @OneToMany(() => Post, (p) => p.author)\n  posts: Promise<Post[]>;\n  @Column()\n  name: string;\n}\n";
        let src = "async function f(repo) {\n  const users = await this.userRepository.find();\n  for (const u of users) { await u.posts; await u.name; }\n}\n";
        assert_eq!(lazy(&[("user.entity.ts", entity), ("a.ts", src)]), ["u.posts"]);
        assert!(lazy(&[("a.ts", src)]).is_empty(), "no entity declares a lazy `posts`");
    }

    #[test]
    fn populate_related_query_and_load_on_rows() {
        let src = "async function f() {\n  const docs = await Article.find({}).exec();\n  for (const d of docs) { await d.populate('author'); }\n  const people = await Person.query();\n  for (const p of people) { await p.$relatedQuery('pets'); }\n}\n";
        assert_eq!(lazy(&[("a.js", src)]), ["d.populate('author')", "p.$relatedQuery('pets')"]);
    }
}
