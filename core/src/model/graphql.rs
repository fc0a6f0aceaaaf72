//! GraphQL operations as endpoints, field resolvers as per-item work (after `link`).
//!
//! A GraphQL server has one HTTP route (`POST /graphql`); what a request runs is its
//! operations. Each root field is an endpoint of the model, labelled `QUERY posts`,
//! `MUTATION createPost`, `SUBSCRIPTION postAdded`, found in:
//! - NestJS (`@nestjs/graphql`) and TypeGraphQL classes decorated `@Resolver(…)`: methods
//!   decorated `@Query()`, `@Mutation()`, `@Subscription()` (the operation is the decorator's
//!   string or `{ name }`, else the method's name);
//! - resolver maps (Apollo Server, graphql-yoga, mercurius, `makeExecutableSchema`): an
//!   object literal with a `Query`, `Mutation` or `Subscription` key whose value is an object
//!   of functions (or `{ resolve }`/`{ subscribe }` objects, or names of functions of the file).
//!
//! A *field resolver* — `@ResolveField()`/`@FieldResolver()` methods of a resolver class, the
//! functions under a type's key of a resolver map (`Post: { author: (parent) => … }`) — runs
//! once per parent object in the response: it gets an iteration of its own
//! ([`IterationKind::FieldResolver`]) whose item is the parent (the `@Parent()`/`@Root()`
//! parameter, else the first) and the names the resolver declares, so a query inside is a
//! query per item (n-plus-one-query, advice: a DataLoader). A field resolver is on the request
//! path of the operations of its class or map and of every operation whose declared return type
//! (`@Query(() => [Post])`) names its parent type.

use super::{CallSite, FileId, Framework, FunctionId, Iteration, IterationKind, Program, Route};
use crate::syntax::{key_name, mentions, object_string, pat_names, str_lit, unwrap};
use std::collections::{HashMap, VecDeque};
use swc_common::Span;
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

/// An operation found in one file: kind (`QUERY`), name, the span of its declaration, the
/// handler function's span, the group (class or map) it belongs to and its return type text.
struct Operation {
    kind: &'static str,
    name: String,
    span: Span,
    handler: Span,
    group: usize,
    returns: String,
    framework: Framework,
}

/// A field resolver: parent type, field, handler span, the parent's parameter names (empty:
/// the first parameter), group.
struct Field {
    parent_type: String,
    field: String,
    handler: Span,
    parents: Vec<String>,
    group: usize,
    /// Declared with a decorator (`@ResolveField()`, code first): the schema is in the code.
    decorated: bool,
}

#[derive(Default)]
struct Finder {
    operations: Vec<Operation>,
    fields: Vec<Field>,
    groups: usize,
}

fn decorator_call(d: &Decorator) -> Option<(&str, &CallExpr)> {
    let Expr::Call(c) = unwrap(&d.expr) else { return None };
    let Callee::Expr(e) = &c.callee else { return None };
    let Expr::Ident(i) = unwrap(e) else { return None };
    Some((&*i.sym, c))
}

/// The type a `@Resolver(() => Post)`, `@Resolver(of => Post)`, `@Resolver(Post)` or
/// `@Resolver('Post')` decorator names.
fn type_name(e: &Expr) -> Option<String> {
    match unwrap(e) {
        Expr::Arrow(a) => match &*a.body {
            ArrowFunctionBody::Expr(b) => type_name(b),
            _ => None,
        },
        Expr::Array(a) => a.elems.first()?.as_ref().and_then(|e| type_name(&e.expr)),
        Expr::Ident(i) => Some(i.sym.to_string()),
        e => str_lit(e),
    }
}

/// The operation's name: `@Query('posts')`, `@Query(() => [Post], { name: 'posts' })`.
fn named(c: &CallExpr) -> Option<String> {
    c.args.iter().find_map(|a| match unwrap(&a.expr) {
        Expr::Object(o) => object_string(o, "name"),
        e => str_lit(e),
    })
}

