//! A variant's result row: its scenario solved through the pipeline, and its coverage,
//! troops, cost and first stage, or why there is no plan. A failure is a row, never a panic
//! or an abort of the sweep.

use super::{Sweep, Variant};
use crate::pipeline::{PlanError, solve_scenario};
use crate::scenario::SolverSettings;

/// How a variant ended: a (verified) plan, no plan meeting the floors, or a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowOutcome {
    /// A verified plan, with the solve's status (`optimal` or `time_limit`).
    Solved(crate::solve::Status),
    /// No plan meets the hard floors; the row's `error` names them.
    Infeasible,
    /// The variant could not be solved; the row's `error` says why.
    Error,
}

impl RowOutcome {
    /// The `status` column's value: `optimal`, `time_limit`, `infeasible` or `error`.
    pub fn name(self) -> &'static str {
        match self {
            RowOutcome::Solved(status) => status.name(),
            RowOutcome::Infeasible => "infeasible",
            RowOutcome::Error => "error",
        }
    }

    /// The outcome a `status` column holds, if it is one.
    pub fn parse(text: &str) -> Option<RowOutcome> {
        use crate::solve::Status;
        [
            RowOutcome::Solved(Status::Optimal),
            RowOutcome::Solved(Status::TimeLimit),
            RowOutcome::Infeasible,
            RowOutcome::Error,
        ]
        .into_iter()
        .find(|o| o.name() == text)
    }
}

/// The result of one variant.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The variant's id: `v001`..., with Monte Carlo samples `v001-s001`...
    pub variant: String,
    /// The Monte Carlo sample's number, from 1; `None` without Monte Carlo.
    pub sample: Option<u32>,
    /// The label of each axis's value.
    pub axes: Vec<String>,
    /// Members dropped by the Monte Carlo draw.
    pub dropped: Vec<String>,
    /// How the variant ended (the `status` column).
    pub status: RowOutcome,
    /// Overall coverage, the mean of requirement coverage (0 to 1); `None` without a plan.
    pub coverage: Option<f64>,
    /// By the base scenario's domains and phases (a group without requirements: none).
    pub by_domain: Vec<Option<f64>>,
    /// Coverage by the base scenario's phases (`None` for a phase without requirements, and
    /// for every phase without a plan).
    pub by_phase: Vec<Option<f64>>,
    /// Troops deployed, summed over the phases; `None` without a plan.
    pub troops: Option<f64>,
    /// Total cost, summed over the phases; `None` without a plan.
    pub cost: Option<f64>,
    /// The first objective stage's name and value; `None` without a plan.
    pub first_stage: Option<(String, f64)>,
    /// Why there is no plan: the unmet hard floors (infeasible) or the error's message;
    /// `None` when solved.
    pub error: Option<String>,
}

impl Row {
    /// Whether the variant failed to solve (status `error`; an infeasible one has not).
    pub fn failed(&self) -> bool {
        self.status == RowOutcome::Error
    }
}

/// Solves one variant into its row. Infeasibility is an outcome; any other failure is an
/// `error` row, never a panic or an abort of the sweep.
pub fn solve_variant(sweep: &Sweep, variant: &Variant, settings: &SolverSettings) -> Row {
    let (scenario, dropped) = sweep.scenario(variant, settings.integer);
    let axes = variant
        .values
        .iter()
        .zip(&sweep.axes)
        .map(|(&v, axis)| axis.values[v].label.clone())
        .collect();
    let mut row = Row {
        variant: variant.id.clone(),
        sample: variant.sample,
        axes,
        dropped,
        status: RowOutcome::Error,
        coverage: None,
        by_domain: vec![None; sweep.base.domains.len()],
        by_phase: vec![None; sweep.base.phases.len()],
        troops: None,
        cost: None,
        first_stage: None,
        error: None,
    };
    match solve_scenario(&scenario, settings) {
        Ok(planned) => {
            let c = &planned.figures.coverage;
            row.status = RowOutcome::Solved(planned.plan.status);
            row.coverage = Some(c.overall);
            // Variants keep the base's domains and phases, so indices line up.
            row.by_domain = c.by_domain.clone();
            row.by_phase = c.by_phase.clone();
            row.troops = Some(planned.figures.total_troops);
            row.cost = Some(planned.figures.total_cost);
            row.first_stage = planned
                .plan
                .stages
                .first()
                .map(|s| (s.name.clone(), s.value));
        }
        Err(PlanError::Infeasible(floors)) => {
            row.status = RowOutcome::Infeasible;
            let names: Vec<&str> = floors
                .iter()
                .map(|f| scenario.requirements[f.requirement].id.as_str())
                .collect();
            row.error = Some(format!("hard floors cannot be met: {}", names.join(", ")));
        }
        Err(err) => {
            row.status = RowOutcome::Error;
            row.error = Some(err.to_string());
        }
    }
    row
}
