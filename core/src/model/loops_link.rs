//! Routes registered in loops over literals, unrolled: one route per entry (see `loops.rs`).

use super::super::collect::loops::{Entry, LoopMount, LoopRoute, Part, Source, Value};
use super::super::collect::{Export, FileFacts};
use super::{full_path, prefixes, Linker, OwnerKey, Resolved};
use crate::model::{FileId, Framework, FunctionId, Route};

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "ALL"];

impl<'a> Linker<'a> {
    /// The literal a loop runs over and the file it is written in: inline, a literal bound in
    /// `file`, or one that the module a name is imported from exports (`module.exports = {…}`
    /// or an exported name bound to one).
    fn loop_literal(&self, file: FileId, source: &'a Source) -> Option<(FileId, &'a [Entry])> {
        let facts: &'a [FileFacts] = self.facts;
        match source {
            Source::Inline(entries) => Some((file, entries)),
            Source::Name(name) => {
                if let Some(e) = facts[file].literals.get(name) {
                    return Some((file, e));
                }
                match self.resolve(file, name, 0) {
                    Resolved::Module(t) => facts[t].literals.get("module.exports").map(|e| (t, e.as_slice())),
                    Resolved::Binding(f, n) => facts[f].literals.get(&n).map(|e| (f, e.as_slice())),
                    _ => None,
                }
            }
        }
    }

    /// `ctrl.comments.post`: the function at a dotted `path` of the object literal `obj` holds
    /// (the module it names, `module.exports = { comments: { async post(ctx) {…} } }`, or a
    /// literal bound to it).
    pub(super) fn nested_member(&self, file: FileId, obj: &str, path: &str, depth: u32) -> Resolved {
        let facts: &'a [FileFacts] = self.facts;
        let (f, entries) = match self.resolve(file, obj, depth + 1) {
            Resolved::Module(t) => (t, facts[t].literals.get("module.exports")),
            Resolved::Binding(f, n) => (f, facts[f].literals.get(&n)),
            _ => return Resolved::Unknown,
        };
        let mut parts = path.split('.');
        let first = parts.next().unwrap_or_default();
        let Some(mut value) =
            entries.and_then(|e| e.iter().find(|e| e.key.as_deref() == Some(first))).map(|e| &e.value)
        else {
            return Resolved::Unknown;
        };
        for p in parts {
            value = match value {
                Value::Object(fields) => match fields.iter().find(|(k, _)| k == p) {
                    Some((_, v)) => v,
                    None => return Resolved::Unknown,
                },
                _ => return Resolved::Unknown,
            };
        }
        match value {
            Value::Ref(r) => self.resolve_ref(f, r, depth + 1),
            _ => Resolved::Unknown,
        }
    }

    /// Whether module `t` exports `name` (as a property of `module.exports = {…}`, an
    /// `exports.name`, an ES export).
    fn exports_name(&self, t: FileId, name: &str) -> bool {
        let f = &self.facts[t];
        f.exports.contains_key(name)
            || matches!(f.exports.get("default"), Some(Export::Object(map)) if map.contains_key(name))
            || f.literals.get("module.exports").is_some_and(|e| e.iter().any(|e| e.key.as_deref() == Some(name)))
            || (!f.exports.contains_key("default") && f.function_names.contains_key(name))
    }

    /// The handler of one unrolled route: `Err(())` when the entry has no such member (the
    /// loop registers it only `if (controller.getAll)`), else the function if resolved.
    fn loop_handler(
        &self,
        file: FileId,
        entry_file: FileId,
        part: &Part,
        entry: &Entry,
    ) -> Result<Option<FunctionId>, ()> {
        let function = |r: Resolved| match r {
            Resolved::Function(g) => Some(g),
            _ => None,
        };
        match (part, &entry.value) {
            (Part::Ref(r), _) => Ok(function(self.resolve_ref(file, r, 0))),
            (Part::Value, Value::Ref(r)) => Ok(function(self.resolve_ref(entry_file, r, 0))),
            (Part::Field(p), Value::Object(fields)) => match fields.iter().find(|(k, _)| k == p) {
                Some((_, Value::Ref(r))) => Ok(function(self.resolve_ref(entry_file, r, 0))),
                Some(_) => Ok(None),
                None => Err(()),
            },
            (Part::Field(p), Value::Ref(r)) => match self.resolve_ref(entry_file, r, 0) {
                Resolved::Module(t) if !self.exports_name(t, p) => Err(()),
                Resolved::Module(t) => Ok(function(self.resolve_export(t, p, 0))),
                Resolved::Class(f, class) => Ok(function(self.class_method(f, &class, p))),
                Resolved::Binding(f, n) => match self.facts[f].literals.get(&n) {
                    Some(entries) => match entries.iter().find(|e| e.key.as_deref() == Some(p.as_str())) {
                        Some(Entry { value: Value::Ref(r), .. }) => Ok(function(self.resolve_ref(f, r, 0))),
                        Some(_) => Ok(None),
                        None => Err(()),
                    },
                    None => Ok(None),
                },
                _ => Ok(None),
            },
            _ => Ok(None),
        }
    }

