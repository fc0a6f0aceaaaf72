//! What a route's request path does: the facts that make a route expensive, judged from its
//! handler's code (and every helper it reaches), not from the words of its path.
//!
//! Found on real code (docs/evaluation.md): Requarks/wiki's and kutt's `GET /login` only render
//! a form, kutt's `GET /report` a page — their paths say "login" and "report", their handlers do
//! no work a client could abuse.

use super::{CallKind, Program, RouteId};

/// The work on one route's request path.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Password hashing or comparison (bcrypt, argon2, scrypt, pbkdf2), sync or not.
    pub hashes: usize,
    /// Database queries.
    pub queries: usize,
    /// Outbound HTTP requests (a mail API, an OAuth provider).
    pub http: usize,
    /// File-system calls (an upload written, an export read).
    pub fs: usize,
    /// CPU-bound library calls (compression, child processes).
    pub cpu: usize,
    /// Iterations (an export or report loop).
    pub loops: usize,
    /// Calls of a plain function the analysed code does not define (`searchProducts(q)`): work
    /// the model cannot see into.
    pub opaque: usize,
}

impl Work {
    /// Any work beyond rendering a page or returning a constant.
    pub fn any(&self) -> bool {
        self.hashes + self.queries + self.http + self.fs + self.cpu + self.loops + self.opaque > 0
    }
}

/// Names of password-hashing calls, by the method (`bcrypt.compare`, `argon2.verify`,
/// `crypto.scrypt`) or the user's own helper (`user.comparePassword`, `hashPassword`).
pub(super) fn hashing(text: &str) -> bool {
    let callee = text.split('(').next().unwrap_or("").to_ascii_lowercase();
    let root = callee.split('.').next().unwrap_or("");
    let method = callee.rsplit('.').next().unwrap_or("");
    let receiver = callee.rsplit('.').nth(1).unwrap_or("");
    ((matches!(root, "bcrypt" | "bcryptjs" | "argon2" | "argon")
        || receiver.contains("password")
        || receiver.contains("hasher")
        || receiver.contains("crypt"))
        && matches!(method, "compare" | "comparesync" | "hash" | "hashsync" | "verify"))
        || matches!(method, "pbkdf2" | "pbkdf2sync" | "scrypt" | "scryptsync")
        || (method.contains("password")
            && ["compare", "hash", "verify", "match", "check", "valid"].iter().any(|w| method.contains(w)))
}

/// A call of a plain function by name (`searchProducts(q)`), not a method of the request, the
/// response or a library, nor a JavaScript global.
pub(super) fn opaque(text: &str) -> bool {
    const GLOBALS: &[&str] = &[
        "String", "Number", "Boolean", "parseInt", "parseFloat", "require", "next", "done", "cb", "callback",
        "encodeURIComponent", "decodeURIComponent", "setTimeout", "clearTimeout", "Date", "Error", "isNaN", "Array",
        "Object", "JSON", "Promise", "resolve", "reject", "t", "__",
    ];
    let callee = text.split('(').next().unwrap_or("").trim();
    !callee.is_empty()
        && callee.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        && !GLOBALS.contains(&callee)
        && callee.chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

/// The work on `route`'s request path: every call site in a function the route reaches.
pub fn work(program: &Program, route: RouteId) -> Work {
    let mut w = Work::default();
    let on_path = |f: Option<usize>| f.is_some_and(|f| program.reached_by[f].contains(&route));
    for call in program.calls.iter().filter(|c| on_path(c.function)) {
        let text = program.file(call.file).snippet(call.span);
        if hashing(text) {
            w.hashes += 1;
            continue;
        }
        match &call.kind {
            CallKind::Query(_) => w.queries += 1,
            CallKind::Http { .. } => w.http += 1,
            CallKind::Fs { .. } => w.fs += 1,
            CallKind::Cpu { .. } => w.cpu += 1,
            _ if call.data_access => w.queries += 1,
            _ if call.callees.is_empty() && opaque(text) => w.opaque += 1,
            _ => {}
        }
    }
    for it in &program.iterations {
        let inside = program
            .functions
            .iter()
            .enumerate()
            .filter(|(_, f)| f.file == it.file && f.span.lo <= it.span.lo && it.span.hi <= f.span.hi)
            .min_by_key(|(_, f)| f.span.hi.0 - f.span.lo.0)
            .map(|(i, _)| i);
        if on_path(inside) {
            w.loops += 1;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hashing_by_name() {
        for t in ["bcrypt.compare(a, b)", "bcryptjs.hashSync(p, 10)", "argon2.verify(h, p)", "user.comparePassword(p)", "crypto.scrypt(p, s, 64, cb)", "this.hashPassword(p)"] {
            assert!(hashing(t), "{t}");
        }
        for t in ["res.render('login')", "crypto.randomBytes(16)", "user.password.trim()"] {
            assert!(!hashing(t), "{t}");
        }
    }
}
