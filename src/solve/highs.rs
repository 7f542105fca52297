//! HiGHS (cargo feature `highs`). One thread per model: parallel sweeps get their
//! parallelism from rayon, and every model in the process uses the same setting.

use good_lp::SolverModel;
use good_lp::solvers::highs::highs;

use super::backend::{BackendOutcome, Problem, add_rows, outcome, variables};

pub(crate) fn solve(problem: &Problem<'_>) -> Result<BackendOutcome, String> {
    let (vars, columns, objective) = variables(problem);
    let mut model = vars
        .minimise(objective)
        .using(highs)
        .set_threads(1)
        .set_option("output_flag", false)
        // The default MIP feasibility tolerance (1e-6) is coarser than the 1e-7 hold of
        // earlier stages: HiGHS then finds held stages "infeasible" or settles on a far
        // worse plan and calls it optimal. 1e-9 keeps the hold meaningful.
        .set_option("mip_feasibility_tolerance", 1e-9)
        .set_time_limit(problem.time_limit.as_secs_f64());
    if problem.lp.has_integers() {
        model = model
            .set_mip_rel_gap(problem.mip_gap as f32)
            .map_err(|e| e.to_string())?;
    }
    // No warm start here: handing HiGHS the previous stage's plan as a MIP start made it
    // stop at a far worse plan and report it optimal (seen on the flagship scenario).
    add_rows(&mut model, &columns, problem);
    outcome(model.solve(), &columns)
}
