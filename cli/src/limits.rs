//! `--timeout SECONDS` and `--max-memory MIB`: an analysis that runs away is stopped, with the
//! step it was in, and the CLI exits with status 3.
//!
//! The analysis runs on its own thread (64 MiB stack) and tells its observer each step before
//! it runs (`backlens_core::progress`: every file of parse and collect, every program-wide
//! phase, every rule); the observer keeps the latest. The main thread waits for the result and
//! looks at the clock and the heap every 10 ms: past the deadline, or with more live heap than
//! the budget, it stops waiting, names the latest step and returns. It does not wait for the
//! step to end, so a single step that runs away (one huge file, a quadratic phase) is stopped
//! too; the observer also answers `Break` from then on, so the analysis thread stops at its next
//! step while the process exits.
//!
//! The heap is counted by [`Counting`], the binary's global allocator: the bytes allocated and
//! not yet freed by the whole process (the files read are part of it). Between two looks the
//! heap can grow past the budget by what 10 ms of analysis allocates (a few MiB at most on the
//! projects measured); one allocation larger than what is left is not refused.

use backlens_core::progress::{Phase, Step, StepOwned};
use backlens_core::{Analysis, Params, SourceFile};
use std::alloc::{GlobalAlloc, Layout, System};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// Stack for the analysis thread. The parser's input guard bounds how deep the analyzer can
/// recurse (`core/tests/limits.rs`); this leaves a wide margin over what that needs.
const ANALYSIS_STACK: usize = 64 * 1024 * 1024;

/// How often the main thread looks at the clock and the heap.
const POLL: Duration = Duration::from_millis(10);

/// The system allocator, counting the live heap.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `alloc` above with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by this allocator with `layout`; forwarded unchanged.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            LIVE.fetch_add(new_size, Ordering::Relaxed);
        }
        p
    }
}

/// The live heap, in bytes.
pub fn live_heap() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The limits of one run; `None`: no limit.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Limits {
    pub timeout: Option<Duration>,
    /// Bytes of live heap.
    pub max_memory: Option<usize>,
}

/// Why a run was stopped.
#[derive(Debug)]
pub enum Exceeded {
    Time { limit: Duration, at: Option<StepOwned> },
    Memory { limit: usize, used: usize, at: Option<StepOwned> },
}

impl Exceeded {
    /// The one line printed after `backlens: `.
    pub fn message(&self) -> String {
        let at = |at: &Option<StepOwned>| match at {
            Some(step) => format!("the analysis was in {step}"),
            None => "the analysis had not started".to_string(),
        };
        match self {
            Exceeded::Time { limit, at: step } => format!(
                "stopped: the analysis took longer than {} (--timeout {}); {}; nothing was written",
                seconds(*limit),
                limit.as_secs_f64(),
                at(step)
            ),
            Exceeded::Memory { limit, used, at: step } => format!(
                "stopped: the analysis used {:.1} MiB of memory, over {} MiB (--max-memory {}); {}; nothing was written",
                *used as f64 / MIB as f64,
                limit / MIB,
                limit / MIB,
                at(step)
            ),
        }
    }
}

const MIB: usize = 1024 * 1024;

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s == 1.0 {
        "1 second".to_string()
    } else {
        format!("{s} seconds")
    }
}

/// `--timeout`: seconds, a positive number (fractions allowed).
pub fn parse_timeout(value: &str) -> Result<Duration, String> {
    let bad = || format!("invalid value {value:?} for option `--timeout`: expected a number of seconds above 0, e.g. 30 or 0.5");
    let s: f64 = value.trim().parse().map_err(|_| bad())?;
    if !s.is_finite() || s <= 0.0 || s > 1e9 {
        return Err(bad());
    }
    Ok(Duration::from_secs_f64(s))
}

/// `--max-memory`: MiB, a positive whole number.
pub fn parse_max_memory(value: &str) -> Result<usize, String> {
    let bad = || format!("invalid value {value:?} for option `--max-memory`: expected a number of MiB above 0, e.g. 512");
    match value.trim().parse::<usize>() {
        Ok(n) if n > 0 && n <= usize::MAX / MIB => Ok(n * MIB),
        _ => Err(bad()),
    }
}

/// What a run ended with.
pub enum Outcome {
    /// The analysis, and the time each phase took (in the order they ran; each rule of
    /// [`Phase::Rule`] on its own).
    Done(Analysis, Vec<Timed>),
    Stopped(Exceeded),
}