fn is_function(e: &Expr) -> Option<Span> {
    match unwrap(e) {
        Expr::Arrow(a) => Some(a.span),
        Expr::Fn(f) => Some(f.function.span),
        _ => None,
    }
}

impl Finder {
    /// The handler of one entry of a resolver map: a function, `{ resolve }`/`{ subscribe }`,
    /// or a method.
    fn map_entry(prop: &Prop) -> Option<(String, Result<Span, String>)> {
        match prop {
            Prop::Method(m) => Some((key_name(&m.key)?, Ok(m.function.span))),
            Prop::KeyValue(kv) => {
                let name = key_name(&kv.key)?;
                if let Some(span) = is_function(&kv.value) {
                    return Some((name, Ok(span)));
                }
                match unwrap(&kv.value) {
                    Expr::Ident(i) => Some((name, Err(i.sym.to_string()))),
                    Expr::Object(o) => o.props.iter().find_map(|p| {
                        let PropOrSpread::Prop(p) = p else { return None };
                        let (key, handler) = Finder::map_entry(p)?;
                        matches!(key.as_str(), "resolve" | "subscribe").then(|| (name.clone(), handler))
                    }),
                    _ => None,
                }
            }
            Prop::Shorthand(i) => Some((i.sym.to_string(), Err(i.sym.to_string()))),
            _ => None,
        }
    }
}

/// Resolver-map entries that name a function (`Query: { posts: listPosts }`), resolved to
/// the file's function of that name later.
#[derive(Default)]
struct Named {
    operations: Vec<(usize, String)>,
    fields: Vec<(usize, String)>,
}

struct Walk {
    found: Finder,
    named: Named,
}

impl Visit for Walk {
    fn visit_class(&mut self, class: &Class) {
        class.visit_children_with(self);
        let Some(resolved) = class.decorators.iter().find_map(|d| {
            let (name, c) = decorator_call(d)?;
            (name == "Resolver").then(|| c.args.first().and_then(|a| type_name(&a.expr)).unwrap_or_default())
        }) else {
            return;
        };
        let group = self.found.groups;
        self.found.groups += 1;
        for member in &class.body {
            let ClassMember::Method(m) = member else { continue };
            let Some(method) = key_name(&m.key) else { continue };
            for d in &m.function.decorators {
                let Some((name, c)) = decorator_call(d) else { continue };
                let kind = match name {
                    "Query" => "QUERY",
                    "Mutation" => "MUTATION",
                    "Subscription" => "SUBSCRIPTION",
                    "ResolveField" | "FieldResolver" | "ResolveProperty" => {
                        // The parent: the `@Parent()`/`@Root()` parameter.
                        let mut parents = Vec::new();
                        for p in &m.function.params {
                            if p.decorators
                                .iter()
                                .any(|d| decorator_call(d).is_some_and(|(n, _)| n == "Parent" || n == "Root"))
                            {
                                pat_names(&p.pat, &mut parents);
                            }
                        }
                        let field = c
                            .args
                            .iter()
                            .find_map(|a| match unwrap(&a.expr) {
                                Expr::Object(o) => object_string(o, "name"),
                                e => str_lit(e),
                            })
                            .unwrap_or_else(|| method.clone());
                        self.found.fields.push(Field {
                            parent_type: resolved.clone(),
                            field,
                            handler: m.function.span,
                            parents,
                            group,
                            decorated: true,
                        });
                        continue;
                    }
                    _ => continue,
                };
                let returns = c.args.iter().find_map(|a| is_function(&a.expr).map(|_| a.expr.clone()));
                self.found.operations.push(Operation {
                    kind,
                    name: named(c).unwrap_or_else(|| method.clone()),
                    span: m.span,
                    handler: m.function.span,
                    group,
                    returns: returns.and_then(|r| type_name(&r)).unwrap_or_default(),
                    framework: Framework::NestJs,
                });
            }
        }
    }

