//! Solving a formulation stage by stage (lexicographic), on a chosen backend.
//!
//! Each stage minimises its objective with every earlier stage held at its optimum
//! (value <= optimum + 1e-7 max(1, |optimum|)). One time limit covers all stages of a solve;
//! a stage cut short keeps the best plan found and the solve reports `time_limit`.

mod backend;
#[cfg(feature = "highs")]
mod highs;
#[cfg(feature = "highs")]
mod highs_api;
#[cfg(feature = "highs")]
mod highs_warm;
mod microlp;
mod microlp_next;

#[cfg(feature = "highs")]
pub use highs::file_optimum;
#[cfg(feature = "highs")]
pub use highs_warm::{WarmStats, thread_stats as warm_stats};

use std::time::{Duration, Instant};

use crate::model::{Formulation, LinearModel, Row, evaluate};
use crate::scenario::Backend;

pub use backend::{BackendOutcome, BackendStatus};

/// How to solve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SolveOptions {
    pub backend: Backend,
    pub time_limit: Duration,
    /// Relative MIP gap.
    pub mip_gap: f64,
    /// Keep one model through the stages of a solve (HiGHS only; see `highs_warm`). Off:
    /// every stage builds its model from scratch.
    pub reuse: bool,
}

/// How a solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every stage solved to optimality (within the MIP gap where integers are involved).
    Optimal,
    /// The time limit cut a stage short; the plan is the best found, and verified.
    TimeLimit,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::TimeLimit => "time_limit",
        }
    }
}

/// How far one stage got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageStatus {
    /// Solved to optimality (within the MIP gap where integers are involved).
    Optimal,
    /// The time limit cut it short: the value is the best found, not proven optimal.
    TimeLimit,
    /// The time limit ran out before it: the value is the plan's, not optimised.
    NotSolved,
}

impl StageStatus {
    pub fn name(self) -> &'static str {
        match self {
            StageStatus::Optimal => "optimal",
            StageStatus::TimeLimit => "time_limit",
            StageStatus::NotSolved => "not_solved",
        }
    }
}

/// The value of one stage's objective.
#[derive(Clone, Debug, PartialEq)]
pub struct StageValue {
    pub name: String,
    pub value: f64,
    pub status: StageStatus,
    /// The proven relative gap of the stage's value to the solver's bound on it: 0 for an
    /// LP stage solved to optimality, at most the MIP gap for a whole-unit stage solved to
    /// optimality; `None` where no bound is known (a stage cut short before a bound, or
    /// not solved).
    pub gap: Option<f64>,
}

/// Where one stage's time went: translating the model for the solver (our work) and the
/// solver itself (everything else, retries included).
#[derive(Clone, Debug, PartialEq)]
pub struct StageTiming {
    pub name: String,
    pub build_seconds: f64,
    pub solve_seconds: f64,
}

impl StageTiming {
    /// The stage begun at `started`: the translation time this thread accumulated since
    /// the last timing was taken, and the rest of the wall clock as the solver's.
    fn since(name: &str, started: Instant) -> StageTiming {
        let build_seconds = backend::take_build_seconds();
        StageTiming {
            name: name.to_string(),
            build_seconds,
            solve_seconds: (started.elapsed().as_secs_f64() - build_seconds).max(0.0),
        }
    }
}

/// A plan found by the solver: a value per column and the stage values.
#[derive(Clone, Debug)]
pub struct Solution {
    pub values: Vec<f64>,
    pub stages: Vec<StageValue>,
    pub status: Status,
    pub seconds: f64,
    /// The relative slack given to held stages: 1e-7, or more where a hold had to be
    /// loosened for round-off. Later stages may trade earlier ones by this much.
    pub hold_tolerance: f64,
    /// One per stage solved.
    pub timings: Vec<StageTiming>,
}

#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// The hard constraints admit no plan (a floor cannot be met).
    #[error("the model is infeasible")]
    Infeasible,
    #[error(
        "solver backend `{0}` is not compiled into this build (a `--no-default-features` build); rebuild with the default features"
    )]
    Unavailable(&'static str),
    #[error("the time limit ran out before the solver found any plan")]
    NoPlanInTime,
    #[error("the time limit ran out before stage `{0}` was solved to optimality")]
    NoOptimumInTime(String),
    #[error("solver failure in stage `{stage}`: {message}")]
    Failed { stage: String, message: String },
}

