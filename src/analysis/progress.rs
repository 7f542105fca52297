//! Progress of an analysis of many solves (sweeps, stress tests, the asks), told to a
//! callback: the analyses know nothing of terminals; the CLI draws a bar from the calls.

use std::sync::atomic::{AtomicU64, Ordering};

/// Told as a run goes on, from whichever worker thread finished a step: (steps done,
/// steps in all). Steps are solves (a sweep's variants, a stress test's withdrawals) or,
/// for the asks, offers decided.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// A progress callback that ignores every call.
pub fn silent(_done: u64, _total: u64) {}

/// Counts the steps of a run of `total` and tells each to a callback.
pub(crate) struct Counter<'a> {
    done: AtomicU64,
    total: u64,
    tell: Progress<'a>,
}

impl<'a> Counter<'a> {
    pub fn new(total: u64, tell: Progress<'a>) -> Self {
        Counter {
            done: AtomicU64::new(0),
            total,
            tell,
        }
    }

    /// `steps` more steps are done.
    pub fn advance(&self, steps: u64) {
        let done = self.done.fetch_add(steps, Ordering::SeqCst) + steps;
        (self.tell)(done, self.total);
    }
}