    fn visit_object_lit(&mut self, o: &ObjectLit) {
        o.visit_children_with(self);
        let entries: Vec<(String, &ObjectLit)> = o
            .props
            .iter()
            .filter_map(|p| match p {
                PropOrSpread::Prop(p) => match &**p {
                    Prop::KeyValue(kv) => match unwrap(&kv.value) {
                        Expr::Object(inner) => Some((key_name(&kv.key)?, inner)),
                        _ => None,
                    },
                    _ => None,
                },
                PropOrSpread::Spread(_) => None,
            })
            .collect();
        if !entries.iter().any(|(k, _)| matches!(k.as_str(), "Query" | "Mutation" | "Subscription")) {
            return;
        }
        let group = self.found.groups;
        self.found.groups += 1;
        for (key, inner) in entries {
            let kind = match key.as_str() {
                "Query" => Some("QUERY"),
                "Mutation" => Some("MUTATION"),
                "Subscription" => Some("SUBSCRIPTION"),
                // A type's field resolvers: `Post: { author(parent) { … } }`.
                k if k.starts_with(|c: char| c.is_ascii_uppercase()) => None,
                _ => continue,
            };
            for p in &inner.props {
                let PropOrSpread::Prop(p) = p else { continue };
                let Some((name, handler)) = Finder::map_entry(p) else { continue };
                let span = match p.as_ref() {
                    Prop::Method(m) => Span::new(swc_common::Spanned::span(&m.key).lo, m.function.span.hi),
                    Prop::KeyValue(kv) => {
                        Span::new(swc_common::Spanned::span(&kv.key).lo, swc_common::Spanned::span(&*kv.value).hi)
                    }
                    Prop::Shorthand(i) => i.span,
                    _ => continue,
                };
                let handler = match handler {
                    Ok(h) => h,
                    Err(function) => {
                        // Resolved by name once the functions are known.
                        let index = match kind {
                            Some(_) => self.found.operations.len(),
                            None => self.found.fields.len(),
                        };
                        match kind {
                            Some(_) => self.named.operations.push((index, function)),
                            None => self.named.fields.push((index, function)),
                        }
                        Span::default()
                    }
                };
                match kind {
                    Some(kind) => self.found.operations.push(Operation {
                        kind,
                        name,
                        span,
                        handler,
                        group,
                        returns: String::new(),
                        framework: Framework::GraphQl,
                    }),
                    None => self.found.fields.push(Field {
                        parent_type: key.clone(),
                        field: name,
                        handler,
                        parents: vec![],
                        group,
                        decorated: false,
                    }),
                }
            }
        }
    }
}

/// The function of `file` declared at `span` (a method's or function's own span, an arrow's).
fn function_at(by_span: &HashMap<(FileId, u32, u32), FunctionId>, file: FileId, span: Span) -> Option<FunctionId> {
    by_span.get(&(file, span.lo.0, span.hi.0)).copied()
}