/// Whether each stage is told on stderr as it ends (`solve -v`: a solve of an hour shows its
/// progress). Off by default, and for the many re-solves of sweeps and the asks list.
static STAGE_PROGRESS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Tells each stage on stderr as it ends, or stops telling.
pub fn report_stage_progress(on: bool) {
    STAGE_PROGRESS.store(on, std::sync::atomic::Ordering::Relaxed);
}

fn tell_stage(stage: &StageValue, timing: &StageTiming) {
    if STAGE_PROGRESS.load(std::sync::atomic::Ordering::Relaxed) {
        use std::io::Write;
        // A closed or full stderr is no reason to stop the solve.
        let _ = writeln!(
            std::io::stderr().lock(),
            "stage {} solved in {:.3} s: {}",
            stage.name,
            timing.build_seconds + timing.solve_seconds,
            stage.value
        );
    }
}

/// Solves every stage of `formulation` in turn.
pub fn solve(formulation: &Formulation, options: &SolveOptions) -> Result<Solution, SolveError> {
    solve_holding(formulation, options).map(|(solution, _)| solution)
}

/// The rows that held the earlier stages when [`solve`] solved one stage.
#[derive(Clone, Debug, PartialEq)]
pub struct StageHolds {
    /// One row per earlier stage: its objective <= its optimum plus a slack.
    pub rows: Vec<Row>,
    /// The slack is 1e-7 relative, or 1e-5 more where the stage was infeasible with the
    /// tighter holds (round-off) and the solver loosened the last of them, or all.
    pub loosened: bool,
}

/// The rows that hold the stages before `stage` (an index into `formulation.stages`) at
/// their optima, exactly as [`solve`] holds them when it solves that stage (loosened where
/// it had to loosen them): the model of a stage is `formulation.lp` plus these rows,
/// minimising that stage's objective. The stages up to `stage` are solved for it; a time
/// limit that cuts an earlier one short is an error, since its hold would not be an optimum.
pub fn stage_holds(
    formulation: &Formulation,
    options: &SolveOptions,
    stage: usize,
) -> Result<StageHolds, SolveError> {
    if stage == 0 {
        return Ok(StageHolds {
            rows: Vec::new(),
            loosened: false,
        });
    }
    let mut upto = formulation.clone();
    upto.stages.truncate(stage + 1);
    let (solution, mut used) = solve_holding(&upto, options)?;
    let optimal = |i: usize| {
        solution
            .stages
            .get(i)
            .is_some_and(|s| s.status == StageStatus::Optimal)
    };
    if let Some(cut) = (0..stage).find(|&i| !optimal(i)) {
        return Err(SolveError::NoOptimumInTime(
            formulation.stages[cut].name.clone(),
        ));
    }
    if used.len() <= stage {
        return Err(SolveError::NoOptimumInTime(
            formulation.stages[stage - 1].name.clone(),
        ));
    }
    Ok(used.swap_remove(stage))
}

/// The optimum of the LP relaxation of stage `stage` of `formulation` (every column
/// continuous), with each earlier stage i held at most at `held[i]`: a bound that no plan
/// with whole units under those holds beats. For screening (the asks list): cheap, and
/// exact as a bound.
pub fn relaxed_stage_bound(
    formulation: &Formulation,
    options: &SolveOptions,
    stage: usize,
    held: &[f64],
) -> Result<f64, SolveError> {
    let mut lp = formulation.lp.clone();
    for column in &mut lp.columns {
        column.integer = false;
    }
    let holds: Vec<Row> = formulation
        .stages
        .iter()
        .zip(held)
        .take(stage)
        .map(|(s, &upper)| Row {
            name: format!("hold[{}]", s.name).into(),
            terms: s.objective.clone(),
            lower: f64::NEG_INFINITY,
            upper,
        })
        .collect();
    let objective = &formulation.stages[stage].objective;
    let name = &formulation.stages[stage].name;
    match run_stage(&lp, objective, &holds, options, options.time_limit, None) {
        Ok((
            BackendOutcome::Solved {
                values,
                status: BackendStatus::Optimal,
                ..
            },
            // Holds loosened for round-off only lower the bound: it stays a bound.
            _,
        )) => Ok(evaluate(objective, &values)),
        Ok((BackendOutcome::Infeasible, _)) => Err(SolveError::Infeasible),
        Ok(_) => Err(SolveError::NoOptimumInTime(name.clone())),
        Err(message) => Err(failed(name, message)),
    }
}

