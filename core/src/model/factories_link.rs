//! Handlers that are the result of a call, resolved (see `factories.rs`).

use super::super::collect::Ref;
use super::{Linker, Resolved, MAX_DEPTH};
use crate::model::{FileId, FunctionId};

impl Linker<'_> {
    /// `wrap(fn)`, `listOrders()`, `makeController(deps)`: the function an argument names
    /// (what a wrapper passes through), else what the callee returns.
    pub(super) fn resolve_call(&self, file: FileId, callee: &Ref, args: &[Ref], depth: u32) -> Resolved {
        if depth > MAX_DEPTH {
            return Resolved::Unknown;
        }
        for a in args {
            if let f @ Resolved::Function(_) = self.resolve_ref(file, a, depth + 1) {
                return f;
            }
        }
        match self.resolve_ref(file, callee, depth + 1) {
            Resolved::Function(g) => self.returned(g, depth + 1),
            _ => Resolved::Unknown,
        }
    }

    /// What function `g` returns: a function, an object of functions, a class instance, a
    /// router or app bound to a name.
    pub(super) fn returned(&self, g: FunctionId, depth: u32) -> Resolved {
        let file = self.fn_offset.partition_point(|&o| o <= g) - 1;
        let local = g - self.fn_offset[file];
        match self.facts[file].returns.get(&local) {
            Some(r) => self.resolve_ref(file, r, depth + 1),
            None => Resolved::Unknown,
        }
    }
}