    /// The mounts of one looped `app.use(prefix, router)`: one per entry whose router the
    /// model resolves, with the entry's key, value or fields in the prefix.
    pub(super) fn loop_mounts(&self, file: FileId, lm: &'a LoopMount) -> Vec<(OwnerKey, OwnerKey, String)> {
        let Some((entry_file, entries)) = self.loop_literal(file, &lm.source) else { return Vec::new() };
        let parent = self.owner_key(file, &lm.owner);
        let mut out = Vec::new();
        for entry in entries {
            let Some(prefix) = lm.prefix.iter().map(|p| part_text(p, entry)).collect::<Option<String>>() else {
                continue;
            };
            let child = match (&lm.child, &entry.value) {
                (Part::Ref(r), _) => self.child_key(file, r),
                (Part::Value, Value::Ref(r)) => self.child_key(entry_file, r),
                (Part::Field(f), Value::Object(fields)) => match fields.iter().find(|(k, _)| k == f) {
                    Some((_, Value::Ref(r))) => self.child_key(entry_file, r),
                    _ => None,
                },
                _ => None,
            };
            if let Some(child) = child {
                out.push((parent.clone(), child, prefix));
            }
        }
        out
    }

    /// The routes of one looped registration: one per entry of the literal, with the entry's
    /// key, value or fields in the method, path and handler. A literal the model cannot find
    /// leaves a registration with a fixed method and path as one route.
    pub(super) fn loop_routes(
        &self,
        file: FileId,
        lr: &'a LoopRoute,
        mounts: &[(OwnerKey, OwnerKey, String)],
        default_fw: Framework,
    ) -> Vec<Route> {
        let prefixes = match &lr.owner {
            Some(owner) => prefixes(&self.owner_key(file, owner), mounts, self.facts, 0),
            None => vec![String::new()],
        };
        let framework = lr.framework.unwrap_or(default_fw);
        let mut out = Vec::new();
        let mut push = |method: String, path: String, handler: Option<FunctionId>| {
            for prefix in &prefixes {
                out.push(Route {
                    framework,
                    method: method.clone(),
                    path: full_path(&method, prefix, &path),
                    file,
                    span: lr.span,
                    handler,
                });
            }
        };
        let Some((entry_file, entries)) = self.loop_literal(file, &lr.source) else {
            let fixed = |p: &Part| match p {
                Part::Lit(s) => Some(s.clone()),
                _ => None,
            };
            let path: Option<String> = lr.path.iter().map(fixed).collect();
            if let (Some(method), Some(path)) = (fixed(&lr.method), path) {
                let handler = match &lr.handler {
                    Some(Part::Ref(r)) => match self.resolve_ref(file, r, 0) {
                        Resolved::Function(g) => Some(g),
                        _ => None,
                    },
                    _ => None,
                };
                push(method, path, handler);
            }
            return out;
        };
        for entry in entries {
            let text = |p: &Part| part_text(p, entry);
            let Some(method) = text(&lr.method).map(|m| m.to_ascii_uppercase()) else { continue };
            let method = if method == "DEL" { "DELETE".to_string() } else { method };
            if !METHODS.contains(&method.as_str()) && method != "EVENT" {
                continue;
            }
            let Some(path) = lr.path.iter().map(text).collect::<Option<String>>() else { continue };
            // `Object.entries(handlers)` may hold an `error` handler too.
            if method == "EVENT" && !super::super::collect::is_request_event(&path) {
                continue;
            }
            let handler = match &lr.handler {
                Some(part) => match self.loop_handler(file, entry_file, part, entry) {
                    Ok(h) => h,
                    Err(()) => continue,
                },
                None => None,
            };
            push(method, path, handler);
        }
        out
    }
}

/// The text a part of a path or method takes for one entry.
fn part_text(p: &Part, entry: &Entry) -> Option<String> {
    match (p, &entry.value) {
        (Part::Lit(s), _) => Some(s.clone()),
        (Part::Key, _) => entry.key.clone(),
        (Part::Value, Value::Str(s)) => Some(s.clone()),
        (Part::Field(f), Value::Object(fields)) => fields.iter().find_map(|(k, v)| match v {
            Value::Str(s) if k == f => Some(s.clone()),
            _ => None,
        }),
        _ => None,
    }
}