/// [`solve`], also returning the holds each stage was solved with.
fn solve_holding(
    formulation: &Formulation,
    options: &SolveOptions,
) -> Result<(Solution, Vec<StageHolds>), SolveError> {
    if !is_available(options.backend) {
        return Err(SolveError::Unavailable(options.backend.name()));
    }
    let start = Instant::now();
    let deadline = start + options.time_limit;
    backend::take_build_seconds();
    #[cfg(feature = "highs")]
    if options.reuse && options.backend == Backend::Highs {
        let warm = highs_warm::with_model(formulation, options.mip_gap, |model| {
            drive(
                formulation,
                start,
                deadline,
                |stage, objective, holds, left, _| {
                    model
                        .solve_stage(stage, objective, holds, left)
                        .map(|outcome| (outcome, false))
                        .map_err(|e| e.to_string())
                },
            )
        });
        match warm {
            Ok(Ok(solved)) => return Ok(solved),
            Ok(Err(e @ (SolveError::Infeasible | SolveError::NoPlanInTime))) => return Err(e),
            // Anything odd: forget the kept model and solve from scratch.
            Ok(Err(_)) | Err(_) => highs_warm::discard(),
        }
    }
    drive(
        formulation,
        start,
        deadline,
        |_, objective, holds, left, initial| {
            run_stage(&formulation.lp, objective, holds, options, left, initial)
        },
    )
}

/// The lexicographic loop: every stage in turn, each with the earlier ones held. `run`
/// makes one attempt at one stage: (stage index, objective, holds of the earlier stages,
/// time left, warm start) to the outcome and whether the last hold had to be loosened.
fn drive(
    formulation: &Formulation,
    start: Instant,
    deadline: Instant,
    mut run: impl FnMut(
        usize,
        &[(usize, f64)],
        &[Row],
        Duration,
        Option<&[f64]>,
    ) -> Result<(BackendOutcome, bool), String>,
) -> Result<(Solution, Vec<StageHolds>), SolveError> {
    let mut holds: Vec<Row> = Vec::new();
    let mut best: Option<Vec<f64>> = None;
    let mut stages = Vec::with_capacity(formulation.stages.len());
    let mut status = Status::Optimal;
    let mut hold_tolerance = HOLD;
    let mut used_holds: Vec<StageHolds> = Vec::with_capacity(formulation.stages.len());
    let mut timings = Vec::with_capacity(formulation.stages.len());
    for (k, stage) in formulation.stages.iter().enumerate() {
        let stage_started = Instant::now();
        // The holds this stage was solved with: `holds`, or looser (by the retry below, and
        // by the last attempt of `run_stage`, which loosens the last of them).
        let mut rows_used = holds.clone();
        let left = deadline.saturating_duration_since(Instant::now());
        let outcome = if left.is_zero() {
            BackendOutcome::Stopped
        } else {
            let (outcome, loosened) = run(k, &stage.objective, &holds, left, best.as_deref())
                .map_err(|message| failed(&stage.name, message))?;
            if loosened {
                hold_tolerance = HOLD + LOOSER;
                rows_used = loosen_last(&holds);
            }
            outcome
        };
        let (values, gap) = match outcome {
            BackendOutcome::Solved {
                values,
                status: s,
                gap,
            } => {
                if s == BackendStatus::TimeLimit {
                    status = Status::TimeLimit;
                }
                (values, gap)
            }
            BackendOutcome::Infeasible if best.is_none() => return Err(SolveError::Infeasible),
            BackendOutcome::Infeasible => {
                // A held optimum can be lost to round-off. `run_stage` has tried the last
                // hold loosened (the earlier ones held the last stage's own plan); retry
                // once with every hold looser.
                let loose: Vec<Row> = holds.iter().map(loosen).collect();
                hold_tolerance = HOLD + LOOSER;
                let (outcome, loosened) = run(k, &stage.objective, &loose, left, best.as_deref())
                    .map_err(|message| failed(&stage.name, message))?;
                rows_used = if loosened { loosen_last(&loose) } else { loose };
                match outcome {
                    BackendOutcome::Solved {
                        values,
                        status: s,
                        gap,
                    } => {
                        if s == BackendStatus::TimeLimit {
                            status = Status::TimeLimit;
                        }
                        (values, gap)
                    }
                    _ => {
                        return Err(failed(
                            &stage.name,
                            "infeasible with earlier stages held".into(),
                        ));
                    }
                }
            }
            BackendOutcome::Stopped => {
                status = Status::TimeLimit;
                timings.push(StageTiming::since(&stage.name, stage_started));
                match &best {
                    Some(_) => break,
                    None => return Err(SolveError::NoPlanInTime),
                }
            }
        };
        timings.push(StageTiming::since(&stage.name, stage_started));
        // The hold uses the solver's own value; the report uses the value with round-off
        // removed, taken at this stage's solve, where its slacks are tight.
        let value = evaluate(&stage.objective, &values);
        let mut snapped = values.clone();
        snap_within(&formulation.lp, &holds, &values, &mut snapped);
        stages.push(StageValue {
            name: stage.name.clone(),
            value: evaluate(&stage.objective, &snapped),
            status: if status == Status::TimeLimit {
                StageStatus::TimeLimit
            } else {
                StageStatus::Optimal
            },
            gap,
        });
        if let (Some(value), Some(timing)) = (stages.last(), timings.last()) {
            tell_stage(value, timing);
        }
        let loosened = rows_used != holds;
        used_holds.push(StageHolds {
            rows: rows_used,
            loosened,
        });
        holds.push(Row {
            name: format!("hold[{}]", stage.name).into(),
            terms: stage.objective.clone(),
            lower: f64::NEG_INFINITY,
            upper: value + HOLD * value.abs().max(1.0),
        });
        best = Some(values);
        if status == Status::TimeLimit {
            break;
        }
    }
    let raw = best.ok_or(SolveError::NoPlanInTime)?;
    let mut values = raw.clone();
    snap_within(&formulation.lp, &holds, &raw, &mut values);
    // Stages left unsolved after a time limit are reported at the plan's value.
    for stage in &formulation.stages[stages.len()..] {
        stages.push(StageValue {
            name: stage.name.clone(),
            value: evaluate(&stage.objective, &values),
            status: StageStatus::NotSolved,
            gap: None,
        });
    }
    let solution = Solution {
        values,
        stages,
        status,
        seconds: start.elapsed().as_secs_f64(),
        hold_tolerance,
        timings,
    };
    Ok((solution, used_holds))
}

