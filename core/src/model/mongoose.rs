//! Mongoose statics: `Article.list(options)` runs the function the schema's `statics` define.
//!
//! ```js
//! // models/article.js
//! ArticleSchema.statics = { list(options) { return this.find(options.criteria).limit(30).exec(); } };
//! mongoose.model('Article', ArticleSchema);
//! // controllers/articles.js
//! const Article = mongoose.model('Article');
//! const articles = await Article.list(options);
//! ```
//!
//! The collector records each schema's statics (`S.statics = {…}`, `S.statics.name = fn`,
//! `S.static('name', fn)`), each model registered with a schema (`mongoose.model('Article',
//! S)`), and which local names hold which model (`const Article = mongoose.model('Article')`,
//! `module.exports = mongoose.model(…)`); `link` resolves a call of a model's method the
//! library does not define to that static, in whichever file defines it.

use super::{segments, Collector, Import, Ref};
use crate::syntax::{prop_name, str_lit, unwrap};
use swc_common::Span;
use swc_ecma_ast::*;

impl Collector<'_> {
    /// `mongoose.model('Article', ArticleSchema)` / `mongoose.model('Article')` / `model('Article')`
    /// (imported from mongoose): the model's name and the schema's local name, if given.
    pub(super) fn mongoose_model(&self, e: &Expr) -> Option<(String, Option<String>)> {
        match unwrap(e) {
            Expr::Call(c) => self.mongoose_model_call(c),
            _ => None,
        }
    }

    fn mongoose_model_call(&self, c: &CallExpr) -> Option<(String, Option<String>)> {
        let Callee::Expr(callee) = &c.callee else { return None };
        let from_mongoose = |name: &str| match self.facts.imports.get(name) {
            Some(Import::Whole(m)) => m == "mongoose",
            Some(Import::Named(m, export)) => m == "mongoose" && export == "model",
            None => name == "mongoose",
        };
        let ok = match unwrap(callee) {
            Expr::Member(m) => {
                prop_name(&m.prop).as_deref() == Some("model")
                    && matches!(unwrap(&m.obj), Expr::Ident(o) if from_mongoose(&o.sym))
            }
            Expr::Ident(i) => {
                matches!(self.facts.imports.get(&*i.sym), Some(Import::Named(m, x)) if m == "mongoose" && x == "model")
            }
            _ => false,
        };
        if !ok {
            return None;
        }
        let name = str_lit(&c.args.first()?.expr)?;
        let schema = c.args.get(1).and_then(|a| match unwrap(&a.expr) {
            Expr::Ident(i) => Some(i.sym.to_string()),
            _ => None,
        });
        Some((name, schema))
    }

    /// Notes `mongoose.model('Article', S)` registrations anywhere and `S.static('list', fn)`.
    pub(super) fn note_model_call(&mut self, call: &CallExpr, fn_args: &[Option<usize>]) {
        if let Some((name, Some(schema))) = self.mongoose_model_call(call) {
            self.facts.mongoose_models.insert(name, schema);
            return;
        }
        let Callee::Expr(callee) = &call.callee else { return };
        let Expr::Member(m) = unwrap(callee) else { return };
        let (Expr::Ident(schema), Some("static")) = (unwrap(&m.obj), prop_name(&m.prop).as_deref()) else { return };
        let name = call.args.first().and_then(|a| str_lit(&a.expr));
        if let (Some(name), Some(Some(f))) = (name, fn_args.get(1)) {
            self.facts.schema_statics.entry(schema.sym.to_string()).or_default().insert(name, Ref::Function(*f));
        }
    }

    /// `S.statics = { list() {…} }` / `S.statics.list = function () {…}` (after the right side
    /// was walked).
    pub(super) fn note_statics(&mut self, a: &AssignExpr) {
        let AssignTarget::Simple(SimpleAssignTarget::Member(m)) = &a.left else { return };
        let mut segs = Vec::new();
        if !segments(&Expr::Member(m.clone()), &mut segs) {
            return;
        }
        let names: Vec<&str> = segs.iter().map(|s| s.name.as_str()).collect();
        match (names.as_slice(), unwrap(&a.right)) {
            ([schema, "statics"], Expr::Object(o)) => {
                let refs = self.object_refs(o, 0);
                self.facts.schema_statics.entry(schema.to_string()).or_default().extend(refs);
            }
            ([schema, "statics", name], f @ (Expr::Fn(_) | Expr::Arrow(_))) => {
                let Some(id) = self.facts.functions.iter().rposition(|x| Some(x.span) == fn_span(f)) else { return };
                let (schema, name) = (schema.to_string(), name.to_string());
                self.facts.schema_statics.entry(schema).or_default().insert(name, Ref::Function(id));
            }
            _ => {}
        }
    }
}

