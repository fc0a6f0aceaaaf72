//! Plugins in their own files, resolved (see `plugins.rs`).

use super::super::collect::loops::{Entry, Value};
use super::super::collect::{Export, Ref};
use super::{Linker, Resolved};
use crate::model::{FileId, FunctionId};

impl Linker<'_> {
    fn function(&self, file: FileId, r: &Ref) -> Option<FunctionId> {
        match self.resolve_ref(file, r, 0) {
            Resolved::Function(g) => Some(g),
            _ => None,
        }
    }

    /// The `register` method of the object `name` holds in `file` (a hapi plugin).
    pub(super) fn plugin_register(&self, file: FileId, name: &str) -> Option<FunctionId> {
        let r = self.facts[file].objects.get(name)?.get("register")?;
        self.function(file, r)
    }

    /// The plugin function of a module that has no default export to mount: its `register`
    /// export (`exports.register = function (server, options, next)`, `module.exports = {
    /// name, register }`) or its `plugin` object's (`exports.plugin = { register }`,
    /// `module.exports = { plugin: { register } }`).
    pub(super) fn module_plugin(&self, t: FileId) -> Option<FunctionId> {
        if let Resolved::Function(g) = self.resolve_export(t, "register", 0) {
            return Some(g);
        }
        let f = &self.facts[t];
        match f.exports.get("plugin") {
            Some(Export::Object(map)) => return map.get("register").and_then(|r| self.function(t, r)),
            Some(Export::Local(n)) => return self.plugin_register(t, n),
            _ => {}
        }
        let entries: &[Entry] = f.literals.get("module.exports")?;
        let plugin = entries.iter().find(|e| e.key.as_deref() == Some("plugin"))?;
        match &plugin.value {
            Value::Object(fields) => fields.iter().find_map(|(k, v)| match v {
                Value::Ref(r) if k == "register" => self.function(t, r),
                _ => None,
            }),
            Value::Ref(Ref::Name(n)) => self.plugin_register(t, n),
            _ => None,
        }
    }

    /// The `autoPrefix` a plugin module exports (`module.exports.autoPrefix = '/api'`,
    /// `export const autoPrefix = '/api'`).
    pub(super) fn auto_prefix(&self, t: FileId) -> Option<String> {
        let f = &self.facts[t];
        if let Some(p) = f.strings.get("export:autoPrefix") {
            return Some(p.clone());
        }
        match f.exports.get("autoPrefix") {
            Some(Export::Local(n)) => f.strings.get(n).cloned(),
            _ => None,
        }
    }
}
