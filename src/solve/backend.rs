//! What every backend does: build a good_lp problem from the neutral model, solve it, and
//! report the outcome as data.

use std::time::{Duration, Instant};

use good_lp::solvers::{ResolutionError, SolutionStatus, SolverModel};
use good_lp::{Expression, ProblemVariables, Variable, variable};

use crate::model::{LinearModel, Row};

/// One stage's problem: the model, the stage objective, earlier stages held.
pub(crate) struct Problem<'a> {
    pub lp: &'a LinearModel,
    pub objective: &'a [(usize, f64)],
    pub extra_rows: &'a [Row],
    pub time_limit: Duration,
    pub mip_gap: f64,
    /// A feasible point to start a MIP from (the previous stage's plan satisfies every
    /// constraint of the next stage, so a time-limited stage never ends worse than it).
    pub initial: Option<&'a [f64]>,
    /// Scale each row to a largest coefficient of 1 (the default; a retry may drop it).
    pub scale_rows: bool,
}

impl Problem<'_> {
    /// The warm start as (variable, value) pairs, for MIPs only.
    pub fn warm_start(&self, columns: &[Variable]) -> Option<Vec<(Variable, f64)>> {
        let initial = self.initial.filter(|_| self.lp.has_integers())?;
        Some(
            columns
                .iter()
                .copied()
                .zip(initial.iter().copied())
                .collect(),
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendStatus {
    Optimal,
    TimeLimit,
}

/// The outcome of one backend solve.
#[derive(Clone, Debug)]
pub enum BackendOutcome {
    Solved {
        values: Vec<f64>,
        status: BackendStatus,
        /// The proven relative gap between the plan's objective and the solver's bound
        /// (`(value - bound) / |value|`): 0 for an LP solved to optimality; `None` where the
        /// solver proves none.
        gap: Option<f64>,
    },
    Infeasible,
    /// Stopped by the time limit before any feasible point.
    Stopped,
}

/// What a backend gives for one problem: the outcome (or the solver's error), and the seconds
/// it spent translating the model for the solver (our work, told apart from the solver's in
/// the stage timings), counted whether the solve succeeded or not.
#[derive(Debug)]
pub(crate) struct Timed<T> {
    pub result: T,
    pub build_seconds: f64,
}

impl<T> Timed<T> {
    pub fn new(result: T, build_seconds: f64) -> Self {
        Timed {
            result,
            build_seconds,
        }
    }

    /// The result, its translation time added to `build_seconds`.
    pub fn into_result(self, build_seconds: &mut f64) -> T {
        *build_seconds += self.build_seconds;
        self.result
    }
}

/// Why a backend gave no outcome for a problem.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// A HiGHS call returned an error status (or an answer that contradicts itself).
    #[cfg(feature = "highs")]
    #[error(transparent)]
    Highs(#[from] super::highs_api::HighsError),
    /// microlp (through good_lp, or 0.7 called directly) failed.
    #[error("{0}")]
    Microlp(String),
    #[error("the model is unbounded")]
    Unbounded,
    /// The answer breaks a row or a column bound of the model by more than the tolerance.
    #[error("{0}")]
    BrokenRow(String),
    /// No attempt of the retry ladder had any time left.
    #[error("the time limit ran out")]
    OutOfTime,
    /// The backend is not compiled into this build.
    #[cfg(not(feature = "highs"))]
    #[error(
        "solver backend `{0}` is not compiled into this build (a `--no-default-features` build); rebuild with the default features"
    )]
    Unavailable(&'static str),
}

/// A backend's answer to one problem, with its translation time.
pub(crate) type Attempted = Timed<Result<BackendOutcome, BackendError>>;

/// The variables and objective of `problem`, ready for `.using(solver)`, and the seconds
/// building them took.
pub(crate) fn variables(
    problem: &Problem<'_>,
) -> ((ProblemVariables, Vec<Variable>, Expression), f64) {
    let started = Instant::now();
    let mut vars = ProblemVariables::new();
    let columns: Vec<Variable> = problem
        .lp
        .columns
        .iter()
        .map(|c| {
            let mut def = variable().min(c.lower).max(c.upper);
            if c.integer {
                def = def.integer();
            }
            vars.add(def)
        })
        .collect();
    let objective = expression(&columns, problem.objective);
    ((vars, columns, objective), started.elapsed().as_secs_f64())
}

fn expression(columns: &[Variable], terms: &[(usize, f64)]) -> Expression {
    let mut e = Expression::with_capacity(terms.len());
    for &(c, a) in terms {
        e.add_mul(a, columns[c]);
    }
    e
}

/// What a row is divided by to bring its largest coefficient to 1 (1 for an empty row).
pub(crate) fn row_scale(terms: &[(usize, f64)]) -> f64 {
    let largest = terms.iter().fold(0.0f64, |m, &(_, a)| m.max(a.abs()));
    if largest > 0.0 { largest } else { 1.0 }
}

/// Which side of a row one constraint bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Eq,
    Ge,
    Le,
}