/// Values within 1e-6 of a whole number are solver round-off of that number: units and
/// binaries are counts, and the simplex tolerance is about that size.
fn snap(values: &mut [f64]) {
    for v in values.iter_mut() {
        let nearest = v.round();
        if (*v - nearest).abs() <= 1e-6 {
            *v = if nearest == 0.0 { 0.0 } else { nearest };
        }
    }
}

/// Snaps `snapped` (a copy of `raw`) to whole numbers where that breaks no row of `lp` and
/// makes no held stage (`holds`) worse than its hold. A snap may move a value by 1e-6,
/// which times a large coefficient (500 troops a unit) is more than the hold of an earlier
/// stage: a later stage that used the hold to keep 5e-7 of a unit somewhere would see it
/// snapped away and its requirement short, or its own stage worse than reported. The
/// columns of a row that snapping made worse keep their solver values.
fn snap_within(lp: &LinearModel, holds: &[Row], raw: &[f64], snapped: &mut [f64]) {
    snap(snapped);
    let violation = |row: &Row, values: &[f64]| {
        let x = evaluate(&row.terms, values);
        (row.lower - x).max(x - row.upper).max(0.0)
    };
    // Each pass restores at least one column, so this ends.
    loop {
        let mut restored = false;
        // A model row may not get worse. A held stage may, by the round-off snapping
        // removes, but by at most half of what the plan checker allows a stage over its
        // reported value (1e-6): a later stage that turned its hold into 1e-6 of a unit
        // somewhere keeps it.
        let model = lp.rows.iter().map(|row| (row, 1e-9));
        for (row, allowed) in model.chain(holds.iter().map(|row| (row, SNAP_STAGE))) {
            let before = violation(row, raw);
            let after = violation(row, snapped);
            let scale = [row.lower, row.upper]
                .into_iter()
                .filter(|b| b.is_finite())
                .fold(1.0, |m: f64, b| m.max(b.abs()));
            if after > before + allowed * scale {
                for &(c, _) in &row.terms {
                    if snapped[c] != raw[c] {
                        snapped[c] = raw[c];
                        restored = true;
                    }
                }
            }
        }
        if !restored {
            break;
        }
    }
}

