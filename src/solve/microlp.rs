//! The built-in pure-Rust backend.

use good_lp::solvers::microlp::microlp;
use good_lp::{SolverModel, WithInitialSolution, WithMipGap, WithTimeLimit};

use super::backend::{Attempted, BackendError, Problem, Timed, add_rows, outcome, variables};

pub(crate) fn solve(problem: &Problem<'_>) -> Attempted {
    let ((vars, columns, objective), mut build_seconds) = variables(problem);
    let mut model = vars
        .minimise(objective)
        .using(microlp)
        .with_time_limit(problem.time_limit.as_secs_f64());
    if problem.lp.has_integers() {
        model = match model.with_mip_gap(problem.mip_gap as f32) {
            Ok(model) => model,
            Err(e) => return Timed::new(Err(BackendError::Microlp(e.to_string())), build_seconds),
        };
    }
    if let Some(start) = problem.warm_start(&columns) {
        model = model.with_initial_solution(start);
    }
    build_seconds += add_rows(&mut model, &columns, problem);
    Timed::new(outcome(model.solve(), &columns, problem), build_seconds)
}
