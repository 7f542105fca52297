//! HiGHS, built from source by the build script (cargo feature `highs`, on by default): one
//! stage solved from scratch, and what every HiGHS instance of the crate shares (the kept
//! model of `highs_warm` too): building an instance from a model, its settings, and reading
//! a run's outcome back. The neutral model goes to HiGHS directly, through the safe wrapper
//! of `highs_api`: good_lp builds its models for microlp, and its own HiGHS binding needs a
//! HiGHS built with cmake. One thread per model: parallel sweeps get their parallelism from
//! rayon.

use std::time::Instant;

use super::backend::{Attempted, BackendOutcome, BackendStatus, Problem, Timed, row_scale};
use super::highs_api::{Highs, HighsError, ModelData, ModelStatus};
use crate::model::LinearModel;

pub(crate) fn solve(problem: &Problem<'_>) -> Attempted {
    let started = Instant::now();
    let built = build(problem);
    let build_seconds = started.elapsed().as_secs_f64();
    let result = built.and_then(|mut highs| run(&mut highs, problem));
    Timed::new(result.map_err(Into::into), build_seconds)
}

/// A configured instance holding `problem`, its time limit and MIP gap set.
fn build(problem: &Problem<'_>) -> Result<Highs, HighsError> {
    let lp = problem.lp;
    let mut cost = vec![0.0; lp.columns.len()];
    for &(c, a) in problem.objective {
        cost[c] += a;
    }
    let rows = lp.rows.iter().chain(problem.extra_rows);
    let rows = rows.map(|row| (row.terms.as_slice(), (row.lower, row.upper)));
    let (mut highs, _) = instance(lp, rows, problem.scale_rows, &cost)?;
    highs.set_double_option(c"time_limit", problem.time_limit.as_secs_f64().max(1e-3))?;
    if lp.has_integers() {
        highs.set_double_option(c"mip_rel_gap", problem.mip_gap)?;
    }
    Ok(highs)
}

/// Runs the instance `build` made of `problem`: the outcome, checked.
fn run(highs: &mut Highs, problem: &Problem<'_>) -> Result<BackendOutcome, HighsError> {
    // No MIP start: HiGHS 1.16 can report a stage's optimum while handing back the start's
    // columns (seen on the flagship, where presolve settles a held stage), and with that
    // fixed the start was measured slower, not faster.
    let status = highs.run()?;
    let outcome = outcome(highs, status, problem.lp.has_integers())?;
    consistent(highs, problem.objective, &outcome)?;
    Ok(outcome)
}

/// A row's scale and its bounds divided by it.
pub(crate) type ScaledRow = (f64, (f64, f64));

/// A configured HiGHS instance (see [`configure`]) holding the columns of `lp`
/// with `cost`, and `rows` (terms and bounds), each divided by its largest coefficient where
/// `scale_rows` (burden rows carry weights in the hundreds of thousands next to shares below
/// one, which the simplex dislikes). Also each row's scale and scaled bounds.
pub(crate) fn instance<'a>(
    lp: &LinearModel,
    rows: impl Iterator<Item = (&'a [(usize, f64)], (f64, f64))>,
    scale_rows: bool,
    cost: &[f64],
) -> Result<(Highs, Vec<ScaledRow>), HighsError> {
    let (col_lower, col_upper): (Vec<f64>, Vec<f64>) =
        lp.columns.iter().map(|c| (c.lower, c.upper)).unzip();
    let (mut row_lower, mut row_upper, mut scaled) = (Vec::new(), Vec::new(), Vec::new());
    let (mut start, mut index, mut value) = (Vec::new(), Vec::new(), Vec::new());
    for (terms, (lower, upper)) in rows {
        let scale = if scale_rows { row_scale(terms) } else { 1.0 };
        start.push(index.len() as i32);
        for &(c, a) in terms {
            index.push(c as i32);
            value.push(a / scale);
        }
        row_lower.push(lower / scale);
        row_upper.push(upper / scale);
        scaled.push((scale, (lower / scale, upper / scale)));
    }
    let integer: Vec<bool> = lp.columns.iter().map(|c| c.integer).collect();
    let mut highs = Highs::new()?;
    configure(&mut highs)?;
    highs.pass_model(&ModelData {
        cost,
        col_lower: &col_lower,
        col_upper: &col_upper,
        row_lower: &row_lower,
        row_upper: &row_upper,
        start: &start,
        index: &index,
        value: &value,
        integer: lp.has_integers().then_some(integer.as_slice()),
    })?;
    Ok((highs, scaled))
}