/// Adds GraphQL operations to `program.routes` (and their reach), and field resolvers'
/// per-parent iterations. Run after `link`.
pub(super) fn add(program: &mut Program) {
    let mut by_span: HashMap<(FileId, u32, u32), FunctionId> = HashMap::new();
    let mut by_name: HashMap<(FileId, String), FunctionId> = HashMap::new();
    for (id, f) in program.functions.iter().enumerate() {
        by_span.insert((f.file, f.span.lo.0, f.span.hi.0), id);
        if let Some(n) = &f.name {
            by_name.entry((f.file, n.clone())).or_insert(id);
        }
    }
    // (route id, group key) of every new operation; field resolvers with their group key.
    let mut operations: Vec<(usize, (FileId, usize), String)> = Vec::new();
    let mut fields: Vec<(FunctionId, (FileId, usize), String)> = Vec::new();
    // Scanned for only when a code-first field resolver asks (most programs have none).
    let files = program.files;
    let mut listed = None;
    for (file, parsed) in program.files.iter().enumerate() {
        if program.roles.get(file).is_some_and(|r| *r != super::FileRole::Source) {
            continue;
        }
        let Some(ast) = &parsed.program else { continue };
        // Cheap gate: no GraphQL shapes in the text, nothing to walk.
        let t = &parsed.text;
        if !(t.contains("Resolver") || t.contains("Query") || t.contains("Mutation") || t.contains("Subscription")) {
            continue;
        }
        let mut walk = Walk { found: Finder::default(), named: Named::default() };
        ast.visit_with(&mut walk);
        let Walk { found, named } = walk;
        let named_op: HashMap<usize, &String> = named.operations.iter().map(|(i, n)| (*i, n)).collect();
        let named_field: HashMap<usize, &String> = named.fields.iter().map(|(i, n)| (*i, n)).collect();
        for (i, op) in found.operations.into_iter().enumerate() {
            let handler = match named_op.get(&i) {
                Some(n) => by_name.get(&(file, (*n).clone())).copied(),
                None => function_at(&by_span, file, op.handler),
            };
            let rid = program.routes.len();
            program.routes.push(Route {
                framework: op.framework,
                method: op.kind.to_string(),
                path: op.name,
                file,
                span: op.span,
                handler,
            });
            operations.push((rid, (file, op.group), op.returns));
        }
        for (i, field) in found.fields.into_iter().enumerate() {
            let handler = match named_field.get(&i) {
                Some(n) => by_name.get(&(file, (*n).clone())).copied(),
                None => function_at(&by_span, file, field.handler),
            };
            let Some(f) = handler else { continue };
            // Code first (`@Resolver(() => Infra)`), the schema is in the program: a type that
            // no operation or field returns as a list (`[Infra]`) is one object per request,
            // and its field resolvers run once (hoppscotch's `Infra`, its `me: User`).
            if !field.decorated || listed.get_or_insert_with(|| listed_types(files)).contains(field.parent_type.as_str()) {
                per_parent(program, f, &field);
            }
            fields.push((f, (file, field.group), field.parent_type));
        }
    }
    for fw in [Framework::NestJs, Framework::GraphQl] {
        if program.routes.iter().any(|r| r.framework == fw) && !program.framework_order.contains(&fw) {
            program.framework_order.push(fw);
        }
    }
    if operations.is_empty() {
        return;
    }
    // Reach, as `link` computes it for routes: the handler, its lexical children and what
    // they call; plus the field resolvers of the operation's group and of its return type.
    let mut edges: Vec<Vec<FunctionId>> = vec![Vec::new(); program.functions.len()];
    for (id, func) in program.functions.iter().enumerate() {
        if let Some(p) = func.parent {
            edges[p].push(id);
        }
    }
    for call in &program.calls {
        if let Some(f) = call.function {
            edges[f].extend(call.callees.iter().copied());
        }
    }
    for (rid, group, returns) in &operations {
        let Some(h) = program.routes[*rid].handler else { continue };
        let mut queue = VecDeque::from([h]);
        queue.extend(
            fields.iter().filter(|(_, g, t)| g == group || (!t.is_empty() && t == returns)).map(|(f, _, _)| *f),
        );
        while let Some(f) = queue.pop_front() {
            if program.reached_by[f].last() == Some(rid) {
                continue;
            }
            program.reached_by[f].push(*rid);
            queue.extend(edges[f].iter().copied());
        }
    }
}

/// The identifier that ends `text` (ASCII letters, digits, `_`; empty when none).
fn word_before(text: &str) -> &str {
    let start = text
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map_or(0, |(j, c)| j + c.len_utf8());
    &text[start..]
}