fn failed(stage: &str, message: String) -> SolveError {
    SolveError::Failed {
        stage: stage.to_string(),
        message,
    }
}

/// The relative slack of a held stage (SPEC: value <= optimum + 1e-7 max(1, |optimum|)).
pub(crate) const HOLD: f64 = 1e-7;
/// How much worse than its hold snapping may make a held stage, relative (see `snap_within`).
const SNAP_STAGE: f64 = 5e-7;
/// The extra slack of a hold retried after round-off made a stage infeasible.
const LOOSER: f64 = 1e-5;

fn loosen(row: &Row) -> Row {
    let slack = LOOSER * row.upper.abs().max(1.0);
    Row {
        upper: row.upper + slack,
        ..row.clone()
    }
}

/// `holds` with the last one loosened: the hold most likely lost to round-off, since the
/// earlier ones held the plan of the stage that set it.
fn loosen_last(holds: &[Row]) -> Vec<Row> {
    let mut rows = holds.to_vec();
    if let Some(last) = rows.last_mut() {
        *last = loosen(last);
    }
    rows
}

/// Solves one stage. A numerical failure of the backend is retried with the model stated
/// differently: without the warm start, without row scaling, with microlp's newer release
/// (microlp only), and with the last hold loosened. A failure is an error (a singular basis,
/// say), a plan that breaks a row or a bound by more than round-off (`broken_row`: microlp
/// has returned such plans as optimal), or, with earlier stages held, "infeasible"
/// (round-off can lose a held optimum). The first attempt that gives a sound answer wins;
/// the flag says whether that was one with the last hold loosened.
fn run_stage(
    lp: &LinearModel,
    objective: &[(usize, f64)],
    holds: &[Row],
    options: &SolveOptions,
    time_left: Duration,
    initial: Option<&[f64]>,
) -> Result<(BackendOutcome, bool), String> {
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
        let problem = backend::Problem {
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
            Backend::Highs => return Err(SolveError::Unavailable("highs").to_string()),
        };
        let loosened = i >= FIRST_LOOSE;
        match result {
            Ok(BackendOutcome::Solved {
                values,
                status,
                gap,
            }) => match broken_row(lp, holds, &values) {
                None => {
                    let solved = BackendOutcome::Solved {
                        values,
                        status,
                        gap,
                    };
                    return Ok((solved, loosened));
                }
                Some(broken) => {
                    first_error.get_or_insert(broken);
                }
            },
            Ok(BackendOutcome::Infeasible) if held => infeasible = true,
            Ok(outcome) => return Ok((outcome, loosened)),
            Err(message) => {
                first_error.get_or_insert(message);
            }
        }
    }
    if infeasible {
        return Ok((BackendOutcome::Infeasible, false));
    }
    Err(first_error.unwrap_or_else(|| "the time limit ran out".into()))
}

/// How far a solver's plan may break a row or a column bound: 1e-6 of the larger of the
/// bound and the row's largest coefficient (ten times the solvers' own primal tolerance on
/// a row scaled to a largest coefficient of 1).
const BROKEN: f64 = 1e-6;

/// The first row of `lp` or `holds`, or column bound, that `values` break by more than
/// round-off (`BROKEN`), described; `None` for a sound plan.
fn broken_row(lp: &LinearModel, holds: &[Row], values: &[f64]) -> Option<String> {
    for (c, column) in lp.columns.iter().enumerate() {
        let v = values[c];
        let (off, bound) = if v < column.lower {
            (column.lower - v, column.lower)
        } else if v > column.upper {
            (v - column.upper, column.upper)
        } else if v.is_nan() {
            (f64::INFINITY, 0.0)
        } else {
            continue;
        };
        if off > BROKEN * bound.abs().max(1.0) {
            return Some(format!(
                "the solver's plan puts column {} at {v}, outside [{}, {}]",
                lp.name(&column.name),
                column.lower,
                column.upper
            ));
        }
    }
    for row in lp.rows.iter().chain(holds) {
        let x = evaluate(&row.terms, values);
        let (off, bound) = if x < row.lower {
            (row.lower - x, row.lower)
        } else if x > row.upper {
            (x - row.upper, row.upper)
        } else {
            continue;
        };
        let allowed = BROKEN * bound.abs().max(backend::row_scale(&row.terms)).max(1.0);
        if off > allowed {
            return Some(format!(
                "the solver's plan breaks row {} by {off:e} (it gives {x}, the bounds are [{}, {}])",
                lp.name(&row.name),
                row.lower,
                row.upper
            ));
        }
    }
    None
}

