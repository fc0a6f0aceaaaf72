//! Background jobs: code a scheduler or a queue runs, not a request.
//!
//! ```js
//! agenda.define('eventCreated', EventNotifier.jobHandler);     // agenda
//! emailQueue.process('welcome', async (job) => { … });         // bull
//! cron.schedule('*/5 * * * *', refreshStats);                 // node-cron
//! schedule.scheduleJob('0 * * * *', () => { … });             // node-schedule
//! setInterval(flushMetrics, 60_000);
//! @Cron(CronExpression.EVERY_WEEK) async handleCron() { … }   // @nestjs/schedule (also
//!                                                             // @Interval, @Timeout, bull's @Process)
//! ```
//!
//! The function a job registration names (and everything it calls) runs on the scheduler's
//! time, not per request: a finding there costs no user any latency, and the blind reviews of
//! 2026-12 judged every per-request finding in such code false ("a job, not a request path").
//! `link` resolves each registration to its function and marks what it reaches
//! (`Program::background`); so are files in a background folder (`jobs/`, `queues/`,
//! `workers/`, `processors/`, …: [`background_path`]). `rules::Context::placement` reports
//! nothing in such a function when no route reaches it, and the coverage counts both.

use super::{Collector, FunctionId, Ref};
use crate::syntax::{prop_name, unwrap};
use swc_common::Spanned;
use swc_ecma_ast::*;

/// Folders a repository keeps its background work in: a function there that no route reaches
/// is a job's (outline's `server/queues/`, documenso's `packages/lib/jobs/`, growthbook's
/// `src/jobs/`). `tasks/` is left out: it is as often a to-do app's resource.
const BACKGROUND_DIRS: &[&str] =
    &["jobs", "job", "queues", "queue", "workers", "worker", "processors", "crons", "schedulers", "schedules"];

/// A file in a background-job folder, by its path below the project's common directory.
pub(crate) fn background_path(rel: &str) -> bool {
    let rel = rel.replace('\\', "/").to_ascii_lowercase();
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    parts.iter().any(|d| BACKGROUND_DIRS.contains(d))
}

/// Method decorators that make a method a scheduled or queued job.
const JOB_DECORATORS: &[&str] = &["Cron", "Interval", "Timeout", "Process"];

impl Collector<'_> {
    /// A job registration among `call`'s arguments: the function it runs.
    pub(super) fn note_job(&mut self, call: &CallExpr, fn_args: &[Option<FunctionId>]) {
        let Callee::Expr(callee) = &call.callee else { return };
        let handler_at = match unwrap(callee) {
            Expr::Ident(i) if &*i.sym == "setInterval" => Some(0),
            Expr::Member(m) => {
                let method = prop_name(&m.prop).unwrap_or_default();
                let receiver = self.snippet(m.obj.span()).to_ascii_lowercase();
                let receiver = receiver.rsplit('.').next().unwrap_or("");
                match method.as_str() {
                    "define" if receiver.contains("agenda") => Some(1),
                    "process" if receiver.contains("queue") => Some(call.args.len().saturating_sub(1)),
                    "schedule" if receiver == "cron" || receiver == "nodecron" => Some(1),
                    "scheduleJob" if receiver == "schedule" || receiver == "nodeschedule" => {
                        Some(call.args.len().saturating_sub(1))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let Some(i) = handler_at else { return };
        let handler = match fn_args.get(i).copied().flatten() {
            Some(f) => Some(Ref::Function(f)),
            None => call.args.get(i).and_then(|a| self.handler_ref(&a.expr)),
        };
        if let Some(r) = handler {
            self.facts.jobs.push(r);
        }
    }

    /// A class method decorated as a job (`@Cron(…)`, `@Interval(…)`, `@Timeout(…)`,
    /// `@Process(…)`).
    pub(super) fn note_job_method(&mut self, method: &ClassMethod, fid: FunctionId) {
        let is_job = method.function.decorators.iter().any(|d| {
            let callee = match unwrap(&d.expr) {
                Expr::Call(c) => match &c.callee {
                    Callee::Expr(e) => unwrap(e),
                    _ => return false,
                },
                e => e,
            };
            matches!(callee, Expr::Ident(i) if JOB_DECORATORS.contains(&&*i.sym))
        });
        if is_job {
            self.facts.jobs.push(Ref::Function(fid));
        }
    }
}