/// The type names some part of the program's code-first schema returns as a list:
/// `@Query(() => [Team])`, `@Field(() => [Team!])`, `Promise<Team[]>` / `Team[]` types of
/// resolver methods, `[Team]` in SDL strings, generic pages (`Paginated(Team)`,
/// `Connection<Team>`).
fn listed_types(files: &[crate::parse::Parsed]) -> std::collections::HashSet<&str> {
    let mut out = std::collections::HashSet::new();
    for f in files {
        let t = f.text.as_str();
        for (i, _) in t.match_indices('[') {
            let rest = t[i + 1..].trim_start();
            let name: &str = &rest[..rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len())];
            let after = rest[name.len()..].trim_start().trim_start_matches('!').trim_start();
            if !name.is_empty() && name.starts_with(|c: char| c.is_ascii_uppercase()) && after.starts_with(']') {
                out.insert(name);
            }
        }
        // `extends Paginated(Comment)`, `Connection<Comment>`, `Array<Comment>`: a generic
        // list or page of the type (amori95917's Relay-style pagination).
        for (i, open) in t.match_indices(['(', '<']) {
            let wrapper = word_before(&t[..i]).to_ascii_lowercase();
            if !["paginat", "connection", "list", "page", "edge", "array", "relay", "cursor", "collection"].iter().any(|w| wrapper.contains(w)) {
                continue;
            }
            let rest = t[i + open.len()..].trim_start();
            let name = &rest[..rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len())];
            if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                out.insert(name);
            }
        }
        for (i, _) in t.match_indices("[]") {
            let name = word_before(&t[..i]);
            if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                out.insert(name);
            }
        }
    }
    out
}

/// Makes field resolver `f` run once per parent: a new iteration around its calls (and those
/// of its per-item callbacks), whose items are the parent's names and the names `f` declares.
fn per_parent(program: &mut Program, f: FunctionId, field: &Field) {
    let func = &program.functions[f];
    if func.per_item.is_some() {
        return;
    }
    // A namespace type (`Mutation: { assets: () => ({}) }`, `AssetMutation: { createFolder }`,
    // Wiki.js): its one object per operation is no list of parents.
    if ["Mutation", "Query", "Subscription"].iter().any(|n| field.parent_type.ends_with(n)) {
        return;
    }
    let (file, span) = (func.file, func.span);
    let mut items = if field.parents.is_empty() {
        func.params.first().cloned().into_iter().collect::<Vec<_>>()
    } else {
        field.parents.clone()
    };
    // The names the resolver declares (`const { id } = post`), as for a per-item callback.
    let mut declared = Declared::default();
    let mut mentioned: HashMap<(u32, u32), Vec<String>> = HashMap::new();
    if let Some(ast) = &program.files[file].program {
        let mut finder = Within { span, declared: &mut declared, mentioned: &mut mentioned };
        ast.visit_with(&mut finder);
    }
    items.extend(declared.0);
    let id = program.iterations.len();
    program.iterations.push(Iteration {
        file,
        kind: IterationKind::FieldResolver(format!("{}.{}", field.parent_type, field.field)),
        span,
        statement: span,
        collection: Some(field.parent_type.clone()),
        item_names: items,
        in_promise_all: false,
        dependent: false,
        throttled: false,
    });
    program.functions[f].per_item = Some(id);
    // The calls of `f` and of per-item callbacks nested in it (whose iterations `collect`
    // started afresh at `f`).
    let inside = |program: &Program, mut g: Option<FunctionId>| {
        while let Some(x) = g {
            if x == f {
                return true;
            }
            if program.functions[x].per_item.is_none() {
                return false;
            }
            g = program.functions[x].parent;
        }
        false
    };
    let ids: Vec<usize> = (0..program.calls.len()).filter(|&c| inside(program, program.calls[c].function)).collect();
    for c in ids {
        let call: &mut CallSite = &mut program.calls[c];
        call.iterations.insert(0, id);
        if call.mentions.is_empty() {
            if let Some(m) = mentioned.get(&(call.span.lo.0, call.span.hi.0)) {
                call.mentions = m.clone();
            }
        }
    }
}

#[derive(Default)]
struct Declared(Vec<String>);

