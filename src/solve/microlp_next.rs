//! microlp 0.7, called directly: the retry of the built-in backend when microlp 0.6 (the
//! release good_lp 1.15 binds) fails on a stage. The newer release has a presolve, a basis
//! repair and a feasibility check of every answer; on generated LPs where 0.6 ends in
//! "Singular matrix", or returns a burden optimum below the true one so that the next stage
//! comes out infeasible, 0.7 solves them. Used only after 0.6 fails, so every plan that 0.6
//! solves stays as it was.

use std::time::Instant;

use microlp_next as ml;

use super::backend::{
    BackendOutcome, BackendStatus, Problem, Side, add_build_time, for_each_constraint,
};

pub(crate) fn solve(problem: &Problem<'_>) -> Result<BackendOutcome, String> {
    let started = Instant::now();
    let lp = problem.lp;
    let mut cost = vec![0.0; lp.columns.len()];
    for &(c, a) in problem.objective {
        cost[c] += a;
    }
    let mut model = ml::Problem::new(ml::OptimizationDirection::Minimize);
    // Integer bounds are whole numbers of units or binaries; `as` saturates at i32's range,
    // which is what an open side means to microlp.
    let whole = |b: f64| b.round() as i32;
    let columns: Vec<ml::Variable> = lp
        .columns
        .iter()
        .zip(&cost)
        .map(|(column, &c)| {
            if column.integer {
                model.add_integer_var(c, (whole(column.lower), whole(column.upper)))
            } else {
                model.add_var(c, (column.lower, column.upper))
            }
        })
        .collect();
    for_each_constraint(problem, |terms, side, rhs| {
        let terms: Vec<(ml::Variable, f64)> = terms.iter().map(|&(c, a)| (columns[c], a)).collect();
        let op = match side {
            Side::Eq => ml::ComparisonOp::Eq,
            Side::Ge => ml::ComparisonOp::Ge,
            Side::Le => ml::ComparisonOp::Le,
        };
        model.add_constraint(terms.as_slice(), op, rhs);
    });
    let mut options = ml::SolveOptions::default();
    options.time_limit = Some(problem.time_limit);
    if lp.has_integers() {
        options.mip_gap = problem.mip_gap;
        options.warm_start = problem.initial.map(|initial| {
            columns
                .iter()
                .copied()
                .zip(initial.iter().copied())
                .collect()
        });
    }
    add_build_time(started);
    match model.solve_with(options) {
        Ok(outcome) => match outcome.into_solution() {
            Ok(solution) => {
                let status = match solution.termination_reason() {
                    ml::TerminationReason::TimeLimit | ml::TerminationReason::NodeLimit => {
                        BackendStatus::TimeLimit
                    }
                    _ => BackendStatus::Optimal,
                };
                let values = columns.iter().map(|&v| solution.var_value(v)).collect();
                Ok(BackendOutcome::Solved {
                    values,
                    status,
                    gap: solution.gap(),
                })
            }
            // Interrupted before any plan: the time limit.
            Err(_) => Ok(BackendOutcome::Stopped),
        },
        Err(ml::Error::Infeasible) => Ok(BackendOutcome::Infeasible),
        Err(ml::Error::Unbounded) => Err("the model is unbounded".into()),
        Err(e) => Err(format!("microlp 0.7: {e}")),
    }
}