/// A phase (and the rule of [`Phase::Rule`]) and the time it took.
pub type Timed = (Phase, Option<&'static str>, Duration);

/// `parse 0.41 s, collect 1.20 s, …, rules 2.10 s (n-plus-one-query 0.52 s, …)`: the phases
/// that took 10 ms or more, and the three slowest rules of 10 ms or more (`--verbose`).
pub fn phase_times(times: &[Timed]) -> String {
    let mut phases: Vec<(Phase, Duration)> = Vec::new();
    for (p, _, d) in times {
        match phases.last_mut() {
            Some((q, total)) if q == p => *total += *d,
            _ => phases.push((*p, *d)),
        }
    }
    let mut rules: Vec<(&str, Duration)> = times.iter().filter_map(|(_, r, d)| r.map(|r| (r, *d))).collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let slowest: Vec<String> = rules
        .iter()
        .take(3)
        .filter(|(_, d)| *d >= Duration::from_millis(10))
        .map(|(r, d)| format!("{r} {:.2} s", d.as_secs_f64()))
        .collect();
    let shown: Vec<String> = phases
        .iter()
        .filter(|(_, d)| *d >= Duration::from_millis(10))
        .map(|(p, d)| match p {
            Phase::Rule if !slowest.is_empty() => {
                format!("{} {:.2} s ({})", p.name(), d.as_secs_f64(), slowest.join(", "))
            }
            _ => format!("{} {:.2} s", p.name(), d.as_secs_f64()),
        })
        .collect();
    if shown.is_empty() {
        "every phase under 10 ms".to_string()
    } else {
        shown.join(", ")
    }
}

/// Runs the analysis on a thread with a large stack, within `limits`.
pub fn analyze(files: Vec<SourceFile>, params: Params, limits: Limits) -> Result<Outcome, String> {
    let started = Instant::now();
    let latest: Arc<Mutex<Option<StepOwned>>> = Arc::new(Mutex::new(None));
    let stop = Arc::new(AtomicBool::new(false));
    let (send, receive) = mpsc::channel();
    {
        let (latest, stop) = (latest.clone(), stop.clone());
        std::thread::Builder::new()
            .name("analysis".into())
            .stack_size(ANALYSIS_STACK)
            .spawn(move || {
                let mut times: Vec<Timed> = Vec::new();
                let mut since = Instant::now();
                let mut observe = |step: &Step<'_>| {
                    if stop.load(Ordering::Relaxed) {
                        return ControlFlow::Break(());
                    }
                    if let Ok(mut l) = latest.lock() {
                        *l = Some(step.to_owned());
                    }
                    // The time since the last step goes to the phase that ran it.
                    if let Some((_, _, d)) = times.last_mut() {
                        *d += since.elapsed();
                    }
                    since = Instant::now();
                    if times.last().is_none_or(|(p, r, _)| *p != step.phase || *r != step.rule) {
                        times.push((step.phase, step.rule, Duration::ZERO));
                    }
                    ControlFlow::Continue(())
                };
                let result = backlens_core::analyze_observed(&files, &params, &mut observe);
                if let Some((_, _, d)) = times.last_mut() {
                    *d += since.elapsed();
                }
                // The receiver is gone when the budget ran out: nothing to tell.
                let _ = send.send(result.map(|a| (a, times)));
            })
            .map_err(|e| format!("cannot start the analysis thread: {e}"))?;
    }
    let at = || latest.lock().ok().and_then(|l| l.clone());
    loop {
        let wait = match limits.timeout {
            Some(limit) => match limit.checked_sub(started.elapsed()) {
                Some(left) => left.min(POLL),
                None => {
                    stop.store(true, Ordering::Relaxed);
                    return Ok(Outcome::Stopped(Exceeded::Time { limit, at: at() }));
                }
            },
            None => POLL,
        };
        match receive.recv_timeout(wait) {
            Ok(Ok((analysis, times))) => return Ok(Outcome::Done(analysis, times)),
            // Only this module's observer stops the analysis, and only after `stop` is set,
            // which returns above first.
            Ok(Err(stopped)) => return Err(format!("the analysis stopped unexpectedly: {stopped}")),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(
                    "the analysis stopped unexpectedly (this is a bug in backlens; please report it)".to_string()
                )
            }
        }
        if let Some(limit) = limits.max_memory {
            let used = live_heap();
            if used > limit {
                stop.store(true, Ordering::Relaxed);
                return Ok(Outcome::Stopped(Exceeded::Memory { limit, used, at: at() }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_parsed_and_bad_ones_named() {
        assert_eq!(parse_timeout("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_timeout("0.25"), Ok(Duration::from_millis(250)));
        for bad in ["0", "-1", "abc", "inf", "NaN", ""] {
            let e = parse_timeout(bad).unwrap_err();
            assert!(e.contains("`--timeout`") && e.contains("seconds above 0"), "{bad}: {e}");
        }
        assert_eq!(parse_max_memory("512"), Ok(512 * MIB));
        for bad in ["0", "-5", "1.5", "lots"] {
            assert!(parse_max_memory(bad).unwrap_err().contains("`--max-memory`"), "{bad}");
        }
    }

    #[test]
    fn a_finished_analysis_is_returned_whatever_the_budget() {
        let files = vec![SourceFile::new("a.js", "export const x = 1;\n")];
        let limits = Limits { timeout: Some(Duration::from_secs(600)), max_memory: Some(64 * 1024 * MIB) };
        match analyze(files, Params::all_rules(), limits).unwrap() {
            Outcome::Done(a, times) => {
                assert_eq!(a.files.len(), 1);
                assert_eq!(times.first().map(|t| t.0), Some(Phase::Parse));
                assert_eq!(times.last().map(|t| t.0), Some(Phase::Coverage));
                assert!(times.iter().any(|t| t.0 == Phase::Rule && t.1 == Some("n-plus-one-query")));
                assert!(times.iter().all(|t| (t.0 == Phase::Rule) == t.1.is_some()));
            }
            Outcome::Stopped(e) => panic!("{}", e.message()),
        }
    }

    #[test]
    fn the_messages_name_the_limit_and_the_step() {
        let step = StepOwned {
            phase: backlens_core::progress::Phase::Rule,
            file: None,
            rule: Some("quadratic-lookup"),
            index: 8,
            count: 22,
        };
        let time = Exceeded::Time { limit: Duration::from_millis(500), at: Some(step.clone()) };
        assert_eq!(
            time.message(),
            "stopped: the analysis took longer than 0.5 seconds (--timeout 0.5); the analysis was in phase rules, rule quadratic-lookup (9 of 22); nothing was written"
        );
        let memory = Exceeded::Memory { limit: 256 * MIB, used: 300 * MIB, at: None };
        assert_eq!(
            memory.message(),
            "stopped: the analysis used 300.0 MiB of memory, over 256 MiB (--max-memory 256); the analysis had not started; nothing was written"
        );
    }
}