/// `S.statics = …` / `S.statics.name = …`: the right side defines statics.
pub(super) fn defines_statics(a: &AssignExpr) -> bool {
    let AssignTarget::Simple(SimpleAssignTarget::Member(m)) = &a.left else { return false };
    match unwrap(&m.obj) {
        Expr::Ident(_) => prop_name(&m.prop).as_deref() == Some("statics"),
        Expr::Member(inner) => {
            matches!(unwrap(&inner.obj), Expr::Ident(_)) && prop_name(&inner.prop).as_deref() == Some("statics")
        }
        _ => false,
    }
}

/// `S.static('name', fn)`.
pub(super) fn is_static_call(call: &CallExpr) -> bool {
    let Callee::Expr(callee) = &call.callee else { return false };
    matches!(unwrap(callee), Expr::Member(m) if matches!(unwrap(&m.obj), Expr::Ident(_))
        && prop_name(&m.prop).as_deref() == Some("static")
        && call.args.first().is_some_and(|a| str_lit(&a.expr).is_some()))
}

/// A function expression's own span (what the collector records for it).
fn fn_span(e: &Expr) -> Option<Span> {
    match e {
        Expr::Fn(f) => Some(f.function.span),
        Expr::Arrow(a) => Some(a.span),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Program;
    use crate::parse::parse;
    use crate::SourceFile;

    /// `caller -> callee` for every call the model resolves to a user function.
    fn edges(files: &[(&str, &str)]) -> Vec<String> {
        let parsed: Vec<_> = files.iter().map(|(p, t)| parse(&SourceFile::new(*p, *t))).collect();
        let program = Program::build(&parsed);
        let name = |f: usize| program.functions[f].name.clone().unwrap_or_else(|| "?".into());
        let mut out: Vec<String> = program
            .calls
            .iter()
            .flat_map(|c| c.callees.iter().map(move |&g| (c.function, g)))
            .map(|(f, g)| format!("{} -> {}", f.map(name).unwrap_or_else(|| "<module>".into()), name(g)))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_models_static_is_the_schemas_function_in_any_file() {
        let model = "const mongoose = require('mongoose');\nconst ArticleSchema = new mongoose.Schema({ title: String });\nArticleSchema.statics = {\n  list: function (options) { return this.find(options.criteria).limit(30).exec(); },\n  load(id) { return this.findOne({ _id: id }).exec(); },\n};\nArticleSchema.statics.recent = function () { return this.find().sort({ at: -1 }).limit(5); };\nmongoose.model('Article', ArticleSchema);\n";
        let controller = "const mongoose = require('mongoose');\nconst Article = mongoose.model('Article');\nexports.index = async function index(req, res) {\n  const articles = await Article.list({});\n  const one = await Article.load(req.params.id);\n  const recent = await Article.recent();\n  const other = await Article.unknown();\n  res.json({ articles, one, recent, other });\n};\n";
        assert_eq!(
            edges(&[("models/article.js", model), ("controllers/articles.js", controller)]),
            // `recent` is an unnamed function expression.
            ["index -> ?", "index -> list", "index -> load"]
        );
    }

    #[test]
    fn this_in_a_static_is_the_model() {
        let src = "const mongoose = require('mongoose');\nconst S = new mongoose.Schema({});\nS.statics = { list() { return this.find().limit(5).exec(); } };\nS.static('byName', function (name) { return this.findOne({ name }); });\nS.methods = { touch() { return this.save(); } };\nfunction other() { return this.find(); }\n";
        let parsed = vec![parse(&SourceFile::new("m.js", src))];
        let program = Program::build(&parsed);
        let queries: Vec<&str> = program
            .calls
            .iter()
            .filter(|c| matches!(c.kind, crate::model::CallKind::Query(_)))
            .map(|c| parsed[0].snippet(c.span))
            .collect();
        assert_eq!(queries, ["this.find().limit(5).exec()", "this.findOne({ name })"]);
    }

    #[test]
    fn an_exported_model_resolves_through_the_import() {
        let model = "const mongoose = require('mongoose');\nconst S = new mongoose.Schema({});\nS.static('byName', function (name) { return this.find({ name }); });\nmodule.exports = mongoose.model('User', S);\n";
        let route = "const User = require('./user');\nasync function find(req, res) { res.json(await User.byName(req.query.name)); }\nmodule.exports = find;\n";
        assert_eq!(edges(&[("user.js", model), ("route.js", route)]), ["find -> ?"]);
    }
}
