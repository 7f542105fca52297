//! Running a sweep: the variants of a shard, less those already done, solved one per task on
//! the current rayon pool, and their rows emitted in variant order as soon as every earlier
//! row is out; `--fail-fast` and an interruption stop handing out variants.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{Row, Sweep, Variant, fnv1a, solve_variant};
use crate::analysis::progress::{Counter, Progress};
use crate::scenario::SolverSettings;

/// How to run a sweep.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    pub fail_fast: bool,
    pub shard: Option<(u32, u32)>,
    /// Variant ids already done (from `--resume`).
    pub skip: HashSet<String>,
    /// Non-zero (a signal number) once the run should stop handing out variants; the
    /// variants being solved are finished and emitted.
    pub interrupt: Option<Arc<AtomicUsize>>,
    /// Set once no more rows are wanted (their reader went away): no more variants are
    /// handed out.
    pub halt: Option<Arc<AtomicBool>>,
}

impl Sweep {
    /// Whether `variant` belongs to shard `i` of `n` (1-based).
    pub fn in_shard(variant: &Variant, (i, n): (u32, u32)) -> bool {
        fnv1a(variant.id.as_bytes()) % u64::from(n) == u64::from(i - 1)
    }
}

/// Runs the selected variants in parallel on the current rayon pool. `emit` receives rows
/// in variant order, each as soon as every earlier row is out; `progress` is told each
/// solved variant. Returns the rows emitted.
pub fn run(
    sweep: &Sweep,
    settings: &SolverSettings,
    options: &RunOptions,
    emit: &mut (dyn FnMut(&Row) + Send),
    progress: Progress<'_>,
) -> Vec<Row> {
    let todo: Vec<&Variant> = sweep
        .variants
        .iter()
        .filter(|v| options.shard.is_none_or(|s| Sweep::in_shard(v, s)))
        .filter(|v| !options.skip.contains(&v.id))
        .collect();
    let stop = AtomicBool::new(false);
    let counter = Counter::new(todo.len() as u64, progress);
    struct Reorder<'a> {
        next: usize,
        pending: BTreeMap<usize, Row>,
        emit: &'a mut (dyn FnMut(&Row) + Send),
        done: Vec<Row>,
    }
    let state = Mutex::new(Reorder {
        next: 0,
        pending: BTreeMap::new(),
        emit,
        done: Vec::new(),
    });
    // One variant per task: solve times vary a hundredfold, so chunks would leave a thread idle.
    todo.par_iter()
        .with_max_len(1)
        .enumerate()
        .for_each(|(position, variant)| {
            let interrupted = options
                .interrupt
                .as_ref()
                .is_some_and(|s| s.load(Ordering::SeqCst) != 0);
            let halted = options
                .halt
                .as_ref()
                .is_some_and(|h| h.load(Ordering::SeqCst));
            if interrupted || halted || stop.load(Ordering::Relaxed) {
                return;
            }
            let row = solve_variant(sweep, variant, settings);
            if row.failed() && options.fail_fast {
                stop.store(true, Ordering::Relaxed);
            }
            counter.advance(1);
            let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
            state.pending.insert(position, row);
            loop {
                let next = state.next;
                let Some(row) = state.pending.remove(&next) else {
                    break;
                };
                (state.emit)(&row);
                state.done.push(row);
                state.next += 1;
            }
        });
    // With --fail-fast or an interruption, later variants may be missing: what was solved
    // still goes out, in variant order.
    let mut state = state.into_inner().unwrap_or_else(|p| p.into_inner());
    let rest: Vec<Row> = std::mem::take(&mut state.pending).into_values().collect();
    for row in rest {
        (state.emit)(&row);
        state.done.push(row);
    }
    state.done
}