/// Inside the resolver's span: the names declared, and what each call mentions.
struct Within<'a> {
    span: Span,
    declared: &'a mut Declared,
    mentioned: &'a mut HashMap<(u32, u32), Vec<String>>,
}

impl Visit for Within<'_> {
    fn visit_var_declarator(&mut self, d: &VarDeclarator) {
        if self.span.lo <= d.span.lo && d.span.hi <= self.span.hi {
            pat_names(&d.name, &mut self.declared.0);
        }
        d.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, c: &CallExpr) {
        if self.span.lo <= c.span.lo && c.span.hi <= self.span.hi {
            let mut m = mentions(&c.args);
            if let Callee::Expr(e) = &c.callee {
                for n in mentions(&**e) {
                    if !m.contains(&n) {
                        m.push(n);
                    }
                }
            }
            self.mentioned.insert((c.span.lo.0, c.span.hi.0), m);
        }
        c.visit_children_with(self);
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use crate::parse::parse;
    use crate::SourceFile;

    #[test]
    fn field_resolvers_of_a_type_never_returned_as_a_list_run_once() {
        // hoppscotch: `Infra` is one root object (`@Query(() => Infra) infra()`), so its field
        // resolvers run once per query; `Team` is listed (`[Team]`), so its fields run per team.
        let (_, per_item) = model(&[(
            "infra.resolver.ts",
            "import { Resolver, Query, ResolveField, Parent } from '@nestjs/graphql';\n\
             // Résumé[] and naïve listé(Infra): non-ASCII text before brackets is no panic.\n\
             @Resolver(() => Infra)\n\
             export class InfraResolver {\n\
               constructor(private prisma: PrismaService) {}\n\
               @Query(() => Infra) infra() { return {}; }\n\
               @ResolveField(() => Number) usersCount(@Parent() infra: Infra) { return this.prisma.user.count(); }\n\
             }\n\
             @ObjectType() export class CommentPage extends Paginated(Comment) {}\n\
             @Resolver(() => Comment)\n\
             export class CommentResolver {\n\
               constructor(private prisma: PrismaService) {}\n\
               @Query(() => CommentPage) comments() { return this.prisma.comment.findMany({ take: 20 }); }\n\
               @ResolveField(() => Number) likes(@Parent() comment: Comment) {\n\
                 return this.prisma.like.count({ where: { commentId: comment.id } });\n\
               }\n\
             }\n\
             @Resolver(() => Team)\n\
             export class TeamResolver {\n\
               constructor(private prisma: PrismaService) {}\n\
               @Query(() => [Team]) myTeams() { return this.prisma.team.findMany({ take: 20 }); }\n\
               @ResolveField(() => Number) ownersCount(@Parent() team: Team) {\n\
                 return this.prisma.teamMember.count({ where: { teamID: team.id } });\n\
               }\n\
             }\n",
        )]);
        assert_eq!(
            per_item,
            [
                "Comment.likes: this.prisma.like.count({ where: { commentId: comment.id } }) item=true [QUERY comments]",
                "Team.ownersCount: this.prisma.teamMember.count({ where: { teamID: team.id } }) item=true [QUERY myTeams]"
            ]
        );
    }

    /// The operations as `framework KIND name -> handler`, and per field resolver's query
    /// (by its text) the iteration kind and the operations reaching it.
    fn model(files: &[(&str, &str)]) -> (Vec<String>, Vec<String>) {
        let parsed: Vec<Parsed> = files.iter().map(|(p, t)| parse(&SourceFile::new(*p, *t))).collect();
        for p in &parsed {
            assert!(p.error.is_none(), "{}: {:?}", p.path, p.error);
        }
        let program = Program::build(&parsed);
        let routes = program
            .routes
            .iter()
            .map(|r| {
                let h = r.handler.and_then(|h| program.functions[h].name.clone()).unwrap_or_else(|| "?".into());
                format!("{} {} -> {h}", r.framework.as_str(), r.label())
            })
            .collect();
        let mut per_item = Vec::new();
        for call in program.calls.iter().filter(|c| matches!(c.kind, CallKind::Query(_))) {
            let Some(it) = program.iterations_of(call).next() else { continue };
            let IterationKind::FieldResolver(field) = &it.kind else { continue };
            let reached: Vec<String> =
                program.routes_reaching(call.function).iter().map(|&r| program.routes[r].label()).collect();
            let uses_item = call.mentions.iter().any(|m| it.item_names.contains(m));
            per_item.push(format!(
                "{field}: {} item={uses_item} [{}]",
                program.file(call.file).snippet(call.span),
                reached.join(", ")
            ));
        }
        (routes, per_item)
    }

    #[test]
    fn nestjs_resolvers_operations_and_field_resolvers() {
        let (routes, per_item) = model(&[
            (
                "users.resolver.ts",
                "import { Resolver, Query, Mutation, ResolveField, Parent, Args } from '@nestjs/graphql';\n\
                 @Resolver(() => User)\n\
                 export class UsersResolver {\n\
                   constructor(private prisma: PrismaService) {}\n\
                   @Query(() => [User], { name: 'users' }) list() { return this.prisma.user.findMany(); }\n\
                   @Mutation(() => User) createUser(@Args('name') name: string) { return this.prisma.user.create({ data: { name } }); }\n\
                   @ResolveField('posts', () => [Post]) posts(@Args('first') first: number, @Parent() user: User) {\n\
                     const { id } = user;\n\
                     return this.prisma.post.findMany({ where: { authorId: id }, take: first });\n\
                   }\n\
                 }\n",
            ),
            (
                "feed.resolver.ts",
                "@Resolver()\n\
                 export class FeedResolver {\n\
                   @Query(() => [User]) topAuthors() { return []; }\n\
                   @Query(() => String) version() { return '1'; }\n\
                 }\n",
            ),
        ]);
        assert_eq!(
            routes,
            [
                "nestjs QUERY users -> UsersResolver.list",
                "nestjs MUTATION createUser -> UsersResolver.createUser",
                "nestjs QUERY topAuthors -> FeedResolver.topAuthors",
                "nestjs QUERY version -> FeedResolver.version",
            ]
        );
        // The field resolver's parent is the `@Parent()` parameter, not the first one; it is
        // reached by its class's operations and by any operation returning `User`.
        assert_eq!(
            per_item,
            ["User.posts: this.prisma.post.findMany({ where: { authorId: id }, take: first }) item=true \
              [QUERY users, MUTATION createUser, QUERY topAuthors]"]
        );
    }

    #[test]
    fn resolver_maps_of_apollo_yoga_and_mercurius() {
        let (routes, per_item) = model(&[(
            "schema.js",
            "const { Post, User } = require('./models');\n\
             async function listPosts() { return Post.findAll(); }\n\
             const resolvers = {\n\
               Query: { posts: listPosts, post: (_, { id }) => Post.findByPk(id) },\n\
               Mutation: { async addPost(_, args) { return Post.create(args); } },\n\
               Subscription: { postAdded: { subscribe: () => pubsub.asyncIterator(['POST_ADDED']) } },\n\
               Post: { author: (post) => User.findByPk(post.authorId), title: (p) => p.title.trim() },\n\
             };\n\
             const config = { Query: 'not a resolver map' };\n\
             module.exports = new ApolloServer({ typeDefs, resolvers });\n",
        )]);
        assert_eq!(
            routes,
            [
                "graphql QUERY posts -> listPosts",
                "graphql QUERY post -> post",
                "graphql MUTATION addPost -> addPost",
                "graphql SUBSCRIPTION postAdded -> subscribe",
            ]
        );
        assert_eq!(
            per_item,
            ["Post.author: User.findByPk(post.authorId) item=true [QUERY posts, QUERY post, MUTATION addPost, \
              SUBSCRIPTION postAdded]"]
        );
    }
}
