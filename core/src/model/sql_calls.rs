//! Calls that run SQL text, as the collector sees them (the text itself: [`super::super::sql`]).
//!
//! - A name bound to SQL text stands for it: `const sql = 'SELECT * FROM users WHERE id =
//!   $1'; await this.pool.query(sql, [id])` runs that SELECT (names are per file, as
//!   everywhere in the model; a name bound in a loop body is the loop's).
//! - A tagged template that runs its SQL is a call: Prisma's `prisma.$queryRaw\`…\`` and
//!   `$executeRaw\`…\`` (on any client, a transaction's `tx` included), postgres.js
//!   `sql\`…\`` where `sql = postgres(url)`. Fragment builders (`Prisma.sql\`…\``, the
//!   `sql` tag of sql-template-strings) build text and are not queries.

use super::access::{self, CallKind, DbHandle, Resource, Segment};
use super::{segments, CallSite, Collector};
use crate::syntax::{mentions, unwrap};
use std::borrow::Cow;
use swc_common::Spanned;
use swc_ecma_ast::*;

impl<'a> Collector<'a> {
    /// Notes `name = 'SELECT …'` (a string or template literal holding SQL).
    pub(super) fn note_sql_text(&mut self, name: &str, init: &Expr) {
        if let Expr::Lit(Lit::Str(_)) | Expr::Tpl(_) = unwrap(init) {
            let text = self.snippet(unwrap(init).span());
            if access::looks_like_sql(text) {
                self.facts.sql_texts.insert(name.to_string(), text.to_string());
            }
        }
    }

    /// The text a call's first argument stands for: the SQL a name is bound to, or the
    /// argument's own source.
    pub(super) fn first_arg_text(&self, call: &CallExpr) -> Cow<'a, str> {
        let Some(first) = call.args.first() else { return Cow::Borrowed("") };
        if let Expr::Ident(i) = unwrap(&first.expr) {
            if let Some(sql) = self.facts.sql_texts.get(&*i.sym) {
                return Cow::Owned(sql.clone());
            }
        }
        Cow::Borrowed(self.parsed.snippet(first.expr.span()))
    }

    /// Records a tagged template that runs a query as a call site.
    pub(super) fn record_tagged(&mut self, t: &TaggedTpl) {
        let mut segs: Vec<Segment> = Vec::new();
        if !segments(&t.tag, &mut segs) || segs.iter().any(|s| s.called) {
            return;
        }
        let Some(last) = segs.last_mut() else { return };
        last.called = true;
        let root = segs[0].name.clone();
        let text = self.snippet(t.span);
        let sql = self.snippet(t.tpl.span);
        let root_resource = self.resource_of(&root);
        let kind = if segs.len() == 1 && matches!(root_resource, Some(Resource::Db(DbHandle::Pg))) {
            // postgres.js: the client is the tag.
            match access::classify(&[Segment { name: "query".into(), called: true, first_string: None }], None, text, sql)
            {
                CallKind::Query(mut q) => {
                    q.library = access::Library::Pg;
                    q.operation = root.clone();
                    q.receiver = root.clone();
                    CallKind::Query(q)
                }
                other => other,
            }
        } else {
            let name = segs.last().map(|s| s.name.as_str()).unwrap_or("");
            if !["$queryRaw", "$executeRaw"].contains(&name) {
                return;
            }
            let chain: &[Segment] = if root == "this" && segs.len() > 1 { &segs[1..] } else { &segs };
            access::classify(chain, root_resource.as_ref(), text, sql)
        };
        if !matches!(kind, CallKind::Query(_)) {
            return;
        }
        let m = if self.iterations.is_empty() { Vec::new() } else { mentions(&*t.tpl) };
        self.facts.calls.push(CallSite {
            file: self.file,
            span: t.span,
            function: self.function,
            iterations: self.iterations.clone(),
            awaited: self.awaited.contains(&t.span),
            kind,
            result_name: None,
            mentions: m,
            target: None,
            callees: Vec::new(),
            data_access: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{CallKind, Program};
    use crate::parse::parse;
    use crate::SourceFile;

    /// Each query's text, library and SQL.
    fn queries(src: &str) -> Vec<(String, String, bool)> {
        let parsed = vec![parse(&SourceFile::new("a.ts", src))];
        let program = Program::build(&parsed);
        program
            .calls
            .iter()
            .filter_map(|c| match &c.kind {
                CallKind::Query(q) => Some((parsed[0].snippet(c.span).to_string(), q.library.as_str().to_string(), q.write)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn sql_text_whatever_the_receiver() {
        let src = "async function f(store, id) {\n  await store.all('SELECT * FROM users');\n  await this.db.run(`insert into t (a) values (${id})`);\n  await rawQuery(`\n    select count(*) from events where id = {{id}}`, { id });\n  console.log('SELECT * FROM users');\n  statements.push('DELETE FROM t');\n  t('Select a file');\n}\n";
        let q = queries(src);
        assert_eq!(q.len(), 3, "{q:?}");
        assert_eq!(q[0].1, "SQL client");
        assert!(q[1].2, "an INSERT writes");
        assert!(q[2].0.starts_with("rawQuery("));
    }

    #[test]
    fn a_name_bound_to_sql_text_is_the_query() {
        let src = "const GET = 'SELECT * FROM users WHERE id = $1';\nclass Repo {\n  async get(id) {\n    const sql = `UPDATE users SET seen = now() WHERE id = $1`;\n    await this.pool.query(sql, [id]);\n    return this.pool.query(GET, [id]);\n  }\n}\n";
        let q = queries(src);
        assert_eq!(q.len(), 2, "{q:?}");
        assert!(q[0].2, "the UPDATE bound to `sql` writes");
        assert!(!q[1].2);
    }

    #[test]
    fn tagged_templates_that_run() {
        let src = "import postgres from 'postgres';\nconst sql = postgres(process.env.URL);\nasync function f(prisma, tx, id) {\n  await prisma.$queryRaw`SELECT * FROM users WHERE id = ${id}`;\n  await tx.$executeRaw`DELETE FROM s WHERE id = ${id}`;\n  const frag = Prisma.sql`id = ${id}`;\n  await sql`select * from t where id = ${id}`;\n}\n";
        let q = queries(src);
        let libs: Vec<&str> = q.iter().map(|(_, l, _)| l.as_str()).collect();
        assert_eq!(libs, ["Prisma", "Prisma", "node-postgres"], "{q:?}");
        assert!(q[1].2);
    }
}
