//! HiGHS, built from source by the build script (cargo feature `highs`, on by default), for
//! one stage solved from scratch. The neutral model goes to HiGHS directly, through the
//! safe wrapper of `highs_api`: good_lp builds its models for microlp, and its own HiGHS
//! binding needs a HiGHS built with cmake. One thread per model: parallel sweeps get their
//! parallelism from rayon.

use super::backend::{BackendOutcome, Problem, add_build_time, row_scale};
use super::highs_api::{Highs, HighsError, ModelData};
use super::highs_warm::{configure, consistent, outcome};
use crate::model::LinearModel;

pub(crate) fn solve(problem: &Problem<'_>) -> Result<BackendOutcome, String> {
    solve_with_highs(problem).map_err(|e| e.to_string())
}

fn solve_with_highs(problem: &Problem<'_>) -> Result<BackendOutcome, HighsError> {
    let started = std::time::Instant::now();
    let lp = problem.lp;
    let mut cost = vec![0.0; lp.columns.len()];
    for &(c, a) in problem.objective {
        cost[c] += a;
    }
    let rows = lp.rows.iter().chain(problem.extra_rows);
    let rows = rows.map(|row| (row.terms.as_slice(), (row.lower, row.upper)));
    let (mut highs, _) = instance(lp, rows, problem.scale_rows, &cost)?;
    let mip = lp.has_integers();
    highs.set_double_option(c"time_limit", problem.time_limit.as_secs_f64().max(1e-3))?;
    if mip {
        highs.set_double_option(c"mip_rel_gap", problem.mip_gap)?;
    }
    add_build_time(started);
    // No MIP start: HiGHS 1.16 can report a stage's optimum while handing back the start's
    // columns (seen on the flagship, where presolve settles a held stage), and with that
    // fixed the start was measured slower, not faster.
    let status = highs.run()?;
    let outcome = outcome(&highs, status, mip)?;
    consistent(&highs, problem.objective, &outcome)?;
    Ok(outcome)
}

/// A row's scale and its bounds divided by it.
pub(crate) type ScaledRow = (f64, (f64, f64));

/// A configured HiGHS instance (see `highs_warm::configure`) holding the columns of `lp`
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
        super::highs_api::ModelStatus::Optimal => Ok(highs.objective_value()),
        status => Err(format!("{}: HiGHS ends with {status:?}", path.display())),
    }
}
