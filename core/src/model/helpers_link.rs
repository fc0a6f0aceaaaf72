//! Routing helpers expanded: one route per call of a helper (see `helpers.rs`).

use super::super::collect::helpers::{Arg, HandlerSlot, HelperCall, Slot, Template};
use super::super::collect::Owner;
use super::{full_path, prefixes, Linker, OwnerKey, Resolved};
use crate::model::{CallSite, FileId, Framework, FunctionId, Route};
use std::collections::HashMap;

/// `get` → `GET`, `del` → `DELETE`; `None` for anything but an HTTP method.
fn http_method(text: &str) -> Option<String> {
    let m = text.to_ascii_uppercase();
    let m = if m == "DEL" { "DELETE".to_string() } else { m };
    ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "ALL"].contains(&m.as_str()).then_some(m)
}

/// The routes a helper call registers, one per prefix of its owner, at the call.
fn routes_at(
    prefixes: &[String],
    framework: Framework,
    method: &str,
    path: &str,
    file: FileId,
    hc: &HelperCall,
    handler: Option<FunctionId>,
) -> Vec<Route> {
    prefixes
        .iter()
        .map(|p| Route {
            framework,
            method: method.to_string(),
            path: full_path(method, p, path),
            file,
            span: hc.span,
            handler,
        })
        .collect()
}

impl Linker<'_> {
    fn function_of(&self, file: FileId, r: Option<&crate::model::collect::Ref>) -> Option<FunctionId> {
        match self.resolve_ref(file, r?, 0) {
            Resolved::Function(g) => Some(g),
            _ => None,
        }
    }

    fn owner_prefixes(
        &self,
        file: FileId,
        owner: Option<&Owner>,
        mounts: &[(OwnerKey, OwnerKey, String)],
    ) -> Vec<String> {
        match owner {
            Some(o) => prefixes(&self.owner_key(file, o), mounts, self.facts, 0),
            None => vec![String::new()],
        }
    }

    /// One call of a template's function, as routes (one per prefix of its owner).
    fn expand(
        &self,
        (tfile, t): (FileId, &Template),
        file: FileId,
        hc: &HelperCall,
        mounts: &[(OwnerKey, OwnerKey, String)],
        framework: Framework,
    ) -> Vec<Route> {
        let arg = |i: usize| -> Option<&Arg> { hc.args.get(i) };
        let text = |s: &Slot| match s {
            Slot::Lit(l) => Some(l.clone()),
            Slot::Param(i) => arg(*i).and_then(|a| a.text.clone()),
        };
        let Some(method) = text(&t.method).and_then(|m| http_method(&m)) else { return Vec::new() };
        let Some(path) = t.path.iter().map(text).collect::<Option<String>>() else { return Vec::new() };
        let handler = match &t.handler {
            Some(HandlerSlot::Param(i)) => self.function_of(file, arg(*i).and_then(|a| a.handler.as_ref())),
            Some(HandlerSlot::Rest(i)) if hc.args.len() > *i => {
                self.function_of(file, hc.args.last().and_then(|a| a.handler.as_ref()))
            }
            Some(HandlerSlot::Fixed(r)) => self.function_of(tfile, Some(r)),
            _ => None,
        };
        let prefixes = match &t.receiver {
            Ok(owner) => self.owner_prefixes(tfile, Some(owner), mounts),
            Err(i) => self.owner_prefixes(file, arg(*i).and_then(|a| a.owner.as_ref()), mounts),
        };
        routes_at(&prefixes, framework, &method, &path, file, hc, handler)
    }

    /// `this.route('GET', '/users', handler)` of a function the model cannot see: the route
    /// as written (the method literal, the path literal after it, the last argument).
    fn as_written(
        &self,
        file: FileId,
        hc: &HelperCall,
        mounts: &[(OwnerKey, OwnerKey, String)],
        framework: Framework,
    ) -> Vec<Route> {
        let Some(i) = hc.args.windows(2).position(|w| {
            w[0].text.as_deref().and_then(http_method).is_some()
                && w[1].text.as_deref().is_some_and(|p| p.starts_with('/'))
        }) else {
            return Vec::new();
        };
        let (Some(method), Some(path)) =
            (hc.args[i].text.as_deref().and_then(http_method), hc.args[i + 1].text.clone())
        else {
            return Vec::new();
        };
        let handler = self.function_of(file, hc.args.last().and_then(|a| a.handler.as_ref()));
        let prefixes = self.owner_prefixes(file, hc.receiver.as_ref(), mounts);
        routes_at(&prefixes, framework, &method, &path, file, hc, handler)
    }

    /// The routes the program's routing helpers register: per call of a helper function, and
    /// calls that read as registrations of functions the model cannot see.
    pub(super) fn helper_routes(
        &self,
        calls: &[CallSite],
        call_offset: &[usize],
        mounts: &[(OwnerKey, OwnerKey, String)],
        framework: Framework,
    ) -> Vec<Route> {
        let mut templates: HashMap<FunctionId, Vec<(FileId, &Template)>> = HashMap::new();
        for (file, f) in self.facts.iter().enumerate() {
            for t in &f.templates {
                templates.entry(self.gid(file, t.function)).or_default().push((file, t));
            }
        }
        let mut out = Vec::new();
        for (file, f) in self.facts.iter().enumerate() {
            for hc in &f.helper_calls {
                let Some(call) = calls.get(call_offset[file] + hc.call) else { continue };
                let expanded: Vec<Route> = call
                    .callees
                    .iter()
                    .filter_map(|g| templates.get(g))
                    .flatten()
                    .flat_map(|&t| self.expand(t, file, hc, mounts, framework))
                    .collect();
                if expanded.is_empty() && hc.route_like {
                    out.extend(self.as_written(file, hc, mounts, framework));
                }
                out.extend(expanded);
            }
        }
        out
    }
}
