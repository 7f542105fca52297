//! The built-in pure-Rust backend.

use good_lp::solvers::microlp::microlp;
use good_lp::{SolverModel, WithInitialSolution, WithMipGap, WithTimeLimit};

use super::backend::{BackendOutcome, Problem, add_rows, outcome, variables};

pub(crate) fn solve(problem: &Problem<'_>) -> Result<BackendOutcome, String> {
    let (vars, columns, objective) = variables(problem);
    let mut model = vars
        .minimise(objective)
        .using(microlp)
        .with_time_limit(problem.time_limit.as_secs_f64());
    if problem.lp.has_integers() {
        model = model
            .with_mip_gap(problem.mip_gap as f32)
            .map_err(|e| e.to_string())?;
    }
    if let Some(start) = problem.warm_start(&columns) {
        model = model.with_initial_solution(start);
    }
    add_rows(&mut model, &columns, problem);
    outcome(model.solve(), &columns, problem)
}
