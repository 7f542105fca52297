//! The stage driver: every stage of a formulation in turn, each with the earlier ones held
//! at their optima ([`solve`](super::solve), through `solve_holding`), on a model kept
//! through the stages (HiGHS) or built afresh for each (`retry::run_stage`); and the entry
//! points that solve part of a formulation: the holds of one stage ([`stage_holds`]) and
//! the relaxed bound of one stage ([`relaxed_stage_bound`]).

use std::time::{Duration, Instant};

#[cfg(feature = "highs")]
use super::backend::{BackendError, Timed};
use super::backend::{BackendOutcome, BackendStatus};
#[cfg(feature = "highs")]
use super::highs_warm;
use super::retry::{LOOSER, StageAttempt, loosen, loosen_last, run_stage};
use super::snap::snap_within;
use super::{
    HOLD, OnStage, Solution, SolveError, SolveOptions, SolveStats, StageHolds, StageStatus,
    StageTiming, StageValue, Status, is_available,
};
use crate::model::{Formulation, Row, evaluate};
#[cfg(feature = "highs")]
use crate::scenario::Backend;

/// The rows that hold the stages before `stage` (an index into `formulation.stages`) at
/// their optima, exactly as [`solve`](super::solve) holds them when it solves that stage
/// (loosened where it had to loosen them): the model of a stage is `formulation.lp` plus
/// these rows, minimising that stage's objective. The stages up to `stage` are solved for
/// it; a time limit that cuts an earlier one short is an error, since its hold would not be
/// an optimum.
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
    // The translation time is nobody's: a bound is no stage of a solve.
    match run_stage(&lp, objective, &holds, options, options.time_limit, None).result {
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
        Err(message) => Err(SolveError::failed(name, message)),
    }
}

/// [`solve`](super::solve), also returning the holds each stage was solved with.
pub(super) fn solve_holding(
    formulation: &Formulation,
    options: &SolveOptions,
) -> Result<(Solution, Vec<StageHolds>), SolveError> {
    if !is_available(options.backend) {
        return Err(SolveError::Unavailable(options.backend.name()));
    }
    let start = Instant::now();
    let deadline = start + options.time_limit;
    let on_stage = options.on_stage.as_ref();
    // Seconds spent translating models for the solver, not yet counted in a stage's timing.
    let mut built = 0.0;
    #[cfg(feature = "highs")]
    let fell_back = if options.reuse && options.backend == Backend::Highs {
        let warm = highs_warm::build_model(formulation, options.mip_gap).map(
            |(mut model, build_seconds)| {
                // Building the kept model counts in the first stage's timing.
                built += build_seconds;
                let driven = drive(
                    formulation,
                    on_stage,
                    start,
                    deadline,
                    &mut built,
                    |stage, objective, holds, left, _| {
                        let solved = model
                            .solve_stage(stage, objective, holds, left)
                            .map(|outcome| (outcome, false))
                            .map_err(BackendError::from);
                        Timed::new(solved, 0.0)
                    },
                );
                driven.map(|(mut solution, holds)| {
                    solution.stats = model.stats;
                    (solution, holds)
                })
            },
        );
        match warm {
            Ok(Ok(solved)) => return Ok(solved),
            Ok(Err(e @ (SolveError::Infeasible | SolveError::NoPlanInTime))) => return Err(e),
            // Anything odd: forget the kept model and solve from scratch.
            Ok(Err(_)) | Err(_) => true,
        }
    } else {
        false
    };
    #[cfg(not(feature = "highs"))]
    let fell_back = false;
    let (mut solution, holds) = drive(
        formulation,
        on_stage,
        start,
        deadline,
        &mut built,
        |_, objective, holds, left, initial| {
            run_stage(&formulation.lp, objective, holds, options, left, initial)
        },
    )?;
    solution.stats = SolveStats {
        kept_model: fell_back,
        fell_back,
        ..SolveStats::default()
    };
    Ok((solution, holds))
}

/// The lexicographic loop: every stage in turn, each with the earlier ones held, each told
/// to `on_stage` as it ends. `run` makes one attempt at one stage: (stage index, objective,
/// holds of the earlier stages, time left, warm start) to the outcome and whether the last
/// hold had to be loosened, with the seconds it spent building models. `built` holds the
/// building seconds not yet counted in a stage's timing: each timing takes them.
fn drive(
    formulation: &Formulation,
    on_stage: Option<&OnStage>,
    start: Instant,
    deadline: Instant,
    built: &mut f64,
    mut run: impl FnMut(usize, &[(usize, f64)], &[Row], Duration, Option<&[f64]>) -> StageAttempt,
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
                .into_result(built)
                .map_err(|message| SolveError::failed(&stage.name, message))?;
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
            } => solved(values, s, gap, &mut status),
            BackendOutcome::Infeasible if best.is_none() => return Err(SolveError::Infeasible),
            BackendOutcome::Infeasible => {
                // A held optimum can be lost to round-off. `run_stage` has tried the last
                // hold loosened (the earlier ones held the last stage's own plan); retry
                // once with every hold looser.
                let loose: Vec<Row> = holds.iter().map(loosen).collect();
                hold_tolerance = HOLD + LOOSER;
                let (outcome, loosened) = run(k, &stage.objective, &loose, left, best.as_deref())
                    .into_result(built)
                    .map_err(|message| SolveError::failed(&stage.name, message))?;
                rows_used = if loosened { loosen_last(&loose) } else { loose };
                match outcome {
                    BackendOutcome::Solved {
                        values,
                        status: s,
                        gap,
                    } => solved(values, s, gap, &mut status),
                    _ => {
                        return Err(SolveError::failed(
                            &stage.name,
                            "infeasible with earlier stages held",
                        ));
                    }
                }
            }
            BackendOutcome::Stopped => {
                status = Status::TimeLimit;
                timings.push(StageTiming::since(
                    &stage.name,
                    stage_started,
                    std::mem::take(built),
                ));
                match &best {
                    Some(_) => break,
                    None => return Err(SolveError::NoPlanInTime),
                }
            }
        };
        timings.push(StageTiming::since(
            &stage.name,
            stage_started,
            std::mem::take(built),
        ));
        // The hold uses the solver's own value; the report uses the value with round-off
        // removed, taken at this stage's solve, where its slacks are tight.
        let value = evaluate(&stage.objective, &values);
        let mut snapped = values.clone();
        snap_within(&formulation.lp, &holds, &values, &mut snapped);
        stages.push(StageValue {
            name: stage.name.clone(),
            kind: stage.kind,
            value: evaluate(&stage.objective, &snapped),
            status: if status == Status::TimeLimit {
                StageStatus::TimeLimit
            } else {
                StageStatus::Optimal
            },
            gap,
        });
        if let (Some(tell), Some(value), Some(timing)) = (on_stage, stages.last(), timings.last()) {
            tell(value, timing);
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
            kind: stage.kind,
            value: evaluate(&stage.objective, &values),
            status: StageStatus::NotSolved,
            gap: None,
        });
    }
    let solution = Solution {
        values,
        stats: SolveStats::default(),
        stages,
        status,
        seconds: start.elapsed().as_secs_f64(),
        hold_tolerance,
        timings,
    };
    Ok((solution, used_holds))
}

/// The values and gap of a solved stage; a stage cut short by the time limit makes the
/// whole solve's `status` a time limit.
fn solved(
    values: Vec<f64>,
    stage: BackendStatus,
    gap: Option<f64>,
    status: &mut Status,
) -> (Vec<f64>, Option<f64>) {
    if stage == BackendStatus::TimeLimit {
        *status = Status::TimeLimit;
    }
    (values, gap)
}
