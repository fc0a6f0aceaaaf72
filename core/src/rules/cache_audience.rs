//! Whom a route's answer is for, as far as a response cache is concerned
//! (missing-response-cache): one shared answer, an answer per user, an admin's, or data that
//! changes too fast for a cache to pay.
//!
//! Found on real code (docs/evaluation.md): outline's `GET /redirect` reads the signed-in user
//! from `ctx.state.auth` in the handler; other apps read `req.user` in a helper two calls away.
//! A cache keyed by the URL would serve one user's answer to everyone.

use super::Context;
use crate::model::Route;

/// What the request path reads of the caller: `req.user`, the session, Koa's `ctx.state`
/// (where auth middleware puts the user), express-jwt's `req.auth`, NestJS user decorators,
/// `res.locals.user`, `req.userId`.
const CALLER: &[&str] = &[
    "req.user",
    "req.session",
    "req.auth",
    "req.currentUser",
    "req.userId",
    "request.user",
    "request.session",
    "request.auth",
    "ctx.state.",
    "ctx.session",
    "ctx.request.user",
    "res.locals.user",
    "@User(",
    "@CurrentUser(",
    "@AuthUser(",
    "@Session(",
    "getServerSession(",
    "getSession(",
];

/// Does the answer depend on who asks: does any function on the route's request path read the
/// caller?
pub fn per_user(ctx: &Context, reached: &[usize]) -> bool {
    reached.iter().any(|&f| {
        let func = &ctx.program.functions[f];
        let text = ctx.program.file(func.file).snippet(func.span);
        CALLER.iter().any(|c| text.contains(c))
    })
}

/// Behind an admin guard: a middleware or decorator of the registration names an admin
/// (`isAdmin`, `requireAdmin`, `authorize('admin')`, `@Roles('admin')`), or the route's path
/// is under `/admin`.
pub fn admin_only(ctx: &Context, route: &Route) -> bool {
    let registration = ctx.program.file(route.file).snippet(route.span).to_ascii_lowercase();
    let guard = registration.split_once(['(', '@']).map(|(_, r)| r).unwrap_or("");
    let path = route.path.to_ascii_lowercase();
    path.split('/').any(|s| s == "admin" || s == "admins") || guard.contains("admin")
}

/// Reads data that changes by the second — notifications, messages, events, live status,
/// presence, counters — where a cached answer is stale before it is reused: the queried
/// model's name says so (`Notification`, `ChatMessage`, `Event`, `UserActivity`).
pub fn fast_changing(model: Option<&str>) -> bool {
    const FAST: &[&str] = &["notification", "message", "event", "activit", "presence", "heartbeat", "realtime", "metric"];
    model.is_some_and(|m| {
        let m = m.to_ascii_lowercase();
        FAST.iter().any(|w| m.contains(w))
    })
}
