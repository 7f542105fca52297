//! microlp 0.7, called directly: the retry of the built-in backend when microlp 0.6 (the
//! release good_lp 1.15 binds) fails on a stage. The newer release has a presolve, a basis
//! repair and a feasibility check of every answer; on generated LPs where 0.6 ends in
//! "Singular matrix", or returns a burden optimum below the true one so that the next stage
//! comes out infeasible, 0.7 solves them. Used only after 0.6 fails, so every plan that 0.6
//! solves stays as it was.

use std::time::Instant;

use microlp_next as ml;

use super::backend::{
    Attempted, BackendError, BackendOutcome, BackendStatus, Problem, Side, Timed,
    for_each_constraint,
};

pub(crate) fn solve(problem: &Problem<'_>) -> Attempted {
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
    let build_seconds = started.elapsed().as_secs_f64();
    let result = match model.solve_with(options) {
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
        Err(ml::Error::Unbounded) => Err(BackendError::Unbounded),
        Err(e) => Err(BackendError::Microlp(format!("microlp 0.7: {e}"))),
    };
    Timed::new(result, build_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LinearModel, Row};
    use crate::solve::checks::tests::model;
    use std::time::Duration;

    fn next(lp: &LinearModel, objective: &[(usize, f64)], holds: &[Row]) -> BackendOutcome {
        solve(&Problem {
            lp,
            objective,
            extra_rows: holds,
            time_limit: Duration::from_secs(10),
            mip_gap: 0.0,
            initial: None,
            scale_rows: true,
        })
        .result
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
}