/// Whether `backend` is compiled into this build.
pub fn is_available(backend: Backend) -> bool {
    match backend {
        Backend::Microlp => true,
        Backend::Highs => cfg!(feature = "highs"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> LinearModel {
        let mut lp = LinearModel::default();
        let a = lp.add_column("a", 0.0, 1.0, false);
        let b = lp.add_column("b", 0.0, f64::INFINITY, false);
        lp.add_row("capacity", vec![(a, 3.0), (b, 1.0)], f64::NEG_INFINITY, 1.0);
        lp
    }

    fn next(lp: &LinearModel, objective: &[(usize, f64)], holds: &[Row]) -> BackendOutcome {
        microlp_next::solve(&backend::Problem {
            lp,
            objective,
            extra_rows: holds,
            time_limit: Duration::from_secs(10),
            mip_gap: 0.0,
            initial: None,
            scale_rows: true,
        })
        .expect("no solver error")
    }

    /// The newer microlp, called directly (the retry of the built-in backend), solves an
    /// LP and a MIP, keeps a hold, and tells an infeasible model.
    #[test]
    fn microlp_next_solves_an_lp_and_a_mip_and_tells_infeasible() {
        let plan = |outcome: BackendOutcome| match outcome {
            BackendOutcome::Solved { values, status, .. } => {
                assert_eq!(status, BackendStatus::Optimal);
                values
            }
            other => panic!("{other:?}"),
        };
        // Maximise 2a + b within 3a + b <= 1, a <= 1: b = 1.
        let mut lp = model();
        let values = plan(next(&lp, &[(0, -2.0), (1, -1.0)], &[]));
        assert!(
            (values[0]).abs() < 1e-9 && (values[1] - 1.0).abs() < 1e-9,
            "{values:?}"
        );
        // Held to b <= 0.5, a takes the rest: a = 1/6.
        let hold = Row {
            name: "hold[b]".into(),
            terms: vec![(1, 1.0)],
            lower: f64::NEG_INFINITY,
            upper: 0.5,
        };
        let values = plan(next(&lp, &[(0, -2.0), (1, -1.0)], &[hold]));
        assert!((values[0] - 1.0 / 6.0).abs() < 1e-9, "{values:?}");
        // A whole number of c, at most 2.5: 2.
        let c = lp.add_column("c", 0.0, 10.0, true);
        lp.add_row("c cap", vec![(c, 2.0)], f64::NEG_INFINITY, 5.0);
        let values = plan(next(&lp, &[(c, -1.0)], &[]));
        assert_eq!(values[c].round(), 2.0);
        // At least 2 of b, which the capacity caps at 1.
        lp.add_row("b floor", vec![(1, 1.0)], 2.0, f64::INFINITY);
        assert!(matches!(next(&lp, &[], &[]), BackendOutcome::Infeasible));
    }

    #[test]
    fn a_plan_that_breaks_a_row_or_bound_past_round_off_is_not_taken() {
        let lp = model();
        assert_eq!(broken_row(&lp, &[], &[0.2, 0.4]), None);
        // Round-off: 1e-9 over the capacity of 1.
        assert_eq!(broken_row(&lp, &[], &[0.2, 0.4 + 1e-9]), None);
        // 6e-5 units over it, as microlp once returned for an optimal plan.
        let broken = broken_row(&lp, &[], &[0.2, 0.40006]).expect("broken");
        assert!(broken.contains("row capacity"), "{broken}");
        // A column past its bound, and a hold broken.
        let broken = broken_row(&lp, &[], &[1.01, 0.0]).expect("broken");
        assert!(broken.contains("column a"), "{broken}");
        let hold = Row {
            name: "hold[cost]".into(),
            terms: vec![(1, 2.0)],
            lower: f64::NEG_INFINITY,
            upper: 0.5,
        };
        assert_eq!(
            broken_row(&lp, std::slice::from_ref(&hold), &[0.0, 0.25]),
            None
        );
        let broken = broken_row(&lp, &[hold], &[0.0, 0.3]).expect("broken");
        assert!(broken.contains("hold[cost]"), "{broken}");
        assert!(broken_row(&lp, &[], &[f64::NAN, 0.0]).is_some());
    }
}