/// Every row of the model and the held stages as a solver takes it: scaled (where the
/// problem asks it) and split into one constraint per finite side, `each(terms, side,
/// right-hand side)`.
pub(crate) fn for_each_constraint(
    problem: &Problem<'_>,
    mut each: impl FnMut(&[(usize, f64)], Side, f64),
) {
    for row in problem.lp.rows.iter().chain(problem.extra_rows) {
        // Rows are scaled to a largest coefficient of 1: burden rows carry weights in the
        // hundreds of thousands next to shares below one, which the simplex dislikes.
        let scale = if problem.scale_rows {
            row_scale(&row.terms)
        } else {
            1.0
        };
        let terms: Vec<(usize, f64)> = row.terms.iter().map(|&(c, a)| (c, a / scale)).collect();
        let (lower, upper) = (row.lower / scale, row.upper / scale);
        if lower == upper {
            each(&terms, Side::Eq, lower);
            continue;
        }
        if lower.is_finite() {
            each(&terms, Side::Ge, lower);
        }
        if upper.is_finite() {
            each(&terms, Side::Le, upper);
        }
    }
}

/// Adds every row of the model and the held stages to a good_lp solver model; the seconds
/// that took.
pub(crate) fn add_rows<M: SolverModel>(
    model: &mut M,
    columns: &[Variable],
    problem: &Problem<'_>,
) -> f64 {
    let started = Instant::now();
    for_each_constraint(problem, |terms, side, rhs| {
        let e = expression(columns, terms);
        model.add_constraint(match side {
            Side::Eq => e.eq(rhs),
            Side::Ge => e.geq(rhs),
            Side::Le => e.leq(rhs),
        });
    });
    started.elapsed().as_secs_f64()
}

/// Turns good_lp's result into an outcome.
/// good_lp reports no gap: an LP solved to optimality has none, and a mixed-integer plan
/// called optimal is within the MIP gap asked for, which is reported.
pub(crate) fn outcome<S: good_lp::Solution>(
    result: Result<S, ResolutionError>,
    columns: &[Variable],
    problem: &Problem<'_>,
) -> Result<BackendOutcome, BackendError> {
    match result {
        Ok(solution) => {
            let status = match solution.status() {
                SolutionStatus::Optimal | SolutionStatus::GapLimit => BackendStatus::Optimal,
                SolutionStatus::TimeLimit => BackendStatus::TimeLimit,
            };
            let gap = match status {
                BackendStatus::Optimal if problem.lp.has_integers() => Some(problem.mip_gap),
                BackendStatus::Optimal => Some(0.0),
                BackendStatus::TimeLimit => None,
            };
            let values = columns.iter().map(|&v| solution.value(v)).collect();
            Ok(BackendOutcome::Solved {
                values,
                status,
                gap,
            })
        }
        Err(ResolutionError::Infeasible) => Ok(BackendOutcome::Infeasible),
        Err(ResolutionError::Other(message))
            if message.contains("Time limit") || message == "NoSolutionFound" =>
        {
            Ok(BackendOutcome::Stopped)
        }
        Err(ResolutionError::Unbounded) => Err(BackendError::Unbounded),
        Err(other) => Err(BackendError::Microlp(other.to_string())),
    }
}
