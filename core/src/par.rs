//! Work on all cores, with the observer's contract kept ([`crate::progress`]).
//!
//! [`try_map`] maps a slice in order or, with the `parallel` feature (the CLI's; WebAssembly
//! has no threads), on a pool of threads: the observer is still called on the calling thread,
//! once per item, in the items' order and before the item's work starts; at most twice as many
//! items as the pool has threads are started and unfinished at any time, so the latest step the
//! observer saw is one of those running; when the observer says stop, no further item starts,
//! the running ones finish, and the map returns [`Stopped`]. Results come back in the items'
//! order, so the analysis is the same byte for byte whatever the number of threads.
//!
//! The pool's threads have a 64 MiB stack, as the CLI's analysis thread: the parser and the
//! model recurse as deep as the input guard allows (`core/tests/limits.rs`). Its size is the
//! `RAYON_NUM_THREADS` environment variable, else [`set_threads`], else the number of cores.

use crate::progress::{step, Observer, Step, Stopped};

/// The stack of each pool thread.
#[cfg(feature = "parallel")]
const STACK: usize = 64 * 1024 * 1024;

#[cfg(feature = "parallel")]
static THREADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[cfg(feature = "parallel")]
static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();

/// Asks for `n` threads (0: the default). Effective when called before the first analysis,
/// and unless `RAYON_NUM_THREADS` is set; without the `parallel` feature, analyses run on the
/// calling thread whatever it says.
pub fn set_threads(n: usize) {
    #[cfg(feature = "parallel")]
    THREADS.store(n, std::sync::atomic::Ordering::Relaxed);
    #[cfg(not(feature = "parallel"))]
    let _ = n;
}

/// The threads analyses run on: 1 without the `parallel` feature.
pub fn threads() -> usize {
    #[cfg(feature = "parallel")]
    {
        pool().map_or(1, |p| p.current_num_threads())
    }
    #[cfg(not(feature = "parallel"))]
    1
}

#[cfg(feature = "parallel")]
fn pool() -> Option<&'static rayon::ThreadPool> {
    POOL.get_or_init(|| {
        let from_env = std::env::var("RAYON_NUM_THREADS").ok().and_then(|v| v.trim().parse::<usize>().ok());
        let n = from_env.filter(|&n| n > 0).unwrap_or_else(|| THREADS.load(std::sync::atomic::Ordering::Relaxed));
        let n = if n > 0 { n } else { std::thread::available_parallelism().map_or(1, |n| n.get()) };
        // One thread: the calling thread does the work, no pool.
        if n <= 1 {
            return None;
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .stack_size(STACK)
            .thread_name(|i| format!("backlens-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// `f` over `items`, telling `observe` `step_of(i, item)` before each (see the module's
/// documentation).
pub(crate) fn try_map<'i, T, R, S, F>(
    items: &'i [T],
    observe: &mut Observer<'_>,
    step_of: S,
    f: F,
) -> Result<Vec<R>, Stopped>
where
    T: Sync,
    R: Send,
    S: Fn(usize, &'i T) -> Step<'i>,
    F: Fn(usize, &'i T) -> R + Sync,
{
    #[cfg(feature = "parallel")]
    {
        // On a pool thread already (an analysis inside a parallel map): in order, here.
        if let Some(pool) = pool().filter(|_| rayon::current_thread_index().is_none() && items.len() > 1) {
            return parallel(pool, items, observe, step_of, f);
        }
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        step(observe, step_of(i, item))?;
        out.push(f(i, item));
    }
    Ok(out)
}

#[cfg(feature = "parallel")]
fn parallel<'i, T, R, S, F>(
    pool: &rayon::ThreadPool,
    items: &'i [T],
    observe: &mut Observer<'_>,
    step_of: S,
    f: F,
) -> Result<Vec<R>, Stopped>
where
    T: Sync,
    R: Send,
    S: Fn(usize, &'i T) -> Step<'i>,
    F: Fn(usize, &'i T) -> R + Sync,
{
    use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
    let window = 2 * pool.current_num_threads();
    let mut results: Vec<Option<R>> = Vec::with_capacity(items.len());
    results.resize_with(items.len(), || None);
    let (send, receive) = std::sync::mpsc::channel::<(usize, std::thread::Result<R>)>();
    let f = &f;
    let mut stopped = None;
    let mut panicked = None;
    pool.in_place_scope(|scope| {
        let mut running = 0;
        let mut take = |running: &mut usize, results: &mut Vec<Option<R>>| {
            // Every started item sends exactly one message, even when it panics.
            let (i, r) = receive.recv().expect("a started item always answers");
            *running -= 1;
            match r {
                Ok(r) => results[i] = Some(r),
                Err(p) => panicked = panicked.take().or(Some(p)),
            }
        };
        for (i, item) in items.iter().enumerate() {
            while running >= window {
                take(&mut running, &mut results);
            }
            if let Err(s) = step(observe, step_of(i, item)) {
                stopped = Some(s);
                break;
            }
            let send = send.clone();
            running += 1;
            scope.spawn(move |_| {
                let r = catch_unwind(AssertUnwindSafe(|| f(i, item)));
                let _ = send.send((i, r));
            });
        }
        while running > 0 {
            take(&mut running, &mut results);
        }
    });
    if let Some(p) = panicked {
        resume_unwind(p);
    }
    if let Some(s) = stopped {
        return Err(s);
    }
    Ok(results.into_iter().map(|r| r.expect("every item ran")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::{Phase, StepOwned};
    use std::ops::ControlFlow;

    fn step_of(i: usize, path: &String) -> Step<'_> {
        crate::progress::file(Phase::Parse, path, i, 0)
    }

    #[test]
    fn results_and_steps_come_in_order() {
        let items: Vec<String> = (0..200).map(|i| format!("f{i}.js")).collect();
        let mut seen = Vec::new();
        let out = try_map(
            &items,
            &mut |s| {
                seen.push(s.file.unwrap().to_string());
                ControlFlow::Continue(())
            },
            step_of,
            |i, p| format!("{i}:{p}"),
        )
        .unwrap();
        assert_eq!(out, (0..200).map(|i| format!("{i}:f{i}.js")).collect::<Vec<_>>());
        assert_eq!(seen, items);
    }

    #[test]
    fn a_stop_starts_nothing_more() {
        let items: Vec<String> = (0..100).map(|i| format!("f{i}.js")).collect();
        let ran = std::sync::atomic::AtomicUsize::new(0);
        let stopped = try_map(
            &items,
            &mut |s| if s.index == 40 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) },
            step_of,
            |_, _| ran.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        )
        .unwrap_err();
        assert_eq!(stopped.at, StepOwned { phase: Phase::Parse, file: Some("f40.js".into()), rule: None, index: 40, count: 0 });
        assert_eq!(ran.load(std::sync::atomic::Ordering::Relaxed), 40);
    }

    #[test]
    #[should_panic(expected = "item 7")]
    fn a_panic_reaches_the_caller() {
        let items: Vec<String> = (0..20).map(|i| format!("f{i}.js")).collect();
        let _ = try_map(&items, &mut |_| ControlFlow::Continue(()), step_of, |i, _| {
            if i == 7 {
                panic!("item 7");
            }
            i
        });
    }
}
