//! One stage on a backend that builds its model afresh, and the retry ladder: a numerical
//! failure is retried with the model stated differently (no warm start, no row scaling,
//! microlp's newer release, the last hold loosened); and loosening holds, which the stage
//! driver also does when round-off makes a stage infeasible.

use std::time::{Duration, Instant};

use super::SolveOptions;
use super::backend::{BackendError, BackendOutcome, Problem, Timed};
#[cfg(feature = "highs")]
use super::highs;
use super::{checks, microlp, microlp_next};
use crate::model::{LinearModel, Row};
use crate::scenario::Backend;

/// One attempt at one stage, as the stage driver makes it: the outcome and whether the last
/// hold had to be loosened, or the error, with the seconds spent translating models for the
/// solver.
pub(super) type StageAttempt = Timed<Result<(BackendOutcome, bool), BackendError>>;

/// The extra slack of a hold retried after round-off made a stage infeasible.
pub(super) const LOOSER: f64 = 1e-5;

/// `row` with its upper bound loosened by `LOOSER`, relative.
pub(super) fn loosen(row: &Row) -> Row {
    let slack = LOOSER * row.upper.abs().max(1.0);
    Row {
        upper: row.upper + slack,
        ..row.clone()
    }
}

/// `holds` with the last one loosened: the hold most likely lost to round-off, since the
/// earlier ones held the plan of the stage that set it.
pub(super) fn loosen_last(holds: &[Row]) -> Vec<Row> {
    let mut rows = holds.to_vec();
    if let Some(last) = rows.last_mut() {
        *last = loosen(last);
    }
    rows
}

/// Solves one stage. A numerical failure of the backend is retried with the model stated
/// differently: without the warm start, without row scaling, with microlp's newer release
/// (microlp only), and with the last hold loosened. A failure is an error (a singular basis,
/// say), a plan that breaks a row or a bound by more than round-off (`checks::broken_row`:
/// microlp has returned such plans as optimal), or, with earlier stages held, "infeasible"
/// (round-off can lose a held optimum). The first attempt that gives a sound answer wins;
/// the flag says whether that was one with the last hold loosened. The translation time of
/// every attempt made comes back with it.
pub(super) fn run_stage(
    lp: &LinearModel,
    objective: &[(usize, f64)],
    holds: &[Row],
    options: &SolveOptions,
    time_left: Duration,
    initial: Option<&[f64]>,
) -> StageAttempt {
    let loose = loosen_last(holds);
    struct Attempt<'a> {
        /// microlp 0.7, called directly, in place of the backend.
        next: bool,
        initial: Option<&'a [f64]>,
        scale_rows: bool,
        holds: &'a [Row],
    }
    let attempt = |next, initial, scale_rows, holds| Attempt {
        next,
        initial,
        scale_rows,
        holds,
    };
    let attempts = [
        attempt(false, initial, true, holds),
        attempt(false, None, true, holds),
        attempt(false, None, false, holds),
        attempt(true, initial, true, holds),
        attempt(false, None, true, &loose),
        attempt(true, initial, true, &loose),
    ];
    const FIRST_LOOSE: usize = 4;
    let started = Instant::now();
    let mut first_error = None;
    let mut infeasible = false;
    let held = !holds.is_empty();
    let initial_given = initial;
    let mut build_seconds = 0.0;
    let result = 'ladder: {
        for (
            i,
            Attempt {
                next,
                initial,
                scale_rows,
                holds,
            },
        ) in attempts.into_iter().enumerate()
        {
            // The warm start is for mixed-integer models only: without one, the second
            // attempt would repeat the first.
            if i == 1 && (initial_given.is_none() || !lp.has_integers()) {
                continue;
            }
            // The newer microlp stands in for the older one only: HiGHS has no such retry.
            if next && options.backend != Backend::Microlp {
                continue;
            }
            let left = time_left.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            let problem = Problem {
                lp,
                objective,
                extra_rows: holds,
                time_limit: left,
                mip_gap: options.mip_gap,
                initial,
                scale_rows,
            };
            let result = match options.backend {
                Backend::Microlp if next => microlp_next::solve(&problem),
                Backend::Microlp => microlp::solve(&problem),
                #[cfg(feature = "highs")]
                Backend::Highs => highs::solve(&problem),
                #[cfg(not(feature = "highs"))]
                Backend::Highs => {
                    break 'ladder Err(BackendError::Unavailable("highs"));
                }
            }
            .into_result(&mut build_seconds);
            let loosened = i >= FIRST_LOOSE;
            match result {
                Ok(BackendOutcome::Solved {
                    values,
                    status,
                    gap,
                }) => match checks::broken_row(lp, holds, &values) {
                    None => {
                        let solved = BackendOutcome::Solved {
                            values,
                            status,
                            gap,
                        };
                        break 'ladder Ok((solved, loosened));
                    }
                    Some(broken) => {
                        first_error.get_or_insert(BackendError::BrokenRow(broken));
                    }
                },
                Ok(BackendOutcome::Infeasible) if held => infeasible = true,
                Ok(outcome) => break 'ladder Ok((outcome, loosened)),
                Err(message) => {
                    first_error.get_or_insert(message);
                }
            }
        }
        if infeasible {
            break 'ladder Ok((BackendOutcome::Infeasible, false));
        }
        Err(first_error.unwrap_or(BackendError::OutOfTime))
    };
    Timed::new(result, build_seconds)
}