/// Checks that the plan of a solved outcome has the objective HiGHS reports for it: HiGHS
/// 1.16 has been seen to report a MIP's optimum with the columns of another plan (after a
/// MIP start, or a run that followed the relaxation on a kept basis). Such a plan is an
/// error, never a stage value: the caller solves again from scratch.
pub(crate) fn consistent(
    highs: &Highs,
    objective: &[(usize, f64)],
    outcome: &BackendOutcome,
) -> Result<(), HighsError> {
    let BackendOutcome::Solved { values, .. } = outcome else {
        return Ok(());
    };
    let (reported, plan) = (
        highs.objective_value(),
        crate::model::evaluate(objective, values),
    );
    if (reported - plan).abs() <= 1e-7 * reported.abs().max(plan.abs()).max(1.0) {
        Ok(())
    } else {
        Err(HighsError {
            call: "Highs_run".into(),
            detail: format!("the plan returned has objective {plan}, HiGHS reports {reported}"),
        })
    }
}

/// Settings every HiGHS instance of this crate gets.
pub(crate) fn configure(highs: &mut Highs) -> Result<(), HighsError> {
    // One thread per model: parallel sweeps get their parallelism from rayon.
    highs.set_int_option(c"threads", 1)?;
    // The default MIP feasibility tolerance (1e-6) is coarser than the 1e-7 hold of earlier
    // stages: HiGHS then finds held stages "infeasible" or settles on a far worse plan and
    // calls it optimal. 1e-9 keeps the hold meaningful.
    highs.set_double_option(c"mip_feasibility_tolerance", 1e-9)
}

/// The outcome of a run of `highs` that ended with `status`; `mip` when the model has
/// integer columns (the gap is then HiGHS's `mip_gap`, else 0).
pub(crate) fn outcome(
    highs: &Highs,
    status: ModelStatus,
    mip: bool,
) -> Result<BackendOutcome, HighsError> {
    let solved = |status| -> Result<BackendOutcome, HighsError> {
        let gap = if mip {
            let gap = highs.double_info(c"mip_gap")?;
            gap.is_finite().then_some(gap.max(0.0))
        } else if status == BackendStatus::Optimal {
            Some(0.0)
        } else {
            None
        };
        Ok(BackendOutcome::Solved {
            values: highs.column_values()?,
            status,
            gap,
        })
    };
    match status {
        ModelStatus::Optimal | ModelStatus::Empty => solved(BackendStatus::Optimal),
        ModelStatus::Infeasible => Ok(BackendOutcome::Infeasible),
        ModelStatus::TimeLimit | ModelStatus::Interrupted | ModelStatus::IterationLimit => {
            if highs.has_feasible_solution()? {
                solved(BackendStatus::TimeLimit)
            } else {
                Ok(BackendOutcome::Stopped)
            }
        }
        ModelStatus::Unbounded | ModelStatus::UnboundedOrInfeasible => Err(HighsError {
            call: "Highs_run".into(),
            detail: format!("the model is {status:?}"),
        }),
        ModelStatus::Other(code) => Err(HighsError {
            call: "Highs_run".into(),
            detail: format!("model status {code}"),
        }),
    }
}

/// Reads a model file (free MPS or CPLEX LP, by its extension) into HiGHS and solves it to
/// optimality (no MIP gap): its optimal objective. For checking what `forcegen export`
/// writes; `column` names a column the file must have.
pub fn file_optimum(path: &std::path::Path, column: &str) -> Result<f64, String> {
    let mut highs = Highs::new().map_err(|e| e.to_string())?;
    let solved = (|| {
        configure(&mut highs)?;
        highs.set_double_option(c"mip_rel_gap", 0.0)?;
        highs.read_model(path)?;
        highs.column_by_name(column)?;
        highs.run()
    })();
    match solved.map_err(|e| format!("{}: {e}", path.display()))? {
        ModelStatus::Optimal => Ok(highs.objective_value()),
        status => Err(format!("{}: HiGHS ends with {status:?}", path.display())),
    }
}
